/*
 * route.h - the routing layer's API (route.c): every operation on uids and
 * groups, on this node and, in cluster mode, on the others. Each send says
 * what happened in a push_result; the front ends (Text port, HTTP API,
 * Pusher HTTP API) and the host (the PHP binding) answer from it, so they
 * all answer alike.
 */
#ifndef PUSH_ROUTE_H
#define PUSH_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "server.h"
#include "str.h"

/*
 * What a send did. cluster_fail: Redis could not take it for the other
 * nodes (cluster mode, Redis down); count then says how many connections
 * of this node did get it, and every front end answers an error.
 */
typedef struct push_result {
	size_t count;              /* connections reached (other nodes: as the presence mirror counts them) */
	uint32_t waits;            /* acknowledged sends: confirmations still to come through done() */
	uint8_t queued;            /* history kept it for an offline uid */
	uint8_t cluster_fail;      /* Redis could not take it for the other nodes */
} push_result;

/* Sends to every connection of uid. */
push_result push_route_send_uid(push_server *s, const char *uid, size_t len, const char *msg, size_t mlen);
/* Sends to every bound connection but the excluded (ex may be NULL). */
push_result push_route_broadcast(push_server *s, const char *msg, size_t mlen, const push_exclude *ex);
/* Sends to every connection in the group but the excluded (ex may be NULL). */
push_result push_route_send_group(push_server *s, const char *g, size_t glen, const char *msg, size_t mlen,
		const push_exclude *ex);
/* Closes every connection of uid with code and reason; count says how many. */
push_result push_route_kick(push_server *s, const char *uid, size_t len, int code, const char *reason);

/* Connections everywhere (cluster mode: all nodes) with a uid, and distinct uids. */
uint64_t push_route_all_conn_count(push_server *s);
uint64_t push_route_all_uid_count(push_server *s);
/* Connections of a uid now (cluster mode: on every node). */
size_t push_route_uid_count(push_server *s, const char *uid, size_t len);

/*
 * Names the functions of this header take from the host or a client. A group
 * name is 1 to 256 bytes of UTF-8 without a control character (U+0000 to
 * U+001F); a uid is not empty and has no NUL byte. The names front ends keep
 * for themselves (a Pusher channel is the group "\0P<app id>\0<channel>", a
 * Pusher socket the uid "\0P<app id>\0s<socket id>") start with a NUL byte, so
 * the public functions can neither name nor list them: they refuse such a name
 * (-1, or 0 connections) and leave such uids and groups out of their lists.
 * The error returns why a name is refused ("must ..."), NULL when it is not.
 */
const char *push_route_group_name_error(const char *g, size_t glen);
const char *push_route_uid_error(const char *uid, size_t len);
/*
 * Groups. A connection is in group G when it joined G itself or its uid did.
 * Uid membership lasts while the uid is online; a group with no member is
 * gone. Joins and leaves return 1 if they changed something, 0 if not, -1 if
 * the uid is offline / the name is invalid.
 */
int push_route_group_join_uid(push_server *s, const char *g, size_t glen, const char *uid, size_t ulen);
int push_route_group_leave_uid(push_server *s, const char *g, size_t glen, const char *uid, size_t ulen);
/* Connections in the group now (0 if it does not exist). */
size_t push_route_group_count(push_server *s, const char *g, size_t glen);
/* Calls fn for each distinct uid with a connection in the group; returns how many. */
size_t push_route_group_uids(push_server *s, const char *g, size_t glen,
		void (*fn)(const char *uid, size_t len, void *arg), void *arg);
/* Calls fn for each group the uid (or one of its connections) is in; returns how many. */
size_t push_route_uid_groups(push_server *s, const char *uid, size_t ulen,
		void (*fn)(const char *g, size_t len, void *arg), void *arg);
/* Number of groups. */
size_t push_route_group_total(push_server *s);
/* Group join/leave of a connection of this node by the host; 1 changed, 0 not, -1 invalid name. */
int push_route_group_join_conn(push_server *s, const char *g, size_t glen, push_conn *c);
int push_route_group_leave_conn(push_server *s, const char *g, size_t glen, push_conn *c);
/*
 * Online uids in pages: starts at cursor (0 first), calls fn for up to limit
 * uids, returns the cursor of the next page or 0 when done.
 */
uint64_t push_route_uids_page(push_server *s, uint64_t cursor, size_t limit,
		void (*fn)(const char *uid, size_t len, void *arg), void *arg);

/* -- for the core's own front ends -- */
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
size_t push_route_send_group_here(push_server *s, const char *g, size_t glen, const char *msg, size_t mlen,
		const push_exclude *ex);
/*
 * A front end's own groups, whose names the public push_server_group_*
 * functions refuse (push_route_group_name_error: Pusher channels,
 * "\0P<app id>\0<channel>"): a connection joins or leaves, connections in one.
 */
int push_route_join_conn(push_server *s, const char *g, size_t glen, push_conn *c);
int push_route_leave_conn(push_server *s, const char *g, size_t glen, push_conn *c);
size_t push_route_front_group_count(push_server *s, const char *g, size_t glen);
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
