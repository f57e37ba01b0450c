/*
 * handshake.h - what handshake.c offers: WebSocket-port connections until their request head, and
 * the client address of each connection.
 */
#ifndef PUSH_HANDSHAKE_H
#define PUSH_HANDSHAKE_H

#include "server_int.h"

void push_hs_accept(push_server *s, int fd);
/* The request head of wsi is complete (or it is gone): 1 if the client sent more bytes behind it, or if that is unknown. */
int push_hs_done(push_server *s, struct lws *wsi);
void push_hs_sweep(push_server *s, uint32_t now);
void push_hs_free_all(push_server *s);
/* handshake.c: trusted_proxies parsed (push_server_new); -1 with a message in err for a bad one. */
int push_addr_init(push_server *s, char *err, size_t errlen);
/* The client address of an upgrade (X-Forwarded-For's last untrusted hop behind a trusted proxy). */
int push_addr_key(push_server *s, struct lws *wsi, unsigned char key[16]);
/* Whether one more WebSocket connection from key is over max_connections_per_address. */
int push_addr_full(push_server *s, const unsigned char key[16]);
/* A WebSocket connection of key opened (c->rd.data set) / closed. */
void push_addr_conn_add(push_server *s, push_conn *c, const unsigned char key[16]);
void push_addr_conn_del(push_server *s, push_conn *c);
/* The client address of an open WebSocket connection, as counted (trusted_proxies applied); -1 when unknown. */
int push_addr_of(const push_conn *c, unsigned char key[16]);

#endif
