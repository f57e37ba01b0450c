/*
 * handshake.c - front end: WebSocket-port connections whose request head has
 * not arrived yet, and the client addresses of the port's connections.
 *
 * Each accepted socket is watched from accept until its head is complete (an
 * upgrade or an HTTP request): it is cut at handshake_timeout, however slowly
 * its bytes come, and a remote address may hold at most
 * max_handshakes_per_address such connections. libwebsockets' header pool
 * (server.c) holds one table per head being read; when the waiting
 * connections reach it, a new one makes room by cutting the oldest waiting
 * connection of the address that holds the most (among the oldest 64), if
 * that address holds more than the newcomer's: many addresses filling the
 * pool with slow heads cannot keep a client from another address out.
 *
 * Established WebSocket connections are counted per client address (ws.c
 * asks push_addr_full() before the upgrade): max_connections_per_address.
 * The client address is the TCP peer's, or behind a trusted proxy
 * (trusted_proxies) the last hop of X-Forwarded-For that is not a trusted
 * proxy itself. IPv6 addresses count by /64, what one host usually holds.
 * Each address's entry also counts the unfinished client input its
 * connections hold (conn.c, max_input_per_address).
 *
 * On a plain port it also looks (MSG_PEEK) at the first bytes a connection
 * sends, before libwebsockets reads them: a client that sent more than its
 * request head before the 101 answer (RFC 6455 4.1 forbids it, libwebsockets
 * takes it) has its frames left to libwebsockets' parser, because
 * libwebsockets read them with the head (wsread.c reads the others).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ev.h>
#include <libwebsockets.h>

#include "list.h"
#include "registry.h"
#include "server_int.h"
#include "handshake.h"

/* One connection waiting for its request head. */
struct push_hs_wait {
	struct lws *wsi;                   /* the connection (its network connection under HTTP/2) */
	struct push_hs_wait *prev, *next;  /* every waiting connection, oldest first */
	push_entry *addr;                  /* its remote address; count = waiting connections from it */
	uint32_t opened_ms;                /* accepted at (now32) */
	uint8_t early;                     /* bytes behind the request head, or a head not seen whole */
	ev_io peek;                        /* plain port: the first readable bytes, seen before libwebsockets reads them */
};

#define EVICT_LOOK 64              /* oldest waiting connections looked at for one to cut when the pool is full */

/* One entry of trusted_proxies. */
struct push_cidr {
	unsigned char a[16];       /* address, IPv4 mapped into IPv6 */
	unsigned bits;             /* prefix length (IPv4: 96 + its own) */
};

/* Parses an IPv4 or IPv6 literal (IPv4 mapped into IPv6); 4 or 6, 0 if it is none. */
static int addr_parse(const char *p, size_t n, unsigned char key[16])
{
	char tmp[64];

	if (n == 0 || n >= sizeof(tmp)) {
		return 0;
	}
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	memset(key, 0, 16);
	if (inet_pton(AF_INET, tmp, key + 12) == 1) {
		key[10] = key[11] = 0xff;
		return 4;
	}
	return inet_pton(AF_INET6, tmp, key) == 1 ? 6 : 0;
}

/* Whether key is in the prefix c. */
static int cidr_has(const struct push_cidr *c, const unsigned char key[16])
{
	unsigned full = c->bits / 8, rest = c->bits % 8;

	if (memcmp(c->a, key, full) != 0) {
		return 0;
	}
	return !rest || ((c->a[full] ^ key[full]) & (0xff00u >> rest) & 0xff) == 0;
}

static int trusted(push_server *s, const unsigned char key[16])
{
	size_t i;

	for (i = 0; i < s->nproxies; i++) {
		if (cidr_has(&s->proxies[i], key)) {
			return 1;
		}
	}
	return 0;
}

/* What one address counts as: IPv6 by its /64 (one host's usual share), IPv4 whole. */
static void key_norm(unsigned char key[16])
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (memcmp(key, mapped, 12) != 0) {
		memset(key + 8, 0, 8);
	}
}

int push_addr_init(push_server *s, char *err, size_t errlen)
{
	size_t i;

	if (!s->cfg.ntrusted_proxies) {
		return 0;
	}
	if (!(s->proxies = calloc(s->cfg.ntrusted_proxies, sizeof(*s->proxies)))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < s->cfg.ntrusted_proxies; i++) {
		const char *p = s->cfg.trusted_proxies[i], *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		struct push_cidr *c = &s->proxies[i];
		int v = addr_parse(p, n, c->a);
		char *end = NULL;
		long bits = v == 4 ? 32 : 128;

		if (v && slash) {
			bits = strtol(slash + 1, &end, 10);
			if (end == slash + 1 || *end || bits < 0 || bits > (v == 4 ? 32 : 128)) {
				v = 0;
			}
		}
		if (!v) {
			snprintf(err, errlen, "trusted_proxies: \"%s\" is not an IPv4 or IPv6 address or CIDR", p);
			return -1;
		}
		c->bits = (unsigned)(v == 4 ? 96 + bits : bits);
	}
	s->nproxies = s->cfg.ntrusted_proxies;
	return 0;
}

/* The remote address as 16 bytes (IPv4 mapped into IPv6). */
static int peer_key(int fd, unsigned char key[16])
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	memset(key, 0, 16);
	if (getpeername(fd, (struct sockaddr *)&ss, &sl) != 0) {
		return -1;
	}
	if (ss.ss_family == AF_INET) {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	} else if (ss.ss_family == AF_INET6) {
		memcpy(key, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
	}
	return 0;
}

static void wait_drop(push_server *s, push_hs_wait *w)
{
	if (ev_is_active(&w->peek)) {
		ev_io_stop(s->loop, &w->peek);
	}
	PUSH_LIST_UNLINK2(s->hs_waits, s->hs_tail, w, prev, next);
	push_idmap_del(&s->hs_ids, (uint64_t)(uintptr_t)w->wsi);
	if (w->addr && --w->addr->count == 0) {
		push_registry_remove(&s->hs_addrs, w->addr);
	}
	free(w);
}

/*
 * The first bytes of a plain connection, before libwebsockets reads them (a
 * higher priority): whether the request head ends in them with nothing
 * behind. Looked at once: a head that does not end in its first bytes counts
 * as early too, its end being out of sight.
 */
static void hs_peek_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	push_hs_wait *w = (push_hs_wait *)(void *)((char *)io - offsetof(push_hs_wait, peek));
	push_server *s = io->data;
	ssize_t n = recv(io->fd, s->rbuf, TEXT_READ_SIZE, MSG_PEEK | MSG_DONTWAIT);
	const char *end;

	(void)revents;
	ev_io_stop(loop, io);
	if (n <= 0) {
		return;
	}
	end = memmem(s->rbuf, (size_t)n, "\r\n\r\n", 4);
	w->early = !end || end + 4 < s->rbuf + n;
}

/* Cuts a waiting connection at once: the peer sees the end now, libwebsockets frees it at its next look. */
static void wait_cut(push_server *s, push_hs_wait *w)
{
	shutdown(lws_get_socket_fd(w->wsi), SHUT_RDWR);
	lws_set_timeout(w->wsi, PENDING_TIMEOUT_HTTP_CONTENT, LWS_TO_KILL_ASYNC);
	wait_drop(s, w);
	s->kick = 1;
}

/*
 * The header pool is full: cuts the waiting connection, among the oldest,
 * of the address that holds the most, if it holds more than mine does.
 * 0 when there is room now, -1 when the newcomer must go.
 */
static int pool_make_room(push_server *s, uint32_t mine)
{
	push_hs_wait *w, *best = NULL;
	uint32_t most = 0;
	int i;

	for (w = s->hs_waits, i = 0; w && i < EVICT_LOOK; w = w->next, i++) {
		if (w->addr && w->addr->count > most) {
			most = w->addr->count;
			best = w;
		}
	}
	s->stats.refused_hs_evicted++;
	if (!best || most <= mine) {
		return -1;
	}
	wait_cut(s, best);
	return 0;
}

/* A socket accepted on the WebSocket port: refused (closed) over the per-address cap, else handed to libwebsockets. */
void push_hs_accept(push_server *s, int fd)
{
	unsigned char key[16];
	push_entry *e = NULL;
	push_hs_wait *w;
	struct lws *wsi;
	int known = peer_key(fd, key) == 0;

	if (known && s->nproxies && trusted(s, key)) {
		known = 0;             /* a trusted proxy carries many clients: not capped here */
	}
	if (known) {
		key_norm(key);
		e = push_registry_find(&s->hs_addrs, (const char *)key, sizeof(key));
		if (s->hs_pool && s->hs_ids.count >= s->hs_pool && pool_make_room(s, e ? e->count : 0) != 0) {
			close(fd);
			return;
		}
		if (e && s->cfg.max_hs_per_addr && e->count >= s->cfg.max_hs_per_addr) {
			s->stats.refused_hs_per_addr++;
			close(fd);
			return;
		}
		if (!e && !(e = push_registry_get(&s->hs_addrs, (const char *)key, sizeof(key)))) {
			close(fd);
			return;
		}
	}
	/* on failure libwebsockets has closed the socket */
	if (!(wsi = lws_adopt_socket_vhost(s->ws_vh, fd)) || !(w = calloc(1, sizeof(*w)))) {
		if (e && !e->count) {
			push_registry_remove(&s->hs_addrs, e);
		}
		return;
	}
	w->wsi = wsi;
	w->addr = e;
	w->opened_ms = now32(s);
	if (e) {
		e->count++;
	}
	if (push_idmap_put(&s->hs_ids, (uint64_t)(uintptr_t)wsi, w) != 0) {
		if (e && --e->count == 0) {
			push_registry_remove(&s->hs_addrs, e);
		}
		free(w);
		return;
	}
	if (!s->cfg.tls_cert) {
		ev_io_init(&w->peek, hs_peek_cb, fd, EV_READ);
		ev_set_priority(&w->peek, EV_MAXPRI);
		w->peek.data = s;
		ev_io_start(s->loop, &w->peek);
	}
	/* appended: the list stays in accept order, so the sweep stops at the first one in time */
	PUSH_LIST_APPEND(s->hs_waits, s->hs_tail, w, prev, next);
}

/*
 * The connection's head is complete (or it is gone): it no longer waits. 1 if
 * bytes came behind the head, or if that is not known: a connection that
 * served HTTP requests before its upgrade was looked at for its first head
 * only, and libwebsockets may hold bytes that came behind a later one.
 */
int push_hs_done(push_server *s, struct lws *wsi)
{
	push_hs_wait *w;
	int early;

	if (!s->hs_waits) {
		return 1;
	}
	if ((w = push_idmap_get(&s->hs_ids, (uint64_t)(uintptr_t)wsi))
			|| (w = push_idmap_get(&s->hs_ids, (uint64_t)(uintptr_t)lws_get_network_wsi(wsi)))) {
		early = w->early;
		wait_drop(s, w);
		return early;
	}
	return 1;
}

/* From the sweep: cuts the connections whose head did not arrive in time. */
void push_hs_sweep(push_server *s, uint32_t now)
{
	while (s->hs_waits && (int32_t)(now - s->hs_waits->opened_ms) >= (int32_t)s->cfg.handshake_timeout_ms) {
		push_hs_wait *w = s->hs_waits;

		s->stats.refused_hs_timeout++;
		wait_cut(s, w);
	}
}

void push_hs_free_all(push_server *s)
{
	while (s->hs_waits) {
		wait_drop(s, s->hs_waits);
	}
	push_registry_destroy(&s->hs_addrs);
	push_idmap_destroy(&s->hs_ids);
	push_registry_destroy(&s->addrs);
	free(s->proxies);
	s->proxies = NULL;
}

/*
 * The client behind a trusted proxy: X-Forwarded-For read from its right end,
 * the first hop that is not a trusted proxy (all trusted: the leftmost). A
 * hop that is not an address ends the walk at the hop before it.
 */
static void xff_client(push_server *s, struct lws *wsi, unsigned char key[16])
{
	int n = lws_hdr_total_length(wsi, WSI_TOKEN_X_FORWARDED_FOR);
	char *h, *end;
	unsigned char hop[16];

	if (n <= 0 || !(h = malloc((size_t)n + 1))) {
		return;
	}
	if (lws_hdr_copy(wsi, h, n + 1, WSI_TOKEN_X_FORWARDED_FOR) < 0) {
		free(h);
		return;
	}
	end = h + strlen(h);
	while (end > h) {
		char *start = end, *a, *b;

		while (start > h && start[-1] != ',') {
			start--;
		}
		for (a = start; a < end && (*a == ' ' || *a == '\t'); a++) {
		}
		for (b = end; b > a && (b[-1] == ' ' || b[-1] == '\t'); b--) {
		}
		if (!addr_parse(a, (size_t)(b - a), hop)) {
			break;
		}
		memcpy(key, hop, 16);
		if (!trusted(s, hop)) {
			break;
		}
		end = start > h ? start - 1 : h;
	}
	free(h);
}

int push_addr_key(push_server *s, struct lws *wsi, unsigned char key[16])
{
	if (peer_key(lws_get_socket_fd(lws_get_network_wsi(wsi)), key) != 0) {
		return -1;
	}
	if (s->nproxies && trusted(s, key)) {
		xff_client(s, wsi, key);
	}
	key_norm(key);
	return 0;
}

int push_addr_of(const push_conn *c, unsigned char key[16])
{
	const push_entry *e = c->rd.data;

	if (!e || e->len != 16) {
		return -1;
	}
	memcpy(key, e->name, 16);
	return 0;
}

int push_addr_full(push_server *s, const unsigned char key[16])
{
	push_entry *e;

	return s->cfg.max_conns_per_addr && (e = push_registry_find(&s->addrs, (const char *)key, 16)) != NULL
			&& e->count >= s->cfg.max_conns_per_addr;
}

void push_addr_conn_add(push_server *s, push_conn *c, const unsigned char key[16])
{
	push_entry *e = push_registry_get(&s->addrs, (const char *)key, 16);

	if (e) {
		e->count++;
	}
	c->rd.data = e;
}

void push_addr_conn_del(push_server *s, push_conn *c)
{
	push_entry *e = c->rd.data;

	c->rd.data = NULL;
	if (e && --e->count == 0 && !e->aux) {
		push_registry_remove(&s->addrs, e);
	}
}
