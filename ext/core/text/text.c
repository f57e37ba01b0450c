/*
 * text.c - front end: the Text port. Reads newline-separated JSON lines
 * from backends (text_read_cb -> text_feed -> text_line), answers them in
 * line order (answers waiting for Redis hold the ones after them), and keeps
 * the loop spinning for a backend that sends line after line (busy_poll).
 * Pushes go through the routing layer (route.c); commands are text_cmd.c.
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

#include <sys/socket.h>

#include "cluster.h"
#include "registry.h"
#include "buf.h"
#include "server_int.h"
#include "conn.h"
#include "route.h"
#include "text.h"
#include "text_answer.h"
#include "text_cmd.h"
#include "textproto.h"
#include "buf.h"
#include "list.h"
#include "sha256.h"
#include "token.h"

/*
 * Writes what the socket takes now; the rest waits for the writable watcher.
 * A backend that does not read its answers stops being read (its lines stay
 * in its socket) until they drain. -1: the connection is broken.
 */
int push_text_flush(push_server *s, push_tconn *t)
{
	t->dirty = 0;
	while (t->out_off < t->out.len) {
		ssize_t n = send(t->fd, push_buf_data(&t->out) + t->out_off, t->out.len - t->out_off, MSG_NOSIGNAL);

		if (n > 0) {
			t->out_off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			ev_io_start(s->loop, &t->wio);
			if (!t->paused && t->out.len - t->out_off > TEXT_OUT_PAUSE) {
				t->paused = 1;
				ev_io_stop(s->loop, &t->rio);
			}
			return 0;
		}
		return -1;
	}
	t->out.len = t->out_off = 0;
	if (t->out.cap > 64 * 1024) {
		push_buf_free(&t->out);
	}
	ev_io_stop(s->loop, &t->wio);
	if (t->paused) {
		t->paused = 0;
		ev_io_start(s->loop, &t->rio);
	}
	return 0;
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
	push_text_pending_finish(p);
	if (!(t = p->t)) {
		/* its connection closed meanwhile */
		free(p->text);
		free(p);
		return;
	}
	push_text_pending_flush(t);   /* may free p */
	if (t->srv->hooks_off) {
		return;
	}
	if ((t->dirty && push_text_flush(t->srv, t) != 0)
			|| (t->closing && t->out_off >= t->out.len && !t->pq_head)) {
		push_text_close(t->srv, t);
	}
}

/*
 * The one push-and-answer path of the Text port: a push line ({"uid":..,
 * "msg":..}, answered ok/queued/fail) and the send command (cmd: answered
 * {"ok":..,"count":..}). In cluster mode, for each node that holds one of the
 * uids the push is published on that node's channel and answered when Redis
 * says the node got it: "ok" only counts what was confirmed; a node that did
 * not get it makes "fail" or an error, never "ok". Answers wait in line order.
 */
void push_text_push(push_server *s, push_tconn *t, push_req *r, int cmd)
{
	push_pending *p;
	push_result res;

	if (r->msg.len > s->cfg.max_msg_out) {
		s->stats.refused_msg_out++;
		if (cmd) {
			push_text_answerf(t, "{\"ok\":false,\"error\":\"message too large (limit %u bytes)\"}", s->cfg.max_msg_out);
		} else {
			push_text_answerf(t, "error: message too large (limit %u bytes)", s->cfg.max_msg_out);
		}
		return;
	}
	s->stats.pushes++;
	if (!s->cluster) {
		push_pending now = {0};
		char buf[160];

		/* no confirmations to wait for: answered at once, in the same words */
		res = push_route_send_uids(s, r->uids, r->nuids, r->msg.p, r->msg.len);
		now.cmd = (uint8_t)cmd;
		now.n = res.count;
		now.queued = res.queued;
		now.unsent = res.cluster_fail;
		push_text_answer(t, buf, push_text_answer_words(&now, buf, sizeof(buf)));
		return;
	}
	if (!(p = calloc(1, sizeof(*p)))) {
		push_text_answerf(t, "error: out of memory");
		return;
	}
	p->t = t;
	p->cmd = (uint8_t)cmd;
	p->waits = 1;    /* held until every publish is issued */
	res = push_route_send_uids_acked(s, r->uids, r->nuids, r->msg.p, r->msg.len, pending_done, p);
	p->n += res.count;
	p->unsent = res.cluster_fail;
	p->queued = res.queued;
	p->waits += res.waits;
	push_text_pending_add(t, p);
	if (--p->waits == 0) {
		push_text_pending_finish(p);
		push_text_pending_flush(t);
	}
}

/*
 * The Text secret, compared in constant time whatever was presented: both
 * sides hashed, the digests compared (a length check first would tell the
 * secret's length by timing).
 */
static int text_secret_ok(push_server *s, const char *p, size_t len)
{
	unsigned char want[32], got[32];

	push_sha256(s->cfg.text_secret, s->cfg.text_secret_len, want);
	push_sha256(p, len, got);
	return push_ct_equal(want, got, sizeof(want));
}

static void text_line(push_server *s, push_tconn *t, const char *line, size_t len)
{
	push_req r;
	const char *err = NULL;
	while (len && line[len - 1] == '\r') {
		len--;
	}
	if (len == 0) {
		return;     /* blank lines are keep-alives: no answer */
	}
	s->stats.text_lines++;
	if (!s->cfg.invalid_utf8_binary && !push_utf8_valid(line, len)) {
		err = "line is not UTF-8";
	} else if (push_text_parse(s->parser, line, len, &r, &err) == 0) {
		/* escapes may still make what is not UTF-8 (a lone surrogate) */
		size_t i;

		for (i = 0; i < r.nuids && push_utf8_valid(r.uids[i].p, r.uids[i].len); i++) {
		}
		if (i < r.nuids || (r.msg.p && !s->cfg.invalid_utf8_binary && !push_utf8_valid(r.msg.p, r.msg.len))) {
			push_req_free(&r);
			err = "not UTF-8";
		}
	}
	if (err) {
		s->stats.text_errors++;
		if (!t->authed) {
			s->stats.refused_text_auth++;
			push_text_answerf(t, "error: unauthorized");
			t->closing = 1;
			return;
		}
		push_text_answerf(t, "error: %s", err);
		return;
	}
	if (!t->authed) {
		if (r.kind == PUSH_REQ_AUTH && text_secret_ok(s, r.secret.p, r.secret.len)) {
			t->authed = 1;
			push_text_answerf(t, "ok");
		} else {
			s->stats.refused_text_auth++;
			push_text_answerf(t, "error: unauthorized");
			t->closing = 1;
		}
		push_req_free(&r);
		return;
	}
	switch (r.kind) {
	case PUSH_REQ_PUSH:
		push_text_push(s, t, &r, 0);
		break;
	case PUSH_REQ_AUTH:
		push_text_answerf(t, "ok");
		break;
	case PUSH_REQ_CMD:
		if (strcmp(r.cmd, "send") == 0 || strcmp(r.cmd, "sendToUid") == 0) {
			if (!r.nuids || !r.msg.p) {
				push_text_answerf(t, "{\"ok\":false,\"error\":\"send needs \\\"uid\\\" and \\\"msg\\\"\"}");
			} else {
				push_text_push(s, t, &r, 1);
			}
			break;
		}
		push_text_command(s, t, &r);
		break;
	}
	push_req_free(&r);
}

static void line_too_long(push_server *s, push_tconn *t)
{
	s->stats.refused_line++;
	push_text_answerf(t, "error: line too long (limit %u bytes)", s->cfg.text_max_line);
	t->closing = 1;
	t->in.len = 0;
}

/* Splits the bytes read into lines; a partial line waits in t->in. */
static void text_feed(push_server *s, push_tconn *t, const char *data, size_t len)
{
	while (len && !t->closing) {
		const char *nl = memchr(data, '\n', len);
		size_t part = nl ? (size_t)(nl - data) : len;

		if (!t->authed && (uint64_t)t->in.len + part > TEXT_AUTH_LINE_MAX) {
			/* before the secret, only the auth line: nothing bigger is kept */
			s->stats.refused_text_auth++;
			push_text_answerf(t, "error: unauthorized");
			t->closing = 1;
			t->in.len = 0;
			return;
		}
		if ((uint64_t)t->in.len + part > s->cfg.text_max_line) {
			line_too_long(s, t);
			return;
		}
		if (!nl || t->in.len) {
			push_buf_put(&t->in, data, part);
			if (t->in.failed) {
				t->closing = 1;
				return;
			}
			if (!nl) {
				return;
			}
			text_line(s, t, push_buf_data(&t->in), t->in.len);
			t->in.len = 0;
			if (t->in.cap > 64 * 1024) {
				push_buf_free(&t->in);
			}
		} else {
			text_line(s, t, data, part);
		}
		data += part + 1;
		len -= part + 1;
	}
}

/* Closes a Text connection; answers still waiting for Redis are dropped with it. */
void push_text_close(push_server *s, push_tconn *t)
{
	ev_io_stop(s->loop, &t->rio);
	ev_io_stop(s->loop, &t->wio);
	close(t->fd);
	PUSH_LIST_UNLINK(s->texts, t, prev, next);
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
	push_buf_free(&t->in);
	push_buf_free(&t->out);
	free(t);
	s->stats.text_conns--;
	push_conn_drain_check(s);
}

static void text_read(push_server *s, push_tconn *t);

static void text_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	push_tconn *t = w->data;
	push_server *s = t->srv;

	text_read(s, t);
	push_conn_lws_kick(s);
}

#define QUICK_READS 8     /* more than a burst of late lines from a paced sender */

void push_text_spin_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	push_server *s = w->data;

	if (ev_now(loop) >= s->spin_until) {
		ev_idle_stop(loop, w);
	}
}

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
		push_text_close(s, t);      /* the backend closed, or the socket broke */
		return;
	}
	spin_after_read(s, t);
	t->last_rx_ms = now32(s);
	if (!t->closing) {
		text_feed(s, t, s->rbuf, (size_t)n);
	}
	/*
	 * Answers go out before the frames they answer for: the backend can write
	 * its next lines while the frames are being sent, so the next read finds
	 * more lines, and more frames share one send per connection. "ok" still
	 * means the frame was queued on a live connection.
	 */
	broken = (t->dirty || t->out_off < t->out.len) && push_text_flush(s, t) != 0;
	if (s->dirty) {
		push_conn_flush_dirty(s);
	}
	if (broken) {
		push_text_close(s, t);
		return;
	}
	if (t->closing && t->out_off >= t->out.len && !t->pq_head) {
		push_text_close(s, t);
	}
}

static void text_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	push_tconn *t = w->data;
	push_server *s = t->srv;

	if (push_text_flush(s, t) != 0) {
		push_text_close(s, t);
		return;
	}
	if (t->out_off >= t->out.len && !t->pq_head && (t->closing || (s->stopping && s->graceful))) {
		push_text_close(s, t);
	}
}

/* From the sweep: Text connections past the authentication or the idle deadline are closed. */
void push_text_sweep(push_server *s, uint32_t now)
{
	push_tconn *t, *next;

	for (t = s->texts; t; t = next) {
		next = t->next;
		if (t->closing) {
			continue;
		}
		if (!t->authed && now - t->opened_ms >= s->cfg.text_auth_timeout_ms) {
			s->stats.refused_text_auth_timeout++;
			push_text_answerf(t, "error: authentication timeout");
		} else if (s->cfg.text_idle_timeout_ms && !t->pq_head && now - t->last_rx_ms >= s->cfg.text_idle_timeout_ms) {
			push_text_answerf(t, "error: idle timeout");
		} else {
			continue;
		}
		t->closing = 1;
		t->in.len = 0;
		if (push_text_flush(s, t) != 0 || t->out_off >= t->out.len) {
			push_text_close(s, t);
		}
	}
}

void push_text_open(push_server *s, int fd)
{
	push_tconn *t;

	if (s->stopping || !(t = calloc(1, sizeof(*t)))) {
		close(fd);
		return;
	}
	if (s->stats.text_conns >= s->cfg.max_text_conns) {
		static const char full[] = "error: too many connections\n";

		s->stats.refused_text_conns++;
		(void)!send(fd, full, sizeof(full) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		close(fd);
		free(t);
		return;
	}
	t->fd = fd;
	t->opened_ms = t->last_rx_ms = now32(s);
	t->srv = s;
	t->authed = s->cfg.text_secret == NULL;
	ev_io_init(&t->rio, text_read_cb, fd, EV_READ);
	ev_io_init(&t->wio, text_write_cb, fd, EV_WRITE);
	t->rio.data = t->wio.data = t;
	ev_io_start(s->loop, &t->rio);
	PUSH_LIST_PUSH(s->texts, t, prev, next);
	s->stats.text_conns++;
	s->stats.text_conns_total++;
}
