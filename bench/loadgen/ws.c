/*
 * ws.c - the WebSocket clients: payloads and the check of each delivery (exactly once, at the
 * connection of its uid, byte for byte), and a small RFC 6455 client (upgrade handshake checked
 * against Sec-WebSocket-Accept, masked frames, 7/16/64-bit lengths, fragments, ping/pong, close).
 */
#include "loadgen.h"

/* ------------------------------------------------------------------------ */
/* payloads                                                                 */
/*   P<uid7>S<seq10>xxx..  unicast push     Q<uid7>xxx..  binding probe      */
/*   B<k10>xxx..           broadcast                                         */
/* ------------------------------------------------------------------------ */

int make_payload(char *out, char kind, uint32_t uid, uint64_t seq)
{
	int n;
	if (kind == 'P')
		n = snprintf(out, 64, "P%07" PRIu32 "S%010" PRIu64, uid, seq);
	else if (kind == 'Q')
		n = snprintf(out, 64, "Q%07" PRIu32, uid);
	else
		n = snprintf(out, 64, "B%010" PRIu64, seq);
	memset(out + n, 'x', (size_t)(opt.size - n));
	out[opt.size] = 0;
	return opt.size;
}

static int parse_digits(const uint8_t *p, int n, uint64_t *v)
{
	uint64_t x = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(p[i] - '0');
	}
	*v = x;
	return 0;
}

int padding_ok(const uint8_t *p, size_t from, size_t len)
{
	if (len != (size_t)opt.size)
		return 0;
	for (size_t i = from; i < len; i++)
		if (p[i] != 'x')
			return 0;
	return 1;
}

static void on_message(int idx, const uint8_t *p, size_t n, uint64_t t)
{
	uint64_t uid, seq;
	if (opt.pusher) {
		pu_message(idx, p, n, t);
		return;
	}
	G.frames++;
	if (n >= 19 && p[0] == 'P' && p[8] == 'S' && !parse_digits(p + 1, 7, &uid) &&
	    !parse_digits(p + 9, 10, &seq) && padding_ok(p, 19, n)) {
		if (!G.t_first_frame)
			G.t_first_frame = t;
		G.t_last_frame = t;
		if (uid != (uint64_t)idx) {
			G.misroute++;
			return;
		}
		if (seq >= G.nseq) {
			G.unknown_seq++;
			return;
		}
		if (G.seq_cnt[seq]) {
			G.dup++;
		} else {
			G.delivered++;
			if (G.send_ns && G.send_ns[seq])
				G.lat_ns[G.nlat++] = t - G.send_ns[seq];
		}
		if (G.seq_cnt[seq] < 255)
			G.seq_cnt[seq]++;
		return;
	}
	if (n >= 8 && p[0] == 'Q' && !parse_digits(p + 1, 7, &uid) && padding_ok(p, 8, n)) {
		if (uid != (uint64_t)idx) {
			G.misroute++;
			return;
		}
		if (G.probe_cnt && G.probe_cnt[idx]++ == 0)
			G.probes_bound++;
		else
			G.dup++;
		return;
	}
	if (n >= 11 && p[0] == 'B' && !parse_digits(p + 1, 10, &seq) && padding_ok(p, 11, n)) {
		if (!G.t_first_frame)
			G.t_first_frame = t;
		G.t_last_frame = t;
		if (seq >= (uint64_t)G.nbc) {
			G.unknown_seq++;
			return;
		}
		uint8_t *c = &G.bc_cnt[(size_t)idx * (size_t)G.nbc + seq];
		if (*c) {
			G.dup++;
		} else {
			G.bc_got[seq]++;
			G.bc_delivered++;
			G.bc_last_ns[seq] = t;
		}
		if (*c < 255)
			(*c)++;
		return;
	}
	G.corrupt++;
	if (verbose && G.corrupt < 10)
		say("client %d: unexpected message (%zu bytes) '%.*s'", idx, n, (int)(n > 60 ? 60 : n), (const char *)p);
}

/* ------------------------------------------------------------------------ */
/* WebSocket client                                                         */
/* ------------------------------------------------------------------------ */

void ws_close(wsc *c, int abortive)
{
	if (c->fd < 0)
		return;
	if (abortive) {
		struct linger lg = {1, 0};
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	}
	close(c->fd); /* also leaves the epoll set */
	c->fd = -1;
	if (c->state == WS_CONNECTING || c->state == WS_HANDSHAKE) {
		G.inflight--;
		G.failed++;
	} else if (c->state == WS_OPEN && !G.teardown) {
		G.unexpected_close++;
	}
	c->state = WS_CLOSED;
	free(c->in);
	free(c->out);
	free(c->frag);
	c->in = c->out = c->frag = NULL;
	c->in_len = c->in_cap = c->out_len = c->out_cap = c->frag_len = c->frag_cap = 0;
}

/* appends n bytes to a growing buffer */
static void buf_append(uint8_t **buf, uint32_t *len, uint32_t *cap, const void *p, size_t n)
{
	if (*len + n > *cap) {
		*cap = (uint32_t)(*len + n) * 2;
		*buf = xrealloc(*buf, *cap);
	}
	memcpy(*buf + *len, p, n);
	*len += (uint32_t)n;
}

static void ws_update_events(wsc *c)
{
	int want = c->out_len > 0;
	if (want != c->want_out) {
		c->want_out = (uint8_t)want;
		ep_set(c->fd, tag_of(TAG_WS, (uint32_t)(c - G.ws)), EPOLLIN | (want ? EPOLLOUT : 0), EPOLL_CTL_MOD);
	}
}

static void ws_write(wsc *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	if (c->fd < 0)
		return;
	if (!c->out_len) {
		ssize_t w = send(c->fd, p, len, MSG_NOSIGNAL);
		if (w < 0 && errno != EAGAIN && errno != EINTR) {
			ws_close(c, 0);
			return;
		}
		if (w > 0) {
			p += w;
			len -= (size_t)w;
		}
	}
	if (len) {
		buf_append(&c->out, &c->out_len, &c->out_cap, p, len);
		ws_update_events(c);
	}
}

static void ws_flush(wsc *c)
{
	while (c->out_len) {
		ssize_t w = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			ws_close(c, 0);
			return;
		}
		memmove(c->out, c->out + w, c->out_len - (size_t)w);
		c->out_len -= (uint32_t)w;
	}
	ws_update_events(c);
}

/* one masked client frame (RFC 6455 section 5.2/5.3) */
void ws_send_frame(wsc *c, int opcode, const void *payload, size_t n)
{
	uint8_t stackbuf[512], *buf = stackbuf;
	size_t need = n + 14;
	if (need > sizeof stackbuf)
		buf = xrealloc(NULL, need);
	size_t h = 0;
	buf[h++] = (uint8_t)(0x80 | opcode);
	if (n < 126) {
		buf[h++] = (uint8_t)(0x80 | n);
	} else if (n < 65536) {
		buf[h++] = 0x80 | 126;
		buf[h++] = (uint8_t)(n >> 8);
		buf[h++] = (uint8_t)n;
	} else {
		buf[h++] = 0x80 | 127;
		for (int i = 7; i >= 0; i--)
			buf[h++] = (uint8_t)((uint64_t)n >> (8 * i));
	}
	uint32_t m = (uint32_t)rng_next();
	uint8_t mask[4] = {(uint8_t)(m >> 24), (uint8_t)(m >> 16), (uint8_t)(m >> 8), (uint8_t)m};
	memcpy(buf + h, mask, 4);
	h += 4;
	const uint8_t *src = payload;
	for (size_t i = 0; i < n; i++)
		buf[h + i] = src[i] ^ mask[i & 3];
	ws_write(c, buf, h + n);
	if (buf != stackbuf)
		free(buf);
}

static void ws_send_handshake(wsc *c)
{
	uint8_t raw[16];
	for (int i = 0; i < 16; i += 8) {
		uint64_t r = rng_next();
		memcpy(raw + i, &r, 8);
	}
	base64_encode(raw, 16, c->key);
	char req[512];
	int n = snprintf(req, sizeof req,
			 "GET %s HTTP/1.1\r\n"
			 "Host: %s\r\n"
			 "Upgrade: websocket\r\n"
			 "Connection: Upgrade\r\n"
			 "Sec-WebSocket-Key: %s\r\n"
			 "Sec-WebSocket-Version: 13\r\n"
			 "%s%s%s"
			 "\r\n",
			 opt.path, opt.ws_hostport, c->key,
			 opt.protocol ? "Sec-WebSocket-Protocol: " : "", opt.protocol ? opt.protocol : "",
			 opt.protocol ? "\r\n" : "");
	ws_write(c, req, (size_t)n);
}

static void ws_opened(wsc *c)
{
	int idx = (int)(c - G.ws);
	char uid[16];
	int n = snprintf(uid, sizeof uid, "u%d", idx);
	c->state = WS_OPEN;
	G.inflight--;
	G.open++;
	G.t_last_open = now_ns();
	if (!opt.pusher) /* a Pusher client speaks once the server has said connection_established */
		ws_send_frame(c, 0x1, uid, (size_t)n);
}

/* returns bytes used, 0 if incomplete, (size_t)-1 on a bad answer */
static size_t ws_handshake_answer(wsc *c, const uint8_t *data, size_t len)
{
	const char *d = (const char *)data;
	const char *end = memmem(d, len, "\r\n\r\n", 4);
	if (!end)
		return len > MAX_HANDSHAKE ? (size_t)-1 : 0;
	size_t head = (size_t)(end - d) + 2;
	if (head < 12 || strncmp(d, "HTTP/1.1 101", 12)) {
		if (verbose)
			say("handshake refused: %.*s", (int)strcspn(d, "\r\n"), d);
		return (size_t)-1;
	}
	const char *v;
	size_t vl;
	char expect[32];
	ws_accept(c->key, strlen(c->key), expect);
	if (!http_header(d, head, "Sec-WebSocket-Accept", &v, &vl) || vl != strlen(expect) ||
	    memcmp(v, expect, vl)) {
		if (verbose)
			say("handshake: bad or missing Sec-WebSocket-Accept");
		return (size_t)-1;
	}
	if (!http_header(d, head, "Upgrade", &v, &vl) || vl != 9 || strncasecmp(v, "websocket", 9)) {
		if (verbose)
			say("handshake: missing 'Upgrade: websocket'");
		return (size_t)-1;
	}
	return head + 2;
}

static void ws_deliver(wsc *c, int op, const uint8_t *p, size_t n, uint64_t t)
{
	(void)op; /* text or binary alike */
	on_message((int)(c - G.ws), p, n, t);
}

static uint64_t be_read(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void ws_proto_error(wsc *c, const char *why)
{
	G.proto_err++;
	if (verbose || G.proto_err < 5)
		say("client %d: protocol error: %s", (int)(c - G.ws), why);
	ws_close(c, 1);
}

/* parse as many whole frames as there are; returns bytes used */
static size_t ws_parse_frames(wsc *c, uint8_t *data, size_t len, uint64_t t)
{
	size_t off = 0;
	while (len - off >= 2 && c->fd >= 0) {
		uint8_t *p = data + off;
		int fin = p[0] >> 7, op = p[0] & 0x0f, masked = p[1] >> 7;
		uint64_t plen = p[1] & 0x7f;
		size_t h = 2;
		if (p[0] & 0x70) {
			ws_proto_error(c, "reserved bits set");
			return len;
		}
		if (plen == 126) {
			if (len - off < 4)
				break;
			plen = be_read(p + 2, 2);
			h = 4;
		} else if (plen == 127) {
			if (len - off < 10)
				break;
			plen = be_read(p + 2, 8);
			h = 10;
		}
		if (plen > MAX_MESSAGE) {
			ws_proto_error(c, "frame too large");
			return len;
		}
		if (masked)
			h += 4; /* servers must not mask; tolerate it */
		if (len - off < h + plen)
			break;
		uint8_t *pl = p + h;
		if (masked)
			for (uint64_t i = 0; i < plen; i++)
				pl[i] ^= p[h - 4 + (i & 3)];
		off += h + (size_t)plen;

		if (op & 0x8) { /* control frame */
			if (!fin || plen > 125) {
				ws_proto_error(c, "bad control frame");
				return len;
			}
			if (op == 0x9) {
				G.pings++;
				ws_send_frame(c, 0xA, pl, (size_t)plen);
			} else if (op == 0x8) {
				if (!G.teardown)
					G.server_close_frames++;
				if (!c->close_sent) {
					c->close_sent = 1;
					ws_send_frame(c, 0x8, pl, plen >= 2 ? 2 : 0);
				}
				if (c->state == WS_OPEN && !G.teardown)
					G.unexpected_close++;
				c->state = WS_CLOSING;
			} else if (op != 0xA) {
				ws_proto_error(c, "unknown control opcode");
				return len;
			}
			continue;
		}
		if (op == 0x0) {
			if (!c->frag_op) {
				ws_proto_error(c, "continuation without start");
				return len;
			}
			if ((uint64_t)c->frag_len + plen > MAX_MESSAGE) {
				ws_proto_error(c, "message too large");
				return len;
			}
			buf_append(&c->frag, &c->frag_len, &c->frag_cap, pl, (size_t)plen);
			if (fin) {
				ws_deliver(c, c->frag_op, c->frag, c->frag_len, t);
				c->frag_op = 0;
				c->frag_len = 0;
			}
		} else if (op == 0x1 || op == 0x2) {
			if (c->frag_op) {
				ws_proto_error(c, "new message inside a fragmented one");
				return len;
			}
			if (fin) {
				ws_deliver(c, op, pl, (size_t)plen, t);
			} else {
				c->frag_op = (uint8_t)op;
				c->frag_len = 0;
				buf_append(&c->frag, &c->frag_len, &c->frag_cap, pl, (size_t)plen);
			}
		} else {
			ws_proto_error(c, "unknown data opcode");
			return len;
		}
	}
	return off;
}

/* bytes from the socket (or a test) */
void ws_feed(wsc *c, uint8_t *data, size_t len, uint64_t t)
{
	int buffered = c->in_len > 0;
	if (buffered) {
		buf_append(&c->in, &c->in_len, &c->in_cap, data, len);
		data = c->in;
		len = c->in_len;
	}
	size_t used = 0;
	if (c->state == WS_HANDSHAKE) {
		used = ws_handshake_answer(c, data, len);
		if (used == (size_t)-1) {
			G.handshake_err++;
			ws_close(c, 1);
			return;
		}
		if (used)
			ws_opened(c);
	}
	if (c->fd >= 0 && (c->state == WS_OPEN || c->state == WS_CLOSING))
		used += ws_parse_frames(c, data + used, len - used, t);
	if (c->fd < 0)
		return;
	size_t rest = len - used;
	if (buffered) {
		memmove(c->in, c->in + used, rest);
		c->in_len = (uint32_t)rest;
	} else if (rest) {
		c->in_len = 0;
		buf_append(&c->in, &c->in_len, &c->in_cap, data + used, rest);
	}
}

static uint8_t rxbuf[RX_CHUNK];

static void ws_readable(wsc *c)
{
	for (;;) {
		ssize_t r = recv(c->fd, rxbuf, sizeof rxbuf, 0);
		if (r > 0) {
			ws_feed(c, rxbuf, (size_t)r, now_ns());
			if (c->fd < 0 || (size_t)r < sizeof rxbuf)
				return;
			continue;
		}
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		/* EOF or reset */
		if (c->state == WS_HANDSHAKE)
			G.handshake_err++;
		ws_close(c, 0);
		return;
	}
}

void ws_event(wsc *c, uint32_t ev)
{
	if (c->state == WS_CONNECTING) {
		int err = socket_error(c->fd);
		if (err) {
			G.connect_err++;
			if (G.connect_err < 5)
				say("connect: %s", strerror(err));
			ws_close(c, 1);
			return;
		}
		if (!(ev & EPOLLOUT))
			return;
		c->state = WS_HANDSHAKE;
		c->want_out = 1; /* registered with EPOLLOUT for the connect */
		ws_send_handshake(c);
		if (c->fd >= 0)
			ws_update_events(c);
		return;
	}
	if (ev & EPOLLOUT)
		ws_flush(c);
	if (c->fd >= 0 && (ev & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		ws_readable(c);
}

/*
 * Linux picks an ephemeral port for connect() by scanning from a hashed offset;
 * with thousands of connections to one address and port the scan grows with
 * every connection. Spreading sources over a few loopback addresses (the
 * port is still chosen by the kernel at connect time) keeps it short.
 */
void bind_source(int fd, uint64_t n)
{
	if (opt.src_ips <= 1)
		return;
	int one = 1;
	setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(0x7f000001u + (uint32_t)(n % (uint64_t)opt.src_ips));
	bind(fd, (struct sockaddr *)&a, sizeof a); /* on failure the kernel picks */
}

static void ws_connect(wsc *c)
{
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		G.connect_err++;
		G.failed++;
		c->state = WS_CLOSED;
		if (G.connect_err < 5)
			say("socket: %s", strerror(errno));
		return;
	}
	int one = 1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	bind_source(c->fd, (uint64_t)(c - G.ws));
	if (connect(c->fd, (struct sockaddr *)&opt.ws, sizeof opt.ws) < 0 && errno != EINPROGRESS) {
		G.connect_err++;
		G.failed++;
		if (G.connect_err < 5)
			say("connect: %s", strerror(errno));
		close(c->fd);
		c->fd = -1;
		c->state = WS_CLOSED;
		return;
	}
	c->state = WS_CONNECTING;
	G.inflight++;
	ep_set(c->fd, tag_of(TAG_WS, (uint32_t)(c - G.ws)), EPOLLIN | EPOLLOUT, EPOLL_CTL_ADD);
}

void start_connects(void)
{
	while (G.started < G.nws && G.inflight < opt.conc) {
		if (!G.t_connect0)
			G.t_connect0 = now_ns();
		ws_connect(&G.ws[G.started++]);
	}
}
