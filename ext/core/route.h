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
/*
 * Online uids in pages: starts at cursor (0 first), calls fn for up to limit
 * uids, returns the cursor of the next page or 0 when done.
 */
uint64_t push_route_uids_page(push_server *s, uint64_t cursor, size_t limit,
		void (*fn)(const char *uid, size_t len, void *arg), void *arg);

#endif
