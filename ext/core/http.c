/*
 * http.c - plain HTTP on the WebSocket port: a JSON API for backends (push,
 * broadcast, groups, presence, kick, stats), Prometheus /metrics and /healthz.
 *
 * Two layers. The lower one never sees a socket: http_route() finds the
 * endpoint, http_admit() checks the method and the Bearer secret,
 * http_parse() turns the query and the JSON body into an http_action and
 * http_run() performs it on the server; each fills an http_answer. The upper
 * one, push_http_callback(), is the libwebsockets glue: it collects the
 * request body (Content-Length or chunked, split over any number of reads,
 * bounded by max_message_out + 64 KiB) in the per-request state kept in
 * push_conn.http, and writes the answer from LWS_CALLBACK_HTTP_WRITEABLE, in
 * pieces, before handing the connection back for the next request.
 *
 * Pipelining. libwebsockets 4.1 mishandles a request with a body that it
 * parses out of bytes it had read already (one pipelined behind another
 * request): it hands the request's own header bytes to HTTP_BODY, then spins
 * for ever inside lws_http_action(), where no callback can stop it safely.
 * So after each answer the connection is marked with the number of bytes read
 * from its socket so far; a request with a body arriving while that number
 * has not moved came out of the buffer and is refused from LWS_CALLBACK_HTTP,
 * the one place where libwebsockets still closes cleanly. Requests sent one
 * after the other, and pipelined requests without a body, keep the
 * connection. Without TCP_INFO (not Linux) every answer closes it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#if defined(__linux__)
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#define HTTP_PIPELINE_GUARD 1
#endif

#include "cluster.h"
#include "exclude.h"
#include "server_int.h"
#include "sha256.h"
#include "textproto.h"

#define HTTP_BODY_SLACK    (64 * 1024)    /* request bodies may exceed max_message_out by this */
#define HTTP_UIDS_DEFAULT  1000           /* /api/uids page size when not given */
#define HTTP_UIDS_MAX      10000          /* largest /api/uids page */
#define HTTP_PIECE_H1      (64 * 1024)    /* answer bytes written per WRITEABLE over HTTP/1 */
#define HTTP_PIECE_H2      16384          /* the same over HTTP/2: one DATA frame */
#define HTTP_AUTH_MAX      1024           /* longest Authorization header looked at */
#define HTTP_JSON_DEPTH    32             /* nesting accepted in request bodies */
#define HTTP_REASON_MAX    63             /* longest kick reason (push_conn.close_reason) */
#define HTTP_LINE_MAX      4096           /* longest chunk-size or trailer line */
#define HTTP_STATS_MAX     8192           /* room for push_server_stats_json() */

#define MARK_NONE          0              /* pipelining mark: no answer yet on this connection */
#define MARK_UNKNOWN       1              /* ... answered, but the read count is unknown */
#define MARK_BASE          2              /* ... answered after this many bytes read, minus MARK_BASE */

#define JSON_CT            "application/json"
#define METRICS_CT         "text/plain; version=0.0.4"

/* Methods the API tells apart. */
enum http_method {
	HM_OTHER = 0,              /* anything the API does not serve */
	HM_GET,                    /* GET */
	HM_HEAD,                   /* HEAD: a GET without the body */
	HM_POST                    /* POST */
};

/* What an endpoint does. */
enum http_kind {
	HK_HEALTHZ = 1,            /* GET /healthz */
	HK_METRICS,                /* GET /metrics */
	HK_STATS,                  /* GET /api/stats */
	HK_PUSH,                   /* POST /api/push */
	HK_BROADCAST,              /* POST /api/broadcast */
	HK_GROUP_SEND,             /* POST /api/group/send */
	HK_GROUP_JOIN,             /* POST /api/group/join */
	HK_GROUP_LEAVE,            /* POST /api/group/leave */
	HK_KICK,                   /* POST /api/kick */
	HK_ONLINE,                 /* GET /api/online */
	HK_UIDS,                   /* GET /api/uids */
	HK_GROUP,                  /* GET /api/group */
	HK_UID_GROUPS              /* GET /api/uid/groups */
};

/* Who may call an endpoint. */
enum http_auth {
	HA_NONE = 0,               /* anyone */
	HA_BEARER,                 /* the Bearer secret */
	HA_METRICS                 /* the Bearer secret unless metrics_public */
};

/* One entry of the routing table. */
typedef struct http_endpoint {
	const char *path;          /* exact path */
	uint8_t kind;              /* enum http_kind */
	uint8_t post;              /* POST with a JSON body; otherwise GET (and HEAD) */
	uint8_t auth;              /* enum http_auth */
} http_endpoint;

static const http_endpoint http_endpoints[] = {
	{ "/healthz", HK_HEALTHZ, 0, HA_NONE },
	{ "/metrics", HK_METRICS, 0, HA_METRICS },
	{ "/api/stats", HK_STATS, 0, HA_BEARER },
	{ "/api/push", HK_PUSH, 1, HA_BEARER },
	{ "/api/broadcast", HK_BROADCAST, 1, HA_BEARER },
	{ "/api/group/send", HK_GROUP_SEND, 1, HA_BEARER },
	{ "/api/group/join", HK_GROUP_JOIN, 1, HA_BEARER },
	{ "/api/group/leave", HK_GROUP_LEAVE, 1, HA_BEARER },
	{ "/api/kick", HK_KICK, 1, HA_BEARER },
	{ "/api/online", HK_ONLINE, 0, HA_BEARER },
	{ "/api/uids", HK_UIDS, 0, HA_BEARER },
	{ "/api/group", HK_GROUP, 0, HA_BEARER },
	{ "/api/uid/groups", HK_UID_GROUPS, 0, HA_BEARER },
};

/* A growing byte buffer with LWS_PRE bytes of headroom, so pieces can go to lws_write() in place. */
typedef struct http_buf {
	char *mem;                 /* headroom, then the data; NULL until the first byte */
	size_t len;                /* bytes of data */
	size_t cap;                /* bytes of data that fit */
	int failed;                /* an allocation failed: the data is incomplete */
} http_buf;

/* What goes back to the client. */
typedef struct http_answer {
	int status;                /* HTTP status; 0 = not decided yet */
	const char *type;          /* Content-Type */
	const char *allow;         /* Allow header (405), NULL = none */
	uint8_t challenge;         /* send WWW-Authenticate: Bearer (401) */
	uint8_t close;             /* close the connection after the answer */
	http_buf body;             /* the body */
} http_answer;

/* One decoded query argument; both strings NUL-terminated. */
typedef struct http_arg {
	const char *name;          /* before the first '=' */
	const char *value;         /* after it, "" if none */
	size_t value_len;          /* length of value */
} http_arg;

/* A request as the lower layer sees it. */
typedef struct http_request {
	const http_arg *args;      /* decoded query arguments */
	size_t nargs;              /* how many */
	const char *body;          /* request body, NULL if none */
	size_t body_len;           /* its length */
} http_request;

/* A validated request, ready to run. Strings point into root or the request's arguments. */
typedef struct http_action {
	const http_endpoint *ep;   /* what to do */
	json_object *root;         /* parsed body, owns the strings below */
	push_str *uids;            /* target uids */
	size_t nuids;              /* how many */
	push_str uid_one;          /* storage for a single uid */
	push_str msg;              /* message to push */
	push_str group;            /* group name */
	push_str reason;           /* kick reason */
	push_exclude_list ex;      /* uids and connections that must not receive the send */
	int overflowed;            /* json-c clamped an integer of the body (see push_text_uids_ex) */
	uint64_t cursor;           /* /api/uids: where the page starts */
	size_t limit;              /* /api/uids: uids per page */
} http_action;

/* Where the request is. */
enum http_phase {
	HP_BODY = 0,               /* reading the request body */
	HP_ANSWER                  /* the answer is decided and being written */
};

/* Decoder state of a chunked request body. */
enum http_chunk {
	CK_SIZE = 0,               /* first hex digit of a chunk size */
	CK_SIZE_HEX,               /* more hex digits, an extension or the line end */
	CK_EXT,                    /* chunk extension, skipped up to the line end */
	CK_SIZE_LF,                /* LF after the size line's CR */
	CK_DATA,                   /* chunk data */
	CK_DATA_CR,                /* CR after the data */
	CK_DATA_LF,                /* LF after the data */
	CK_TRAILER,                /* start of a trailer line (an empty one ends the body) */
	CK_TRAILER_LINE,           /* inside a trailer line */
	CK_TRAILER_LF,             /* LF of the final empty line */
	CK_DONE                    /* the body is complete */
};

/* Per-request state, in push_conn.http from LWS_CALLBACK_HTTP until the answer is out. */
typedef struct http_state {
	const http_endpoint *ep;   /* routed endpoint, NULL if none */
	uint8_t method;            /* enum http_method */
	uint8_t phase;             /* enum http_phase */
	uint8_t h2;                /* the request came over HTTP/2 */
	uint8_t chunked;           /* the body uses the chunked transfer coding */
	uint8_t chunk;             /* enum http_chunk */
	uint8_t headers_sent;      /* the answer's headers are out */
	uint64_t chunk_left;       /* bytes left of the current chunk */
	size_t line_len;           /* bytes of the current size or trailer line */
	size_t limit;              /* largest body accepted */
	http_buf body;             /* the body so far (decoded) */
	char *args_mem;            /* query arguments, NUL-separated */
	http_arg *args;            /* the arguments, pointing into args_mem */
	size_t nargs;              /* how many */
	size_t sent;               /* answer body bytes written */
	http_answer ans;           /* the answer */
} http_state;

/* ------------------------------------------------------------ buffers -- */

static int hb_reserve(http_buf *b, size_t more)
{
	size_t need, cap;
	char *p;

	if (b->failed) {
		return -1;
	}
	if (more > SIZE_MAX / 2 - LWS_PRE - b->len) {
		b->failed = 1;
		return -1;
	}
	need = b->len + more;
	if (b->mem && need <= b->cap) {
		return 0;
	}
	cap = b->cap ? b->cap : 256;
	while (cap < need) {
		cap *= 2;
	}
	p = realloc(b->mem, LWS_PRE + cap);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->mem = p;
	b->cap = cap;
	return 0;
}

static char *hb_data(const http_buf *b)
{
	return b->mem ? b->mem + LWS_PRE : NULL;
}

static void hb_put(http_buf *b, const void *p, size_t n)
{
	if (n && hb_reserve(b, n) == 0) {
		memcpy(b->mem + LWS_PRE + b->len, p, n);
		b->len += n;
	}
}

static void hb_puts(http_buf *b, const char *s)
{
	hb_put(b, s, strlen(s));
}

static void hb_printf(http_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void hb_printf(http_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0) {
		return;
	}
	hb_put(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* Appends s as a JSON string, quotes included; bytes >= 0x80 pass as they are. */
static void hb_json_str(http_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	hb_put(b, "\"", 1);
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		char esc[6];
		size_t elen = 2;

		if (ch >= 0x20 && ch != '"' && ch != '\\') {
			continue;
		}
		hb_put(b, s + run, i - run);
		run = i + 1;
		esc[0] = '\\';
		switch (ch) {
		case '"':
		case '\\':
			esc[1] = (char)ch;
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[ch >> 4];
			esc[5] = hex[ch & 15];
			elen = 6;
			break;
		}
		hb_put(b, esc, elen);
	}
	hb_put(b, s + run, len - run);
	hb_put(b, "\"", 1);
}

static void hb_free(http_buf *b)
{
	free(b->mem);
	memset(b, 0, sizeof(*b));
}

/* ------------------------------------------------------------ answers -- */

static void answer_reset(http_answer *a, int status, const char *type)
{
	a->status = status;
	a->type = type;
	a->body.len = 0;
}

static void answer_error(http_answer *a, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void answer_error(http_answer *a, int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0) {
		n = 0;
		msg[0] = '\0';
	}
	answer_reset(a, status, JSON_CT);
	hb_puts(&a->body, "{\"ok\":false,\"error\":");
	hb_json_str(&a->body, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	hb_puts(&a->body, "}");
}

static void answer_count(http_answer *a, size_t n)
{
	answer_reset(a, 200, JSON_CT);
	hb_printf(&a->body, "{\"ok\":true,\"count\":%zu}", n);
}

/* Turns an answer whose body could not be built into a short 500; -1 if even that fails. */
static int answer_check(http_answer *a)
{
	static const char oom[] = "{\"ok\":false,\"error\":\"out of memory\"}";

	if (!a->body.failed && a->status) {
		return 0;
	}
	hb_free(&a->body);
	a->status = 500;
	a->type = JSON_CT;
	a->allow = NULL;
	a->challenge = 0;
	a->close = 1;
	hb_put(&a->body, oom, sizeof(oom) - 1);
	return a->body.failed ? -1 : 0;
}

/* ------------------------------------------------------- routing, auth -- */

static const http_endpoint *http_route(const char *path, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(http_endpoints) / sizeof(http_endpoints[0]); i++) {
		const char *p = http_endpoints[i].path;

		if (strlen(p) == len && memcmp(p, path, len) == 0) {
			return &http_endpoints[i];
		}
	}
	return NULL;
}

/* Whether the Authorization header carries "Bearer <secret>"; compares in constant time. */
static int bearer_ok(const unsigned char *secret, size_t secret_len, const char *auth, size_t len)
{
	unsigned char want[PUSH_SHA256_DIGEST_LEN], got[PUSH_SHA256_DIGEST_LEN];
	size_t i = 0, end = len;
	int ok;

	while (i < len && (auth[i] == ' ' || auth[i] == '\t')) {
		i++;
	}
	if (len - i < 7 || strncasecmp(auth + i, "bearer", 6) != 0 || (auth[i + 6] != ' ' && auth[i + 6] != '\t')) {
		return 0;
	}
	i += 7;
	while (i < len && (auth[i] == ' ' || auth[i] == '\t')) {
		i++;
	}
	while (end > i && (auth[end - 1] == ' ' || auth[end - 1] == '\t')) {
		end--;
	}
	/* digests hide the secret's length as well as its bytes */
	push_sha256(secret, secret_len, want);
	push_sha256(auth + i, end - i, got);
	ok = push_ct_equal(want, got, sizeof(want));
	push_secure_zero(want, sizeof(want));
	push_secure_zero(got, sizeof(got));
	return ok;
}

/*
 * Checks the method and the caller for an endpoint. Returns 0 when the
 * request may go on, -1 with the answer (405, 403, 401) filled otherwise.
 */
static int http_admit(const push_config *cfg, const http_endpoint *ep, int method, const char *auth,
		size_t auth_len, http_answer *a)
{
	const unsigned char *secret = cfg->api_secret ? cfg->api_secret : cfg->secret;
	size_t secret_len = cfg->api_secret ? cfg->api_secret_len : cfg->secret_len;

	if (ep->post ? method != HM_POST : (method != HM_GET && method != HM_HEAD)) {
		answer_error(a, 405, "method not allowed: use %s", ep->post ? "POST" : "GET");
		a->allow = ep->post ? "POST" : "GET, HEAD";
		return -1;
	}
	if (ep->auth == HA_NONE || (ep->auth == HA_METRICS && cfg->metrics_public)) {
		return 0;
	}
	if (!secret || !secret_len) {
		answer_error(a, 403, "HTTP API disabled: set the api_secret option");
		return -1;
	}
	if (!auth || !bearer_ok(secret, secret_len, auth, auth_len)) {
		answer_error(a, 401, "unauthorized");
		a->challenge = 1;
		return -1;
	}
	return 0;
}

static size_t http_body_limit(const push_config *cfg)
{
	return (size_t)cfg->max_msg_out + HTTP_BODY_SLACK;
}

/* ------------------------------------------------------- validation -- */

static void action_free(http_action *act)
{
	if (act->uids && act->uids != &act->uid_one) {
		free(act->uids);
	}
	push_exclude_list_free(&act->ex);
	if (act->root) {
		json_object_put(act->root);
	}
	memset(act, 0, sizeof(*act));
}

static const http_arg *arg_find(const http_request *rq, const char *name)
{
	size_t i;

	for (i = 0; i < rq->nargs; i++) {
		if (strcmp(rq->args[i].name, name) == 0) {
			return &rq->args[i];
		}
	}
	return NULL;
}

/* A required, non-empty query argument; -1 with a 400 answer if missing. */
static int arg_required(const http_request *rq, const char *name, push_str *out, http_answer *a)
{
	const http_arg *g = arg_find(rq, name);

	if (!g || !g->value_len) {
		answer_error(a, 400, "missing query argument \"%s\"", name);
		return -1;
	}
	out->p = g->value;
	out->len = g->value_len;
	return 0;
}

/* An optional unsigned decimal query argument; 1 if present, 0 if not, -1 with a 400 answer if malformed. */
static int arg_uint(const http_request *rq, const char *name, uint64_t max, uint64_t *out, http_answer *a)
{
	const http_arg *g = arg_find(rq, name);
	uint64_t v = 0;
	size_t i;

	if (!g || !g->value_len) {
		return 0;
	}
	for (i = 0; i < g->value_len; i++) {
		unsigned d = (unsigned)(g->value[i] - '0');

		if (d > 9 || v > (max - d) / 10) {
			answer_error(a, 400, "query argument \"%s\" must be an integer from 0 to %llu", name,
					(unsigned long long)max);
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 1;
}

static int json_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Parses the body as one JSON object; -1 with a 400 answer giving json-c's reason. */
static int body_object(const http_request *rq, http_action *act, http_answer *a)
{
	enum json_tokener_error je;
	json_tokener *tok;
	json_object *root;
	size_t off;

	if (!rq->body_len) {
		answer_error(a, 400, "empty request body: expected a JSON object");
		return -1;
	}
	off = 0;
	while (off < rq->body_len && json_blank(rq->body[off])) {
		off++;
	}
	if (off == rq->body_len || rq->body[off] != '{') {
		answer_error(a, 400, "request body must be a JSON object");
		return -1;
	}
	if (rq->body_len > INT32_MAX || !(tok = json_tokener_new_ex(HTTP_JSON_DEPTH))) {
		answer_error(a, 500, "out of memory");
		return -1;
	}
	errno = 0;
	root = json_tokener_parse_ex(tok, rq->body, (int)rq->body_len);
	act->overflowed = errno == ERANGE;
	je = json_tokener_get_error(tok);
	off = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (je == json_tokener_continue) {
		answer_error(a, 400, "invalid JSON: unexpected end of input");
		return -1;
	}
	if (!root || je != json_tokener_success) {
		if (root) {
			json_object_put(root);
		}
		answer_error(a, 400, "invalid JSON: %s", json_tokener_error_desc(je));
		return -1;
	}
	act->root = root;
	for (; off < rq->body_len; off++) {
		if (!json_blank(rq->body[off])) {
			answer_error(a, 400, "invalid JSON: trailing characters after the object");
			return -1;
		}
	}
	if (!json_object_is_type(root, json_type_object)) {
		answer_error(a, 400, "request body must be a JSON object");
		return -1;
	}
	return 0;
}

/* The field, NULL if absent or null. */
static json_object *field(const http_action *act, const char *name)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(act->root, name, &v)) {
		return NULL;
	}
	return v;
}

/* A name field: a non-empty string or an integer (as its text). */
static int field_name(const http_action *act, const char *name, push_str *out, http_answer *a)
{
	json_object *v = field(act, name);
	size_t len;
	const char *p;

	if (!v) {
		answer_error(a, 400, "missing \"%s\"", name);
		return -1;
	}
	if (json_object_is_type(v, json_type_string)) {
		p = json_object_get_string(v);
		len = (size_t)json_object_get_string_len(v);
	} else if (json_object_is_type(v, json_type_int)) {
		p = json_object_to_json_string_length(v, JSON_C_TO_STRING_PLAIN, &len);
	} else {
		answer_error(a, 400, "\"%s\" must be a string or an integer", name);
		return -1;
	}
	if (!len) {
		answer_error(a, 400, "\"%s\" must not be empty", name);
		return -1;
	}
	out->p = p;
	out->len = len;
	return 0;
}

static int field_uids(http_action *act, http_answer *a)
{
	const char *err = NULL;
	json_object *v = field(act, "uid");

	if (!v) {
		answer_error(a, 400, "missing \"uid\"");
		return -1;
	}
	if (push_text_uids_ex(v, act->overflowed, &act->uids, &act->nuids, &act->uid_one, &err) != 0) {
		answer_error(a, 400, "%s", err ? err : "invalid \"uid\"");
		return -1;
	}
	return 0;
}

/* "msg": a string goes as it is, anything else as compact JSON; at most max_msg_out bytes. */
static int field_msg(const push_config *cfg, http_action *act, http_answer *a)
{
	json_object *v;

	if (!json_object_object_get_ex(act->root, "msg", &v)) {
		answer_error(a, 400, "missing \"msg\"");
		return -1;
	}
	act->msg.p = push_json_compact(v, &act->msg.len);
	if (!act->msg.p) {
		answer_error(a, 500, "out of memory");
		return -1;
	}
	if (act->msg.len > cfg->max_msg_out) {
		answer_error(a, 413, "message too large (limit %u bytes)", cfg->max_msg_out);
		return -1;
	}
	return 0;
}

/* "exclude_uids" and "exclude_connections", both optional (exclude.h). */
static int field_excludes(http_action *act, http_answer *a)
{
	const char *err = "invalid exclusions";

	if (push_exclude_parse(act->root, act->overflowed, &act->ex, &err) != 0) {
		answer_error(a, strcmp(err, "out of memory") ? 400 : 500, "%s", err);
		return -1;
	}
	return 0;
}

/* Optional "reason" of a kick, cut at a UTF-8 boundary to fit a close frame's reason. */
static int field_reason(http_action *act, http_answer *a)
{
	json_object *v = field(act, "reason");
	size_t len;

	act->reason.p = "kicked";
	act->reason.len = 6;
	if (!v) {
		return 0;
	}
	if (!json_object_is_type(v, json_type_string)) {
		answer_error(a, 400, "\"reason\" must be a string");
		return -1;
	}
	act->reason.p = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (memchr(act->reason.p, '\0', len)) {
		answer_error(a, 400, "\"reason\" must not contain NUL");
		return -1;
	}
	if (len > HTTP_REASON_MAX) {
		len = HTTP_REASON_MAX;
		while (len && ((unsigned char)act->reason.p[len] & 0xc0) == 0x80) {
			len--;
		}
	}
	act->reason.len = len;
	return 0;
}

/*
 * Validates a request for an admitted endpoint and fills act. Returns 0 when
 * it may run, -1 with a 400 (or 413) answer otherwise; act must be freed with
 * action_free() either way.
 */
static int http_parse(const push_config *cfg, const http_endpoint *ep, const http_request *rq, http_action *act,
		http_answer *a)
{
	uint64_t v;
	int rc;

	memset(act, 0, sizeof(*act));
	act->ep = ep;
	if (ep->post && body_object(rq, act, a) != 0) {
		return -1;
	}
	switch (ep->kind) {
	case HK_PUSH:
		return field_uids(act, a) || field_msg(cfg, act, a) ? -1 : 0;
	case HK_BROADCAST:
		return field_msg(cfg, act, a) || field_excludes(act, a) ? -1 : 0;
	case HK_GROUP_SEND:
		return field_name(act, "group", &act->group, a) || field_msg(cfg, act, a)
				|| field_excludes(act, a) ? -1 : 0;
	case HK_GROUP_JOIN:
	case HK_GROUP_LEAVE:
		return field_name(act, "group", &act->group, a) || field_uids(act, a) ? -1 : 0;
	case HK_KICK:
		return field_uids(act, a) || field_reason(act, a) ? -1 : 0;
	case HK_ONLINE:
	case HK_UID_GROUPS:
		if (arg_required(rq, "uid", &act->uid_one, a) != 0) {
			return -1;
		}
		act->uids = &act->uid_one;
		act->nuids = 1;
		return 0;
	case HK_GROUP:
		return arg_required(rq, "group", &act->group, a);
	case HK_UIDS:
		act->limit = HTTP_UIDS_DEFAULT;
		if (arg_uint(rq, "cursor", UINT64_MAX, &act->cursor, a) < 0) {
			return -1;
		}
		rc = arg_uint(rq, "limit", HTTP_UIDS_MAX, &v, a);
		if (rc < 0 || (rc > 0 && v < 1)) {
			answer_error(a, 400, "query argument \"limit\" must be an integer from 1 to %d", HTTP_UIDS_MAX);
			return -1;
		}
		if (rc > 0) {
			act->limit = (size_t)v;
		}
		return 0;
	default:
		return 0;
	}
}

/* ------------------------------------------------------------ actions -- */

/* Collects names into a JSON list. */
typedef struct name_list {
	http_buf *b;               /* where the list goes */
	size_t n;                  /* names so far */
} name_list;

static void name_add(const char *name, size_t len, void *arg)
{
	name_list *l = arg;

	if (l->n++) {
		hb_put(l->b, ",", 1);
	}
	hb_json_str(l->b, name, len);
}

static void metric(http_buf *b, const char *name, const char *type, const char *help, uint64_t v)
{
	hb_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", name, help, name, type, name, (unsigned long long)v);
}

static void run_metrics(push_server *s, http_answer *a)
{
	const push_stats *st = push_server_stats(s);
	int64_t up = (int64_t)time(NULL) - st->started_ms / 1000;
	const struct {
		const char *reason;    /* label value */
		uint64_t v;            /* counter */
	} refused[] = {
		{ "max_connections", st->refused_max_conns },
		{ "origin", st->refused_origin },
		{ "auth", st->refused_auth },
		{ "auth_timeout", st->refused_auth_timeout },
		{ "message_too_big", st->refused_too_big },
		{ "push_too_big", st->refused_msg_out },
		{ "line_too_long", st->refused_line },
		{ "text_auth", st->refused_text_auth },
	};
	http_buf *b = &a->body;
	size_t i;

	answer_reset(a, 200, METRICS_CT);
	metric(b, "push_connections", "gauge", "Open WebSocket connections.", st->ws_conns);
	metric(b, "push_uids", "gauge", "Distinct uids online.", st->uids);
	metric(b, "push_groups", "gauge", "Groups with at least one member.", push_server_group_total(s));
	metric(b, "push_text_connections", "gauge", "Open Text port connections.", st->text_conns);
	metric(b, "push_messages_delivered_total", "counter", "Messages queued to WebSocket connections.",
			st->delivered);
	metric(b, "push_push_requests_total", "counter", "Push requests handled (Text port and HTTP API).",
			st->pushes);
	metric(b, "push_messages_in_total", "counter", "Messages received from WebSocket clients.", st->msgs_in);
	metric(b, "push_bytes_out_total", "counter", "Payload bytes queued to WebSocket connections.", st->bytes_out);
	hb_puts(b, "# HELP push_refused_total Connections, messages and requests refused, by reason.\n"
			"# TYPE push_refused_total counter\n");
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		hb_printf(b, "push_refused_total{reason=\"%s\"} %llu\n", refused[i].reason,
				(unsigned long long)refused[i].v);
	}
	metric(b, "push_slow_consumer_disconnects_total", "counter",
			"Connections dropped because their send queue was full.", st->slow_disconnects);
	metric(b, "push_heartbeat_timeouts_total", "counter", "Connections dropped for not answering pings.",
			st->heartbeat_timeouts);
	metric(b, "push_queued_bytes", "gauge", "Bytes waiting in send queues.", st->queued_bytes);
	metric(b, "push_uptime_seconds", "gauge", "Seconds since the server started.", up > 0 ? (uint64_t)up : 0);
	metric(b, "push_connections_total", "counter", "WebSocket connections accepted since the start.",
			st->conns_total);
	metric(b, "push_history_messages", "gauge", "Messages kept for replay.", s->hist_count);
	metric(b, "push_history_bytes", "gauge", "Payload bytes kept for replay.", s->hist_bytes);
	metric(b, "push_replayed_total", "counter", "Kept messages replayed to reconnecting clients.", st->replayed);
	metric(b, "push_replay_gaps_total", "counter", "Resumes told that kept messages were missing.",
			st->replay_gaps);
	if (push_route_cluster_up(s) >= 0) {
		metric(b, "push_cluster_redis_up", "gauge", "1 while this node is connected to the cluster's Redis.",
				(uint64_t)push_route_cluster_up(s));
	}
}

static void run_group_member(push_server *s, http_action *act, http_answer *a, int join)
{
	size_t i, offline = 0;
	int changed = 0;

	for (i = 0; i < act->nuids; i++) {
		const push_str *u = &act->uids[i];
		int rc = join ? push_server_group_join_uid(s, act->group.p, act->group.len, u->p, u->len)
				: push_server_group_leave_uid(s, act->group.p, act->group.len, u->p, u->len);

		if (rc > 0) {
			changed = 1;
		} else if (rc < 0) {
			if (push_server_uid_count(s, u->p, u->len)) {
				answer_error(a, 400, "invalid \"group\"");
				return;
			}
			offline++;
		}
	}
	if (offline == act->nuids) {
		answer_error(a, 409, "uid is not online");
		return;
	}
	answer_reset(a, 200, JSON_CT);
	hb_printf(&a->body, "{\"ok\":true,\"changed\":%s}", changed ? "true" : "false");
}

/* Performs a validated action on the server and fills the answer. */
static void http_run(push_server *s, http_action *act, http_answer *a)
{
	push_exclude ex = act->ex.ex;
	name_list l = { &a->body, 0 };
	size_t i, n = 0;
	uint64_t next;

	switch (act->ep->kind) {
	case HK_HEALTHZ:
		answer_reset(a, 200, "text/plain");
		hb_puts(&a->body, "ok");
		break;
	case HK_METRICS:
		run_metrics(s, a);
		break;
	case HK_STATS: {
		char *buf = malloc(HTTP_STATS_MAX);

		if (!buf) {
			answer_error(a, 500, "out of memory");
			break;
		}
		n = push_server_stats_json(s, buf, HTTP_STATS_MAX);
		answer_reset(a, 200, JSON_CT);
		hb_put(&a->body, buf, n);
		free(buf);
		break;
	}
	case HK_PUSH: {
		push_result r;

		s->stats.pushes++;
		r = push_route_send_uids(s, act->uids, act->nuids, act->msg.p, act->msg.len);
		n = r.count;
		if (!n && r.cluster_fail) {
			answer_error(a, 503, "cluster unavailable: redis is unreachable, not delivered to other nodes");
		} else if (!n && r.queued) {
			answer_reset(a, 200, JSON_CT);
			hb_puts(&a->body, "{\"ok\":true,\"count\":0,\"queued\":true}");
		} else {
			answer_count(a, n);
		}
		break;
	}
	case HK_BROADCAST:
		s->stats.pushes++;
		answer_count(a, push_server_broadcast_ex(s, act->msg.p, act->msg.len,
				ex.nuids || ex.nconns ? &ex : NULL));
		break;
	case HK_GROUP_SEND:
		s->stats.pushes++;
		answer_count(a, push_server_send_group(s, act->group.p, act->group.len, act->msg.p, act->msg.len,
				ex.nuids || ex.nconns ? &ex : NULL));
		break;
	case HK_GROUP_JOIN:
	case HK_GROUP_LEAVE:
		run_group_member(s, act, a, act->ep->kind == HK_GROUP_JOIN);
		break;
	case HK_KICK: {
		char reason[HTTP_REASON_MAX + 1];

		memcpy(reason, act->reason.p, act->reason.len);
		reason[act->reason.len] = '\0';
		for (i = 0; i < act->nuids; i++) {
			n += push_server_kick_uid(s, act->uids[i].p, act->uids[i].len, PUSH_CLOSE_KICKED, reason);
		}
		answer_count(a, n);
		break;
	}
	case HK_ONLINE:
		n = push_server_uid_count(s, act->uids[0].p, act->uids[0].len);
		answer_reset(a, 200, JSON_CT);
		hb_printf(&a->body, "{\"ok\":true,\"online\":%s,\"count\":%zu}", n ? "true" : "false", n);
		break;
	case HK_UIDS:
		answer_reset(a, 200, JSON_CT);
		hb_puts(&a->body, "{\"ok\":true,\"uids\":[");
		next = push_server_uids_page(s, act->cursor, act->limit, name_add, &l);
		if (next) {
			hb_printf(&a->body, "],\"next\":%llu", (unsigned long long)next);
		} else {
			hb_puts(&a->body, "],\"next\":null");
		}
		hb_printf(&a->body, ",\"total\":%llu}", (unsigned long long)push_server_all_uid_count(s));
		break;
	case HK_GROUP:
		answer_reset(a, 200, JSON_CT);
		hb_printf(&a->body, "{\"ok\":true,\"count\":%zu,\"uids\":[",
				push_server_group_count(s, act->group.p, act->group.len));
		push_server_group_uids(s, act->group.p, act->group.len, name_add, &l);
		hb_puts(&a->body, "]}");
		break;
	case HK_UID_GROUPS:
		answer_reset(a, 200, JSON_CT);
		hb_puts(&a->body, "{\"ok\":true,\"groups\":[");
		push_server_uid_groups(s, act->uids[0].p, act->uids[0].len, name_add, &l);
		hb_puts(&a->body, "]}");
		break;
	default:
		answer_error(a, 404, "not found");
		break;
	}
}

/* Validates and runs a request for an admitted endpoint. */
static void http_process(push_server *s, const http_endpoint *ep, const http_request *rq, http_answer *a)
{
	http_action act;

	if (http_parse(&s->cfg, ep, rq, &act, a) == 0) {
		http_run(s, &act, a);
	} else if (a->status == 413) {
		s->stats.refused_msg_out++;
	}
	action_free(&act);
}

/* ---------------------------------------------------- chunked bodies -- */

static int hexval(unsigned char ch)
{
	if (ch >= '0' && ch <= '9') {
		return ch - '0';
	}
	ch |= 0x20;
	if (ch >= 'a' && ch <= 'f') {
		return ch - 'a' + 10;
	}
	return -1;
}

/*
 * Feeds raw bytes of a chunked body; the data goes to st->body. Returns 0
 * when more is wanted, 1 when the body is complete (the rest is ignored), -1
 * when the coding is malformed, -2 when the body grows over the limit.
 */
static int chunk_feed(http_state *st, const unsigned char *p, size_t n)
{
	while (n) {
		unsigned char ch = *p;
		size_t take;
		int d;

		if (st->chunk != CK_DATA && ++st->line_len > HTTP_LINE_MAX) {
			return -1;
		}
		switch (st->chunk) {
		case CK_SIZE:
		case CK_SIZE_HEX:
			if ((d = hexval(ch)) >= 0) {
				if (st->chunk_left > (st->limit - (size_t)d) / 16) {
					return -2;
				}
				st->chunk_left = st->chunk_left * 16 + (uint64_t)d;
				st->chunk = CK_SIZE_HEX;
			} else if (st->chunk == CK_SIZE) {
				return -1;
			} else if (ch == ';' || ch == ' ' || ch == '\t') {
				st->chunk = CK_EXT;
			} else if (ch == '\r') {
				st->chunk = CK_SIZE_LF;
			} else if (ch == '\n') {
				goto size_line_end;
			} else {
				return -1;
			}
			break;
		case CK_EXT:
			if (ch == '\n') {
				goto size_line_end;
			}
			break;
		case CK_SIZE_LF:
			if (ch != '\n') {
				return -1;
			}
size_line_end:
			st->line_len = 0;
			if (st->chunk_left > st->limit - st->body.len) {
				return -2;
			}
			st->chunk = st->chunk_left ? CK_DATA : CK_TRAILER;
			break;
		case CK_DATA:
			take = n < st->chunk_left ? n : (size_t)st->chunk_left;
			hb_put(&st->body, p, take);
			if (st->body.failed) {
				return -2;
			}
			st->chunk_left -= take;
			if (!st->chunk_left) {
				st->chunk = CK_DATA_CR;
			}
			p += take;
			n -= take;
			continue;
		case CK_DATA_CR:
			if (ch == '\n') {
				st->chunk = CK_SIZE;
				st->line_len = 0;
			} else if (ch == '\r') {
				st->chunk = CK_DATA_LF;
			} else {
				return -1;
			}
			break;
		case CK_DATA_LF:
			if (ch != '\n') {
				return -1;
			}
			st->chunk = CK_SIZE;
			st->line_len = 0;
			break;
		case CK_TRAILER:
			if (ch == '\n') {
				st->chunk = CK_DONE;
				return 1;
			}
			st->chunk = ch == '\r' ? CK_TRAILER_LF : CK_TRAILER_LINE;
			break;
		case CK_TRAILER_LF:
			if (ch != '\n') {
				return -1;
			}
			st->chunk = CK_DONE;
			return 1;
		case CK_TRAILER_LINE:
			/* line_len runs on: all trailer lines together stay under HTTP_LINE_MAX */
			if (ch == '\n') {
				st->chunk = CK_TRAILER;
			}
			break;
		default:
			return 1;
		}
		p++;
		n--;
	}
	return 0;
}

/* -------------------------------------------------- libwebsockets glue -- */

static void state_free(http_state *st)
{
	if (!st) {
		return;
	}
	hb_free(&st->body);
	hb_free(&st->ans.body);
	free(st->args_mem);
	free(st->args);
	free(st);
}

static int method_of(struct lws *wsi)
{
	char *uri = NULL, m[16];
	int ulen = 0;

	switch (lws_http_get_uri_and_method(wsi, &uri, &ulen)) {
	case LWSHUMETH_GET:
		return HM_GET;
	case LWSHUMETH_POST:
		return HM_POST;
	case LWSHUMETH_HEAD:
		return HM_HEAD;
#if defined(LWS_ROLE_H2)
	case LWSHUMETH_COLON_PATH:
		if (lws_hdr_copy(wsi, m, sizeof(m), WSI_TOKEN_HTTP_COLON_METHOD) > 0) {
			if (strcmp(m, "GET") == 0) {
				return HM_GET;
			}
			if (strcmp(m, "POST") == 0) {
				return HM_POST;
			}
			if (strcmp(m, "HEAD") == 0) {
				return HM_HEAD;
			}
		}
		return HM_OTHER;
#endif
	default:
		(void)m;
		return HM_OTHER;
	}
}

/* Copies the decoded query arguments (libwebsockets splits them at '&'). */
static int args_capture(struct lws *wsi, http_state *st)
{
	size_t total = 0, n = 0, off = 0, i;
	int len;

	while ((len = lws_hdr_fragment_length(wsi, WSI_TOKEN_HTTP_URI_ARGS, (int)n)) > 0) {
		total += (size_t)len + 1;
		n++;
	}
	if (!n) {
		return 0;
	}
	st->args_mem = malloc(total + 1);
	st->args = calloc(n, sizeof(*st->args));
	if (!st->args_mem || !st->args) {
		return -1;
	}
	for (i = 0; i < n; i++) {
		char *frag = st->args_mem + off, *eq;

		len = lws_hdr_copy_fragment(wsi, frag, (int)(total + 1 - off), WSI_TOKEN_HTTP_URI_ARGS, (int)i);
		if (len < 0) {
			break;
		}
		off += (size_t)len + 1;
		eq = strchr(frag, '=');
		st->args[st->nargs].name = frag;
		if (eq) {
			*eq = '\0';
			st->args[st->nargs].value = eq + 1;
			st->args[st->nargs].value_len = (size_t)len - (size_t)(eq + 1 - frag);
		} else {
			st->args[st->nargs].value = frag + len;
		}
		st->nargs++;
	}
	return 0;
}

#if defined(HTTP_PIPELINE_GUARD)
/* Bytes read from the connection's socket so far, plus one; 0 if unknown. */
static uint64_t socket_consumed(struct lws *wsi)
{
	int fd = lws_get_socket_fd(wsi), inq, i;
	size_t need = offsetof(struct tcp_info, tcpi_bytes_received) + sizeof(uint64_t);
	struct tcp_info ti;
	socklen_t sl;
	uint64_t before;

	if (fd < 0) {
		return 0;
	}
	/* received minus still queued; retried if bytes arrive in between */
	for (i = 0; i < 4; i++) {
		sl = sizeof(ti);
		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &sl) != 0 || sl < need) {
			return 0;
		}
		before = ti.tcpi_bytes_received;
		if (ioctl(fd, SIOCINQ, &inq) != 0 || inq < 0) {
			return 0;
		}
		sl = sizeof(ti);
		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &sl) != 0 || sl < need) {
			return 0;
		}
		if (ti.tcpi_bytes_received == before) {
			return before - (uint64_t)inq + 1;
		}
	}
	return 0;
}

/* After an answer: remembers how much had been read (see "Pipelining" above). */
static void pipeline_mark(struct lws *wsi, int known)
{
	uint64_t n = known ? socket_consumed(wsi) : 0;
	uintptr_t mark = n ? MARK_BASE + (uintptr_t)(n % (UINTPTR_MAX - MARK_BASE)) : MARK_UNKNOWN;

	lws_set_opaque_user_data(wsi, (void *)mark);
}

/* Whether a request with a body came out of bytes read before the last answer. */
static int pipelined(struct lws *wsi)
{
	uintptr_t mark = (uintptr_t)lws_get_opaque_user_data(wsi);
	uint64_t n;

	if (mark == MARK_NONE) {
		return 0;
	}
	n = socket_consumed(wsi);
	return mark == MARK_UNKNOWN || !n || MARK_BASE + (uintptr_t)(n % (UINTPTR_MAX - MARK_BASE)) == mark;
}
#endif

/* The answer is decided: write it when the connection can take it. */
static int answer_ready(struct lws *wsi, http_state *st)
{
	if (answer_check(&st->ans) != 0) {
		return -1;
	}
	st->phase = HP_ANSWER;
	st->sent = 0;
	lws_callback_on_writable(wsi);
	return 0;
}

/* The whole body is in: validate and run. */
static int body_done(push_server *s, struct lws *wsi, http_state *st)
{
	http_request rq;

	memset(&rq, 0, sizeof(rq));
	rq.args = st->args;
	rq.nargs = st->nargs;
	rq.body = hb_data(&st->body);
	rq.body_len = st->body.len;
	http_process(s, st->ep, &rq, &st->ans);
	hb_free(&st->body);
	return answer_ready(wsi, st);
}

/* Whether a header's value equals want, ignoring case and surrounding blanks. */
static int header_is(struct lws *wsi, enum lws_token_indexes t, const char *want)
{
	char v[64], *p = v;
	size_t n;

	if (lws_hdr_total_length(wsi, t) <= 0 || lws_hdr_total_length(wsi, t) >= (int)sizeof(v)
			|| lws_hdr_copy(wsi, v, sizeof(v), t) < 0) {
		return 0;
	}
	while (*p == ' ' || *p == '\t') {
		p++;
	}
	n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) {
		n--;
	}
	return n == strlen(want) && strncasecmp(p, want, n) == 0;
}

/* Reads Content-Length: -1 if absent, -2 if malformed (or several), else the length. */
static int64_t content_length(struct lws *wsi)
{
	char v[32];
	int64_t n = 0;
	int i, len = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH);

	if (len <= 0) {
		return -1;
	}
	if (len >= (int)sizeof(v) || lws_hdr_copy(wsi, v, sizeof(v), WSI_TOKEN_HTTP_CONTENT_LENGTH) < 0) {
		return -2;
	}
	i = 0;
	while (v[i] == ' ') {
		i++;
	}
	if (v[i] < '0' || v[i] > '9') {
		return -2;
	}
	for (; v[i] >= '0' && v[i] <= '9'; i++) {
		if (n > (INT64_MAX - 9) / 10) {
			return -2;
		}
		n = n * 10 + (v[i] - '0');
	}
	while (v[i] == ' ') {
		i++;
	}
	return v[i] ? -2 : n;
}

/* LWS_CALLBACK_HTTP: headers are in; route, admit, and either answer or wait for the body. */
static int http_begin(push_server *s, struct lws *wsi, push_conn *c, const char *uri, size_t uri_len)
{
	http_state *st;
	char auth[HTTP_AUTH_MAX + 1];
	int alen, has_te, body_methods;
	int64_t cl;

	if (!push_conn_rare_get(c)) {
		return -1;
	}
	state_free(c->rare->http);
	c->rare->http = st = calloc(1, sizeof(*st));
	if (!st) {
		return -1;
	}
	st->limit = http_body_limit(&s->cfg);
	st->method = (uint8_t)method_of(wsi);
#if defined(LWS_ROLE_H2)
	st->h2 = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_COLON_PATH) > 0;
#endif
	cl = content_length(wsi);
	has_te = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0;
	/* libwebsockets reads a body for these even without Content-Length */
	body_methods = lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0
#if defined(LWS_WITH_HTTP_UNCOMMON_HEADERS)
			|| lws_hdr_total_length(wsi, WSI_TOKEN_PUT_URI) > 0
			|| lws_hdr_total_length(wsi, WSI_TOKEN_PATCH_URI) > 0
#endif
			;
	if (!st->h2 && has_te) {
		if (!header_is(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING, "chunked") || cl != -1) {
			answer_error(&st->ans, 400, "unsupported Transfer-Encoding (only chunked, without Content-Length)");
			st->ans.close = 1;
			return answer_ready(wsi, st);
		}
		/* libwebsockets passes such a body on undecoded for these methods only */
		st->chunked = (uint8_t)body_methods;
		st->ans.close = 1;
	}
#if defined(HTTP_PIPELINE_GUARD)
	/* refused before libwebsockets would read the body out of the wrong bytes */
	if (!st->h2 && (cl > 0 || (body_methods && cl < 0)) && pipelined(wsi)) {
		return -1;
	}
#else
	st->ans.close = 1;
#endif
	if (cl == -2) {
		answer_error(&st->ans, 400, "invalid Content-Length");
		st->ans.close = 1;
		return answer_ready(wsi, st);
	}
	/* HTTP/1 bodies libwebsockets cannot delimit: close after answering */
	if (!st->h2 && (st->chunked || (body_methods && cl < 0))) {
		st->ans.close = 1;
	}
	/* over HTTP/2, libwebsockets 4.1 never reports the end of a body of unknown length */
	if (st->h2 && body_methods && cl < 0) {
		answer_error(&st->ans, 411, "Content-Length required");
		st->ans.close = 1;
		return answer_ready(wsi, st);
	}

	if (s->stopping) {
		answer_error(&st->ans, 503, "server stopping");
		st->ans.close = 1;
		return answer_ready(wsi, st);
	}
	st->ep = http_route(uri, uri_len);
	if (!st->ep) {
		answer_error(&st->ans, 404, "not found");
		goto early;
	}
	alen = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
	if (alen <= 0 || alen > HTTP_AUTH_MAX || lws_hdr_copy(wsi, auth, sizeof(auth), WSI_TOKEN_HTTP_AUTHORIZATION) < 0) {
		alen = -1;
	}
	if (http_admit(&s->cfg, st->ep, st->method, alen >= 0 ? auth : NULL, alen >= 0 ? (size_t)alen : 0,
			&st->ans) != 0) {
		push_secure_zero(auth, sizeof(auth));
		goto early;
	}
	push_secure_zero(auth, sizeof(auth));
	if (cl > 0 && (uint64_t)cl > st->limit) {
		answer_error(&st->ans, 413, "request body too large (limit %zu bytes)", st->limit);
		st->ans.close = 1;
		return answer_ready(wsi, st);
	}
	if (args_capture(wsi, st) != 0) {
		answer_error(&st->ans, 500, "out of memory");
		goto early;
	}
	if (st->chunked || cl > 0) {
		/* wait for HTTP_BODY; a client asking first gets the go-ahead */
		if (!st->h2 && !st->chunked && header_is(wsi, WSI_TOKEN_HTTP_EXPECT, "100-continue")
				&& header_is(wsi, WSI_TOKEN_HTTP, "HTTP/1.1")) {
			static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
			unsigned char buf[LWS_PRE + sizeof(cont)];

			memcpy(buf + LWS_PRE, cont, sizeof(cont) - 1);
			if (lws_write(wsi, buf + LWS_PRE, sizeof(cont) - 1, LWS_WRITE_HTTP_HEADERS) < 0) {
				return -1;
			}
		}
		return 0;
	}
	return body_done(s, wsi, st);

early:
	/* answered before the body: it is not read, so the connection cannot carry another request */
	if (cl > 0) {
		st->ans.close = 1;
	}
	return answer_ready(wsi, st);
}

/* LWS_CALLBACK_HTTP_BODY: a piece of the body. */
static int http_body(push_server *s, struct lws *wsi, http_state *st, const unsigned char *in, size_t len)
{
	int rc;

	if (st->phase != HP_BODY) {
		return 0;     /* answered already: the rest is ignored */
	}
	if (st->chunked) {
		rc = chunk_feed(st, in, len);
		if (rc == 0) {
			return 0;
		}
		st->ans.close = 1;
		if (rc == 1) {
			return body_done(s, wsi, st);
		}
		if (rc == -1) {
			answer_error(&st->ans, 400, "malformed chunked request body");
		} else {
			answer_error(&st->ans, 413, "request body too large (limit %zu bytes)", st->limit);
		}
		hb_free(&st->body);
		return answer_ready(wsi, st);
	}
	if (len > st->limit - st->body.len) {
		answer_error(&st->ans, 413, "request body too large (limit %zu bytes)", st->limit);
		st->ans.close = 1;
		hb_free(&st->body);
		return answer_ready(wsi, st);
	}
	hb_put(&st->body, in, len);
	if (st->body.failed) {
		answer_error(&st->ans, 500, "out of memory");
		st->ans.close = 1;
		hb_free(&st->body);
		return answer_ready(wsi, st);
	}
	return 0;
}

/* The answer is out: the connection waits for its next request (or closes when that returns -1). */
static int transaction_done(struct lws *wsi, int h2)
{
#if defined(HTTP_PIPELINE_GUARD)
	/* with output still buffered the transaction completes later, after more reads */
	int deferred = lws_partial_buffered(wsi);

	if (lws_http_transaction_completed(wsi)) {
		return -1;
	}
	if (!h2) {
		pipeline_mark(wsi, !deferred);
	}
	return 0;
#else
	(void)h2;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
#endif
}

/* LWS_CALLBACK_HTTP_WRITEABLE: headers, then the body in pieces; then the next request or the close. */
static int http_writeable(struct lws *wsi, push_conn *c, http_state *st)
{
	unsigned char hdr[LWS_PRE + 1024], *start = hdr + LWS_PRE, *p = start, *end = hdr + sizeof(hdr) - 1;
	http_answer *a = &st->ans;
	enum lws_write_protocol wp = LWS_WRITE_HTTP_FINAL;
	size_t piece = st->h2 ? HTTP_PIECE_H2 : HTTP_PIECE_H1, n;
	int close, h2;

	if (!st->headers_sent) {
		if (lws_add_http_common_headers(wsi, (unsigned)a->status, a->type, (lws_filepos_t)a->body.len, &p, end)
				|| lws_add_http_header_by_name(wsi, (const unsigned char *)"cache-control:",
						(const unsigned char *)"no-store", 8, &p, end)) {
			return -1;
		}
		if (a->allow && lws_add_http_header_by_name(wsi, (const unsigned char *)"allow:",
					(const unsigned char *)a->allow, (int)strlen(a->allow), &p, end)) {
			return -1;
		}
		if (a->challenge && lws_add_http_header_by_name(wsi, (const unsigned char *)"www-authenticate:",
					(const unsigned char *)"Bearer", 6, &p, end)) {
			return -1;
		}
		if (a->close && !st->h2 && lws_add_http_header_by_name(wsi, (const unsigned char *)"connection:",
					(const unsigned char *)"close", 5, &p, end)) {
			return -1;
		}
		if (lws_finalize_write_http_header(wsi, start, &p, end)) {
			return -1;
		}
		st->headers_sent = 1;
	}
	n = st->method == HM_HEAD ? 0 : a->body.len - st->sent;
	if (n > piece) {
		n = piece;
		wp = LWS_WRITE_HTTP;
	}
	/* HTTP/2 ends the stream with an empty DATA frame; HTTP/1 needs no write for nothing */
	if ((n || st->h2) && lws_write(wsi, n ? (unsigned char *)hb_data(&a->body) + st->sent : start, n, wp) != (int)n) {
		return -1;
	}
	st->sent += n;
	if (wp != LWS_WRITE_HTTP_FINAL) {
		lws_callback_on_writable(wsi);
		return 0;
	}
	close = a->close;
	h2 = st->h2;
	state_free(st);
	c->rare->http = NULL;
	return close ? -1 : transaction_done(wsi, h2);
}

int push_http_callback(push_server *s, struct lws *wsi, push_conn *c, enum lws_callback_reasons reason,
		void *in, size_t len)
{
	http_state *st = c ? CONN_RARE(c, http, NULL) : NULL;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		if (!c || !in) {
			return -1;
		}
		return http_begin(s, wsi, c, in, len);
	case LWS_CALLBACK_HTTP_BODY:
		if (!st) {
			return 0;
		}
		return http_body(s, wsi, st, in, len);
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (!st || st->phase != HP_BODY || st->chunked) {
			return 0;
		}
		return body_done(s, wsi, st);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (!st || st->phase != HP_ANSWER) {
			return 0;
		}
		return http_writeable(wsi, c, st);
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		if (c && c->rare) {
			state_free(c->rare->http);
			c->rare->http = NULL;
			push_conn_rare_free(c);
		}
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, c, in, len);
	}
}
