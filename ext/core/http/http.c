/*
 * http.c - plain HTTP on the WebSocket port: a JSON API for backends (push,
 * broadcast, groups, presence, kick, stats), Prometheus /metrics and /healthz.
 *
 * Two layers. The lower one never sees a socket: push_http_route() finds the
 * endpoint, push_http_admit() checks the method and the Bearer secret,
 * push_http_parse() turns the query and the JSON body into an http_action and
 * http_run() performs it on the server; each fills an http_answer. The upper
 * one, push_http_callback(), is the libwebsockets glue: it collects the
 * request body (Content-Length or chunked, split over any number of reads,
 * bounded by max_message_out + 64 KiB) in the per-request state kept in
 * push_conn.http, and writes the answer from LWS_CALLBACK_HTTP_WRITEABLE, in
 * pieces, before handing the connection back for the next request. A request
 * the Pusher role claims (below /apps/ when Pusher apps are configured) is
 * handed to it at one point, push_pusher_http_role(): it admits the request
 * by its own signature, bounds the body and answers (pusher/pusher_http.c).
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

#include "http_parse.h"
#include "pusher_http.h"
#include "url.h"
#include "registry.h"
#include "server_int.h"
#include "conn.h"
#include "route.h"
#include "metrics.h"
#include "http.h"
#include "sha256.h"

#define MARK_NONE          0              /* pipelining mark: no answer yet on this connection */
#define MARK_UNKNOWN       1              /* ... answered, but the read count is unknown */
#define MARK_BASE          2              /* ... answered after this many bytes read, minus MARK_BASE */

/* Collects names into a JSON list. */
typedef struct name_list {
	push_buf *b;               /* where the list goes */
	size_t n;                  /* names so far */
} name_list;

static void name_add(const char *name, size_t len, void *arg)
{
	name_list *l = arg;

	if (l->n++) {
		push_buf_put(hb(l->b), ",", 1);
	}
	push_buf_json_str(hb(l->b), name, len);
}


static void run_group_member(push_server *s, http_action *act, http_answer *a, int join)
{
	size_t i, offline = 0;
	int changed = 0;

	for (i = 0; i < act->nuids; i++) {
		const push_str *u = &act->uids[i];
		int rc = join ? push_route_group_join_uid(s, act->group.p, act->group.len, u->p, u->len)
				: push_route_group_leave_uid(s, act->group.p, act->group.len, u->p, u->len);

		if (rc > 0) {
			changed = 1;
		} else if (rc < 0) {
			if (push_route_uid_count(s, u->p, u->len)) {
				push_http_answer_error(a, 400, "invalid \"group\"");
				return;
			}
			offline++;
		}
	}
	if (offline == act->nuids) {
		push_http_answer_error(a, 409, "uid is not online");
		return;
	}
	push_http_answer_reset(a, 200, JSON_CT);
	push_buf_printf(hb(&a->body), "{\"ok\":true,\"changed\":%s}", changed ? "true" : "false");
}

/*
 * The answer of a send or kick: its count, "queued" when history kept it for
 * an offline uid, and 503 with the count of this node's connections that did
 * get it when Redis could not take it for the other nodes.
 */
static void answer_result(http_answer *a, push_result r)
{
	if (r.cluster_fail) {
		push_http_answer_reset(a, 503, JSON_CT);
		push_buf_printf(hb(&a->body), "{\"ok\":false,\"error\":\"%s\",\"count\":%zu}", PUSH_HTTP_CLUSTER_ERROR, r.count);
	} else if (!r.count && r.queued) {
		push_http_answer_reset(a, 200, JSON_CT);
		push_buf_puts(hb(&a->body), "{\"ok\":true,\"count\":0,\"queued\":true}");
	} else {
		push_http_answer_count(a, r.count);
	}
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
		push_http_answer_reset(a, 200, "text/plain");
		push_buf_puts(hb(&a->body), "ok");
		break;
	case HK_METRICS:
		push_http_metrics(s, a);
		break;
	case HK_STATS: {
		char *buf = malloc(HTTP_STATS_MAX);

		if (!buf) {
			push_http_answer_error(a, 500, "out of memory");
			break;
		}
		n = push_stats_json(s, buf, HTTP_STATS_MAX);
		push_http_answer_reset(a, 200, JSON_CT);
		push_buf_put(hb(&a->body), buf, n);
		free(buf);
		break;
	}
	case HK_PUSH:
		s->stats.pushes++;
		answer_result(a, push_route_send_uids(s, act->uids, act->nuids, act->msg.p, act->msg.len));
		break;
	case HK_BROADCAST:
		s->stats.pushes++;
		answer_result(a, push_route_broadcast(s, act->msg.p, act->msg.len, ex.nuids || ex.nconns ? &ex : NULL));
		break;
	case HK_GROUP_SEND:
		s->stats.pushes++;
		answer_result(a, push_route_send_group(s, act->group.p, act->group.len, act->msg.p, act->msg.len,
				ex.nuids || ex.nconns ? &ex : NULL));
		break;
	case HK_GROUP_JOIN:
	case HK_GROUP_LEAVE:
		run_group_member(s, act, a, act->ep->kind == HK_GROUP_JOIN);
		break;
	case HK_KICK: {
		char reason[HTTP_REASON_MAX + 1];
		push_result r = {0};

		memcpy(reason, act->reason.p, act->reason.len);
		reason[act->reason.len] = '\0';
		for (i = 0; i < act->nuids; i++) {
			push_result one = push_route_kick(s, act->uids[i].p, act->uids[i].len, PUSH_CLOSE_KICKED, reason);

			r.count += one.count;
			r.cluster_fail |= one.cluster_fail;
		}
		answer_result(a, r);
		break;
	}
	case HK_ONLINE:
		n = push_route_uid_count(s, act->uids[0].p, act->uids[0].len);
		push_http_answer_reset(a, 200, JSON_CT);
		push_buf_printf(hb(&a->body), "{\"ok\":true,\"online\":%s,\"count\":%zu}", n ? "true" : "false", n);
		break;
	case HK_UIDS:
		push_http_answer_reset(a, 200, JSON_CT);
		push_buf_puts(hb(&a->body), "{\"ok\":true,\"uids\":[");
		next = push_route_uids_page(s, act->cursor, act->limit, name_add, &l);
		if (next) {
			push_buf_printf(hb(&a->body), "],\"next\":%llu", (unsigned long long)next);
		} else {
			push_buf_puts(hb(&a->body), "],\"next\":null");
		}
		push_buf_printf(hb(&a->body), ",\"total\":%llu}", (unsigned long long)push_route_all_uid_count(s));
		break;
	case HK_GROUP:
		push_http_answer_reset(a, 200, JSON_CT);
		push_buf_printf(hb(&a->body), "{\"ok\":true,\"count\":%zu,\"uids\":[",
				push_route_group_count(s, act->group.p, act->group.len));
		push_route_group_uids(s, act->group.p, act->group.len, name_add, &l);
		push_buf_puts(hb(&a->body), "]}");
		break;
	case HK_UID_GROUPS:
		push_http_answer_reset(a, 200, JSON_CT);
		push_buf_puts(hb(&a->body), "{\"ok\":true,\"groups\":[");
		push_route_uid_groups(s, act->uids[0].p, act->uids[0].len, name_add, &l);
		push_buf_puts(hb(&a->body), "]}");
		break;
	default:
		push_http_answer_error(a, 404, "not found");
		break;
	}
}

/* The group and uids of a request are names the routing layer takes; 0 with a 400 answer if not. */
static int http_names_ok(const http_action *act, http_answer *a)
{
	const char *err;
	size_t i;

	if (act->group.p && (err = push_route_group_name_error(act->group.p, act->group.len)) != NULL) {
		push_http_answer_error(a, 400, "\"group\" %s", err);
		return 0;
	}
	for (i = 0; i < act->nuids; i++) {
		if ((err = push_route_uid_error(act->uids[i].p, act->uids[i].len)) != NULL) {
			push_http_answer_error(a, 400, "\"uid\" %s", err);
			return 0;
		}
	}
	return 1;
}

/* Validates and runs a request for an admitted endpoint. */
static void http_process(push_server *s, const http_endpoint *ep, const http_request *rq, http_answer *a)
{
	http_action act;

	if (push_http_parse(&s->cfg, ep, rq, &act, a) == 0) {
		if (http_names_ok(&act, a)) {
			http_run(s, &act, a);
		}
	} else if (a->status == 413) {
		s->stats.refused_msg_out++;
	}
	push_http_action_free(&act);
}

static void state_free(http_state *st)
{
	if (!st) {
		return;
	}
	push_buf_free(&st->body);
	push_buf_free(&st->ans.body);
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

/*
 * A role (the Pusher API) signs the path and query as the client built them, but
 * libwebsockets keeps both decoded and split at '&' and ';' (in the path too,
 * where the callback sees only the first piece). The path's pieces are joined
 * again with ';', the one of the two a channel name may hold, and the query's
 * encoded again, which pusher_sign.c decodes to the same bytes: args_mem holds
 * "path\0query\0". A '&' in a path, or a ';' in a value sent unencoded, fails
 * the signature (the SDKs that encode values send %3B).
 */
static int raw_capture(struct lws *wsi, http_state *st, const char *uri, size_t uri_len)
{
	static const enum lws_token_indexes tok[] = { WSI_TOKEN_GET_URI, WSI_TOKEN_POST_URI, WSI_TOKEN_HEAD_URI,
#if defined(LWS_ROLE_H2)
		WSI_TOKEN_HTTP_COLON_PATH,
#endif
	};
	size_t need = uri_len + 2, off = 0, i, t = 0, nt = sizeof(tok) / sizeof(tok[0]);
	int n, f;
	char *m;

	while (t < nt && lws_hdr_total_length(wsi, tok[t]) <= 0) {
		t++;
	}
	need += t < nt ? (size_t)lws_hdr_total_length(wsi, tok[t]) : 0;
	if (args_capture(wsi, st) != 0) {
		return -1;
	}
	for (i = 0; i < st->nargs; i++) {
		need += 3 * (strlen(st->args[i].name) + st->args[i].value_len) + 2;
	}
	if (!(m = malloc(need))) {
		return -1;
	}
	for (f = 0; t < nt && (n = lws_hdr_copy_fragment(wsi, m + off + !!f, (int)(need - off - 1), tok[t], f)) >= 0;
			f++) {
		if (f) {
			m[off++] = ';';
		}
		off += (size_t)n;
	}
	if (!f) {
		off = strnlen(uri, uri_len);
		memcpy(m, uri, off);
	}
	m[off++] = '\0';
	for (i = 0; i < st->nargs; i++) {
		if (i) {
			m[off++] = '&';
		}
		off += push_url_encode(st->args[i].name, strlen(st->args[i].name), m + off);
		m[off++] = '=';
		off += push_url_encode(st->args[i].value, st->args[i].value_len, m + off);
	}
	m[off] = '\0';
	free(st->args_mem);
	free(st->args);
	st->args = NULL;
	st->nargs = 0;
	st->args_mem = m;
	return 0;
}

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

static int http_writeable(struct lws *wsi, push_conn *c, http_state *st);

/* The answer is decided: write it now, or when the connection can take it. */
static int answer_ready(struct lws *wsi, http_state *st)
{
	push_conn *c = lws_wsi_user(wsi);

	if (push_http_answer_check(&st->ans) != 0) {
		return -1;
	}
	st->phase = HP_ANSWER;
	st->sent = 0;
	/*
	 * Over HTTP/1, an answer that fits one piece is written at once, and the
	 * transaction completes inside this callback: libwebsockets 4.3 reads
	 * pipelined bytes while a transaction is open (LRS_DOING_TRANSACTION),
	 * has no parser for that state ("lws_read_h1: Unhandled state") and
	 * drops the connection, so an answer left for WRITEABLE loses the
	 * requests behind it. 4.1 waits either way. Larger answers, and any
	 * behind bytes still buffered, go out from WRITEABLE.
	 */
	if (!st->h2 && c && c->rare && c->rare->http == st && !lws_partial_buffered(wsi)
			&& (st->method == HM_HEAD || st->ans.body.len <= HTTP_PIECE_H1)) {
		return http_writeable(wsi, c, st);
	}
	lws_callback_on_writable(wsi);
	return 0;
}

/* The whole body is in: validate and run. */
static int body_done(push_server *s, struct lws *wsi, http_state *st)
{
	http_request rq;

	if (st->role) {
		const char *path = st->args_mem, *query = path + strlen(path) + 1;

		st->role->run(s, st->method, path, strlen(path), query, strlen(query), push_buf_data(&st->body), st->body.len,
				&st->ans);
		push_buf_free(&st->body);
		return answer_ready(wsi, st);
	}
	memset(&rq, 0, sizeof(rq));
	rq.args = st->args;
	rq.nargs = st->nargs;
	rq.body = push_buf_data(&st->body);
	rq.body_len = st->body.len;
	http_process(s, st->ep, &rq, &st->ans);
	push_buf_free(&st->body);
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
	st->limit = push_http_body_limit(&s->cfg);
	st->method = (uint8_t)method_of(wsi);
#if defined(LWS_ROLE_H2)
	st->h2 = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_COLON_PATH) > 0;
#endif
	cl = content_length(wsi);
	st->cl = cl;
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
			push_http_answer_error(&st->ans, 400, "unsupported Transfer-Encoding (only chunked, without Content-Length)");
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
		push_http_answer_error(&st->ans, 400, "invalid Content-Length");
		st->ans.close = 1;
		return answer_ready(wsi, st);
	}
	/* HTTP/1 bodies libwebsockets cannot delimit: close after answering */
	if (!st->h2 && (st->chunked || (body_methods && cl < 0))) {
		st->ans.close = 1;
	}
	/* over HTTP/2, libwebsockets 4.1 never reports the end of a body of unknown length */
	if (st->h2 && body_methods && cl < 0) {
		push_http_answer_error(&st->ans, 411, "Content-Length required");
		st->ans.close = 1;
		return answer_ready(wsi, st);
	}

	if (s->stopping) {
		push_http_answer_error(&st->ans, 503, "server stopping");
		st->ans.close = 1;
		return answer_ready(wsi, st);
	}
	if ((st->role = push_pusher_http_role(s, uri, uri_len)) != NULL) {
		/* the Pusher HTTP API (/apps/...): admitted by its own signature, in the query */
		st->limit = st->role->body_limit(&s->cfg);
	} else {
		st->ep = push_http_route(uri, uri_len);
		if (!st->ep) {
			push_http_answer_error(&st->ans, 404, "not found");
			goto early;
		}
		alen = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
		if (alen <= 0 || alen > HTTP_AUTH_MAX
				|| lws_hdr_copy(wsi, auth, sizeof(auth), WSI_TOKEN_HTTP_AUTHORIZATION) < 0) {
			alen = -1;
		}
		if (push_http_admit(&s->cfg, st->ep, st->method, alen >= 0 ? auth : NULL, alen >= 0 ? (size_t)alen : 0,
				&st->ans) != 0) {
			push_secure_zero(auth, sizeof(auth));
			goto early;
		}
		push_secure_zero(auth, sizeof(auth));
	}
	if ((st->role ? raw_capture(wsi, st, uri, uri_len) : args_capture(wsi, st)) != 0) {
		push_http_answer_error(&st->ans, 500, "out of memory");
		goto early;
	}
	if (st->role) {
		/* a stranger's body is refused unread, whatever its size */
		const char *path = st->args_mem, *query = path + strlen(path) + 1;

		if (st->role->head(s, st->method, path, strlen(path), query, strlen(query), &st->ans) != 0) {
			goto early;
		}
	}
	if (cl > 0 && (uint64_t)cl > st->limit) {
		push_http_answer_error(&st->ans, 413, "request body too large (limit %zu bytes)", st->limit);
		st->ans.close = 1;
		return answer_ready(wsi, st);
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
	int rc, overrun = 0;

	if (st->phase != HP_BODY) {
		return 0;     /* answered already: the rest is ignored */
	}
	if (st->chunked) {
		rc = push_http_chunk_feed(st, in, len);
		if (rc == 0) {
			return 0;
		}
		st->ans.close = 1;
		if (rc == 1) {
			return body_done(s, wsi, st);
		}
		if (rc == -1) {
			push_http_answer_error(&st->ans, 400, "malformed chunked request body");
		} else {
			push_http_answer_error(&st->ans, 413, "request body too large (limit %zu bytes)", st->limit);
		}
		push_buf_free(&st->body);
		return answer_ready(wsi, st);
	}
	/*
	 * libwebsockets 4.3 (and 4.4) hand HTTP/1 bodies on without cutting them at
	 * Content-Length: the bytes after the body in the same read (the next,
	 * pipelined requests) come here too, libwebsockets waits for a body that
	 * never ends, and those requests are never parsed. The body is what
	 * Content-Length says; with more than that, the request is answered and the
	 * connection closes, so the client sends the rest again on a new one.
	 * libwebsockets 4.1 cuts at Content-Length and never gets here.
	 */
	if (!st->h2 && st->cl >= 0 && len > (uint64_t)st->cl - st->body.len) {
		len = (size_t)((uint64_t)st->cl - st->body.len);
		st->ans.close = 1;
		overrun = 1;
	}
	if (len > st->limit - st->body.len) {
		push_http_answer_error(&st->ans, 413, "request body too large (limit %zu bytes)", st->limit);
		st->ans.close = 1;
		push_buf_free(&st->body);
		return answer_ready(wsi, st);
	}
	push_buf_put(hb(&st->body), in, len);
	if (st->body.failed) {
		push_http_answer_error(&st->ans, 500, "out of memory");
		st->ans.close = 1;
		push_buf_free(&st->body);
		return answer_ready(wsi, st);
	}
	return overrun ? body_done(s, wsi, st) : 0;
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
	if ((n || st->h2) && lws_write(wsi, n ? (unsigned char *)push_buf_data(&a->body) + st->sent : start, n, wp) != (int)n) {
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
