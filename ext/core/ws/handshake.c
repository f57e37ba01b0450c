/*
 * handshake.c - front end: WebSocket-port connections whose request head has
 * not arrived yet. Each accepted socket is watched from accept until its head
 * is complete (an upgrade or an HTTP request): it is cut at handshake_timeout,
 * however slowly its bytes come, and a remote address may hold at most
 * max_handshakes_per_address such connections. libwebsockets' header pool is
 * sized from max_connections (server.c), so slow heads cannot starve new
 * clients: they are bounded by these two limits instead.
 *
 * On a plain port it also looks (MSG_PEEK) at the first bytes a connection
 * sends, before libwebsockets reads them: a client that sent more than its
 * request head before the 101 answer (RFC 6455 4.1 forbids it, libwebsockets
 * takes it) has its frames left to libwebsockets' parser, because
 * libwebsockets read them with the head (wsread.c reads the others).
 */
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

/* One connection waiting for its request head. */
struct push_hs_wait {
	struct lws *wsi;                   /* the connection (its network connection under HTTP/2) */
	struct push_hs_wait *prev, *next;  /* every waiting connection, oldest first */
	push_entry *addr;                  /* its remote address; count = waiting connections from it */
	uint32_t opened_ms;                /* accepted at (now32) */
	uint8_t early;                     /* bytes behind the request head, or a head not seen whole */
	ev_io peek;                        /* plain port: the first readable bytes, seen before libwebsockets reads them */
};

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

/* A socket accepted on the WebSocket port: refused (closed) over the per-address cap, else handed to libwebsockets. */
void push_hs_accept(push_server *s, int fd)
{
	unsigned char key[16];
	push_entry *e = NULL;
	push_hs_wait *w;
	struct lws *wsi;

	if (peer_key(fd, key) == 0 && s->cfg.max_hs_per_addr) {
		e = push_registry_find(&s->hs_addrs, (const char *)key, sizeof(key));
		if (e && e->count >= s->cfg.max_hs_per_addr) {
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
	while (s->hs_waits && now - s->hs_waits->opened_ms >= s->cfg.handshake_timeout_ms) {
		push_hs_wait *w = s->hs_waits;

		s->stats.refused_hs_timeout++;
		lws_set_timeout(w->wsi, PENDING_TIMEOUT_HTTP_CONTENT, LWS_TO_KILL_ASYNC);
		wait_drop(s, w);
	}
}

void push_hs_free_all(push_server *s)
{
	while (s->hs_waits) {
		wait_drop(s, s->hs_waits);
	}
	push_registry_destroy(&s->hs_addrs);
	push_idmap_destroy(&s->hs_ids);
}
