/*
 * route.h - what route.c, the routing layer, offers the front ends: the cluster-aware operations, each
 * returning a push_result.
 */
#ifndef PUSH_ROUTE_H
#define PUSH_ROUTE_H

#include "server_int.h"
#include "str.h"

typedef struct push_result {
	size_t count;              /* connections reached (other nodes: as the presence mirror counts them) */
	uint32_t waits;            /* acknowledged sends: confirmations still to come through done() */
	uint8_t queued;            /* history kept it for an offline uid */
	uint8_t cluster_fail;      /* Redis could not take it for the other nodes */
} push_result;
/* Installs the node observer and, in cluster mode, starts the cluster (push_server_new calls it). */
int push_route_init(push_server *s, char *err, size_t errlen);
push_result push_route_send_uids(push_server *s, const push_str *uids, size_t n, const char *msg, size_t mlen);
/*
 * The same, each other node that holds one of the uids answering through
 * done(arg, count) once Redis confirmed it got the push (count 0: it did not).
 * result.waits says how many calls to expect.
 */
push_result push_route_send_uids_acked(push_server *s, const push_str *uids, size_t n, const char *msg, size_t mlen,
		void (*done)(void *arg, uint32_t count), void *arg);
push_result push_route_broadcast(push_server *s, const char *msg, size_t mlen, const push_exclude *ex);
push_result push_route_send_group(push_server *s, const char *g, size_t glen, const char *msg, size_t mlen,
		const push_exclude *ex);
size_t push_route_send_group_here(push_server *s, const char *g, size_t glen, const char *msg, size_t mlen,
		const push_exclude *ex);
push_result push_route_kick(push_server *s, const char *uid, size_t len, int code, const char *reason);
/*
 * A front end's own groups, whose names the public push_server_group_*
 * functions refuse (push_server_group_name_error: Pusher channels,
 * "\0P<app id>\0<channel>"): a connection joins or leaves, connections in one.
 */
int push_route_join_conn(push_server *s, const char *g, size_t glen, push_conn *c);
int push_route_leave_conn(push_server *s, const char *g, size_t glen, push_conn *c);
size_t push_route_group_count(push_server *s, const char *g, size_t glen);
/* A WebSocket connection of this node was bound (history replays), or closed (its own groups end). */
void push_route_conn_bound(push_server *s, push_conn *c);
void push_route_conn_gone(push_server *s, push_conn *c);
/* The uids online on other nodes only (none when alone). */
void push_route_each_remote_uid(push_server *s, void (*fn)(const char *uid, size_t len, void *arg), void *arg);
/* Cluster mode: 1 while connected to Redis, 0 when not; -1 when alone. */
int push_route_cluster_up(push_server *s);
/*
 * Records of a front end that other nodes must see (Pusher presence members):
 * key is in set (or no longer is) on this node. Names never meet the groups':
 * a set's name is the front end's own. Nothing happens when alone.
 */
void push_route_set_member(push_server *s, const char *set, size_t slen, const char *key, size_t klen, int present);
/* The keys other nodes have in set. */
void push_route_remote_members(push_server *s, const char *set, size_t slen,
		void (*fn)(const char *key, size_t klen, void *arg), void *arg);

#endif
