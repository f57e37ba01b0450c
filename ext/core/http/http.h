/*
 * http.h - what http.c offers: HTTP on the WebSocket port (the API, /metrics, /healthz).
 */
#ifndef PUSH_HTTP_H
#define PUSH_HTTP_H

#include "server_int.h"

/* HTTP on the WebSocket port: API, /metrics, /healthz (http.c). */
int push_http_callback(push_server *s, struct lws *wsi, push_conn *c, enum lws_callback_reasons reason,
		void *in, size_t len);

#endif
