/*
 * server.c - the push server: libwebsockets on a libev loop.
 *
 * Data path. A push looks up the uid in the registry and appends a complete,
 * unmasked WebSocket frame to each of its connections' send queues; the
 * connection goes on a dirty list. At the end of every libwebsockets callback
 * (and every timer) the dirty list is flushed: each queue goes out in ONE
 * raw write, so a read of many Text lines costs one send() per connection,
 * not one per message. A queue that grows past send_queue_max marks a slow
 * consumer, which is dropped (close 4008) instead of growing the heap.
 *
 * Frames are always handed to libwebsockets whole, so the bytes it buffers on
 * a short write end at a frame boundary and its own control frames (pong,
 * close) can never land inside one of ours.
 */
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <ev.h>
#include <libwebsockets.h>

#include "cluster.h"
#include "exclude.h"
#include "registry.h"
#include "server.h"
#include "server_int.h"
#include "textproto.h"
#include "token.h"
#include "wsframe.h"


/* ---------------------------------------------------------------- utils -- */

void push_log(const char *fmt, ...)
{
	FILE *fp = stderr;
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(fp, "[%s] push: ", ts);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	fflush(fp);
}

static void lws_log_emit(int level, const char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) {
		n--;
	}
	push_log("libwebsockets: %.*s", (int)n, line);
}

static inline int64_t now_ms(push_server *s)
{
	return (int64_t)(ev_now(s->loop) * 1000.0);
}

/* push_conn is allocated once per connection: it must stay within a 128-byte heap chunk. */
typedef char push_conn_fits_128[sizeof(push_conn) <= 120 ? 1 : -1];

/* The clock of push_conn's times: milliseconds in 32 bits, compared by wrapping difference. */
static inline uint32_t now32(push_server *s)
{
	return (uint32_t)now_ms(s);
}

static inline push_server *conn_srv(push_conn *c)
{
	return lws_context_user(lws_get_context(c->wsi));
}

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static unsigned char *xmemdup(const unsigned char *p, size_t n)
{
	unsigned char *d;

	if (!p) {
		return NULL;
	}
	d = malloc(n ? n : 1);
	if (d) {
		memcpy(d, p, n);
	}
	return d;
}

void push_config_defaults(push_config *c)
{
	memset(c, 0, sizeof(*c));
	c->ws_port = 1234;
	c->text_port = 5678;
	c->plain_uid = 1;
	c->auth_timeout_ms = 10000;
	c->ping_interval_ms = 25000;
	c->ping_timeout_ms = 10000;
	c->max_conns = 100000;
	c->max_msg_in = 64 * 1024;
	c->max_msg_out = 1024 * 1024;
	c->max_uid_len = 128;
	c->text_max_line = 1024 * 1024 + 4096;
	c->send_queue_max = 4 * 1024 * 1024;
	c->busy_poll_us = 100;
	c->drain_timeout_ms = 3000;
	c->history_size = 0;
	c->history_ttl_ms = 300000;
	c->history_bytes = 64ull * 1024 * 1024;
}

void push_config_free(push_config *c)
{
	size_t i;

	free(c->ws_host);
	free(c->text_host);
	free(c->tls_cert);
	free(c->tls_key);
	free(c->secret);
	free(c->text_secret);
	free(c->api_secret);
	free(c->redis);
	free(c->redis_prefix);
	free(c->node_id);
	for (i = 0; i < c->norigins; i++) {
		free(c->origins[i]);
	}
	free(c->origins);
	memset(c, 0, sizeof(*c));
}

static int config_copy(push_config *d, const push_config *s)
{
	size_t i;

	*d = *s;
	d->ws_host = xstrdup(s->ws_host);
	d->text_host = xstrdup(s->text_host);
	d->tls_cert = xstrdup(s->tls_cert);
	d->tls_key = xstrdup(s->tls_key);
	d->secret = xmemdup(s->secret, s->secret_len);
	d->text_secret = xmemdup(s->text_secret, s->text_secret_len);
	d->api_secret = xmemdup(s->api_secret, s->api_secret_len);
	d->redis = xstrdup(s->redis);
	d->redis_prefix = xstrdup(s->redis_prefix);
	d->node_id = xstrdup(s->node_id);
	d->origins = NULL;
	if (s->norigins) {
		d->origins = calloc(s->norigins, sizeof(char *));
		if (!d->origins) {
			return -1;
		}
		for (i = 0; i < s->norigins; i++) {
			d->origins[i] = xstrdup(s->origins[i]);
		}
	}
	return 0;
}

/* ------------------------------------------------------- send queues -- */

static void dirty_add(push_server *s, push_conn *c)
{
	if (c->dirty) {
		return;
	}
	c->dirty = 1;
	c->d_prev = NULL;
	c->d_next = s->dirty;
	if (s->dirty) {
		s->dirty->d_prev = c;
	}
	s->dirty = c;
}

static void dirty_del(push_server *s, push_conn *c)
{
	if (!c->dirty) {
		return;
	}
	if (c->d_prev) {
		c->d_prev->d_next = c->d_next;
	} else {
		s->dirty = c->d_next;
	}
	if (c->d_next) {
		c->d_next->d_prev = c->d_prev;
	}
	c->dirty = 0;
	c->d_prev = c->d_next = NULL;
}

/*
 * Send queues are empty nearly all the time: a connection gives its buffer
 * back as soon as it is written out, so idle connections hold none. Buffers of
 * the usual size go to a free list the next queue takes them from.
 */
static void out_buf_put(push_server *s, unsigned char *p, uint32_t cap)
{
	if (!p) {
		return;
	}
	if (cap == OUT_SMALL && s->out_pool_n < OUT_POOL_MAX) {
		if (!s->out_pool && !(s->out_pool = malloc(OUT_POOL_MAX * sizeof(*s->out_pool)))) {
			free(p);
			return;
		}
		s->out_pool[s->out_pool_n++] = p;
		return;
	}
	free(p);
}

static void out_release(push_server *s, push_conn *c)
{
	s->stats.queued_bytes -= c->out_len;
	c->out_len = 0;
	out_buf_put(s, c->out, c->out_cap);
	c->out = NULL;
	c->out_cap = 0;
}

static void conn_close_async(push_conn *c, int code, const char *reason);

/*
 * libwebsockets runs its timeouts from a timer it re-arms after its own
 * callbacks; a timeout set from one of ours (a Text line, a timer, Redis)
 * needs the loop woken so the timer is re-armed.
 */
static void conn_set_timeout(push_server *s, push_conn *c, int secs)
{
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, secs);
	if (!s->in_lws) {
		s->kick = 1;
	}
}

/* After one of our own callbacks: wakes libwebsockets if it has timers or closes to look at. */
static void lws_kick(push_server *s)
{
	if (s->kick && s->ctx) {
		s->kick = 0;
		lws_cancel_service(s->ctx);
	}
}

static push_history *hist_get(push_server *s, const char *uid, size_t ulen, int create);
static void hist_check_idle(push_server *s, push_history *h);

/* Writes the queue in one raw write if libwebsockets holds nothing; else waits for WRITEABLE. */
static void conn_flush(push_server *s, push_conn *c)
{
	int n;

	dirty_del(s, c);
	if (!c->out_len) {
		return;
	}
	if (lws_partial_buffered(c->wsi)) {
		lws_callback_on_writable(c->wsi);
		return;
	}
	c->held = 0;
	n = lws_write(c->wsi, c->out, c->out_len, LWS_WRITE_RAW);
	if (n < 0) {
		out_release(s, c);
		conn_set_timeout(s, c, LWS_TO_KILL_ASYNC);
		return;
	}
	if (lws_partial_buffered(c->wsi)) {
		c->held = c->out_len;
	}
	out_release(s, c);
}

static void flush_dirty(push_server *s)
{
	while (s->dirty) {
		conn_flush(s, s->dirty);
	}
}

void push_server_flush(push_server *s)
{
	flush_dirty(s);
	if (!s->in_lws) {
		lws_kick(s);
	}
}

/*
 * Makes room for need more bytes in a connection's queue. Returns 0, or -1
 * when the queue would pass send_queue_max: the connection is then dropped as
 * a slow consumer (it does not read; what is queued would never leave).
 */
static int out_reserve(push_server *s, push_conn *c, size_t more)
{
	size_t need = (size_t)c->out_len + more;

	if ((uint64_t)need + c->held > s->cfg.send_queue_max) {
		s->stats.slow_disconnects++;
		conn_close_async(c, PUSH_CLOSE_SLOW, "send queue full");
		return -1;
	}
	if (!c->out && need <= OUT_SMALL && s->out_pool_n) {
		c->out = s->out_pool[--s->out_pool_n];
		c->out_cap = OUT_SMALL;
		return 0;
	}
	if (need > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : OUT_SMALL;
		unsigned char *p;

		while (cap < need) {
			cap *= 2;
		}
		if (!(p = realloc(c->out, cap))) {
			conn_close_async(c, PUSH_CLOSE_SLOW, "out of memory");
			return -1;
		}
		c->out = p;
		c->out_cap = (uint32_t)cap;
	}
	return 0;
}

/*
 * Appends one frame whose payload is pre followed by msg. Returns 1 if
 * queued, 0 if the connection cannot take it (closing, or now dropped).
 */
static int conn_queue2(push_server *s, push_conn *c, unsigned opcode, const char *pre, size_t plen,
		const char *msg, size_t len)
{
	size_t hl = push_ws_header_len(plen + len);
	unsigned char *p;

	if (c->state == CS_CLOSING || out_reserve(s, c, hl + plen + len) != 0) {
		return 0;
	}
	p = c->out + c->out_len;
	push_ws_header(p, opcode, plen + len);
	if (plen) {
		memcpy(p + hl, pre, plen);
	}
	if (len) {
		memcpy(p + hl + plen, msg, len);
	}
	c->out_len += (uint32_t)(hl + plen + len);
	s->stats.queued_bytes += hl + plen + len;
	dirty_add(s, c);
	return 1;
}

static inline int conn_queue(push_server *s, push_conn *c, unsigned opcode, const char *msg, size_t len)
{
	return conn_queue2(s, c, opcode, NULL, 0, msg, len);
}

/* A message without a history id: connections that asked for ids see it as "|payload". */
static inline int conn_queue_plain(push_server *s, push_conn *c, const char *msg, size_t len)
{
	return c->seq_mode ? conn_queue2(s, c, PUSH_WS_OP_TEXT, "|", 1, msg, len)
			: conn_queue(s, c, PUSH_WS_OP_TEXT, msg, len);
}

/* Sends an already framed message: straight to the socket when nothing is queued. */
static int conn_send_frame(push_server *s, push_conn *c, const unsigned char *frame, size_t flen)
{
	int n;

	if (c->state != CS_BOUND) {
		return 0;
	}
	if (c->out_len || lws_partial_buffered(c->wsi)) {
		if (out_reserve(s, c, flen) != 0) {
			return 0;
		}
		memcpy(c->out + c->out_len, frame, flen);
		c->out_len += (uint32_t)flen;
		s->stats.queued_bytes += flen;
		dirty_add(s, c);
		return 1;
	}
	c->held = 0;
	n = lws_write(c->wsi, (unsigned char *)frame, flen, LWS_WRITE_RAW);
	if (n < 0) {
		conn_set_timeout(s, c, LWS_TO_KILL_ASYNC);
		return 0;
	}
	if (lws_partial_buffered(c->wsi)) {
		c->held = (uint32_t)flen;
	}
	return 1;
}

/* ------------------------------------------------------------ registry -- */

static void conn_unbind(push_server *s, push_conn *c, int keep_uid)
{
	push_entry *e = c->uid;

	if (!e) {
		return;
	}
	if (keep_uid && !CONN_RARE(c, saved_uid, NULL)) {
		push_conn_rare *r = push_conn_rare_get(c);

		if (r && (r->saved_uid = malloc(e->len + 1)) != NULL) {
			memcpy(r->saved_uid, e->name, e->len + 1);
			r->saved_uid_len = e->len;
		}
	}
	if (c->u_prev) {
		c->u_prev->u_next = c->u_next;
	} else {
		e->head = c->u_next;
	}
	if (c->u_next) {
		c->u_next->u_prev = c->u_prev;
	}
	c->u_prev = c->u_next = NULL;
	c->uid = NULL;
	s->stats.bound_conns--;
	if (s->cluster) {
		push_cluster_presence(s->cluster, e->name, e->len, e->count - 1);
		if (e->count == 1) {
			push_cluster_local_uid(s->cluster, e->name, e->len, 0);
		}
	}
	e->count--;
	if (s->cluster) {
		push_groups_refresh(s, e, c);
	}
	if (e->count == 0) {
		push_history *h;

		if (e->aux) {
			push_groups_uid_gone(s, e);
		}
		h = s->cfg.history_size ? hist_get(s, e->name, e->len, 0) : NULL;

		push_registry_remove(&s->uids, e);
		s->stats.uids--;
		if (h) {
			hist_check_idle(s, h);
		}
	}
}

static int conn_bind(push_server *s, push_conn *c, const char *uid, size_t len)
{
	push_entry *e = push_registry_get(&s->uids, uid, len);
	push_conn *head;

	if (!e) {
		return -1;
	}
	if (e->count == 0) {
		s->stats.uids++;
	}
	head = e->head;
	c->u_prev = NULL;
	c->u_next = head;
	if (head) {
		head->u_prev = c;
	}
	e->head = c;
	e->count++;
	c->uid = e;
	c->state = CS_BOUND;
	s->stats.bound_conns++;
	if (s->cluster) {
		if (e->count == 1) {
			push_cluster_local_uid(s->cluster, uid, len, 1);
		}
		push_cluster_presence(s->cluster, uid, len, e->count);
		push_groups_refresh(s, e, NULL);
	}
	return 0;
}

/* ------------------------------------------------------------- history -- */

static void idle_del(push_server *s, push_history *h)
{
	if (!h->idle) {
		return;
	}
	if (h->i_prev) {
		h->i_prev->i_next = h->i_next;
	} else {
		s->idle_first = h->i_next;
	}
	if (h->i_next) {
		h->i_next->i_prev = h->i_prev;
	} else {
		s->idle_last = h->i_prev;
	}
	h->i_prev = h->i_next = NULL;
	h->idle = 0;
}

/* An empty history of an offline uid is kept for the TTL (it knows what was dropped), then freed. */
static void hist_check_idle(push_server *s, push_history *h)
{
	int idle = !h->first && !push_registry_find(&s->uids, h->entry->name, h->entry->len);

	if (idle && !h->idle) {
		h->idle = 1;
		h->idle_since_ms = now_ms(s);
		h->i_next = NULL;
		h->i_prev = s->idle_last;
		if (s->idle_last) {
			s->idle_last->i_next = h;
		} else {
			s->idle_first = h;
		}
		s->idle_last = h;
	} else if (!idle) {
		idle_del(s, h);
	}
}

static void hist_free(push_server *s, push_history *h)
{
	/* what this history dropped is no longer known per uid: it becomes the floor of new ones */
	if (h->dropped > s->hist_freed_max) {
		s->hist_freed_max = h->dropped;
	}
	idle_del(s, h);
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
	if (m->g_prev) {
		m->g_prev->g_next = m->g_next;
	} else {
		s->hist_first = m->g_next;
	}
	if (m->g_next) {
		m->g_next->g_prev = m->g_prev;
	} else {
		s->hist_last = m->g_prev;
	}
	s->hist_bytes -= m->len;
	s->hist_count--;
	free(m);
	if (!h->first) {
		hist_check_idle(s, h);
	}
}

static push_history *hist_get(push_server *s, const char *uid, size_t ulen, int create)
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
	h->dropped = s->hist_freed_max;   /* what freed histories dropped may have been this uid's */
	he->head = h;
	return h;
}

/* Keeps a message pushed to uid; returns its sequence number, 0 if not kept. */
static uint64_t hist_add(push_server *s, const char *uid, size_t ulen, const char *msg, size_t mlen, int online)
{
	push_history *h = hist_get(s, uid, ulen, 1);
	push_hmsg *m;

	if (!h || !(m = malloc(sizeof(*m) + mlen))) {
		return 0;
	}
	idle_del(s, h);
	m->next = NULL;
	m->owner = h->entry;
	m->seq = ++s->hist_seq;
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
	m->g_next = NULL;
	m->g_prev = s->hist_last;
	if (s->hist_last) {
		s->hist_last->g_next = m;
	} else {
		s->hist_first = m;
	}
	s->hist_last = m;
	s->hist_bytes += mlen;
	s->hist_count++;
	if (!online && !h->undelivered_from) {
		h->undelivered_from = m->seq;
	}
	while (h->count > s->cfg.history_size) {
		hmsg_drop(s, h->first);
	}
	while (s->hist_bytes > s->cfg.history_bytes && s->hist_first != m) {
		hmsg_drop(s, s->hist_first);
	}
	return m->seq;
}

/* TTL: drops expired messages, then frees histories idle for longer than the TTL. */
static void hist_expire(push_server *s)
{
	int64_t limit = now_ms(s) - (int64_t)s->cfg.history_ttl_ms;

	while (s->hist_first && s->hist_first->at_ms <= limit) {
		hmsg_drop(s, s->hist_first);
	}
	while (s->idle_first && s->idle_first->idle_since_ms <= limit) {
		hist_free(s, s->idle_first);
	}
}

static int conn_queue_hist(push_server *s, push_conn *c, uint64_t seq, const char *msg, size_t len)
{
	char pre[48];
	int plen;

	if (!c->seq_mode || !seq) {
		return conn_queue_plain(s, c, msg, len);
	}
	plen = snprintf(pre, sizeof(pre), "%s-%llu|", s->epoch, (unsigned long long)seq);
	return conn_queue2(s, c, PUSH_WS_OP_TEXT, pre, (size_t)plen, msg, len);
}

/*
 * A connection just bound: replays what it missed. With "?last=E-S": every
 * kept message after S, or "!gap" when some of them are no longer kept (or
 * cannot be known). Without: what was pushed while no connection of the uid
 * was there and nobody received yet.
 */
static void hist_on_bind(push_server *s, push_conn *c)
{
	push_history *h = hist_get(s, c->uid->name, c->uid->len, 0);
	push_hmsg *m;
	uint64_t after;

	if (h) {
		hist_check_idle(s, h);   /* online now: not idle */
	}
	if (c->resume_set) {
		/* messages of this uid up to the floor may be gone (dropped, or with a freed history) */
		uint64_t floor = h ? h->dropped : s->hist_freed_max;

		after = c->resume_same_epoch ? CONN_RARE(c, resume_seq, 0) : 0;
		if (after < floor) {
			char gap[64];
			int n = snprintf(gap, sizeof(gap), "!gap %s-%llu", s->epoch,
					(unsigned long long)(h && h->last ? h->last->seq : s->hist_seq));

			conn_queue(s, c, PUSH_WS_OP_TEXT, gap, (size_t)n);
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
		if (m->seq > after && conn_queue_hist(s, c, m->seq, m->data, m->len)) {
			s->stats.replayed++;
		}
	}
}

/* Frees every kept message and history (server teardown). */
static void hist_destroy(push_server *s)
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

/* Delivers to this node's connections of uid (history applies here). */
static size_t send_uid_local(push_server *s, const char *uid, size_t len, const char *msg, size_t mlen, int online_elsewhere)
{
	push_entry *e = push_registry_find(&s->uids, uid, len);
	push_conn *c, *next;
	uint64_t seq = 0;
	size_t n = 0;

	if (s->cfg.history_size && (e || !online_elsewhere)) {
		seq = hist_add(s, uid, len, msg, mlen, e != NULL);
		if (!e) {
			if (seq) {
				s->last_queued = 1;
			}
			return 0;
		}
	}
	if (!e) {
		return 0;
	}
	for (c = e->head; c; c = next) {
		next = c->u_next;     /* a slow consumer unbinds itself in conn_queue */
		if (conn_queue_hist(s, c, seq, msg, mlen)) {
			n++;
		}
	}
	s->stats.delivered += n;
	s->stats.bytes_out += n * mlen;
	return n;
}

int push_server_deliver(push_server *s, push_conn *c, const char *msg, size_t mlen)
{
	if (c->mark == s->send_gen || c->state != CS_BOUND) {
		return 0;
	}
	c->mark = s->send_gen;
	return conn_queue_plain(s, c, msg, mlen);
}

/* Builds a frame for msg (after an optional one-byte prefix) in a reusable buffer. */
static unsigned char *frame_build(unsigned char **buf, size_t *cap, const char *pre, size_t plen,
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
	push_ws_header(*buf, PUSH_WS_OP_TEXT, plen + mlen);
	if (plen) {
		memcpy(*buf + hl, pre, plen);
	}
	if (mlen) {
		memcpy(*buf + hl + plen, msg, mlen);
	}
	return *buf;
}

/* Every bound connection of this node: the frame is built once and written straight out. */
size_t push_local_broadcast_all(push_server *s, const char *msg, size_t mlen)
{
	size_t flen = 0, slen = 0, n = 0;
	unsigned char *frame = frame_build(&s->bcast, &s->bcast_cap, NULL, 0, msg, mlen, &flen), *sframe = NULL;
	push_conn *c, *next;

	if (!frame) {
		return 0;
	}
	for (c = s->all; c; c = next) {
		next = c->all_next;
		if (c->seq_mode) {
			/* the frame with the "|" prefix is built once too, the first time it is needed */
			if (!sframe && !(sframe = frame_build(&s->bcast_seq, &s->bcast_seq_cap, "|", 1, msg, mlen, &slen))) {
				continue;
			}
			n += (size_t)conn_send_frame(s, c, sframe, slen);
		} else {
			n += (size_t)conn_send_frame(s, c, frame, flen);
		}
	}
	s->stats.delivered += n;
	s->stats.bytes_out += n * mlen;
	return n;
}

size_t push_local_send_uid(push_server *s, const char *uid, size_t len, const char *msg, size_t mlen)
{
	return send_uid_local(s, uid, len, msg, mlen, 0);
}

/*
 * This node's connections of uid, and in cluster mode the others': the push is
 * published only when the mirror says the uid is online elsewhere, and counted
 * there only when Redis took it.
 */
size_t push_server_send_uid(push_server *s, const char *uid, size_t len, const char *msg, size_t mlen)
{
	uint32_t remote = s->cluster ? push_cluster_uid_count(s->cluster, uid, len) : 0;
	size_t n = send_uid_local(s, uid, len, msg, mlen, remote > 0);

	if (remote) {
		if (push_cluster_push(s->cluster, uid, len, msg, mlen) == 0) {
			n += remote;
		} else {
			s->last_cluster_fail = 1;
		}
	}
	return n;
}

size_t push_server_broadcast(push_server *s, const char *msg, size_t mlen)
{
	return push_server_broadcast_ex(s, msg, mlen, NULL);
}

size_t push_server_uid_count(push_server *s, const char *uid, size_t len)
{
	push_entry *e = push_registry_find(&s->uids, uid, len);

	return (e ? e->count : 0) + (s->cluster ? push_cluster_uid_count(s->cluster, uid, len) : 0);
}

size_t push_server_kick_uid(push_server *s, const char *uid, size_t len, int code, const char *reason)
{
	size_t n = push_local_kick(s, uid, len, code, reason);
	uint32_t remote = s->cluster ? push_cluster_uid_count(s->cluster, uid, len) : 0;

	if (remote && push_cluster_kick(s->cluster, uid, len, code, reason) == 0) {
		n += remote;
	}
	return n;
}

size_t push_local_kick(push_server *s, const char *uid, size_t len, int code, const char *reason)
{
	push_entry *e = push_registry_find(&s->uids, uid, len);
	size_t n = 0;

	while (e && e->head) {
		push_conn *c = e->head;
		int last = e->count == 1;

		conn_close_async(c, code, reason);   /* unbinds c, may free e */
		n++;
		if (last) {
			break;
		}
	}
	return n;
}

/* ---------------------------------------------------------- connections -- */

push_conn *push_server_conn(push_server *s, uint64_t id)
{
	return push_idmap_get(&s->ids, id);
}

int push_conn_open(const push_conn *c)
{
	return c->state == CS_BOUND;
}

uint64_t push_conn_id(const push_conn *c)
{
	return c->id;
}

const char *push_conn_uid(const push_conn *c, size_t *len)
{
	if (c->uid) {
		*len = c->uid->len;
		return c->uid->name;
	}
	if (c->rare && c->rare->saved_uid) {
		*len = c->rare->saved_uid_len;
		return c->rare->saved_uid;
	}
	*len = 0;
	return NULL;
}

const char *push_conn_remote(push_conn *c, char *buf, size_t cap)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char ip[INET6_ADDRSTRLEN];
	int port = 0;

	if (!cap) {
		return buf;
	}
	buf[0] = '\0';
	if (getpeername(lws_get_socket_fd(c->wsi), (struct sockaddr *)&ss, &sl) != 0) {
		return buf;
	}
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
		port = ntohs(a->sin_port);
		snprintf(buf, cap, "%s:%d", ip, port);
	} else if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
		port = ntohs(a->sin6_port);
		snprintf(buf, cap, "[%s]:%d", ip, port);
	}
	return buf;
}

int push_conn_send(push_conn *c, const char *msg, size_t len)
{
	push_server *s = conn_srv(c);

	if (c->state != CS_BOUND || len > s->cfg.max_msg_out) {
		return 0;
	}
	if (!conn_queue_plain(s, c, msg, len)) {
		return 0;
	}
	s->stats.delivered++;
	s->stats.bytes_out += len;
	return 1;
}

/* Asks for a close with code and reason once the queue is out; the connection stops receiving now. */
static void conn_close_async(push_conn *c, int code, const char *reason)
{
	push_server *s = conn_srv(c);

	if (c->state == CS_CLOSING) {
		return;
	}
	conn_unbind(s, c, s->hooks.on_close != NULL);
	c->state = CS_CLOSING;
	c->close_code = (uint16_t)code;
	if (reason && *reason && push_conn_rare_get(c)) {
		free(c->rare->close_reason);
		c->rare->close_reason = strndup(reason, 123);   /* a close frame holds 123 bytes of reason */
	} else if (c->rare) {
		free(c->rare->close_reason);
		c->rare->close_reason = NULL;
	}
	if (code == PUSH_CLOSE_SLOW) {
		/* it does not read: what is queued would never leave */
		out_release(s, c);
		dirty_del(s, c);
	}
	lws_callback_on_writable(c->wsi);
	if (!s->in_lws) {
		s->kick = 1;
	}
	/* a peer that never becomes writable is cut by the sweep after this (last_rx_ms is the deadline now) */
	c->last_rx_ms = now32(s) + CLOSE_GRACE_MS;
}

void push_conn_close(push_conn *c, int code, const char *reason)
{
	conn_close_async(c, code, reason);
}

static void conn_close_now(struct lws *wsi, push_conn *c, int code, const char *reason)
{
	lws_close_reason(wsi, (enum lws_close_status)code, (unsigned char *)reason, strlen(reason));
	c->close_code = (uint16_t)code;
}

static void hs_free(push_handshake *hs)
{
	if (!hs) {
		return;
	}
	free(hs->path);
	free(hs->query);
	free(hs->cookie);
	free(hs->origin);
	free(hs->user_agent);
	free(hs->authorization);
	free(hs->forwarded_for);
	free(hs->protocol);
	free(hs->host);
	free(hs);
}

static char *hdr_dup(struct lws *wsi, enum lws_token_indexes t)
{
	int n = lws_hdr_total_length(wsi, t);
	char *p;

	if (n < 0) {
		n = 0;
	}
	p = malloc((size_t)n + 1);
	if (!p) {
		return NULL;
	}
	p[0] = '\0';
	if (n > 0 && lws_hdr_copy(wsi, p, n + 1, t) < 0) {
		p[0] = '\0';
	}
	return p;
}

static char *query_dup(struct lws *wsi)
{
	char frag[1024], *q = NULL;
	size_t qlen = 0;
	int i, n;

	for (i = 0; (n = lws_hdr_copy_fragment(wsi, frag, sizeof(frag), WSI_TOKEN_HTTP_URI_ARGS, i)) > 0; i++) {
		char *p = realloc(q, qlen + (size_t)n + 2);

		if (!p) {
			break;
		}
		q = p;
		if (qlen) {
			q[qlen++] = '&';
		}
		memcpy(q + qlen, frag, (size_t)n);
		qlen += (size_t)n;
	}
	if (!q) {
		q = strdup("");
	} else {
		q[qlen] = '\0';
	}
	return q;
}

static push_handshake *hs_capture(struct lws *wsi)
{
	push_handshake *hs = calloc(1, sizeof(*hs));

	if (!hs) {
		return NULL;
	}
	hs->path = hdr_dup(wsi, WSI_TOKEN_GET_URI);
	hs->query = query_dup(wsi);
	hs->cookie = hdr_dup(wsi, WSI_TOKEN_HTTP_COOKIE);
	hs->origin = hdr_dup(wsi, WSI_TOKEN_ORIGIN);
	hs->user_agent = hdr_dup(wsi, WSI_TOKEN_HTTP_USER_AGENT);
	hs->authorization = hdr_dup(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
	hs->forwarded_for = hdr_dup(wsi, WSI_TOKEN_X_FORWARDED_FOR);
	hs->protocol = hdr_dup(wsi, WSI_TOKEN_PROTOCOL);
	hs->host = hdr_dup(wsi, WSI_TOKEN_HOST);
	return hs;
}

static int origin_allowed(push_server *s, struct lws *wsi)
{
	char origin[256];
	size_t i;

	if (!s->cfg.norigins) {
		return 1;
	}
	if (lws_hdr_copy(wsi, origin, sizeof(origin), WSI_TOKEN_ORIGIN) <= 0) {
		return 0;
	}
	for (i = 0; i < s->cfg.norigins; i++) {
		if (strcmp(origin, s->cfg.origins[i]) == 0) {
			return 1;
		}
	}
	return 0;
}

/* Binds to uid and tells the host. Returns -1 if the connection must close (reason set). */
static int conn_accept_uid(push_server *s, push_conn *c, const char *uid, size_t len)
{
	if (len == 0 || len > s->cfg.max_uid_len || memchr(uid, '\0', len)) {
		s->stats.refused_auth++;
		conn_close_now(c->wsi, c, PUSH_CLOSE_BAD_UID, "invalid uid");
		return -1;
	}
	if (conn_bind(s, c, uid, len) != 0) {
		conn_close_now(c->wsi, c, PUSH_CLOSE_REFUSED, "out of memory");
		return -1;
	}
	if (c->rare) {
		hs_free(c->rare->hs);
		c->rare->hs = NULL;
	}
	if (s->cfg.history_size) {
		hist_on_bind(s, c);
	}
	if (s->hooks.on_connect && !s->hooks_off) {
		s->hooks.on_connect(s->hooks.ud, c);
	}
	return 0;
}

static int token_refuse(push_server *s, push_conn *c, push_token_status st)
{
	s->stats.refused_auth++;
	if (st == PUSH_TOKEN_EXPIRED) {
		conn_close_now(c->wsi, c, PUSH_CLOSE_EXPIRED, "token expired");
	} else {
		conn_close_now(c->wsi, c, PUSH_CLOSE_BAD_TOKEN, push_token_status_str(st));
	}
	return -1;
}

/* First message of a pending connection: token, auth hook or plain uid. */
static int conn_authenticate(push_server *s, push_conn *c, const char *msg, size_t len)
{
	char uid[PUSH_UID_MAX + 1];
	size_t ulen = 0;

	if (s->hooks.on_auth) {
		if (s->hooks_off) {
			return -1;
		}
		if (!s->hooks.on_auth(s->hooks.ud, c, CONN_RARE(c, hs, NULL), msg, len, uid, sizeof(uid), &ulen)) {
			if (s->stopping && !s->graceful) {
				return -1;
			}
			s->stats.refused_auth++;
			conn_close_now(c->wsi, c, PUSH_CLOSE_REFUSED, "refused");
			return -1;
		}
		return conn_accept_uid(s, c, uid, ulen);
	}
	if (s->cfg.secret) {
		push_token_status st = push_token_verify(s->cfg.secret, s->cfg.secret_len, msg, len,
				(int64_t)time(NULL), uid, sizeof(uid), &ulen);

		if (st == PUSH_TOKEN_OK) {
			return conn_accept_uid(s, c, uid, ulen);
		}
		if (!(s->cfg.plain_uid && st == PUSH_TOKEN_MALFORMED)) {
			return token_refuse(s, c, st);
		}
	}
	if (s->cfg.plain_uid) {
		return conn_accept_uid(s, c, msg, len);
	}
	s->stats.refused_auth++;
	conn_close_now(c->wsi, c, PUSH_CLOSE_REFUSED, "no authentication method");
	return -1;
}

static int conn_message(push_server *s, push_conn *c, const char *data, size_t len, int binary)
{
	s->stats.msgs_in++;
	if (c->state == CS_PENDING) {
		return conn_authenticate(s, c, data, len);
	}
	if (c->state == CS_BOUND && s->hooks.on_message && !s->hooks_off) {
		s->hooks.on_message(s->hooks.ud, c, data, len, binary);
	}
	return 0;
}

static void conn_list_add(push_server *s, push_conn *c)
{
	c->all_prev = NULL;
	c->all_next = s->all;
	if (s->all) {
		s->all->all_prev = c;
	}
	s->all = c;
}

static void conn_list_del(push_server *s, push_conn *c)
{
	if (c->all_prev) {
		c->all_prev->all_next = c->all_next;
	} else if (s->all == c) {
		s->all = c->all_next;
	}
	if (c->all_next) {
		c->all_next->all_prev = c->all_prev;
	}
	c->all_prev = c->all_next = NULL;
}

static void maybe_finish_drain(push_server *s)
{
	if (s->stopping && s->graceful && !s->stats.ws_conns && !s->stats.text_conns) {
		ev_break(s->loop, EVBREAK_ALL);
	}
}

/* Frees the rare part of a connection and what it holds (the HTTP API state is http.c's to free). */
void push_conn_rare_free(push_conn *c)
{
	push_conn_rare *r = c->rare;

	if (!r) {
		return;
	}
	free(r->in);
	free(r->saved_uid);
	free(r->close_reason);
	hs_free(r->hs);
	free(r);
	c->rare = NULL;
}

static int ws_established(push_server *s, struct lws *wsi, push_conn *c)
{
	char tok[PUSH_TOKEN_MAX + 8];
	const char *tval;
	int n;

	push_conn_rare_free(c);       /* whatever the HTTP request before the upgrade left */
	memset(c, 0, sizeof(*c));
	c->wsi = wsi;
	c->id = ++s->next_id;
	c->state = CS_PENDING;
	c->opened_ms = c->last_rx_ms = now32(s);
	c->counted = 1;
	s->stats.ws_conns++;
	s->stats.conns_total++;
	conn_list_add(s, c);
	if (push_idmap_put(&s->ids, c->id, c) != 0) {
		return -1;
	}
	if (s->stopping) {
		conn_close_now(wsi, c, PUSH_CLOSE_GOING_AWAY, "server stopping");
		return -1;
	}
	if (s->hooks.on_auth) {
		if (!push_conn_rare_get(c)) {
			return -1;
		}
		c->rare->hs = hs_capture(wsi);
	}
	if (s->cfg.history_size) {
		char arg[64];

		const char *val;

		if ((val = lws_get_urlarg_by_name(wsi, "seq=", arg, sizeof(arg))) != NULL) {
			c->seq_mode = val[0] == '1';
		}
		if ((val = lws_get_urlarg_by_name(wsi, "last=", arg, sizeof(arg))) != NULL) {
			char *last = (char *)val, *dash = strrchr(last, '-'), *end = NULL;
			unsigned long long v;

			c->seq_mode = 1;
			if (dash) {
				*dash = '\0';
				errno = 0;
				v = strtoull(dash + 1, &end, 10);
				if (!errno && end && !*end && end != dash + 1 && push_conn_rare_get(c)) {
					c->resume_set = 1;
					c->rare->resume_seq = v;
					c->resume_same_epoch = strcmp(last, s->epoch) == 0;
				}
			}
		}
	}
	/* a token in the query string authenticates at once */
	if (s->cfg.secret && !s->hooks.on_auth
			&& (tval = lws_get_urlarg_by_name(wsi, "token=", tok, sizeof(tok))) != NULL) {
		char uid[PUSH_UID_MAX + 1];
		size_t ulen = 0;
		push_token_status st;

		n = (int)strlen(tval);
		st = push_token_verify(s->cfg.secret, s->cfg.secret_len, tval, (size_t)n,
				(int64_t)time(NULL), uid, sizeof(uid), &ulen);
		if (st != PUSH_TOKEN_OK) {
			return token_refuse(s, c, st);
		}
		return conn_accept_uid(s, c, uid, ulen);
	}
	return 0;
}

static void ws_closed(push_server *s, push_conn *c)
{
	if (!c->counted) {
		return;
	}
	c->counted = 0;
	dirty_del(s, c);
	s->stats.queued_bytes -= c->out_len;
	c->out_len = 0;
	conn_unbind(s, c, s->hooks.on_close != NULL);
	conn_list_del(s, c);
	if (CONN_RARE(c, groups, NULL)) {
		push_groups_conn_gone(s, c);
	}
	push_idmap_del(&s->ids, c->id);
	s->stats.ws_conns--;
	if (s->hooks.on_close && !s->hooks_off && (CONN_RARE(c, saved_uid, NULL) || c->state == CS_BOUND)) {
		s->hooks.on_close(s->hooks.ud, c, c->close_code ? c->close_code : 1006);
	}
	out_buf_put(s, c->out, c->out_cap);
	c->out = NULL;
	c->out_cap = 0;
	push_conn_rare_free(c);
	maybe_finish_drain(s);
}

static int ws_receive(push_server *s, struct lws *wsi, push_conn *c, const char *in, size_t len)
{
	int first = lws_is_first_fragment(wsi), final = lws_is_final_fragment(wsi);
	size_t remaining = lws_remaining_packet_payload(wsi);
	int binary = lws_frame_is_binary(wsi);
	uint32_t have = CONN_RARE(c, in_len, 0);
	push_conn_rare *r;

	if (c->state == CS_CLOSING) {
		return 0;
	}
	c->last_rx_ms = now32(s);
	c->ping_sent = 0;
	if (first && final && !remaining && !have) {
		if (len > s->cfg.max_msg_in) {
			goto too_big;
		}
		return conn_message(s, c, in, len, binary);
	}
	/* a message in pieces (longer than the receive buffer, or fragmented by the client) */
	if ((uint64_t)have + len > s->cfg.max_msg_in || !(r = push_conn_rare_get(c))) {
		goto too_big;
	}
	if (first && !have) {
		c->in_binary = (uint8_t)binary;
	}
	if (len) {
		unsigned char *p = realloc(r->in, have + len);

		if (!p) {
			goto too_big;
		}
		r->in = p;
		memcpy(r->in + have, in, len);
		r->in_len = have + (uint32_t)len;
	}
	if (final && !remaining) {
		int rc = conn_message(s, c, (const char *)r->in, r->in_len, c->in_binary);

		free(r->in);
		r->in = NULL;
		r->in_len = 0;
		return rc;
	}
	return 0;

too_big:
	s->stats.refused_too_big++;
	conn_close_now(wsi, c, PUSH_CLOSE_TOO_BIG, "message too big");
	return -1;
}

static int ws_writeable(push_server *s, struct lws *wsi, push_conn *c)
{
	if (!lws_partial_buffered(wsi)) {
		c->held = 0;
	}
	if (c->out_len) {
		conn_flush(s, c);
		if (c->out_len || lws_partial_buffered(wsi)) {
			return 0;
		}
	}
	if (c->state == CS_CLOSING && !lws_partial_buffered(wsi)) {
		const char *why = CONN_RARE(c, close_reason, NULL);

		lws_close_reason(wsi, (enum lws_close_status)c->close_code, (unsigned char *)why, why ? strlen(why) : 0);
		return -1;
	}
	return 0;
}

static int ws_callback_inner(push_server *s, struct lws *wsi, enum lws_callback_reasons reason, push_conn *c,
		void *in, size_t len);

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	push_server *s = lws_context_user(lws_get_context(wsi));
	int rc;

	if (!s) {
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
	s->in_lws++;
	rc = ws_callback_inner(s, wsi, reason, user, in, len);
	s->in_lws--;
	return rc;
}

static int ws_callback_inner(push_server *s, struct lws *wsi, enum lws_callback_reasons reason, push_conn *c,
		void *in, size_t len)
{
	void *user = c;
	int rc = 0;

	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		if (s->stopping) {
			return 1;
		}
		if (s->stats.ws_conns >= s->cfg.max_conns) {
			s->stats.refused_max_conns++;
			return 1;
		}
		if (!origin_allowed(s, wsi)) {
			s->stats.refused_origin++;
			return 1;
		}
		return 0;
	case LWS_CALLBACK_ESTABLISHED:
		rc = ws_established(s, wsi, c);
		break;
	case LWS_CALLBACK_RECEIVE:
		rc = ws_receive(s, wsi, c, in, len);
		break;
	case LWS_CALLBACK_RECEIVE_PONG:
		if (c->state != CS_CLOSING) {
			c->last_rx_ms = now32(s);
			c->ping_sent = 0;
		}
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		rc = ws_writeable(s, wsi, c);
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (len >= 2) {
			c->close_code = (uint16_t)((((unsigned char *)in)[0] << 8) | ((unsigned char *)in)[1]);
		} else {
			c->close_code = 1005;
		}
		break;
	case LWS_CALLBACK_CLOSED:
		ws_closed(s, c);
		break;
	case LWS_CALLBACK_HTTP:
	case LWS_CALLBACK_HTTP_BODY:
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
	case LWS_CALLBACK_HTTP_WRITEABLE:
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		rc = push_http_callback(s, wsi, c, reason, in, len);
		if (s->dirty) {
			flush_dirty(s);
		}
		return rc;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
	if (s->dirty) {
		flush_dirty(s);
	}
	return rc;
}

/* ---------------------------------------------------------------- Text -- */

static int tout_reserve(push_tconn *t, size_t more)
{
	size_t need = (size_t)t->out_len + more;

	if (need > t->out_cap) {
		size_t cap = t->out_cap ? t->out_cap : 512;
		char *p;

		while (cap < need) {
			cap *= 2;
		}
		if (!(p = realloc(t->out, cap))) {
			return -1;
		}
		t->out = p;
		t->out_cap = (uint32_t)cap;
	}
	return 0;
}

static void text_out(push_tconn *t, const char *s, size_t len)
{
	if (tout_reserve(t, len + 1) != 0) {
		return;
	}
	memcpy(t->out + t->out_len, s, len);
	t->out_len += (uint32_t)len;
	t->out[t->out_len++] = '\n';
	t->dirty = 1;
}

static void pending_add(push_tconn *t, push_pending *p)
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
static void pending_flush(push_tconn *t)
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
static void text_answer(push_tconn *t, const char *s, size_t len)
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
	pending_add(t, p);
}

static void text_answerf(push_tconn *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_answerf(push_tconn *t, const char *fmt, ...)
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
	text_answer(t, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/*
 * Writes what the socket takes now; the rest waits for the writable watcher.
 * A backend that does not read its answers stops being read (its lines stay
 * in its socket) until they drain. -1: the connection is broken.
 */
static int text_flush(push_server *s, push_tconn *t)
{
	t->dirty = 0;
	while (t->out_off < t->out_len) {
		ssize_t n = send(t->fd, t->out + t->out_off, t->out_len - t->out_off, MSG_NOSIGNAL);

		if (n > 0) {
			t->out_off += (uint32_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			ev_io_start(s->loop, &t->wio);
			if (!t->paused && t->out_len - t->out_off > TEXT_OUT_PAUSE) {
				t->paused = 1;
				ev_io_stop(s->loop, &t->rio);
			}
			return 0;
		}
		return -1;
	}
	t->out_len = t->out_off = 0;
	if (t->out_cap > 64 * 1024) {
		free(t->out);
		t->out = NULL;
		t->out_cap = 0;
	}
	ev_io_stop(s->loop, &t->wio);
	if (t->paused) {
		t->paused = 0;
		ev_io_start(s->loop, &t->rio);
	}
	return 0;
}

static void text_close(push_server *s, push_tconn *t);

typedef void (*text_cmd_fn)(push_server *s, push_tconn *t, push_req *r);

static void answer_json_count(push_tconn *t, size_t n)
{
	text_answerf(t, "{\"ok\":true,\"count\":%zu}", n);
}

/* The final answer of a cluster push, once every node confirmed (or did not). */
static void pending_finish(push_pending *p)
{
	char buf[160];
	int n;

	if (p->cmd) {
		if (p->n) {
			n = snprintf(buf, sizeof(buf), "{\"ok\":true,\"count\":%zu}", p->n);
		} else if (p->failed) {
			n = snprintf(buf, sizeof(buf), "{\"ok\":false,\"error\":\"cluster unavailable: not delivered to other nodes\"}");
		} else if (p->queued) {
			n = snprintf(buf, sizeof(buf), "{\"ok\":true,\"count\":0,\"queued\":true}");
		} else {
			n = snprintf(buf, sizeof(buf), "{\"ok\":true,\"count\":0}");
		}
	} else {
		n = snprintf(buf, sizeof(buf), "%s", p->n ? "ok" : p->failed
				? "error: cluster unavailable: not delivered to other nodes" : p->queued ? "queued" : "fail");
	}
	p->text = strndup(buf, (size_t)n);
	p->len = p->text ? (size_t)n : 0;
	p->ready = 1;
}

/* A node confirmed (count > 0) or did not (0) an acknowledged cluster push. */
static void pending_done(void *arg, uint32_t count)
{
	push_pending *p = arg;
	push_tconn *t;

	p->n += count;
	if (!count) {
		p->failed = 1;
	}
	if (--p->waits) {
		return;
	}
	pending_finish(p);
	if (!(t = p->t)) {
		/* its connection closed meanwhile */
		free(p->text);
		free(p);
		return;
	}
	pending_flush(t);   /* may free p */
	if (t->srv->hooks_off) {
		return;
	}
	if ((t->dirty && text_flush(t->srv, t) != 0)
			|| (t->closing && t->out_off >= t->out_len && !t->pq_head)) {
		text_close(t->srv, t);
	}
}

/*
 * A push on the Text port in cluster mode: delivered here at once; for each
 * node that holds one of the uids, published on that node's channel and
 * answered when Redis says the node got it. "ok" only counts what was
 * confirmed; a node that did not get it makes "fail" or an error, never "ok".
 */
static void text_push_cluster(push_server *s, push_tconn *t, push_req *r, int cmd)
{
	push_pending *p = calloc(1, sizeof(*p));
	size_t i;

	if (!p) {
		text_answerf(t, "error: out of memory");
		return;
	}
	p->t = t;
	p->cmd = (uint8_t)cmd;
	s->stats.pushes++;
	s->last_queued = 0;
	p->waits = 1;    /* held until every publish is issued */
	for (i = 0; i < r->nuids; i++) {
		const char *u = r->uids[i].p;
		size_t ul = r->uids[i].len;
		uint32_t remote = push_cluster_uid_count(s->cluster, u, ul), k = 0;

		p->n += send_uid_local(s, u, ul, r->msg.p, r->msg.len, remote > 0);
		if (remote && !(k = push_cluster_push_acked(s->cluster, u, ul, r->msg.p, r->msg.len, pending_done, p))) {
			p->failed = 1;
		}
		p->waits += k;
	}
	p->queued = (uint8_t)s->last_queued;
	pending_add(t, p);
	if (--p->waits == 0) {
		pending_finish(p);
		pending_flush(t);
	}
}

static int check_msg_out(push_server *s, push_tconn *t, push_req *r)
{
	if (r->msg.len > s->cfg.max_msg_out) {
		s->stats.refused_msg_out++;
		return -1;
	}
	return 0;
}

static size_t send_to_uids(push_server *s, push_req *r)
{
	size_t i, n = 0;

	s->stats.pushes++;
	for (i = 0; i < r->nuids; i++) {
		n += push_server_send_uid(s, r->uids[i].p, r->uids[i].len, r->msg.p, r->msg.len);
	}
	return n;
}

static void cmd_send(push_server *s, push_tconn *t, push_req *r)
{
	if (!r->nuids || !r->msg.p) {
		text_answerf(t, "{\"ok\":false,\"error\":\"send needs \\\"uid\\\" and \\\"msg\\\"\"}");
		return;
	}
	if (check_msg_out(s, t, r) != 0) {
		text_answerf(t, "{\"ok\":false,\"error\":\"message too large (limit %u bytes)\"}", s->cfg.max_msg_out);
		return;
	}
	size_t n;

	if (s->cluster) {
		text_push_cluster(s, t, r, 1);
		return;
	}
	s->last_queued = 0;
	s->last_cluster_fail = 0;
	n = send_to_uids(s, r);
	if (!n && s->last_cluster_fail) {
		text_answerf(t, "{\"ok\":false,\"error\":\"cluster unavailable: redis is unreachable, not delivered to other nodes\"}");
		return;
	}
	if (!n && s->last_queued) {
		text_answerf(t, "{\"ok\":true,\"count\":0,\"queued\":true}");
		return;
	}
	answer_json_count(t, n);
}

/* A growable buffer for JSON answers. */
typedef struct jbuf {
	char *p;                   /* bytes */
	size_t len, cap;           /* used and allocated */
	int oom;                   /* an allocation failed */
} jbuf;

static void jb_put(jbuf *b, const char *s, size_t n)
{
	if (b->oom) {
		return;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + n + 1) {
			cap *= 2;
		}
		if (!(p = realloc(b->p, cap))) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void jb_puts(jbuf *b, const char *s)
{
	jb_put(b, s, strlen(s));
}

/* A JSON string literal for arbitrary bytes (bytes >= 0x80 pass through: uids are UTF-8). */
static void jb_str(jbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	jb_put(b, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\' || ch < 0x20 || ch == 0x7f) {
			char esc[6] = { '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15] };

			jb_put(b, s + run, i - run);
			if (ch == '"' || ch == '\\') {
				esc[1] = (char)ch;
				jb_put(b, esc, 2);
			} else {
				jb_put(b, esc, 6);
			}
			run = i + 1;
		}
	}
	jb_put(b, s + run, n - run);
	jb_put(b, "\"", 1);
}

/* Collects names into a JSON array: callback for the presence walks. */
typedef struct name_list {
	jbuf *b;                   /* output */
	size_t n;                  /* names so far */
} name_list;

static void name_list_add(const char *name, size_t len, void *arg)
{
	name_list *l = arg;

	if (l->n++) {
		jb_put(l->b, ",", 1);
	}
	jb_str(l->b, name, len);
}

static void answer_jbuf(push_tconn *t, jbuf *b)
{
	if (b->oom) {
		text_answerf(t, "{\"ok\":false,\"error\":\"out of memory\"}");
	} else {
		text_answer(t, b->p, b->len);
	}
	free(b->p);
}

static void answer_error(push_tconn *t, const char *msg)
{
	jbuf b = {0};

	jb_puts(&b, "{\"ok\":false,\"error\":");
	jb_str(&b, msg, strlen(msg));
	jb_puts(&b, "}");
	answer_jbuf(t, &b);
}

/* A string field of the request, or NULL. */
static const char *req_str(push_req *r, const char *key, size_t *len)
{
	json_object *v;

	if (!json_object_object_get_ex(r->root, key, &v) || !json_object_is_type(v, json_type_string)) {
		return NULL;
	}
	*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

static int need_msg(push_server *s, push_tconn *t, push_req *r, const char *cmd)
{
	if (!r->msg.p) {
		text_answerf(t, "{\"ok\":false,\"error\":\"%s needs \\\"msg\\\"\"}", cmd);
		return -1;
	}
	if (check_msg_out(s, t, r) != 0) {
		text_answerf(t, "{\"ok\":false,\"error\":\"message too large (limit %u bytes)\"}", s->cfg.max_msg_out);
		return -1;
	}
	return 0;
}

static void cmd_broadcast(push_server *s, push_tconn *t, push_req *r)
{
	push_exclude_list x;
	const char *err;

	if (need_msg(s, t, r, "broadcast") != 0) {
		return;
	}
	if (push_exclude_parse(r->root, r->overflowed, &x, &err) != 0) {
		push_exclude_list_free(&x);
		answer_error(t, err);
		return;
	}
	s->stats.pushes++;
	answer_json_count(t, push_server_broadcast_ex(s, r->msg.p, r->msg.len, &x.ex));
	push_exclude_list_free(&x);
}

static void cmd_send_group(push_server *s, push_tconn *t, push_req *r)
{
	push_exclude_list x;
	const char *err, *g;
	size_t glen;

	if (!(g = req_str(r, "group", &glen))) {
		answer_error(t, "sendToGroup needs \"group\"");
		return;
	}
	if (need_msg(s, t, r, "sendToGroup") != 0) {
		return;
	}
	if (push_exclude_parse(r->root, r->overflowed, &x, &err) != 0) {
		push_exclude_list_free(&x);
		answer_error(t, err);
		return;
	}
	s->stats.pushes++;
	answer_json_count(t, push_server_send_group(s, g, glen, r->msg.p, r->msg.len, &x.ex));
	push_exclude_list_free(&x);
}

static void cmd_group_member(push_server *s, push_tconn *t, push_req *r, int join)
{
	const char *g;
	size_t glen, i;
	int changed = 0, offline = 0;

	if (!(g = req_str(r, "group", &glen)) || !glen || !r->nuids) {
		answer_error(t, join ? "joinGroup needs \"group\" and \"uid\"" : "leaveGroup needs \"group\" and \"uid\"");
		return;
	}
	for (i = 0; i < r->nuids; i++) {
		int rc = join ? push_server_group_join_uid(s, g, glen, r->uids[i].p, r->uids[i].len)
				: push_server_group_leave_uid(s, g, glen, r->uids[i].p, r->uids[i].len);

		if (rc < 0) {
			offline++;
		} else {
			changed += rc;
		}
	}
	if (offline == (int)r->nuids) {
		answer_error(t, "uid is not online");
		return;
	}
	text_answerf(t, "{\"ok\":true,\"changed\":%d}", changed);
}

static void cmd_join_group(push_server *s, push_tconn *t, push_req *r)
{
	cmd_group_member(s, t, r, 1);
}

static void cmd_leave_group(push_server *s, push_tconn *t, push_req *r)
{
	cmd_group_member(s, t, r, 0);
}

static void cmd_is_online(push_server *s, push_tconn *t, push_req *r)
{
	size_t i, n = 0;

	if (!r->nuids) {
		answer_error(t, "isUidOnline needs \"uid\"");
		return;
	}
	for (i = 0; i < r->nuids; i++) {
		n += push_server_uid_count(s, r->uids[i].p, r->uids[i].len);
	}
	text_answerf(t, "{\"ok\":true,\"online\":%s,\"count\":%zu}", n ? "true" : "false", n);
}

uint64_t push_server_all_conn_count(push_server *s)
{
	return s->stats.bound_conns + (s->cluster ? push_cluster_remote_conns(s->cluster) : 0);
}

uint64_t push_server_all_uid_count(push_server *s)
{
	return s->stats.uids + (s->cluster ? push_cluster_remote_only_uids(s->cluster) : 0);
}

static void cmd_all_conn_count(push_server *s, push_tconn *t, push_req *r)
{
	answer_json_count(t, (size_t)push_server_all_conn_count(s));
}

static void cmd_all_uid_count(push_server *s, push_tconn *t, push_req *r)
{
	answer_json_count(t, (size_t)push_server_all_uid_count(s));
}

static void cmd_all_group_count(push_server *s, push_tconn *t, push_req *r)
{
	answer_json_count(t, push_server_group_total(s));
}

static void cmd_uid_list(push_server *s, push_tconn *t, push_req *r)
{
	json_object *v;
	uint64_t cursor = 0, next;
	int64_t limit = 1000;
	jbuf b = {0};
	name_list l = { &b, 0 };
	char tail[96];

	if (json_object_object_get_ex(r->root, "cursor", &v)) {
		if (json_object_is_type(v, json_type_int)) {
			cursor = (uint64_t)json_object_get_uint64(v);
		} else if (!json_object_is_type(v, json_type_null)) {
			answer_error(t, "\"cursor\" must be an integer");
			return;
		}
	}
	if (json_object_object_get_ex(r->root, "limit", &v)) {
		limit = json_object_get_int64(v);
		if (!json_object_is_type(v, json_type_int) || limit < 1 || limit > 100000) {
			answer_error(t, "\"limit\" must be an integer from 1 to 100000");
			return;
		}
	}
	jb_puts(&b, "{\"ok\":true,\"uids\":[");
	next = push_server_uids_page(s, cursor, (size_t)limit, name_list_add, &l);
	if (!next && s->cluster) {
		/* the last page also lists the uids online only on other nodes */
		push_cluster_each_remote_uid(s->cluster, name_list_add, &l);
	}
	if (next) {
		snprintf(tail, sizeof(tail), "],\"next\":%llu,\"total\":%llu}", (unsigned long long)next,
				(unsigned long long)push_server_all_uid_count(s));
	} else {
		snprintf(tail, sizeof(tail), "],\"next\":null,\"total\":%llu}",
				(unsigned long long)push_server_all_uid_count(s));
	}
	jb_puts(&b, tail);
	answer_jbuf(t, &b);
}

static void cmd_group_conn_count(push_server *s, push_tconn *t, push_req *r)
{
	const char *g;
	size_t glen;

	if (!(g = req_str(r, "group", &glen))) {
		answer_error(t, "getGroupConnectionCount needs \"group\"");
		return;
	}
	answer_json_count(t, push_server_group_count(s, g, glen));
}

static void cmd_group_uids(push_server *s, push_tconn *t, push_req *r)
{
	const char *g;
	size_t glen;
	jbuf b = {0};
	name_list l = { &b, 0 };
	char tail[64];

	if (!(g = req_str(r, "group", &glen))) {
		answer_error(t, "getGroupUids needs \"group\"");
		return;
	}
	jb_puts(&b, "{\"ok\":true,\"uids\":[");
	push_server_group_uids(s, g, glen, name_list_add, &l);
	snprintf(tail, sizeof(tail), "],\"count\":%zu}", l.n);
	jb_puts(&b, tail);
	answer_jbuf(t, &b);
}

static void cmd_uid_groups(push_server *s, push_tconn *t, push_req *r)
{
	jbuf b = {0};
	name_list l = { &b, 0 };
	char tail[64];

	if (r->nuids != 1) {
		answer_error(t, "getUidGroups needs one \"uid\"");
		return;
	}
	jb_puts(&b, "{\"ok\":true,\"groups\":[");
	push_server_uid_groups(s, r->uids[0].p, r->uids[0].len, name_list_add, &l);
	snprintf(tail, sizeof(tail), "],\"count\":%zu}", l.n);
	jb_puts(&b, tail);
	answer_jbuf(t, &b);
}

static void cmd_status(push_server *s, push_tconn *t, push_req *r)
{
	char buf[4096];
	size_t n = push_server_stats_json(s, buf, sizeof(buf));

	text_answer(t, buf, n);
}

static void cmd_ping(push_server *s, push_tconn *t, push_req *r)
{
	text_answerf(t, "{\"ok\":true,\"pong\":true}");
}

static void cmd_count(push_server *s, push_tconn *t, push_req *r)
{
	size_t i, n = 0;

	if (!r->nuids) {
		text_answerf(t, "{\"ok\":false,\"error\":\"needs \\\"uid\\\"\"}");
		return;
	}
	for (i = 0; i < r->nuids; i++) {
		n += push_server_uid_count(s, r->uids[i].p, r->uids[i].len);
	}
	answer_json_count(t, n);
}

static void cmd_kick(push_server *s, push_tconn *t, push_req *r)
{
	size_t i, n = 0, rlen = 0;
	const char *reason = req_str(r, "reason", &rlen);
	char rbuf[61];

	if (!reason || rlen > 60 || memchr(reason, '\0', rlen)) {
		reason = "kicked";
	} else {
		memcpy(rbuf, reason, rlen);
		rbuf[rlen] = '\0';
		reason = rbuf;
	}
	if (!r->nuids) {
		text_answerf(t, "{\"ok\":false,\"error\":\"kick needs \\\"uid\\\"\"}");
		return;
	}
	for (i = 0; i < r->nuids; i++) {
		n += push_server_kick_uid(s, r->uids[i].p, r->uids[i].len, PUSH_CLOSE_KICKED, reason);
	}
	answer_json_count(t, n);
}

/* Commands of the Text port, by name. */
static const struct {
	const char *name;          /* "cmd" value */
	text_cmd_fn fn;            /* handler */
} text_cmds[] = {
	{ "send", cmd_send },
	{ "sendToUid", cmd_send },
	{ "broadcast", cmd_broadcast },
	{ "sendToAll", cmd_broadcast },
	{ "sendToGroup", cmd_send_group },
	{ "joinGroup", cmd_join_group },
	{ "leaveGroup", cmd_leave_group },
	{ "isUidOnline", cmd_is_online },
	{ "count", cmd_count },
	{ "getUidConnectionCount", cmd_count },
	{ "getAllConnectionCount", cmd_all_conn_count },
	{ "getAllUidCount", cmd_all_uid_count },
	{ "getAllUidList", cmd_uid_list },
	{ "getAllGroupCount", cmd_all_group_count },
	{ "getGroupConnectionCount", cmd_group_conn_count },
	{ "getGroupUids", cmd_group_uids },
	{ "getUidGroups", cmd_uid_groups },
	{ "kick", cmd_kick },
	{ "kickUid", cmd_kick },
	{ "status", cmd_status },
	{ "ping", cmd_ping },
};

static void json_escape_into(char *dst, size_t cap, const char *src)
{
	size_t o = 0;

	for (; *src && o + 7 < cap; src++) {
		unsigned char ch = (unsigned char)*src;

		if (ch == '"' || ch == '\\') {
			dst[o++] = '\\';
			dst[o++] = (char)ch;
		} else if (ch < 0x20) {
			o += (size_t)snprintf(dst + o, cap - o, "\\u%04x", ch);
		} else {
			dst[o++] = (char)ch;
		}
	}
	dst[o] = '\0';
}

static void text_line(push_server *s, push_tconn *t, const char *line, size_t len)
{
	push_req r;
	const char *err = NULL;
	size_t i;

	while (len && line[len - 1] == '\r') {
		len--;
	}
	if (len == 0) {
		return;     /* blank lines are keep-alives: no answer */
	}
	s->stats.text_lines++;
	if (push_text_parse(&s->parser, line, len, &r, &err) != 0) {
		s->stats.text_errors++;
		if (!t->authed) {
			s->stats.refused_text_auth++;
			text_answerf(t, "error: unauthorized");
			t->closing = 1;
			return;
		}
		text_answerf(t, "error: %s", err);
		return;
	}
	if (!t->authed) {
		if (r.kind == PUSH_REQ_AUTH && r.secret.len == s->cfg.text_secret_len
				&& push_ct_equal(r.secret.p, s->cfg.text_secret, r.secret.len)) {
			t->authed = 1;
			text_answerf(t, "ok");
		} else {
			s->stats.refused_text_auth++;
			text_answerf(t, "error: unauthorized");
			t->closing = 1;
		}
		push_req_free(&r);
		return;
	}
	switch (r.kind) {
	case PUSH_REQ_PUSH:
		if (check_msg_out(s, t, &r) != 0) {
			text_answerf(t, "error: message too large (limit %u bytes)", s->cfg.max_msg_out);
			break;
		}
		if (s->cluster) {
			text_push_cluster(s, t, &r, 0);
			break;
		}
		s->last_queued = 0;
		s->last_cluster_fail = 0;
		if (send_to_uids(s, &r)) {
			text_answer(t, "ok", 2);
		} else if (s->last_cluster_fail) {
			text_answerf(t, "error: cluster unavailable: redis is unreachable, not delivered to other nodes");
		} else if (s->last_queued) {
			text_answer(t, "queued", 6);
		} else {
			text_answer(t, "fail", 4);
		}
		break;
	case PUSH_REQ_AUTH:
		text_answerf(t, "ok");
		break;
	case PUSH_REQ_CMD:
		for (i = 0; i < sizeof(text_cmds) / sizeof(text_cmds[0]); i++) {
			if (strcmp(r.cmd, text_cmds[i].name) == 0) {
				text_cmds[i].fn(s, t, &r);
				break;
			}
		}
		if (i == sizeof(text_cmds) / sizeof(text_cmds[0])) {
			char name[128];

			json_escape_into(name, sizeof(name), r.cmd);
			text_answerf(t, "{\"ok\":false,\"error\":\"unknown command \\\"%s\\\"\"}", name);
		}
		break;
	}
	push_req_free(&r);
}

static void line_too_long(push_server *s, push_tconn *t)
{
	s->stats.refused_line++;
	text_answerf(t, "error: line too long (limit %u bytes)", s->cfg.text_max_line);
	t->closing = 1;
	t->in_len = 0;
}

/* Splits the bytes read into lines; a partial line waits in t->in. */
static void text_feed(push_server *s, push_tconn *t, const char *data, size_t len)
{
	while (len && !t->closing) {
		const char *nl = memchr(data, '\n', len);
		size_t part = nl ? (size_t)(nl - data) : len;

		if ((uint64_t)t->in_len + part > s->cfg.text_max_line) {
			line_too_long(s, t);
			return;
		}
		if (!nl || t->in_len) {
			if ((size_t)t->in_len + part > t->in_cap) {
				size_t cap = t->in_cap ? t->in_cap : 256;
				char *p;

				while (cap < (size_t)t->in_len + part) {
					cap *= 2;
				}
				if (!(p = realloc(t->in, cap))) {
					t->closing = 1;
					return;
				}
				t->in = p;
				t->in_cap = (uint32_t)cap;
			}
			memcpy(t->in + t->in_len, data, part);
			t->in_len += (uint32_t)part;
			if (!nl) {
				return;
			}
			text_line(s, t, t->in, t->in_len);
			t->in_len = 0;
			if (t->in_cap > 64 * 1024) {
				free(t->in);
				t->in = NULL;
				t->in_cap = 0;
			}
		} else {
			text_line(s, t, data, part);
		}
		data += part + 1;
		len -= part + 1;
	}
}

/* Closes a Text connection; answers still waiting for Redis are dropped with it. */
static void text_close(push_server *s, push_tconn *t)
{
	ev_io_stop(s->loop, &t->rio);
	ev_io_stop(s->loop, &t->wio);
	close(t->fd);
	if (t->prev) {
		t->prev->next = t->next;
	} else if (s->texts == t) {
		s->texts = t->next;
	}
	if (t->next) {
		t->next->prev = t->prev;
	}
	while (t->pq_head) {
		push_pending *p = t->pq_head;

		t->pq_head = p->next;
		if (p->ready) {
			free(p->text);
			free(p);
		} else {
			p->t = NULL;     /* freed when its confirmations are in */
		}
	}
	free(t->in);
	free(t->out);
	free(t);
	s->stats.text_conns--;
	maybe_finish_drain(s);
}

static void text_read(push_server *s, push_tconn *t);

static void text_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	push_tconn *t = w->data;
	push_server *s = t->srv;

	text_read(s, t);
	lws_kick(s);
}

static void spin_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	push_server *s = w->data;

	if (ev_now(loop) >= s->spin_until) {
		ev_idle_stop(loop, w);
	}
}

/*
 * A backend that waits for each answer before its next line (Push\Client) sends
 * again a few tens of microseconds after the answer; sleeping in between makes
 * every line wait for this process to be woken, which on a VM costs more than
 * handling the line. After QUICK_READS reads in a row that each came within
 * 1.5 busy_poll of the one before, the loop stays awake (polls without
 * sleeping) for busy_poll after each read. Lines further apart, such as a
 * steady 5,000 a second, never start it.
 */
#define QUICK_READS 8     /* more than a burst of late lines from a paced sender */

static void spin_after_read(push_server *s, push_tconn *t)
{
	double now = ev_now(s->loop), spin = s->cfg.busy_poll_us / 1e6;

	if (!s->cfg.busy_poll_us) {
		return;
	}
	if (now - t->last_read < spin * 1.5) {
		if (t->quick < QUICK_READS) {
			t->quick++;
		}
	} else {
		t->quick = 0;
	}
	t->last_read = now;
	if (t->quick >= QUICK_READS) {
		s->spin_until = now + spin;
		if (!ev_is_active(&s->spin)) {
			ev_idle_start(s->loop, &s->spin);
		}
	}
}

static void text_read(push_server *s, push_tconn *t)
{
	ssize_t n = recv(t->fd, s->rbuf, TEXT_READ_SIZE, 0);
	int broken;

	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
			return;
		}
		text_close(s, t);      /* the backend closed, or the socket broke */
		return;
	}
	spin_after_read(s, t);
	if (!t->closing) {
		text_feed(s, t, s->rbuf, (size_t)n);
	}
	/*
	 * Answers go out before the frames they answer for: the backend can write
	 * its next lines while the frames are being sent, so the next read finds
	 * more lines, and more frames share one send per connection. "ok" still
	 * means the frame was queued on a live connection.
	 */
	broken = (t->dirty || t->out_off < t->out_len) && text_flush(s, t) != 0;
	if (s->dirty) {
		flush_dirty(s);
	}
	if (broken) {
		text_close(s, t);
		return;
	}
	if (t->closing && t->out_off >= t->out_len && !t->pq_head) {
		text_close(s, t);
	}
}

static void text_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	push_tconn *t = w->data;
	push_server *s = t->srv;

	if (text_flush(s, t) != 0) {
		text_close(s, t);
		return;
	}
	if (t->out_off >= t->out_len && !t->pq_head && (t->closing || (s->stopping && s->graceful))) {
		text_close(s, t);
	}
}

static int accept_conn(push_server *s, ev_io *w, const char *what);

static void text_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	push_server *s = w->data;
	int i;

	for (i = 0; i < 64; i++) {
		int fd = accept_conn(s, w, "Text");
		push_tconn *t;

		if (fd < 0) {
			return;
		}
		if (s->stopping || !(t = calloc(1, sizeof(*t)))) {
			close(fd);
			continue;
		}
		t->fd = fd;
		t->srv = s;
		t->authed = s->cfg.text_secret == NULL;
		ev_io_init(&t->rio, text_read_cb, fd, EV_READ);
		ev_io_init(&t->wio, text_write_cb, fd, EV_WRITE);
		t->rio.data = t->wio.data = t;
		ev_io_start(loop, &t->rio);
		t->next = s->texts;
		if (s->texts) {
			s->texts->prev = t;
		}
		s->texts = t;
		s->stats.text_conns++;
		s->stats.text_conns_total++;
	}
}

/* Opens the Text listener on the server's own loop (no libwebsockets on this path). */
/*
 * Opens a listening TCP socket on host (an IP literal, NULL = every
 * interface); *port_out gets the port bound. Both listeners are push's own and
 * are opened before anything else, so a taken port or a bad address fails
 * with a clear message at once.
 */
static int listen_tcp(const char *host, int ipv6, int port, const char *what, int *fd_out, int *port_out,
		char *err, size_t errlen)
{
	int one = 1, fd;
	struct sockaddr_storage ss;
	socklen_t sl;

	memset(&ss, 0, sizeof(ss));
	if (ipv6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (host && inet_pton(AF_INET6, host, &a->sin6_addr) != 1) {
			snprintf(err, errlen, "%s address \"%s\" is not a valid IPv6 address", what, host);
			return -1;
		}
		sl = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (host && inet_pton(AF_INET, host, &a->sin_addr) != 1) {
			snprintf(err, errlen, "%s address \"%s\" is not a valid IPv4 address", what, host);
			return -1;
		}
		sl = sizeof(*a);
	}
	if ((fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(err, errlen, "cannot open the %s port: %s", what, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 1024) != 0) {
		int e = errno;

		close(fd);
		if (e == EADDRINUSE && port) {
			snprintf(err, errlen, "%s port %d is already in use", what, port);
		} else {
			snprintf(err, errlen, "cannot listen for %s on %s port %d: %s", what, host ? host : "*", port, strerror(e));
		}
		return -1;
	}
	sl = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	*port_out = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
			: ((struct sockaddr_in *)&ss)->sin_port);
	*fd_out = fd;
	return 0;
}

/*
 * Out of file descriptors: a listener stays readable, so its watcher pauses for
 * ACCEPT_PAUSE instead of spinning; connections wait in the backlog meanwhile.
 */
static void accept_resume_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	push_server *s = w->data;

	if (s->stopping) {
		return;
	}
	if (s->ws_fd >= 0) {
		ev_io_start(loop, &s->ws_accept);
	}
	if (s->text_fd >= 0) {
		ev_io_start(loop, &s->text_accept);
	}
}

static void accept_pause(push_server *s, ev_io *w, const char *what)
{
	push_log("%s port: out of file descriptors, new connections wait in the backlog", what);
	ev_io_stop(s->loop, w);
	if (!ev_is_active(&s->accept_resume)) {
		ev_timer_set(&s->accept_resume, ACCEPT_PAUSE, 0);
		ev_timer_start(s->loop, &s->accept_resume);
	}
}

/* One connection from the listener of w, non-blocking, close-on-exec, no Nagle; -1 when none is waiting. */
static int accept_conn(push_server *s, ev_io *w, const char *what)
{
	int fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC), one = 1;

	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE) {
			accept_pause(s, w, what);
		}
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/*
 * The WebSocket listener is push's own: accept4() gives a non-blocking,
 * close-on-exec socket in one call, and the socket is handed to libwebsockets
 * (which takes it from the HTTP upgrade on). libwebsockets' own listener adds
 * a poll() of the listener and three fcntl() per connection.
 */
static void ws_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	push_server *s = w->data;
	int i;

	for (i = 0; i < 64; i++) {
		int fd = accept_conn(s, w, "WebSocket");

		if (fd < 0) {
			break;
		}
		/* on failure libwebsockets has closed the socket */
		lws_adopt_socket_vhost(s->ws_vh, fd);
	}
	lws_kick(s);
}

/* ------------------------------------------------------------- timers -- */

/*
 * Cuts a connection at once (outside libwebsockets callbacks only). The
 * socket is shut down first: libwebsockets would otherwise wait, on a timer,
 * to flush a close frame to a peer that reads nothing.
 */
static void conn_cut(push_server *s, push_conn *c)
{
	shutdown(lws_get_socket_fd(c->wsi), SHUT_RDWR);
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
	s->kick = 1;
}

/*
 * After many clients left, gives the freed heap back to the system: the C
 * allocator keeps it otherwise, and the server would stay at its peak size.
 */
static void trim_after_leave(push_server *s)
{
	uint64_t n = s->stats.ws_conns;

	if (n > s->trim_mark) {
		s->trim_mark = n;
	} else if (s->trim_mark - n >= TRIM_LEFT && n * 2 <= s->trim_mark) {
#ifdef __GLIBC__
		malloc_trim(0);
#endif
		s->trim_mark = n;
	}
}

static void sweep_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	push_server *s = w->data;
	uint32_t now = now32(s);
	push_conn *c, *next;

	if (s->cfg.history_size) {
		hist_expire(s);
	}
	for (c = s->all; c; c = next) {
		int64_t idle = (int32_t)(now - c->last_rx_ms);

		next = c->all_next;
		if (c->state == CS_CLOSING) {
			/* its close frame could not be written in time: cut it (we are outside libwebsockets here) */
			if (idle >= 0) {
				conn_cut(s, c);
			}
			continue;
		}
		if (c->state == CS_PENDING) {
			if ((uint32_t)(now - c->opened_ms) >= s->cfg.auth_timeout_ms) {
				s->stats.refused_auth_timeout++;
				conn_close_async(c, PUSH_CLOSE_AUTH_TIMEOUT, "authentication timeout");
			}
			continue;
		}
		if (c->state != CS_BOUND || !s->cfg.ping_interval_ms) {
			continue;
		}
		if (c->ping_sent && idle >= (int64_t)(s->cfg.ping_interval_ms + s->cfg.ping_timeout_ms)) {
			s->stats.heartbeat_timeouts++;
			conn_unbind(s, c, s->hooks.on_close != NULL);
			c->state = CS_CLOSING;
			c->close_code = PUSH_CLOSE_HEARTBEAT;
			conn_cut(s, c);
		} else if (!c->ping_sent && idle >= (int64_t)s->cfg.ping_interval_ms) {
			/* with a payload: libwebsockets 4.1 does not report empty pongs */
			if (conn_queue(s, c, PUSH_WS_OP_PING, "push", 4)) {
				c->ping_sent = 1;
			}
		}
	}
	if (s->dirty) {
		flush_dirty(s);
	}
	trim_after_leave(s);
	lws_kick(s);
}

static void drain_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	ev_break(loop, EVBREAK_ALL);
}

static void timer_free(push_server *s, push_timer *tm)
{
	push_timer **pp;

	ev_timer_stop(s->loop, &tm->w);
	for (pp = &s->timers; *pp; pp = &(*pp)->next) {
		if (*pp == tm) {
			*pp = tm->next;
			break;
		}
	}
	if (s->hooks.on_timer_free) {
		s->hooks.on_timer_free(s->hooks.ud, tm->ud);
	}
	free(tm);
}

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	push_timer *tm = w->data;
	push_server *s = tm->srv;

	if (s->hooks.on_timer && !s->hooks_off) {
		tm->firing = 1;
		s->hooks.on_timer(s->hooks.ud, tm->id, tm->ud);
		tm->firing = 0;
	}
	if (tm->cleared || !tm->repeat) {
		timer_free(s, tm);
	}
	if (s->dirty) {
		flush_dirty(s);
	}
	lws_kick(s);
}

uint32_t push_server_add_timer(push_server *s, double interval, int repeat, void *ud)
{
	push_timer *tm = calloc(1, sizeof(*tm));

	if (!tm) {
		return 0;
	}
	if (interval < 0.001) {
		interval = 0.001;
	}
	tm->srv = s;
	tm->id = ++s->next_timer;
	tm->repeat = (uint8_t)(repeat != 0);
	tm->ud = ud;
	ev_timer_init(&tm->w, timer_cb, interval, repeat ? interval : 0.);
	tm->w.data = tm;
	ev_timer_start(s->loop, &tm->w);
	tm->next = s->timers;
	s->timers = tm;
	return tm->id;
}

int push_server_clear_timer(push_server *s, uint32_t id)
{
	push_timer *tm;

	for (tm = s->timers; tm; tm = tm->next) {
		if (tm->id == id && !tm->cleared) {
			if (tm->firing) {
				tm->cleared = 1;
				ev_timer_stop(s->loop, &tm->w);
			} else {
				timer_free(s, tm);
			}
			return 1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ lifecycle -- */

/* Runs the notifications asked for with push_server_notify() (from a signal handler or another thread). */
static void notify_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	push_server *s = w->data;
	unsigned what = __atomic_exchange_n(&s->notify_bits, 0u, __ATOMIC_ACQ_REL);

	if (what && s->hooks.on_notify && !s->hooks_off) {
		s->hooks.on_notify(s->hooks.ud, what);
		if (s->dirty) {
			flush_dirty(s);
		}
		lws_kick(s);
	}
}

void push_server_notify(push_server *s, unsigned what)
{
	__atomic_fetch_or(&s->notify_bits, what, __ATOMIC_ACQ_REL);
	ev_async_send(s->loop, &s->notify);
}

static const lws_retry_bo_t no_validity = {
	.secs_since_valid_ping = 0,
	.secs_since_valid_hangup = 0,
};

static struct lws_protocols ws_protocols[] = {
	/*
	 * A small rx buffer: it is allocated per connection; longer client messages
	 * arrive in pieces. Not below 125: libwebsockets answers a ping with what of
	 * its payload (at most 125 bytes) fits in this buffer, and a pong must echo all of it.
	 */
	{ "push", ws_callback, sizeof(push_conn), 128, 0, NULL, 256 * 1024 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

push_server *push_server_new(const push_config *cfg, const push_hooks *hooks, char *err, size_t errlen)
{
	struct lws_context_creation_info info;
	push_server *s = calloc(1, sizeof(*s));
	void *loops[1];

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (config_copy(&s->cfg, cfg) != 0 || push_registry_init(&s->uids, 1024) != 0
			|| push_idmap_init(&s->ids, 1024) != 0 || push_registry_init(&s->groups, 64) != 0
			|| push_registry_init(&s->hist, 64) != 0 || push_textparser_init(&s->parser) != 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	s->text_fd = -1;
	s->ws_fd = -1;
	if (hooks) {
		s->hooks = *hooks;
	}
	if (listen_tcp(s->cfg.ws_host, s->cfg.ws_ipv6, s->cfg.ws_port, "WebSocket", &s->ws_fd, &s->ws_port,
			err, errlen) != 0) {
		goto fail;
	}
	if (s->cfg.text_port < 0) {
		s->text_port = -1;
	} else if (listen_tcp(s->cfg.text_host, s->cfg.text_ipv6, s->cfg.text_port, "Text", &s->text_fd,
			&s->text_port, err, errlen) != 0) {
		goto fail;
	}
	if (s->cfg.tls_cert && (access(s->cfg.tls_cert, R_OK) != 0 || access(s->cfg.tls_key, R_OK) != 0)) {
		const char *f = access(s->cfg.tls_cert, R_OK) != 0 ? s->cfg.tls_cert : s->cfg.tls_key;

		snprintf(err, errlen, "cannot read TLS %s file %s: %s", f == s->cfg.tls_cert ? "certificate" : "key",
				f, strerror(errno));
		goto fail;
	}
	s->loop = ev_loop_new(EVFLAG_AUTO | EVFLAG_NOSIGMASK);
	if (!s->loop) {
		snprintf(err, errlen, "cannot create the event loop");
		goto fail;
	}
	ev_async_init(&s->notify, notify_cb);
	s->notify.data = s;
	ev_async_start(s->loop, &s->notify);
	lws_set_log_level(LLL_ERR, lws_log_emit);

	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_LIBEV;
	if (s->cfg.tls_cert) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	}
	loops[0] = s->loop;
	info.foreign_loops = loops;
	info.pt_serv_buf_size = 256 * 1024;
	info.user = s;
	info.timeout_secs = 10;
	info.max_http_header_pool = 256;
	s->ctx = lws_create_context(&info);
	if (!s->ctx) {
		snprintf(err, errlen, "cannot create the libwebsockets context (is the libev event library "
				"plugin installed? on Debian: apt-get install libwebsockets-evlib-ev)");
		goto fail;
	}

	memset(&info, 0, sizeof(info));
	info.vhost_name = "push-ws";
	info.port = CONTEXT_PORT_NO_LISTEN_SERVER;     /* push listens itself (ws_accept_cb) */
	info.protocols = ws_protocols;
	info.options = s->cfg.ws_ipv6 ? 0 : LWS_SERVER_OPTION_DISABLE_IPV6;
	info.retry_and_idle_policy = &no_validity;
	info.timeout_secs = 10;
	if (s->cfg.tls_cert) {
		/* libwebsockets 4.1 turns TLS on per vhost only with this option on the vhost too */
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = s->cfg.tls_cert;
		info.ssl_private_key_filepath = s->cfg.tls_key;
	}
	s->ws_vh = lws_create_vhost(s->ctx, &info);
	if (!s->ws_vh) {
		snprintf(err, errlen, "cannot listen for WebSocket on %s:%d%s", s->cfg.ws_host ? s->cfg.ws_host : "0.0.0.0",
				s->cfg.ws_port, s->cfg.tls_cert ? " (check the TLS certificate and key)" : "");
		goto fail;
	}
	ev_io_init(&s->ws_accept, ws_accept_cb, s->ws_fd, EV_READ);
	s->ws_accept.data = s;
	ev_io_start(s->loop, &s->ws_accept);
	ev_timer_init(&s->accept_resume, accept_resume_cb, ACCEPT_PAUSE, 0);
	s->accept_resume.data = s;

	if (s->text_fd >= 0) {
		if (!(s->rbuf = malloc(TEXT_READ_SIZE))) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		ev_io_init(&s->text_accept, text_accept_cb, s->text_fd, EV_READ);
		s->text_accept.data = s;
		ev_io_start(s->loop, &s->text_accept);
	}
	if (s->cfg.redis && !(s->cluster = push_cluster_new(s, err, errlen))) {
		goto fail;
	}
	s->stats.started_ms = (int64_t)time(NULL) * 1000;
	{
		/* the history epoch: start time in ms, base 36 */
		static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
		struct timespec ts;
		uint64_t v;
		char tmp[16];
		size_t n = 0;

		clock_gettime(CLOCK_REALTIME, &ts);
		v = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
		do {
			tmp[n++] = digits[v % 36];
			v /= 36;
		} while (v && n < sizeof(tmp));
		for (s->epoch_len = 0; n; s->epoch_len++) {
			s->epoch[s->epoch_len] = tmp[--n];
		}
		s->epoch[s->epoch_len] = '\0';
	}
	return s;

fail:
	push_server_free(s);
	return NULL;
}

int push_server_run(push_server *s)
{
	s->running = 1;
	s->stopping = 0;
	s->graceful = 0;
	ev_timer_init(&s->sweep, sweep_cb, SWEEP_INTERVAL, SWEEP_INTERVAL);
	s->sweep.data = s;
	ev_idle_init(&s->spin, spin_cb);
	s->spin.data = s;
	ev_timer_start(s->loop, &s->sweep);

	if (s->hooks.on_start) {
		s->hooks.on_start(s->hooks.ud);
		if (s->dirty) {
			flush_dirty(s);
		}
	}
	/* an ev_break() before ev_run() is lost: a stop from on_start is looked at here */
	if (!s->stopping || (s->graceful && (s->stats.ws_conns || s->stats.text_conns))) {
		ev_run(s->loop, 0);
	}

	ev_timer_stop(s->loop, &s->sweep);
	ev_idle_stop(s->loop, &s->spin);
	ev_timer_stop(s->loop, &s->drain);
	s->running = 0;
	return 0;
}

void push_server_stop(push_server *s, int graceful)
{
	push_conn *c, *next;
	push_tconn *t, *tnext;

	if (!s->running) {
		s->stopping = 1;
		return;
	}
	if (s->stopping && (!graceful || !s->graceful)) {
		if (!graceful) {
			s->graceful = 0;
			ev_break(s->loop, EVBREAK_ALL);
		}
		return;
	}
	s->stopping = 1;
	if (!graceful) {
		s->graceful = 0;
		ev_break(s->loop, EVBREAK_ALL);
		return;
	}
	s->graceful = 1;
	for (c = s->all; c; c = next) {
		next = c->all_next;
		conn_close_async(c, PUSH_CLOSE_GOING_AWAY, "server stopping");
	}
	ev_io_stop(s->loop, &s->text_accept);
	for (t = s->texts; t; t = tnext) {
		tnext = t->next;
		/* answers already computed go out first; a connection with nothing owed closes now */
		if (text_flush(s, t) != 0 || (t->out_off >= t->out_len && !t->pq_head)) {
			text_close(s, t);
		}
	}
	ev_timer_init(&s->drain, drain_cb, s->cfg.drain_timeout_ms / 1000.0, 0.);
	ev_timer_start(s->loop, &s->drain);
	maybe_finish_drain(s);
}

void push_server_free(push_server *s)
{
	if (!s) {
		return;
	}
	s->hooks_off = 1;
	while (s->timers) {
		timer_free(s, s->timers);
	}
	if (s->cluster) {
		push_cluster_free(s->cluster);
		s->cluster = NULL;
	}
	while (s->texts) {
		text_close(s, s->texts);
	}
	if (s->text_fd >= 0) {
		if (s->loop) {
			ev_io_stop(s->loop, &s->text_accept);
		}
		close(s->text_fd);
		s->text_fd = -1;
	}
	if (s->ws_fd >= 0) {
		if (s->loop) {
			ev_io_stop(s->loop, &s->ws_accept);
		}
		close(s->ws_fd);
		s->ws_fd = -1;
	}
	if (s->loop) {
		ev_timer_stop(s->loop, &s->accept_resume);
	}
	free(s->rbuf);
	while (s->out_pool_n) {
		free(s->out_pool[--s->out_pool_n]);
	}
	free(s->out_pool);
	s->rbuf = NULL;
	if (s->ctx) {
		int i;

		lws_context_destroy(s->ctx);
		s->ctx = NULL;
		/* let the loop finish closing what libwebsockets stopped */
		for (i = 0; i < 10 && s->loop; i++) {
			ev_run(s->loop, EVRUN_NOWAIT);
		}
	}
	if (s->loop) {
		ev_async_stop(s->loop, &s->notify);
		ev_loop_destroy(s->loop);
	}
	push_textparser_destroy(&s->parser);
	push_registry_destroy(&s->uids);
	push_registry_destroy(&s->groups);
	hist_destroy(s);
	push_registry_destroy(&s->hist);
	push_idmap_destroy(&s->ids);
	push_config_free(&s->cfg);
	free(s->bcast);
	free(s->bcast_seq);
	free(s);
}

int push_server_ws_port(const push_server *s)
{
	return s->ws_port;
}

int push_server_text_port(const push_server *s)
{
	return s->text_port;
}

int push_server_running(const push_server *s)
{
	return s->running && !s->stopping;
}

const push_stats *push_server_stats(push_server *s)
{
	return &s->stats;
}

size_t push_server_stats_json(push_server *s, char *buf, size_t cap)
{
	const push_stats *st = &s->stats;
	int64_t up = (int64_t)time(NULL) - st->started_ms / 1000;
	long pages = 0, rss = 0;
	FILE *fp = fopen("/proc/self/statm", "r");
	int n;

	if (fp) {
		if (fscanf(fp, "%ld %ld", &pages, &rss) != 2) {
			rss = 0;
		}
		fclose(fp);
	}

	n = snprintf(buf, cap,
		"{\"ok\":true,\"pid\":%d,\"uptime\":%lld,\"connections\":%llu,\"bound_connections\":%llu,"
		"\"uids\":%llu,\"text_connections\":%llu,\"text_connections_total\":%llu,\"connections_total\":%llu,\"pushes\":%llu,"
		"\"delivered\":%llu,\"bytes_out\":%llu,\"messages_in\":%llu,\"text_lines\":%llu,"
		"\"text_errors\":%llu,\"queued_bytes\":%llu,\"slow_disconnects\":%llu,"
		"\"heartbeat_timeouts\":%llu,\"refused\":{\"max_connections\":%llu,\"origin\":%llu,"
		"\"auth\":%llu,\"auth_timeout\":%llu,\"message_too_big\":%llu,\"push_too_big\":%llu,"
		"\"line_too_long\":%llu,\"text_auth\":%llu},\"ws_port\":%d,\"text_port\":%d,\"memory_rss\":%lld,\"groups\":%llu,"
		"\"history_messages\":%llu,\"history_bytes\":%llu,\"replayed\":%llu,\"replay_gaps\":%llu}",
		(int)getpid(), (long long)up, (unsigned long long)st->ws_conns, (unsigned long long)st->bound_conns,
		(unsigned long long)st->uids, (unsigned long long)st->text_conns, (unsigned long long)st->text_conns_total,
		(unsigned long long)st->conns_total, (unsigned long long)st->pushes,
		(unsigned long long)st->delivered, (unsigned long long)st->bytes_out,
		(unsigned long long)st->msgs_in, (unsigned long long)st->text_lines,
		(unsigned long long)st->text_errors, (unsigned long long)st->queued_bytes,
		(unsigned long long)st->slow_disconnects, (unsigned long long)st->heartbeat_timeouts,
		(unsigned long long)st->refused_max_conns, (unsigned long long)st->refused_origin,
		(unsigned long long)st->refused_auth, (unsigned long long)st->refused_auth_timeout,
		(unsigned long long)st->refused_too_big, (unsigned long long)st->refused_msg_out,
		(unsigned long long)st->refused_line, (unsigned long long)st->refused_text_auth,
		s->ws_port, s->text_port, (long long)rss * sysconf(_SC_PAGESIZE), (unsigned long long)s->groups.count,
		(unsigned long long)s->hist_count, (unsigned long long)s->hist_bytes,
		(unsigned long long)st->replayed, (unsigned long long)st->replay_gaps);
	if (n < 0) {
		return 0;
	}
	if ((size_t)n >= cap) {
		return cap - 1;
	}
	if (s->cluster && n > 0 && buf[n - 1] == '}') {
		/* ,"cluster":{...} goes inside the object */
		size_t m = push_cluster_stats_json(s->cluster, buf + n - 1, cap - (size_t)n);

		if (m) {
			n += (int)m - 1;
			if ((size_t)n + 2 <= cap) {
				buf[n++] = '}';
				buf[n] = '\0';
			}
		}
	}
	return (size_t)n < cap ? (size_t)n : cap - 1;
}
