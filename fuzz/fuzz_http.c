/*
 * libFuzzer target for the socket-free layer of ext/core/http.c (included
 * whole, so its static functions are reachable; the libwebsockets glue is
 * compiled but never called).
 *
 * Input: byte 0 picks the endpoint and the method, byte 1 the configuration
 * and whether the right Bearer secret is sent; the rest is
 * "query\nauthorization\nbody". The server is a small fake (below) with a few
 * uids online and one group, so every endpoint reaches its success paths.
 *
 * Checks, for every input:
 * 1. routing, admission, validation and the action give an answer with a
 *    known status and a body; JSON answers parse and say "ok" exactly when
 *    the status is 200; /metrics is well-formed exposition text;
 * 2. a request admitted to a protected endpoint carried the secret;
 * 3. the chunked-body decoder gives the same result whether the bytes come in
 *    one piece or two;
 * 4. any bytes written as a JSON string read back the same.
 */
#define _GNU_SOURCE

#include "http.c"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SECRET "fuzz-secret"

/* ----------------------------------------------------- the fake server -- */

/* An online uid of the fake server. */
typedef struct fake_uid {
	const char *name;          /* uid */
	size_t conns;              /* its connections */
	int in_g;                  /* member of group "g" */
} fake_uid;

static fake_uid fake_uids[] = {
	{ "a", 2, 1 },
	{ "b", 1, 1 },
	{ "42", 1, 0 },
	{ "é\"\\\n", 1, 0 },
};
#define NFAKE (sizeof(fake_uids) / sizeof(fake_uids[0]))

static fake_uid *fake_find(const char *uid, size_t len)
{
	size_t i;

	for (i = 0; i < NFAKE; i++) {
		if (strlen(fake_uids[i].name) == len && memcmp(fake_uids[i].name, uid, len) == 0) {
			return &fake_uids[i];
		}
	}
	return NULL;
}

static int is_g(const char *g, size_t glen)
{
	return glen == 1 && g[0] == 'g';
}

const push_stats *push_server_stats(push_server *s)
{
	return &s->stats;
}

size_t push_server_stats_json(push_server *s, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "{\"ok\":true,\"pushes\":%llu}", (unsigned long long)s->stats.pushes);

	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

size_t push_server_send_uid(push_server *s, const char *uid, size_t len, const char *msg, size_t mlen)
{
	fake_uid *u = fake_find(uid, len);

	(void)s;
	(void)msg;
	(void)mlen;
	return u ? u->conns : 0;
}

size_t push_server_broadcast_ex(push_server *s, const char *msg, size_t mlen, const push_exclude *ex)
{
	(void)s;
	(void)msg;
	(void)mlen;
	if (ex && !ex->nuids && !ex->nconns) {
		abort();     /* http.c passes NULL rather than an empty exclusion */
	}
	return 5;
}

size_t push_server_send_group(push_server *s, const char *g, size_t glen, const char *msg, size_t mlen,
		const push_exclude *ex)
{
	(void)s;
	(void)msg;
	(void)mlen;
	(void)ex;
	return is_g(g, glen) ? 3 : 0;
}

static int fake_member(const char *g, size_t glen, const char *uid, size_t ulen, int join)
{
	fake_uid *u = fake_find(uid, ulen);
	int was;

	if (!u || glen == 0 || glen > 256) {
		return -1;
	}
	if (!is_g(g, glen)) {
		return join;
	}
	was = u->in_g;
	u->in_g = join;
	return was != join;
}

int push_server_group_join_uid(push_server *s, const char *g, size_t glen, const char *uid, size_t ulen)
{
	(void)s;
	return fake_member(g, glen, uid, ulen, 1);
}

int push_server_group_leave_uid(push_server *s, const char *g, size_t glen, const char *uid, size_t ulen)
{
	(void)s;
	return fake_member(g, glen, uid, ulen, 0);
}

size_t push_server_uid_count(push_server *s, const char *uid, size_t len)
{
	fake_uid *u = fake_find(uid, len);

	(void)s;
	return u ? u->conns : 0;
}

size_t push_server_kick_uid(push_server *s, const char *uid, size_t len, int code, const char *reason)
{
	(void)s;
	if (code != PUSH_CLOSE_KICKED || strlen(reason) > HTTP_REASON_MAX) {
		abort();
	}
	return push_server_uid_count(s, uid, len);
}

uint64_t push_server_uids_page(push_server *s, uint64_t cursor, size_t limit,
		void (*fn)(const char *uid, size_t len, void *arg), void *arg)
{
	size_t i;

	(void)s;
	if (limit < 1 || limit > HTTP_UIDS_MAX) {
		abort();
	}
	for (i = 0; i < limit && cursor + i < NFAKE; i++) {
		fn(fake_uids[cursor + i].name, strlen(fake_uids[cursor + i].name), arg);
	}
	return cursor + i < NFAKE ? cursor + i : 0;
}

uint64_t push_server_all_uid_count(push_server *s)
{
	(void)s;
	return NFAKE;
}

size_t push_server_group_count(push_server *s, const char *g, size_t glen)
{
	size_t i, n = 0;

	(void)s;
	for (i = 0; i < NFAKE && is_g(g, glen); i++) {
		n += fake_uids[i].in_g ? fake_uids[i].conns : 0;
	}
	return n;
}

size_t push_server_group_uids(push_server *s, const char *g, size_t glen,
		void (*fn)(const char *uid, size_t len, void *arg), void *arg)
{
	size_t i, n = 0;

	(void)s;
	for (i = 0; i < NFAKE && is_g(g, glen); i++) {
		if (fake_uids[i].in_g) {
			fn(fake_uids[i].name, strlen(fake_uids[i].name), arg);
			n++;
		}
	}
	return n;
}

size_t push_server_uid_groups(push_server *s, const char *uid, size_t ulen,
		void (*fn)(const char *g, size_t len, void *arg), void *arg)
{
	fake_uid *u = fake_find(uid, ulen);

	(void)s;
	if (u && u->in_g) {
		fn("g", 1, arg);
		return 1;
	}
	return 0;
}

size_t push_server_group_total(push_server *s)
{
	return push_server_group_count(s, "g", 1) ? 1 : 0;
}

int push_cluster_connected(push_cluster *c)
{
	(void)c;
	return 1;
}

/* frees the per-connection state of http.c's libwebsockets callback, which this target does not drive */
void push_conn_rare_free(push_conn *c)
{
	free(c->rare);
	c->rare = NULL;
}

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
	const char *body = hb_data(&a->body);
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
	r1 = chunk_feed(&one, data, size);
	r2 = chunk_feed(&two, data, cut);
	if (r2 == 0) {
		r2 = chunk_feed(&two, data + cut, size - cut);
	}
	if (r1 != r2 || (r1 == 1 && (one.body.len != two.body.len
			|| (one.body.len && memcmp(hb_data(&one.body), hb_data(&two.body), one.body.len) != 0)))) {
		abort();
	}
	if (one.body.len > size || one.body.len > one.limit) {
		abort();
	}
	hb_free(&one.body);
	hb_free(&two.body);
}

/* Property 4: bytes -> JSON string -> bytes. */
static void check_json_string(const uint8_t *data, size_t size)
{
	http_buf b;
	json_tokener *tok = json_tokener_new();
	json_object *v;

	memset(&b, 0, sizeof(b));
	hb_json_str(&b, (const char *)data, size);
	v = json_tokener_parse_ex(tok, hb_data(&b), (int)b.len);
	if (!v || !json_object_is_type(v, json_type_string) || (size_t)json_object_get_string_len(v) != size
			|| memcmp(json_object_get_string(v), data, size) != 0) {
		abort();
	}
	json_object_put(v);
	json_tokener_free(tok);
	hb_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int method_ids[] = { HM_GET, HM_HEAD, HM_POST, HM_OTHER };
	size_t nep = sizeof(http_endpoints) / sizeof(http_endpoints[0]);
	static push_server *s;
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
	ep = (data[0] & 31) % (nep + 1) < nep ? &http_endpoints[(data[0] & 31) % (nep + 1)] : http_route("/x", 2);
	if (ep && http_route(ep->path, strlen(ep->path)) != ep) {
		abort();
	}
	if (!ep) {
		answer_error(&a, 404, "not found");
	} else if (http_admit(&s->cfg, ep, method, auth, strlen(auth), &a) == 0) {
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
		http_process(s, ep, &rq, &a);
	}
	if (answer_check(&a) != 0) {
		abort();
	}
	check_answer(&a);
	hb_free(&a.body);
	free(copy);

	check_chunked(data, size, data[0] % (size + 1));
	check_json_string(data, size);
	return 0;
}
