/*
 * loadgen - load generator for the push benchmarks.
 *
 * One process, one epoll loop, nonblocking sockets. It speaks a small RFC 6455
 * client (upgrade handshake checked against Sec-WebSocket-Accept, masked client
 * frames, 7/16/64-bit server frame lengths, fragmented messages, ping/pong,
 * close) and the Text protocol of the push server (one JSON object per line,
 * answered in order by "ok" or "fail" lines).
 *
 * Every pushed payload names its target uid index and a sequence number, so
 * each scenario can check that every message arrived exactly once, at the
 * right connection. Results go to stdout as one "RESULT key=value ..." line;
 * human-readable text goes to stderr.
 *
 * usage: loadgen SCENARIO [options]      (loadgen --help)
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../ext/core/pusher/pusher_sign.h"
#include "../ext/core/base/sha256.h"

#define RX_CHUNK (256 * 1024)        /* one recv() at most */
#define MAX_MESSAGE (64u << 20)      /* largest server message accepted */
#define MAX_HANDSHAKE 16384          /* largest HTTP response head accepted */
#define TEXT_IN_CAP 65536            /* Text answer line buffer */
#define PROBE_WINDOW 2000            /* probe lines in flight */

/* ------------------------------------------------------------------------ */
/* small helpers                                                            */
/* ------------------------------------------------------------------------ */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int verbose;

static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("loadgen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("loadgen: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die("out of memory (%zu bytes)", n);
	return q;
}

static void *xcalloc(size_t n, size_t sz)
{
	void *q = calloc(n ? n : 1, sz ? sz : 1);
	if (!q)
		die("out of memory (%zu x %zu bytes)", n, sz);
	return q;
}

/* xorshift64*: masks and handshake keys need not be cryptographic here */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng_next(void)
{
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

/* ------------------------------------------------------------------------ */
/* SHA-1 (FIPS 180-4) and base64, for Sec-WebSocket-Accept                  */
/* ------------------------------------------------------------------------ */

typedef struct {
	uint32_t h[5];       /* chaining state */
	uint64_t total;      /* bytes hashed so far */
	uint8_t block[64];   /* pending partial block */
	size_t fill;         /* bytes used in block */
} sha1_ctx;

static uint32_t rotl32(uint32_t v, unsigned s)
{
	return (v << s) | (v >> (32 - s));
}

static void sha1_compress(uint32_t h[5], const uint8_t *blk)
{
	uint32_t w[80];
	for (int t = 0; t < 16; t++)
		w[t] = (uint32_t)blk[4 * t] << 24 | (uint32_t)blk[4 * t + 1] << 16 |
		       (uint32_t)blk[4 * t + 2] << 8 | (uint32_t)blk[4 * t + 3];
	for (int t = 16; t < 80; t++)
		w[t] = rotl32(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);

	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	for (int t = 0; t < 80; t++) {
		uint32_t f, k;
		switch (t / 20) {
		case 0: f = (b & c) | (~b & d); k = 0x5A827999u; break;
		case 1: f = b ^ c ^ d; k = 0x6ED9EBA1u; break;
		case 2: f = (b & c) ^ (b & d) ^ (c & d); k = 0x8F1BBCDCu; break;
		default: f = b ^ c ^ d; k = 0xCA62C1D6u; break;
		}
		uint32_t tmp = rotl32(a, 5) + f + e + k + w[t];
		e = d;
		d = c;
		c = rotl32(b, 30);
		b = a;
		a = tmp;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

static void sha1_init(sha1_ctx *s)
{
	static const uint32_t iv[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
	memcpy(s->h, iv, sizeof iv);
	s->total = 0;
	s->fill = 0;
}

static void sha1_update(sha1_ctx *s, const void *data, size_t len)
{
	const uint8_t *p = data;
	s->total += len;
	while (len) {
		size_t take = 64 - s->fill;
		if (take > len)
			take = len;
		memcpy(s->block + s->fill, p, take);
		s->fill += take;
		p += take;
		len -= take;
		if (s->fill == 64) {
			sha1_compress(s->h, s->block);
			s->fill = 0;
		}
	}
}

static void sha1_final(sha1_ctx *s, uint8_t out[20])
{
	uint64_t bits = s->total * 8;
	uint8_t pad = 0x80, zero = 0, len[8];
	sha1_update(s, &pad, 1);
	while (s->fill != 56)
		sha1_update(s, &zero, 1);
	for (int i = 0; i < 8; i++)
		len[i] = (uint8_t)(bits >> (56 - 8 * i));
	sha1_update(s, len, 8);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (uint8_t)(s->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)s->h[i];
	}
}

/* writes 4*ceil(n/3) chars plus NUL */
static void base64_encode(const uint8_t *in, size_t n, char *out)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = alphabet[(v >> 18) & 63];
		out[o++] = alphabet[(v >> 12) & 63];
		out[o++] = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? alphabet[v & 63] : '=';
	}
	out[o] = 0;
}

/* accept value for a Sec-WebSocket-Key (RFC 6455 section 4.2.2) */
static void ws_accept_for(const char *key, char out[29])
{
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	sha1_ctx s;
	uint8_t dig[20];
	sha1_init(&s);
	sha1_update(&s, key, strlen(key));
	sha1_update(&s, guid, sizeof guid - 1);
	sha1_final(&s, dig);
	base64_encode(dig, 20, out);
}

/* ------------------------------------------------------------------------ */
/* SHA-256, HMAC-SHA256, MD5 and hex for the signed requests of the Pusher  */
/* HTTP API: push's own (ext/core/base/sha256.c, ext/core/pusher/pusher_sign.c)         */
/* ------------------------------------------------------------------------ */

#define hmac_sha256(k, kl, m, ml, out) push_hmac_sha256((k), (kl), (m), (ml), (out))
#define md5(d, l, out) push_md5((d), (l), (out))
#define hex_encode(in, n, out) push_hex((in), (n), (out))

/* ------------------------------------------------------------------------ */
/* options                                                                  */
/* ------------------------------------------------------------------------ */

static struct {
	const char *scenario;      /* conns unicast cpp paced broadcast pusher selftest */
	int pusher;                /* the pusher scenario: Pusher protocol clients */
	struct sockaddr_in ws, text;
	char ws_hostport[64];      /* Host header */
	const char *path;          /* request target */
	const char *protocol;      /* Sec-WebSocket-Protocol, optional */
	int clients;               /* bound WebSocket clients */
	long pushes;               /* pushes (unicast, cpp) */
	int window;                /* Text lines in flight (unicast) */
	int size;                  /* payload bytes */
	int conc;                  /* handshakes in flight while connecting */
	int pushers;               /* cpp: concurrent connect-per-push clients */
	double rate;               /* paced: pushes per second */
	double duration;           /* paced: seconds; cpp: cap in seconds */
	int bcasts;                /* broadcast: commands sent */
	int bcast_window;          /* broadcast: commands in flight */
	int server_pid;            /* sample /proc/<pid> (and descendants) */
	double timeout;            /* hard limit for the whole run, seconds */
	int hold;                  /* conns: keep clients open until SIGTERM */
	long expect;               /* hold: expected 'P' messages, seq 0..expect-1 */
	int random_order;          /* unicast/paced: random target instead of round-robin */
	int probe;                 /* conns: verify binding by one push per uid */
	int spin;                  /* never sleep in epoll while measuring */
	int src_ips;               /* spread client sockets over 127.0.0.1..127.0.0.<src_ips> */
	const char *label;         /* copied into the RESULT line */
	int channels;              /* pusher: public channels the clients spread over */
	const char *app_id, *app_key, *app_secret; /* pusher: the app */
} opt;

static void parse_hostport(const char *s, struct sockaddr_in *a, char *hp, size_t hplen)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof host)
		die("bad address '%s' (want HOST:PORT)", s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = 0;
	if (!strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	memset(a, 0, sizeof *a);
	a->sin_family = AF_INET;
	long port = strtol(colon + 1, NULL, 10);
	if (port <= 0 || port > 65535 || inet_pton(AF_INET, host, &a->sin_addr) != 1)
		die("bad address '%s'", s);
	a->sin_port = htons((uint16_t)port);
	/* loopback only: this tool is for benchmarks on this machine */
	if ((ntohl(a->sin_addr.s_addr) >> 24) != 127)
		die("address '%s' is not on the loopback network (127.0.0.0/8)", s);
	if (hp)
		snprintf(hp, hplen, "%s:%ld", host, port);
}

/* ------------------------------------------------------------------------ */
/* server sampling from /proc                                               */
/* ------------------------------------------------------------------------ */

typedef struct {
	uint64_t cpu_ns;  /* on-CPU time of all threads of the process tree */
	uint64_t rss_kb;  /* VmRSS summed over the process tree */
	int nproc;        /* processes seen */
	uint64_t t_ns;    /* when taken */
	uint64_t sys_ns;  /* busy time of all CPUs (/proc/stat, clock ticks) */
	uint64_t steal_ns; /* time the hypervisor ran something else (/proc/stat) */
	struct task_snap *tasks; /* on-CPU time of every task on the machine, or NULL */
	uint64_t gen_ns;  /* this process's CPU time */
} srv_sample;

static int read_small(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return (int)n;
}

static int proc_ppid(int pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (read_small(path, buf, sizeof buf) < 0)
		return -1;
	char *rp = strrchr(buf, ')');
	if (!rp)
		return -1;
	int ppid = -1;
	char st;
	if (sscanf(rp + 1, " %c %d", &st, &ppid) != 2)
		return -1;
	return ppid;
}

/* pid plus all of its descendants */
static int proc_tree(int root, int *out, int max)
{
	int n = 0;
	out[n++] = root;
	DIR *d = opendir("/proc");
	if (!d)
		return n;
	int pids[4096], pp[4096], np = 0;
	struct dirent *e;
	while ((e = readdir(d)) && np < 4096) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		int pid = atoi(e->d_name);
		int ppid = proc_ppid(pid);
		if (ppid > 0)
			pids[np] = pid, pp[np++] = ppid;
	}
	closedir(d);
	for (int changed = 1; changed;) {
		changed = 0;
		for (int i = 0; i < np; i++) {
			int known = 0, parent = 0;
			for (int j = 0; j < n; j++) {
				if (out[j] == pids[i])
					known = 1;
				if (out[j] == pp[i])
					parent = 1;
			}
			if (!known && parent && n < max) {
				out[n++] = pids[i];
				changed = 1;
			}
		}
	}
	return n;
}

static uint64_t proc_cpu_ns(int pid)
{
	char path[320], buf[256];
	uint64_t sum = 0;
	int any = 0;
	snprintf(path, sizeof path, "/proc/%d/task", pid);
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!isdigit((unsigned char)e->d_name[0]))
				continue;
			snprintf(path, sizeof path, "/proc/%d/task/%s/schedstat", pid, e->d_name);
			if (read_small(path, buf, sizeof buf) > 0) {
				sum += strtoull(buf, NULL, 10);
				any = 1;
			}
		}
		closedir(d);
	}
	if (any)
		return sum;
	/* no schedstat: utime + stime, clock-tick resolution */
	char sbuf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (read_small(path, sbuf, sizeof sbuf) < 0)
		return 0;
	char *rp = strrchr(sbuf, ')');
	if (!rp)
		return 0;
	unsigned long long ut = 0, stt = 0;
	/* fields after comm: state(3) ... utime(14) stime(15) */
	char *p = rp + 2;
	for (int field = 3; field < 14 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p || sscanf(p, "%llu %llu", &ut, &stt) != 2)
		return 0;
	long hz = sysconf(_SC_CLK_TCK);
	return (ut + stt) * (1000000000ull / (uint64_t)(hz > 0 ? hz : 100));
}

static uint64_t proc_rss_kb(int pid)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	if (read_small(path, buf, sizeof buf) < 0)
		return 0;
	char *p = strstr(buf, "VmRSS:");
	return p ? strtoull(p + 6, NULL, 10) : 0;
}

static uint64_t self_cpu_ns(void);

/* on-CPU time of every thread of every process, sorted by thread id */
struct task_snap {
	size_t n, cap;
	struct task_ns {
		int tid;
		uint64_t ns;
	} *v;
};

static int cmp_tid(const void *a, const void *b)
{
	return ((const struct task_ns *)a)->tid - ((const struct task_ns *)b)->tid;
}

static struct task_snap *snap_tasks(void)
{
	struct task_snap *t = xcalloc(1, sizeof *t);
	DIR *d = opendir("/proc");
	if (!d)
		return t;
	struct dirent *e;
	char path[600], buf[256];
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof path, "/proc/%s/task", e->d_name);
		DIR *td = opendir(path);
		if (!td)
			continue;
		struct dirent *te;
		while ((te = readdir(td))) {
			if (!isdigit((unsigned char)te->d_name[0]))
				continue;
			snprintf(path, sizeof path, "/proc/%s/task/%s/schedstat", e->d_name, te->d_name);
			if (read_small(path, buf, sizeof buf) <= 0)
				continue;
			if (t->n == t->cap) {
				t->cap = t->cap ? t->cap * 2 : 256;
				t->v = xrealloc(t->v, t->cap * sizeof *t->v);
			}
			t->v[t->n].tid = atoi(te->d_name);
			t->v[t->n++].ns = strtoull(buf, NULL, 10);
		}
		closedir(td);
	}
	closedir(d);
	qsort(t->v, t->n, sizeof *t->v, cmp_tid);
	return t;
}

/* -v: the busiest tasks between two snapshots, to name what disturbed a run */
static void snap_top(const struct task_snap *a, const struct task_snap *b)
{
	int top_tid[5] = {0};
	uint64_t top_ns[5] = {0};
	size_t i = 0;
	for (size_t j = 0; j < b->n; j++) {
		while (i < a->n && a->v[i].tid < b->v[j].tid)
			i++;
		uint64_t d = b->v[j].ns;
		if (i < a->n && a->v[i].tid == b->v[j].tid)
			d = d > a->v[i].ns ? d - a->v[i].ns : 0;
		for (int k = 0; k < 5; k++) {
			if (d > top_ns[k]) {
				memmove(top_ns + k + 1, top_ns + k, (size_t)(4 - k) * sizeof *top_ns);
				memmove(top_tid + k + 1, top_tid + k, (size_t)(4 - k) * sizeof *top_tid);
				top_ns[k] = d;
				top_tid[k] = b->v[j].tid;
				break;
			}
		}
	}
	for (int k = 0; k < 5 && top_ns[k]; k++) {
		char path[64], comm[64] = "?";
		snprintf(path, sizeof path, "/proc/%d/comm", top_tid[k]);
		if (read_small(path, comm, sizeof comm) > 0)
			comm[strcspn(comm, "\n")] = 0;
		say("  busy: tid %d (%s) %.1f ms", top_tid[k], comm, (double)top_ns[k] / 1e6);
	}
}

/* CPU time used between two snapshots by the tasks alive at the second */
static uint64_t snap_delta(const struct task_snap *a, const struct task_snap *b)
{
	uint64_t sum = 0;
	size_t i = 0;
	for (size_t j = 0; j < b->n; j++) {
		while (i < a->n && a->v[i].tid < b->v[j].tid)
			i++;
		if (i < a->n && a->v[i].tid == b->v[j].tid)
			sum += b->v[j].ns > a->v[i].ns ? b->v[j].ns - a->v[i].ns : 0;
		else
			sum += b->v[j].ns; /* started meanwhile */
	}
	return sum;
}

/* busy time of all CPUs: user nice system idle iowait irq softirq steal */
static uint64_t sys_busy_ns(uint64_t *steal)
{
	char buf[512];
	unsigned long long v[8] = {0};
	if (read_small("/proc/stat", buf, sizeof buf) < 0 ||
	    sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &v[6], &v[7]) < 8)
		return 0;
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t tick = 1000000000ull / (uint64_t)(hz > 0 ? hz : 100);
	*steal = v[7] * tick;
	return (v[0] + v[1] + v[2] + v[5] + v[6]) * tick;
}

static int srv_sample_take(srv_sample *s, int with_tasks);

/* a measurement point: server, generator, machine */
static int srv_take(srv_sample *s)
{
	return srv_sample_take(s, 1);
}

static int srv_sample_take(srv_sample *s, int with_tasks)
{
	memset(s, 0, sizeof *s);
	s->t_ns = now_ns();
	s->sys_ns = sys_busy_ns(&s->steal_ns);
	if (with_tasks)
		s->tasks = snap_tasks(); /* kept: a handful per run */
	s->gen_ns = self_cpu_ns();
	if (opt.server_pid <= 0)
		return 0;
	int pids[256];
	int n = proc_tree(opt.server_pid, pids, 256);
	for (int i = 0; i < n; i++) {
		s->cpu_ns += proc_cpu_ns(pids[i]);
		s->rss_kb += proc_rss_kb(pids[i]);
	}
	s->nproc = n;
	/* alive: exists and is not a zombie */
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", opt.server_pid);
	if (read_small(path, buf, sizeof buf) < 0)
		return 0;
	char *rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' && rp[2] != 'Z' && rp[2] != 'X';
}

static uint64_t self_cpu_ns(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
}

/* ------------------------------------------------------------------------ */
/* state                                                                    */
/* ------------------------------------------------------------------------ */

enum { WS_IDLE, WS_CONNECTING, WS_HANDSHAKE, WS_OPEN, WS_CLOSING, WS_CLOSED };
enum { TAG_WS = 1, TAG_TEXT = 2, TAG_SIG = 3, TAG_API = 4 };
enum { LINE_PROBE = 1, LINE_PUSH = 2, LINE_BCAST = 3 };

typedef struct {
	int fd;             /* socket, -1 when closed */
	uint8_t state;      /* WS_* */
	uint8_t want_out;   /* EPOLLOUT registered */
	uint8_t close_sent; /* our close frame went out */
	uint8_t frag_op;    /* opcode of the fragmented message being assembled */
	char key[25];       /* Sec-WebSocket-Key sent */
	uint8_t *in;        /* unparsed input (partial handshake or frame) */
	uint32_t in_len, in_cap;
	uint8_t *out;       /* output not yet accepted by the kernel */
	uint32_t out_len, out_cap;
	uint8_t *frag;      /* payload of a fragmented message so far */
	uint32_t frag_len, frag_cap;
} wsc;

typedef struct {
	int fd;             /* socket, -1 when closed */
	int id;             /* epoll tag index: 0 main, 1.. pushers */
	uint8_t connecting; /* nonblocking connect pending */
	uint8_t want_out;
	char *out;          /* lines not yet accepted by the kernel */
	size_t out_len, out_off, out_cap;
	char *in;           /* partial answer line */
	size_t in_len;
	uint64_t *fifo;     /* tags of lines waiting for their answer */
	uint64_t fifo_mask, head, tail;
	long seq;           /* cpp: push carried by this connection */
	int retry;          /* cpp: connect failed, push seq again */
} textc;

static struct {
	int ep, sigfd;
	wsc *ws;
	int nws;
	/* connect phase */
	int started, open, inflight, failed;
	uint64_t t_connect0, t_last_open;
	int connect_err, handshake_err, proto_err, unexpected_close, server_close_frames, pings;
	uint64_t pusher_err;        /* pusher:error and subscription errors from the server */
	int teardown;
	/* Text connections */
	textc main;
	textc *pushers;
	int npushers;
	uint64_t ans_ok, ans_fail, ans_bad, ans_lines;
	uint64_t t_last_answer;
	int text_err;
	/* probes */
	uint8_t *probe_state;       /* 0 to send, 1 sent, 2 answered ok, 3 answered fail */
	uint32_t *probe_cnt;
	int probe_next, probes_bound;
	uint64_t probe_fails, probe_sent;
	/* pushes 'P' */
	uint8_t *seq_cnt;           /* deliveries per seq */
	uint8_t *seq_ans;           /* 0 none, 1 ok, 2 fail */
	uint64_t nseq, delivered, dup, misroute, corrupt, unknown_seq;
	uint64_t *send_ns;          /* paced: send time per seq */
	uint64_t *lat_ns;           /* paced: latency per delivered seq */
	uint64_t nlat;
	uint64_t t_last_frame, t_first_frame;
	uint64_t frames;            /* all data messages received */
	/* broadcasts 'B' */
	int nbc;
	uint8_t *bc_cnt;            /* [client * nbc + k] */
	uint32_t *bc_got;           /* distinct clients reached per k */
	uint64_t *bc_sent_ns, *bc_last_ns;
	int64_t *bc_answer_count;   /* count reported by the server, -1 unknown */
	uint8_t *bc_done;
	uint64_t bc_delivered;
	/* cpp */
	long cpp_next, cpp_done;
	uint64_t cpp_connect_err;
	/* control */
	int stop;                   /* SIGTERM/SIGINT seen */
	int spin;                   /* poll without sleeping (measured phases, --spin) */
	uint64_t deadline;
	void (*refill)(void);       /* called after answers arrive */
} G;

static uint64_t tag_of(int type, uint32_t idx)
{
	return (uint64_t)type << 32 | idx;
}

static void ep_set(int fd, uint64_t tag, uint32_t events, int op)
{
	struct epoll_event e = {.events = events, .data.u64 = tag};
	if (epoll_ctl(G.ep, op, fd, &e) < 0 && op != EPOLL_CTL_DEL)
		die("epoll_ctl: %s", strerror(errno));
}

/* ------------------------------------------------------------------------ */
/* payloads                                                                 */
/*   P<uid7>S<seq10>xxx..  unicast push     Q<uid7>xxx..  binding probe      */
/*   B<k10>xxx..           broadcast                                         */
/* ------------------------------------------------------------------------ */

static int make_payload(char *out, char kind, uint32_t uid, uint64_t seq)
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

static int padding_ok(const uint8_t *p, size_t from, size_t len)
{
	if (len != (size_t)opt.size)
		return 0;
	for (size_t i = from; i < len; i++)
		if (p[i] != 'x')
			return 0;
	return 1;
}

static void pu_message(int idx, const uint8_t *p, size_t n, uint64_t t);

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

static void ws_close(wsc *c, int abortive)
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
		if (c->out_len + len > c->out_cap) {
			c->out_cap = (uint32_t)(c->out_len + len) * 2;
			c->out = xrealloc(c->out, c->out_cap);
		}
		memcpy(c->out + c->out_len, p, len);
		c->out_len += (uint32_t)len;
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
static void ws_send_frame(wsc *c, int opcode, const void *payload, size_t n)
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

static void start_connects(void);

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

/* find a header value in an HTTP head; case-insensitive name */
static int http_header(const char *head, size_t len, const char *name, const char **val, size_t *vlen)
{
	size_t nl = strlen(name);
	const char *p = head, *end = head + len;
	while (p < end) {
		const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > nl && p[nl] == ':' && !strncasecmp(p, name, nl)) {
			const char *v = p + nl + 1;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			const char *ve = eol;
			while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			*val = v;
			*vlen = (size_t)(ve - v);
			return 1;
		}
		p = eol + 2;
	}
	return 0;
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
	ws_accept_for(c->key, expect);
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
			if (c->frag_len + plen > c->frag_cap) {
				c->frag_cap = (uint32_t)((c->frag_len + plen) * 2);
				c->frag = xrealloc(c->frag, c->frag_cap);
			}
			memcpy(c->frag + c->frag_len, pl, (size_t)plen);
			c->frag_len += (uint32_t)plen;
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
				if (plen > c->frag_cap) {
					c->frag_cap = (uint32_t)plen * 2 + 64;
					c->frag = xrealloc(c->frag, c->frag_cap);
				}
				memcpy(c->frag, pl, (size_t)plen);
				c->frag_len = (uint32_t)plen;
			}
		} else {
			ws_proto_error(c, "unknown data opcode");
			return len;
		}
	}
	return off;
}

/* bytes from the socket (or a test) */
static void ws_feed(wsc *c, uint8_t *data, size_t len, uint64_t t)
{
	int buffered = c->in_len > 0;
	if (buffered) {
		if (c->in_len + len > c->in_cap) {
			c->in_cap = (uint32_t)(c->in_len + len) * 2;
			c->in = xrealloc(c->in, c->in_cap);
		}
		memcpy(c->in + c->in_len, data, len);
		c->in_len += (uint32_t)len;
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
		if (rest > c->in_cap) {
			c->in_cap = (uint32_t)rest * 2 + 64;
			c->in = xrealloc(c->in, c->in_cap);
		}
		memcpy(c->in, data + used, rest);
		c->in_len = (uint32_t)rest;
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

static void ws_event(wsc *c, uint32_t ev)
{
	if (c->state == WS_CONNECTING) {
		int err = 0;
		socklen_t el = sizeof err;
		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
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
static void bind_source(int fd, uint64_t n)
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

static void start_connects(void)
{
	while (G.started < G.nws && G.inflight < opt.conc) {
		if (!G.t_connect0)
			G.t_connect0 = now_ns();
		ws_connect(&G.ws[G.started++]);
	}
}

/* ------------------------------------------------------------------------ */
/* Text connections                                                         */
/* ------------------------------------------------------------------------ */

static void text_init(textc *t, int id, size_t fifo_cap)
{
	memset(t, 0, sizeof *t);
	t->fd = -1;
	t->id = id;
	size_t cap = 64;
	while (cap < fifo_cap)
		cap <<= 1;
	t->fifo = xcalloc(cap, sizeof *t->fifo);
	t->fifo_mask = cap - 1;
	t->in = xrealloc(NULL, TEXT_IN_CAP);
}

static uint64_t text_outstanding(const textc *t)
{
	return t->tail - t->head;
}

static void text_update_events(textc *t)
{
	int want = t->connecting || t->out_len > t->out_off;
	if (want != t->want_out) {
		t->want_out = (uint8_t)want;
		ep_set(t->fd, tag_of(TAG_TEXT, (uint32_t)t->id), EPOLLIN | (want ? EPOLLOUT : 0), EPOLL_CTL_MOD);
	}
}

static void text_error(textc *t, const char *what, int err)
{
	G.text_err++;
	if (G.text_err < 5)
		say("text connection %d: %s%s%s", t->id, what, err ? ": " : "", err ? strerror(err) : "");
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

static void text_flush(textc *t)
{
	if (t->fd < 0 || t->connecting)
		return;
	while (t->out_off < t->out_len) {
		ssize_t w = send(t->fd, t->out + t->out_off, t->out_len - t->out_off, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			text_error(t, "send", errno);
			return;
		}
		t->out_off += (size_t)w;
	}
	if (t->out_off == t->out_len)
		t->out_off = t->out_len = 0;
	text_update_events(t);
}

static void text_reserve(textc *t, size_t n)
{
	if (t->out_off && t->out_off == t->out_len)
		t->out_off = t->out_len = 0;
	if (t->out_len + n > t->out_cap) {
		if (t->out_off) {
			memmove(t->out, t->out + t->out_off, t->out_len - t->out_off);
			t->out_len -= t->out_off;
			t->out_off = 0;
		}
		if (t->out_len + n > t->out_cap) {
			t->out_cap = (t->out_len + n) * 2 + 4096;
			t->out = xrealloc(t->out, t->out_cap);
		}
	}
}

static void text_push_tag(textc *t, uint64_t tag)
{
	if (text_outstanding(t) > t->fifo_mask)
		die("internal: answer queue overflow");
	t->fifo[t->tail++ & t->fifo_mask] = tag;
}

/* {"uid":"u<idx>","msg":"<payload>","percent":"<payload>"} */
static void text_queue_push(textc *t, char kind, uint32_t uid, uint64_t seq)
{
	static char *pl;
	if (!pl)
		pl = xrealloc(NULL, (size_t)opt.size + 64);
	make_payload(pl, kind, uid, seq);
	size_t need = 2 * (size_t)opt.size + 64;
	text_reserve(t, need);
	int n = snprintf(t->out + t->out_len, need, "{\"uid\":\"u%" PRIu32 "\",\"msg\":\"%s\",\"percent\":\"%s\"}\n",
			 uid, pl, pl);
	t->out_len += (size_t)n;
	text_push_tag(t, (uint64_t)(kind == 'P' ? LINE_PUSH : LINE_PROBE) << 56 | (kind == 'P' ? seq : uid));
}

static void text_queue_bcast(textc *t, int k)
{
	char *pl = xrealloc(NULL, (size_t)opt.size + 64);
	make_payload(pl, 'B', 0, (uint64_t)k);
	size_t need = (size_t)opt.size + 64;
	text_reserve(t, need);
	int n = snprintf(t->out + t->out_len, need, "{\"cmd\":\"broadcast\",\"msg\":\"%s\"}\n", pl);
	t->out_len += (size_t)n;
	free(pl);
	text_push_tag(t, (uint64_t)LINE_BCAST << 56 | (uint64_t)k);
}

static int text_open(textc *t, int nonblocking_connect)
{
	t->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd < 0)
		return -errno;
	int one = 1;
	static uint64_t nth;
	setsockopt(t->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	bind_source(t->fd, nth++);
	if (connect(t->fd, (struct sockaddr *)&opt.text, sizeof opt.text) < 0) {
		int e = errno;
		if (e != EINPROGRESS) {
			close(t->fd);
			t->fd = -1;
			return -e;
		}
		t->connecting = 1;
	}
	t->in_len = 0;
	t->want_out = t->connecting;
	ep_set(t->fd, tag_of(TAG_TEXT, (uint32_t)t->id), EPOLLIN | (t->connecting ? EPOLLOUT : 0), EPOLL_CTL_ADD);
	if (!nonblocking_connect && t->connecting) {
		/* wait for the connect here; it is local */
		struct pollfd pfd = {.fd = t->fd, .events = POLLOUT};
		int err = ETIMEDOUT;
		if (poll(&pfd, 1, 5000) > 0) {
			socklen_t el = sizeof err;
			err = 0;
			getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		}
		if (err) {
			close(t->fd);
			t->fd = -1;
			return -err;
		}
		t->connecting = 0;
		text_update_events(t);
	}
	return 0;
}

static void cpp_next(textc *t);

/*
 * Look up a top-level member of a flat JSON object answer. Returns 't' or 'f'
 * for true/false, '0' for a number (stored in *num), 0 if absent or other.
 */
static int json_member(const char *s, size_t n, const char *name, long long *num)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i + nl + 2 <= n; i++) {
		if (s[i] != '"' || memcmp(s + i + 1, name, nl) || s[i + 1 + nl] != '"')
			continue;
		size_t j = i + nl + 2;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j >= n || s[j] != ':')
			continue;
		j++;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j + 4 <= n && !memcmp(s + j, "true", 4))
			return 't';
		if (j + 5 <= n && !memcmp(s + j, "false", 5))
			return 'f';
		if (j < n && (s[j] == '-' || (s[j] >= '0' && s[j] <= '9'))) {
			*num = strtoll(s + j, NULL, 10);
			return '0';
		}
		return 0;
	}
	return 0;
}

static void on_answer(textc *t, uint64_t tag, const char *line, size_t n)
{
	int kind = (int)(tag >> 56);
	uint64_t v = tag & ((1ull << 56) - 1);
	int ok = n == 2 && !memcmp(line, "ok", 2);
	int fail = n == 4 && !memcmp(line, "fail", 4);
	G.ans_lines++;
	G.t_last_answer = now_ns();
	(void)t;
	if (kind == LINE_PROBE) {
		if (ok) {
			G.probe_state[v] = 2;
		} else {
			G.probe_state[v] = 3;
			G.probe_fails++;
			if (!fail)
				G.ans_bad++;
		}
		return;
	}
	if (kind == LINE_PUSH) {
		if (ok)
			G.ans_ok++;
		else if (fail)
			G.ans_fail++;
		else
			G.ans_bad++;
		if (v < G.nseq && G.seq_ans)
			G.seq_ans[v] = ok ? 1 : 2;
		return;
	}
	if (kind == LINE_BCAST) {
		long long count = -1;
		int good = json_member(line, n, "ok", &count) == 't';
		if (json_member(line, n, "count", &count) != '0')
			count = -1;
		if (good)
			G.ans_ok++;
		else
			G.ans_bad++;
		if (v < (uint64_t)G.nbc)
			G.bc_answer_count[v] = count;
		if (!good && G.ans_bad < 5)
			say("broadcast answer: %.*s", (int)n, line);
		return;
	}
	G.ans_bad++;
	if (G.ans_bad < 5)
		say("answer without a request: %.*s", (int)n, line);
}

static void text_readable(textc *t)
{
	for (;;) {
		if (t->in_len == TEXT_IN_CAP) {
			text_error(t, "answer line too long", 0);
			return;
		}
		ssize_t r = recv(t->fd, t->in + t->in_len, TEXT_IN_CAP - t->in_len, 0);
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			text_error(t, "recv", errno);
			return;
		}
		if (r == 0) {
			if (text_outstanding(t))
				text_error(t, "server closed the Text connection with answers pending", 0);
			else if (t->id == 0 && !G.teardown)
				text_error(t, "server closed the Text connection", 0);
			else {
				close(t->fd);
				t->fd = -1;
			}
			break;
		}
		size_t len = t->in_len + (size_t)r, off = 0;
		char *nl;
		while ((nl = memchr(t->in + off, '\n', len - off))) {
			size_t ln = (size_t)(nl - (t->in + off));
			if (ln && t->in[off + ln - 1] == '\r')
				ln--;
			if (t->head == t->tail) {
				G.ans_bad++;
				if (G.ans_bad < 5)
					say("unexpected answer: %.*s", (int)ln, t->in + off);
			} else {
				uint64_t tag = t->fifo[t->head++ & t->fifo_mask];
				on_answer(t, tag, t->in + off, ln);
			}
			off = (size_t)(nl - t->in) + 1;
		}
		memmove(t->in, t->in + off, len - off);
		t->in_len = len - off;
		if ((size_t)r < TEXT_IN_CAP / 2)
			break;
	}
	if (t->id > 0 && t->fd >= 0 && t->head == t->tail && t->in_len == 0) {
		/* connect-per-push: answer read, close and start the next push */
		close(t->fd);
		t->fd = -1;
		G.cpp_done++;
		cpp_next(t);
		return;
	}
	if (t->id == 0 && G.refill)
		G.refill();
	text_flush(t);
}

static void text_event(textc *t, uint32_t ev)
{
	if (t->fd < 0)
		return;
	if (t->connecting) {
		int err = 0;
		socklen_t el = sizeof err;
		getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err) {
			if (t->id > 0) {
				/* connect-per-push: count, back off to the next loop pass */
				G.cpp_connect_err++;
				if (G.cpp_connect_err < 5)
					say("pusher connect: %s", strerror(err));
				close(t->fd);
				t->fd = -1;
				t->retry = 1;
				return;
			}
			text_error(t, "connect", err);
			return;
		}
		if (!(ev & EPOLLOUT))
			return;
		t->connecting = 0;
		text_flush(t);
		if (t->fd < 0)
			return;
	} else if (ev & EPOLLOUT) {
		text_flush(t);
		if (t->fd < 0)
			return;
	}
	if (ev & (EPOLLIN | EPOLLHUP | EPOLLERR))
		text_readable(t);
}

/* ------------------------------------------------------------------------ */
/* Pusher protocol: pusher-js-shaped clients, and events triggered through  */
/* the signed HTTP API (POST /apps/{id}/events), one request in flight per  */
/* keep-alive connection                                                    */
/* ------------------------------------------------------------------------ */

#define PU_EVENT "bench"             /* the name of every triggered event */
#define PU_DATA_MAX 8192             /* largest event data (--size) */
#define API_IN_CAP 65536             /* largest HTTP answer accepted */

enum { PU_WAIT_ESTABLISHED, PU_SUBSCRIBING, PU_SUBSCRIBED };

typedef struct {
	int fd;             /* socket, -1 when closed */
	int id;             /* index, epoll tag */
	uint8_t connecting; /* nonblocking connect pending */
	uint8_t want_out;   /* EPOLLOUT registered */
	uint8_t busy;       /* a request is in flight */
	char *out;          /* the request not yet accepted by the kernel */
	size_t out_len, out_off, out_cap;
	char *in;           /* the answer so far */
	size_t in_len;
	int ch;             /* channel of the request in flight */
	uint32_t seq;       /* its number on that channel */
	uint64_t sent_ns;   /* when it was written */
	int rr;             /* the next of this connection's channels (k = id mod connections) */
	int opened;         /* connections opened so far */
} apic;

static struct {
	int nch;                    /* channels */
	uint8_t *state;             /* per client: PU_* */
	int established, subscribed;
	uint32_t *subs;             /* subscribed clients per channel */
	uint32_t cap;               /* sequence numbers a channel can get */
	uint32_t *sent, *ok;        /* per channel: events sent, answered 200 */
	uint8_t *seen;              /* per client: a bit per sequence number received */
	size_t seen_stride;
	uint32_t *next;             /* per client: the sequence number expected next */
	uint32_t *got;              /* per client: distinct events received */
	uint64_t *ev_sent_ns, *ev_last_ns; /* per [channel * cap + seq] */
	uint32_t *ev_got;           /* clients that received it */
	uint64_t deliveries, expect, reorder;
	uint64_t started, answered; /* events */
	uint64_t *api_lat_ns;       /* request written -> answer read, per answer */
	uint64_t napi_lat, reconnects;
	apic *api;
	int napi;
	char *req, *body, *data;    /* scratch for one request */
	time_t ts;                  /* auth_timestamp */
} PU;

/* the data of event seq on channel k: {"ch":k,"seq":seq,"pad":"xx.."}, --size bytes exactly */
static size_t pu_data(char *out, int k, uint32_t seq)
{
	int n = snprintf(out, PU_DATA_MAX, "{\"ch\":%d,\"seq\":%" PRIu32 ",\"pad\":\"", k, seq);
	size_t len = (size_t)opt.size;
	memset(out + n, 'x', len - 2 - (size_t)n);
	memcpy(out + len - 2, "\"}", 2);
	out[len] = 0;
	return len;
}

/* index just past the JSON string starting at s[i] == '"'; n + 1 when it does not end */
static size_t json_skip_str(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return n + 1;
}

/* index just past the JSON value starting at s[i]; n + 1 when it does not end */
static size_t json_skip_value(const char *s, size_t n, size_t i)
{
	int depth = 0;
	while (i < n) {
		char c = s[i];
		if (c == '"') {
			i = json_skip_str(s, n, i);
			if (i > n || !depth)
				return i;
			continue;
		}
		if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (!depth)
				return i;
			if (!--depth)
				return i + 1;
		} else if (!depth && (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
			return i;
		}
		i++;
	}
	return depth ? n + 1 : i;
}

static size_t json_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	return i;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* the JSON string body s[0..n) (no quotes) unescaped into out; -1 when malformed or too long */
static int json_unescape(const char *s, size_t n, char *out, size_t cap, size_t *olen)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned cp = (unsigned char)s[i];
		int raw = cp != '\\';
		if (!raw) {
			if (++i >= n)
				return -1;
			switch (s[i]) {
			case '"': cp = '"'; break;
			case '\\': cp = '\\'; break;
			case '/': cp = '/'; break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u':
				if (i + 4 >= n)
					return -1;
				cp = 0;
				for (int j = 1; j <= 4; j++) {
					int v = hexval(s[i + j]);
					if (v < 0)
						return -1;
					cp = cp << 4 | (unsigned)v;
				}
				i += 4;
				if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < n && s[i + 1] == '\\' && s[i + 2] == 'u') {
					unsigned lo = 0;
					for (int j = 3; j <= 6; j++) {
						int v = hexval(s[i + j]);
						if (v < 0)
							return -1;
						lo = lo << 4 | (unsigned)v;
					}
					if (lo >= 0xDC00 && lo < 0xE000) {
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						i += 6;
					}
				}
				break;
			default: return -1;
			}
		}
		uint8_t u[4];
		int ul;
		if (cp < 0x80 || raw) { /* ASCII, or a byte of raw UTF-8 */
			u[0] = (uint8_t)cp, ul = 1;
		} else if (cp < 0x800) {
			u[0] = (uint8_t)(0xC0 | cp >> 6), u[1] = (uint8_t)(0x80 | (cp & 63)), ul = 2;
		} else if (cp < 0x10000) {
			u[0] = (uint8_t)(0xE0 | cp >> 12), u[1] = (uint8_t)(0x80 | ((cp >> 6) & 63));
			u[2] = (uint8_t)(0x80 | (cp & 63)), ul = 3;
		} else {
			u[0] = (uint8_t)(0xF0 | cp >> 18), u[1] = (uint8_t)(0x80 | ((cp >> 12) & 63));
			u[2] = (uint8_t)(0x80 | ((cp >> 6) & 63)), u[3] = (uint8_t)(0x80 | (cp & 63)), ul = 4;
		}
		if (o + (size_t)ul >= cap)
			return -1;
		memcpy(out + o, u, (size_t)ul);
		o += (size_t)ul;
	}
	out[o] = 0;
	*olen = o;
	return 0;
}

/* a string member to look for at the top level of a JSON object */
typedef struct {
	const char *name;
	char *out;          /* its value, unescaped, NUL-terminated */
	size_t cap, len;
} json_want;

/*
 * The top-level string members of a JSON object named in want, in one pass.
 * Returns a bit (1 << i) for each want[i] found as a string (the last one
 * wins when a name repeats), -1 when the object is malformed or a value does
 * not fit.
 */
static int json_str_members(const char *s, size_t n, json_want *want, int nwant)
{
	int found = 0;
	size_t i = json_ws(s, n, 0);
	if (i >= n || s[i] != '{')
		return -1;
	i = json_ws(s, n, i + 1);
	if (i < n && s[i] == '}')
		return 0;
	for (;;) {
		if (i >= n || s[i] != '"')
			return -1;
		size_t k0 = i + 1, k1 = json_skip_str(s, n, i);
		if (k1 > n)
			return -1;
		int match = -1;
		for (int w = 0; w < nwant && match < 0; w++)
			if (strlen(want[w].name) == k1 - 1 - k0 && !memcmp(s + k0, want[w].name, k1 - 1 - k0))
				match = w;
		i = json_ws(s, n, k1);
		if (i >= n || s[i] != ':')
			return -1;
		i = json_ws(s, n, i + 1);
		if (match >= 0 && i < n && s[i] == '"') {
			size_t e = json_skip_str(s, n, i);
			if (e > n || json_unescape(s + i + 1, e - i - 2, want[match].out, want[match].cap, &want[match].len))
				return -1;
			found |= 1 << match;
			i = e;
		} else {
			found &= ~(match >= 0 ? 1 << match : 0);
			i = json_skip_value(s, n, i);
			if (i > n)
				return -1;
		}
		i = json_ws(s, n, i);
		if (i < n && s[i] == ',') {
			i = json_ws(s, n, i + 1);
			continue;
		}
		return i < n && s[i] == '}' ? found : -1;
	}
}

/* one top-level string member: 1 found, 0 absent or not a string, -1 malformed or too long */
static int json_str_member(const char *s, size_t n, const char *name, char *out, size_t cap, size_t *olen)
{
	json_want w = {name, out, cap, 0};
	int r = json_str_members(s, n, &w, 1);
	*olen = w.len;
	return r < 0 ? -1 : r;
}

static void pu_error(int idx, const char *what, const uint8_t *p, size_t n)
{
	G.pusher_err++;
	if (verbose || G.pusher_err < 5)
		say("client %d: %s: %.*s", idx, what, (int)(n > 200 ? 200 : n), (const char *)p);
}

/* one message to a Pusher client: the handshake of the protocol, then deliveries */
static void pu_message(int idx, const uint8_t *p, size_t n, uint64_t t)
{
	static char ev[256], chname[256], data[PU_DATA_MAX + 64], want[PU_DATA_MAX + 1];
	const char *s = (const char *)p;
	json_want want_m[3] = {{"event", ev, sizeof ev, 0}, {"channel", chname, sizeof chname, 0},
			       {"data", data, sizeof data, 0}};
	int k = idx % PU.nch;
	G.frames++;
	int found = json_str_members(s, n, want_m, 3);
	if (found < 0 || !(found & 1)) {
		G.corrupt++;
		if (verbose && G.corrupt < 10)
			say("client %d: not a Pusher message: %.*s", idx, (int)(n > 120 ? 120 : n), s);
		return;
	}
	int has_ch = (found & 2) != 0, has_data = (found & 4) != 0;
	size_t dl = want_m[2].len;
	if (!strcmp(ev, PU_EVENT)) {
		char mine[32];
		long long ck = -1, seq = -1;
		snprintf(mine, sizeof mine, "bench-%d", k);
		if (!G.t_first_frame)
			G.t_first_frame = t;
		G.t_last_frame = t;
		if (!has_ch || !has_data || json_member(data, dl, "ch", &ck) != '0' ||
		    json_member(data, dl, "seq", &seq) != '0' || ck < 0 || ck >= PU.nch || seq < 0) {
			G.corrupt++;
			if (verbose && G.corrupt < 10)
				say("client %d: malformed event: %.*s", idx, (int)(n > 120 ? 120 : n), s);
			return;
		}
		if (strcmp(chname, mine) || ck != k) {
			G.misroute++;
			return;
		}
		if ((uint64_t)seq >= PU.sent[k]) {
			G.unknown_seq++;
			return;
		}
		if (dl != pu_data(want, k, (uint32_t)seq) || memcmp(data, want, dl)) {
			G.corrupt++;
			return;
		}
		uint8_t *bit = &PU.seen[(size_t)idx * PU.seen_stride + (size_t)seq / 8];
		uint8_t mask = (uint8_t)(1u << (seq & 7));
		if (*bit & mask) {
			G.dup++;
			return;
		}
		*bit |= mask;
		if ((uint32_t)seq != PU.next[idx])
			PU.reorder++;
		if ((uint32_t)seq >= PU.next[idx])
			PU.next[idx] = (uint32_t)seq + 1;
		PU.got[idx]++;
		PU.deliveries++;
		size_t e = (size_t)k * PU.cap + (size_t)seq;
		PU.ev_got[e]++;
		PU.ev_last_ns[e] = t;
		return;
	}
	if (!strcmp(ev, "pusher:connection_established")) {
		char sid[64];
		size_t sl = 0;
		if (PU.state[idx] != PU_WAIT_ESTABLISHED || !has_data ||
		    json_str_member(data, dl, "socket_id", sid, sizeof sid, &sl) != 1 || !sl) {
			pu_error(idx, "unexpected connection_established", p, n);
			return;
		}
		PU.state[idx] = PU_SUBSCRIBING;
		PU.established++;
		/* what pusher-js sends for a public channel */
		char sub[128];
		int m = snprintf(sub, sizeof sub,
				 "{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"bench-%d\"}}", k);
		ws_send_frame(&G.ws[idx], 0x1, sub, (size_t)m);
		return;
	}
	if (!strcmp(ev, "pusher_internal:subscription_succeeded")) {
		char mine[32];
		snprintf(mine, sizeof mine, "bench-%d", k);
		if (PU.state[idx] != PU_SUBSCRIBING || !has_ch || strcmp(chname, mine)) {
			pu_error(idx, "unexpected subscription_succeeded", p, n);
			return;
		}
		PU.state[idx] = PU_SUBSCRIBED;
		PU.subscribed++;
		PU.subs[k]++;
		G.t_last_open = t;
		return;
	}
	if (!strcmp(ev, "pusher:ping")) {
		static const char pong[] = "{\"event\":\"pusher:pong\",\"data\":{}}";
		ws_send_frame(&G.ws[idx], 0x1, pong, sizeof pong - 1);
		return;
	}
	if (!strcmp(ev, "pusher:pong"))
		return;
	pu_error(idx, "unexpected message", p, n);
}

/*
 * Length of the complete HTTP/1.x answer at the start of d: 0 while it is
 * incomplete, -1 when it is malformed or its body ends only with the
 * connection. *status gets the status code, *close whether the server will
 * close the connection after it.
 */
static long http_answer_len(const char *d, size_t len, int *status, int *close_after)
{
	const char *end = memmem(d, len, "\r\n\r\n", 4);
	if (!end)
		return len > MAX_HANDSHAKE ? -1 : 0;
	size_t head = (size_t)(end - d) + 2, off;
	if (head < 14 || strncmp(d, "HTTP/1.", 7) || d[8] != ' ' || !isdigit((unsigned char)d[9]) ||
	    !isdigit((unsigned char)d[10]) || !isdigit((unsigned char)d[11]))
		return -1;
	*status = (d[9] - '0') * 100 + (d[10] - '0') * 10 + (d[11] - '0');
	*close_after = d[7] == '0';
	const char *v;
	size_t vl;
	if (http_header(d, head, "Connection", &v, &vl)) {
		if (vl == 5 && !strncasecmp(v, "close", 5))
			*close_after = 1;
		else if (vl == 10 && !strncasecmp(v, "keep-alive", 10))
			*close_after = 0;
	}
	off = head + 2;
	if (http_header(d, head, "Content-Length", &v, &vl)) {
		uint64_t cl = 0;
		if (!vl || vl > 12)
			return -1;
		for (size_t i = 0; i < vl; i++) {
			if (!isdigit((unsigned char)v[i]))
				return -1;
			cl = cl * 10 + (uint64_t)(v[i] - '0');
		}
		if (cl > API_IN_CAP)
			return -1;
		return off + cl <= len ? (long)(off + cl) : 0;
	}
	if (http_header(d, head, "Transfer-Encoding", &v, &vl)) {
		if (vl != 7 || strncasecmp(v, "chunked", 7))
			return -1;
		for (;;) {
			const char *eol = memmem(d + off, len - off, "\r\n", 2);
			if (!eol)
				return 0;
			size_t n = 0, i = off;
			if (hexval(d[i]) < 0)
				return -1;
			for (; i < (size_t)(eol - d) && hexval(d[i]) >= 0; i++) {
				n = n * 16 + (size_t)hexval(d[i]);
				if (n > API_IN_CAP)
					return -1;
			}
			off = (size_t)(eol - d) + 2;
			if (!n) { /* the trailer: header lines up to an empty one */
				for (;;) {
					eol = memmem(d + off, len - off, "\r\n", 2);
					if (!eol)
						return 0;
					if (eol == d + off)
						return (long)(off + 2);
					off = (size_t)(eol - d) + 2;
				}
			}
			if (len - off < n + 2)
				return 0;
			if (memcmp(d + off + n, "\r\n", 2))
				return -1;
			off += n + 2;
		}
	}
	if (*status == 204 || *status == 304 || *status / 100 == 1)
		return (long)off;
	return -1;
}

/*
 * One signed POST /apps/{id}/events into PU.req (Pusher's request signing:
 * auth_signature is the hex HMAC-SHA256, keyed with the secret, of
 * "POST\n<path>\n<the other query arguments, sorted by name>"); its length.
 */
static size_t api_request(int k, uint32_t seq)
{
	size_t dl = pu_data(PU.data, k, seq), bl;
	char *b = PU.body;
	bl = (size_t)sprintf(b, "{\"name\":\"" PU_EVENT "\",\"channels\":[\"bench-%d\"],\"data\":\"", k);
	for (size_t i = 0; i < dl; i++) {
		if (PU.data[i] == '"' || PU.data[i] == '\\')
			b[bl++] = '\\';
		b[bl++] = PU.data[i];
	}
	memcpy(b + bl, "\"}", 3);
	bl += 2;

	uint8_t dig[32];
	char md5hex[33], sighex[65], query[512], tosign[768];
	md5(b, bl, dig);
	hex_encode(dig, 16, md5hex);
	time_t now = time(NULL);
	if (now != PU.ts)
		PU.ts = now;
	int ql = snprintf(query, sizeof query, "auth_key=%s&auth_timestamp=%lld&auth_version=1.0&body_md5=%s",
			  opt.app_key, (long long)PU.ts, md5hex);
	int sl = snprintf(tosign, sizeof tosign, "POST\n/apps/%s/events\n%.*s", opt.app_id, ql, query);
	hmac_sha256(opt.app_secret, strlen(opt.app_secret), tosign, (size_t)sl, dig);
	hex_encode(dig, 32, sighex);
	int hl = sprintf(PU.req,
			 "POST /apps/%s/events?%s&auth_signature=%s HTTP/1.1\r\n"
			 "Host: %s\r\n"
			 "Content-Type: application/json\r\n"
			 "Content-Length: %zu\r\n"
			 "\r\n",
			 opt.app_id, query, sighex, opt.ws_hostport, bl);
	memcpy(PU.req + hl, b, bl);
	return (size_t)hl + bl;
}

static void api_update_events(apic *a)
{
	int want = a->connecting || a->out_len > a->out_off;
	if (want != a->want_out) {
		a->want_out = (uint8_t)want;
		ep_set(a->fd, tag_of(TAG_API, (uint32_t)a->id), EPOLLIN | (want ? EPOLLOUT : 0), EPOLL_CTL_MOD);
	}
}

static void api_close(apic *a)
{
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	a->connecting = a->want_out = 0;
	a->out_len = a->out_off = a->in_len = 0;
}

/*
 * The connection failed: the request in flight stays unanswered (an error);
 * the run loop starts the next one on a new connection.
 */
static void api_fail(apic *a, const char *what, int err)
{
	G.ans_bad++;
	if (G.ans_bad < 5)
		say("HTTP API connection %d: %s%s%s", a->id, what, err ? ": " : "", err ? strerror(err) : "");
	if (a->busy)
		PU.answered++;
	a->busy = 0;
	api_close(a);
}

static void api_flush(apic *a)
{
	while (a->out_off < a->out_len) {
		ssize_t w = send(a->fd, a->out + a->out_off, a->out_len - a->out_off, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			api_fail(a, "send", errno);
			return;
		}
		a->out_off += (size_t)w;
	}
	api_update_events(a);
}

static int api_open(apic *a)
{
	a->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->fd < 0)
		return -errno;
	int one = 1;
	setsockopt(a->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(a->fd, (struct sockaddr *)&opt.ws, sizeof opt.ws) < 0 && errno != EINPROGRESS) {
		int e = errno;
		close(a->fd);
		a->fd = -1;
		return -e;
	}
	if (a->opened++)
		PU.reconnects++;
	a->connecting = 1;
	a->want_out = 1;
	ep_set(a->fd, tag_of(TAG_API, (uint32_t)a->id), EPOLLIN | EPOLLOUT, EPOLL_CTL_ADD);
	return 0;
}

/* the next event of this connection, to its next channel */
static void api_start(apic *a)
{
	if (PU.started >= (uint64_t)opt.pushes || a->busy || G.stop)
		return;
	int k = a->rr;
	a->rr += PU.napi;
	if (a->rr >= PU.nch)
		a->rr = a->id;
	uint32_t seq = PU.sent[k];
	if (seq >= PU.cap)
		die("channel %d: more than %" PRIu32 " events", k, PU.cap);
	PU.sent[k]++;
	PU.started++;
	size_t len = api_request(k, seq);
	if (len > a->out_cap) {
		a->out_cap = len * 2;
		a->out = xrealloc(a->out, a->out_cap);
	}
	memcpy(a->out, PU.req, len);
	a->out_len = len;
	a->out_off = 0;
	a->busy = 1;
	a->ch = k;
	a->seq = seq;
	a->sent_ns = now_ns();
	PU.ev_sent_ns[(size_t)k * PU.cap + seq] = a->sent_ns;
	if (a->fd < 0) {
		int r = api_open(a);
		if (r < 0) {
			api_fail(a, "connect", -r);
			return;
		}
		return; /* written once connected */
	}
	api_flush(a);
}

static void api_readable(apic *a)
{
	for (;;) {
		if (a->in_len == API_IN_CAP) {
			api_fail(a, "answer too large", 0);
			return;
		}
		ssize_t r = recv(a->fd, a->in + a->in_len, API_IN_CAP - a->in_len, 0);
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			api_fail(a, "recv", errno);
			return;
		}
		if (r == 0) {
			if (a->busy || a->in_len) {
				api_fail(a, "the server closed the connection before its answer", 0);
			} else {
				api_close(a); /* idle keep-alive closed: the next request reconnects */
			}
			return;
		}
		a->in_len += (size_t)r;
		int status = 0, close_after = 0;
		long used = http_answer_len(a->in, a->in_len, &status, &close_after);
		if (used < 0) {
			api_fail(a, "malformed HTTP answer", 0);
			return;
		}
		if (!used)
			continue;
		if (!a->busy || (size_t)used != a->in_len) {
			api_fail(a, "HTTP answer without a request", 0);
			return;
		}
		uint64_t t = now_ns();
		a->busy = 0;
		PU.answered++;
		PU.api_lat_ns[PU.napi_lat++] = t - a->sent_ns;
		G.t_last_answer = t;
		if (status == 200) {
			G.ans_ok++;
			PU.ok[a->ch]++;
			PU.expect += PU.subs[a->ch];
		} else {
			G.ans_fail++;
			if (G.ans_fail < 5) {
				const char *body = memmem(a->in, a->in_len, "\r\n\r\n", 4);
				say("HTTP API answered %d: %.*s", status, body ? (int)(a->in + a->in_len - body - 4) : 0,
				    body ? body + 4 : "");
			}
		}
		a->in_len = 0;
		if (close_after)
			api_close(a);
		api_start(a);
		return;
	}
}

static void api_event(apic *a, uint32_t ev)
{
	if (a->fd < 0)
		return;
	if (a->connecting) {
		int err = 0;
		socklen_t el = sizeof err;
		getsockopt(a->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err) {
			api_fail(a, "connect", err);
			return;
		}
		if (!(ev & EPOLLOUT))
			return;
		a->connecting = 0;
		api_flush(a);
		if (a->fd < 0)
			return;
	} else if (ev & EPOLLOUT) {
		api_flush(a);
		if (a->fd < 0)
			return;
	}
	if (ev & (EPOLLIN | EPOLLHUP | EPOLLERR))
		api_readable(a);
}

/* ------------------------------------------------------------------------ */
/* event loop                                                               */
/* ------------------------------------------------------------------------ */

static void poll_once(uint64_t timeout_ns)
{
	static struct epoll_event ev[1024];
	struct timespec ts = {(time_t)(timeout_ns / 1000000000ull), (long)(timeout_ns % 1000000000ull)};
	static const struct timespec zero = {0, 0};
	int n = epoll_pwait2(G.ep, ev, 1024, G.spin ? &zero : &ts, NULL);
	if (n < 0) {
		if (errno == EINTR)
			return;
		die("epoll_pwait2: %s", strerror(errno));
	}
	/* Text connections first: their answers refill the pipeline */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < n; i++) {
			uint64_t tag = ev[i].data.u64;
			int type = (int)(tag >> 32);
			uint32_t idx = (uint32_t)tag;
			if ((type == TAG_WS) != (pass == 1))
				continue;
			if (type == TAG_WS) {
				wsc *c = &G.ws[idx];
				if (c->fd >= 0)
					ws_event(c, ev[i].events);
			} else if (type == TAG_TEXT) {
				text_event(idx == 0 ? &G.main : &G.pushers[idx - 1], ev[i].events);
			} else if (type == TAG_API) {
				api_event(&PU.api[idx], ev[i].events);
			} else if (type == TAG_SIG) {
				struct signalfd_siginfo si;
				while (read(G.sigfd, &si, sizeof si) == (ssize_t)sizeof si)
					G.stop = 1;
			}
		}
	}
}

static int past_deadline(void)
{
	return now_ns() >= G.deadline;
}

/* ------------------------------------------------------------------------ */
/* phases shared by the scenarios                                           */
/* ------------------------------------------------------------------------ */

static int connect_all(void)
{
	G.ws = xcalloc((size_t)G.nws, sizeof *G.ws);
	for (int i = 0; i < G.nws; i++)
		G.ws[i].fd = -1;
	G.t_connect0 = 0;
	while (G.open + G.failed < G.nws && !past_deadline() && !G.stop) {
		start_connects();
		poll_once(10000000);
	}
	if (G.open + G.failed < G.nws) {
		say("connect phase did not finish: %d open, %d failed of %d", G.open, G.failed, G.nws);
		return -1;
	}
	return G.failed ? -1 : 0;
}

static void probe_refill(void)
{
	textc *t = &G.main;
	while (G.probe_next < G.nws && text_outstanding(t) < PROBE_WINDOW) {
		int i = G.probe_next++;
		if (G.probe_state[i] == 0 && G.ws[i].state == WS_OPEN) {
			G.probe_state[i] = 1;
			G.probe_sent++;
			text_queue_push(t, 'Q', (uint32_t)i, 0);
		}
	}
}

static int ensure_main_text(void)
{
	if (G.main.fd >= 0)
		return 0;
	int r = text_open(&G.main, 0);
	if (r < 0) {
		say("cannot connect to the Text port: %s", strerror(-r));
		return -1;
	}
	return 0;
}

/*
 * Push one probe per uid; uids answered "fail" (not bound yet) are retried.
 * Done when every client received its probe.
 */
static int probe_all(void)
{
	if (ensure_main_text())
		return -1;
	G.probe_state = xcalloc((size_t)G.nws, 1);
	G.probe_cnt = xcalloc((size_t)G.nws, sizeof *G.probe_cnt);
	G.probe_next = 0;
	G.refill = probe_refill;
	uint64_t next_retry = now_ns() + 20000000;
	probe_refill();
	text_flush(&G.main);
	while (G.probes_bound < G.open && !past_deadline() && !G.stop && G.main.fd >= 0) {
		poll_once(5000000);
		uint64_t t = now_ns();
		if (t >= next_retry) {
			int any = 0;
			for (int i = 0; i < G.nws; i++)
				if (G.probe_state[i] == 3) {
					G.probe_state[i] = 0;
					any = 1;
				}
			if (any)
				G.probe_next = 0;
			next_retry = t + 20000000;
			probe_refill();
			text_flush(&G.main);
		}
	}
	G.refill = NULL;
	/* let the probe answers in flight arrive */
	uint64_t until = now_ns() + 1000000000ull;
	while (text_outstanding(&G.main) && now_ns() < until && G.main.fd >= 0)
		poll_once(5000000);
	if (G.probes_bound < G.open) {
		say("binding check: %d of %d clients received their probe", G.probes_bound, G.open);
		return -1;
	}
	return 0;
}

/* wait until the server stops using CPU (it has processed all input) */
static void settle(void)
{
	if (opt.server_pid <= 0) {
		uint64_t until = now_ns() + 300000000ull;
		while (now_ns() < until)
			poll_once(10000000);
		return;
	}
	srv_sample a, b;
	srv_sample_take(&a, 0);
	uint64_t start = now_ns();
	int quiet = 0;
	while (now_ns() - start < 5000000000ull && !past_deadline()) {
		uint64_t until = now_ns() + 50000000ull;
		while (now_ns() < until)
			poll_once(10000000);
		srv_sample_take(&b, 0);
		/* under 2% of a core over 50 ms, twice in a row */
		quiet = b.cpu_ns - a.cpu_ns < 1000000ull ? quiet + 1 : 0;
		a = b;
		if (quiet >= 2)
			break;
	}
}

static void teardown(void)
{
	G.teardown = 1;
	for (int i = 0; i < G.nws; i++)
		ws_close(&G.ws[i], 1);
	if (G.main.fd >= 0)
		close(G.main.fd);
	G.main.fd = -1;
}

/* ------------------------------------------------------------------------ */
/* result line                                                              */
/* ------------------------------------------------------------------------ */

static char result[8192];
static size_t result_len;

static void put(const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	result_len += (size_t)snprintf(result + result_len, sizeof result - result_len, " %s=", key);
	if (result_len < sizeof result)
		result_len += (size_t)vsnprintf(result + result_len, sizeof result - result_len, fmt, ap);
	va_end(ap);
	if (result_len > sizeof result)
		result_len = sizeof result;
}

static int checks_fail;

/*
 * CPU used by anything but the server and this generator while measuring,
 * in % of one core. Other processes on the machine skew every number.
 */
static void put_others(const srv_sample *a, const srv_sample *b)
{
	if (!a->t_ns || b->t_ns <= a->t_ns)
		return;
	double wall = (double)(b->t_ns - a->t_ns);
	double ours = (double)(b->cpu_ns - a->cpu_ns) + (double)(b->gen_ns - a->gen_ns);
	/* precise for live tasks; the tick count also sees processes that exited meanwhile */
	double by_tasks = a->tasks && b->tasks ? (double)snap_delta(a->tasks, b->tasks) - ours : 0;
	double by_ticks = (double)(b->sys_ns - a->sys_ns) - ours;
	double others = by_tasks;
	if (wall >= 2e9 && by_ticks > others) /* ticks are too coarse for short windows */
		others = by_ticks;
	double steal = (double)(b->steal_ns - a->steal_ns);
	if (others < 0)
		others = 0;
	put("others_pct", "%.1f", 100.0 * others / wall);
	put("steal_pct", "%.1f", 100.0 * steal / wall);
	if (100.0 * others / wall > 10) {
		say("warning: other processes used %.0f%% of a core during the measurement", 100.0 * others / wall);
		if (verbose && a->tasks && b->tasks)
			snap_top(a->tasks, b->tasks);
	}
	if (100.0 * steal / wall > 10)
		say("warning: the hypervisor took %.0f%% of a core (steal) during the measurement", 100.0 * steal / wall);
}

static void put_checks(uint64_t lost)
{
	uint64_t errors = (uint64_t)G.connect_err + (uint64_t)G.handshake_err + (uint64_t)G.proto_err +
			  (uint64_t)G.unexpected_close + (uint64_t)G.text_err + G.ans_bad + G.unknown_seq +
			  G.corrupt + G.pusher_err;
	put("lost", "%" PRIu64, lost);
	put("dup", "%" PRIu64, G.dup);
	put("misroute", "%" PRIu64, G.misroute);
	put("fail_answers", "%" PRIu64, G.ans_fail);
	put("errors", "%" PRIu64, errors);
	if (lost || G.dup || G.misroute || G.ans_fail || errors)
		checks_fail = 1;
	if (errors)
		say("errors: connect %d, handshake %d, protocol %d, unexpected close %d, text %d, bad answers %" PRIu64
		    ", unknown seq %" PRIu64 ", corrupt %" PRIu64 ", pusher errors %" PRIu64,
		    G.connect_err, G.handshake_err, G.proto_err, G.unexpected_close, G.text_err, G.ans_bad,
		    G.unknown_seq, G.corrupt, G.pusher_err);
	say("verify: lost %" PRIu64 ", duplicated %" PRIu64 ", misrouted %" PRIu64 ", fail answers %" PRIu64, lost,
	    G.dup, G.misroute, G.ans_fail);
}

static void emit(const char *err)
{
	if (err) {
		put("error", "%s", err);
		checks_fail = 1;
	}
	put("status", "%s", checks_fail ? "FAIL" : "PASS");
	printf("RESULT scenario=%s%s%s%s\n", opt.scenario, opt.label ? " label=" : "", opt.label ? opt.label : "",
	       result);
	fflush(stdout);
	say("%s", checks_fail ? "FAIL" : "PASS");
}

static double per(double a, double b)
{
	return b > 0 ? a / b : 0;
}

static void alloc_seqs(uint64_t n, int with_latency)
{
	G.nseq = n;
	G.seq_cnt = xcalloc(n, 1);
	G.seq_ans = xcalloc(n, 1);
	if (with_latency) {
		G.send_ns = xcalloc(n, sizeof *G.send_ns);
		G.lat_ns = xcalloc(n, sizeof *G.lat_ns);
	}
}

/* connect, bind (probe) and put the common setup keys */
static const char *setup(void)
{
	if (connect_all())
		return "connect";
	say("%d clients connected in %.3f s", G.open, (double)(G.t_last_open - G.t_connect0) / 1e9);
	if (probe_all())
		return "bind";
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* scenarios                                                                */
/* ------------------------------------------------------------------------ */

static int run_conns(void)
{
	srv_sample s0, s1, s2;
	const char *err = NULL;
	if (opt.server_pid > 0)
		settle();
	srv_take(&s0);
	uint64_t g0 = self_cpu_ns();
	if (connect_all())
		err = "connect";
	double secs = G.t_last_open > G.t_connect0 ? (double)(G.t_last_open - G.t_connect0) / 1e9 : 0;
	uint64_t g1 = self_cpu_ns();
	settle();
	int alive = srv_take(&s1);
	if (!err && opt.probe && probe_all())
		err = "bind";
	srv_take(&s2);
	if (opt.expect > 0)
		alloc_seqs((uint64_t)opt.expect, 0);

	put("clients", "%d", G.nws);
	put("connected", "%d", G.open);
	put("bound", "%d", opt.probe ? G.probes_bound : -1);
	put("connect_s", "%.4f", secs);
	put("conn_rate", "%.0f", per(G.open, secs));
	put("gen_cpu_pct", "%.1f", secs > 0 ? 100.0 * (double)(g1 - g0) / 1e9 / secs : 0);
	put_others(&s0, &s1);
	if (opt.server_pid > 0) {
		put("rss_before_kb", "%" PRIu64, s0.rss_kb);
		put("rss_after_kb", "%" PRIu64, s1.rss_kb);
		put("rss_kb_per_conn", "%.3f", per((double)s1.rss_kb - (double)s0.rss_kb, G.open));
		put("rss_probed_kb_per_conn", "%.3f", per((double)s2.rss_kb - (double)s0.rss_kb, G.open));
		put("cpu_us_per_conn", "%.2f", per((double)(s1.cpu_ns - s0.cpu_ns) / 1e3, G.open));
		put("server_procs", "%d", s1.nproc);
		if (!alive && !err)
			err = "server-died";
	}
	put("probe_retries", "%" PRIu64, G.probe_fails);
	say("conns: %d clients, %.0f conns/s, server RSS %+.3f KB/conn, CPU %.2f us/conn", G.open,
	    per(G.open, secs), per((double)s1.rss_kb - (double)s0.rss_kb, G.open),
	    per((double)(s1.cpu_ns - s0.cpu_ns) / 1e3, G.open));

	if (opt.hold && !err) {
		printf("READY clients=%d\n", G.open);
		fflush(stdout);
		say("holding %d clients until SIGTERM", G.open);
		while (!G.stop && !past_deadline())
			poll_once(100000000);
		if (!G.stop)
			say("hold: timeout reached");
	}
	uint64_t lost = 0;
	if (opt.expect > 0) {
		for (uint64_t i = 0; i < G.nseq; i++)
			lost += G.seq_cnt[i] == 0;
		put("expected", "%ld", opt.expect);
		put("received", "%" PRIu64, G.delivered);
	}
	put_checks(lost);
	teardown();
	if (opt.server_pid > 0) {
		/* every client left: what the server kept (after its periodic heap trim) */
		srv_sample s3;
		settle();
		uint64_t until = now_ns() + 700000000ull;
		while (now_ns() < until)
			poll_once(10000000);
		srv_take(&s3);
		put("rss_left_kb", "%.0f", (double)s3.rss_kb - (double)s0.rss_kb);
		say("conns: after all %d clients left, server RSS %+.0f KB over its start", G.open,
		    (double)s3.rss_kb - (double)s0.rss_kb);
	}
	emit(err);
	return checks_fail;
}

static long uc_next;

static uint32_t pick_uid(uint64_t seq)
{
	if (opt.random_order)
		return (uint32_t)(rng_next() % (uint64_t)G.nws);
	return (uint32_t)(seq % (uint64_t)G.nws);
}

static void unicast_refill(void)
{
	textc *t = &G.main;
	while (uc_next < opt.pushes && text_outstanding(t) < (uint64_t)opt.window) {
		text_queue_push(t, 'P', pick_uid((uint64_t)uc_next), (uint64_t)uc_next);
		uc_next++;
	}
}

static uint64_t lost_count(void)
{
	uint64_t lost = 0;
	for (uint64_t i = 0; i < G.nseq; i++)
		lost += G.seq_cnt[i] == 0;
	return lost;
}

/* wait until every push is answered and every "ok" push arrived */
static void drain(long total)
{
	uint64_t quiet_until = 0;
	while (!past_deadline() && !G.stop && G.main.fd >= 0) {
		int answered = G.ans_ok + G.ans_fail + G.ans_bad >= (uint64_t)total;
		if (answered && G.delivered >= G.ans_ok)
			break;
		if (answered && !quiet_until)
			quiet_until = now_ns() + 2000000000ull;
		if (quiet_until && now_ns() > quiet_until)
			break;
		poll_once(2000000);
	}
}

static int run_unicast(void)
{
	const char *err = setup();
	alloc_seqs((uint64_t)opt.pushes, 0);
	G.frames = 0;
	srv_sample s0, s1;
	double secs = 0;
	uint64_t g0 = 0, g1 = 0, t0 = 0;
	if (!err) {
		srv_take(&s0);
		g0 = self_cpu_ns();
		t0 = now_ns();
		G.spin = opt.spin;
		G.refill = unicast_refill;
		unicast_refill();
		text_flush(&G.main);
		drain(opt.pushes);
		G.spin = 0;
		G.refill = NULL;
		g1 = self_cpu_ns();
		if (!srv_take(&s1) && opt.server_pid > 0)
			err = "server-died";
		if (G.ans_ok + G.ans_fail + G.ans_bad < (uint64_t)opt.pushes && !err)
			err = G.main.fd < 0 ? "text-connection" : "timeout";
		uint64_t tend = G.t_last_frame > t0 ? G.t_last_frame : now_ns();
		secs = (double)(tend - t0) / 1e9;
	} else {
		memset(&s0, 0, sizeof s0);
		s1 = s0;
	}
	double ans_secs = G.t_last_answer > t0 && t0 ? (double)(G.t_last_answer - t0) / 1e9 : 0;
	put("clients", "%d", G.nws);
	put("pushes", "%ld", opt.pushes);
	put("window", "%d", opt.window);
	put("size", "%d", opt.size);
	put("delivered", "%" PRIu64, G.delivered);
	put("secs", "%.4f", secs);
	put("msgs_per_s", "%.0f", per((double)G.delivered, secs));
	put("answers_per_s", "%.0f", per((double)(G.ans_ok + G.ans_fail), ans_secs));
	if (opt.server_pid > 0) {
		put("cpu_us_per_msg", "%.3f", per((double)(s1.cpu_ns - s0.cpu_ns) / 1e3, (double)G.delivered));
		put("srv_cpu_pct", "%.1f", per(100.0 * (double)(s1.cpu_ns - s0.cpu_ns) / 1e9, secs));
	}
	put("gen_cpu_pct", "%.1f", per(100.0 * (double)(g1 - g0) / 1e9, secs));
	put_others(&s0, &s1);
	say("unicast: %d clients, %" PRIu64 " delivered in %.3f s = %.0f msgs/s (server %.1f%% CPU, generator %.1f%%)",
	    G.nws, G.delivered, secs, per((double)G.delivered, secs),
	    per(100.0 * (double)(s1.cpu_ns - s0.cpu_ns) / 1e9, secs), per(100.0 * (double)(g1 - g0) / 1e9, secs));
	put_checks(err ? G.nseq - G.delivered : lost_count());
	teardown();
	emit(err);
	return checks_fail;
}

static double cpp_t_end;

static void cpp_next(textc *t)
{
	long seq;
	if (t->retry) {
		seq = t->seq;
	} else {
		if (G.cpp_next >= opt.pushes || (double)now_ns() > cpp_t_end || G.stop || past_deadline())
			return;
		seq = G.cpp_next++;
	}
	t->seq = seq;
	t->retry = 0;
	t->head = t->tail = 0;
	t->out_len = t->out_off = 0;
	t->want_out = 0;
	t->connecting = 0;
	text_queue_push(t, 'P', pick_uid((uint64_t)seq), (uint64_t)seq);
	int r = text_open(t, 1);
	if (r < 0) {
		G.cpp_connect_err++;
		if (G.cpp_connect_err < 5)
			say("pusher connect: %s", strerror(-r));
		t->fd = -1;
		t->retry = 1;
		return;
	}
	if (!t->connecting)
		text_flush(t);
}

static int run_cpp(void)
{
	const char *err = setup();
	alloc_seqs((uint64_t)opt.pushes, 0);
	srv_sample s0, s1;
	memset(&s0, 0, sizeof s0);
	s1 = s0;
	double secs = 0;
	uint64_t g0 = 0, g1 = 0;
	if (!err) {
		G.npushers = opt.pushers;
		G.pushers = xcalloc((size_t)opt.pushers, sizeof *G.pushers);
		for (int i = 0; i < opt.pushers; i++)
			text_init(&G.pushers[i], i + 1, 4);
		srv_take(&s0);
		g0 = self_cpu_ns();
		uint64_t t0 = now_ns();
		cpp_t_end = (double)t0 + opt.duration * 1e9;
		G.spin = opt.spin;
		for (int i = 0; i < opt.pushers; i++)
			cpp_next(&G.pushers[i]);
		for (;;) {
			int active = 0;
			for (int i = 0; i < opt.pushers; i++) {
				if (G.pushers[i].fd < 0 && !past_deadline() && !G.stop)
					cpp_next(&G.pushers[i]); /* after a connect error */
				if (G.pushers[i].fd >= 0 || G.pushers[i].retry)
					active++;
			}
			if (!active || past_deadline() || G.stop)
				break;
			if (G.cpp_connect_err > 1000) {
				err = "connect";
				break;
			}
			poll_once(1000000);
		}
		uint64_t t1 = now_ns();
		G.spin = 0;
		secs = (double)(t1 - t0) / 1e9;
		/* frames of the last pushes */
		uint64_t until = now_ns() + 2000000000ull;
		while (G.delivered < G.ans_ok && now_ns() < until)
			poll_once(2000000);
		g1 = self_cpu_ns();
		if (!srv_take(&s1) && opt.server_pid > 0)
			err = "server-died";
	}
	G.nseq = (uint64_t)G.cpp_next; /* pushes actually made (duration cap) */
	put("clients", "%d", G.nws);
	put("pushers", "%d", opt.pushers);
	put("pushes", "%ld", G.cpp_done);
	put("delivered", "%" PRIu64, G.delivered);
	put("secs", "%.4f", secs);
	put("pushes_per_s", "%.0f", per((double)G.cpp_done, secs));
	if (opt.server_pid > 0) {
		put("cpu_us_per_push", "%.3f", per((double)(s1.cpu_ns - s0.cpu_ns) / 1e3, (double)G.cpp_done));
		put("srv_cpu_pct", "%.1f", per(100.0 * (double)(s1.cpu_ns - s0.cpu_ns) / 1e9, secs));
	}
	put("gen_cpu_pct", "%.1f", per(100.0 * (double)(g1 - g0) / 1e9, secs));
	put_others(&s0, &s1);
	put("connect_retries", "%" PRIu64, G.cpp_connect_err);
	say("cpp: %d pushers, %ld pushes in %.3f s = %.0f pushes/s, server %.2f us/push", opt.pushers, G.cpp_done,
	    secs, per((double)G.cpp_done, secs), per((double)(s1.cpu_ns - s0.cpu_ns) / 1e3, (double)G.cpp_done));
	if ((uint64_t)G.cpp_done != G.nseq && !err)
		err = "unanswered";
	put_checks(lost_count());
	teardown();
	emit(err);
	return checks_fail;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t pct(const uint64_t *sorted, uint64_t n, double q)
{
	if (!n)
		return 0;
	uint64_t i = (uint64_t)(q * (double)(n - 1) + 0.5);
	return sorted[i < n ? i : n - 1];
}

static int run_paced(void)
{
	const char *err = setup();
	uint64_t total = (uint64_t)(opt.rate * opt.duration + 0.5);
	alloc_seqs(total, 1);
	srv_sample s0, s1;
	memset(&s0, 0, sizeof s0);
	s1 = s0;
	double secs = 0;
	uint64_t g0 = 0, g1 = 0;
	uint64_t late_max = 0;
	if (!err) {
		textc *t = &G.main;
		srv_take(&s0);
		g0 = self_cpu_ns();
		uint64_t t0 = now_ns() + 1000000;
		double period = 1e9 / opt.rate;
		G.spin = opt.spin;
		uint64_t i = 0;
		while (i < total && !past_deadline() && !G.stop && t->fd >= 0) {
			uint64_t due = t0 + (uint64_t)((double)i * period);
			uint64_t now = now_ns();
			if (now >= due) {
				if (now - due > late_max)
					late_max = now - due;
				text_queue_push(t, 'P', pick_uid(i), i);
				G.send_ns[i] = now_ns();
				text_flush(t);
				i++;
				continue;
			}
			poll_once(due - now);
		}
		uint64_t t1 = now_ns();
		secs = (double)(t1 - t0) / 1e9;
		drain((long)i);
		G.spin = 0;
		g1 = self_cpu_ns();
		if (!srv_take(&s1) && opt.server_pid > 0)
			err = "server-died";
		if (i < total && !err)
			err = t->fd < 0 ? "text-connection" : "timeout";
	}
	qsort(G.lat_ns, G.nlat, sizeof *G.lat_ns, cmp_u64);
	uint64_t sum = 0;
	for (uint64_t i = 0; i < G.nlat; i++)
		sum += G.lat_ns[i];
	put("clients", "%d", G.nws);
	put("rate", "%.0f", opt.rate);
	put("duration", "%.1f", opt.duration);
	put("pushes", "%" PRIu64, total);
	put("delivered", "%" PRIu64, G.delivered);
	put("p50_us", "%.1f", (double)pct(G.lat_ns, G.nlat, 0.50) / 1e3);
	put("p90_us", "%.1f", (double)pct(G.lat_ns, G.nlat, 0.90) / 1e3);
	put("p99_us", "%.1f", (double)pct(G.lat_ns, G.nlat, 0.99) / 1e3);
	put("max_us", "%.1f", G.nlat ? (double)G.lat_ns[G.nlat - 1] / 1e3 : 0);
	put("mean_us", "%.1f", G.nlat ? (double)sum / (double)G.nlat / 1e3 : 0);
	put("send_late_max_us", "%.1f", (double)late_max / 1e3);
	if (opt.server_pid > 0) {
		put("cpu_us_per_msg", "%.3f", per((double)(s1.cpu_ns - s0.cpu_ns) / 1e3, (double)G.delivered));
		put("srv_cpu_pct", "%.1f", per(100.0 * (double)(s1.cpu_ns - s0.cpu_ns) / 1e9, secs));
	}
	put("gen_cpu_pct", "%.1f", per(100.0 * (double)(g1 - g0) / 1e9, secs));
	put_others(&s0, &s1);
	say("paced: %.0f/s to %d clients for %.1f s: p50 %.0f us, p99 %.0f us, max %.0f us, server %.1f%% CPU",
	    opt.rate, G.nws, opt.duration, (double)pct(G.lat_ns, G.nlat, 0.5) / 1e3,
	    (double)pct(G.lat_ns, G.nlat, 0.99) / 1e3, G.nlat ? (double)G.lat_ns[G.nlat - 1] / 1e3 : 0,
	    per(100.0 * (double)(s1.cpu_ns - s0.cpu_ns) / 1e9, secs));
	put_checks(lost_count());
	teardown();
	emit(err);
	return checks_fail;
}

static int run_broadcast(void)
{
	const char *err = setup();
	G.nbc = opt.bcasts;
	G.bc_cnt = xcalloc((size_t)G.nws * (size_t)G.nbc, 1);
	G.bc_got = xcalloc((size_t)G.nbc, sizeof *G.bc_got);
	G.bc_sent_ns = xcalloc((size_t)G.nbc, sizeof *G.bc_sent_ns);
	G.bc_last_ns = xcalloc((size_t)G.nbc, sizeof *G.bc_last_ns);
	G.bc_answer_count = xcalloc((size_t)G.nbc, sizeof *G.bc_answer_count);
	G.bc_done = xcalloc((size_t)G.nbc, 1);
	for (int k = 0; k < G.nbc; k++)
		G.bc_answer_count[k] = -2; /* no answer */
	srv_sample s0, s1;
	memset(&s0, 0, sizeof s0);
	s1 = s0;
	double secs = 0;
	uint64_t g0 = 0, g1 = 0, t0 = 0;
	uint64_t *fan = xcalloc((size_t)G.nbc, sizeof *fan);
	int nfan = 0, timeouts = 0;
	if (!err) {
		textc *t = &G.main;
		srv_take(&s0);
		g0 = self_cpu_ns();
		t0 = now_ns();
		G.spin = opt.spin;
		int sent = 0, done = 0;
		while (done < G.nbc && !past_deadline() && !G.stop && t->fd >= 0) {
			while (sent < G.nbc && sent - done < opt.bcast_window) {
				text_queue_bcast(t, sent);
				G.bc_sent_ns[sent] = now_ns();
				text_flush(t);
				sent++;
			}
			poll_once(2000000);
			uint64_t now = now_ns();
			for (int k = 0; k < sent; k++) {
				if (G.bc_done[k])
					continue;
				int complete = G.bc_got[k] >= (uint32_t)G.open && G.bc_answer_count[k] != -2;
				if (complete || now - G.bc_sent_ns[k] > 10000000000ull) {
					G.bc_done[k] = 1;
					done++;
					if (complete)
						fan[nfan++] = G.bc_last_ns[k] - G.bc_sent_ns[k];
					else
						timeouts++;
				}
			}
		}
		G.spin = 0;
		g1 = self_cpu_ns();
		if (!srv_take(&s1) && opt.server_pid > 0)
			err = "server-died";
		if (done < G.nbc && !err)
			err = "timeout";
		uint64_t tend = G.t_last_frame > t0 ? G.t_last_frame : now_ns();
		secs = (double)(tend - t0) / 1e9;
	}
	uint64_t lost = 0;
	int64_t count_min = -1;
	for (int k = 0; k < G.nbc; k++) {
		lost += (uint64_t)G.open - G.bc_got[k];
		if (count_min < 0 || G.bc_answer_count[k] < count_min)
			count_min = G.bc_answer_count[k];
	}
	qsort(fan, (size_t)nfan, sizeof *fan, cmp_u64);
	put("clients", "%d", G.nws);
	put("broadcasts", "%d", G.nbc);
	put("window", "%d", opt.bcast_window);
	put("deliveries", "%" PRIu64, G.bc_delivered);
	put("secs", "%.4f", secs);
	put("deliveries_per_s", "%.0f", per((double)G.bc_delivered, secs));
	put("fanout_p50_ms", "%.3f", (double)pct(fan, (uint64_t)nfan, 0.5) / 1e6);
	put("fanout_max_ms", "%.3f", nfan ? (double)fan[nfan - 1] / 1e6 : 0);
	put("answer_count_min", "%" PRId64, count_min);
	if (opt.server_pid > 0) {
		put("cpu_us_per_delivery", "%.3f", per((double)(s1.cpu_ns - s0.cpu_ns) / 1e3, (double)G.bc_delivered));
		put("srv_cpu_pct", "%.1f", per(100.0 * (double)(s1.cpu_ns - s0.cpu_ns) / 1e9, secs));
	}
	put("gen_cpu_pct", "%.1f", per(100.0 * (double)(g1 - g0) / 1e9, secs));
	put_others(&s0, &s1);
	say("broadcast: %d x %d clients, %.0f deliveries/s, fan-out p50 %.2f ms", G.nbc, G.nws,
	    per((double)G.bc_delivered, secs), (double)pct(fan, (uint64_t)nfan, 0.5) / 1e6);
	if (count_min >= 0 && count_min != G.open) {
		say("broadcast: server reported count %" PRId64 ", %d clients are bound", count_min, G.open);
		if (!err)
			err = "count";
	}
	if (timeouts && !err)
		err = "timeout";
	put_checks(lost);
	free(fan);
	teardown();
	emit(err);
	return checks_fail;
}

/*
 * Pusher: N pusher-js-shaped clients on /app/{key}, each subscribed to one of
 * --channels public channels (client i to bench-<i mod channels>); then M
 * events, each to one channel, through the signed HTTP API on P keep-alive
 * connections, one request in flight on each. The channels of a connection
 * are its own (k mod P), so the events of a channel are triggered one after
 * the other, and every subscriber must see each exactly once, in order.
 */
static int run_pusher(void)
{
	const char *err = NULL;
	int nch = opt.channels;
	PU.nch = nch;
	PU.napi = opt.pushers < nch ? opt.pushers : nch;
	/* a connection round-robins over its channels: none gets more than this */
	int min_per_conn = nch / PU.napi;
	PU.cap = (uint32_t)((opt.pushes + min_per_conn - 1) / min_per_conn) + 1;
	PU.state = xcalloc((size_t)G.nws, 1);
	PU.subs = xcalloc((size_t)nch, sizeof *PU.subs);
	PU.sent = xcalloc((size_t)nch, sizeof *PU.sent);
	PU.ok = xcalloc((size_t)nch, sizeof *PU.ok);
	PU.seen_stride = (PU.cap + 7) / 8;
	PU.seen = xcalloc((size_t)G.nws, PU.seen_stride);
	PU.next = xcalloc((size_t)G.nws, sizeof *PU.next);
	PU.got = xcalloc((size_t)G.nws, sizeof *PU.got);
	PU.ev_sent_ns = xcalloc((size_t)nch * PU.cap, sizeof *PU.ev_sent_ns);
	PU.ev_last_ns = xcalloc((size_t)nch * PU.cap, sizeof *PU.ev_last_ns);
	PU.ev_got = xcalloc((size_t)nch * PU.cap, sizeof *PU.ev_got);
	PU.api_lat_ns = xcalloc((size_t)opt.pushes, sizeof *PU.api_lat_ns);
	PU.data = xrealloc(NULL, PU_DATA_MAX + 1);
	PU.body = xrealloc(NULL, 2 * PU_DATA_MAX + 256);
	PU.req = xrealloc(NULL, 2 * PU_DATA_MAX + 2048);
	PU.api = xcalloc((size_t)PU.napi, sizeof *PU.api);
	for (int h = 0; h < PU.napi; h++) {
		apic *a = &PU.api[h];
		a->fd = -1;
		a->id = h;
		a->rr = h;
		a->in = xrealloc(NULL, API_IN_CAP);
	}

	/* connect, then each client subscribes once connection_established arrives */
	uint64_t t_sub0 = now_ns();
	if (connect_all())
		err = "connect";
	while (!err && PU.subscribed < G.open && !past_deadline() && !G.stop) {
		poll_once(10000000);
		if (G.pusher_err || G.proto_err || G.unexpected_close)
			break;
	}
	double sub_secs = (double)(G.t_last_open - t_sub0) / 1e9;
	if (!err && PU.subscribed < G.nws) {
		say("subscribe phase: %d connected, %d established, %d subscribed of %d", G.open, PU.established,
		    PU.subscribed, G.nws);
		err = "subscribe";
	}
	if (!err)
		say("%d clients connected and subscribed to %d channels in %.3f s", PU.subscribed, nch, sub_secs);

	srv_sample s0, s1;
	memset(&s0, 0, sizeof s0);
	s1 = s0;
	double secs = 0;
	uint64_t g0 = 0, g1 = 0, t0 = 0;
	if (!err) {
		settle();
		srv_take(&s0);
		g0 = self_cpu_ns();
		t0 = now_ns();
		G.spin = opt.spin;
		for (int h = 0; h < PU.napi; h++)
			api_start(&PU.api[h]);
		uint64_t quiet_from = 0;
		while (!past_deadline() && !G.stop) {
			poll_once(2000000);
			for (int h = 0; h < PU.napi; h++)
				if (!PU.api[h].busy)
					api_start(&PU.api[h]);
			if (PU.answered < (uint64_t)opt.pushes)
				continue;
			if (PU.deliveries >= PU.expect)
				break;
			/* every event answered: wait for the deliveries while they keep coming */
			uint64_t last = G.t_last_frame > G.t_last_answer ? G.t_last_frame : G.t_last_answer;
			if (last > quiet_from)
				quiet_from = last;
			if (now_ns() - quiet_from > 2000000000ull)
				break;
		}
		G.spin = 0;
		g1 = self_cpu_ns();
		if (!srv_take(&s1) && opt.server_pid > 0)
			err = "server-died";
		if (PU.answered < (uint64_t)opt.pushes && !err)
			err = "timeout";
		uint64_t tend = G.t_last_frame > G.t_last_answer ? G.t_last_frame : G.t_last_answer;
		secs = tend > t0 ? (double)(tend - t0) / 1e9 : 0;
	}

	/* every subscriber of channel k must have each event answered 200 for k */
	uint64_t lost = 0;
	for (int i = 0; i < G.nws; i++) {
		uint32_t want = PU.state[i] == PU_SUBSCRIBED ? PU.ok[i % nch] : 0;
		if (PU.got[i] < want)
			lost += want - PU.got[i];
	}
	/* fan-out: request written -> its last subscriber received it */
	uint64_t *fan = xcalloc((size_t)opt.pushes + 1, sizeof *fan), nfan = 0;
	for (int k = 0; k < nch; k++)
		for (uint32_t q = 0; q < PU.sent[k]; q++) {
			size_t e = (size_t)k * PU.cap + q;
			if (PU.ev_got[e] && PU.ev_got[e] == PU.subs[k] && PU.ev_last_ns[e] >= PU.ev_sent_ns[e])
				fan[nfan++] = PU.ev_last_ns[e] - PU.ev_sent_ns[e];
		}
	qsort(fan, (size_t)nfan, sizeof *fan, cmp_u64);
	qsort(PU.api_lat_ns, (size_t)PU.napi_lat, sizeof *PU.api_lat_ns, cmp_u64);

	put("clients", "%d", G.nws);
	put("channels", "%d", nch);
	put("subscribed", "%d", PU.subscribed);
	put("subscribe_s", "%.3f", sub_secs);
	put("http_conns", "%d", PU.napi);
	put("events", "%" PRIu64, G.ans_ok);
	put("deliveries", "%" PRIu64, PU.deliveries);
	put("secs", "%.4f", secs);
	put("deliveries_per_s", "%.0f", per((double)PU.deliveries, secs));
	put("events_per_s", "%.0f", per((double)G.ans_ok, secs));
	put("api_p50_ms", "%.3f", (double)pct(PU.api_lat_ns, PU.napi_lat, 0.5) / 1e6);
	put("api_p99_ms", "%.3f", (double)pct(PU.api_lat_ns, PU.napi_lat, 0.99) / 1e6);
	put("fanout_p50_ms", "%.3f", (double)pct(fan, nfan, 0.5) / 1e6);
	put("fanout_p99_ms", "%.3f", (double)pct(fan, nfan, 0.99) / 1e6);
	put("fanout_max_ms", "%.3f", nfan ? (double)fan[nfan - 1] / 1e6 : 0);
	put("reconnects", "%" PRIu64, PU.reconnects);
	put("reorder", "%" PRIu64, PU.reorder);
	if (opt.server_pid > 0) {
		double cpu_us = (double)(s1.cpu_ns - s0.cpu_ns) / 1e3;
		put("cpu_us_per_delivery", "%.3f", per(cpu_us, (double)PU.deliveries));
		put("cpu_us_per_event", "%.2f", per(cpu_us, (double)G.ans_ok));
		put("srv_cpu_pct", "%.1f", per(100.0 * cpu_us / 1e6, secs));
	}
	put("gen_cpu_pct", "%.1f", per(100.0 * (double)(g1 - g0) / 1e9, secs));
	put_others(&s0, &s1);
	say("pusher: %" PRIu64 " events to %d channels of %d clients, %.0f deliveries/s, %.0f events/s, fan-out p50 %.2f ms",
	    G.ans_ok, nch, G.nws, per((double)PU.deliveries, secs), per((double)G.ans_ok, secs),
	    (double)pct(fan, nfan, 0.5) / 1e6);
	if (PU.reorder) {
		say("order: %" PRIu64 " deliveries came before an earlier event of their channel", PU.reorder);
		checks_fail = 1;
	}
	put_checks(lost);
	free(fan);
	teardown();
	for (int h = 0; h < PU.napi; h++)
		api_close(&PU.api[h]);
	emit(err);
	return checks_fail;
}

/* ------------------------------------------------------------------------ */
/* self test: SHA-1, accept key, frame parser                               */
/* ------------------------------------------------------------------------ */

static int run_selftest(void)
{
	int bad = 0;
	uint8_t d[20];
	char hex[41], acc[32];
	sha1_ctx s;
	sha1_init(&s);
	sha1_update(&s, "abc", 3);
	sha1_final(&s, d);
	for (int i = 0; i < 20; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
	if (strcmp(hex, "a9993e364706816aba3e25717850c26c9cd0d89d"))
		bad++, say("sha1(abc) = %s", hex);
	sha1_init(&s);
	static const char m2[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha1_update(&s, m2, sizeof m2 - 1);
	sha1_final(&s, d);
	for (int i = 0; i < 20; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
	if (strcmp(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"))
		bad++, say("sha1(448 bits) = %s", hex);
	ws_accept_for("dGhlIHNhbXBsZSBub25jZQ==", acc);
	if (strcmp(acc, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
		bad++, say("accept = %s", acc);

	/* SHA-256, HMAC-SHA256 (RFC 4231 case 2, a key longer than a block, Pusher's signing), MD5 */
	{
		static const struct {
			const char *key, *msg, *want; /* key NULL: plain SHA-256 */
		} hv[] = {
		    {NULL, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		    {NULL, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		    {"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
		    {"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", "x",
		     "8c1858bff6cf9cb73708b4b54f43bca6e1b8b4c3380760dc009001b265b64c6f"},
		    {"7ad3773142a6692b25b8",
		     "POST\n/apps/3/channels/test_channel/events\nauth_key=278d425bdf160c739803&auth_timestamp=1272044395&"
		     "auth_version=1.0&body_md5=7b3d404f5cde4a0b9b8fb4789a0098cb&name=foo",
		     "309fc4be20f04e53e011b00744642d3fe66c2c7c5686f35ed6cd2af6f202e445"},
		};
		for (size_t i = 0; i < sizeof hv / sizeof hv[0]; i++) {
			uint8_t dg[32];
			char hx[65];
			if (hv[i].key) {
				hmac_sha256(hv[i].key, strlen(hv[i].key), hv[i].msg, strlen(hv[i].msg), dg);
			} else {
				push_sha256(hv[i].msg, strlen(hv[i].msg), dg);
			}
			hex_encode(dg, 32, hx);
			if (strcmp(hx, hv[i].want))
				bad++, say("sha256/hmac vector %zu = %s", i, hx);
		}
		static const struct {
			const char *msg, *want;
		} mv[] = {
		    {"", "d41d8cd98f00b204e9800998ecf8427e"},
		    {"abc", "900150983cd24fb0d6963f7d28e17f72"},
		    {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
		     "57edf4a22be3c955ac49da2e2107b67a"},
		};
		for (size_t i = 0; i < sizeof mv / sizeof mv[0]; i++) {
			uint8_t dg[16];
			char hx[33];
			md5(mv[i].msg, strlen(mv[i].msg), dg);
			hex_encode(dg, 16, hx);
			if (strcmp(hx, mv[i].want))
				bad++, say("md5 vector %zu = %s", i, hx);
		}
	}

	/* Pusher messages: string members at the top level only, unescaped */
	{
		static const char m[] = "{\"data\":\"{\\\"socket_id\\\":\\\"1.2\\\",\\\"x\\\":\\\"\\u00e9\\\\\\\"\\\"}\","
					"\"nested\":{\"event\":\"no\",\"a\":[1,\"}\",{}]},\"n\":-1.5e3,\"t\":true,"
					"\"event\" : \"pusher:connection_established\"}";
		char out[128], sid[16];
		size_t ol = 0, sl = 0;
		if (json_str_member(m, sizeof m - 1, "event", out, sizeof out, &ol) != 1 ||
		    strcmp(out, "pusher:connection_established"))
			bad++, say("json_str_member event: %s", out);
		if (json_str_member(m, sizeof m - 1, "data", out, sizeof out, &ol) != 1 ||
		    strcmp(out, "{\"socket_id\":\"1.2\",\"x\":\"\xc3\xa9\\\"\"}") ||
		    json_str_member(out, ol, "socket_id", sid, sizeof sid, &sl) != 1 || strcmp(sid, "1.2") ||
		    json_str_member(out, ol, "x", sid, sizeof sid, &sl) != 1 || strcmp(sid, "\xc3\xa9\""))
			bad++, say("json_str_member data: %s", out);
		if (json_str_member(m, sizeof m - 1, "channel", out, sizeof out, &ol) != 0 ||
		    json_str_member(m, sizeof m - 1, "n", out, sizeof out, &ol) != 0 ||
		    json_str_member("{\"event\":\"x", 11, "event", out, sizeof out, &ol) != -1 ||
		    json_str_member("{\"a\":1 \"event\":\"x\"}", 19, "event", out, sizeof out, &ol) != -1)
			bad++, say("json_str_member: absent, not a string, malformed");
		opt.size = 100;
		char d[PU_DATA_MAX + 1];
		if (pu_data(d, 7, 42) != 100 || strlen(d) != 100 || strncmp(d, "{\"ch\":7,\"seq\":42,\"pad\":\"xx", 26) ||
		    strcmp(d + 98, "\"}"))
			bad++, say("pu_data: %s", d);
	}

	/* HTTP answers: Content-Length, chunked, incomplete, keep-alive or close */
	{
		static const char a1[] = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
		static const char a2[] = "HTTP/1.1 413 Payload Too Large\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
					 "3\r\n{\"a\r\n2\r\n\"}\r\n0\r\n\r\n";
		static const char a3[] = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n";
		int st = 0, cl = 0;
		for (size_t cut = 0; cut < sizeof a1 - 1; cut++)
			if (http_answer_len(a1, cut, &st, &cl) != 0)
				bad++, say("http_answer_len: %zu bytes of a1 taken as complete", cut);
		for (size_t cut = 0; cut < sizeof a2 - 1; cut++)
			if (http_answer_len(a2, cut, &st, &cl) != 0)
				bad++, say("http_answer_len: %zu bytes of a2 taken as complete", cut);
		if (http_answer_len(a1, sizeof a1 - 1, &st, &cl) != (long)sizeof a1 - 1 || st != 200 || cl)
			bad++, say("http_answer_len a1");
		if (http_answer_len(a2, sizeof a2 - 1, &st, &cl) != (long)sizeof a2 - 1 || st != 413 || !cl)
			bad++, say("http_answer_len a2");
		if (http_answer_len(a3, sizeof a3 - 1, &st, &cl) != (long)sizeof a3 - 1 || st != 200 || !cl)
			bad++, say("http_answer_len a3");
		if (http_answer_len("HTTP/1.1 200 OK\r\n\r\n{}", 21, &st, &cl) != -1 ||
		    http_answer_len("SSH-2.0-x\r\n\r\n", 13, &st, &cl) != -1)
			bad++, say("http_answer_len: a body up to the close, or not HTTP");
	}

	/* broadcast answers */
	long long num = -1;
	static const char a1[] = "{\"ok\":true,\"count\":10000}", a2[] = "{ \"ok\" : false , \"count\": 7 }";
	if (json_member(a1, sizeof a1 - 1, "ok", &num) != 't' || json_member(a1, sizeof a1 - 1, "count", &num) != '0' ||
	    num != 10000 || json_member(a2, sizeof a2 - 1, "ok", &num) != 'f' ||
	    json_member(a2, sizeof a2 - 1, "count", &num) != '0' || num != 7 ||
	    json_member(a2, sizeof a2 - 1, "missing", &num) != 0)
		bad++, say("json_member");

	/* frames: 7/16/64-bit lengths, split anywhere, ping, fragments */
	opt.size = 32;
	G.nws = 1;
	G.ws = xcalloc(1, sizeof *G.ws);
	int sp[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sp))
		die("socketpair: %s", strerror(errno));
	G.ws[0].fd = sp[0]; /* pongs go to sp[1] */
	G.ws[0].state = WS_OPEN;
	alloc_seqs(8, 0);
	uint8_t stream[200000];
	size_t sl = 0;
	char pl[80000];
	/* seq 0: 32 bytes, 7-bit */
	opt.size = 32;
	make_payload(pl, 'P', 0, 0);
	stream[sl++] = 0x81;
	stream[sl++] = 32;
	memcpy(stream + sl, pl, 32), sl += 32;
	/* seq 1: 300 bytes, 16-bit */
	opt.size = 300;
	make_payload(pl, 'P', 0, 1);
	stream[sl++] = 0x81;
	stream[sl++] = 126;
	stream[sl++] = 300 >> 8;
	stream[sl++] = 300 & 255;
	memcpy(stream + sl, pl, 300), sl += 300;
	/* a ping in between */
	stream[sl++] = 0x89;
	stream[sl++] = 0;
	/* seq 2: 70000 bytes, 64-bit */
	opt.size = 70000;
	make_payload(pl, 'P', 0, 2);
	stream[sl++] = 0x82;
	stream[sl++] = 127;
	for (int i = 7; i >= 0; i--)
		stream[sl++] = (uint8_t)((uint64_t)70000 >> (8 * i));
	memcpy(stream + sl, pl, 70000), sl += 70000;
	/* seq 3: 32 bytes in three fragments */
	opt.size = 32;
	make_payload(pl, 'P', 0, 3);
	stream[sl++] = 0x01, stream[sl++] = 10, memcpy(stream + sl, pl, 10), sl += 10;
	stream[sl++] = 0x00, stream[sl++] = 10, memcpy(stream + sl, pl + 10, 10), sl += 10;
	stream[sl++] = 0x80, stream[sl++] = 12, memcpy(stream + sl, pl + 20, 12), sl += 12;
	/* replay with every chunking from 1 byte up; size checks use opt.size per message, so
	 * the mixed sizes are checked through padding_ok for the 32-byte ones only */
	size_t chunks[] = {1, 2, 3, 7, 64, 1000, sl};
	for (size_t ci = 0; ci < sizeof chunks / sizeof chunks[0]; ci++) {
		memset(G.seq_cnt, 0, G.nseq);
		G.delivered = G.dup = G.corrupt = G.misroute = 0;
		G.pings = 0;
		uint8_t *copy = xrealloc(NULL, sl);
		memcpy(copy, stream, sl);
		/* the 300 and 70000 byte payloads are corrupt for size 32: count them apart */
		for (size_t off = 0; off < sl; off += chunks[ci]) {
			size_t n = sl - off < chunks[ci] ? sl - off : chunks[ci];
			ws_feed(&G.ws[0], copy + off, n, 1);
		}
		free(copy);
		if (G.delivered != 2 || G.corrupt != 2 || G.pings != 1 || G.ws[0].in_len ||
		    G.seq_cnt[0] != 1 || G.seq_cnt[3] != 1)
			bad++, say("frame parse with chunk %zu: delivered %" PRIu64 " corrupt %" PRIu64 " pings %d",
				   chunks[ci], G.delivered, G.corrupt, G.pings);
	}

	/* a Pusher client: connection_established -> subscribe; deliveries checked once, in order, exact */
	{
		PU.nch = 1;
		PU.cap = 8;
		PU.seen_stride = 1;
		PU.state = xcalloc(1, 1);
		PU.subs = xcalloc(1, sizeof *PU.subs);
		PU.sent = xcalloc(1, sizeof *PU.sent);
		PU.seen = xcalloc(1, 1);
		PU.next = xcalloc(1, sizeof *PU.next);
		PU.got = xcalloc(1, sizeof *PU.got);
		PU.ev_last_ns = xcalloc(8, sizeof *PU.ev_last_ns);
		PU.ev_got = xcalloc(8, sizeof *PU.ev_got);
		PU.sent[0] = 4;
		opt.size = 100;
		char frame[512], d[PU_DATA_MAX + 1];
		uint8_t got[512];
		while (read(sp[1], got, sizeof got) > 0)
			; /* the pongs of the frame test */
		static const char est[] = "{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"1.7\\\","
					  "\\\"activity_timeout\\\":120}\"}";
		pu_message(0, (const uint8_t *)est, sizeof est - 1, 1);
		ssize_t r = read(sp[1], got, sizeof got);
		static const char sub[] = "{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"bench-0\"}}";
		if (PU.state[0] != PU_SUBSCRIBING || r != (ssize_t)(sizeof sub - 1 + 6) || got[0] != 0x81) {
			bad++, say("pusher: no subscribe after connection_established");
		} else {
			for (size_t i = 0; i < sizeof sub - 1; i++)
				got[6 + i] ^= got[2 + (i & 3)];
			if (memcmp(got + 6, sub, sizeof sub - 1))
				bad++, say("pusher: subscribe sent: %.*s", (int)(sizeof sub - 1), got + 6);
		}
		static const char ok[] = "{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"bench-0\","
					 "\"data\":\"{}\"}";
		pu_message(0, (const uint8_t *)ok, sizeof ok - 1, 1);
		if (PU.state[0] != PU_SUBSCRIBED || PU.subs[0] != 1)
			bad++, say("pusher: subscription_succeeded not taken");
		/* seq 0, 2, 1, 1 again, then one on another channel, one with other bytes, one not sent */
		static const struct {
			const char *ch;
			int seq, mangle;
		} in[] = {{"bench-0", 0, 0}, {"bench-0", 2, 0}, {"bench-0", 1, 0}, {"bench-0", 1, 0},
			  {"bench-1", 3, 0}, {"bench-0", 3, 1}, {"bench-0", 5, 0}};
		G.dup = G.misroute = G.corrupt = G.unknown_seq = 0;
		for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
			size_t dl = pu_data(d, 0, (uint32_t)in[i].seq), fl = 0;
			if (in[i].mangle)
				d[dl - 3] = 'y';
			fl = (size_t)snprintf(frame, sizeof frame, "{\"event\":\"bench\",\"channel\":\"%s\",\"data\":\"", in[i].ch);
			for (size_t j = 0; j < dl; j++) {
				if (d[j] == '"')
					frame[fl++] = '\\';
				frame[fl++] = d[j];
			}
			fl += (size_t)snprintf(frame + fl, sizeof frame - fl, "\"}");
			pu_message(0, (const uint8_t *)frame, fl, 1);
		}
		if (PU.deliveries != 3 || PU.got[0] != 3 || PU.reorder != 2 || G.dup != 1 || G.misroute != 1 ||
		    G.corrupt != 1 || G.unknown_seq != 1 || PU.ev_got[0] != 1 || PU.ev_got[3] != 0)
			bad++, say("pusher deliveries: %" PRIu64 " reorder %" PRIu64 " dup %" PRIu64 " misroute %" PRIu64
				   " corrupt %" PRIu64 " unknown %" PRIu64,
				   PU.deliveries, PU.reorder, G.dup, G.misroute, G.corrupt, G.unknown_seq);
	}
	printf("RESULT scenario=selftest status=%s\n", bad ? "FAIL" : "PASS");
	say("selftest %s", bad ? "FAIL" : "PASS");
	return bad != 0;
}

/* ------------------------------------------------------------------------ */
/* main                                                                     */
/* ------------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fputs("usage: loadgen SCENARIO [options]\n"
	      "scenarios:\n"
	      "  conns      N clients connect and bind; connect rate, server RSS and CPU per connection\n"
	      "             (--hold keeps them open until SIGTERM and prints READY)\n"
	      "  unicast    C clients; M pushes pipelined on one Text connection, W in flight\n"
	      "  cpp        C clients; P pushers each doing connect/write/read/close per push\n"
	      "  paced      C clients; R pushes/s for D seconds; latency percentiles\n"
	      "  broadcast  C clients; K {\"cmd\":\"broadcast\"} commands; deliveries/s\n"
	      "  pusher     C Pusher protocol clients on /app/KEY, each subscribed to one of --channels\n"
	      "             public channels; M events through the HTTP API (POST /apps/ID/events, signed)\n"
	      "             on P keep-alive connections; deliveries/s, each checked once and in order\n"
	      "  selftest   SHA-1, accept key, frame parser; SHA-256, HMAC, MD5, Pusher messages and HTTP answers\n"
	      "options:\n"
	      "  --ws HOST:PORT        WebSocket address (127.0.0.1:1234)\n"
	      "  --text HOST:PORT      Text address (127.0.0.1:5678)\n"
	      "  --path PATH           request target (/; pusher: /app/KEY?protocol=7&client=js&version=8.4.0)\n"
	      "  --protocol NAME       Sec-WebSocket-Protocol to ask for (none)\n"
	      "  -n, --clients N       bound clients (conns 1000, unicast 1000, cpp 1000, paced 1000, broadcast 10000,\n"
	      "                        pusher 10000)\n"
	      "  -m, --pushes M        pushes (unicast 200000, cpp 20000); pusher: events (20000)\n"
	      "  -w, --window W        Text lines in flight (unicast 2000; broadcast 1)\n"
	      "  -P, --pushers P       cpp pushers (4); pusher: HTTP API connections (8)\n"
	      "  -r, --rate R          paced pushes/s (5000)\n"
	      "  -d, --duration D      paced seconds (5); cpp cap in seconds (30)\n"
	      "  -k, --broadcasts K    broadcast commands (10)\n"
	      "  -s, --size BYTES      payload size, >= 19 (32); pusher: event data, 40 to 8192 (100)\n"
	      "  --channels K          pusher: public channels bench-0..bench-K-1 (100)\n"
	      "  --app-id ID           pusher: app id (app-id)\n"
	      "  --app-key KEY         pusher: app key (app-key)\n"
	      "  --app-secret SECRET   pusher: app secret, signs the HTTP API requests (app-secret)\n"
	      "  -c, --conc N          handshakes in flight while connecting (128)\n"
	      "  --random              random target uids instead of round-robin\n"
	      "  --spin                busy-poll while measuring (not conns), so the server's sends never\n"
	      "                        pay for waking the generator (gen_cpu_pct then reads ~100%)\n"
	      "  --src-ips K           spread client sources over 127.0.0.1..127.0.0.K (16; 1 = kernel default)\n"
	      "  --server-pid PID      sample CPU and RSS of PID and its descendants from /proc\n"
	      "  --hold                conns: keep the clients until SIGTERM/SIGINT (prints READY)\n"
	      "  --expect K            conns --hold: expect pushes P<uid>S<seq>, seq 0..K-1, each once\n"
	      "  --no-probe            conns: skip the one-push-per-uid binding check\n"
	      "  --timeout SECS        hard limit for the run (120)\n"
	      "  --label TEXT          copied into the RESULT line\n"
	      "  -v, --verbose\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	opt.scenario = argv[1];
	const char *sc = opt.scenario;
	if (strcmp(sc, "conns") && strcmp(sc, "unicast") && strcmp(sc, "cpp") && strcmp(sc, "paced") &&
	    strcmp(sc, "broadcast") && strcmp(sc, "pusher") && strcmp(sc, "selftest"))
		die("unknown scenario '%s' (loadgen --help)", sc);
	parse_hostport("127.0.0.1:1234", &opt.ws, opt.ws_hostport, sizeof opt.ws_hostport);
	parse_hostport("127.0.0.1:5678", &opt.text, NULL, 0);
	opt.pusher = !strcmp(sc, "pusher");
	opt.path = NULL;
	opt.clients = !strcmp(sc, "broadcast") || opt.pusher ? 10000 : 1000;
	opt.pushes = !strcmp(sc, "cpp") || opt.pusher ? 20000 : 200000;
	opt.window = 2000;
	opt.bcast_window = 1;
	opt.size = 32;
	opt.conc = 128;
	opt.pushers = opt.pusher ? 8 : 4;
	opt.channels = 100;
	opt.app_id = "app-id";
	opt.app_key = "app-key";
	opt.app_secret = "app-secret";
	int size_set = 0;
	opt.rate = 5000;
	opt.duration = !strcmp(sc, "cpp") ? 30 : 5;
	opt.bcasts = 10;
	opt.timeout = 120;
	opt.probe = 1;
	opt.src_ips = 16;
	int window_set = 0;

	enum { OPT_WS = 256, OPT_TEXT, OPT_PATH, OPT_PROTO, OPT_PID, OPT_HOLD, OPT_EXPECT, OPT_NOPROBE, OPT_TIMEOUT, OPT_LABEL, OPT_RANDOM, OPT_SRC, OPT_SPIN,
	       OPT_CHANNELS, OPT_APP_ID, OPT_APP_KEY, OPT_APP_SECRET };
	static const struct option lo[] = {
	    {"ws", 1, 0, OPT_WS}, {"text", 1, 0, OPT_TEXT}, {"path", 1, 0, OPT_PATH}, {"protocol", 1, 0, OPT_PROTO},
	    {"clients", 1, 0, 'n'}, {"pushes", 1, 0, 'm'}, {"window", 1, 0, 'w'}, {"pushers", 1, 0, 'P'},
	    {"rate", 1, 0, 'r'}, {"duration", 1, 0, 'd'}, {"broadcasts", 1, 0, 'k'}, {"size", 1, 0, 's'},
	    {"conc", 1, 0, 'c'}, {"random", 0, 0, OPT_RANDOM}, {"server-pid", 1, 0, OPT_PID}, {"hold", 0, 0, OPT_HOLD},
	    {"expect", 1, 0, OPT_EXPECT}, {"no-probe", 0, 0, OPT_NOPROBE}, {"timeout", 1, 0, OPT_TIMEOUT},
	    {"label", 1, 0, OPT_LABEL}, {"src-ips", 1, 0, OPT_SRC}, {"spin", 0, 0, OPT_SPIN},
	    {"channels", 1, 0, OPT_CHANNELS}, {"app-id", 1, 0, OPT_APP_ID}, {"app-key", 1, 0, OPT_APP_KEY},
	    {"app-secret", 1, 0, OPT_APP_SECRET}, {"verbose", 0, 0, 'v'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
	int ch;
	optind = 2;
	while ((ch = getopt_long(argc, argv, "n:m:w:P:r:d:k:s:c:vh", lo, NULL)) != -1) {
		switch (ch) {
		case OPT_WS: parse_hostport(optarg, &opt.ws, opt.ws_hostport, sizeof opt.ws_hostport); break;
		case OPT_TEXT: parse_hostport(optarg, &opt.text, NULL, 0); break;
		case OPT_PATH: opt.path = optarg; break;
		case OPT_PROTO: opt.protocol = optarg; break;
		case 'n': opt.clients = atoi(optarg); break;
		case 'm': opt.pushes = atol(optarg); break;
		case 'w': opt.window = atoi(optarg); window_set = 1; break;
		case 'P': opt.pushers = atoi(optarg); break;
		case 'r': opt.rate = atof(optarg); break;
		case 'd': opt.duration = atof(optarg); break;
		case 'k': opt.bcasts = atoi(optarg); break;
		case 's': opt.size = atoi(optarg); size_set = 1; break;
		case 'c': opt.conc = atoi(optarg); break;
		case OPT_RANDOM: opt.random_order = 1; break;
		case OPT_PID: opt.server_pid = atoi(optarg); break;
		case OPT_HOLD: opt.hold = 1; break;
		case OPT_EXPECT: opt.expect = atol(optarg); break;
		case OPT_NOPROBE: opt.probe = 0; break;
		case OPT_TIMEOUT: opt.timeout = atof(optarg); break;
		case OPT_LABEL: opt.label = optarg; break;
		case OPT_SRC: opt.src_ips = atoi(optarg); break;
		case OPT_SPIN: opt.spin = 1; break;
		case OPT_CHANNELS: opt.channels = atoi(optarg); break;
		case OPT_APP_ID: opt.app_id = optarg; break;
		case OPT_APP_KEY: opt.app_key = optarg; break;
		case OPT_APP_SECRET: opt.app_secret = optarg; break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc)
		die("unexpected argument '%s'", argv[optind]);
	if (!strcmp(sc, "broadcast") && window_set)
		opt.bcast_window = opt.window;
	if (opt.pusher && !size_set)
		opt.size = 100;
	if (opt.size < 19 || opt.size > (int)(MAX_MESSAGE / 2))
		die("--size must be at least 19");
	if (opt.pusher) {
		static char path[256];
		if (opt.size < 40 || opt.size > PU_DATA_MAX)
			die("pusher: --size must be 40 to %d", PU_DATA_MAX);
		if (opt.channels < 1 || opt.channels > 9999)
			die("--channels must be 1 to 9999");
		/* they go into URLs unescaped */
		const char *const names[] = {opt.app_id, opt.app_key};
		for (int i = 0; i < 2; i++)
			if (!*names[i] || strlen(names[i]) > 64 ||
			    strspn(names[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") !=
				strlen(names[i]))
				die("--app-id and --app-key: 1 to 64 characters of A-Z a-z 0-9 _ . -");
		if (!*opt.app_secret || strlen(opt.app_secret) > 256)
			die("--app-secret: 1 to 256 bytes");
		if (!opt.path) {
			snprintf(path, sizeof path, "/app/%s?protocol=7&client=js&version=8.4.0", opt.app_key);
			opt.path = path;
		}
	}
	if (!opt.path)
		opt.path = "/";
	if (opt.clients < 1 || opt.pushes < 1 || opt.window < 1 || opt.pushers < 1 || opt.rate <= 0 ||
	    opt.duration <= 0 || opt.bcasts < 1 || opt.conc < 1 || opt.timeout <= 0 || opt.clients > 9999999)
		die("bad numeric option");
	if (opt.server_pid > 0 && kill(opt.server_pid, 0) < 0)
		die("--server-pid %d: %s", opt.server_pid, strerror(errno));

	if (!strcmp(sc, "selftest"))
		return run_selftest();

	/* file descriptors: the clients, the Text connections, epoll, signalfd, stdio */
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NOFILE, &rl);
	long need = (long)opt.clients + (!strcmp(sc, "cpp") || opt.pusher ? opt.pushers : 0) + 16;
	if (rl.rlim_cur != RLIM_INFINITY && need > (long)rl.rlim_cur)
		die("%d clients need %ld file descriptors; the limit is %llu (use at most %llu clients)", opt.clients,
		    need, (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_cur - 16 - (unsigned long long)opt.pushers);

	rng_state ^= now_ns() ^ ((uint64_t)getpid() << 32);
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	G.ep = epoll_create1(EPOLL_CLOEXEC);
	G.sigfd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC);
	if (G.ep < 0 || G.sigfd < 0)
		die("epoll/signalfd: %s", strerror(errno));
	ep_set(G.sigfd, tag_of(TAG_SIG, 0), EPOLLIN, EPOLL_CTL_ADD);
	G.deadline = now_ns() + (uint64_t)(opt.timeout * 1e9);
	G.nws = opt.clients;
	text_init(&G.main, 0, (size_t)(opt.window > PROBE_WINDOW ? opt.window : PROBE_WINDOW) +
				  (size_t)opt.bcasts + 64);

	if (!strcmp(sc, "conns"))
		return run_conns();
	if (!strcmp(sc, "unicast"))
		return run_unicast();
	if (!strcmp(sc, "cpp"))
		return run_cpp();
	if (!strcmp(sc, "paced"))
		return run_paced();
	if (opt.pusher)
		return run_pusher();
	return run_broadcast();
}
