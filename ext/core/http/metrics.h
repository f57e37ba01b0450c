/*
 * metrics.h - what metrics.c offers: GET /metrics.
 */
#ifndef PUSH_METRICS_H
#define PUSH_METRICS_H

#include "server_int.h"

/* metrics.c: the answer to GET /metrics. */
struct http_answer;
void push_http_metrics(push_server *s, struct http_answer *a);

#endif
