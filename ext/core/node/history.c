/*
 * history.c - node layer: messages kept per uid for replay (the "history"
 * option): sequence numbers, TTL and size bounds, replay on (re)connect.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/random.h>

#include <ev.h>
#include <libwebsockets.h>

#include "list.h"
#include "registry.h"
#include "server_int.h"
#include "conn.h"
#include "history.h"
#include "wsframe.h"

/*
 * What history costs, counted against the "bytes" option: each message's
 * record and payload, each uid's history and its table entry, with the
 * allocator's own overhead (one word per block, rounded to 16 bytes).
 */
#define BLOCK(n) (((n) + sizeof(size_t) + 15) & ~(size_t)15)
#define HMSG_COST(len) BLOCK(sizeof(push_hmsg) + (len))
#define HIST_COST(ulen) (BLOCK(sizeof(push_history)) + BLOCK(sizeof(push_entry) + (ulen) + 1) + sizeof(void *))

static void idle_del(push_server *s, push_history *h)
{
	if (!h->idle) {
		return;
	}
	PUSH_LIST_UNLINK2(s->idle_first, s->idle_last, h, i_prev, i_next);
	h->idle = 0;
}

/* An empty history of an offline uid is kept for the TTL (it knows what was dropped), then freed. */
static void hist_set_idle(push_server *s, push_history *h, int idle)
{
	if (idle && !h->idle) {
		h->idle = 1;
		h->idle_since_ms = now_ms(s);
		PUSH_LIST_APPEND(s->idle_first, s->idle_last, h, i_prev, i_next);
	} else if (!idle) {
		idle_del(s, h);
	}
}

void push_hist_check_idle(push_server *s, push_history *h)
{
	hist_set_idle(s, h, !h->first && !push_registry_find(&s->uids, h->entry->name, h->entry->len));
}

void push_hist_uid_offline(push_server *s, push_history *h)
{
	hist_set_idle(s, h, !h->first);
}

static void hist_free(push_server *s, push_history *h)
{
	idle_del(s, h);
	s->hist_bytes -= HIST_COST(h->entry->len);
	push_registry_remove(&s->hist, h->entry);
	free(h);
}

/* Drops the oldest message of its uid. */
static void hmsg_drop(push_server *s, push_hmsg *m)
{
	push_history *h = m->owner->head;

	h->first = m->next;
	if (!h->first) {
		h->last = NULL;
	}
	h->count--;
	h->dropped = m->seq;
	PUSH_LIST_UNLINK2(s->hist_first, s->hist_last, m, g_prev, g_next);
	s->hist_bytes -= HMSG_COST(m->len);
	s->hist_count--;
	free(m);
	if (!h->first) {
		push_hist_check_idle(s, h);
	}
}

/* A history's tag: random, so that tags say nothing of how many histories were made. */
static void new_tag(char *tag)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	unsigned char r[HIST_TAG_LEN];
	size_t i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		for (i = 0; i < sizeof(r); i++) {
			r[i] = (unsigned char)rand();
		}
	}
	for (i = 0; i < HIST_TAG_LEN; i++) {
		tag[i] = digits[r[i] % 36];
	}
	tag[HIST_TAG_LEN] = '\0';
}

push_history *push_hist_get(push_server *s, const char *uid, size_t ulen, int create)
{
	push_entry *he = create ? push_registry_get(&s->hist, uid, ulen) : push_registry_find(&s->hist, uid, ulen);
	push_history *h;

	if (!he || he->head) {
		return he ? he->head : NULL;
	}
	if (!(h = calloc(1, sizeof(*h)))) {
		push_registry_remove(&s->hist, he);
		return NULL;
	}
	h->entry = he;
	new_tag(h->tag);
	he->head = h;
	s->hist_bytes += HIST_COST(ulen);
	return h;
}

/* Keeps a message pushed to uid; returns its sequence number, 0 if not kept. */
uint64_t push_hist_add(push_server *s, const char *uid, size_t ulen, const char *msg, size_t mlen, int online,
		push_history **hp)
{
	push_history *h = push_hist_get(s, uid, ulen, 1);
	push_hmsg *m;

	*hp = h;
	if (!h || !(m = malloc(sizeof(*m) + mlen))) {
		return 0;
	}
	idle_del(s, h);
	m->next = NULL;
	m->owner = h->entry;
	m->seq = ++h->seq;
	m->at_ms = now_ms(s);
	m->len = (uint32_t)mlen;
	memcpy(m->data, msg, mlen);
	if (h->last) {
		h->last->next = m;
	} else {
		h->first = m;
	}
	h->last = m;
	h->count++;
	PUSH_LIST_APPEND(s->hist_first, s->hist_last, m, g_prev, g_next);
	s->hist_bytes += HMSG_COST(mlen);
	s->hist_count++;
	if (!online && !h->undelivered_from) {
		h->undelivered_from = m->seq;
	}
	while (h->count > s->cfg.history_size) {
		hmsg_drop(s, h->first);
	}
	/* over "bytes": the oldest go first; empty histories of offline uids before any message */
	while (s->hist_bytes > s->cfg.history_bytes) {
		if (s->idle_first) {
			hist_free(s, s->idle_first);
		} else if (s->hist_first != m) {
			hmsg_drop(s, s->hist_first);
		} else {
			break;
		}
	}
	return m->seq;
}

/* TTL: drops expired messages, then frees histories idle for longer than the TTL. */
void push_hist_expire(push_server *s)
{
	int64_t limit = now_ms(s) - (int64_t)s->cfg.history_ttl_ms;

	while (s->hist_first && s->hist_first->at_ms <= limit) {
		hmsg_drop(s, s->hist_first);
	}
	while (s->idle_first && s->idle_first->idle_since_ms <= limit) {
		hist_free(s, s->idle_first);
	}
}

int push_hist_queue(push_server *s, push_conn *c, const push_history *h, uint64_t seq, const char *msg, size_t len)
{
	char pre[64];
	int plen;

	if (!c->seq_mode || !seq || !h) {
		return push_conn_queue_plain(s, c, msg, len);
	}
	plen = snprintf(pre, sizeof(pre), "%s%s-%llu|", s->epoch, h->tag, (unsigned long long)seq);
	return push_conn_queue2(s, c, push_conn_msg_op(s, msg, len), pre, (size_t)plen, msg, len);
}

/*
 * A connection just bound: replays what it missed. With "?last=E-S": every
 * kept message after S, or "!gap" when some of them are no longer kept (or
 * cannot be known). Without: what was pushed while no connection of the uid
 * was there and nobody received yet.
 */
void push_hist_on_bind(push_server *s, push_conn *c)
{
	push_history *h = push_hist_get(s, c->uid->name, c->uid->len, 0);
	push_hmsg *m;
	uint64_t after;

	if (h) {
		push_hist_check_idle(s, h);   /* online now: not idle */
	}
	if (c->resume_set) {
		/*
		 * "last=E-S" of this very history: what came after S, or a gap if some of
		 * it was dropped. Of an older history of this uid in this run (it was
		 * freed once empty and idle): what that one held after S is not known,
		 * a gap. Of another run: all kept is new to it, unless some was dropped.
		 */
		int same = 0, gap;

		if (!h && c->resume_same_epoch) {
			h = push_hist_get(s, c->uid->name, c->uid->len, 1);   /* a position to resume from next time */
		}
		if (h) {
			char e[48];

			snprintf(e, sizeof(e), "%s%s", s->epoch, h->tag);
			same = strcmp(CONN_RARE(c, resume_e, ""), e) == 0;
		}
		after = same ? CONN_RARE(c, resume_seq, 0) : 0;
		gap = same ? after < (h ? h->dropped : 0) : c->resume_same_epoch || (h && h->dropped);
		if (gap) {
			char msg[80];
			int n = snprintf(msg, sizeof(msg), "!gap %s%s-%llu", s->epoch, h ? h->tag : "",
					(unsigned long long)(h ? h->seq : 0));

			push_conn_queue(s, c, PUSH_WS_OP_TEXT, msg, (size_t)n);
			s->stats.replay_gaps++;
			if (h) {
				h->undelivered_from = 0;
			}
			return;
		}
	} else if (h && h->undelivered_from) {
		after = h->undelivered_from - 1;
	} else {
		return;
	}
	if (!h) {
		return;
	}
	h->undelivered_from = 0;
	for (m = h->first; m; m = m->next) {
		if (m->seq > after && push_hist_queue(s, c, h, m->seq, m->data, m->len)) {
			s->stats.replayed++;
		}
	}
}

/* Frees every kept message and history (server teardown). */
void push_hist_destroy(push_server *s)
{
	push_hmsg *m, *next;
	size_t i;

	for (m = s->hist_first; m; m = next) {
		next = m->g_next;
		free(m);
	}
	s->hist_first = s->hist_last = NULL;
	s->hist_bytes = s->hist_count = 0;
	for (i = 0; s->hist.buckets && i <= s->hist.mask; i++) {
		push_entry *e;

		for (e = s->hist.buckets[i]; e; e = e->next) {
			free(e->head);
			e->head = NULL;
		}
	}
	s->idle_first = s->idle_last = NULL;
}
