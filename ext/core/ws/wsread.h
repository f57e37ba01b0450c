/*
 * wsread.h - what wsread.c offers: the frames of a plain connection, read by push instead of libwebsockets.
 */
#ifndef PUSH_WSREAD_H
#define PUSH_WSREAD_H

#include "server_int.h"

/* From LWS_CALLBACK_ESTABLISHED: a plain connection will be read by wsread.c; pieces of messages go to rx. */
void push_wsrd_start(push_server *s, push_conn *c, push_ws_rx_fn rx);
void push_wsrd_stop(push_server *s, push_conn *c);
/* From WRITEABLE of a closing connection read by wsread.c: writes its close frame (the connection then ends). */
void push_wsrd_close(push_server *s, push_conn *c);
/* A client's close frame payload: 0 if well formed (*code set, 1005 when none), else the close code to answer. */
int push_ws_close_check(const unsigned char *in, size_t len, unsigned *code);

#endif
