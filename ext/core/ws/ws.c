/*
 * ws.c - front end: the WebSocket protocol. The libwebsockets callback of
 * the WebSocket port: handshake checks, authentication (token, auth hook,
 * plain uid), client messages, writable, close. Plain HTTP requests on the
 * same port go to the HTTP API (http.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>
#include <libwebsockets.h>

#include "registry.h"
#include "buf.h"
#include "pusher.h"
#include "server_int.h"
#include "conn.h"
#include "wsread.h"
#include "route.h"
#include "ws.h"
#include "handshake.h"
#include "http.h"
#include "token.h"
#include "wsframe.h"

static char *hdr_dup(struct lws *wsi, enum lws_token_indexes t)
{
	int n = lws_hdr_total_length(wsi, t);
	char *p;

	if (n < 0) {
		n = 0;
	}
	p = malloc((size_t)n + 1);
	if (!p) {
		return NULL;
	}
	p[0] = '\0';
	if (n > 0 && lws_hdr_copy(wsi, p, n + 1, t) < 0) {
		p[0] = '\0';
	}
	return p;
}

static char *query_dup(struct lws *wsi)
{
	char frag[1024], *q = NULL;
	size_t qlen = 0;
	int i, n;

	for (i = 0; (n = lws_hdr_copy_fragment(wsi, frag, sizeof(frag), WSI_TOKEN_HTTP_URI_ARGS, i)) > 0; i++) {
		char *p = realloc(q, qlen + (size_t)n + 2);

		if (!p) {
			break;
		}
		q = p;
		if (qlen) {
			q[qlen++] = '&';
		}
		memcpy(q + qlen, frag, (size_t)n);
		qlen += (size_t)n;
	}
	if (!q) {
		q = strdup("");
	} else {
		q[qlen] = '\0';
	}
	return q;
}

static push_handshake *push_hs_capture(struct lws *wsi)
{
	push_handshake *hs = calloc(1, sizeof(*hs));

	if (!hs) {
		return NULL;
	}
	hs->path = hdr_dup(wsi, WSI_TOKEN_GET_URI);
	hs->query = query_dup(wsi);
	hs->cookie = hdr_dup(wsi, WSI_TOKEN_HTTP_COOKIE);
	hs->origin = hdr_dup(wsi, WSI_TOKEN_ORIGIN);
	hs->user_agent = hdr_dup(wsi, WSI_TOKEN_HTTP_USER_AGENT);
	hs->authorization = hdr_dup(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
	hs->forwarded_for = hdr_dup(wsi, WSI_TOKEN_X_FORWARDED_FOR);
	hs->protocol = hdr_dup(wsi, WSI_TOKEN_PROTOCOL);
	hs->host = hdr_dup(wsi, WSI_TOKEN_HOST);
	return hs;
}

static int origin_allowed(push_server *s, struct lws *wsi)
{
	char origin[256];
	size_t i;

	if (!s->cfg.norigins) {
		return 1;
	}
	if (lws_hdr_copy(wsi, origin, sizeof(origin), WSI_TOKEN_ORIGIN) <= 0) {
		return 0;
	}
	for (i = 0; i < s->cfg.norigins; i++) {
		if (strcmp(origin, s->cfg.origins[i]) == 0) {
			return 1;
		}
	}
	return 0;
}

/* Binds to uid and tells the host. Returns -1 if the connection must close (reason set). */
static int conn_accept_uid(push_server *s, push_conn *c, const char *uid, size_t len)
{
	if (len == 0 || len > s->cfg.max_uid_len || memchr(uid, '\0', len) || !push_utf8_valid(uid, len)) {
		s->stats.refused_auth++;
		push_conn_close_now(c->wsi, c, PUSH_CLOSE_BAD_UID, "invalid uid");
		return -1;
	}
	if (push_conn_bind(s, c, uid, len) != 0) {
		push_conn_close_now(c->wsi, c, PUSH_CLOSE_REFUSED, "out of memory");
		return -1;
	}
	if (c->rare) {
		push_conn_hs_free(c->rare->hs);
		c->rare->hs = NULL;
	}
	push_route_conn_bound(s, c);
	if (s->hooks.on_connect && !s->hooks_off) {
		s->hooks.on_connect(s->hooks.ud, c);
	}
	return 0;
}

static int token_refuse(push_server *s, push_conn *c, push_token_status st)
{
	s->stats.refused_auth++;
	if (st == PUSH_TOKEN_EXPIRED) {
		push_conn_close_now(c->wsi, c, PUSH_CLOSE_EXPIRED, "token expired");
	} else {
		push_conn_close_now(c->wsi, c, PUSH_CLOSE_BAD_TOKEN, push_token_status_str(st));
	}
	return -1;
}

/* First message of a pending connection: token, auth hook or plain uid. */
static int conn_authenticate(push_server *s, push_conn *c, const char *msg, size_t len)
{
	char uid[PUSH_UID_MAX + 1];
	size_t ulen = 0;

	if (s->hooks.on_auth) {
		if (s->hooks_off) {
			return -1;
		}
		if (!s->hooks.on_auth(s->hooks.ud, c, CONN_RARE(c, hs, NULL), msg, len, uid, sizeof(uid), &ulen)) {
			if (s->stopping && !s->graceful) {
				return -1;
			}
			s->stats.refused_auth++;
			push_conn_close_now(c->wsi, c, PUSH_CLOSE_REFUSED, "refused");
			return -1;
		}
		if (c->state == CS_CLOSING || c->rx_closed) {
			/* the hook stopped the server (gracefully) or closed c: that close stands */
			return 0;
		}
		return conn_accept_uid(s, c, uid, ulen);
	}
	if (s->cfg.secret) {
		push_token_status st = push_token_verify(s->cfg.secret, s->cfg.secret_len, msg, len,
				(int64_t)time(NULL), uid, sizeof(uid), &ulen);

		if (st == PUSH_TOKEN_OK) {
			return conn_accept_uid(s, c, uid, ulen);
		}
		if (!(s->cfg.plain_uid && st == PUSH_TOKEN_MALFORMED)) {
			return token_refuse(s, c, st);
		}
	}
	if (s->cfg.plain_uid) {
		return conn_accept_uid(s, c, msg, len);
	}
	s->stats.refused_auth++;
	push_conn_close_now(c->wsi, c, PUSH_CLOSE_REFUSED, "no authentication method");
	return -1;
}

static int conn_message(push_server *s, push_conn *c, const char *data, size_t len, int binary)
{
	s->stats.msgs_in++;
	if (!binary && !push_utf8_valid(data, len)) {
		push_conn_close_now(c->wsi, c, 1007, "text message not UTF-8");
		return -1;
	}
	if (c->is_pusher) {
		return binary ? 0 : push_pusher_message(s, c, data, len);
	}
	if (c->state == CS_PENDING) {
		return conn_authenticate(s, c, data, len);
	}
	if (c->state == CS_BOUND && s->hooks.on_message && !s->hooks_off) {
		s->hooks.on_message(s->hooks.ud, c, data, len, binary);
	}
	return 0;
}

static int ws_established(push_server *s, struct lws *wsi, push_conn *c)
{
	char tok[PUSH_TOKEN_MAX + 8];
	const char *tval;
	int n, early = c->rx_early, over = c->over_cap;
	unsigned char key[16];

	push_conn_rare_free(c);       /* whatever the HTTP request before the upgrade left */
	memset(c, 0, sizeof(*c));
	c->wsi = wsi;
	c->rx_early = (uint8_t)early;
	c->over_cap = (uint8_t)over;
	c->id = ++s->next_id;
	c->state = CS_PENDING;
	c->opened_ms = c->last_rx_ms = now32(s);
	c->counted = 1;
	s->stats.ws_conns++;
	s->stats.conns_total++;
	if (!over && push_addr_key(s, wsi, key) == 0) {
		push_addr_conn_add(s, c, key);
	}
	push_conn_list_add(s, c);
	if (push_idmap_put(&s->ids, c->id, c) != 0) {
		return -1;
	}
	if (s->stopping) {
		push_conn_close_now(wsi, c, PUSH_CLOSE_GOING_AWAY, "server stopping");
		return -1;
	}
	/* /app/{key}: the Pusher protocol */
	if ((n = push_pusher_open(s, wsi, c)) != 0) {
		return n < 0 ? -1 : 0;
	}
	if (s->hooks.on_auth) {
		if (!push_conn_rare_get(c)) {
			return -1;
		}
		c->rare->hs = push_hs_capture(wsi);
	}
	if (s->cfg.history_size) {
		char arg[64];

		const char *val;

		if ((val = lws_get_urlarg_by_name(wsi, "seq=", arg, sizeof(arg))) != NULL) {
			c->seq_mode = val[0] == '1';
		}
		if ((val = lws_get_urlarg_by_name(wsi, "last=", arg, sizeof(arg))) != NULL) {
			char *last = (char *)val, *dash = strrchr(last, '-'), *end = NULL;
			unsigned long long v;

			c->seq_mode = 1;
			if (dash) {
				*dash = '\0';
				errno = 0;
				v = strtoull(dash + 1, &end, 10);
				if (!errno && end && !*end && end != dash + 1 && push_conn_rare_get(c)) {
					c->resume_set = 1;
					c->rare->resume_seq = v;
					snprintf(c->rare->resume_e, sizeof(c->rare->resume_e), "%s", last);
					c->resume_same_epoch = strlen(last) == s->epoch_len + HIST_TAG_LEN
							&& memcmp(last, s->epoch, s->epoch_len) == 0;
				}
			}
		}
	}
	/* a token in the query string authenticates at once */
	if (s->cfg.secret && !s->hooks.on_auth
			&& (tval = lws_get_urlarg_by_name(wsi, "token=", tok, sizeof(tok))) != NULL) {
		char uid[PUSH_UID_MAX + 1];
		size_t ulen = 0;
		push_token_status st;

		n = (int)strlen(tval);
		st = push_token_verify(s->cfg.secret, s->cfg.secret_len, tval, (size_t)n,
				(int64_t)time(NULL), uid, sizeof(uid), &ulen);
		if (st != PUSH_TOKEN_OK) {
			return token_refuse(s, c, st);
		}
		return conn_accept_uid(s, c, uid, ulen);
	}
	return 0;
}

static void ws_closed(push_server *s, push_conn *c)
{
	push_wsrd_stop(s, c);
	if (!c->counted) {
		return;
	}
	c->counted = 0;
	if (c->is_pusher) {
		push_pusher_closed(s, c);
	}
	push_conn_dirty_del(s, c);
	s->stats.queued_bytes -= c->out_len;
	c->out_len = 0;
	push_conn_in_drop(s, c);
	push_addr_conn_del(s, c);
	push_conn_unbind(s, c, s->hooks.on_close != NULL);
	push_conn_list_del(s, c);
	push_route_conn_gone(s, c);
	push_idmap_del(&s->ids, c->id);
	s->stats.ws_conns--;
	if (s->hooks.on_close && !s->hooks_off && !c->is_pusher && (CONN_RARE(c, saved_uid, NULL) || c->state == CS_BOUND)) {
		s->hooks.on_close(s->hooks.ud, c, c->close_code ? c->close_code : 1006);
	}
	push_conn_out_put(s, c->out, c->out_cap);
	c->out = NULL;
	c->out_cap = 0;
	push_conn_rare_free(c);
	push_conn_drain_check(s);
}

/*
 * A piece of a client's data message, from libwebsockets (ws_receive) or from
 * wsread.c: first (of the message), final (frame of the message), payload
 * bytes of the frame still to come. Returns -1 when the connection must close.
 */
static int ws_rx_piece(push_server *s, push_conn *c, const char *in, size_t len, int first, int final,
		uint64_t remaining, int binary)
{
	uint32_t have = CONN_RARE(c, in_len, 0);
	push_conn_rare *r;
	int code;

	if (c->state == CS_CLOSING) {
		return 0;
	}
	c->last_rx_ms = now32(s);
	c->ping_sent = 0;
	/* before the uid, only a uid or a token (plus room for what onAuth reads): a
	 * connection that never authenticates holds at most this much */
	if (c->state == CS_PENDING && (uint64_t)have + len + remaining > PUSH_FIRST_MSG_MAX) {
		goto too_big;
	}
	/* the frame's announced length counts at once, before its bytes come */
	if ((uint64_t)have + len + remaining > s->cfg.max_msg_in) {
		goto too_big;
	}
	if (!len && remaining) {
		return 0;              /* a frame header (wsread.c): only its length to check */
	}
	if (first && final && !remaining && !have) {
		push_conn_in_end(c);
		return conn_message(s, c, in, len, binary);
	}
	/* a message in pieces (longer than the receive buffer, or fragmented by the client) */
	if (!(r = push_conn_rare_get(c))) {
		goto too_big;
	}
	if (first && !have) {
		c->in_binary = (uint8_t)binary;
	}
	if (len && push_conn_in_grow(s, c, len, &code) != 0) {
		if (code == PUSH_CLOSE_TOO_BIG) {
			goto too_big;
		}
		push_conn_in_drop(s, c);
		push_conn_close_now(c->wsi, c, code, "too much unfinished input");
		return -1;
	}
	if (len) {
		memcpy(r->in + have, in, len);
	}
	if (final && !remaining) {
		int rc;

		r->in_open = 0;
		rc = conn_message(s, c, (const char *)r->in, r->in_len, c->in_binary);
		/* c may be closing now, but it is not freed before this callback returns */
		push_conn_in_drop(s, c);
		return rc;
	}
	push_conn_in_begin(s, c);
	return 0;

too_big:
	s->stats.refused_too_big++;
	push_conn_in_drop(s, c);
	push_conn_close_now(c->wsi, c, PUSH_CLOSE_TOO_BIG, "message too big");
	return -1;
}

static int ws_receive(push_server *s, struct lws *wsi, push_conn *c, const char *in, size_t len)
{
	return ws_rx_piece(s, c, in, len, lws_is_first_fragment(wsi), lws_is_final_fragment(wsi),
			lws_remaining_packet_payload(wsi), lws_frame_is_binary(wsi));
}

static int ws_writeable(push_server *s, struct lws *wsi, push_conn *c)
{
	if (!lws_partial_buffered(wsi)) {
		c->held = 0;
	}
	if (c->out_len) {
		push_conn_flush(s, c);
		if (c->out_len || lws_partial_buffered(wsi)) {
			return 0;
		}
	}
	if (c->rx_closed && !lws_partial_buffered(wsi)) {
		/* read by wsread.c, which saw the client's close frame or an error: the close frame is ours */
		push_wsrd_close(s, c);
		return -1;
	}
	if (c->state == CS_CLOSING && !lws_partial_buffered(wsi)) {
		const char *why = CONN_RARE(c, close_reason, NULL);

		if (c->rd_mode == RD_ON) {
			/* libwebsockets does not read this connection (wsread.c does): the close frame is ours */
			push_wsrd_close(s, c);
			return -1;
		}

		lws_close_reason(wsi, (enum lws_close_status)c->close_code, (unsigned char *)why, why ? strlen(why) : 0);
		return -1;
	}
	return 0;
}

static int ws_callback_inner(push_server *s, struct lws *wsi, enum lws_callback_reasons reason, push_conn *c,
		void *in, size_t len);

/*
 * An upgrade over max_connections or max_connections_per_address gets its
 * protocol's answer: a Pusher socket opens to be told 4100 "over capacity"
 * (pusher-js then backs off before it reconnects); any other, HTTP 503
 * before the upgrade. Returns what FILTER_PROTOCOL_CONNECTION returns.
 */
static int over_capacity(push_server *s, struct lws *wsi, push_conn *c)
{
	static const char resp[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
			"Content-Length: 13\r\nRetry-After: 5\r\nConnection: close\r\n\r\nover capacity";
	unsigned char buf[LWS_PRE + sizeof(resp)];
	char path[256];

	if (c && s->pusher && lws_hdr_copy(wsi, path, sizeof(path), WSI_TOKEN_GET_URI) >= 5
			&& memcmp(path, "/app/", 5) == 0) {
		c->over_cap = 1;
		return 0;
	}
	memcpy(buf + LWS_PRE, resp, sizeof(resp) - 1);
	lws_write(wsi, buf + LWS_PRE, sizeof(resp) - 1, LWS_WRITE_HTTP_FINAL);
	return 1;
}

/* The peer's close frame: echoed when well formed; 1002 (bad length or code) or 1007 (reason not UTF-8) otherwise. */
static int ws_peer_close(push_server *s, struct lws *wsi, push_conn *c, const unsigned char *in, size_t len)
{
	unsigned code;
	int bad = push_ws_close_check(in, len, &code);

	(void)s;
	c->close_code = (uint16_t)code;
	if (bad) {
		push_conn_close_now(wsi, c, bad, bad == 1002 ? "bad close frame" : "close reason not UTF-8");
		return -1;
	}
	return 0;
}

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	push_server *s = lws_context_user(lws_get_context(wsi));
	int rc;

	if (!s) {
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
	s->in_lws++;
	rc = ws_callback_inner(s, wsi, reason, user, in, len);
	s->in_lws--;
	return rc;
}

static int ws_callback_inner(push_server *s, struct lws *wsi, enum lws_callback_reasons reason, push_conn *c,
		void *in, size_t len)
{
	void *user = c;
	int rc = 0;

	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		if (push_hs_done(s, wsi) && c) {
			c->rx_early = 1;
		}
		if (s->stopping) {
			return 1;
		}
		if (!origin_allowed(s, wsi)) {
			s->stats.refused_origin++;
			return 1;
		}
		if (s->stats.ws_conns >= s->cfg.max_conns) {
			s->stats.refused_max_conns++;
			return over_capacity(s, wsi, c);
		}
		if (s->cfg.max_conns_per_addr) {
			unsigned char key[16];

			if (push_addr_key(s, wsi, key) == 0 && push_addr_full(s, key)) {
				s->stats.refused_conns_per_addr++;
				return over_capacity(s, wsi, c);
			}
		}
		return 0;
	case LWS_CALLBACK_ESTABLISHED:
		rc = ws_established(s, wsi, c);
		if (rc == 0 && c->state != CS_CLOSING) {
			push_wsrd_start(s, c, ws_rx_piece);
		}
		break;
	case LWS_CALLBACK_RECEIVE:
		rc = ws_receive(s, wsi, c, in, len);
		break;
	case LWS_CALLBACK_RECEIVE_PONG:
		if (c->state != CS_CLOSING) {
			c->last_rx_ms = now32(s);
			c->ping_sent = 0;
		}
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		rc = ws_writeable(s, wsi, c);
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		return ws_peer_close(s, wsi, c, in, len);
	case LWS_CALLBACK_CLOSED:
		ws_closed(s, c);
		break;
	case LWS_CALLBACK_HTTP:
		push_hs_done(s, wsi);
		/* fall through */
	case LWS_CALLBACK_HTTP_BODY:
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
	case LWS_CALLBACK_HTTP_WRITEABLE:
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		rc = push_http_callback(s, wsi, c, reason, in, len);
		if (s->dirty) {
			push_conn_flush_dirty(s);
		}
		return rc;
	case LWS_CALLBACK_WSI_DESTROY:
		push_hs_done(s, wsi);
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
	if (s->dirty) {
		push_conn_flush_dirty(s);
	}
	return rc;
}

struct lws_protocols push_ws_protocols[] = {
	/*
	 * A small rx buffer: it is allocated per connection; longer client messages
	 * arrive in pieces. Not below 125: libwebsockets answers a ping with what of
	 * its payload (at most 125 bytes) fits in this buffer, and a pong must echo all of it.
	 */
	{ "push", ws_callback, sizeof(push_conn), 128, 0, NULL, 256 * 1024 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};
