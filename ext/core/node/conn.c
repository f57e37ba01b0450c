/*
 * conn.c - node layer: a WebSocket connection of this process and its send
 * queue.
 *
 * A push appends a complete, unmasked WebSocket frame to the connection's
 * queue and puts the connection on the dirty list. At the end of every
 * libwebsockets callback (and every timer, Text read, Redis event) the dirty
 * list is flushed: each queue goes out in ONE raw write, so a read of many
 * Text lines costs one send() per connection, not one per message. A queue
 * that grows past send_queue_max marks a slow consumer, which is dropped
 * (close 4008) instead of growing the heap.
 *
 * Frames are always handed to libwebsockets whole, so the bytes it buffers on
 * a short write end at a frame boundary and its own control frames (pong,
 * close) can never land inside one of ours.
 *
 * Binding a connection to a uid (and unbinding it) is told to the layer above
 * through s->node_obs (route.c installs it): groups, history and the cluster
 * learn of presence changes that way, never by a call from here.
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

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "list.h"
#include "registry.h"
#include "buf.h"
#include "server_int.h"
#include "conn.h"
#include "wsread.h"
#include "wsframe.h"

void push_conn_dirty_add(push_server *s, push_conn *c)
{
	if (c->dirty) {
		return;
	}
	c->dirty = 1;
	PUSH_LIST_PUSH(s->dirty, c, d_prev, d_next);
}

void push_conn_dirty_del(push_server *s, push_conn *c)
{
	if (!c->dirty) {
		return;
	}
	PUSH_LIST_UNLINK(s->dirty, c, d_prev, d_next);
	c->dirty = 0;
}

/*
 * Send queues are empty nearly all the time: a connection gives its buffer
 * back as soon as it is written out, so idle connections hold none. Buffers of
 * the usual size go to a free list the next queue takes them from.
 */
void push_conn_out_put(push_server *s, unsigned char *p, uint32_t cap)
{
	if (!p) {
		return;
	}
	if (cap == OUT_SMALL && s->out_pool_n < OUT_POOL_MAX) {
		if (!s->out_pool && !(s->out_pool = malloc(OUT_POOL_MAX * sizeof(*s->out_pool)))) {
			free(p);
			return;
		}
		s->out_pool[s->out_pool_n++] = p;
		return;
	}
	free(p);
}

void push_conn_out_release(push_server *s, push_conn *c)
{
	s->stats.queued_bytes -= c->out_len;
	c->out_len = 0;
	push_conn_out_put(s, c->out, c->out_cap);
	c->out = NULL;
	c->out_cap = 0;
}

/*
 * libwebsockets runs its timeouts from a timer it re-arms after its own
 * callbacks; a timeout set from one of ours (a Text line, a timer, Redis)
 * needs the loop woken so the timer is re-armed.
 */
void push_conn_set_timeout(push_server *s, push_conn *c, int secs)
{
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, secs);
	if (!s->in_lws) {
		s->kick = 1;
	}
}

/* After one of our own callbacks: wakes libwebsockets if it has timers or closes to look at. */
void push_conn_lws_kick(push_server *s)
{
	if (s->kick && s->ctx) {
		s->kick = 0;
		lws_cancel_service(s->ctx);
	}
}

/* Writes the queue in one raw write if libwebsockets holds nothing; else waits for WRITEABLE. */
void push_conn_flush(push_server *s, push_conn *c)
{
	int n;

	push_conn_dirty_del(s, c);
	if (!c->out_len) {
		return;
	}
	if (lws_partial_buffered(c->wsi)) {
		lws_callback_on_writable(c->wsi);
		return;
	}
	c->held = 0;
	n = lws_write(c->wsi, c->out, c->out_len, LWS_WRITE_RAW);
	if (n < 0) {
		push_conn_out_release(s, c);
		push_conn_set_timeout(s, c, LWS_TO_KILL_ASYNC);
		return;
	}
	if (lws_partial_buffered(c->wsi)) {
		c->held = c->out_len;
	}
	push_conn_out_release(s, c);
}

void push_conn_flush_dirty(push_server *s)
{
	while (s->dirty) {
		push_conn_flush(s, s->dirty);
	}
}

void push_conn_flush_all(push_server *s)
{
	push_conn_flush_dirty(s);
	if (!s->in_lws) {
		push_conn_lws_kick(s);
	}
}

/*
 * Makes room for need more bytes in a connection's queue. Returns 0, or -1
 * when the queue would pass send_queue_max: the connection is then dropped as
 * a slow consumer (it does not read; what is queued would never leave).
 */
static int out_reserve(push_server *s, push_conn *c, size_t more)
{
	size_t need = (size_t)c->out_len + more;

	if ((uint64_t)need + c->held > s->cfg.send_queue_max) {
		s->stats.slow_disconnects++;
		push_conn_close_async(c, PUSH_CLOSE_SLOW, "send queue full");
		return -1;
	}
	if (!c->out && need <= OUT_SMALL && s->out_pool_n) {
		c->out = s->out_pool[--s->out_pool_n];
		c->out_cap = OUT_SMALL;
		return 0;
	}
	if (need > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : OUT_SMALL;
		unsigned char *p;

		while (cap < need) {
			cap *= 2;
		}
		if (!(p = realloc(c->out, cap))) {
			push_conn_close_async(c, PUSH_CLOSE_SLOW, "out of memory");
			return -1;
		}
		c->out = p;
		c->out_cap = (uint32_t)cap;
	}
	return 0;
}

/*
 * Appends one frame whose payload is pre followed by msg. Returns 1 if
 * queued, 0 if the connection cannot take it (closing, or now dropped).
 */
int push_conn_queue2(push_server *s, push_conn *c, unsigned opcode, const char *pre, size_t plen,
		const char *msg, size_t len)
{
	size_t hl = push_ws_header_len(plen + len);
	unsigned char *p;

	if (c->state == CS_CLOSING || out_reserve(s, c, hl + plen + len) != 0) {
		return 0;
	}
	p = c->out + c->out_len;
	push_ws_header(p, opcode, plen + len);
	if (plen) {
		memcpy(p + hl, pre, plen);
	}
	if (len) {
		memcpy(p + hl + plen, msg, len);
	}
	c->out_len += (uint32_t)(hl + plen + len);
	s->stats.queued_bytes += hl + plen + len;
	push_conn_dirty_add(s, c);
	return 1;
}

int push_conn_queue(push_server *s, push_conn *c, unsigned opcode, const char *msg, size_t len)
{
	return push_conn_queue2(s, c, opcode, NULL, 0, msg, len);
}

/* The frame type of a pushed message: text, or binary for what is not UTF-8 when the invalid_utf8 option asks. */
unsigned push_conn_msg_op(const push_server *s, const char *msg, size_t len)
{
	return s->cfg.invalid_utf8_binary && !push_utf8_valid(msg, len) ? PUSH_WS_OP_BINARY : PUSH_WS_OP_TEXT;
}

/* A message without a history id: connections that asked for ids see it as "|payload". */
int push_conn_queue_plain(push_server *s, push_conn *c, const char *msg, size_t len)
{
	unsigned op = push_conn_msg_op(s, msg, len);

	return c->seq_mode ? push_conn_queue2(s, c, op, "|", 1, msg, len) : push_conn_queue(s, c, op, msg, len);
}

/* Sends an already framed message: straight to the socket when nothing is queued. */
int push_conn_send_frame(push_server *s, push_conn *c, const unsigned char *frame, size_t flen)
{
	int n;

	if (c->state != CS_BOUND) {
		return 0;
	}
	if (c->out_len || lws_partial_buffered(c->wsi)) {
		if (out_reserve(s, c, flen) != 0) {
			return 0;
		}
		memcpy(c->out + c->out_len, frame, flen);
		c->out_len += (uint32_t)flen;
		s->stats.queued_bytes += flen;
		push_conn_dirty_add(s, c);
		return 1;
	}
	c->held = 0;
	n = lws_write(c->wsi, (unsigned char *)frame, flen, LWS_WRITE_RAW);
	if (n < 0) {
		push_conn_set_timeout(s, c, LWS_TO_KILL_ASYNC);
		return 0;
	}
	if (lws_partial_buffered(c->wsi)) {
		c->held = (uint32_t)flen;
	}
	return 1;
}

void push_conn_unbind(push_server *s, push_conn *c, int keep_uid)
{
	push_entry *e = c->uid;

	if (!e) {
		return;
	}
	if (keep_uid && !CONN_RARE(c, saved_uid, NULL)) {
		push_conn_rare *r = push_conn_rare_get(c);

		if (r && (r->saved_uid = malloc(e->len + 1)) != NULL) {
			memcpy(r->saved_uid, e->name, e->len + 1);
			r->saved_uid_len = e->len;
		}
	}
	PUSH_LIST_UNLINK(e->head, c, u_prev, u_next);
	c->uid = NULL;
	s->stats.bound_conns--;
	e->count--;
	s->node_obs->presence(s, e, c);
	if (e->count == 0) {
		push_registry_remove(&s->uids, e);
		s->stats.uids--;
	}
}

int push_conn_bind(push_server *s, push_conn *c, const char *uid, size_t len)
{
	push_entry *e = push_utf8_valid(uid, len) ? push_registry_get(&s->uids, uid, len) : NULL;

	if (!e) {
		return -1;
	}
	if (e->count == 0) {
		s->stats.uids++;
	}
	PUSH_LIST_PUSH(e->head, c, u_prev, u_next);
	e->count++;
	c->uid = e;
	c->state = CS_BOUND;
	s->stats.bound_conns++;
	s->node_obs->presence(s, e, NULL);
	return 0;
}

push_conn *push_conn_find(push_server *s, uint64_t id)
{
	return push_idmap_get(&s->ids, id);
}

int push_conn_open(const push_conn *c)
{
	return c->state == CS_BOUND;
}

uint64_t push_conn_id(const push_conn *c)
{
	return c->id;
}

const char *push_conn_uid(const push_conn *c, size_t *len)
{
	if (c->uid) {
		*len = c->uid->len;
		return c->uid->name;
	}
	if (c->rare && c->rare->saved_uid) {
		*len = c->rare->saved_uid_len;
		return c->rare->saved_uid;
	}
	*len = 0;
	return NULL;
}

const char *push_conn_remote(push_conn *c, char *buf, size_t cap)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char ip[INET6_ADDRSTRLEN];
	int port = 0;

	if (!cap) {
		return buf;
	}
	buf[0] = '\0';
	if (getpeername(lws_get_socket_fd(c->wsi), (struct sockaddr *)&ss, &sl) != 0) {
		return buf;
	}
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
		port = ntohs(a->sin_port);
		snprintf(buf, cap, "%s:%d", ip, port);
	} else if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
		port = ntohs(a->sin6_port);
		snprintf(buf, cap, "[%s]:%d", ip, port);
	}
	return buf;
}

int push_conn_send(push_conn *c, const char *msg, size_t len)
{
	push_server *s = conn_srv(c);

	if (c->state != CS_BOUND || len > s->cfg.max_msg_out) {
		return 0;
	}
	if (!push_conn_queue_plain(s, c, msg, len)) {
		return 0;
	}
	s->stats.delivered++;
	s->stats.bytes_out += len;
	return 1;
}

/*
 * Pusher clients read close codes as instructions (4000-4099: do not
 * reconnect, 4100-4199: back off, 4200-4299: reconnect now): a slow consumer
 * backs off (4100, over capacity), a missed pong reconnects (4201).
 */
static int close_code_for(const push_conn *c, int code)
{
	if (!c->is_pusher) {
		return code;
	}
	return code == PUSH_CLOSE_SLOW ? 4100 : code == PUSH_CLOSE_HEARTBEAT ? 4201 : code;
}

/* Asks for a close with code and reason once the queue is out; the connection stops receiving now. */
void push_conn_close_async(push_conn *c, int code, const char *reason)
{
	push_server *s = conn_srv(c);
	int slow = code == PUSH_CLOSE_SLOW;

	code = close_code_for(c, code);
	if (c->state == CS_CLOSING) {
		return;
	}
	push_conn_unbind(s, c, s->hooks.on_close != NULL);
	c->state = CS_CLOSING;
	c->close_code = (uint16_t)code;
	if (reason && *reason && push_conn_rare_get(c)) {
		free(c->rare->close_reason);
		c->rare->close_reason = push_utf8_clean(reason, 123);   /* a close frame holds 123 bytes of reason */
	} else if (c->rare) {
		free(c->rare->close_reason);
		c->rare->close_reason = NULL;
	}
	if (slow) {
		/* it does not read: what is queued would never leave */
		push_conn_out_release(s, c);
		push_conn_dirty_del(s, c);
	}
	lws_callback_on_writable(c->wsi);
	if (!s->in_lws) {
		s->kick = 1;
	}
	/* a peer that never becomes writable is cut by the sweep after this (last_rx_ms is the deadline now) */
	c->last_rx_ms = now32(s) + CLOSE_GRACE_MS;
}

void push_conn_close(push_conn *c, int code, const char *reason)
{
	push_conn_close_async(c, code, reason);
}

/*
 * What push_conn_close_now() has libwebsockets do, for a connection wsread.c
 * reads: nothing more is read, the close frame goes out once the queue is
 * written, and the connection stays bound until it is closed.
 */
void push_conn_close_soon(push_conn *c, int code, const char *reason)
{
	push_server *s = conn_srv(c);

	if (c->rx_closed || c->state == CS_CLOSING) {
		return;
	}
	c->rx_closed = 1;
	c->close_code = (uint16_t)code;
	if (c->rare) {
		free(c->rare->close_reason);
		c->rare->close_reason = NULL;
	}
	if (reason && *reason && push_conn_rare_get(c)) {
		c->rare->close_reason = push_utf8_clean(reason, 123);   /* a close frame holds 123 bytes of reason */
	}
	lws_callback_on_writable(c->wsi);
	/* a peer that never becomes writable is cut */
	push_conn_set_timeout(s, c, CLOSE_GRACE_MS / 1000);
}

void push_conn_close_now(struct lws *wsi, push_conn *c, int code, const char *reason)
{
	code = close_code_for(c, code);
	if (c->rd_mode == RD_ON) {
		/* wsread.c reads it: the close frame is ours to write, from WRITEABLE (push_wsrd_close) */
		push_conn_close_soon(c, code, reason);
		return;
	}
	lws_close_reason(wsi, (enum lws_close_status)code, (unsigned char *)reason, strlen(reason));
	c->close_code = (uint16_t)code;
}

void push_conn_hs_free(push_handshake *hs)
{
	if (!hs) {
		return;
	}
	free(hs->path);
	free(hs->query);
	free(hs->cookie);
	free(hs->origin);
	free(hs->user_agent);
	free(hs->authorization);
	free(hs->forwarded_for);
	free(hs->protocol);
	free(hs->host);
	free(hs);
}

void push_conn_list_add(push_server *s, push_conn *c)
{
	PUSH_LIST_PUSH(s->all, c, all_prev, all_next);
}

void push_conn_list_del(push_server *s, push_conn *c)
{
	PUSH_LIST_UNLINK(s->all, c, all_prev, all_next);
}

void push_conn_drain_check(push_server *s)
{
	if (s->stopping && s->graceful && !s->stats.ws_conns && !s->stats.text_conns) {
		ev_break(s->loop, EVBREAK_ALL);
	}
}

/* Frees the rare part of a connection and what it holds (the HTTP API state is http.c's to free). */
/*
 * Unfinished client input. A message begun has message_timeout to be
 * complete (the sweep closes it with 1008 after); its bytes held are counted
 * for the connection's client address (its entry's aux) and in all
 * (input_bytes), each with its bound.
 */
void push_conn_in_begin(push_server *s, push_conn *c)
{
	if ((c->rare && c->rare->in_open) || !push_conn_rare_get(c)) {
		return;
	}
	c->rare->in_open = 1;
	c->rare->in_since_ms = now32(s);
}

void push_conn_in_end(push_conn *c)
{
	if (c->rare) {
		c->rare->in_open = 0;
	}
}

int push_conn_in_grow(push_server *s, push_conn *c, size_t len, int *code)
{
	push_entry *a = c->rd.data;
	push_conn_rare *r = c->rare;
	unsigned char *p;

	*code = PUSH_CLOSE_POLICY;
	if (s->stats.input_bytes + len > s->cfg.max_input_total) {
		s->stats.refused_input_total++;
		return -1;
	}
	if (a && (uint64_t)(uintptr_t)a->aux + len > s->cfg.max_input_per_addr) {
		s->stats.refused_input_addr++;
		return -1;
	}
	*code = PUSH_CLOSE_TOO_BIG;
	if (!r || !(p = realloc(r->in, (size_t)r->in_len + len))) {
		return -1;
	}
	r->in = p;
	r->in_len += (uint32_t)len;
	s->stats.input_bytes += len;
	if (a) {
		a->aux = (void *)((uintptr_t)a->aux + len);
	}
	return 0;
}

void push_conn_in_drop(push_server *s, push_conn *c)
{
	push_entry *a = c->rd.data;
	push_conn_rare *r = c->rare;

	if (!r) {
		return;
	}
	s->stats.input_bytes -= r->in_len;
	if (a) {
		a->aux = (void *)((uintptr_t)a->aux - r->in_len);
	}
	free(r->in);
	r->in = NULL;
	r->in_len = 0;
	r->in_open = 0;
}

void push_conn_rare_free(push_conn *c)
{
	push_conn_rare *r = c->rare;

	if (!r) {
		return;
	}
	free(r->in);
	free(r->ctl);
	free(r->saved_uid);
	free(r->close_reason);
	push_conn_hs_free(r->hs);
	free(r);
	c->rare = NULL;
}

/*
 * Cuts a connection at once (outside libwebsockets callbacks only). The
 * socket is shut down first: libwebsockets would otherwise wait, on a timer,
 * to flush a close frame to a peer that reads nothing.
 */
void push_conn_cut(push_server *s, push_conn *c)
{
	shutdown(lws_get_socket_fd(c->wsi), SHUT_RDWR);
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
	s->kick = 1;
}
