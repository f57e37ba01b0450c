/*
 * text.h - what text.c offers: the Text port's connections.
 */
#ifndef PUSH_TEXT_H
#define PUSH_TEXT_H

#include "server_int.h"
#include "textproto.h"

/* text.c: a Text connection on an accepted socket; the sweep's and stop's views of them. */
void push_text_open(push_server *s, int fd);
void push_text_sweep(push_server *s, uint32_t now);
void push_text_close(push_server *s, push_tconn *t);
int push_text_flush(push_server *s, push_tconn *t);
/* text.c: the idle watcher that keeps the loop awake for a busy backend (busy_poll). */
void push_text_spin_cb(struct ev_loop *loop, ev_idle *w, int revents);
/* text.c: pushes r's message to r's uids and answers (ok/queued/fail, or {"ok":..} when cmd). */
void push_text_push(push_server *s, push_tconn *t, push_req *r, int cmd);

#endif
