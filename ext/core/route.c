/*
 * route.c - routing layer: the cluster-aware operations. Each one delivers
 * here (deliver.c, groups.c) and, in cluster mode, publishes for the other
 * nodes (cluster.c), and says what happened in a push_result. The front ends
 * (Text port, WebSocket, HTTP API) and the host call these, never the node
 * and cluster layers' delivery functions.
 *
 * It also installs the node observer (presence and group membership changes
 * reach groups, history and the cluster from here) and the cluster's event
 * sink (what other nodes publish is delivered here).
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

#include "buf.h"
#include "cluster.h"
#include "cluster_mirror.h"
#include "registry.h"
#include "server_int.h"
#include "conn.h"
#include "history.h"
#include "deliver.h"
#include "groups.h"
#include "route.h"

/* ------------------------------------------------------ node observer -- */

/* A uid's connections here changed: the cluster, groups and history hear of it. */
static void route_presence(push_server *s, push_entry *e, push_conn *leaving)
{
	if (s->cluster) {
		if (!leaving && e->count == 1) {
			push_cluster_local_uid(s->cluster, e->name, e->len, 1);
		}
		push_cluster_presence(s->cluster, e->name, e->len, e->count);
		if (leaving && e->count == 0) {
			push_cluster_local_uid(s->cluster, e->name, e->len, 0);
		}
		push_groups_refresh(s, e, leaving);
	}
	if (leaving && e->count == 0) {
		push_history *h;

		if (e->aux) {
			push_groups_uid_gone(s, e);
		}
		if (s->cfg.history_size && (h = push_hist_get(s, e->name, e->len, 0)) != NULL) {
			push_hist_uid_offline(s, h);
		}
	}
}

static void route_group_member(push_server *s, push_entry *g, push_entry *u, uint32_t count)
{
	if (s->cluster) {
		push_cluster_group_member(s->cluster, g->name, g->len, u->name, u->len, count);
	}
}

static const struct push_node_obs route_obs = { route_presence, route_group_member };
/* Alone, nobody needs the membership counts: groups.c does not work them out. */
static const struct push_node_obs route_obs_alone = { route_presence, NULL };

/* ------------------------------------------------- the cluster's sink -- */

static int sink_local_online(void *ud, const char *uid, size_t len)
{
	push_server *s = ud;

	return push_registry_find(&s->uids, uid, len) != NULL;
}

static int resync_one(push_entry *e, void *arg)
{
	push_server *s = arg;

	push_cluster_presence(s->cluster, e->name, e->len, e->count);
	return 0;
}

static void sink_resync(void *ud)
{
	push_server *s = ud;

	push_registry_each(&s->uids, resync_one, s);
	push_groups_resync(s);
	if (s->front_resync) {
		s->front_resync(s);
	}
}

static void sink_push(void *ud, const char *uid, size_t len, const char *msg, size_t mlen)
{
	push_local_send_uid(ud, uid, len, msg, mlen);
}

static void sink_broadcast(void *ud, const char *msg, size_t mlen, const push_exclude *ex)
{
	push_local_broadcast(ud, msg, mlen, ex);
}

static void sink_group(void *ud, const char *g, size_t glen, const char *msg, size_t mlen, const push_exclude *ex)
{
	push_local_send_group(ud, g, glen, msg, mlen, ex);
}

static void sink_kick(void *ud, const char *uid, size_t len, int code, const char *reason)
{
	push_local_kick(ud, uid, len, code, reason);
}

static void sink_join(void *ud, const char *g, size_t glen, const char *uid, size_t ulen, int join)
{
	/* only the host's and clients' joins travel (a front end's own groups are joined by connection) */
	if (!push_route_group_name_error(g, glen) && !push_route_uid_error(uid, ulen)) {
		push_local_join(ud, g, glen, uid, ulen, join);
	}
}

static void sink_remote_member(void *ud, const char *g, size_t glen, const char *uid, size_t ulen, int present)
{
	push_server *s = ud;

	if (s->front_remote_member) {
		s->front_remote_member(s, g, glen, uid, ulen, present);
	}
}

static void sink_flush(void *ud)
{
	push_server *s = ud;

	if (s->dirty) {
		push_conn_flush_all(s);
	}
}

int push_route_init(push_server *s, char *err, size_t errlen)
{
	s->node_obs = s->cfg.redis ? &route_obs : &route_obs_alone;
	if (s->cfg.redis) {
		push_cluster_config cc = { s->cfg.redis, s->cfg.redis_prefix, s->cfg.node_id };
		push_cluster_sink sink = { s, sink_local_online, sink_resync, sink_push, sink_broadcast, sink_group,
				sink_kick, sink_join, sink_flush, sink_remote_member };

		if (!(s->cluster = push_cluster_new(s->loop, &cc, &sink, err, errlen))) {
			return -1;
		}
	}
	return 0;
}

/* ---------------------------------------------------------- operations -- */

/*
 * Cluster mode with Redis unreachable: what other nodes hold is not known
 * (the mirror forgets a node that stopped answering) and none of them can be
 * told, so a send that may concern them reports cluster_fail.
 */
static int cluster_down(push_server *s)
{
	return s->cluster && !push_cluster_connected(s->cluster);
}

/*
 * This node's connections of each uid, and in cluster mode the others': the
 * push is published only when the mirror says the uid is online elsewhere,
 * and counted there only when Redis took it.
 */
push_result push_route_send_uids(push_server *s, const push_str *uids, size_t n, const char *msg, size_t mlen)
{
	push_result r = {0};
	size_t i;
	int queued = 0;

	for (i = 0; i < n; i++) {
		const char *uid = uids[i].p;
		size_t len = uids[i].len;
		uint32_t remote = s->cluster ? push_cluster_uid_count(s->cluster, uid, len) : 0;

		size_t here = push_local_deliver_uid(s, uid, len, msg, mlen, remote > 0, &queued);

		r.count += here;
		if (remote) {
			if (push_cluster_push(s->cluster, uid, len, msg, mlen) == 0) {
				r.count += remote;
			} else {
				r.cluster_fail = 1;
			}
		} else if (!here && cluster_down(s)) {
			r.cluster_fail = 1;    /* not here: maybe on a node Redis cannot reach */
		}
	}
	r.queued = (uint8_t)queued;
	return r;
}

push_result push_route_send_uids_acked(push_server *s, const push_str *uids, size_t n, const char *msg, size_t mlen,
		void (*done)(void *arg, uint32_t count), void *arg)
{
	push_result r = {0};
	size_t i;
	int queued = 0;

	for (i = 0; i < n; i++) {
		const char *u = uids[i].p;
		size_t ul = uids[i].len;
		uint32_t remote = s->cluster ? push_cluster_uid_count(s->cluster, u, ul) : 0, k = 0;

		size_t here = push_local_deliver_uid(s, u, ul, msg, mlen, remote > 0, &queued);

		r.count += here;
		if (remote && !(k = push_cluster_push_acked(s->cluster, u, ul, msg, mlen, done, arg))) {
			r.cluster_fail = 1;
		} else if (!remote && !here && cluster_down(s)) {
			r.cluster_fail = 1;    /* not here: maybe on a node Redis cannot reach */
		}
		r.waits += k;
	}
	r.queued = (uint8_t)queued;
	return r;
}

push_result push_route_broadcast(push_server *s, const char *msg, size_t mlen, const push_exclude *ex)
{
	push_result r = {0};
	uint64_t remote;
	size_t i;

	r.count = push_local_broadcast(s, msg, mlen, ex);
	if (s->cluster && (remote = push_cluster_remote_conns(s->cluster)) > 0) {
		if (push_cluster_broadcast(s->cluster, msg, mlen, ex) == 0) {
			for (i = 0; ex && i < ex->nuids; i++) {
				remote -= push_cluster_uid_count(s->cluster, ex->uids[i], ex->uid_lens[i]);
			}
			r.count += (size_t)remote;
		} else {
			r.cluster_fail = 1;
		}
	} else if (cluster_down(s)) {
		r.cluster_fail = 1;
	}
	return r;
}

push_result push_route_send_group(push_server *s, const char *gname, size_t glen, const char *msg, size_t mlen,
		const push_exclude *ex)
{
	push_result r = {0};
	uint64_t remote;
	size_t i;

	r.count = push_local_send_group(s, gname, glen, msg, mlen, ex);
	if (s->cluster && (remote = push_cluster_group_conns(s->cluster, gname, glen)) > 0) {
		if (push_cluster_group(s->cluster, gname, glen, msg, mlen, ex) == 0) {
			for (i = 0; ex && i < ex->nuids && remote; i++) {
				uint64_t x = push_cluster_group_uid_conns(s->cluster, gname, glen, ex->uids[i], ex->uid_lens[i]);

				remote -= x < remote ? x : remote;
			}
			r.count += (size_t)remote;
		} else {
			r.cluster_fail = 1;
		}
	} else if (cluster_down(s)) {
		r.cluster_fail = 1;
	}
	return r;
}

/* To this node's members of a group only (each node tells its own, as with presence events). */
size_t push_route_send_group_here(push_server *s, const char *gname, size_t glen, const char *msg, size_t mlen,
		const push_exclude *ex)
{
	return push_local_send_group(s, gname, glen, msg, mlen, ex);
}

push_result push_route_kick(push_server *s, const char *uid, size_t len, int code, const char *reason)
{
	push_result r = {0};
	uint32_t remote;

	r.count = push_local_kick(s, uid, len, code, reason);
	remote = s->cluster ? push_cluster_uid_count(s->cluster, uid, len) : 0;
	if (remote) {
		if (push_cluster_kick(s->cluster, uid, len, code, reason) == 0) {
			r.count += remote;
		} else {
			r.cluster_fail = 1;
		}
	}
	return r;
}

/* A uid online here joins here; one online elsewhere is told to join there. */
static int group_uid_op(push_server *s, const char *g, size_t glen, const char *uid, size_t ulen, int joining)
{
	int rc = push_local_join(s, g, glen, uid, ulen, joining);

	if (s->cluster && push_cluster_uid_count(s->cluster, uid, ulen) > 0
			&& push_cluster_join(s->cluster, g, glen, uid, ulen, joining) == 0 && rc < 0) {
		rc = 1;
	}
	return rc;
}

/* ------------------------------------------- a front end's own groups -- */

int push_route_join_conn(push_server *s, const char *g, size_t glen, push_conn *c)
{
	return push_local_join_conn(s, g, glen, c, 1);
}

int push_route_leave_conn(push_server *s, const char *g, size_t glen, push_conn *c)
{
	return push_local_join_conn(s, g, glen, c, 0);
}

size_t push_route_front_group_count(push_server *s, const char *gname, size_t glen)
{
	return push_local_group_count(s, gname, glen) + (s->cluster ? push_cluster_group_conns(s->cluster, gname, glen) : 0);
}

/* ------------------------------------------- the public API (route.h) -- */

#define GROUP_NAME_MAX 256

/* Names that start with a NUL are a front end's own (Pusher sockets and channels), not names anyone gave. */
static int internal_name(const char *name, size_t len)
{
	return len && name[0] == '\0';
}

const char *push_route_group_name_error(const char *g, size_t glen)
{
	size_t i;

	if (glen == 0 || glen > GROUP_NAME_MAX) {
		return "must be 1 to 256 bytes";
	}
	for (i = 0; i < glen; i++) {
		if ((unsigned char)g[i] < 0x20) {
			return "must not contain a control character (U+0000 to U+001F)";
		}
	}
	return push_utf8_valid(g, glen) ? NULL : "must be valid UTF-8";
}

const char *push_route_uid_error(const char *uid, size_t len)
{
	if (len == 0) {
		return "must not be empty";
	}
	return memchr(uid, '\0', len) ? "must not contain a NUL byte" : NULL;
}

push_result push_route_send_uid(push_server *s, const char *uid, size_t len, const char *msg, size_t mlen)
{
	push_str u = { uid, len };
	push_result none = { 0, 0, 0, 0 };

	if (push_route_uid_error(uid, len)) {
		return none;
	}
	return push_route_send_uids(s, &u, 1, msg, mlen);
}

int push_route_group_join_uid(push_server *s, const char *g, size_t glen, const char *uid, size_t ulen)
{
	if (push_route_group_name_error(g, glen) || push_route_uid_error(uid, ulen)) {
		return -1;
	}
	return group_uid_op(s, g, glen, uid, ulen, 1);
}

int push_route_group_leave_uid(push_server *s, const char *g, size_t glen, const char *uid, size_t ulen)
{
	if (push_route_group_name_error(g, glen) || push_route_uid_error(uid, ulen)) {
		return -1;
	}
	return group_uid_op(s, g, glen, uid, ulen, 0);
}

/* A connection of a front end's own (a Pusher socket) joins only that front end's groups. */
int push_route_group_join_conn(push_server *s, const char *g, size_t glen, push_conn *c)
{
	if (push_route_group_name_error(g, glen) || (c->uid && internal_name(c->uid->name, c->uid->len))) {
		return -1;
	}
	return push_local_join_conn(s, g, glen, c, 1);
}

int push_route_group_leave_conn(push_server *s, const char *g, size_t glen, push_conn *c)
{
	if (push_route_group_name_error(g, glen)) {
		return -1;
	}
	return push_local_join_conn(s, g, glen, c, 0);
}

size_t push_route_uid_count(push_server *s, const char *uid, size_t len)
{
	push_entry *e;

	if (push_route_uid_error(uid, len)) {
		return 0;
	}
	e = push_registry_find(&s->uids, uid, len);
	return (e ? e->count : 0) + (s->cluster ? push_cluster_uid_count(s->cluster, uid, len) : 0);
}

uint64_t push_route_all_conn_count(push_server *s)
{
	return s->stats.bound_conns + (s->cluster ? push_cluster_remote_conns(s->cluster) : 0);
}

uint64_t push_route_all_uid_count(push_server *s)
{
	return s->stats.uids + (s->cluster ? push_cluster_remote_only_uids(s->cluster) : 0);
}

size_t push_route_group_count(push_server *s, const char *gname, size_t glen)
{
	return push_route_group_name_error(gname, glen) ? 0 : push_route_front_group_count(s, gname, glen);
}

/* A listing for the host or a client: the names front ends keep for themselves left out. */
typedef struct public_names {
	void (*fn)(const char *name, size_t len, void *arg);  /* caller, or NULL */
	void *arg;                 /* its argument */
	size_t n;                  /* listed */
} public_names;

static void public_name(const char *name, size_t len, void *arg)
{
	public_names *p = arg;

	if (internal_name(name, len)) {
		return;
	}
	if (p->fn) {
		p->fn(name, len, p->arg);
	}
	p->n++;
}

/* Remote members not already listed (their local uid entry carries this walk's stamp). */
typedef struct remote_members {
	push_server *s;            /* server */
	void (*fn)(const char *uid, size_t len, void *arg);   /* caller */
	void *arg;                 /* its argument */
	size_t n;                  /* listed */
} remote_members;

static void remote_member(const char *uid, size_t len, void *arg)
{
	remote_members *r = arg;
	push_entry *u = push_registry_find(&r->s->uids, uid, len);

	if (u && u->mark == r->s->send_gen) {
		return;
	}
	if (r->fn) {
		r->fn(uid, len, r->arg);
	}
	r->n++;
}

size_t push_route_group_uids(push_server *s, const char *gname, size_t glen,
		void (*fn)(const char *uid, size_t len, void *arg), void *arg)
{
	public_names p = { fn, arg, 0 };

	if (push_route_group_name_error(gname, glen)) {
		return 0;
	}
	push_local_group_uids(s, gname, glen, public_name, &p);
	if (s->cluster) {
		remote_members r = { s, public_name, &p, 0 };

		push_cluster_group_each_uid(s->cluster, gname, glen, remote_member, &r);
	}
	return p.n;
}

/* Remote groups of a uid not already listed (a local group entry carries this walk's stamp). */
typedef struct remote_groups {
	push_server *s;            /* server */
	void (*fn)(const char *g, size_t len, void *arg);   /* caller */
	void *arg;                 /* its argument */
	size_t n;                  /* listed */
} remote_groups;

static void remote_group(const char *gname, size_t len, void *arg)
{
	remote_groups *r = arg;
	push_entry *g = push_registry_find(&r->s->groups, gname, len);

	if (g && g->mark == r->s->send_gen) {
		return;
	}
	if (r->fn) {
		r->fn(gname, len, r->arg);
	}
	r->n++;
}

size_t push_route_uid_groups(push_server *s, const char *uid, size_t ulen,
		void (*fn)(const char *g, size_t len, void *arg), void *arg)
{
	public_names p = { fn, arg, 0 };

	if (push_route_uid_error(uid, ulen)) {
		return 0;
	}
	push_local_uid_groups(s, uid, ulen, public_name, &p);
	if (s->cluster) {
		remote_groups r = { s, public_name, &p, 0 };

		push_cluster_uid_groups(s->cluster, uid, ulen, remote_group, &r);
	}
	return p.n;
}

void push_route_set_member(push_server *s, const char *set, size_t slen, const char *key, size_t klen, int present)
{
	if (s->cluster) {
		push_cluster_group_member(s->cluster, set, slen, key, klen, present ? 1 : 0);
	}
}

void push_route_remote_members(push_server *s, const char *set, size_t slen,
		void (*fn)(const char *key, size_t klen, void *arg), void *arg)
{
	if (s->cluster) {
		push_cluster_group_each_uid(s->cluster, set, slen, fn, arg);
	}
}

int push_route_cluster_up(push_server *s)
{
	return s->cluster ? push_cluster_connected(s->cluster) != 0 : -1;
}

size_t push_route_group_total(push_server *s)
{
	return s->groups.count;
}

/* Adapter: the registry walk hands entries, callers want names. */
typedef struct uid_walk {
	void (*fn)(const char *uid, size_t len, void *arg);   /* caller's callback */
	void *arg;                                            /* its argument */
} uid_walk;

static void uid_walk_fn(push_entry *e, void *arg)
{
	uid_walk *w = arg;

	if (!internal_name(e->name, e->len)) {
		w->fn(e->name, e->len, w->arg);
	}
}

static void remote_uid_fn(const char *uid, size_t len, void *arg)
{
	uid_walk *w = arg;

	if (!internal_name(uid, len)) {
		w->fn(uid, len, w->arg);
	}
}

void push_route_each_remote_uid(push_server *s, void (*fn)(const char *uid, size_t len, void *arg), void *arg)
{
	uid_walk w = { fn, arg };

	if (s->cluster) {
		push_cluster_each_remote_uid(s->cluster, remote_uid_fn, &w);
	}
}

uint64_t push_route_uids_page(push_server *s, uint64_t cursor, size_t limit,
		void (*fn)(const char *uid, size_t len, void *arg), void *arg)
{
	uid_walk w = { fn, arg };

	if (s->uids.count == 0) {
		return 0;
	}
	return push_registry_scan(&s->uids, cursor, limit ? limit : 1, uid_walk_fn, &w);
}

/* ------------------------------------------- WebSocket connections -- */

void push_route_conn_bound(push_server *s, push_conn *c)
{
	if (s->cfg.history_size) {
		push_hist_on_bind(s, c);
	}
}

void push_route_conn_gone(push_server *s, push_conn *c)
{
	if (CONN_RARE(c, groups, NULL)) {
		push_groups_conn_gone(s, c);
	}
}
