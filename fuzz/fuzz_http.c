/*
 * libFuzzer target for the HTTP API's protocol layer, ext/core/http/http_parse.c,
 * linked alone (no server, no socket, no libwebsockets glue).
 *
 * Input: byte 0 picks the endpoint and the method, byte 1 the configuration
 * and whether the right Bearer secret is sent; the rest is
 * "query\nauthorization\nbody".
 *
 * Checks, for every input:
 * 1. routing, admission and validation either refuse with an answer of a
 *    known status and a JSON body saying "ok":false, or give an action whose
 *    fields hold what the endpoint needs (uids present and non-empty, the
 *    message within max_message_out, a kick reason that fits a close frame,
 *    a page size within bounds, connection ids of at least 1);
 * 2. a request admitted to a protected endpoint carried the secret;
 * 3. the chunked-body decoder gives the same result whether the bytes come in
 *    one piece or two;
 * 4. any bytes written as a JSON string read back the same.
 */

#include "http_parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SECRET "fuzz-secret"

/* The configuration the parser reads. */
typedef struct push_server_cfg {
	push_config cfg;
} push_server_cfg;

/* ------------------------------------------------------------- checks -- */

/* Every line of /metrics is a comment or "name{labels} value". */
static void check_metrics(const char *p, size_t len)
{
	size_t i = 0;

	if (!len || p[len - 1] != '\n') {
		abort();
	}
	while (i < len) {
		const char *line = p + i, *nl = memchr(line, '\n', len - i);
		size_t n = (size_t)(nl - line), j = 0;

		i += n + 1;
		if (n && line[0] == '#') {
			continue;
		}
		if (!n || !(line[0] == '_' || (line[0] | 0x20) >= 'a')) {
			abort();
		}
		while (j < n && line[j] != ' ' && line[j] != '{') {
			j++;
		}
		if (j < n && line[j] == '{') {
			while (j < n && line[j] != '}') {
				j++;
			}
			j++;
		}
		if (j >= n || line[j] != ' ' || j + 1 == n) {
			abort();
		}
		for (j++; j < n; j++) {
			if (line[j] < '0' || line[j] > '9') {
				abort();
			}
		}
	}
}

static void check_answer(const http_answer *a)
{
	const char *body = push_buf_data(&a->body);
	json_tokener *tok;
	json_object *root, *ok;

	switch (a->status) {
	case 200: case 400: case 401: case 403: case 404: case 405: case 409: case 413: case 503:
		break;
	default:
		abort();
	}
	if (!body || !a->body.len) {
		abort();
	}
	if (strcmp(a->type, METRICS_CT) == 0) {
		check_metrics(body, a->body.len);
		return;
	}
	if (strcmp(a->type, JSON_CT) != 0) {
		if (a->body.len != 2 || memcmp(body, "ok", 2) != 0) {
			abort();
		}
		return;
	}
	tok = json_tokener_new();
	root = json_tokener_parse_ex(tok, body, (int)a->body.len);
	if (json_tokener_get_error(tok) != json_tokener_success || json_tokener_get_parse_end(tok) != a->body.len) {
		abort();
	}
	json_tokener_free(tok);
	if (!json_object_is_type(root, json_type_object) || !json_object_object_get_ex(root, "ok", &ok)
			|| !json_object_is_type(ok, json_type_boolean)
			|| json_object_get_boolean(ok) != (a->status == 200)) {
		abort();
	}
	if (a->status != 200 && !json_object_object_get_ex(root, "error", NULL)) {
		abort();
	}
	json_object_put(root);
}

/* Splits "n1=v1&n2&..." into arguments (in place; no percent-decoding, libwebsockets does that). */
static size_t split_args(char *q, http_arg *args, size_t cap)
{
	size_t n = 0;
	char *p = q;

	while (*q && n < cap) {
		char *amp = strchr(p, '&'), *eq;

		if (amp) {
			*amp = '\0';
		}
		eq = strchr(p, '=');
		args[n].name = p;
		if (eq) {
			*eq = '\0';
			args[n].value = eq + 1;
		} else {
			args[n].value = p + strlen(p);
		}
		args[n].value_len = strlen(args[n].value);
		n++;
		if (!amp) {
			break;
		}
		p = amp + 1;
	}
	return n;
}

/* Property 3: one piece or two, the decoder agrees. */
static void check_chunked(const uint8_t *data, size_t size, size_t cut)
{
	http_state one, two;
	int r1, r2;

	memset(&one, 0, sizeof(one));
	memset(&two, 0, sizeof(two));
	one.limit = two.limit = 4096;
	r1 = push_http_chunk_feed(&one, data, size);
	r2 = push_http_chunk_feed(&two, data, cut);
	if (r2 == 0) {
		r2 = push_http_chunk_feed(&two, data + cut, size - cut);
	}
	if (r1 != r2 || (r1 == 1 && (one.body.len != two.body.len
			|| (one.body.len && memcmp(push_buf_data(&one.body), push_buf_data(&two.body), one.body.len) != 0)))) {
		abort();
	}
	if (one.body.len > size || one.body.len > one.limit) {
		abort();
	}
	push_buf_free(&one.body);
	push_buf_free(&two.body);
}

/*
 * Property 4: bytes -> JSON string -> bytes when they are UTF-8; otherwise
 * still a valid JSON string, of UTF-8 (what is not came out as U+FFFD).
 */
static void check_json_string(const uint8_t *data, size_t size)
{
	push_buf b;
	json_tokener *tok = json_tokener_new();
	json_object *v;

	push_buf_init(&b, 0);
	push_buf_json_str(&b, (const char *)data, size);
	if (!push_utf8_valid(push_buf_data(&b), b.len)) {
		abort();
	}
	v = json_tokener_parse_ex(tok, push_buf_data(&b), (int)b.len);
	if (!v || !json_object_is_type(v, json_type_string)) {
		abort();
	}
	if (push_utf8_valid((const char *)data, size) && ((size_t)json_object_get_string_len(v) != size
			|| memcmp(json_object_get_string(v), data, size) != 0)) {
		abort();
	}
	if (!push_utf8_valid(json_object_get_string(v), (size_t)json_object_get_string_len(v))) {
		abort();
	}
	json_object_put(v);
	json_tokener_free(tok);
	push_buf_free(&b);
}

/* Property 1 for an admitted request: refused with an answer, or an action the endpoint can run. */
static void check_parse(push_server_cfg *s, const http_endpoint *ep, const http_request *rq, http_answer *a)
{
	http_action act;
	size_t i;

	memset(&act, 0, sizeof(act));
	if (push_http_parse(&s->cfg, ep, rq, &act, a) != 0) {
		if (a->status < 400 || a->status >= 600) {
			abort();
		}
		push_http_action_free(&act);
		return;
	}
	if (act.ep != ep) {
		abort();
	}
	switch (ep->kind) {
	case HK_PUSH:
	case HK_KICK:
	case HK_ONLINE:
	case HK_UID_GROUPS:
	case HK_GROUP_JOIN:
	case HK_GROUP_LEAVE:
		if (!act.nuids || !act.uids) {
			abort();
		}
		for (i = 0; i < act.nuids; i++) {
			if (!act.uids[i].len || !act.uids[i].p) {
				abort();
			}
		}
		break;
	case HK_UIDS:
		if (act.limit < 1 || act.limit > HTTP_UIDS_MAX) {
			abort();
		}
		break;
	default:
		break;
	}
	if ((ep->kind == HK_PUSH || ep->kind == HK_BROADCAST || ep->kind == HK_GROUP_SEND)
			&& (!act.msg.p || act.msg.len > s->cfg.max_msg_out)) {
		abort();
	}
	if (ep->kind == HK_KICK && act.reason.len > HTTP_REASON_MAX) {
		abort();
	}
	if ((ep->kind == HK_GROUP_SEND || ep->kind == HK_GROUP_JOIN || ep->kind == HK_GROUP_LEAVE || ep->kind == HK_GROUP)
			&& !act.group.len) {
		abort();
	}
	for (i = 0; i < act.ex.ex.nconns; i++) {
		if (act.ex.ex.conn_ids[i] < 1) {
			abort();
		}
	}
	/* what the front end answers on success, for check_answer */
	push_http_answer_reset(a, 200, JSON_CT);
	push_buf_puts(hb(&a->body), "{\"ok\":true}");
	push_http_action_free(&act);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int method_ids[] = { HM_GET, HM_HEAD, HM_POST, HM_OTHER };
	size_t nep = PUSH_HTTP_NENDPOINTS;
	static push_server_cfg *s;
	http_arg args[16];
	http_answer a;
	http_request rq;
	const http_endpoint *ep;
	char *copy, *query, *auth, *body;
	size_t body_len;
	int method;

	if (!s) {
		s = calloc(1, sizeof(*s));
		s->cfg.max_msg_out = 256;
	}
	if (size < 2) {
		return 0;
	}
	s->cfg.api_secret = (data[1] & 2) ? (unsigned char *)SECRET : NULL;
	s->cfg.api_secret_len = (data[1] & 2) ? sizeof(SECRET) - 1 : 0;
	s->cfg.secret = (data[1] & 4) ? (unsigned char *)SECRET : NULL;
	s->cfg.secret_len = (data[1] & 4) ? sizeof(SECRET) - 1 : 0;
	s->cfg.metrics_public = (data[1] & 8) != 0;
	method = method_ids[(data[0] >> 5) & 3];

	/* "query\nauthorization\nbody", NUL-terminated pieces (libwebsockets never passes NUL in them) */
	copy = malloc(size - 2 + 1);
	memcpy(copy, data + 2, size - 2);
	copy[size - 2] = '\0';
	query = copy;
	auth = memchr(copy, '\n', size - 2);
	if (auth) {
		*auth++ = '\0';
		body = memchr(auth, '\n', size - 2 - (size_t)(auth - copy));
		if (body) {
			*body++ = '\0';
		}
	} else {
		auth = copy + size - 2;
		body = NULL;
	}
	body_len = body ? size - 2 - (size_t)(body - copy) : 0;
	if (data[1] & 1) {
		auth = "Bearer " SECRET;
	}

	memset(&a, 0, sizeof(a));
	memset(&rq, 0, sizeof(rq));
	ep = (data[0] & 31) % (nep + 1) < nep ? &push_http_endpoints[(data[0] & 31) % (nep + 1)] : push_http_route("/x", 2);
	if (ep && push_http_route(ep->path, strlen(ep->path)) != ep) {
		abort();
	}
	if (!ep) {
		push_http_answer_error(&a, 404, "not found");
	} else if (push_http_admit(&s->cfg, ep, method, auth, strlen(auth), &a) == 0) {
		/* property 2 */
		if (ep->auth == HA_BEARER || (ep->auth == HA_METRICS && !s->cfg.metrics_public)) {
			if (!s->cfg.api_secret && !s->cfg.secret) {
				abort();
			}
			if (!strstr(auth, SECRET)) {
				abort();
			}
		}
		rq.args = args;
		rq.nargs = split_args(query, args, sizeof(args) / sizeof(args[0]));
		rq.body = body;
		rq.body_len = body_len;
		check_parse(s, ep, &rq, &a);
	}
	if (push_http_answer_check(&a) != 0) {
		abort();
	}
	check_answer(&a);
	push_buf_free(&a.body);
	free(copy);

	check_chunked(data, size, data[0] % (size + 1));
	check_json_string(data, size);
	return 0;
}
