/*
 * text_answer.c - front end, Text port: the answers of a connection, in line
 * order. An answer waiting for Redis (a cluster push) holds the ones after
 * it; text.c writes them out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>
#include <libwebsockets.h>

#include "buf.h"
#include "server_int.h"
#include "text_answer.h"

static void text_out(push_tconn *t, const char *s, size_t len)
{
	if (push_buf_reserve(&t->out, len + 1) != 0) {
		t->out.failed = 0;      /* this answer is lost; the next ones may fit */
		return;
	}
	push_buf_put(&t->out, s, len);
	push_buf_put(&t->out, "\n", 1);
	t->dirty = 1;
}

void push_text_pending_add(push_tconn *t, push_pending *p)
{
	p->next = NULL;
	if (t->pq_tail) {
		t->pq_tail->next = p;
	} else {
		t->pq_head = p;
	}
	t->pq_tail = p;
}

/* Moves the answers that are ready, from the head of the queue, to the output. */
void push_text_pending_flush(push_tconn *t)
{
	push_pending *p;

	while ((p = t->pq_head) && p->ready) {
		text_out(t, p->text, p->len);
		t->pq_head = p->next;
		if (!t->pq_head) {
			t->pq_tail = NULL;
		}
		free(p->text);
		free(p);
	}
}

/* An answer line; behind any answer still waiting for Redis. */
void push_text_answer(push_tconn *t, const char *s, size_t len)
{
	push_pending *p;

	if (!t->pq_head) {
		text_out(t, s, len);
		return;
	}
	if (!(p = calloc(1, sizeof(*p))) || !(p->text = malloc(len ? len : 1))) {
		free(p);
		return;
	}
	memcpy(p->text, s, len);
	p->len = len;
	p->ready = 1;
	p->t = t;
	push_text_pending_add(t, p);
}

void push_text_answerf(push_tconn *t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0) {
		return;
	}
	push_text_answer(t, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/*
 * The words of a push's answer (no newline) in buf; returns their length.
 * When Redis could not take it for the other nodes (or no connection got it
 * and a node could not be reached) the answer is an error, saying in the
 * command form how many connections did get it.
 */
size_t push_text_answer_words(const push_pending *p, char *buf, size_t cap)
{
	int n, err = p->unsent || (!p->n && p->failed);

	if (p->cmd) {
		if (err) {
			n = snprintf(buf, cap, "{\"ok\":false,\"error\":\"" PUSH_TEXT_CLUSTER_ERROR "\",\"count\":%zu}", p->n);
		} else if (p->n) {
			n = snprintf(buf, cap, "{\"ok\":true,\"count\":%zu}", p->n);
		} else if (p->queued) {
			n = snprintf(buf, cap, "{\"ok\":true,\"count\":0,\"queued\":true}");
		} else {
			n = snprintf(buf, cap, "{\"ok\":true,\"count\":0}");
		}
	} else {
		n = snprintf(buf, cap, "%s", err ? "error: " PUSH_TEXT_CLUSTER_ERROR : p->n ? "ok" : p->queued ? "queued" : "fail");
	}
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

/* A command's answer from what the routing layer did: {"ok":true,"count":N} or the cluster error. */
void push_text_answer_result(push_tconn *t, const push_result *r)
{
	push_pending now;
	char buf[160];

	memset(&now, 0, sizeof(now));
	now.cmd = 1;
	now.n = r->count;
	now.unsent = r->cluster_fail;
	push_text_answer(t, buf, push_text_answer_words(&now, buf, sizeof(buf)));
}

/* The final answer of a cluster push, once every node confirmed (or did not). */
void push_text_pending_finish(push_pending *p)
{
	char buf[160];
	size_t n = push_text_answer_words(p, buf, sizeof(buf));

	p->text = strndup(buf, n);
	p->len = p->text ? n : 0;
	p->ready = 1;
}
