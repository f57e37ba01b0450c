/*
 * Pusher webhooks (pusher_hook.c) against a real receiver: a push server
 * with one Pusher app whose webhook_url points to a small HTTP server on a
 * thread of this program, which keeps every request and answers as each test
 * scripts it (a status, or no answer at all). Built with a short attempt
 * timeout and retry delay (HOOK_TIMEOUT, HOOK_RETRY in the Makefile).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "pusher.h"
#include "pusher_hook.h"
#include "sha256.h"
#include "test.h"

#define RX_MAX 64                  /* requests a receiver keeps */

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One request as the receiver got it. */
typedef struct rx_req {
	char *head;                /* request line and headers */
	char *body;                /* body (NUL-terminated) */
	size_t blen;               /* its length */
	double at;                 /* when it was complete (mono()) */
} rx_req;

/* The HTTP receiver: a thread answering webhooks as scripted. */
typedef struct receiver {
	int fd;                    /* listening socket */
	int port;                  /* its port */
	pthread_t th;              /* the thread */
	pthread_mutex_t mu;        /* guards what follows */
	int codes[8];              /* status of request i (0 = never answer); 200 after them */
	int ncodes;                /* how many */
	rx_req reqs[RX_MAX];       /* requests received */
	int nreqs;                 /* how many */
	int held[RX_MAX];          /* connections kept without an answer */
	int nheld;                 /* how many are still open */
	int held_closed;           /* of those, closed by the sender */
	int stop;                  /* the thread ends */
} receiver;

/* Reads one request (head, then Content-Length bytes of body); 0 when complete. */
static int rx_read(int fd, rx_req *q)
{
	char buf[1 << 16];
	size_t len = 0, need = 0, hl = 0;
	struct timeval tv = { 3, 0 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (;;) {
		ssize_t n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
		char *e;

		if (n <= 0) {
			return -1;
		}
		len += (size_t)n;
		buf[len] = '\0';
		if (!hl && (e = strstr(buf, "\r\n\r\n"))) {
			char *cl = strcasestr(buf, "\r\nContent-Length:");

			hl = (size_t)(e - buf) + 4;
			need = hl + (cl && cl < e ? strtoul(cl + 17, NULL, 10) : 0);
		}
		if (hl && len >= need) {
			break;
		}
		if (len >= sizeof(buf) - 1) {
			return -1;
		}
	}
	q->head = strndup(buf, hl);
	q->body = strndup(buf + hl, need - hl);
	q->blen = need - hl;
	q->at = mono();
	return 0;
}

static void *rx_thread(void *arg)
{
	receiver *rx = arg;

	for (;;) {
		struct pollfd p[1 + RX_MAX];
		int n = 1, i;

		pthread_mutex_lock(&rx->mu);
		if (rx->stop) {
			pthread_mutex_unlock(&rx->mu);
			break;
		}
		p[0].fd = rx->fd;
		p[0].events = POLLIN;
		for (i = 0; i < rx->nheld; i++, n++) {
			p[n].fd = rx->held[i];
			p[n].events = POLLIN;
		}
		pthread_mutex_unlock(&rx->mu);
		if (poll(p, (nfds_t)n, 20) <= 0) {
			continue;
		}
		for (i = 1; i < n; i++) {
			char c;

			if (p[i].revents && recv(p[i].fd, &c, 1, MSG_DONTWAIT) == 0) {
				/* the sender gave up on an unanswered request and closed */
				int k;

				pthread_mutex_lock(&rx->mu);
				for (k = 0; k < rx->nheld; k++) {
					if (rx->held[k] == p[i].fd) {
						rx->held[k] = rx->held[--rx->nheld];
						break;
					}
				}
				rx->held_closed++;
				pthread_mutex_unlock(&rx->mu);
				close(p[i].fd);
			}
		}
		if (p[0].revents & POLLIN) {
			int c = accept(rx->fd, NULL, NULL), code;
			rx_req q;

			if (c < 0) {
				continue;
			}
			if (rx_read(c, &q) != 0) {
				close(c);
				continue;
			}
			pthread_mutex_lock(&rx->mu);
			code = rx->nreqs < rx->ncodes ? rx->codes[rx->nreqs] : 200;
			if (rx->nreqs < RX_MAX) {
				rx->reqs[rx->nreqs++] = q;
			} else {
				free(q.head);
				free(q.body);
			}
			if (code == 0 && rx->nheld < RX_MAX) {
				rx->held[rx->nheld++] = c;
				c = -1;
			}
			pthread_mutex_unlock(&rx->mu);
			if (c >= 0) {
				char ans[128];
				int al = snprintf(ans, sizeof(ans), "HTTP/1.1 %d Scripted\r\nContent-Length: 0\r\n"
						"Connection: close\r\n\r\n", code);

				(void)!send(c, ans, (size_t)al, MSG_NOSIGNAL);
				close(c);
			}
		}
	}
	return NULL;
}

/* Starts a receiver on 127.0.0.1, a free port, answering codes[0..n) then 200. */
static void rx_start(receiver *rx, const int *codes, int n)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);

	memset(rx, 0, sizeof(*rx));
	pthread_mutex_init(&rx->mu, NULL);
	if (n) {
		memcpy(rx->codes, codes, sizeof(int) * (size_t)n);
	}
	rx->ncodes = n;
	rx->fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (rx->fd < 0 || bind(rx->fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(rx->fd, 64) != 0
			|| getsockname(rx->fd, (struct sockaddr *)&a, &al) != 0) {
		perror("receiver");
		exit(2);
	}
	rx->port = ntohs(a.sin_port);
	pthread_create(&rx->th, NULL, rx_thread, rx);
}

static int rx_count(receiver *rx)
{
	int n;

	pthread_mutex_lock(&rx->mu);
	n = rx->nreqs;
	pthread_mutex_unlock(&rx->mu);
	return n;
}

static int rx_closed(receiver *rx)
{
	int n;

	pthread_mutex_lock(&rx->mu);
	n = rx->held_closed;
	pthread_mutex_unlock(&rx->mu);
	return n;
}

static void rx_stop(receiver *rx)
{
	int i;

	pthread_mutex_lock(&rx->mu);
	rx->stop = 1;
	pthread_mutex_unlock(&rx->mu);
	pthread_join(rx->th, NULL);
	close(rx->fd);
	for (i = 0; i < rx->nheld; i++) {
		close(rx->held[i]);
	}
	for (i = 0; i < rx->nreqs; i++) {
		free(rx->reqs[i].head);
		free(rx->reqs[i].body);
	}
	pthread_mutex_destroy(&rx->mu);
}

/* The value of header name in head (up to its CRLF), in buf; NULL when absent. */
static const char *header(const char *head, const char *name, char *buf, size_t cap)
{
	char pat[64];
	const char *p, *e;

	snprintf(pat, sizeof(pat), "\r\n%s: ", name);
	if (!(p = strcasestr(head, pat))) {
		return NULL;
	}
	p += strlen(pat);
	e = strstr(p, "\r\n");
	if (!e || (size_t)(e - p) >= cap) {
		return NULL;
	}
	memcpy(buf, p, (size_t)(e - p));
	buf[e - p] = '\0';
	return buf;
}

/* A port nothing listens on. */
static int dead_port(void)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&a, sizeof(a));
	getsockname(fd, (struct sockaddr *)&a, &al);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* ------------------------------------------------------------------------
 * A server with one Pusher app, run until done() says so
 */

typedef struct run_ctx {
	push_server *s;
	receiver *rx;
	void (*start)(struct run_ctx *);   /* on_start: queue the events */
	int (*done)(struct run_ctx *);     /* polled every 20 ms: 1 = stop now */
	double limit;              /* seconds before the run is stopped anyway */
	double t0;                 /* when it started (mono()) */
	double t_end;              /* when done() said so */
	int timed_out;             /* limit reached */
	int n;                     /* events the test queues */
} run_ctx;

#define APP_ID "42"
#define APP_KEY "app-key"
#define APP_SECRET "app-secret"

static const push_pusher_app *the_app(run_ctx *c)
{
	return &c->s->cfg.pusher_apps[0];
}

static void on_start(void *ud)
{
	run_ctx *c = ud;

	c->t0 = mono();
	push_server_add_timer(c->s, 0.02, 1, NULL);
	if (c->start) {
		c->start(c);
	}
}

static void on_timer(void *ud, uint32_t id, void *timer_ud)
{
	run_ctx *c = ud;

	(void)id;
	(void)timer_ud;
	if (c->t_end == 0 && c->done(c)) {
		c->t_end = mono();
		push_server_stop(c->s, 0);
	} else if (mono() - c->t0 > c->limit) {
		c->timed_out = 1;
		push_server_stop(c->s, 0);
	}
}

/* A server whose app 42 has webhook_url url (NULL: none); NULL with err when it cannot start. */
static push_server *new_server(run_ctx *c, const char *url, char *err, size_t errlen)
{
	push_config cfg;
	push_hooks hooks;
	push_pusher_app app;
	push_server *s;

	push_config_defaults(&cfg);
	cfg.ws_host = strdup("127.0.0.1");
	cfg.ws_port = 0;          /* a free port: runs side by side do not collide */
	cfg.text_port = -1;
	app.id = strdup(APP_ID);
	app.key = strdup(APP_KEY);
	app.secret = strdup(APP_SECRET);
	app.client_events = 1;
	app.webhook_url = url ? strdup(url) : NULL;
	cfg.pusher_apps = malloc(sizeof(app));
	cfg.pusher_apps[0] = app;
	cfg.pusher_napps = 1;
	memset(&hooks, 0, sizeof(hooks));
	hooks.ud = c;
	hooks.on_start = on_start;
	hooks.on_timer = on_timer;
	err[0] = '\0';
	s = push_server_new(&cfg, &hooks, err, errlen);
	push_config_free(&cfg);
	return s;
}

/* Starts the server of c (webhooks to url) and runs it until done; 0 when it ran (then finish(c)). */
static int go(run_ctx *c, const char *url)
{
	char err[256];

	c->s = new_server(c, url, err, sizeof(err));
	CHECK(c->s != NULL);
	if (!c->s) {
		fprintf(stderr, "    %s\n", err);
		return -1;
	}
	alarm(60);
	push_server_run(c->s);
	alarm(0);
	CHECK(!c->timed_out);
	return 0;
}

/* Frees the server of c, webhooks under way included (push_server_free() frees them). */
static void finish(run_ctx *c)
{
	push_server_free(c->s);
	c->s = NULL;
}

static const push_stats *stats(run_ctx *c)
{
	return push_stats_get(c->s);
}

static void event(run_ctx *c, const char *json)
{
	push_pusher_webhook(c->s, the_app(c), json, strlen(json), 1);
}

/* Checks one request as Pusher sends it: line, headers, signature, body around events; returns the events. */
static json_object *check_request(const rx_req *q, const char *target, int port)
{
	char want[256], v[256], sig[2 * PUSH_SHA256_DIGEST_LEN + 1];
	unsigned char mac[PUSH_SHA256_DIGEST_LEN];
	json_object *o, *t, *ev;
	struct timespec now;
	size_t i;

	snprintf(want, sizeof(want), "POST %s HTTP/1.1\r\n", target);
	CHECK(strncmp(q->head, want, strlen(want)) == 0);
	snprintf(want, sizeof(want), "127.0.0.1:%d", port);
	CHECK_STR(header(q->head, "Host", v, sizeof(v)), want);
	CHECK_STR(header(q->head, "Content-Type", v, sizeof(v)), "application/json");
	CHECK_STR(header(q->head, "X-Pusher-Key", v, sizeof(v)), APP_KEY);
	snprintf(want, sizeof(want), "%zu", q->blen);
	CHECK_STR(header(q->head, "Content-Length", v, sizeof(v)), want);
	push_hmac_sha256(APP_SECRET, strlen(APP_SECRET), q->body, q->blen, mac);
	for (i = 0; i < sizeof(mac); i++) {
		snprintf(sig + 2 * i, 3, "%02x", mac[i]);
	}
	CHECK_STR(header(q->head, "X-Pusher-Signature", v, sizeof(v)), sig);

	o = json_tokener_parse(q->body);
	CHECK(o != NULL && json_object_is_type(o, json_type_object));
	if (!o) {
		return NULL;
	}
	CHECK_EQ_INT(json_object_object_length(o), 2);
	CHECK(json_object_object_get_ex(o, "time_ms", &t) && json_object_is_type(t, json_type_int));
	clock_gettime(CLOCK_REALTIME, &now);
	CHECK(llabs(json_object_get_int64(t) - ((long long)now.tv_sec * 1000 + now.tv_nsec / 1000000)) < 10000);
	CHECK(json_object_object_get_ex(o, "events", &ev) && json_object_is_type(ev, json_type_array));
	json_object_get(ev);
	json_object_put(o);
	return ev;
}

/* ------------------------------------------------------------------------
 * The tests
 */

static const char *const three[] = {
	"{\"name\":\"channel_occupied\",\"channel\":\"presence-room\"}",
	"{\"name\":\"member_added\",\"channel\":\"presence-room\",\"user_id\":\"7\"}",
	"{\"name\":\"client_event\",\"channel\":\"private-a\",\"event\":\"client-typing\","
		"\"data\":\"{\\\"t\\\":\\\"\xc3\xa9\\\\n\\\"}\",\"socket_id\":\"123.456\",\"user_id\":\"7\"}",
};

static void start_three(run_ctx *c)
{
	size_t i;

	for (i = 0; i < 3; i++) {
		event(c, three[i]);
	}
}

/* Quiet long enough after the first POST that a second one would have come. */
static int done_one_quiet(run_ctx *c)
{
	return rx_count(c->rx) >= 1 && mono() - c->rx->reqs[0].at > 1.2;
}


/* Events of one app within the window: one POST, as Pusher sends it, signed with the app secret. */
static void test_batch(void)
{
	receiver rx;
	run_ctx c = { 0 };
	char url[128], want[1024], js[4096];
	json_object *ev;
	size_t i;

	rx_start(&rx, NULL, 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hooks/pusher?x=1#frag", rx.port);
	c.rx = &rx;
	c.start = start_three;
	c.done = done_one_quiet;
	c.limit = 10;
	if (go(&c, url) == 0) {
		CHECK_EQ_INT(rx_count(&rx), 1);
		CHECK_EQ_INT(stats(&c)->webhooks_sent, 1);
		CHECK_EQ_INT(stats(&c)->webhooks_failed, 0);
		CHECK_EQ_INT(stats(&c)->webhooks_dropped, 0);
		push_stats_json(c.s, js, sizeof(js));
		CHECK(strstr(js, "\"webhooks\":{\"sent\":1,\"failed\":0,\"dropped\":0,") != NULL);
		finish(&c);
	}
	if (rx.nreqs >= 1) {
		const rx_req *q = &rx.reqs[0];
		const char *comma = strchr(q->body, ',');

		/* sent once the window closed, not before, and not much later */
		CHECK(q->at - c.t0 >= 0.9);
		CHECK(q->at - c.t0 < 2.5);
		ev = check_request(q, "/hooks/pusher?x=1", rx.port);
		if (ev) {
			static const char *const names[3] = { "channel_occupied", "member_added", "client_event" };

			CHECK_EQ_INT(json_object_array_length(ev), 3);
			for (i = 0; i < 3 && i < json_object_array_length(ev); i++) {
				json_object *nm;

				CHECK(json_object_object_get_ex(json_object_array_get_idx(ev, i), "name", &nm)
						&& strcmp(json_object_get_string(nm), names[i]) == 0);
			}
			json_object_put(ev);
		}
		/* the events go as they were given, in order, byte for byte */
		snprintf(want, sizeof(want), ",\"events\":[%s,%s,%s]}", three[0], three[1], three[2]);
		CHECK(comma && strcmp(comma, want) == 0);
		CHECK(strncmp(q->body, "{\"time_ms\":", 11) == 0);
	}
	rx_stop(&rx);
}

static void start_250(run_ctx *c)
{
	char e[128];
	int i;

	for (i = 0; i < 250; i++) {
		snprintf(e, sizeof(e), "{\"name\":\"channel_vacated\",\"channel\":\"c%d\"}", i);
		event(c, e);
	}
}

static int done_three_quiet(run_ctx *c)
{
	return rx_count(c->rx) >= 3 && mono() - c->rx->reqs[2].at > 1.2;
}

/* 250 events: 100 and 100 at once (a full batch does not wait), the last 50 after the window; in order. */
static void test_batch_caps(void)
{
	static const int sizes[3] = { 100, 100, 50 };
	receiver rx;
	run_ctx c = { 0 };
	char url[128];
	int i, k, next = 0;

	rx_start(&rx, NULL, 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", rx.port);     /* no path: "/" */
	c.rx = &rx;
	c.start = start_250;
	c.done = done_three_quiet;
	c.limit = 10;
	if (go(&c, url) == 0) {
		CHECK_EQ_INT(rx_count(&rx), 3);
		CHECK_EQ_INT(stats(&c)->webhooks_sent, 3);
		finish(&c);
	}
	for (i = 0; i < rx.nreqs && i < 3; i++) {
		json_object *ev = check_request(&rx.reqs[i], "/", rx.port);

		if (!ev) {
			continue;
		}
		CHECK_EQ_INT(json_object_array_length(ev), sizes[i]);
		for (k = 0; k < (int)json_object_array_length(ev); k++) {
			json_object *ch;
			char want[16];

			snprintf(want, sizeof(want), "c%d", next++);
			CHECK(json_object_object_get_ex(json_object_array_get_idx(ev, (size_t)k), "channel", &ch)
					&& strcmp(json_object_get_string(ch), want) == 0);
		}
		json_object_put(ev);
	}
	CHECK_EQ_INT(next, 250);
	if (rx.nreqs >= 3) {
		CHECK(rx.reqs[1].at - c.t0 < 0.8);
		CHECK(rx.reqs[2].at - c.t0 >= 0.9);
	}
	rx_stop(&rx);
}

static void start_one(run_ctx *c)
{
	event(c, three[0]);
}

static int done_sent(run_ctx *c)
{
	return stats(c)->webhooks_sent >= 1;
}

/* A receiver answering 500, then 200: the same request again after HOOK_RETRY, delivered once. */
static void test_retry(void)
{
	static const int codes[] = { 500 };
	receiver rx;
	run_ctx c = { 0 };
	char url[128], host[64], v[64];

	rx_start(&rx, codes, 1);
	/* a host name: resolved once, at start */
	snprintf(url, sizeof(url), "http://localhost:%d/hook", rx.port);
	snprintf(host, sizeof(host), "localhost:%d", rx.port);
	c.rx = &rx;
	c.start = start_one;
	c.done = done_sent;
	c.limit = 10;
	if (go(&c, url) == 0) {
		CHECK_EQ_INT(rx_count(&rx), 2);
		CHECK_EQ_INT(stats(&c)->webhooks_sent, 1);
		CHECK_EQ_INT(stats(&c)->webhooks_failed, 0);
		finish(&c);
	}
	CHECK_EQ_INT(rx.nreqs, 2);
	if (rx.nreqs == 2) {
		CHECK_STR(header(rx.reqs[0].head, "Host", v, sizeof(v)), host);
		CHECK(strcmp(rx.reqs[0].head, rx.reqs[1].head) == 0);
		CHECK(strcmp(rx.reqs[0].body, rx.reqs[1].body) == 0);
		CHECK(rx.reqs[1].at - rx.reqs[0].at >= 0.15);
	}
	rx_stop(&rx);
}

static int done_failed(run_ctx *c)
{
	return stats(c)->webhooks_failed >= 1;
}

/* Nothing listens: HOOK_ATTEMPTS refused connects, then the batch is dropped; the loop never waits on it. */
static void test_dead_port(void)
{
	run_ctx c = { 0 };
	char url[128];

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", dead_port());
	c.start = start_three;
	c.done = done_failed;
	c.limit = 10;
	if (go(&c, url) == 0) {
		CHECK_EQ_INT(stats(&c)->webhooks_failed, 1);
		CHECK_EQ_INT(stats(&c)->webhooks_sent, 0);
		/* window 1 s, retries after 0.2 s and 0.8 s (this build) */
		CHECK(c.t_end - c.t0 >= 1.9);
		CHECK(c.t_end - c.t0 < 4.5);
		finish(&c);
	}
}

static int done_failed_closed(run_ctx *c)
{
	return stats(c)->webhooks_failed >= 1 && rx_closed(c->rx) >= 3;
}

/* A receiver that reads and never answers: each attempt ends at HOOK_TIMEOUT with its socket closed. */
static void test_timeout(void)
{
	static const int codes[] = { 0, 0, 0 };
	receiver rx;
	run_ctx c = { 0 };
	char url[128];

	rx_start(&rx, codes, 3);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/slow", rx.port);
	c.rx = &rx;
	c.start = start_one;
	c.done = done_failed_closed;
	c.limit = 10;
	if (go(&c, url) == 0) {
		CHECK_EQ_INT(stats(&c)->webhooks_failed, 1);
		CHECK_EQ_INT(stats(&c)->webhooks_sent, 0);
		CHECK_EQ_INT(rx_count(&rx), 3);
		CHECK_EQ_INT(rx_closed(&rx), 3);
		/* 1 s window, 3 x 0.3 s timeouts, 0.2 s and 0.8 s between */
		CHECK(c.t_end - c.t0 >= 2.8);
		CHECK(c.t_end - c.t0 < 6.0);
		finish(&c);
	}
	rx_stop(&rx);
}

static void start_150(run_ctx *c)
{
	char e[128];
	int i;

	for (i = 0; i < 150; i++) {
		snprintf(e, sizeof(e), "{\"name\":\"member_removed\",\"channel\":\"presence-x\",\"user_id\":\"%d\"}", i);
		event(c, e);
	}
}

static int done_received(run_ctx *c)
{
	return rx_count(c->rx) >= 1;
}

/* Stopping with a request under way and events waiting: the socket is closed, nothing leaks (ASan). */
static void test_stop_in_flight(void)
{
	static const int codes[] = { 0 };
	receiver rx;
	run_ctx c = { 0 };
	char url[128];
	double t;

	rx_start(&rx, codes, 1);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", rx.port);
	c.rx = &rx;
	c.start = start_150;
	c.done = done_received;
	c.limit = 10;
	if (go(&c, url) == 0) {
		CHECK_EQ_INT(rx_count(&rx), 1);
		CHECK_EQ_INT(rx_closed(&rx), 0);
		finish(&c);
		for (t = mono(); rx_closed(&rx) < 1 && mono() - t < 3; ) {
			usleep(10000);
		}
		CHECK_EQ_INT(rx_closed(&rx), 1);
	}
	rx_stop(&rx);
}

#define FLOOD 20000

static void start_flood(run_ctx *c)
{
	char e[160];
	int i;

	for (i = 0; i < FLOOD; i++) {
		/* 100 bytes each */
		snprintf(e, sizeof(e), "{\"name\":\"client_event\",\"channel\":\"private-z\",\"event\":\"client-x\","
				"\"data\":\"%026d\"}", i);
		event(c, e);
	}
}

static int done_flooded(run_ctx *c)
{
	return rx_count(c->rx) >= 1 && mono() - c->t0 > 0.3;
}

/* A receiver that does not answer and many events: at most about HOOK_APP_BYTES wait, the oldest waiting are dropped. */
static void test_queue_cap(void)
{
	static const int codes[] = { 0 };
	receiver rx;
	run_ctx c = { 0 };
	char url[128], e[160];
	int len = snprintf(e, sizeof(e), "{\"name\":\"client_event\",\"channel\":\"private-z\",\"event\":\"client-x\","
			"\"data\":\"%026d\"}", 0);

	CHECK_EQ_INT(len, 100);
	rx_start(&rx, codes, 1);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", rx.port);
	c.rx = &rx;
	c.start = start_flood;
	c.done = done_flooded;
	c.limit = 10;
	if (go(&c, url) == 0) {
		uint64_t dropped = stats(&c)->webhooks_dropped;

		/* 1 MiB holds fewer than 1048576 / 101 events; the batch under way is never dropped */
		CHECK(dropped >= (uint64_t)(FLOOD - 1048576 / (len + 1)));
		CHECK(dropped <= FLOOD - 100);
		CHECK_EQ_INT(rx_count(&rx), 1);
		finish(&c);
	}
	if (rx.nreqs >= 1) {
		json_object *ev = check_request(&rx.reqs[0], "/", rx.port);

		/* the first batch, events 0 to 99, went before the queue filled up */
		if (ev) {
			CHECK_EQ_INT(json_object_array_length(ev), 100);
			json_object_put(ev);
		}
		CHECK(strstr(rx.reqs[0].body, "\"data\":\"00000000000000000000000000\"") != NULL);
	}
	rx_stop(&rx);
}

/* Reads one unmasked server frame's payload into buf (NUL-terminated); its length, -1 on error. */
static int ws_read_frame(int fd, char *buf, size_t cap)
{
	unsigned char h[4];
	size_t len, got = 0;

	if (recv(fd, h, 2, MSG_WAITALL) != 2) {
		return -1;
	}
	len = h[1] & 0x7f;
	if (len == 126) {
		if (recv(fd, h + 2, 2, MSG_WAITALL) != 2) {
			return -1;
		}
		len = (size_t)h[2] << 8 | h[3];
	}
	if (len >= cap || len > 125 * 1024) {
		return -1;
	}
	while (got < len) {
		ssize_t n = recv(fd, buf + got, len - got, 0);

		if (n <= 0) {
			return -1;
		}
		got += (size_t)n;
	}
	buf[len] = '\0';
	return (int)len;
}

/* What the Pusher client thread saw. */
typedef struct pclient {
	int port;                  /* WebSocket port */
	int established;           /* got pusher:connection_established */
	int subscribed;            /* got pusher_internal:subscription_succeeded */
} pclient;

/* A pusher-js-like client: connects to /app/<key>, subscribes to room-1, then drops the connection. */
static void *pclient_thread(void *arg)
{
	static const char sub[] = "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"room-1\"}}";
	pclient *pc = arg;
	char req[512], buf[4096];
	unsigned char frame[6 + sizeof(sub)] = { 0x81, 0x80 | (sizeof(sub) - 1), 7, 1, 2, 9 };
	struct sockaddr_in a;
	struct timeval tv = { 5, 0 };
	size_t hl = 0, i;
	int fd = socket(AF_INET, SOCK_STREAM, 0), n;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)pc->port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = snprintf(req, sizeof(req), "GET /app/" APP_KEY "?protocol=7&client=js&version=8.4.0 HTTP/1.1\r\n"
			"Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
			"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
		close(fd);
		return NULL;
	}
	while (hl < sizeof(buf) - 1 && (hl < 4 || memcmp(buf + hl - 4, "\r\n\r\n", 4) != 0)) {
		if (recv(fd, buf + hl, 1, 0) != 1) {
			close(fd);
			return NULL;
		}
		hl++;
	}
	if (ws_read_frame(fd, buf, sizeof(buf)) > 0 && strstr(buf, "pusher:connection_established")) {
		pc->established = 1;
		for (i = 0; i < sizeof(sub) - 1; i++) {
			frame[6 + i] = (unsigned char)(sub[i] ^ frame[2 + i % 4]);
		}
		if (send(fd, frame, 6 + sizeof(sub) - 1, MSG_NOSIGNAL) == (ssize_t)(6 + sizeof(sub) - 1)
				&& ws_read_frame(fd, buf, sizeof(buf)) > 0 && strstr(buf, "subscription_succeeded")) {
			pc->subscribed = 1;
		}
	}
	close(fd);      /* no close frame: the server sees the connection drop */
	return NULL;
}

static pclient the_client;
static pthread_t client_th;

static void start_client(run_ctx *c)
{
	the_client.port = push_server_ws_port(c->s);
	pthread_create(&client_th, NULL, pclient_thread, &the_client);
}

static int done_two_quiet(run_ctx *c)
{
	return rx_count(c->rx) >= 2 && mono() - c->rx->reqs[1].at > 1.2;
}

/* From a real Pusher connection: subscribing makes channel_occupied, dropping it channel_vacated, once the
 * channel stayed empty for 3 s: in a POST of its own. */
static void test_from_socket(void)
{
	receiver rx;
	run_ctx c = { 0 };
	char url[128];

	memset(&the_client, 0, sizeof(the_client));
	rx_start(&rx, NULL, 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/pusher/webhook", rx.port);
	c.rx = &rx;
	c.start = start_client;
	c.done = done_two_quiet;
	c.limit = 15;
	if (go(&c, url) == 0) {
		pthread_join(client_th, NULL);
		CHECK(the_client.established);
		CHECK(the_client.subscribed);
		CHECK_EQ_INT(rx_count(&rx), 2);
		CHECK_EQ_INT(stats(&c)->webhooks_sent, 2);
		finish(&c);
	}
	if (rx.nreqs >= 2) {
		json_object *ev = check_request(&rx.reqs[0], "/pusher/webhook", rx.port);

		if (ev) {
			json_object_put(ev);
		}
		CHECK(strstr(rx.reqs[0].body, ",\"events\":[{\"name\":\"channel_occupied\",\"channel\":\"room-1\"}]}")
				!= NULL);
		CHECK(strstr(rx.reqs[1].body, ",\"events\":[{\"name\":\"channel_vacated\",\"channel\":\"room-1\"}]}")
				!= NULL);
		CHECK(rx.reqs[1].at - rx.reqs[0].at >= 2.5);
	}
	rx_stop(&rx);
}

/* A bad webhook_url stops the server from starting, with a message that names the app and the problem. */
static void test_bad_urls(void)
{
	static const struct {
		const char *url;
		const char *says;
	} bad[] = {
		{ "https://example.com/hook", "https:// is not supported" },
		{ "HTTPS://example.com/hook", "https:// is not supported" },
		{ "ftp://example.com/", "must start with http://" },
		{ "example.com/hook", "must start with http://" },
		{ "http://", "no host" },
		{ "http:///path", "no host" },
		{ "http://:80/", "no host" },
		{ "http://127.0.0.1:0/", "bad port" },
		{ "http://127.0.0.1:65536/", "bad port" },
		{ "http://127.0.0.1:/", "bad port" },
		{ "http://127.0.0.1:80x/", "bad port" },
		{ "http://127.0.0.1/a b", "space or a control character" },
		{ "http://127.0.0.1/a\r\nX-Evil: 1", "space or a control character" },
		{ "http://user:pw@127.0.0.1/", "user or password" },
		{ "http://[::1/", "bad IPv6 address" },
		{ "http://[::1]x/", "bad IPv6 address" },
		{ "http://bad!host/", "bad host name" },
		{ "http://no-such-host.invalid/", "cannot resolve" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run_ctx c = { 0 };
		char err[256];
		push_server *s = new_server(&c, bad[i].url, err, sizeof(err));

		CHECK(s == NULL);
		if (s) {
			fprintf(stderr, "    accepted: %s\n", bad[i].url);
			push_server_free(s);
			continue;
		}
		if (!strstr(err, "webhook_url of Pusher app 42") || !strstr(err, bad[i].says)) {
			fprintf(stderr, "    %s: %s\n", bad[i].url, err);
			CHECK(0);
		}
	}
}

/* What is accepted; an app without webhook_url has no webhooks and push_pusher_webhook() does nothing. */
static void test_good_urls(void)
{
	static const char *const good[] = {
		"http://127.0.0.1/", "http://LOCALHOST:8080", "http://[::1]:8080/x?y=1", "Http://127.0.0.1?a=b",
		"",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		run_ctx c = { 0 };
		char err[256];

		c.s = new_server(&c, good[i], err, sizeof(err));
		CHECK(c.s != NULL);
		if (!c.s) {
			fprintf(stderr, "    %s: %s\n", good[i], err);
			continue;
		}
		CHECK((c.s->pusher_hooks != NULL) == (good[i][0] != '\0'));
		finish(&c);
	}
	{
		run_ctx c = { 0 };
		char err[256];

		c.s = new_server(&c, NULL, err, sizeof(err));
		CHECK(c.s != NULL);
		if (c.s) {
			CHECK(c.s->pusher_hooks == NULL);
			event(&c, three[0]);
			finish(&c);
		}
	}
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	RUN(test_bad_urls);
	RUN(test_good_urls);
	RUN(test_batch);
	RUN(test_batch_caps);
	RUN(test_retry);
	RUN(test_dead_port);
	RUN(test_timeout);
	RUN(test_stop_in_flight);
	RUN(test_queue_cap);
	RUN(test_from_socket);
	return TEST_SUMMARY();
}
