/*
 * conn.h - what conn.c offers: a WebSocket connection and its send queue, bind/unbind, close, flush.
 */
#ifndef PUSH_CONN_H
#define PUSH_CONN_H

#include "server_int.h"

void push_conn_dirty_add(push_server *s, push_conn *c);
void push_conn_dirty_del(push_server *s, push_conn *c);
void push_conn_out_put(push_server *s, unsigned char *p, uint32_t cap);
void push_conn_out_release(push_server *s, push_conn *c);
void push_conn_set_timeout(push_server *s, push_conn *c, int secs);
/* After one of our own callbacks: wakes libwebsockets if it has timers or closes to look at. */
void push_conn_lws_kick(push_server *s);
void push_conn_flush(push_server *s, push_conn *c);
/* Flushes every queue waiting; push_conn_flush_all() also wakes libwebsockets outside its callbacks. */
void push_conn_flush_dirty(push_server *s);
void push_conn_flush_all(push_server *s);
/* Appends one frame whose payload is pre followed by msg: 1 if queued, 0 if the connection cannot take it. */
int push_conn_queue2(push_server *s, push_conn *c, unsigned opcode, const char *pre, size_t plen,
		const char *msg, size_t len);
int push_conn_queue(push_server *s, push_conn *c, unsigned opcode, const char *msg, size_t len);
/* A message without a history id: connections that asked for ids see it as "|payload". */
int push_conn_queue_plain(push_server *s, push_conn *c, const char *msg, size_t len);
/* An already framed message: straight to the socket when nothing is queued. */
int push_conn_send_frame(push_server *s, push_conn *c, const unsigned char *frame, size_t flen);
int push_conn_bind(push_server *s, push_conn *c, const char *uid, size_t len);
void push_conn_unbind(push_server *s, push_conn *c, int keep_uid);
/* Close with code and reason once the queue is out; the connection stops receiving now. */
void push_conn_close_async(push_conn *c, int code, const char *reason);
/* A connection wsread.c reads: it reads no more, its close frame goes out at the next WRITEABLE (wsread.c). */
void push_conn_close_soon(push_conn *c, int code, const char *reason);
/* Inside a libwebsockets callback that then returns -1: close at once (read by wsread.c: close soon). */
void push_conn_close_now(struct lws *wsi, push_conn *c, int code, const char *reason);
/* Cuts a connection at once (outside libwebsockets callbacks only). */
void push_conn_cut(push_server *s, push_conn *c);
void push_conn_list_add(push_server *s, push_conn *c);
void push_conn_list_del(push_server *s, push_conn *c);
/* A graceful stop ends the loop once the last connection is gone. */
void push_conn_drain_check(push_server *s);
void push_conn_hs_free(push_handshake *hs);
/*
 * Unfinished client input: the message begun (message_timeout starts), its
 * bytes held (0 or -1 with the close code to use when a bound is passed), all
 * dropped (freed and uncounted).
 */
void push_conn_in_begin(push_server *s, push_conn *c);
void push_conn_in_end(push_conn *c);
int push_conn_in_grow(push_server *s, push_conn *c, size_t len, int *code);
void push_conn_in_drop(push_server *s, push_conn *c);
/* The opcode a message goes out with: text, or binary when binary_messages says so. */
unsigned push_conn_msg_op(const push_server *s, const char *msg, size_t len);
/* Frees a connection's rare part and what it holds, except the HTTP API state (http.c frees that first). */
void push_conn_rare_free(push_conn *c);

#endif
