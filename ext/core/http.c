/*
 * http.c - plain HTTP on the WebSocket port.
 */
#include <string.h>

#include "server_int.h"

int push_http_callback(push_server *s, struct lws *wsi, push_conn *c, enum lws_callback_reasons reason,
		void *in, size_t len)
{
	switch (reason) {
	case LWS_CALLBACK_HTTP:
		if (lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, "push: WebSocket endpoint") ||
				lws_http_transaction_completed(wsi)) {
			return -1;
		}
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, c, in, len);
	}
}
