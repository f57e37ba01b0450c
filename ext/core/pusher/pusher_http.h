/*
 * pusher_http.h - the Pusher HTTP API (pusher_http.c): the role the HTTP
 * port hands a request below /apps/ to, when Pusher apps are configured.
 */
#ifndef PUSH_PUSHER_HTTP_H
#define PUSH_PUSHER_HTTP_H

#include <stddef.h>

#include "http_parse.h"
#include "server.h"

/*
 * The Pusher role when it claims a request for uri (the path, as the request
 * head gave it): below /apps/ with Pusher apps configured. NULL otherwise.
 */
const push_http_role *push_pusher_http_role(push_server *s, const char *uri, size_t uri_len);

#endif
