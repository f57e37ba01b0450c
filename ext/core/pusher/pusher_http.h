/*
 * pusher_http.h - what pusher_http.c offers: the Pusher HTTP API (/apps/...).
 */
#ifndef PUSH_PUSHER_HTTP_H
#define PUSH_PUSHER_HTTP_H

#include "pusher.h"

struct http_answer;

/* 1 when path is one of the HTTP API's (/apps/...) and the answer is filled
 * (a request push_pusher_http_head() admitted: only its body is checked here). */
int push_pusher_http(push_server *s, int method, const char *path, size_t plen, const char *query, size_t qlen,
		const char *body, size_t blen, struct http_answer *a);
/* Before its body is read: 0 if the request under /apps/ names an app and is signed for it, else
 * -1 with the error answer filled (the signature covers body_md5; the body is compared later). */
int push_pusher_http_head(push_server *s, int method, const char *path, size_t plen, const char *query, size_t qlen,
		struct http_answer *a);

#endif
