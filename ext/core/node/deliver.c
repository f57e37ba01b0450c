/*
 * deliver.c - node layer: delivery to this process's connections: a uid's
 * connections (with history), every bound connection (the broadcast frame is
 * built once), and the kick of a uid's connections.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>
#include <libwebsockets.h>

#include "registry.h"
#include "server_int.h"
#include "conn.h"
#include "history.h"
#include "deliver.h"
#include "wsframe.h"

/* Delivers to this node's connections of uid (history applies here). */
size_t push_local_deliver_uid(push_server *s, const char *uid, size_t len, const char *msg, size_t mlen,
		int online_elsewhere, int *queued)
{
	push_entry *e = push_registry_find(&s->uids, uid, len);
	push_conn *c, *next;
	uint64_t seq = 0;
	push_history *h = NULL;
	size_t n = 0;

	if (s->cfg.history_size && (e || !online_elsewhere)) {
		seq = push_hist_add(s, uid, len, msg, mlen, e != NULL, &h);
		if (!e) {
			if (seq) {
				*queued = 1;
			}
			return 0;
		}
	}
	if (!e) {
		return 0;
	}
	for (c = e->head; c; c = next) {
		next = c->u_next;     /* a slow consumer unbinds itself in push_conn_queue */
		if (push_hist_queue(s, c, h, seq, msg, mlen)) {
			n++;
		}
	}
	s->stats.delivered += n;
	s->stats.bytes_out += n * mlen;
	return n;
}

int push_local_deliver(push_server *s, push_conn *c, const char *msg, size_t mlen)
{
	if (c->mark == s->send_gen || c->state != CS_BOUND) {
		return 0;
	}
	c->mark = s->send_gen;
	return push_conn_queue_plain(s, c, msg, mlen);
}

/* Builds a frame for msg (after an optional one-byte prefix) in a reusable buffer. */
static unsigned char *frame_build(unsigned char **buf, size_t *cap, unsigned op, const char *pre, size_t plen,
		const char *msg, size_t mlen, size_t *flen)
{
	size_t hl = push_ws_header_len(plen + mlen);

	*flen = hl + plen + mlen;
	if (*flen > *cap) {
		unsigned char *p = realloc(*buf, *flen);

		if (!p) {
			return NULL;
		}
		*buf = p;
		*cap = *flen;
	}
	push_ws_header(*buf, op, plen + mlen);
	if (plen) {
		memcpy(*buf + hl, pre, plen);
	}
	if (mlen) {
		memcpy(*buf + hl + plen, msg, mlen);
	}
	return *buf;
}

/*
 * Every bound connection of this node but the Pusher protocol's (they take
 * only that protocol's events): the frame is built once and written straight out.
 */
size_t push_local_broadcast_all(push_server *s, const char *msg, size_t mlen)
{
	size_t flen = 0, slen = 0, n = 0;
	unsigned op = push_conn_msg_op(s, msg, mlen);
	unsigned char *frame = frame_build(&s->bcast, &s->bcast_cap, op, NULL, 0, msg, mlen, &flen), *sframe = NULL;
	push_conn *c, *next;

	if (!frame) {
		return 0;
	}
	for (c = s->all; c; c = next) {
		next = c->all_next;
		if (c->is_pusher) {
			continue;
		}
		if (c->seq_mode) {
			/* the frame with the "|" prefix is built once too, the first time it is needed */
			if (!sframe && !(sframe = frame_build(&s->bcast_seq, &s->bcast_seq_cap, op, "|", 1, msg, mlen, &slen))) {
				continue;
			}
			n += (size_t)push_conn_send_frame(s, c, sframe, slen);
		} else {
			n += (size_t)push_conn_send_frame(s, c, frame, flen);
		}
	}
	s->stats.delivered += n;
	s->stats.bytes_out += n * mlen;
	return n;
}

size_t push_local_send_uid(push_server *s, const char *uid, size_t len, const char *msg, size_t mlen)
{
	int queued = 0;

	return push_local_deliver_uid(s, uid, len, msg, mlen, 0, &queued);
}

size_t push_local_kick(push_server *s, const char *uid, size_t len, int code, const char *reason)
{
	push_entry *e = push_registry_find(&s->uids, uid, len);
	size_t n = 0;

	while (e && e->head) {
		push_conn *c = e->head;
		int last = e->count == 1;

		push_conn_close_async(c, code, reason);   /* unbinds c, may free e */
		n++;
		if (last) {
			break;
		}
	}
	return n;
}
