/*
 * history.h - what history.c offers: kept messages per uid, replay.
 */
#ifndef PUSH_HISTORY_H
#define PUSH_HISTORY_H

#include "server_int.h"

push_history *push_hist_get(push_server *s, const char *uid, size_t ulen, int create);
uint64_t push_hist_add(push_server *s, const char *uid, size_t ulen, const char *msg, size_t mlen, int online,
		push_history **hp);
void push_hist_check_idle(push_server *s, push_history *h);
/* The uid of h went offline: an empty history starts its idle time. */
void push_hist_uid_offline(push_server *s, push_history *h);
void push_hist_expire(push_server *s);
int push_hist_queue(push_server *s, push_conn *c, const push_history *h, uint64_t seq, const char *msg, size_t len);
void push_hist_on_bind(push_server *s, push_conn *c);
void push_hist_destroy(push_server *s);

#endif
