/*
 * text_answer.h - what text_answer.c offers: the answers of a Text connection, in line order.
 */
#ifndef PUSH_TEXT_ANSWER_H
#define PUSH_TEXT_ANSWER_H

#include "server_int.h"
#include "route.h"

/* text_answer.c: the answers of a Text connection, in line order. */
void push_text_answer(push_tconn *t, const char *s, size_t len);
void push_text_answerf(push_tconn *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void push_text_pending_add(push_tconn *t, push_pending *p);
/* Moves the answers that are ready, from the head of the queue, to the output. */
void push_text_pending_flush(push_tconn *t);
/* The final words of a push that waited for confirmations. */
void push_text_pending_finish(push_pending *p);
/* The words of a push's answer: ok/queued/fail, or {"ok":..,"count":..} for the send command. */
size_t push_text_answer_words(const push_pending *p, char *buf, size_t cap);
/* The words of a push that Redis could not take for the other nodes. */
#define PUSH_TEXT_CLUSTER_ERROR "cluster unavailable: not delivered to other nodes"
/* A command's answer from a push_result: {"ok":true,"count":N}, or the cluster error with the count. */
void push_text_answer_result(push_tconn *t, const push_result *r);

#endif
