/*
 * loadgen.h - what the files of loadgen share: options, state, and the functions one file
 * calls in another.
 */
#ifndef LOADGEN_H
#define LOADGEN_H

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

#include "pusher_sign.h"
#include "sha256.h"

#include "../common/handshake.h"

#define RX_CHUNK (256 * 1024)        /* one recv() at most */
#define MAX_MESSAGE (64u << 20)      /* largest server message accepted */
#define MAX_HANDSHAKE 16384          /* largest HTTP response head accepted */
#define TEXT_IN_CAP 65536            /* Text answer line buffer */
#define PROBE_WINDOW 2000            /* probe lines in flight */

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

struct options {
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
};
extern struct options opt;

/* ------------------------------------------------------------------------ */
/* server samples (proc.c)                                                  */
/* ------------------------------------------------------------------------ */

struct task_snap;

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

/* a string member to look for at the top level of a JSON object */
typedef struct {
	const char *name;
	char *out;          /* its value, unescaped, NUL-terminated */
	size_t cap, len;
} json_want;

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

/* ------------------------------------------------------------------------ */
/* Pusher protocol clients and HTTP API connections                          */
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

struct pusher_state {
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
};
extern struct pusher_state PU;

struct state {
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
};
extern struct state G;

extern int verbose;
extern uint64_t rng_state;
extern int checks_fail;

/* util.c */
void say(const char *fmt, ...);
void die(const char *fmt, ...);
int socket_error(int fd);
void *xrealloc(void *p, size_t n);
void *xcalloc(size_t n, size_t sz);
uint64_t rng_next(void);
void parse_hostport(const char *s, struct sockaddr_in *a, char *hp, size_t hplen);

/* proc.c */
void snap_top(const struct task_snap *a, const struct task_snap *b);
uint64_t snap_delta(const struct task_snap *a, const struct task_snap *b);
int srv_take(srv_sample *s);
int srv_sample_take(srv_sample *s, int with_tasks);
uint64_t self_cpu_ns(void);

/* ws.c */
int make_payload(char *out, char kind, uint32_t uid, uint64_t seq);
int padding_ok(const uint8_t *p, size_t from, size_t len);
void ws_close(wsc *c, int abortive);
void ws_send_frame(wsc *c, int opcode, const void *payload, size_t n);
void ws_feed(wsc *c, uint8_t *data, size_t len, uint64_t t);
void ws_event(wsc *c, uint32_t ev);
void bind_source(int fd, uint64_t n);
void start_connects(void);

/* text.c */
void text_init(textc *t, int id, size_t fifo_cap);
uint64_t text_outstanding(const textc *t);
void text_flush(textc *t);
void text_queue_push(textc *t, char kind, uint32_t uid, uint64_t seq);
void text_queue_bcast(textc *t, int k);
int text_open(textc *t, int nonblocking_connect);
int json_member(const char *s, size_t n, const char *name, long long *num);
void text_event(textc *t, uint32_t ev);

/* json.c */
int hexval(char c);
int json_str_members(const char *s, size_t n, json_want *want, int nwant);
int json_str_member(const char *s, size_t n, const char *name, char *out, size_t cap, size_t *olen);

/* pusher.c */
size_t pu_data(char *out, int k, uint32_t seq);
void pu_message(int idx, const uint8_t *p, size_t n, uint64_t t);
long http_answer_len(const char *d, size_t len, int *status, int *close_after);
void api_event(apic *a, uint32_t ev);
int run_pusher(void);

/* loop.c */
void ep_set(int fd, uint64_t tag, uint32_t events, int op);
void poll_once(uint64_t timeout_ns);
int past_deadline(void);
int connect_all(void);
int probe_all(void);
void settle(void);
void teardown(void);

/* report.c */
void put(const char *key, const char *fmt, ...);
void put_others(const srv_sample *a, const srv_sample *b);
void put_cpu(const char *key, const srv_sample *s0, const srv_sample *s1, double units, double secs, uint64_t gen_ns);
void put_checks(uint64_t lost);
void emit(const char *err);
double per(double a, double b);
void alloc_seqs(uint64_t n, int with_latency);
const char *setup(void);

/* scenarios.c */
int run_conns(void);
int run_unicast(void);
void cpp_next(textc *t);
int run_cpp(void);
int cmp_u64(const void *a, const void *b);
uint64_t pct(const uint64_t *sorted, uint64_t n, double q);
int run_paced(void);
int run_broadcast(void);

/* selftest.c */
int run_selftest(void);

static inline uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t tag_of(int type, uint32_t idx)
{
	return (uint64_t)type << 32 | idx;
}
#endif
