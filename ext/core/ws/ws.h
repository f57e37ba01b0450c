/*
 * ws.h - what ws.c offers: the libwebsockets protocols of the WebSocket port.
 */
#ifndef PUSH_WS_H
#define PUSH_WS_H

#include "server_int.h"

/* ws.c: the libwebsockets protocols of the WebSocket port. */
extern struct lws_protocols push_ws_protocols[];

#endif
