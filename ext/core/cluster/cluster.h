/*
 * cluster.h - many push servers as one, through Redis pub/sub (hiredis on the
 * server's libev loop). Internal to the core.
 *
 * Every node keeps a mirror of the others' presence (uid -> connections per
 * node), fed by their events on one channel, so "is uid online?", counts and
 * a push's ok/fail are answered without a Redis round trip. Pushes, broadcasts,
 * group sends, joins and kicks for connections elsewhere are published; each
 * node delivers to its own connections.
 */
#ifndef PUSH_CLUSTER_H
#define PUSH_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

struct ev_loop;
struct push_exclude;
typedef struct push_cluster push_cluster;

/* Where the cluster is. */
typedef struct push_cluster_config {
	const char *redis;         /* redis://[:password@]host:port[/db] */
	const char *redis_prefix;  /* prefix of keys and channel, NULL = "push:" */
	const char *node_id;       /* this node's name, NULL = host-pid-random */
} push_cluster_config;

/*
 * The layer above (route.c), as the cluster sees it: it never sees the
 * server. Deliveries are what other nodes published for this node's
 * connections; flush runs after each batch of events.
 */
typedef struct push_cluster_sink {
	void *ud;                  /* passed back to every call */
	int (*local_online)(void *ud, const char *uid, size_t len);
	/* after (re)connecting: call push_cluster_presence() for every local uid, and group_member for memberships */
	void (*resync)(void *ud);
	void (*push)(void *ud, const char *uid, size_t len, const char *msg, size_t mlen);
	void (*broadcast)(void *ud, const char *msg, size_t mlen, const struct push_exclude *ex);
	void (*group)(void *ud, const char *g, size_t glen, const char *msg, size_t mlen, const struct push_exclude *ex);
	void (*kick)(void *ud, const char *uid, size_t len, int code, const char *reason);
	void (*join)(void *ud, const char *g, size_t glen, const char *uid, size_t ulen, int join);
	void (*flush)(void *ud);
	/* the other nodes now have uid in g (present), or none of them has it any more: told as the
	 * mirror changes (events, a node's snapshot, a node forgotten); NULL = not wanted */
	void (*remote_member)(void *ud, const char *g, size_t glen, const char *uid, size_t ulen, int present);
} push_cluster_sink;

/* Starts connecting on loop (never blocks); NULL with err when the address is invalid or hiredis is missing. */
push_cluster *push_cluster_new(struct ev_loop *loop, const push_cluster_config *cfg, const push_cluster_sink *sink,
		char *err, size_t errlen);
/* Leaves the cluster: removes this node's presence at once (best effort), frees everything. */
void push_cluster_free(push_cluster *c);

/* This node's connection count of a uid changed. */
void push_cluster_presence(push_cluster *c, const char *uid, size_t len, uint32_t count);

/* Publishing: 0 when handed to Redis, -1 when Redis is unreachable. */
int push_cluster_push(push_cluster *c, const char *uid, size_t ulen, const char *msg, size_t mlen);
/*
 * Publishes to each node that holds uid, on that node's own channel, and calls
 * done(arg, count) once per node with the connections it holds there when
 * Redis confirms the node received it (count 0 when it did not, or Redis went
 * away). Returns how many calls to expect (0: nothing published).
 */
uint32_t push_cluster_push_acked(push_cluster *c, const char *uid, size_t ulen, const char *msg, size_t mlen,
		void (*done)(void *arg, uint32_t count), void *arg);
int push_cluster_broadcast(push_cluster *c, const char *msg, size_t mlen, const struct push_exclude *ex);
int push_cluster_group(push_cluster *c, const char *g, size_t glen, const char *msg, size_t mlen, const struct push_exclude *ex);
int push_cluster_kick(push_cluster *c, const char *uid, size_t ulen, int code, const char *reason);
int push_cluster_join(push_cluster *c, const char *g, size_t glen, const char *uid, size_t ulen, int join);

/* Groups: this node's count of uid's connections in g changed (the remote members and counts: cluster_mirror.h). */
void push_cluster_group_member(push_cluster *c, const char *g, size_t glen, const char *uid, size_t ulen, uint32_t count);

/* State for status and metrics: appends ,"cluster":{...} to a JSON object being built. */
size_t push_cluster_stats_json(push_cluster *c, char *buf, size_t cap);
int push_cluster_connected(push_cluster *c);

#endif
