/*
 * soak - the long-running mixed load of bench/soak.sh.
 *
 * One process, one epoll loop. N users (default 5,000), each with its own uid and a home node,
 * connect with ?seq=1, bind, join and leave groups, receive, leave and come back at random,
 * resuming with ?last=<the last id they saw>. Backends push through the Text ports of both nodes
 * (so half the pushes for a user cross Redis), send to groups and broadcast. Hostile clients run
 * alongside from 127.0.0.2: slow request heads, Text connections sending junk before any
 * authentication, WebSockets sending oversized first messages; each is reopened when the server
 * cuts it.
 *
 * Every interval it prints one line of the curve: RSS, open descriptors and CPU of each server
 * process, and the traffic. At the end it stops pushing, brings every user back, waits for the
 * last messages and checks: every push answered "ok" was received exactly once by its user; no
 * user got a message for another; no message twice; RSS at the end within --rss-pct of its value
 * after the first 1/15 of the run; descriptors back to their value before the first client.
 * Prints "SOAK PASS" or "SOAK FAIL: reasons" last; exit status 0 or 1.
 *
 *   soak --ws A_PORT,B_PORT --text A_PORT,B_PORT --pids A_PID,B_PID [--secret S] [--seconds 1800]
 *        [--users 5000] [--rate 300] [--hostile 50] [--redis-restart CMD]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NODES 2
#define MAX_HS 32            /* handshakes in flight per node (under the per-address cap) */
#define TEXT_WINDOW 256      /* Text lines in flight per connection */
#define GROUPS 50

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("soak: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545F4914F6CDD1Dull) >> 32);
}
static double frand(double lo, double hi)
{
	return lo + (hi - lo) * (rnd() / 4294967296.0);
}

/* ---------------------------------------------------------------- buffers */

typedef struct {
	char *p;
	size_t len, cap;
} buf;

static void buf_add(buf *b, const void *d, size_t n)
{
	if (b->len + n > b->cap) {
		size_t c = b->cap ? b->cap : 256;
		while (c < b->len + n) {
			c *= 2;
		}
		if (!(b->p = realloc(b->p, c))) {
			die("out of memory");
		}
		b->cap = c;
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
}
static void buf_eat(buf *b, size_t n)
{
	memmove(b->p, b->p + n, b->len - n);
	b->len -= n;
}

/* ---------------------------------------------------------------- endpoints */

enum kind { K_USER = 1, K_TEXT, K_SLOW, K_JUNK, K_BIG };

typedef struct conn {
	int kind;
	int fd;
	int state;           /* see each kind */
	int node;
	uint32_t idx;
	buf in, out;
	double t;            /* next action */
} conn;

static int ep;
static int ws_port[NODES], text_port[NODES];
static int pid[NODES];
static const char *secret;
static struct sockaddr_in from_attacker;

static int open_to(int port, int attacker)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1;

	if (fd < 0) {
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (attacker && bind(fd, (struct sockaddr *)&from_attacker, sizeof(from_attacker)) != 0) {
		close(fd);
		return -1;
	}
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

static void watch(conn *c, uint32_t ev, int op)
{
	struct epoll_event e = {.events = ev, .data.ptr = c};
	epoll_ctl(ep, op, c->fd, &e);
}

static void conn_shut(conn *c)
{
	if (c->fd >= 0) {
		epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
		c->fd = -1;
	}
	c->in.len = c->out.len = 0;
}

/* writes what is pending; 0 ok, -1 the connection broke */
static int flush(conn *c)
{
	while (c->out.len) {
		ssize_t n = send(c->fd, c->out.p, c->out.len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN) {
				watch(c, EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
				return 0;
			}
			return -1;
		}
		buf_eat(&c->out, (size_t)n);
	}
	watch(c, EPOLLIN, EPOLL_CTL_MOD);
	return 0;
}

static void ws_frame(buf *b, int op, const char *d, size_t n)
{
	unsigned char h[14];
	size_t hl = 2, i;
	uint32_t m = rnd();
	unsigned char *mk;

	h[0] = (unsigned char)(0x80 | op);
	if (n < 126) {
		h[1] = (unsigned char)(0x80 | n);
	} else if (n < 65536) {
		h[1] = 0x80 | 126;
		h[2] = (unsigned char)(n >> 8);
		h[3] = (unsigned char)n;
		hl = 4;
	} else {
		h[1] = 0x80 | 127;
		for (i = 0; i < 8; i++) {
			h[2 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
		}
		hl = 10;
	}
	memcpy(h + hl, &m, 4);
	mk = h + hl;
	hl += 4;
	buf_add(b, h, hl);
	for (i = 0; i < n; i++) {
		unsigned char x = (unsigned char)d[i] ^ mk[i & 3];
		buf_add(b, &x, 1);
	}
}

static void ws_request(buf *b, const char *query)
{
	char req[512];
	int n = snprintf(req, sizeof(req),
		"GET /%s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", query);
	buf_add(b, req, (size_t)n);
}

/* ---------------------------------------------------------------- the model */

enum { U_OFF, U_CONNECTING, U_HANDSHAKE, U_OPEN };

typedef struct {
	conn c;
	char last[48];       /* the last id seen: resume point */
	double leave_at;
	uint64_t groups;     /* bit set of joined groups (while open) */
	uint32_t frag_len;
	buf msg;             /* a message in fragments */
	int hs_counted;
	double welcome_t;    /* when a first push to resume from was last asked for */
} user;

static user *users;
static uint32_t nusers;
/* pushes: target user, state of the answer, times received */
typedef struct {
	uint32_t user;
	uint8_t answer;      /* 0 none yet, 1 ok, 2 queued, 3 fail, 4 error */
	uint8_t got;
	uint8_t via;         /* the node whose Text port took it */
	float at;            /* when, in seconds since the start */
} push_rec;
static push_rec *pushes;
static uint32_t npush, push_cap;
static conn texts[NODES];
static uint32_t *fifo[NODES];   /* push id per line in flight; ~0u: a command */
static uint32_t fhead[NODES], ftail[NODES];
static int hs_inflight[NODES];

static struct {
	uint64_t connects, handshakes_failed, closes_by_server, gaps, misdelivered, dups, unknown,
		group_msgs, broadcast_msgs, replayed_ok, answers[5], text_errors, hostile_reopen[3], welcome;
	uint64_t close_codes[8];
} st;

static double run_seconds = 1800, t_start, t_end;
static uint64_t activity;   /* messages and answers received: the end waits until it stops moving */
static int ending;
static double online_lo = 5, online_hi = 60, offline_lo = 0.2, offline_hi = 5;

static void user_schedule_connect(user *u, double when)
{
	u->c.state = U_OFF;
	u->c.t = when;
}

static void user_close(user *u, int by_server)
{
	conn_shut(&u->c);
	if (u->hs_counted) {
		hs_inflight[u->c.node]--;
		u->hs_counted = 0;
	}
	u->msg.len = 0;
	u->groups = 0;
	if (by_server) {
		st.closes_by_server++;
	}
	user_schedule_connect(u, ending ? now() : now() + frand(offline_lo, offline_hi));
}

static void user_start(user *u)
{
	char q[96];

	if (hs_inflight[u->c.node] >= MAX_HS) {
		u->c.t = now() + 0.01;
		return;
	}
	u->c.fd = open_to(ws_port[u->c.node], 0);
	if (u->c.fd < 0) {
		u->c.t = now() + 0.5;
		return;
	}
	hs_inflight[u->c.node]++;
	u->hs_counted = 1;
	st.connects++;
	u->c.state = U_CONNECTING;
	if (u->last[0]) {
		snprintf(q, sizeof(q), "?seq=1&last=%s", u->last);
	} else {
		snprintf(q, sizeof(q), "?seq=1");
	}
	ws_request(&u->c.out, q);
	watch(&u->c, EPOLLIN | EPOLLOUT, EPOLL_CTL_ADD);
	u->c.t = now() + 15;   /* handshake deadline */
}

static void text_line(int node, const char *line, uint32_t id)
{
	conn *t = &texts[node];

	buf_add(&t->out, line, strlen(line));
	fifo[node][ftail[node]++ % (TEXT_WINDOW * 4)] = id;
	flush(t);
}

static int text_room(int node)
{
	return texts[node].fd >= 0 && texts[node].state == 1 && ftail[node] - fhead[node] < TEXT_WINDOW;
}

static void push_to(uint32_t ui, int node)
{
	char line[128];

	if (npush == push_cap) {
		push_cap = push_cap ? push_cap * 2 : 65536;
		if (!(pushes = realloc(pushes, push_cap * sizeof(*pushes)))) {
			die("out of memory");
		}
	}
	pushes[npush] = (push_rec){.user = ui, .via = (uint8_t)node, .at = (float)(now() - t_start)};
	snprintf(line, sizeof(line), "{\"uid\":\"s%u\",\"msg\":\"p%u\"}\n", ui, npush);
	text_line(node, line, npush);
	npush++;
}

static void user_message(user *u, const char *m, size_t n)
{
	const char *bar = memchr(m, '|', n);
	unsigned long v;

	if (n >= 4 && memcmp(m, "!gap", 4) == 0) {
		st.gaps++;
		if (n - 5 < sizeof(u->last)) {
			memcpy(u->last, m + 5, n - 5);
			u->last[n - 5] = 0;
		}
		return;
	}
	if (!bar) {
		if (st.unknown++ < 5) {
			fprintf(stderr, "soak: unknown message for s%u (%zu bytes):", (unsigned)(u - users), n);
			for (size_t i = 0; i < n && i < 40; i++) {
				fprintf(stderr, " %02x", (unsigned char)m[i]);
			}
			fputc('\n', stderr);
		}
		return;
	}
	if (bar > m && (size_t)(bar - m) < sizeof(u->last)) {
		memcpy(u->last, m, (size_t)(bar - m));
		u->last[bar - m] = 0;
	}
	activity++;
	bar++;
	n -= (size_t)(bar - m);
	if (n < 2) {
		st.unknown++;
		return;
	}
	/* the message is not NUL-terminated: digits within n only */
	v = 0;
	for (size_t i = 1; i < n && bar[i] >= '0' && bar[i] <= '9'; i++) {
		v = v * 10 + (unsigned long)(bar[i] - '0');
	}
	if (bar[0] == 'g') {
		st.group_msgs++;
	} else if (bar[0] == 'b') {
		st.broadcast_msgs++;
	} else if (bar[0] == 'p' && v < npush) {
		if (pushes[v].user != (uint32_t)(u - users)) {
			st.misdelivered++;
		} else if (pushes[v].got++) {
			st.dups++;
		}
	} else if (st.unknown++ < 5) {
		fprintf(stderr, "soak: unknown message (npush %u) for s%u: %.*s|%.*s\n", npush, (unsigned)(u - users), (int)(bar - m - 1), m,
			(int)(n > 80 ? 80 : n), bar);
	}
}

static void user_send(user *u, const char *s)
{
	ws_frame(&u->c.out, 1, s, strlen(s));
}

static void user_read(user *u)
{
	char tmp[65536];
	ssize_t n;

	for (;;) {
		n = recv(u->c.fd, tmp, sizeof(tmp), 0);
		if (n == 0 || (n < 0 && errno != EAGAIN)) {
			user_close(u, 1);
			return;
		}
		if (n < 0) {
			break;
		}
		buf_add(&u->c.in, tmp, (size_t)n);
	}
	if (u->c.state == U_HANDSHAKE || u->c.state == U_CONNECTING) {
		char *e = memmem(u->c.in.p, u->c.in.len, "\r\n\r\n", 4);
		char uid[32];

		if (!e) {
			return;
		}
		hs_inflight[u->c.node]--;
		u->hs_counted = 0;
		if (u->c.in.len < 12 || memcmp(u->c.in.p, "HTTP/1.1 101", 12) != 0) {
			st.handshakes_failed++;
			user_close(u, 0);
			return;
		}
		buf_eat(&u->c.in, (size_t)(e + 4 - u->c.in.p));
		u->c.state = U_OPEN;
		snprintf(uid, sizeof(uid), "s%u", (unsigned)(u - users));
		user_send(u, uid);
		u->leave_at = now() + frand(online_lo, online_hi);
		u->c.t = now() + frand(0.5, 3);   /* next group change */
		if (!u->last[0] && text_room(u->c.node)) {
			push_to((uint32_t)(u - users), u->c.node);   /* a first id to resume from */
			u->welcome_t = now();
			st.welcome++;
		}
	}
	/* frames */
	while (u->c.state == U_OPEN && u->c.in.len >= 2) {
		unsigned char *p = (unsigned char *)u->c.in.p;
		int op = p[0] & 15, fin = p[0] >> 7;
		uint64_t len = p[1] & 127;
		size_t off = 2;

		if (len == 126) {
			if (u->c.in.len < 4) {
				break;
			}
			len = (uint64_t)p[2] << 8 | p[3];
			off = 4;
		} else if (len == 127) {
			if (u->c.in.len < 10) {
				break;
			}
			len = 0;
			for (int i = 0; i < 8; i++) {
				len = len << 8 | p[2 + i];
			}
			off = 10;
		}
		if (u->c.in.len < off + len) {
			break;
		}
		if (op == 9) {
			ws_frame(&u->c.out, 10, (char *)p + off, (size_t)len);
		} else if (op == 8) {
			unsigned code = len >= 2 ? (unsigned)(p[off] << 8 | p[off + 1]) : 1005;
			st.close_codes[code >= 4000 ? 7 : code == 1000 ? 0 : code == 1001 ? 1 : code == 1002 ? 2
				: code == 1009 ? 3 : code == 1011 ? 4 : 5]++;
			user_close(u, 1);
			return;
		} else if (op == 1 || op == 2 || op == 0) {
			if (getenv("SOAK_DEBUG") && (len < 8 || !fin || op != 1)) {
				fprintf(stderr, "soak: frame op %d fin %d len %lu for s%u, %zu buffered: %.*s\n", op, fin,
					(unsigned long)len, (unsigned)(u - users), u->c.in.len, (int)(len > 60 ? 60 : len), (char *)p + off);
			}
			buf_add(&u->msg, p + off, (size_t)len);
			if (fin) {
				user_message(u, u->msg.p, u->msg.len);
				u->msg.len = 0;
			}
		}
		buf_eat(&u->c.in, off + (size_t)len);
	}
	if (u->c.fd >= 0 && flush(&u->c) < 0) {
		user_close(u, 1);
	}
}

static void user_tick(user *u, double t)
{
	if (u->c.state == U_OFF) {
		user_start(u);
		return;
	}
	if (u->c.state != U_OPEN) {
		user_close(u, 0);      /* handshake deadline */
		st.handshakes_failed++;
		return;
	}
	if (!u->last[0] && t - u->welcome_t > 2 && text_room(u->c.node)) {
		push_to((uint32_t)(u - users), u->c.node);
		u->welcome_t = t;
		st.welcome++;
	}
	if (!ending && t >= u->leave_at && u->last[0]) {
		ws_frame(&u->c.out, 8, "\x03\xe8", 2);
		flush(&u->c);
		user_close(u, 0);
		return;
	}
	/* join or leave a group */
	{
		int g = (int)(rnd() % GROUPS);
		char m[32];

		snprintf(m, sizeof(m), "%s:g%d", (u->groups >> g) & 1 ? "leave" : "join", g);
		u->groups ^= 1ull << g;
		user_send(u, m);
		if (flush(&u->c) < 0) {
			user_close(u, 1);
			return;
		}
	}
	u->c.t = t + frand(1, 10);
	if (u->c.t > u->leave_at && u->leave_at > t) {
		u->c.t = u->leave_at;
	}
}

/* ---------------------------------------------------------------- Text connections */

static void text_open(int node)
{
	conn *t = &texts[node];

	t->kind = K_TEXT;
	t->node = node;
	t->fd = open_to(text_port[node], 0);
	if (t->fd < 0) {
		die("cannot connect to the Text port %d", text_port[node]);
	}
	t->state = 1;
	fhead[node] = ftail[node] = 0;
	watch(t, EPOLLIN | EPOLLOUT, EPOLL_CTL_ADD);
	if (secret) {
		char line[512];
		snprintf(line, sizeof(line), "{\"auth\":\"%s\"}\n", secret);
		text_line(node, line, ~0u);
	}
}

static void text_read(conn *t)
{
	char tmp[65536];
	ssize_t n;
	char *nl;

	for (;;) {
		n = recv(t->fd, tmp, sizeof(tmp), 0);
		if (n == 0 || (n < 0 && errno != EAGAIN)) {
			die("the Text connection to node %d closed", t->node);
		}
		if (n < 0) {
			break;
		}
		buf_add(&t->in, tmp, (size_t)n);
	}
	while ((nl = memchr(t->in.p, '\n', t->in.len))) {
		uint32_t id = fifo[t->node][fhead[t->node]++ % (TEXT_WINDOW * 4)];
		size_t l = (size_t)(nl - t->in.p);

		if (id != ~0u) {
			int a = l == 2 && !memcmp(t->in.p, "ok", 2) ? 1 : l == 6 && !memcmp(t->in.p, "queued", 6) ? 2
				: l == 4 && !memcmp(t->in.p, "fail", 4) ? 3 : 4;
			pushes[id].answer = (uint8_t)a;
			activity++;
			st.answers[a]++;
		} else if (l >= 12 && !memcmp(t->in.p, "{\"ok\":false", 11)) {
			st.text_errors++;
		} else if (l >= 6 && !memcmp(t->in.p, "error:", 6)) {
			st.text_errors++;
		}
		buf_eat(&t->in, l + 1);
	}
	flush(t);
}

/* ---------------------------------------------------------------- hostile clients */

static conn *hostile;
static int nhostile;
static const char slow_head[] = "GET /?seq=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
	"X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

static void hostile_open(conn *h, double t)
{
	h->fd = open_to(h->kind == K_JUNK ? text_port[h->node] : ws_port[h->node], 1);
	h->state = 0;
	h->in.len = h->out.len = 0;
	if (h->fd < 0) {
		h->t = t + 1;
		return;
	}
	watch(h, EPOLLIN, EPOLL_CTL_ADD);
	if (h->kind == K_JUNK) {
		char junk[4096];
		memset(junk, 'j', sizeof(junk));
		buf_add(&h->out, junk, sizeof(junk));
	} else if (h->kind == K_BIG) {
		ws_request(&h->out, "");
	}
	flush(h);
	h->t = t + 1;
}

static void hostile_cut(conn *h, double t)
{
	conn_shut(h);
	st.hostile_reopen[h->kind - K_SLOW]++;
	h->fd = -1;
	h->t = t + 1;
}

static void hostile_read(conn *h)
{
	char tmp[4096];
	ssize_t n;

	for (;;) {
		n = recv(h->fd, tmp, sizeof(tmp), 0);
		if (n == 0 || (n < 0 && errno != EAGAIN)) {
			hostile_cut(h, now());
			return;
		}
		if (n < 0) {
			break;
		}
		if (h->kind == K_BIG && h->state == 0) {
			buf_add(&h->in, tmp, (size_t)n);
			if (memmem(h->in.p, h->in.len, "\r\n\r\n", 4)) {
				/* upgraded: a first message announced as 60,000 bytes, 30,000 of them sent */
				unsigned char hd[8] = {0x81, 0xfe, 60000 >> 8, 60000 & 255, 1, 2, 3, 4};
				static char body[30000];
				buf_add(&h->out, hd, sizeof(hd));
				buf_add(&h->out, body, sizeof(body));
				h->state = 1;
			}
		}
	}
	if (h->fd >= 0 && flush(h) < 0) {
		hostile_cut(h, now());
	}
}

static void hostile_tick(conn *h, double t)
{
	if (h->fd < 0) {
		hostile_open(h, t);
		return;
	}
	if (h->kind == K_SLOW) {
		/* one byte a second; the head never ends */
		char b = slow_head[h->state % (int)(sizeof(slow_head) - 1)];
		if (h->state >= (int)sizeof(slow_head) - 1) {
			b = 'a';
		}
		h->state++;
		buf_add(&h->out, &b, 1);
		if (flush(h) < 0) {
			hostile_cut(h, t);
			return;
		}
	}
	h->t = t + 1;
}

/* ---------------------------------------------------------------- process figures */

typedef struct {
	long rss_kb;
	int fds;
	double cpu;
} figures;

static figures proc_figures(int p)
{
	figures f = {0, 0, 0};
	char path[64], line[512];
	FILE *fp;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/status", p);
	if ((fp = fopen(path, "r"))) {
		while (fgets(line, sizeof(line), fp)) {
			if (!strncmp(line, "VmRSS:", 6)) {
				f.rss_kb = strtol(line + 6, NULL, 10);
			}
		}
		fclose(fp);
	}
	snprintf(path, sizeof(path), "/proc/%d/fd", p);
	if ((d = opendir(path))) {
		while (readdir(d)) {
			f.fds++;
		}
		closedir(d);
		f.fds -= 2;
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", p);
	if ((fp = fopen(path, "r"))) {
		if (fgets(line, sizeof(line), fp)) {
			char *s = strrchr(line, ')');
			unsigned long ut = 0, stt = 0;
			if (s && sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &stt) == 2) {
				f.cpu = (double)(ut + stt) / (double)sysconf(_SC_CLK_TCK);
			}
		}
		fclose(fp);
	}
	return f;
}

static uint32_t online_count(void)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < nusers; i++) {
		n += users[i].c.state == U_OPEN;
	}
	return n;
}

/* ---------------------------------------------------------------- main */

static void usage(void)
{
	fprintf(stderr, "usage: soak --ws A,B --text A,B --pids A,B [--secret S] [--seconds N] [--users N] "
		"[--rate N] [--hostile N] [--redis-restart CMD] [--rss-pct 5]\n");
	exit(64);
}

static void two(const char *s, int *out)
{
	if (sscanf(s, "%d,%d", &out[0], &out[1]) != 2) {
		usage();
	}
}

static void run_cmd(const char *cmd)
{
	pid_t p = fork();
	if (p == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
}

/* the events of one epoll_wait: users, Text connections, hostile clients */
static void dispatch(const struct epoll_event *evs, int n)
{
	for (int i = 0; i < n; i++) {
		conn *c = evs[i].data.ptr;
		if (c->kind == K_USER) {
			user *u = (user *)c;
			if (u->c.fd < 0) {
				continue; /* closed earlier in this batch */
			}
			if ((evs[i].events & EPOLLOUT) && flush(c) < 0) {
				user_close(u, 1);
				continue;
			}
			if (u->c.state == U_CONNECTING) {
				u->c.state = U_HANDSHAKE;
			}
			if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
				user_read(u);
			}
		} else if (c->kind == K_TEXT) {
			text_read(c);
		} else if (c->fd >= 0) {
			hostile_read(c);
		}
	}
}

int main(int argc, char **argv)
{
	double rate = 300, rss_pct = 5, interval, next_sample, push_credit = 0, last_t, next_group, next_bcast, prev_t;
	int nh = 50, restarts_done = 0;
	const char *restart_cmd = NULL;
	figures base[NODES], ref[NODES], prev[NODES];
	long ref_taken = 0;
	struct rlimit rl;
	struct epoll_event evs[512];
	double t;
	int failed = 0;
	char why[1024] = "";

	nusers = 5000;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v) {
			usage();
		}
		if (!strcmp(a, "--ws")) {
			two(v, ws_port);
		} else if (!strcmp(a, "--text")) {
			two(v, text_port);
		} else if (!strcmp(a, "--pids")) {
			two(v, pid);
		} else if (!strcmp(a, "--secret")) {
			secret = v;
		} else if (!strcmp(a, "--seconds")) {
			run_seconds = atof(v);
		} else if (!strcmp(a, "--users")) {
			nusers = (uint32_t)atoi(v);
		} else if (!strcmp(a, "--rate")) {
			rate = atof(v);
		} else if (!strcmp(a, "--hostile")) {
			nh = atoi(v);
		} else if (!strcmp(a, "--redis-restart")) {
			restart_cmd = v;
		} else if (!strcmp(a, "--rss-pct")) {
			rss_pct = atof(v);
		} else {
			usage();
		}
		i++;
	}
	if (!ws_port[0] || !text_port[0] || !pid[0]) {
		usage();
	}
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < nusers + 3 * (rlim_t)nh + 64) {
		die("needs %u descriptors, has %lu", nusers + 3 * nh + 64, (unsigned long)rl.rlim_cur);
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);
	rng ^= (uint64_t)getpid() << 17;
	from_attacker.sin_family = AF_INET;
	from_attacker.sin_addr.s_addr = inet_addr("127.0.0.2");
	/* a short run keeps the proportions of the long one */
	if (run_seconds < 600) {
		double k = run_seconds / 1800 * 10;
		online_lo = 5 * k < 0.5 ? 0.5 : 5 * k;
		online_hi = 60 * k < 3 ? 3 : 60 * k;
		offline_lo = 0.1;
		offline_hi = 5 * k < 1 ? 1 : 5 * k;
	}
	interval = run_seconds >= 600 ? 60 : run_seconds / 15;
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		die("epoll");
	}
	for (int n = 0; n < NODES; n++) {
		base[n] = proc_figures(pid[n]);
		fifo[n] = calloc(TEXT_WINDOW * 4, sizeof(uint32_t));
		text_open(n);
	}
	users = calloc(nusers, sizeof(*users));
	t = now();
	for (uint32_t i = 0; i < nusers; i++) {
		users[i].c.kind = K_USER;
		users[i].c.fd = -1;
		users[i].c.node = i % 5 == 4;     /* a fifth of the users live on node B */
		user_schedule_connect(&users[i], t + i * 0.0004);
	}
	nhostile = 3 * nh;
	hostile = calloc((size_t)nhostile + 1, sizeof(*hostile));
	for (int i = 0; i < nhostile; i++) {
		hostile[i].kind = K_SLOW + i % 3;
		hostile[i].fd = -1;
		hostile[i].node = 0;
		hostile[i].t = t + 0.5 + i * 0.01;
	}
	fprintf(stderr, "soak: %u users, %d hostile clients, %.0f pushes/s, %.0f s; servers %d and %d: "
		"%ld / %ld kB RSS, %d / %d fds before the first client\n", nusers, nhostile, rate, run_seconds,
		pid[0], pid[1], base[0].rss_kb, base[1].rss_kb, base[0].fds, base[1].fds);
	/* ramp: every user online once */
	while (online_count() < nusers * 95 / 100 && now() - t < 120) {
		int n = epoll_wait(ep, evs, 512, 10);
		double tt = now();
		dispatch(evs, n);
		for (uint32_t i = 0; i < nusers; i++) {
			if (users[i].c.state == U_OFF && users[i].c.t <= tt) {
				user_start(&users[i]);
			}
		}
	}
	fprintf(stderr, "soak: %u users online after %.1f s\n", online_count(), now() - t);
	t_start = now();
	t_end = t_start + run_seconds;
	next_sample = t_start + interval;
	last_t = t_start;
	next_group = next_bcast = t_start;
	for (int n = 0; n < NODES; n++) {
		prev[n] = proc_figures(pid[n]);
	}
	prev_t = t_start;
	printf("%8s %6s %12s %6s %6s %12s %6s %6s %8s %8s %7s %7s\n", "t(s)", "online", "A RSS kB", "A fds", "A CPU%",
		"B RSS kB", "B fds", "B CPU%", "pushes", "ok", "closes", "hostile");
	fflush(stdout);
	for (;;) {
		int n = epoll_wait(ep, evs, 512, 5);
		t = now();
		dispatch(evs, n);
		/* timers: a linear walk is cheap next to the network at these sizes */
		for (uint32_t i = 0; i < nusers; i++) {
			if (users[i].c.t <= t) {
				user_tick(&users[i], t);
			}
		}
		if (!ending) {
			for (int i = 0; i < nhostile; i++) {
				if (hostile[i].t <= t) {
					hostile_tick(&hostile[i], t);
				}
			}
			push_credit += (t - last_t) * rate;
			while (push_credit >= 1) {
				int node = (int)(rnd() & 1);
				uint32_t ui = rnd() % nusers;
				if (!text_room(node)) {
					break;
				}
				push_credit -= 1;
				if (users[ui].last[0]) {
					push_to(ui, node);
				}
			}
			if (push_credit > rate) {
				push_credit = rate;
			}
			if (t >= next_group && text_room(npush & 1)) {
				char line[128];
				snprintf(line, sizeof(line), "{\"cmd\":\"sendToGroup\",\"group\":\"g%u\",\"msg\":\"g%u\"}\n",
					rnd() % GROUPS, npush);
				text_line(npush & 1, line, ~0u);
				next_group = t + 0.2;
			}
			if (t >= next_bcast && text_room(1)) {
				char line[128];
				snprintf(line, sizeof(line), "{\"cmd\":\"broadcast\",\"msg\":\"b%u\"}\n", npush);
				text_line(1, line, ~0u);
				next_bcast = t + 20;
			}
			if (restart_cmd && restarts_done < 2 && t >= t_start + run_seconds * (restarts_done + 1) / 3) {
				fprintf(stderr, "soak: restarting Redis at %.0f s\n", t - t_start);
				run_cmd(restart_cmd);
				restarts_done++;
			}
		}
		last_t = t;
		if (t >= next_sample || (!ending && t >= t_end)) {
			figures f[NODES];
			uint64_t hr = st.hostile_reopen[0] + st.hostile_reopen[1] + st.hostile_reopen[2];
			for (int k = 0; k < NODES; k++) {
				f[k] = proc_figures(pid[k]);
			}
			printf("%8.0f %6u %12ld %6d %6.1f %12ld %6d %6.1f %8u %8lu %7lu %7lu\n", t - t_start, online_count(),
				f[0].rss_kb, f[0].fds, 100 * (f[0].cpu - prev[0].cpu) / (t - prev_t),
				f[1].rss_kb, f[1].fds, 100 * (f[1].cpu - prev[1].cpu) / (t - prev_t),
				npush, (unsigned long)st.answers[1], (unsigned long)st.closes_by_server, (unsigned long)hr);
			fflush(stdout);
			if (!ref_taken && t - t_start >= run_seconds / 15 - 0.5) {
				ref[0] = f[0];
				ref[1] = f[1];
				ref_taken = 1;
			}
			prev[0] = f[0];
			prev[1] = f[1];
			prev_t = t;
			while (next_sample <= t) {
				next_sample += interval;
			}
		}
		if (!ending && t >= t_end) {
			/* the end: no more pushes, churn or hostile clients; every user comes back */
			ending = 1;
			for (int i = 0; i < nhostile; i++) {
				conn_shut(&hostile[i]);
				hostile[i].fd = -1;
			}
			for (uint32_t i = 0; i < nusers; i++) {
				users[i].leave_at = 1e18;
				if (users[i].c.state == U_OFF) {
					users[i].c.t = t;
				}
			}
			fprintf(stderr, "soak: stopped pushing at %.0f s; waiting for answers and the last messages\n",
				t - t_start);
		}
		if (ending) {
			static double quiet_since;
			static uint64_t seen;
			if (!quiet_since || activity != seen) {
				seen = activity;
				quiet_since = t;
			}
			if ((t - quiet_since > 3 && online_count() == nusers && fhead[0] == ftail[0] && fhead[1] == ftail[1])
					|| t - t_end > 60) {
				break;
			}
		}
	}
	/* the checks */
	{
		uint64_t ok = 0, ok_once = 0, ok_lost = 0, ok_twice = 0;
		figures end[NODES];
		for (uint32_t i = 0; i < npush; i++) {
			if (pushes[i].answer == 1) {
				ok++;
				ok_once += pushes[i].got == 1;
				ok_lost += pushes[i].got == 0;
				if (pushes[i].got == 0 && ok_lost <= 10) {
					fprintf(stderr, "soak: lost p%u for s%u (home %c) pushed through %c at %.1f s\n", i,
						pushes[i].user, 'A' + users[pushes[i].user].c.node, 'A' + pushes[i].via, pushes[i].at);
				}
				ok_twice += pushes[i].got > 1;
			}
		}
		for (uint32_t i = 0; i < nusers; i++) {
			if (users[i].c.fd >= 0) {
				ws_frame(&users[i].c.out, 8, "\x03\xe8", 2);
				flush(&users[i].c);
			}
			conn_shut(&users[i].c);
		}
		conn_shut(&texts[0]);
		conn_shut(&texts[1]);
		/* the servers close their side: give them a moment, then count descriptors */
		for (int w = 0; w < 100; w++) {
			usleep(100000);
			end[0] = proc_figures(pid[0]);
			end[1] = proc_figures(pid[1]);
			if (end[0].fds <= base[0].fds && end[1].fds <= base[1].fds) {
				break;
			}
		}
		printf("RESULT seconds=%.0f users=%u pushes=%u ok=%lu queued=%lu fail=%lu error=%lu ok_received_once=%lu "
			"ok_lost=%lu ok_twice=%lu dups=%lu misdelivered=%lu unknown=%lu gaps=%lu group_msgs=%lu "
			"broadcast_msgs=%lu connects=%lu handshakes_failed=%lu closes_by_server=%lu text_errors=%lu "
			"hostile_cut=%lu/%lu/%lu rss_ref_kb=%ld/%ld rss_end_kb=%ld/%ld fds_base=%d/%d fds_end=%d/%d\n",
			run_seconds, nusers, npush, (unsigned long)ok, (unsigned long)st.answers[2],
			(unsigned long)st.answers[3], (unsigned long)st.answers[4], (unsigned long)ok_once,
			(unsigned long)ok_lost, (unsigned long)ok_twice, (unsigned long)st.dups,
			(unsigned long)st.misdelivered, (unsigned long)st.unknown, (unsigned long)st.gaps,
			(unsigned long)st.group_msgs, (unsigned long)st.broadcast_msgs, (unsigned long)st.connects,
			(unsigned long)st.handshakes_failed, (unsigned long)st.closes_by_server,
			(unsigned long)st.text_errors, (unsigned long)st.hostile_reopen[0],
			(unsigned long)st.hostile_reopen[1], (unsigned long)st.hostile_reopen[2], ref[0].rss_kb,
			ref[1].rss_kb, end[0].rss_kb, end[1].rss_kb, base[0].fds, base[1].fds, end[0].fds, end[1].fds);
		if (ok == 0 || ok_once != ok) {
			failed = 1;
			snprintf(why + strlen(why), sizeof(why) - strlen(why), " %lu of %lu ok pushes not received exactly once;",
				(unsigned long)(ok - ok_once), (unsigned long)ok);
		}
		if (st.dups || st.misdelivered) {
			failed = 1;
			snprintf(why + strlen(why), sizeof(why) - strlen(why), " %lu duplicates, %lu misdelivered;",
				(unsigned long)st.dups, (unsigned long)st.misdelivered);
		}
		for (int k = 0; k < NODES; k++) {
			if (end[k].rss_kb > ref[k].rss_kb * (1 + rss_pct / 100)) {
				failed = 1;
				snprintf(why + strlen(why), sizeof(why) - strlen(why), " node %c RSS %ld kB > %ld kB + %.0f%%;",
					'A' + k, end[k].rss_kb, ref[k].rss_kb, rss_pct);
			}
			if (end[k].fds != base[k].fds) {
				failed = 1;
				snprintf(why + strlen(why), sizeof(why) - strlen(why), " node %c %d fds, %d before;", 'A' + k,
					end[k].fds, base[k].fds);
			}
		}
		printf(failed ? "SOAK FAIL:%s\n" : "SOAK PASS%s\n", why);
	}
	return failed;
}
