/*
 * server.c - server lifecycle: configuration, the listeners and their
 * accept loops, the sweep (auth timeouts, heartbeat, closing deadlines,
 * history TTL), host timers, run/stop/free, stats.
 *
 * The layers, bottom up (docs/ARCHITECTURE.md): util -> protocol parsers ->
 * node (conn.c, history.c, deliver.c, groups.c) -> cluster -> routing
 * (route.c) -> front ends (ws.c, text.c, text_cmd.c, http.c) -> this file.
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

#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "cluster.h"
#include "registry.h"
#include "server.h"
#include "pusher.h"
#include "pusher_ops.h"
#include "server_int.h"
#include "conn.h"
#include "history.h"
#include "route.h"
#include "ws.h"
#include "handshake.h"
#include "text.h"
#include "textproto.h"
#include "textproto.h"
#include "wsframe.h"

static void lws_log_emit(int level, const char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) {
		n--;
	}
	push_log("libwebsockets: %.*s", (int)n, line);
}

/* push_conn is allocated once per connection: it must stay within a 192-byte heap chunk. */
typedef char push_conn_fits_192[sizeof(push_conn) <= 184 ? 1 : -1];

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
	c->text_auth_timeout_ms = 10000;
	c->max_text_conns = 10000;
	c->handshake_timeout_ms = 5000;
	c->max_hs_per_addr = 64;
	c->max_conns_per_addr = 1000;
	c->message_timeout_ms = 10000;
	c->max_input_per_addr = 4 * 1024 * 1024;
	c->max_input_total = 256 * 1024 * 1024;
	c->send_queue_max = 4 * 1024 * 1024;
	c->busy_poll_us = 100;
	c->drain_timeout_ms = 3000;
	c->history_size = 0;
	c->history_ttl_ms = 300000;
	c->history_bytes = 64ull * 1024 * 1024;
	c->pusher_activity_timeout = 120;
	c->pusher_max_channel_len = 164;
	c->pusher_max_event_len = 200;
	c->pusher_max_payload = 10240;
	c->pusher_max_channels = 100;
	c->pusher_max_channels_per_addr = 20000;
	c->pusher_max_members = 100;
	c->pusher_max_member_info = 1024;
	c->pusher_client_event_rate = 10;
	c->pusher_max_batch = 10;
	c->pusher_max_trigger_channels = 100;
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
	for (i = 0; i < c->ntrusted_proxies; i++) {
		free(c->trusted_proxies[i]);
	}
	free(c->trusted_proxies);
	for (i = 0; i < c->pusher_napps; i++) {
		free(c->pusher_apps[i].id);
		free(c->pusher_apps[i].key);
		free(c->pusher_apps[i].secret);
		free(c->pusher_apps[i].webhook_url);
	}
	free(c->pusher_apps);
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
	d->trusted_proxies = NULL;
	if (s->ntrusted_proxies) {
		d->trusted_proxies = calloc(s->ntrusted_proxies, sizeof(char *));
		if (!d->trusted_proxies) {
			d->ntrusted_proxies = 0;
			return -1;
		}
		for (i = 0; i < s->ntrusted_proxies; i++) {
			if (!(d->trusted_proxies[i] = xstrdup(s->trusted_proxies[i]))) {
				return -1;
			}
		}
	}
	d->pusher_apps = NULL;
	if (s->pusher_napps) {
		d->pusher_apps = calloc(s->pusher_napps, sizeof(*d->pusher_apps));
		if (!d->pusher_apps) {
			d->pusher_napps = 0;
			return -1;
		}
		for (i = 0; i < s->pusher_napps; i++) {
			const push_pusher_app *a = &s->pusher_apps[i];
			push_pusher_app *b = &d->pusher_apps[i];

			b->id = xstrdup(a->id);
			b->key = xstrdup(a->key);
			b->secret = xstrdup(a->secret);
			b->webhook_url = xstrdup(a->webhook_url);
			b->client_events = a->client_events;
			b->max_channels = a->max_channels;
			if (!b->id || !b->key || !b->secret || (a->webhook_url && !b->webhook_url)) {
				return -1;
			}
		}
	}
	return 0;
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

/* The Text listener: each connection goes to the Text front end (text.c). */
static void text_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	push_server *s = w->data;
	int i;

	for (i = 0; i < 64; i++) {
		int fd = accept_conn(s, w, "Text");

		if (fd < 0) {
			return;
		}
		push_text_open(s, fd);
	}
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
		push_hs_accept(s, fd);
	}
	push_conn_lws_kick(s);
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
		push_hist_expire(s);
	}
	if (s->texts) {
		push_text_sweep(s, now);
	}
	if (s->hs_waits) {
		push_hs_sweep(s, now);
	}
	for (c = s->all; c; c = next) {
		int64_t idle = (int32_t)(now - c->last_rx_ms);

		next = c->all_next;
		if (c->state == CS_CLOSING) {
			/* its close frame could not be written in time: cut it (we are outside libwebsockets here) */
			if (idle >= 0) {
				push_conn_cut(s, c);
			}
			continue;
		}
		if (c->rare && c->rare->in_open && s->cfg.message_timeout_ms
				&& (int32_t)(now - c->rare->in_since_ms) >= (int32_t)s->cfg.message_timeout_ms) {
			/* a message begun and not complete in time: what it holds is let go now */
			s->stats.refused_msg_timeout++;
			push_conn_in_drop(s, c);
			push_conn_close_async(c, PUSH_CLOSE_POLICY, "message not complete in time");
			continue;
		}
		if (c->state == CS_PENDING) {
			/* signed: a connection opened while this sweep ran (libwebsockets woken from it) is younger than now */
			if ((int32_t)(now - c->opened_ms) >= (int32_t)s->cfg.auth_timeout_ms) {
				s->stats.refused_auth_timeout++;
				push_conn_close_async(c, PUSH_CLOSE_AUTH_TIMEOUT, "authentication timeout");
			}
			continue;
		}
		if (c->state != CS_BOUND || !s->cfg.ping_interval_ms) {
			continue;
		}
		if (c->ping_sent && idle >= (int64_t)(s->cfg.ping_interval_ms + s->cfg.ping_timeout_ms)) {
			s->stats.heartbeat_timeouts++;
			/* what waits for it would go out before the close frame: drop it, then say why */
			push_conn_out_release(s, c);
			push_conn_dirty_del(s, c);
			push_conn_close_async(c, PUSH_CLOSE_HEARTBEAT, "no answer to pings");
		} else if (!c->ping_sent && idle >= (int64_t)s->cfg.ping_interval_ms) {
			/* with a payload: libwebsockets 4.1 does not report empty pongs */
			if (push_conn_queue(s, c, PUSH_WS_OP_PING, "push", 4)) {
				c->ping_sent = 1;
			}
		}
	}
	if (s->dirty) {
		push_conn_flush_dirty(s);
	}
	trim_after_leave(s);
	push_conn_lws_kick(s);
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
		push_conn_flush_dirty(s);
	}
	push_conn_lws_kick(s);
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

static const lws_retry_bo_t no_validity = {
	.secs_since_valid_ping = 0,
	.secs_since_valid_hangup = 0,
};

/* Runs the notifications asked for with push_server_notify() (from a signal handler or another thread). */
static void notify_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	push_server *s = w->data;
	unsigned what = __atomic_exchange_n(&s->notify_bits, 0u, __ATOMIC_ACQ_REL);

	if (what && s->hooks.on_notify && !s->hooks_off) {
		s->hooks.on_notify(s->hooks.ud, what);
		if (s->dirty) {
			push_conn_flush_dirty(s);
		}
		push_conn_lws_kick(s);
	}
}

void push_server_notify(push_server *s, unsigned what)
{
	__atomic_fetch_or(&s->notify_bits, what, __ATOMIC_ACQ_REL);
	ev_async_send(s->loop, &s->notify);
}

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
			|| push_registry_init(&s->hist, 64) != 0 || !(s->parser = calloc(1, sizeof(*s->parser)))
			|| push_textparser_init(s->parser) != 0
			|| push_idmap_init(&s->hs_ids, 64) != 0 || push_registry_init(&s->hs_addrs, 64) != 0
			|| push_registry_init(&s->addrs, 64) != 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (push_addr_init(s, err, errlen) != 0) {
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
	/*
	 * A header table for every connection that may be reading its head: slow
	 * heads are bounded by handshake_timeout and the per-address cap
	 * (handshake.c), not by making everyone else wait for a free table.
	 * Tables are allocated when used and freed after the head. Addresses are
	 * many, so that alone does not bound them: once the connections waiting
	 * for their head fill 7/8 of the pool (the rest is for HTTP requests
	 * being answered), a new one takes the place of the oldest one of the
	 * address that holds the most (handshake.c).
	 */
	info.max_http_header_pool = (unsigned short)(s->cfg.max_conns > 65535 ? 65535
			: s->cfg.max_conns < 256 ? 256 : s->cfg.max_conns);
	s->hs_pool = info.max_http_header_pool - info.max_http_header_pool / 8u;
	s->ctx = lws_create_context(&info);
	if (!s->ctx) {
		snprintf(err, errlen, "cannot create the libwebsockets context (is the libev event library "
				"plugin installed? on Debian: apt-get install libwebsockets-evlib-ev)");
		goto fail;
	}

	memset(&info, 0, sizeof(info));
	info.vhost_name = "push-ws";
	info.port = CONTEXT_PORT_NO_LISTEN_SERVER;     /* push listens itself (ws_accept_cb) */
	info.protocols = push_ws_protocols;
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

	/* the read buffer of Text connections and of WebSocket frames (wsread.c) */
	if (!(s->rbuf = malloc(TEXT_READ_SIZE))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (s->text_fd >= 0) {
		ev_io_init(&s->text_accept, text_accept_cb, s->text_fd, EV_READ);
		s->text_accept.data = s;
		ev_io_start(s->loop, &s->text_accept);
	}
	if (push_route_init(s, err, errlen) != 0) {    /* node observer; the cluster when "redis" is set */
		goto fail;
	}
	if (push_pusher_init(s, err, errlen) != 0) {   /* the Pusher protocol, when apps are configured */
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
	ev_idle_init(&s->spin, push_text_spin_cb);
	s->spin.data = s;
	ev_timer_start(s->loop, &s->sweep);

	if (s->hooks.on_start) {
		s->hooks.on_start(s->hooks.ud);
		if (s->dirty) {
			push_conn_flush_dirty(s);
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
		push_conn_close_async(c, PUSH_CLOSE_GOING_AWAY, "server stopping");
	}
	ev_io_stop(s->loop, &s->text_accept);
	for (t = s->texts; t; t = tnext) {
		tnext = t->next;
		/* answers already computed go out first; a connection with nothing owed closes now */
		if (push_text_flush(s, t) != 0 || (t->out_off >= t->out.len && !t->pq_head)) {
			push_text_close(s, t);
		}
	}
	ev_timer_init(&s->drain, drain_cb, s->cfg.drain_timeout_ms / 1000.0, 0.);
	ev_timer_start(s->loop, &s->drain);
	push_conn_drain_check(s);
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
		push_text_close(s, s->texts);
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
	push_pusher_free(s);          /* after its sockets closed; its webhooks leave the loop */
	if (s->loop) {
		ev_async_stop(s->loop, &s->notify);
		ev_loop_destroy(s->loop);
	}
	if (s->parser) {
		push_textparser_destroy(s->parser);
		free(s->parser);
	}
	push_registry_destroy(&s->uids);
	push_registry_destroy(&s->groups);
	free(s->gmidx.slots);     /* empty unless memberships outlived their connections */
	push_hist_destroy(s);
	push_registry_destroy(&s->hist);
	push_idmap_destroy(&s->ids);
	push_hs_free_all(s);
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

