/*
 * cluster_int.h - the cluster's own structures, shared by cluster.c (Redis:
 * connections, publishing, events) and cluster_mirror.c (what the other
 * nodes hold). Internal to the cluster layer.
 */
#ifndef PUSH_CLUSTER_INT_H
#define PUSH_CLUSTER_INT_H

#include <stdint.h>

#include <ev.h>
#include <hiredis/async.h>

#include "cluster.h"
#include "registry.h"

#define HB_INTERVAL      1.0       /* seconds between heartbeats */
#define NODE_DEAD_MS     3500      /* a node silent this long is gone */
#define NODE_KEY_TTL     5         /* seconds the presence hash outlives the last heartbeat */
#define BACKOFF_MIN      0.1       /* first reconnect delay, seconds */
#define BACKOFF_MAX      5.0       /* longest reconnect delay */
#define COMPACT (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* Another node. */
typedef struct rnode {
	char *id;                  /* node id */
	int64_t last_seen_ms;      /* last event from it */
	int alive;                 /* counted */
	int snapshot;              /* its presence hash was read (or asked for) */
} rnode;

/* Presence of a uid on other nodes (registry entry head). */
typedef struct rpres {
	uint32_t total;            /* connections on other nodes */
	uint16_t n, cap;           /* used and allocated slots */
	struct {
		uint16_t node;         /* index in nodes */
		uint32_t count;        /* connections there */
	} *e;                      /* per node */
} rpres;

/* A group's members on other nodes (gmirror entry head). */
typedef struct rgroup {
	uint64_t conns;            /* their connections in the group */
	push_registry uids;        /* uid -> rpres (per node counts) */
} rgroup;

struct push_cluster {
	push_cluster_sink sink;    /* the layer above: deliveries here, local presence */
	struct ev_loop *loop;      /* the server's loop */
	char *host;                /* Redis host */
	int port;                  /* Redis port */
	char *password;            /* AUTH, NULL = none */
	int db;                    /* SELECT, -1 = none */
	char *prefix;              /* key and channel prefix */
	char *node;                /* this node's id */
	char *chan;                /* <prefix>bus */
	char *key;                 /* <prefix>node:<id> */
	redisAsyncContext *pub;    /* commands */
	redisAsyncContext *sub;    /* the subscription */
	int pub_up, sub_up;        /* connected (and subscribed) */
	int need_resync;           /* publish reset + full presence once connected */
	ev_timer tick;             /* heartbeat, node expiry, reconnects */
	double backoff;            /* current reconnect delay */
	double next_try;           /* ev_now() of the next reconnect */
	int logged_state;          /* last state written to the log: 1 up, 0 down, -1 none */
	push_registry mirror;      /* uid -> rpres */
	push_registry gmirror;     /* group -> rgroup: members on other nodes */
	rnode *nodes;              /* other nodes */
	size_t nnodes;             /* how many */
	uint64_t remote_conns;     /* connections on other nodes */
	uint64_t remote_only;      /* uids online elsewhere and not here */
	uint64_t published;        /* events published */
	uint64_t received;         /* events received from other nodes */
	uint64_t publish_failed;   /* publishes refused while Redis was unreachable */
	uint64_t reconnects;       /* successful reconnections */
	int ever_up;               /* was connected once */
};

static inline int64_t now_ms(push_cluster *c)
{
	return (int64_t)(ev_now(c->loop) * 1000.0);
}

static inline int up(push_cluster *c)
{
	return c->pub && c->pub_up && c->sub && c->sub_up;
}

#endif
