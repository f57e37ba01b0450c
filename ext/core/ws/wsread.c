/*
 * wsread.c - node layer: the client frames of a plain WebSocket connection,
 * read by push instead of libwebsockets.
 *
 * libwebsockets (4.1 and 4.3 alike) parses client frames leniently: it takes
 * unmasked frames, and on a control frame over 125 bytes or a 64-bit length
 * with the top bit set it drops the TCP connection without a close frame.
 * RFC 6455 asks for a close frame with 1002 in each case. So from
 * LWS_CALLBACK_ESTABLISHED on, libwebsockets stops reading a plain connection
 * (rx flow control) and this file reads the socket: it checks every frame
 * header (RFC 6455 5.2, 5.4, 5.5), unmasks, answers pings, takes pongs and
 * close frames, and hands the pieces of data messages to ws.c through
 * s->ws_rx. libwebsockets still writes everything and closes the socket.
 *
 * Close frames of these connections are written here too (push_wsrd_close(),
 * from WRITEABLE): libwebsockets' own close would wait on a socket it no
 * longer reads. As with libwebsockets' close, the connection ends once the
 * close frame is out, and stays bound until then; what the client sends after
 * its close frame, or after the server decided to close, is read and dropped.
 *
 * Not read here: TLS connections, WebSockets over HTTP/2, and connections
 * whose client sent bytes after its request head before it had the 101
 * answer (RFC 6455 4.1 forbids it): libwebsockets read those bytes with the
 * head, so only its own parser knows where the next frame starts
 * (handshake.c notices them).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sys/socket.h>

#include <ev.h>
#include <libwebsockets.h>

#include "server_int.h"
#include "conn.h"
#include "wsread.h"
#include "wsframe.h"

#define RX_FIN  0x80
#define RX_RSV  0x70
#define RX_MASK 0x80
#define CTL_MAX 125            /* longest control frame payload */

static void rd_cb(struct ev_loop *loop, ev_io *w, int revents);

/* Close codes a peer may send (RFC 6455 7.4): 1000-1003, 1007-1014, 3000-4999. */
static int close_code_valid(unsigned code)
{
	return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

int push_ws_close_check(const unsigned char *in, size_t len, unsigned *code)
{
	*code = len >= 2 ? (unsigned)(in[0] << 8 | in[1]) : 1005;
	if (len == 1 || (len >= 2 && !close_code_valid(*code))) {
		return 1002;
	}
	if (len > 2 && !push_utf8_valid((const char *)in + 2, len - 2)) {
		return 1007;
	}
	return 0;
}

void push_wsrd_start(push_server *s, push_conn *c, push_ws_rx_fn rx)
{
	struct lws *wsi = c->wsi;
	int early = c->rx_early;

	c->rx_early = 0;
	if (early || lws_is_ssl(wsi) || lws_get_network_wsi(wsi) != wsi || lws_rx_flow_control(wsi, 0) != 0) {
		return;
	}
	s->ws_rx = rx;
	c->rd_mode = RD_ON;
	ev_io_init(&c->rd, rd_cb, lws_get_socket_fd(wsi), EV_READ);
	ev_io_start(s->loop, &c->rd);
}

void push_wsrd_stop(push_server *s, push_conn *c)
{
	if (ev_is_active(&c->rd)) {
		ev_io_stop(s->loop, &c->rd);
	}
}

/* Ends the connection now: c is freed when this returns, unless libwebsockets still flushes its output. */
static void rd_end(push_server *s, push_conn *c)
{
	push_wsrd_stop(s, c);
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_ACK, LWS_TO_KILL_SYNC);
	s->kick = 1;
}

void push_wsrd_close(push_server *s, push_conn *c)
{
	unsigned char f[PUSH_WS_HEADER_MAX + 2 + CTL_MAX];
	const char *why = CONN_RARE(c, close_reason, NULL);
	size_t rl = why ? strlen(why) : 0, pl = 0, hl;

	(void)s;
	/* 1005 means no code: the close frame is then empty */
	if (c->close_code && c->close_code != 1005) {
		if (rl > CTL_MAX - 2) {
			rl = CTL_MAX - 2;
		}
		pl = 2 + rl;
	}
	hl = push_ws_header(f, PUSH_WS_OP_CLOSE, pl);
	if (pl) {
		f[hl] = (unsigned char)(c->close_code >> 8);
		f[hl + 1] = (unsigned char)c->close_code;
		memcpy(f + hl + 2, why, rl);
	}
	lws_write(c->wsi, f, hl + pl, LWS_WRITE_RAW);
}

/* A protocol error: close with 1002; what follows is dropped. */
static void rx_fail(push_conn *c, const char *why)
{
	push_conn_close_soon(c, 1002, why);
}

/* A control frame's whole payload. Returns -1 if the connection ended (c is gone). */
static int rx_control(push_server *s, push_conn *c, unsigned op, const unsigned char *p, size_t len)
{
	unsigned code;
	int bad;

	if (op == PUSH_WS_OP_PING || op == PUSH_WS_OP_PONG) {
		c->last_rx_ms = now32(s);
		c->ping_sent = 0;
		if (op == PUSH_WS_OP_PING) {
			push_conn_queue(s, c, PUSH_WS_OP_PONG, (const char *)p, len);
		}
		return 0;
	}
	/* the client's close frame: echoed (its code, no reason) when well formed */
	bad = push_ws_close_check(p, len, &code);
	if (bad) {
		push_conn_close_soon(c, bad, bad == 1002 ? "bad close frame" : "close reason not UTF-8");
	} else {
		push_conn_close_soon(c, (int)code, NULL);
	}
	return 0;
}

/* A frame header is complete: checks it. Returns -1 if the connection ended (c is gone). */
static int rx_header(push_server *s, push_conn *c)
{
	unsigned op = c->rx_b0 & 0x0f, len7 = c->rx_b1 & 0x7f, ctl = op & 8;

	if (c->rx_b0 & RX_RSV) {
		rx_fail(c, "reserved bits set");
	} else if (op > PUSH_WS_OP_PONG || (op > PUSH_WS_OP_BINARY && op < PUSH_WS_OP_CLOSE)) {
		rx_fail(c, "unknown opcode");
	} else if (ctl && !(c->rx_b0 & RX_FIN)) {
		rx_fail(c, "fragmented control frame");
	} else if (ctl && len7 > CTL_MAX) {
		rx_fail(c, "control frame over 125 bytes");
	} else if (!(c->rx_b1 & RX_MASK)) {
		rx_fail(c, "frame not masked");
	} else if (len7 == 127 && c->rx_left >> 63) {
		rx_fail(c, "64-bit length with the top bit set");
	} else if (op == 0 && !c->rx_frag) {
		rx_fail(c, "continuation of no message");
	} else if ((op == PUSH_WS_OP_TEXT || op == PUSH_WS_OP_BINARY) && c->rx_frag) {
		rx_fail(c, "message inside a fragmented one");
	}
	if (c->state == CS_CLOSING || c->rx_closed) {
		return 0;
	}
	if (!ctl) {
		c->rx_frag = !(c->rx_b0 & RX_FIN);
		c->rx_first = op != 0;
		if (c->rx_first) {
			c->in_binary = op == PUSH_WS_OP_BINARY;
		}
	}
	c->rx_hpos = PUSH_RX_PAYLOAD;
	c->rx_mpos = 0;
	if (c->rx_left) {
		/* a data frame's length is checked now, not when its bytes come (a 2^40-byte frame gets 1009 at once) */
		if (!ctl && s->ws_rx(s, c, "", 0, c->rx_first, !c->rx_frag, c->rx_left, c->in_binary) != 0
				&& c->state != CS_CLOSING && !c->rx_closed) {
			rd_end(s, c);
			return -1;
		}
		return 0;
	}
	/* an empty frame is complete at once */
	c->rx_hpos = 0;
	if (ctl) {
		return rx_control(s, c, op, NULL, 0);
	}
	if (s->ws_rx(s, c, "", 0, c->rx_first, !c->rx_frag, 0, c->in_binary) != 0 && c->state != CS_CLOSING
			&& !c->rx_closed) {
		rd_end(s, c);
		return -1;
	}
	c->rx_first = 0;
	return 0;
}

static void unmask(push_conn *c, unsigned char *p, size_t n)
{
	size_t i = 0;
	unsigned m = c->rx_mpos;

	if (n >= 16) {
		uint64_t k;
		unsigned char kb[8];

		for (; m & 3; m++, i++) {
			p[i] ^= c->rx_mask[m & 3];
		}
		for (int j = 0; j < 8; j++) {
			kb[j] = c->rx_mask[j & 3];
		}
		memcpy(&k, kb, 8);
		for (; i + 8 <= n; i += 8) {
			uint64_t v;

			memcpy(&v, p + i, 8);
			v ^= k;
			memcpy(p + i, &v, 8);
		}
	}
	for (; i < n; i++, m++) {
		p[i] ^= c->rx_mask[m & 3];
	}
	c->rx_mpos = (uint8_t)(m & 3);
}

/* n payload bytes of the current frame (n <= rx_left). Returns -1 if the connection ended (c is gone). */
static int rx_payload(push_server *s, push_conn *c, unsigned char *p, size_t n)
{
	unsigned op = c->rx_b0 & 0x0f;
	push_conn_rare *r;
	int rc;

	c->rx_left -= n;
	if (!c->rx_left) {
		c->rx_hpos = 0;
	}
	unmask(c, p, n);
	if (!(op & 8)) {
		rc = s->ws_rx(s, c, (const char *)p, n, c->rx_first, !c->rx_frag, c->rx_left, c->in_binary);
		c->rx_first = 0;
		if (rc != 0 && c->state != CS_CLOSING && !c->rx_closed) {
			rd_end(s, c);
			return -1;
		}
		return 0;
	}
	if (!c->rx_left && !CONN_RARE(c, ctl_len, 0)) {
		return rx_control(s, c, op, p, n);
	}
	/* a control frame cut by the reads: gathered (at most 125 bytes) */
	if (!(r = push_conn_rare_get(c)) || (!r->ctl && !(r->ctl = malloc(CTL_MAX)))) {
		push_conn_close_soon(c, PUSH_CLOSE_REFUSED, "out of memory");
		return 0;
	}
	memcpy(r->ctl + r->ctl_len, p, n);
	r->ctl_len = (uint8_t)(r->ctl_len + n);
	if (c->rx_left) {
		return 0;
	}
	rc = rx_control(s, c, op, r->ctl, r->ctl_len);
	free(r->ctl);
	r->ctl = NULL;
	r->ctl_len = 0;
	return rc;
}

/* Parses n bytes of the client's stream. Returns -1 if the connection ended (c is gone). */
static int rx_feed(push_server *s, push_conn *c, unsigned char *p, size_t n)
{
	/* once closing, the rest is dropped */
	while (n && c->state != CS_CLOSING && !c->rx_closed) {
		if (c->rx_hpos == PUSH_RX_PAYLOAD) {
			size_t k = n < c->rx_left ? n : (size_t)c->rx_left;

			if (rx_payload(s, c, p, k) < 0) {
				return -1;
			}
			p += k;
			n -= k;
			continue;
		}
		/* a header byte: 2 bytes, 0, 2 or 8 of extended length, 4 of masking key */
		unsigned pos = c->rx_hpos++, len7 = c->rx_b1 & 0x7f, ext = len7 == 126 ? 2 : (len7 == 127 ? 8 : 0);
		unsigned char b = *p++;

		n--;
		if (pos == 0) {
			c->rx_b0 = b;
			continue;
		}
		if (pos == 1) {
			c->rx_b1 = b;
			len7 = b & 0x7f;
			c->rx_left = len7 < 126 ? len7 : 0;
			ext = len7 == 126 ? 2 : (len7 == 127 ? 8 : 0);
		} else if (pos < 2 + ext) {
			c->rx_left = c->rx_left << 8 | b;
		} else {
			c->rx_mask[pos - 2 - ext] = b;
		}
		if (c->rx_hpos == 2 + ext + (c->rx_b1 & RX_MASK ? 4 : 0) && rx_header(s, c) < 0) {
			return -1;
		}
	}
	return 0;
}

static void rd_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	push_conn *c = (push_conn *)(void *)((char *)w - offsetof(push_conn, rd));
	push_server *s = conn_srv(c);
	ssize_t n;

	(void)loop;
	(void)revents;
	n = recv(w->fd, s->rbuf, TEXT_READ_SIZE, 0);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
		return;
	}
	if (n == 0 && (c->rx_closed || c->state == CS_CLOSING)) {
		/* the end of the client's stream after its close frame (or ours is due): nothing more to
		 * read, but the client may still read our close frame, which WRITEABLE writes */
		push_wsrd_stop(s, c);
	} else if (n <= 0) {
		/* the client is gone, or ended its stream without a close frame: 1006, no close frame */
		rd_end(s, c);
	} else if (rx_feed(s, c, (unsigned char *)s->rbuf, (size_t)n) == 0 && c->state != CS_CLOSING
			&& !c->rx_closed) {
		/* a message begun and not complete (a frame cut by the read, or fragments to come) has message_timeout */
		if (c->rx_hpos || c->rx_frag) {
			push_conn_in_begin(s, c);
		} else {
			push_conn_in_end(c);
		}
	}
	if (s->dirty) {
		push_conn_flush_dirty(s);
	}
	push_conn_lws_kick(s);
}
