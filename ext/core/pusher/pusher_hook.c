/*
 * pusher_hook.c - front end: the webhooks of the Pusher protocol
 * (docs/PUSHER.md). The events of an app are gathered for up to a second
 * (HOOK_WINDOW), or until HOOK_BATCH_EVENTS or HOOK_BATCH_BYTES, into one
 * POST of {"time_ms":..,"events":[..]} to the app's webhook_url, signed as
 * Pusher signs them: X-Pusher-Key, and X-Pusher-Signature, the hex
 * HMAC-SHA256 of the body keyed with the app secret.
 *
 * Nothing here blocks the loop: the URL's host is resolved once, at start
 * (http:// only; https:// is refused at start, as push has no TLS client),
 * each attempt is a non-blocking socket on the server's loop, and only the
 * status line of the answer is read (2xx: delivered). A failed attempt
 * (refused, no answer within HOOK_TIMEOUT, not 2xx) is tried again after
 * HOOK_RETRY, then 4 x HOOK_RETRY; after HOOK_ATTEMPTS the batch is dropped
 * with one log line.
 *
 * Each app has two lanes: channel_occupied, channel_vacated and cache_miss,
 * which any client can cause, go in one; member_added, member_removed and
 * client_event, which only clients with a channel auth can cause, in the
 * other, gathered for HOOK_WINDOW_MEMBER only. A lane's batches are POSTed one
 * at a time, in order, so a receiver sees channel_occupied before the
 * channel_vacated that follows it; the two lanes go side by side, so a flood
 * of channel events (or a slow receiver taking them) never delays a member
 * event. What may wait is bounded: HOOK_INFLIGHT requests at once over all
 * apps for each kind of lane, HOOK_APP_BYTES per lane (batches waiting,
 * oldest dropped first, counted in webhooks_dropped, and for the channel lane
 * in webhooks_dropped_channel too). Events still waiting when the server is
 * freed are dropped: the stop does not wait for a receiver.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include "buf.h"
#include "list.h"
#include "pusher.h"
#include "pusher_hook.h"
#include "pusher_sign.h"
#include "sha256.h"

#define HOOK_WINDOW        1.0          /* seconds a channel event waits for others of its app */
#define HOOK_WINDOW_MEMBER 0.2          /* seconds a member or client event waits for others */
#define HOOK_BATCH_EVENTS  100          /* events in one POST */
#define HOOK_BATCH_BYTES   (64 * 1024)  /* bytes of events in one POST (a bigger event goes alone) */
#define HOOK_APP_BYTES     (1024 * 1024)  /* bytes a lane of an app may have waiting, the request being sent included */
#define HOOK_INFLIGHT      16           /* requests at once, all apps together, for each kind of lane */
#define HOOK_ATTEMPTS      3            /* tries of one batch */
#define HOOK_ADDRS         4            /* addresses of the host kept (tried in order on each attempt) */
#define HOOK_DROP_LOG      10.0         /* seconds between two log lines about dropped events of an app */
#ifndef HOOK_TIMEOUT
#define HOOK_TIMEOUT       5.0          /* seconds for connect, request and status line */
#endif
#ifndef HOOK_RETRY
#define HOOK_RETRY         1.0          /* seconds before the second attempt (4 x before the third) */
#endif

enum hook_state {
	HS_QUEUED = 0,             /* waiting for its turn (or for a free request slot) */
	HS_CONNECTING,             /* non-blocking connect under way */
	HS_SENDING,                /* request partly written */
	HS_READING,                /* waiting for the status line */
	HS_BACKOFF                 /* failed, waiting for the next attempt */
};

typedef struct hook_app hook_app;
typedef struct hook_lane hook_lane;

/* One batch: the whole request, head and body, and its attempts. */
typedef struct hook_job {
	struct hook_job *prev, *next;  /* the app's batches, oldest first */
	hook_app *ha;              /* its app */
	hook_lane *ln;             /* its lane */
	char *req;                 /* the request */
	size_t len;                /* its length */
	size_t off;                /* bytes of it written in this attempt */
	size_t nevents;            /* events in it */
	int fd;                    /* socket of this attempt, -1 = none */
	ev_io io;                  /* connect/write/read watcher */
	ev_timer tm;               /* the attempt's deadline, or the wait before the next attempt */
	uint8_t state;             /* enum hook_state */
	uint8_t attempt;           /* attempts that failed */
	uint8_t addr;              /* address being tried in this attempt */
	char ans[16];              /* first bytes of the answer: "HTTP/1.1 200" */
	size_t alen;               /* how many */
	char why[64];              /* why the last attempt failed */
} hook_job;

/* What waits of one kind of events of an app. */
struct hook_lane {
	hook_app *ha;                  /* its app */
	push_buf batch;                /* events of the open batch, comma-separated */
	size_t nbatch;                 /* how many */
	ev_timer window;               /* closes the open batch a window after its first event */
	hook_job *jobs, *jobs_tail;    /* closed batches, oldest first; only the first may be under way */
	size_t bytes;                  /* the open batch and every closed one */
	hook_lane *w_prev, *w_next;    /* lanes waiting for a free request slot */
	uint8_t waiting;               /* on that list */
	uint8_t chan;                  /* the lane of channel events (1) or of member and client events (0) */
};

/* An app with a webhook_url: where its webhooks go, and what waits. */
struct hook_app {
	const push_pusher_app *app;    /* the app (in the server's configuration copy) */
	push_pusher_hooks *h;          /* all of them */
	char *host;                    /* Host header: the URL's authority */
	char *path;                    /* request target: path and query */
	struct sockaddr_storage addrs[HOOK_ADDRS];  /* the host's addresses, resolved at start */
	socklen_t addr_lens[HOOK_ADDRS];            /* their lengths */
	uint8_t naddrs;                /* how many */
	hook_lane lanes[2];            /* member and client events; channel events */
	uint64_t drop_unlogged;        /* events dropped since the last log line about it */
	double drop_logged;            /* loop time of that line */
};

struct push_pusher_hooks {
	push_server *s;            /* the server */
	hook_app *apps;            /* one per app with a webhook_url */
	size_t napps;              /* how many */
	uint32_t inflight[2];      /* requests with a socket, by kind of lane */
	hook_lane *wait_head[2], *wait_tail[2];  /* lanes whose next batch waits for a free slot */
};

static void job_start(push_pusher_hooks *h, hook_job *j);
static void app_next(push_pusher_hooks *h, hook_lane *ln);
static void job_io_cb(struct ev_loop *loop, ev_io *w, int revents);
static void job_timer_cb(struct ev_loop *loop, ev_timer *w, int revents);

/* ------------------------------------------------------------------------
 * The URL, read and resolved once
 */

/* Reads "http://host[:port][/path][?query]" into ha; -1 with a message that names the app. */
static int parse_url(hook_app *ha, const char *url, char *err, size_t errlen)
{
	const char *id = ha->app->id, *p, *auth, *end, *hb, *he, *port = "80";
	char host[256], portbuf[8];
	struct addrinfo hints, *res = NULL, *ai;
	size_t i;
	int rc;

	if (strncasecmp(url, "https://", 8) == 0) {
		snprintf(err, errlen, "webhook_url of Pusher app %s: https:// is not supported (push sends webhooks "
				"over http:// only; a local TLS proxy can forward them)", id);
		return -1;
	}
	if (strncasecmp(url, "http://", 7) != 0) {
		snprintf(err, errlen, "webhook_url of Pusher app %s must start with http://", id);
		return -1;
	}
	for (p = url; *p; p++) {
		if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
			snprintf(err, errlen, "webhook_url of Pusher app %s has a space or a control character", id);
			return -1;
		}
	}
	auth = url + 7;
	end = auth + strcspn(auth, "/?#");
	if (memchr(auth, '@', (size_t)(end - auth))) {
		snprintf(err, errlen, "webhook_url of Pusher app %s: a user or password (user@host) is not supported", id);
		return -1;
	}
	hb = auth;
	if (*hb == '[') {
		/* an IPv6 literal */
		he = memchr(hb, ']', (size_t)(end - hb));
		if (!he || (he + 1 != end && he[1] != ':')) {
			snprintf(err, errlen, "webhook_url of Pusher app %s: bad IPv6 address", id);
			return -1;
		}
		hb++;
		p = he + 1;
	} else {
		he = memchr(hb, ':', (size_t)(end - hb));
		he = he ? he : end;
		p = he;
		for (i = 0; hb + i < he; i++) {
			char c = hb[i];

			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
					|| c == '-' || c == '_')) {
				snprintf(err, errlen, "webhook_url of Pusher app %s: bad host name", id);
				return -1;
			}
		}
	}
	if (he == hb || (size_t)(he - hb) >= sizeof(host)) {
		snprintf(err, errlen, "webhook_url of Pusher app %s: %s host", id, he == hb ? "no" : "too long a");
		return -1;
	}
	memcpy(host, hb, (size_t)(he - hb));
	host[he - hb] = '\0';
	if (p < end) {
		/* ":port" */
		unsigned long v = 0;

		for (p++, i = 0; p + i < end && i < 6 && p[i] >= '0' && p[i] <= '9'; i++) {
			v = v * 10 + (unsigned long)(p[i] - '0');
		}
		if (i == 0 || p + i != end || v == 0 || v > 65535) {
			snprintf(err, errlen, "webhook_url of Pusher app %s: bad port", id);
			return -1;
		}
		snprintf(portbuf, sizeof(portbuf), "%lu", v);
		port = portbuf;
	}
	ha->host = strndup(auth, (size_t)(end - auth));
	if (*end == '/' || *end == '?') {
		size_t n = strcspn(end, "#");

		if (*end == '?') {
			/* "http://host?x": the path is "/" */
			ha->path = malloc(n + 2);
			if (ha->path) {
				ha->path[0] = '/';
				memcpy(ha->path + 1, end, n);
				ha->path[n + 1] = '\0';
			}
		} else {
			ha->path = strndup(end, n);
		}
	} else {
		ha->path = strdup("/");
	}
	if (!ha->host || !ha->path) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}

	/* blocking, once, at start: the loop does not run yet */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "webhook_url of Pusher app %s: cannot resolve %s: %s", id, host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai && ha->naddrs < HOOK_ADDRS; ai = ai->ai_next) {
		if ((ai->ai_family == AF_INET || ai->ai_family == AF_INET6) && ai->ai_addrlen <= sizeof(ha->addrs[0])) {
			memcpy(&ha->addrs[ha->naddrs], ai->ai_addr, ai->ai_addrlen);
			ha->addr_lens[ha->naddrs++] = (socklen_t)ai->ai_addrlen;
		}
	}
	freeaddrinfo(res);
	if (!ha->naddrs) {
		snprintf(err, errlen, "webhook_url of Pusher app %s: %s has no IPv4 or IPv6 address", id, host);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * Batches
 */

/* Ends this attempt's socket and watchers (its request slot is free again). */
static void job_disconnect(push_pusher_hooks *h, hook_job *j)
{
	ev_io_stop(h->s->loop, &j->io);
	ev_timer_stop(h->s->loop, &j->tm);
	if (j->fd >= 0) {
		close(j->fd);
		j->fd = -1;
		h->inflight[j->ln->chan]--;
	}
}

/* Takes a batch off its app's list and frees it (its socket and watchers with it). */
static void job_free(push_pusher_hooks *h, hook_job *j)
{
	hook_lane *ln = j->ln;

	job_disconnect(h, j);
	PUSH_LIST_UNLINK2(ln->jobs, ln->jobs_tail, j, prev, next);
	ln->bytes -= j->len;
	free(j->req);
	free(j);
}

/* Counts events dropped without being sent; one log line per app now and then. */
static void app_dropped(push_pusher_hooks *h, hook_lane *ln, size_t n, const char *why)
{
	hook_app *ha = ln->ha;
	double now = ev_now(h->s->loop);

	h->s->stats.webhooks_dropped += n;
	if (ln->chan) {
		h->s->stats.webhooks_dropped_channel += n;
	}
	ha->drop_unlogged += n;
	if (ha->drop_logged == 0 || now - ha->drop_logged >= HOOK_DROP_LOG) {
		push_log("pusher webhooks of app %s to %s: %llu events dropped (%s)", ha->app->id, ha->app->webhook_url,
				(unsigned long long)ha->drop_unlogged, why);
		ha->drop_unlogged = 0;
		ha->drop_logged = now;
	}
}

/*
 * Closes the open batch of ha: its body gets time_ms (now, wall clock: the
 * receiver can tell a late webhook, and a retry sends the same body) and its
 * signature, and the request joins the app's lane.
 */
static void batch_close(push_pusher_hooks *h, hook_lane *ln)
{
	char sig[2 * PUSH_SHA256_DIGEST_LEN + 1];
	hook_app *ha = ln->ha;
	size_t blen = ln->batch.len, nev = ln->nbatch;
	struct timespec ts;
	push_buf body, req;
	hook_job *j;

	ev_timer_stop(h->s->loop, &ln->window);
	if (!nev) {
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	push_buf_init(&body, 0);
	push_buf_printf(&body, "{\"time_ms\":%lld,\"events\":[", (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	push_buf_put(&body, push_buf_data(&ln->batch), blen);
	push_buf_puts(&body, "]}");
	push_buf_free(&ln->batch);
	ln->nbatch = 0;
	ln->bytes -= blen;
	if (body.failed) {
		push_buf_free(&body);
		app_dropped(h, ln, nev, "out of memory");
		return;
	}
	push_pusher_hmac_hex(ha->app->secret, strlen(ha->app->secret), push_buf_data(&body), body.len, sig);
	push_buf_init(&req, 0);
	push_buf_printf(&req, "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: push\r\nContent-Type: application/json\r\n"
			"X-Pusher-Key: %s\r\nX-Pusher-Signature: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
			ha->path, ha->host, ha->app->key, sig, body.len);
	push_buf_put(&req, push_buf_data(&body), body.len);
	push_buf_free(&body);
	if (req.failed || !(j = calloc(1, sizeof(*j)))) {
		push_buf_free(&req);
		app_dropped(h, ln, nev, "out of memory");
		return;
	}
	j->ha = ha;
	j->ln = ln;
	j->req = push_buf_data(&req);      /* the buffer has no head: its data is its allocation */
	j->len = req.len;
	j->nevents = nev;
	j->fd = -1;
	ev_io_init(&j->io, job_io_cb, -1, EV_WRITE);
	ev_timer_init(&j->tm, job_timer_cb, HOOK_TIMEOUT, 0.);
	j->io.data = j->tm.data = j;
	PUSH_LIST_APPEND(ln->jobs, ln->jobs_tail, j, prev, next);
	ln->bytes += j->len;
	app_next(h, ln);
}

static void window_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	hook_lane *ln = w->data;

	batch_close(ln->ha->h, ln);
}

/* ------------------------------------------------------------------------
 * Requests
 */

/* Starts the next batch of lane ln if none is under way, when a slot is free (else ln waits for one). */
static void app_next(push_pusher_hooks *h, hook_lane *ln)
{
	hook_job *j = ln->jobs;
	int k = ln->chan;

	if (!j || j->state != HS_QUEUED || ln->waiting) {
		return;
	}
	if (h->inflight[k] >= HOOK_INFLIGHT) {
		ln->waiting = 1;
		PUSH_LIST_APPEND(h->wait_head[k], h->wait_tail[k], ln, w_prev, w_next);
		return;
	}
	job_start(h, j);
}

/* A slot was freed: the lanes waiting for one go, in turn. */
static void slots_freed(push_pusher_hooks *h)
{
	int k;

	for (k = 0; k < 2; k++) {
		while (h->wait_head[k] && h->inflight[k] < HOOK_INFLIGHT) {
			hook_lane *ln = h->wait_head[k];

			PUSH_LIST_UNLINK2(h->wait_head[k], h->wait_tail[k], ln, w_prev, w_next);
			ln->waiting = 0;
			app_next(h, ln);
		}
	}
}

/* The batch got a 2xx: done; the app's next batch goes. */
static void job_done(push_pusher_hooks *h, hook_job *j)
{
	hook_lane *ln = j->ln;

	h->s->stats.webhooks_sent++;
	job_free(h, j);
	app_next(h, ln);
	slots_freed(h);
}

/* This attempt failed (why is set): another one later, or the batch is dropped with one log line. */
static void job_failed(push_pusher_hooks *h, hook_job *j)
{
	hook_app *ha = j->ha;
	hook_lane *ln = j->ln;

	job_disconnect(h, j);
	if (++j->attempt >= HOOK_ATTEMPTS) {
		h->s->stats.webhooks_failed++;
		push_log("pusher webhook of app %s to %s failed %d times (last: %s): %zu event%s dropped", ha->app->id,
				ha->app->webhook_url, HOOK_ATTEMPTS, j->why, j->nevents, j->nevents == 1 ? "" : "s");
		job_free(h, j);
		app_next(h, ln);
	} else {
		j->state = HS_BACKOFF;
		/* 1 x, then 4 x HOOK_RETRY */
		ev_timer_set(&j->tm, HOOK_RETRY * (double)(1u << (2 * (j->attempt - 1))), 0.);
		ev_timer_start(h->s->loop, &j->tm);
	}
	slots_freed(h);
}

/* Connects to the next address of this attempt; -1 when none is left (why says why). */
static int job_connect(push_pusher_hooks *h, hook_job *j)
{
	hook_app *ha = j->ha;

	while (j->addr < ha->naddrs) {
		const struct sockaddr *a = (const struct sockaddr *)&ha->addrs[j->addr];
		int fd = socket(a->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

		if (fd < 0) {
			snprintf(j->why, sizeof(j->why), "socket: %s", strerror(errno));
			return -1;     /* out of descriptors: the next address would not do better */
		}
		if (connect(fd, a, ha->addr_lens[j->addr]) == 0 || errno == EINPROGRESS) {
			j->fd = fd;
			h->inflight[j->ln->chan]++;
			j->state = HS_CONNECTING;
			ev_io_set(&j->io, fd, EV_WRITE);
			ev_io_start(h->s->loop, &j->io);
			return 0;
		}
		snprintf(j->why, sizeof(j->why), "connect: %s", strerror(errno));
		close(fd);
		j->addr++;
	}
	return -1;
}

/* One attempt: a socket, the request, the status line, all within HOOK_TIMEOUT. */
static void job_start(push_pusher_hooks *h, hook_job *j)
{
	j->off = 0;
	j->alen = 0;
	j->addr = 0;
	ev_timer_stop(h->s->loop, &j->tm);
	ev_timer_set(&j->tm, HOOK_TIMEOUT, 0.);
	if (job_connect(h, j) != 0) {
		j->state = HS_QUEUED;
		job_failed(h, j);
		return;
	}
	ev_timer_start(h->s->loop, &j->tm);
}

static void job_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	hook_job *j = w->data;
	push_pusher_hooks *h = j->ha->h;

	if (j->state == HS_BACKOFF) {
		/* the next attempt: its turn is now, when a slot is free */
		j->state = HS_QUEUED;
		app_next(h, j->ln);
		return;
	}
	snprintf(j->why, sizeof(j->why), "no answer within %g s", HOOK_TIMEOUT);
	job_failed(h, j);
}

/* Reads "HTTP/1.x NNN": 1 when the status is known (*status set), 0 for more, -1 when it is not HTTP. */
static int status_line(hook_job *j, int *status)
{
	if (j->alen < 12) {
		return strncmp(j->ans, "HTTP/1.", j->alen < 7 ? j->alen : 7) == 0 ? 0 : -1;
	}
	if (strncmp(j->ans, "HTTP/1.", 7) != 0 || j->ans[8] != ' ' || j->ans[9] < '1' || j->ans[9] > '5'
			|| j->ans[10] < '0' || j->ans[10] > '9' || j->ans[11] < '0' || j->ans[11] > '9') {
		return -1;
	}
	*status = (j->ans[9] - '0') * 100 + (j->ans[10] - '0') * 10 + (j->ans[11] - '0');
	return 1;
}

static void job_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	hook_job *j = w->data;
	push_pusher_hooks *h = j->ha->h;
	int status = 0, r;

	if (j->state == HS_CONNECTING) {
		int e = 0;
		socklen_t el = sizeof(e);

		if (getsockopt(j->fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0) {
			e = errno;
		}
		if (e) {
			/* this address refused: the next one, in the same attempt */
			snprintf(j->why, sizeof(j->why), "connect: %s", strerror(e));
			ev_io_stop(loop, &j->io);
			close(j->fd);
			j->fd = -1;
			h->inflight[j->ln->chan]--;
			j->addr++;
			if (job_connect(h, j) != 0) {
				job_failed(h, j);
			}
			return;
		}
		j->state = HS_SENDING;
	}
	if (j->state == HS_SENDING) {
		while (j->off < j->len) {
			ssize_t n = send(j->fd, j->req + j->off, j->len - j->off, MSG_NOSIGNAL);

			if (n > 0) {
				j->off += (size_t)n;
			} else if (n < 0 && errno == EINTR) {
				continue;
			} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				return;
			} else {
				snprintf(j->why, sizeof(j->why), "send: %s", strerror(errno));
				job_failed(h, j);
				return;
			}
		}
		j->state = HS_READING;
		ev_io_stop(loop, &j->io);
		ev_io_set(&j->io, j->fd, EV_READ);
		ev_io_start(loop, &j->io);
		return;
	}
	/* HS_READING: only the status line matters */
	for (;;) {
		ssize_t n = recv(j->fd, j->ans + j->alen, sizeof(j->ans) - 1 - j->alen, 0);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			return;
		}
		if (n <= 0) {
			if (n == 0) {
				snprintf(j->why, sizeof(j->why), "closed without an answer");
			} else {
				snprintf(j->why, sizeof(j->why), "recv: %s", strerror(errno));
			}
			job_failed(h, j);
			return;
		}
		j->alen += (size_t)n;
		j->ans[j->alen] = '\0';
		if ((r = status_line(j, &status)) == 0) {
			continue;
		}
		if (r < 0) {
			snprintf(j->why, sizeof(j->why), "not an HTTP answer");
			job_failed(h, j);
		} else if (status >= 200 && status < 300) {
			job_done(h, j);
		} else {
			snprintf(j->why, sizeof(j->why), "HTTP %d", status);
			job_failed(h, j);
		}
		return;
	}
}

/* ------------------------------------------------------------------------
 * What pusher.h offers
 */

/* The hook state of app, NULL when it has no webhook_url. */
static hook_app *app_of(push_pusher_hooks *h, const push_pusher_app *app)
{
	size_t i;

	for (i = 0; i < h->napps; i++) {
		if (h->apps[i].app == app) {
			return &h->apps[i];
		}
	}
	for (i = 0; i < h->napps; i++) {
		if (strcmp(h->apps[i].app->id, app->id) == 0) {
			return &h->apps[i];
		}
	}
	return NULL;
}

void push_pusher_webhook(push_server *s, const push_pusher_app *app, const char *event_json, size_t len,
		int channel_kind)
{
	push_pusher_hooks *h = s->pusher_hooks;
	hook_app *ha;
	hook_lane *ln;
	size_t need = len + 1, had;

	if (!h || !app || !(ha = app_of(h, app)) || len < 2 || event_json[0] != '{' || event_json[len - 1] != '}') {
		return;
	}
	ln = &ha->lanes[channel_kind ? 1 : 0];
	if (ln->nbatch && (ln->nbatch >= HOOK_BATCH_EVENTS || ln->batch.len + need > HOOK_BATCH_BYTES)) {
		batch_close(h, ln);
	}
	if (need > HOOK_APP_BYTES - 1024) {
		/* no queue could hold it (with a request head and the batch around it): it alone is
		 * dropped, not the batches before it */
		app_dropped(h, ln, 1, "event larger than the webhook queue");
		return;
	}
	/* room under HOOK_APP_BYTES: the oldest batches not being sent or retried go first */
	while (ln->bytes + need > HOOK_APP_BYTES) {
		hook_job *old = ln->jobs && ln->jobs->state == HS_QUEUED ? ln->jobs : ln->jobs ? ln->jobs->next : NULL;

		if (!old) {
			app_dropped(h, ln, 1, "queue full");
			return;
		}
		app_dropped(h, ln, old->nevents, "queue full");
		job_free(h, old);
	}
	had = ln->batch.len;
	if (ln->nbatch) {
		push_buf_put(&ln->batch, ",", 1);
	}
	push_buf_put(&ln->batch, event_json, len);
	if (ln->batch.failed) {
		/* the open batch is lost with it */
		ln->bytes -= had;
		push_buf_free(&ln->batch);
		app_dropped(h, ln, ln->nbatch + 1, "out of memory");
		ln->nbatch = 0;
		ev_timer_stop(s->loop, &ln->window);
		return;
	}
	ln->bytes += need - (ln->nbatch ? 0 : 1);
	if (ln->nbatch++ == 0) {
		ev_timer_set(&ln->window, ln->chan ? HOOK_WINDOW : HOOK_WINDOW_MEMBER, 0.);
		ev_timer_start(s->loop, &ln->window);
	}
	if (ln->nbatch >= HOOK_BATCH_EVENTS || ln->batch.len >= HOOK_BATCH_BYTES) {
		batch_close(h, ln);
	}
}

int push_pusher_hooks_init(push_server *s, char *err, size_t errlen)
{
	push_pusher_hooks *h;
	size_t i, n = 0;

	for (i = 0; i < s->cfg.pusher_napps; i++) {
		if (s->cfg.pusher_apps[i].webhook_url && s->cfg.pusher_apps[i].webhook_url[0]) {
			n++;
		}
	}
	if (!n) {
		return 0;       /* no webhooks: push_pusher_webhook() does nothing */
	}
	if (!s->loop) {
		snprintf(err, errlen, "webhooks need the event loop");
		return -1;
	}
	if (!(h = calloc(1, sizeof(*h))) || !(h->apps = calloc(n, sizeof(*h->apps)))) {
		free(h);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	h->s = s;
	s->pusher_hooks = h;
	for (i = 0; i < s->cfg.pusher_napps; i++) {
		const push_pusher_app *app = &s->cfg.pusher_apps[i];
		hook_app *ha;
		const char *k;
		int l;

		if (!app->webhook_url || !app->webhook_url[0]) {
			continue;
		}
		ha = &h->apps[h->napps++];
		ha->app = app;
		ha->h = h;
		for (l = 0; l < 2; l++) {
			hook_lane *ln = &ha->lanes[l];

			ln->ha = ha;
			ln->chan = (uint8_t)l;
			push_buf_init(&ln->batch, 0);
			ev_timer_init(&ln->window, window_cb, HOOK_WINDOW, 0.);
			ln->window.data = ln;
		}
		for (k = app->key; *k; k++) {
			if ((unsigned char)*k < 0x20 || *k == 0x7f) {
				snprintf(err, errlen, "the key of Pusher app %s has a control character", app->id);
				push_pusher_hooks_free(s);
				return -1;
			}
		}
		if (parse_url(ha, app->webhook_url, err, errlen) != 0) {
			push_pusher_hooks_free(s);
			return -1;
		}
	}
	return 0;
}

void push_pusher_hooks_free(push_server *s)
{
	push_pusher_hooks *h = s->pusher_hooks;
	size_t i, unsent = 0;

	if (!h) {
		return;
	}
	for (i = 0; i < h->napps; i++) {
		hook_app *ha = &h->apps[i];
		int l;

		for (l = 0; l < 2; l++) {
			hook_lane *ln = &ha->lanes[l];

			ev_timer_stop(s->loop, &ln->window);
			unsent += ln->nbatch;
			push_buf_free(&ln->batch);
			while (ln->jobs) {
				unsent += ln->jobs->nevents;
				job_free(h, ln->jobs);
			}
		}
		free(ha->host);
		free(ha->path);
	}
	if (unsent) {
		push_log("pusher webhooks: %zu events not sent (the server stopped)", unsent);
	}
	free(h->apps);
	free(h);
	s->pusher_hooks = NULL;
}

/* A webhook event of app, when it has a webhook URL: {"name":N,"channel":C<rest>}. */
void push_pusher_hook_event(push_server *s, const push_pusher_app *app, const char *name, const char *ch, size_t chlen,
		const char *rest, size_t rlen)
{
	push_buf b;

	if (!app->webhook_url || s->hooks_off) {
		return;
	}
	push_buf_init(&b, 0);
	push_buf_puts(&b, "{\"name\":");
	push_buf_json_str(&b, name, strlen(name));
	push_buf_puts(&b, ",\"channel\":");
	push_buf_json_str(&b, ch, chlen);
	push_buf_put(&b, rest, rlen);
	push_buf_put(&b, "}", 1);
	if (!b.failed) {
		push_pusher_webhook(s, app, push_buf_data(&b), b.len,
				strcmp(name, "member_added") != 0 && strcmp(name, "member_removed") != 0
				&& strcmp(name, "client_event") != 0);
	}
	push_buf_free(&b);
}
