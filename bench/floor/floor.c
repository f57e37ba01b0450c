/*
 * floor - the floor of push's benchmarks: the recipe's push server in as little C as it takes.
 *
 * The recipe (Workerman's push.php) keeps two ports:
 *
 *   - a WebSocket port, where a browser connects and sends its uid as its first message; the
 *     server keeps a table uid -> connection (a later connection with the same uid takes the
 *     entry over; closing a connection removes its own entry);
 *   - a Text port (one line per message), where the backend writes
 *     {"uid":"uid1","percent":"88%"} and reads back "ok" when a connection of that uid was
 *     found and the value of "percent" was sent to it as one text frame, "fail" otherwise.
 *
 * This file does the same job in one thread, one epoll loop and nonblocking sockets, with the
 * least work per event a C server can do, so that the benchmarks can say how close push comes to
 * what the kernel and the machine allow: push's performance targets are ratios to this server,
 * measured in the same run. The browser receives the pushed value byte for byte as the recipe
 * sends it: the JSON string decoded (escapes included), an integer as its digits.
 *
 * Shortcuts no product may take (none of them matters for the benchmarks):
 *   - no limits on send queues (a reader that never reads makes the server grow), no heartbeat,
 *     no authentication, no origin check, no TLS, no subprotocol, no extensions;
 *   - client frames of at most FRAME_MAX bytes, and no fragmented client messages (browsers send
 *     small messages in one frame); the connection is closed otherwise;
 *   - request heads are not validated beyond finding Sec-WebSocket-Key;
 *   - member names of the Text line are compared as written (no escapes in "uid", "percent"); a
 *     uid or value that is neither a JSON string nor an integer is answered "fail"; a line
 *     without "percent" pushes its "msg" (push's own field), so push's clients can use it too.
 *
 * usage: floor [WS_PORT [TEXT_PORT]]      (binds 127.0.0.1; defaults 1234 5678; exits on SIGTERM)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/handshake.h"

#define RX_SIZE (256 * 1024)   /* one recv() at most */
#define HEAD_MAX 8192          /* largest WebSocket request head */
#define FRAME_MAX 65536        /* largest client frame payload */
#define LINE_MAX_ (1 << 20)    /* largest Text line */
#define WS_HDR_MAX 10          /* largest server frame header */
#define BAD ((size_t)-1)       /* an input handler's "close this connection" */

enum kind { LISTEN_WS, LISTEN_TEXT, WS_HEAD, WS_OPEN, TEXT };

typedef struct conn {
	int fd;               /* -1 once closed */
	uint8_t kind;         /* enum kind */
	uint8_t polling_out;  /* EPOLLOUT registered */
	uint8_t broken;       /* a send failed: drop output until the close is seen */
	uint32_t hash;        /* of uid */
	char *uid;            /* NULL until the first message */
	size_t uid_len;
	char *in;             /* unparsed input (a partial head, frame or line), NULL when none */
	size_t in_len, in_cap;
	char *out;            /* output the kernel did not take yet */
	size_t out_off, out_len, out_cap;
	struct conn *next_dead;
} conn;

static int ep;
static char rx[RX_SIZE];
static conn *dead;        /* closed during this batch of events, freed after it */
static int spare_fd = -1; /* given up to accept and drop a client when out of descriptors */

static void out_of_memory(void)
{
	fputs("floor: out of memory\n", stderr);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	if (!(p = realloc(p, n)))
		out_of_memory();
	return p;
}

/* ------------------------------------------------------------------------------------------ */
/* the uid table: open addressing, linear probing, deletion by backward shift                   */
/* ------------------------------------------------------------------------------------------ */

static conn **tab;
static size_t tab_mask, tab_count;

static uint32_t hash_of(const char *s, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

/* the slot holding uid s, or the empty slot where it would go */
static size_t uid_slot(const char *s, size_t n, uint32_t h)
{
	size_t i = h & tab_mask;
	for (; tab[i]; i = (i + 1) & tab_mask) {
		const conn *c = tab[i];
		if (c->hash == h && c->uid_len == n && !memcmp(c->uid, s, n))
			break;
	}
	return i;
}

static conn *uid_find(const char *s, size_t n)
{
	return tab[uid_slot(s, n, hash_of(s, n))];
}

static void uid_grow(void)
{
	conn **old = tab;
	size_t old_size = tab_mask + 1;
	tab_mask = old_size * 2 - 1;
	tab = calloc(tab_mask + 1, sizeof *tab);
	if (!tab)
		out_of_memory();
	for (size_t i = 0; i < old_size; i++) {
		if (old[i]) {
			size_t j = old[i]->hash & tab_mask;
			while (tab[j])
				j = (j + 1) & tab_mask;
			tab[j] = old[i];
		}
	}
	free(old);
}

/* the first message of a WebSocket connection: its uid */
static void uid_bind(conn *c, const char *uid, size_t n)
{
	c->uid = xrealloc(NULL, n ? n : 1);
	memcpy(c->uid, uid, n);
	c->uid_len = n;
	c->hash = hash_of(uid, n);
	size_t i = uid_slot(uid, n, c->hash);
	int fresh = !tab[i];
	tab[i] = c; /* the newest connection of a uid takes it over, as in the recipe */
	if (fresh && ++tab_count * 2 > tab_mask + 1)
		uid_grow();
}

static void uid_unbind(conn *c)
{
	size_t i = uid_slot(c->uid, c->uid_len, c->hash);
	if (tab[i] != c)
		return; /* taken over by a later connection */
	tab[i] = NULL;
	tab_count--;
	/* pull back the entries after the hole that would no longer be found past it */
	for (size_t j = (i + 1) & tab_mask; tab[j]; j = (j + 1) & tab_mask) {
		size_t home = tab[j]->hash & tab_mask;
		int stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!stays) {
			tab[i] = tab[j];
			tab[j] = NULL;
			i = j;
		}
	}
}

/* ------------------------------------------------------------------------------------------ */
/* connections and output                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void poll_out(conn *c, int on)
{
	if (c->polling_out == on)
		return;
	struct epoll_event e = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c};
	epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
	c->polling_out = (uint8_t)on;
}

static void conn_close(conn *c)
{
	if (c->fd < 0)
		return;
	close(c->fd); /* also leaves the epoll set */
	c->fd = -1;
	if (c->uid)
		uid_unbind(c);
	c->next_dead = dead;
	dead = c;
}

static void free_dead(void)
{
	while (dead) {
		conn *c = dead;
		dead = c->next_dead;
		free(c->uid);
		free(c->in);
		free(c->out);
		free(c);
	}
}

static void out_append(conn *c, const void *d, size_t n)
{
	if (c->out_off && c->out_len + n > c->out_cap) {
		memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
		c->out_len -= c->out_off;
		c->out_off = 0;
	}
	if (c->out_len + n > c->out_cap) {
		c->out_cap = (c->out_len + n) * 2;
		c->out = xrealloc(c->out, c->out_cap);
	}
	memcpy(c->out + c->out_len, d, n);
	c->out_len += n;
}

/* hands the kernel what it takes of the queued output; -1 when the connection broke */
static int out_flush(conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			c->broken = 1;
			c->out_off = c->out_len = 0;
			return -1;
		}
		c->out_off += (size_t)w;
	}
	if (c->out_off == c->out_len) {
		c->out_off = c->out_len = 0;
		if (c->out_cap > RX_SIZE) { /* a burst is over: give its memory back */
			free(c->out);
			c->out = NULL;
			c->out_cap = 0;
		}
	}
	poll_out(c, c->out_len != 0);
	return 0;
}

/* sends d now when nothing is queued before it, queues what the kernel does not take */
static void send_or_queue(conn *c, const char *d, size_t n)
{
	if (c->broken)
		return;
	if (c->out_len == 0) {
		ssize_t w = send(c->fd, d, n, MSG_NOSIGNAL);
		if (w == (ssize_t)n)
			return;
		if (w < 0) {
			if (errno != EAGAIN && errno != EINTR) {
				c->broken = 1; /* the read side sees the close */
				return;
			}
			w = 0;
		}
		d += w;
		n -= (size_t)w;
	}
	out_append(c, d, n);
	poll_out(c, 1);
}

/* ------------------------------------------------------------------------------------------ */
/* WebSocket                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* a server frame of payload p[0..n); p must have WS_HDR_MAX writable bytes before it, where the
 * header goes, so that header and payload leave in one send() */
static void ws_send(conn *c, int opcode, char *p, size_t n)
{
	uint8_t *h;
	if (n < 126) {
		h = (uint8_t *)p - 2;
		h[1] = (uint8_t)n;
	} else if (n < 65536) {
		h = (uint8_t *)p - 4;
		h[1] = 126;
		h[2] = (uint8_t)(n >> 8);
		h[3] = (uint8_t)n;
	} else {
		h = (uint8_t *)p - 10;
		h[1] = 127;
		for (int i = 0; i < 8; i++)
			h[2 + i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
	}
	h[0] = (uint8_t)(0x80 | opcode); /* FIN, unfragmented */
	send_or_queue(c, (char *)h, n + (size_t)((uint8_t *)p - h));
}

/* answers the upgrade request head[0..len); 0 when it is refused */
static int ws_upgrade(conn *c, const char *head, size_t len)
{
	const char *key;
	size_t kl;
	if (!http_header(head, len, "Sec-WebSocket-Key", &key, &kl) || kl == 0 || kl > 64) {
		static const char no[] = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
		send_or_queue(c, no, sizeof no - 1);
		return 0;
	}
	char accept[29], answer[160];
	ws_accept(key, kl, accept);
	int n = snprintf(answer, sizeof answer,
			 "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
			 "Sec-WebSocket-Accept: %s\r\n\r\n", accept);
	send_or_queue(c, answer, (size_t)n);
	return 1;
}

/* the input of a WebSocket connection: the request head, then client frames; returns the bytes
 * used (the rest is kept for later) or BAD */
static size_t ws_input(conn *c, char *d, size_t n)
{
	size_t off = 0;
	if (c->kind == WS_HEAD) {
		const char *end = memmem(d, n, "\r\n\r\n", 4);
		if (!end)
			return n > HEAD_MAX ? BAD : 0;
		off = (size_t)(end - d) + 4;
		if (!ws_upgrade(c, d, off))
			return BAD;
		c->kind = WS_OPEN;
	}
	while (n - off >= 2) {
		uint8_t *f = (uint8_t *)d + off;
		int fin = f[0] & 0x80, opcode = f[0] & 0x0f;
		uint64_t len = f[1] & 0x7f;
		size_t h = 2;
		if (!(f[1] & 0x80))
			return BAD; /* client frames are masked (RFC 6455 section 5.1) */
		if (len == 126) {
			if (n - off < 4)
				break;
			len = (uint64_t)f[2] << 8 | f[3];
			h = 4;
		} else if (len == 127) {
			if (n - off < 10)
				break;
			len = 0;
			for (int i = 0; i < 8; i++)
				len = len << 8 | f[2 + i];
			h = 10;
		}
		if (len > FRAME_MAX)
			return BAD;
		if (n - off < h + 4 + len)
			break;
		const uint8_t *mask = f + h;
		char *p = (char *)f + h + 4;
		for (size_t i = 0; i < len; i++)
			p[i] = (char)(p[i] ^ mask[i & 3]);
		off += h + 4 + len;
		if (!fin || opcode == 0)
			return BAD; /* fragmented messages: not taken */
		switch (opcode) {
		case 0x1: /* text */
		case 0x2: /* binary */
			if (!c->uid)
				uid_bind(c, p, (size_t)len);
			break; /* the recipe ignores every later message */
		case 0x8: /* close: answer with the status it gave */
			ws_send(c, 0x8, p, len >= 2 ? 2 : 0);
			return BAD;
		case 0x9: /* ping */
			if (len > 125)
				return BAD;
			ws_send(c, 0xA, p, (size_t)len);
			break;
		case 0xA: /* pong */
			break;
		default:
			return BAD;
		}
	}
	return off;
}

/* ------------------------------------------------------------------------------------------ */
/* the Text port: one JSON object per line                                                    */
/* ------------------------------------------------------------------------------------------ */

/* a member's value: a string's bytes between the quotes (escaped: holds a backslash), or the
 * digits of an integer; p is NULL for a member that is absent or of another type */
typedef struct {
	const char *p;
	size_t n;
	int escaped;
} value;

static const char *skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* p at the opening quote; returns the byte after the closing quote, NULL if malformed */
static const char *scan_string(const char *p, const char *e, int *escaped)
{
	for (p++; p < e; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '"')
			return p + 1;
		if (ch == '\\') {
			*escaped = 1;
			if (++p == e)
				return NULL;
		} else if (ch < 0x20) {
			return NULL;
		}
	}
	return NULL;
}

static const char *scan_number(const char *p, const char *e, int *integer)
{
	const char *s = p;
	*integer = 1;
	if (p < e && *p == '-')
		p++;
	if (p == e || *p < '0' || *p > '9' || (*p == '0' && p + 1 < e && p[1] >= '0' && p[1] <= '9'))
		return NULL;
	while (p < e && *p >= '0' && *p <= '9')
		p++;
	if (p < e && *p == '.') {
		*integer = 0;
		if (++p == e || *p < '0' || *p > '9')
			return NULL;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		*integer = 0;
		if (++p < e && (*p == '+' || *p == '-'))
			p++;
		if (p == e || *p < '0' || *p > '9')
			return NULL;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	return p > s ? p : NULL;
}

/* any JSON value at p; returns the byte after it, NULL if malformed; v (when given) describes
 * a string or integer */
static const char *scan_value(const char *p, const char *e, value *v, int depth)
{
	if (p == e || depth > 512)
		return NULL;
	if (*p == '"') {
		int esc = 0;
		const char *q = scan_string(p, e, &esc);
		if (q && v)
			*v = (value){p + 1, (size_t)(q - p - 2), esc};
		return q;
	}
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';
		p = skip_ws(p + 1, e);
		if (p < e && *p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				int esc = 0;
				if (p == e || *p != '"' || !(p = scan_string(p, e, &esc)))
					return NULL;
				p = skip_ws(p, e);
				if (p == e || *p != ':')
					return NULL;
				p = skip_ws(p + 1, e);
			}
			if (!(p = scan_value(p, e, NULL, depth + 1)))
				return NULL;
			p = skip_ws(p, e);
			if (p == e)
				return NULL;
			if (*p == close)
				return p + 1;
			if (*p != ',')
				return NULL;
			p = skip_ws(p + 1, e);
		}
	}
	static const char *const words[] = {"true", "false", "null"};
	for (int i = 0; i < 3; i++) {
		size_t l = strlen(words[i]);
		if ((size_t)(e - p) >= l && !memcmp(p, words[i], l))
			return p + l;
	}
	int integer;
	const char *q = scan_number(p, e, &integer);
	if (q && v && integer)
		*v = (value){p, (size_t)(q - p), 0};
	return q;
}

/* whether s[0..n) is UTF-8 (json_decode refuses anything else) */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		while (i + 8 <= n) { /* ASCII, eight bytes at a time */
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i == n)
			break;
		unsigned char ch = s[i];
		if (ch < 0x80) {
			i++;
			continue;
		}
		size_t more = ch >= 0xF0 ? 3 : ch >= 0xE0 ? 2 : 1;
		if (ch < 0xC2 || ch > 0xF4 || n - i <= more)
			return 0;
		for (size_t k = 1; k <= more; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		if ((ch == 0xE0 && s[i + 1] < 0xA0) || (ch == 0xED && s[i + 1] > 0x9F) ||
		    (ch == 0xF0 && s[i + 1] < 0x90) || (ch == 0xF4 && s[i + 1] > 0x8F))
			return 0; /* overlong, surrogate, beyond U+10FFFF */
		i += more + 1;
	}
	return 1;
}

static int hex4(const char *p, const char *e, unsigned *u)
{
	if (e - p < 4)
		return 0;
	*u = 0;
	for (int i = 0; i < 4; i++) {
		char ch = p[i];
		int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
			ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
		if (d < 0)
			return 0;
		*u = *u << 4 | (unsigned)d;
	}
	return 1;
}

/* decodes the escapes of a JSON string's bytes s[0..n) into out (n bytes at most); returns the
 * length, or -1 for a bad escape or an unpaired surrogate (which json_decode refuses too) */
static long unescape(const char *s, size_t n, char *out)
{
	const char *e = s + n;
	char *o = out;
	while (s < e) {
		if (*s != '\\') {
			*o++ = *s++;
			continue;
		}
		s++;
		char ch = *s++;
		switch (ch) {
		case '"': case '\\': case '/': *o++ = ch; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned u, lo;
			if (!hex4(s, e, &u))
				return -1;
			s += 4;
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (e - s < 6 || s[0] != '\\' || s[1] != 'u' || !hex4(s + 2, e, &lo) ||
				    lo < 0xDC00 || lo > 0xDFFF)
					return -1;
				s += 6;
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			} else if (u >= 0xDC00 && u <= 0xDFFF) {
				return -1;
			}
			if (u < 0x80) {
				*o++ = (char)u;
			} else if (u < 0x800) {
				*o++ = (char)(0xC0 | u >> 6);
				*o++ = (char)(0x80 | (u & 63));
			} else if (u < 0x10000) {
				*o++ = (char)(0xE0 | u >> 12);
				*o++ = (char)(0x80 | (u >> 6 & 63));
				*o++ = (char)(0x80 | (u & 63));
			} else {
				*o++ = (char)(0xF0 | u >> 18);
				*o++ = (char)(0x80 | (u >> 12 & 63));
				*o++ = (char)(0x80 | (u >> 6 & 63));
				*o++ = (char)(0x80 | (u & 63));
			}
			break;
		}
		default:
			return -1;
		}
	}
	return o - out;
}

/* a value's bytes as json_decode gives them, into buf (v->n bytes at least); length or -1 */
static long value_bytes(const value *v, char *buf)
{
	if (!v->escaped) {
		memcpy(buf, v->p, v->n);
		return (long)v->n;
	}
	return unescape(v->p, v->n, buf);
}

static char *frame_buf; /* WS_HDR_MAX bytes of room for a frame header, then the payload */
static size_t frame_cap;

/* one line of the Text port, without its '\n'; 1 when it was pushed ("ok") */
static int text_line(const char *s, size_t n)
{
	const char *p = s, *e = s + n;
	value uid = {0}, percent = {0}, msg = {0};
	if (!utf8_ok((const unsigned char *)s, n))
		return 0;
	p = skip_ws(p, e);
	if (p == e || *p != '{')
		return 0;
	p = skip_ws(p + 1, e);
	if (p < e && *p == '}') {
		p++;
	} else {
		for (;;) {
			int esc = 0;
			const char *name = p + 1;
			if (p == e || *p != '"' || !(p = scan_string(p, e, &esc)))
				return 0;
			size_t nl = (size_t)(p - name - 1);
			value *want = nl == 3 && !memcmp(name, "uid", 3)       ? &uid :
				      nl == 7 && !memcmp(name, "percent", 7) ? &percent :
				      nl == 3 && !memcmp(name, "msg", 3)     ? &msg : NULL;
			p = skip_ws(p, e);
			if (p == e || *p != ':')
				return 0;
			p = skip_ws(p + 1, e);
			if (want)
				*want = (value){0}; /* the last of a repeated member counts */
			if (!(p = scan_value(p, e, want, 1)))
				return 0;
			p = skip_ws(p, e);
			if (p < e && *p == ',') {
				p = skip_ws(p + 1, e);
				continue;
			}
			if (p == e || *p != '}')
				return 0;
			p++;
			break;
		}
	}
	if (skip_ws(p, e) != e)
		return 0; /* something after the object */
	const value *pl = percent.p ? &percent : &msg;
	if (!uid.p || !pl->p)
		return 0;

	/* the uid and the payload go into one buffer: the frame (header room, payload), the uid */
	size_t need = WS_HDR_MAX + pl->n + uid.n;
	if (need > frame_cap) {
		frame_cap = need * 2;
		frame_buf = xrealloc(frame_buf, frame_cap);
	}
	char *payload = frame_buf + WS_HDR_MAX;
	long pn = value_bytes(pl, payload);
	char *key = payload + (pn < 0 ? 0 : pn);
	long kn = value_bytes(&uid, key);
	if (pn < 0 || kn < 0)
		return 0;
	conn *to = uid_find(key, (size_t)kn);
	if (!to)
		return 0;
	ws_send(to, 0x1, payload, (size_t)pn);
	return 1;
}

/* the input of a Text connection: every complete line, answered in order; bytes used or BAD */
static size_t text_input(conn *c, char *d, size_t n)
{
	size_t off = 0;
	const char *nl;
	while ((nl = memchr(d + off, '\n', n - off))) {
		if (text_line(d + off, (size_t)(nl - d - off)))
			out_append(c, "ok\n", 3);
		else
			out_append(c, "fail\n", 5);
		off = (size_t)(nl - d) + 1;
	}
	if (n - off > LINE_MAX_)
		return BAD;
	if (c->out_len && !c->polling_out && out_flush(c) < 0)
		return BAD;
	return off;
}

/* ------------------------------------------------------------------------------------------ */
/* the loop                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static void on_readable(conn *c)
{
	char *d;
	size_t n;
	if (c->in_len == 0) {
		ssize_t r = recv(c->fd, rx, sizeof rx, 0);
		if (r <= 0) {
			if (r == 0 || (errno != EAGAIN && errno != EINTR))
				conn_close(c);
			return;
		}
		d = rx;
		n = (size_t)r;
	} else { /* a partial head, frame or line is waiting: read on after it */
		if (c->in_cap - c->in_len < RX_SIZE / 4) {
			c->in_cap = c->in_len + RX_SIZE;
			c->in = xrealloc(c->in, c->in_cap);
		}
		ssize_t r = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
		if (r <= 0) {
			if (r == 0 || (errno != EAGAIN && errno != EINTR))
				conn_close(c);
			return;
		}
		c->in_len += (size_t)r;
		d = c->in;
		n = c->in_len;
	}
	size_t used = c->kind == TEXT ? text_input(c, d, n) : ws_input(c, d, n);
	if (used == BAD) {
		conn_close(c);
		return;
	}
	if (d == rx) {
		if (used < n) { /* keep the partial rest */
			c->in_cap = n - used > 4096 ? n - used : 4096;
			c->in = xrealloc(NULL, c->in_cap);
			memcpy(c->in, rx + used, n - used);
			c->in_len = n - used;
		}
	} else if (used == n) {
		free(c->in);
		c->in = NULL;
		c->in_len = c->in_cap = 0;
	} else if (used) {
		memmove(c->in, c->in + used, n - used);
		c->in_len = n - used;
	}
}

static void accept_all(conn *l)
{
	for (;;) {
		int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if ((errno == EMFILE || errno == ENFILE) && spare_fd >= 0) {
				/* out of descriptors: take the client and drop it, or it stays pending */
				close(spare_fd);
				fd = accept(l->fd, NULL, NULL);
				if (fd >= 0)
					close(fd);
				spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
				continue;
			}
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return; /* EAGAIN: all taken */
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		conn *c = calloc(1, sizeof *c);
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->kind = l->kind == LISTEN_WS ? WS_HEAD : TEXT;
		struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
	}
}

static void listen_on(conn *l, int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 4096)) {
		fprintf(stderr, "floor: 127.0.0.1:%d: %s\n", port, strerror(errno));
		exit(1);
	}
	l->fd = fd;
	struct epoll_event e = {.events = EPOLLIN, .data.ptr = l};
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

int main(int argc, char **argv)
{
	int ws_port = argc > 1 ? atoi(argv[1]) : 1234, text_port = argc > 2 ? atoi(argv[2]) : 5678;
	if (argc > 3 || ws_port <= 0 || ws_port > 65535 || text_port <= 0 || text_port > 65535) {
		fputs("usage: floor [WS_PORT [TEXT_PORT]]\n", stderr);
		return 2;
	}
	struct rlimit rl; /* one descriptor per client: as many as allowed */
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	tab_mask = 1023;
	tab = calloc(tab_mask + 1, sizeof *tab);
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0 || !tab) {
		perror("floor");
		return 1;
	}
	static conn ws_listener = {.kind = LISTEN_WS}, text_listener = {.kind = LISTEN_TEXT};
	listen_on(&ws_listener, ws_port);
	listen_on(&text_listener, text_port);

	static struct epoll_event ev[1024];
	for (;;) {
		int n = epoll_wait(ep, ev, 1024, -1);
		if (n < 0 && errno != EINTR) {
			perror("floor: epoll_wait");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			conn *c = ev[i].data.ptr;
			if (c->kind == LISTEN_WS || c->kind == LISTEN_TEXT) {
				accept_all(c);
				continue;
			}
			if (c->fd < 0)
				continue; /* closed earlier in this batch */
			if ((ev[i].events & EPOLLOUT) && out_flush(c) < 0) {
				conn_close(c);
				continue;
			}
			if (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
				on_readable(c);
		}
		free_dead();
	}
}
