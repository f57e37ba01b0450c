/*
 * http_parse.c - protocol layer: routing, admission and validation of HTTP
 * API requests, and the chunked body decoder (http_parse.h). No socket, no
 * server: fuzz/fuzz_http.c runs this file alone.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_parse.h"
#include "sha256.h"

const http_endpoint push_http_endpoints[] = {
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
typedef char push_http_nendpoints_ok[sizeof(push_http_endpoints) / sizeof(push_http_endpoints[0]) == PUSH_HTTP_NENDPOINTS ? 1 : -1];

void push_http_answer_reset(http_answer *a, int status, const char *type)
{
	a->status = status;
	a->type = type;
	a->body.len = 0;
}

void push_http_answer_verror(http_answer *a, int status, const char *open, const char *fmt, va_list ap)
{
	char msg[512];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);

	if (n < 0) {
		n = 0;
		msg[0] = '\0';
	}
	push_http_answer_reset(a, status, JSON_CT);
	push_buf_puts(hb(&a->body), open);
	push_buf_json_str(hb(&a->body), msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	push_buf_puts(hb(&a->body), "}");
}

void push_http_answer_error(http_answer *a, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	push_http_answer_verror(a, status, "{\"ok\":false,\"error\":", fmt, ap);
	va_end(ap);
}

void push_http_answer_count(http_answer *a, size_t n)
{
	push_http_answer_reset(a, 200, JSON_CT);
	push_buf_printf(hb(&a->body), "{\"ok\":true,\"count\":%zu}", n);
}

/* Turns an answer whose body could not be built into a short 500; -1 if even that fails. */
int push_http_answer_check(http_answer *a)
{
	static const char oom[] = "{\"ok\":false,\"error\":\"out of memory\"}";

	if (!a->body.failed && a->status) {
		return 0;
	}
	push_buf_free(&a->body);
	a->status = 500;
	a->type = JSON_CT;
	a->allow = NULL;
	a->challenge = 0;
	a->close = 1;
	push_buf_put(hb(&a->body), oom, sizeof(oom) - 1);
	return a->body.failed ? -1 : 0;
}

const http_endpoint *push_http_route(const char *path, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(push_http_endpoints) / sizeof(push_http_endpoints[0]); i++) {
		const char *p = push_http_endpoints[i].path;

		if (strlen(p) == len && memcmp(p, path, len) == 0) {
			return &push_http_endpoints[i];
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
int push_http_admit(const push_config *cfg, const http_endpoint *ep, int method, const char *auth,
		size_t auth_len, http_answer *a)
{
	const unsigned char *secret = cfg->api_secret ? cfg->api_secret : cfg->secret;
	size_t secret_len = cfg->api_secret ? cfg->api_secret_len : cfg->secret_len;

	if (ep->post ? method != HM_POST : (method != HM_GET && method != HM_HEAD)) {
		push_http_answer_error(a, 405, "method not allowed: use %s", ep->post ? "POST" : "GET");
		a->allow = ep->post ? "POST" : "GET, HEAD";
		return -1;
	}
	if (ep->auth == HA_NONE || (ep->auth == HA_METRICS && cfg->metrics_public)) {
		return 0;
	}
	if (!secret || !secret_len) {
		push_http_answer_error(a, 403, "HTTP API disabled: set the api_secret option");
		return -1;
	}
	if (!auth || !bearer_ok(secret, secret_len, auth, auth_len)) {
		push_http_answer_error(a, 401, "unauthorized");
		a->challenge = 1;
		return -1;
	}
	return 0;
}

size_t push_http_body_limit(const push_config *cfg)
{
	return (size_t)cfg->max_msg_out + HTTP_BODY_SLACK;
}

void push_http_action_free(http_action *act)
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
		push_http_answer_error(a, 400, "missing query argument \"%s\"", name);
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
			push_http_answer_error(a, 400, "query argument \"%s\" must be an integer from 0 to %llu", name,
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
static int body_object(const push_config *cfg, const http_request *rq, http_action *act, http_answer *a)
{
	enum json_tokener_error je;
	json_tokener *tok;
	json_object *root;
	size_t off;

	if (!rq->body_len) {
		push_http_answer_error(a, 400, "empty request body: expected a JSON object");
		return -1;
	}
	if (!cfg->invalid_utf8_binary && !push_utf8_valid(rq->body, rq->body_len)) {
		push_http_answer_error(a, 400, "request body is not UTF-8");
		return -1;
	}
	off = 0;
	while (off < rq->body_len && json_blank(rq->body[off])) {
		off++;
	}
	if (off == rq->body_len || rq->body[off] != '{') {
		push_http_answer_error(a, 400, "request body must be a JSON object");
		return -1;
	}
	if (rq->body_len > INT32_MAX || !(tok = json_tokener_new_ex(HTTP_JSON_DEPTH))) {
		push_http_answer_error(a, 500, "out of memory");
		return -1;
	}
	errno = 0;
	root = json_tokener_parse_ex(tok, rq->body, (int)rq->body_len);
	act->overflowed = errno == ERANGE;
	je = json_tokener_get_error(tok);
	off = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (je == json_tokener_continue) {
		push_http_answer_error(a, 400, "invalid JSON: unexpected end of input");
		return -1;
	}
	if (!root || je != json_tokener_success) {
		if (root) {
			json_object_put(root);
		}
		push_http_answer_error(a, 400, "invalid JSON: %s", json_tokener_error_desc(je));
		return -1;
	}
	act->root = root;
	for (; off < rq->body_len; off++) {
		if (!json_blank(rq->body[off])) {
			push_http_answer_error(a, 400, "invalid JSON: trailing characters after the object");
			return -1;
		}
	}
	if (!push_json_numbers_ok(rq->body, rq->body_len)) {
		push_http_answer_error(a, 400, "%s", PUSH_ERR_JSON_NUMBER);
		return -1;
	}
	if (!json_object_is_type(root, json_type_object)) {
		push_http_answer_error(a, 400, "request body must be a JSON object");
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
		push_http_answer_error(a, 400, "missing \"%s\"", name);
		return -1;
	}
	if (json_object_is_type(v, json_type_string)) {
		p = json_object_get_string(v);
		len = (size_t)json_object_get_string_len(v);
	} else if (json_object_is_type(v, json_type_int)) {
		p = json_object_to_json_string_length(v, JSON_C_TO_STRING_PLAIN, &len);
	} else {
		push_http_answer_error(a, 400, "\"%s\" must be a string or an integer", name);
		return -1;
	}
	if (!len) {
		push_http_answer_error(a, 400, "\"%s\" must not be empty", name);
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
		push_http_answer_error(a, 400, "missing \"uid\"");
		return -1;
	}
	if (push_json_uids_ex(v, act->overflowed, &act->uids, &act->nuids, &act->uid_one, &err) != 0) {
		push_http_answer_error(a, 400, "%s", err ? err : "invalid \"uid\"");
		return -1;
	}
	return 0;
}

/* "msg": a string goes as it is, anything else as compact JSON; at most max_msg_out bytes. */
static int field_msg(const push_config *cfg, http_action *act, http_answer *a)
{
	json_object *v;

	if (!json_object_object_get_ex(act->root, "msg", &v)) {
		push_http_answer_error(a, 400, "missing \"msg\"");
		return -1;
	}
	act->msg.p = push_json_compact(v, &act->msg.len);
	if (!act->msg.p) {
		push_http_answer_error(a, 500, "out of memory");
		return -1;
	}
	if (act->msg.len > cfg->max_msg_out) {
		push_http_answer_error(a, 413, "message too large (limit %u bytes)", cfg->max_msg_out);
		return -1;
	}
	return 0;
}

/* "exclude_uids" and "exclude_connections", both optional (exclude.h). */
static int field_excludes(http_action *act, http_answer *a)
{
	const char *err = "invalid exclusions";

	if (push_exclude_parse(act->root, act->overflowed, &act->ex, &err) != 0) {
		push_http_answer_error(a, strcmp(err, "out of memory") ? 400 : 500, "%s", err);
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
		push_http_answer_error(a, 400, "\"reason\" must be a string");
		return -1;
	}
	act->reason.p = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (memchr(act->reason.p, '\0', len)) {
		push_http_answer_error(a, 400, "\"reason\" must not contain NUL");
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
 * push_http_action_free() either way.
 */
int push_http_parse(const push_config *cfg, const http_endpoint *ep, const http_request *rq, http_action *act,
		http_answer *a)
{
	uint64_t v;
	int rc;

	memset(act, 0, sizeof(*act));
	act->ep = ep;
	if (ep->post && body_object(cfg, rq, act, a) != 0) {
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
			push_http_answer_error(a, 400, "query argument \"limit\" must be an integer from 1 to %d", HTTP_UIDS_MAX);
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
int push_http_chunk_feed(http_state *st, const unsigned char *p, size_t n)
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
			push_buf_put(hb(&st->body), p, take);
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
