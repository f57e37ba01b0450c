/*
 * pusher.h - the Pusher protocol's records (docs/PUSHER.md) and what pusher.c,
 * its WebSocket side, offers ws.c. Each other file of the role declares what it
 * offers in its own header:
 *
 *   pusher.c          WebSocket connections on /app/{key}: protocol 7, channels, auth, signin
 *   pusher_chan.c     channels of this node: subscribers, presence members, cache channels, shares; apps, names
 *   pusher_nodes.c    what the nodes share: presence members, signed-in sockets, cached events
 *   pusher_ops.c      what the rest asks of the role: trigger, channel queries, terminate, its state
 *   pusher_http.c     the HTTP API: /apps/{id}/events, batch_events, channels, users, terminate
 *   pusher_hook.c     webhooks, POSTed in batches from the loop
 *   pusher_vacate.c   channel_vacated, debounced
 *   pusher_sign.c     (util) HMAC signatures, request signing checks
 *
 * A Pusher channel is a push group named "\0P<app id>\0<channel>": pushes to it
 * take the routing layer (and so Redis in cluster mode), and a Pusher socket is
 * bound to the uid "\0P<app id>\0s<socket id>" (signed in: "\0P<app id>\0u<user id>"),
 * names no recipe client can claim (a uid or group name with a NUL is refused
 * on every public path).
 */
#ifndef PUSH_PUSHER_H
#define PUSH_PUSHER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "server_int.h"
#include "route.h"

#define PUSHER_NAME_PREFIX_MAX 80  /* "\0P" + app id + "\0" */
#define PUSHER_SOCKET_ID_MAX 48    /* "<digits>.<digits>" */

#define PUSHER_CACHE_TTL_MS (30 * 60 * 1000)   /* a cache channel's event is replayed for 30 minutes */
#define PUSHER_CHANNELS_MAX 1000000   /* channel records of one node, cached events included */
#define PUSHER_MEMBERS_SEEN 1024     /* members of other nodes listed for one presence channel */
#define PUSHER_USER_ID_MAX 200     /* longest user id (presence, signin) */
#define PUSHER_CLOSE_UNAUTHORIZED 4009
/* What a socket closed by terminate_connections is told first (the close code alone tells a client less). */
#define PUSHER_TERMINATED_ERROR "{\"event\":\"pusher:error\",\"data\":{\"code\":4009,\"message\":\"connection terminated\"}}"
#define SERVER_TO_USER "#server-to-user-"

static inline int push_pusher_has_prefix(const char *s, size_t len, const char *p)
{
	size_t pl = strlen(p);

	return len >= pl && memcmp(s, p, pl) == 0;
}

/* Channel kinds, by name. */
static inline int push_pusher_is_presence(const char *ch, size_t len)
{
	return push_pusher_has_prefix(ch, len, "presence-");
}

static inline int push_pusher_is_private(const char *ch, size_t len)
{
	return push_pusher_has_prefix(ch, len, "private-");
}

/* cache-, private-cache-, private-encrypted-cache-, presence-cache- */
static inline int push_pusher_is_cache(const char *ch, size_t len)
{
	static const char *const pre[] = { "", "private-", "private-encrypted-", "presence-" };
	size_t i;

	for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		size_t pl = strlen(pre[i]);

		if (push_pusher_has_prefix(ch, len, pre[i]) && push_pusher_has_prefix(ch + pl, len - pl, "cache-")) {
			return 1;
		}
	}
	return 0;
}

/* -- pusher_chan.c -- the channels of this node (node layer) */

/* A presence user as a subscription names it. */
typedef struct push_pusher_user {
	const char *id;            /* user_id, string form (the member's key) */
	size_t id_len;
	const char *id_json;       /* user_id as received: "\"7\"" or 7 */
	size_t id_json_len;
	const char *info;          /* user_info as JSON text, NULL = none */
	size_t info_len;
} push_pusher_user;

/* A member of a presence channel: a distinct user with sockets here. */
typedef struct push_pusher_member {
	struct push_pusher_member *next;   /* the channel's members */
	char *id;                  /* user_id, string form */
	char *id_json;             /* user_id as received */
	char *info;                /* user_info JSON, NULL = none */
	uint32_t id_len, id_json_len, info_len;
	uint32_t sockets;          /* this node's sockets subscribed as this user */
} push_pusher_member;

/* What only some channels need: presence members, a cached event, a channel_vacated that waits. */
typedef struct push_pusher_chan_x {
	push_pusher_member *members;       /* presence members */
	char *cache;               /* cache channels: the last event as sent, NULL = none */
	int64_t cache_at_ms;       /* when it was kept */
	struct push_pusher_chan *v_prev, *v_next;  /* channels whose channel_vacated waits (push_pusher.vacating) */
	uint32_t nmembers;         /* presence members */
	uint32_t cache_len;        /* length of cache */
	uint32_t vacate_ms;        /* when its channel_vacated is due (now32) */
	uint32_t miss_ms;          /* when its last cache_miss webhook went (now32) */
	uint8_t missed;            /* a cache_miss webhook went */
} push_pusher_chan_x;

/*
 * A channel with subscribers here, a cache channel's last event, or a channel
 * whose channel_vacated waits: 24 bytes (a 32-byte heap chunk), as every
 * public channel has one; what few channels need is in x. Its entry's aux is
 * the address charged for it (push_pusher.addrs), NULL = none.
 */
typedef struct push_pusher_chan {
	push_entry *e;             /* its entry (name: the group name, head: this record) */
	push_pusher_chan_x *x;     /* NULL until needed */
	uint32_t subs;             /* sockets of this node subscribed */
	uint16_t app;              /* index of its app in the configuration */
	uint8_t name_off;          /* the channel name starts at e->name + name_off */
	uint8_t flags;             /* PCHAN_* */
} push_pusher_chan;
#define PCHAN_OCCUPIED 1           /* channel_occupied went, channel_vacated has not */
#define PCHAN_VACATING 2           /* on the list of channels whose channel_vacated waits */

static inline push_pusher_member *push_pchan_members(const push_pusher_chan *ch)
{
	return ch->x ? ch->x->members : NULL;
}
static inline const char *push_pchan_cached(const push_pusher_chan *ch)
{
	return ch->x ? ch->x->cache : NULL;
}

/* Channel queries of the HTTP API (this node's view, remote subscribers counted in cluster mode). */
typedef struct push_pusher_chinfo {
	const char *name;          /* channel name */
	size_t len;                /* its length */
	size_t subscription_count; /* sockets subscribed */
	size_t user_count;         /* presence channels: distinct users */
	int occupied;              /* subscription_count > 0 */
} push_pusher_chinfo;

/* The protocol's state (pusher_ops.c makes it). */
typedef struct push_pusher push_pusher;

struct push_pusher {
	push_registry chans;       /* group name -> push_pusher_chan (pusher_chan.c) */
	push_registry addrs;       /* app index (2 bytes) + remote address (16) -> channels charged to it (count) */
	uint32_t *app_chans;       /* channel records of each app (by index in the configuration) */
	uint32_t *app_max;         /* each app's bound on them */
	push_pusher_chan *vac_head, *vac_tail;  /* channels whose channel_vacated waits, oldest first */
	ev_timer vac_timer;        /* sends the channel_vacated that are due */
	push_registry users;       /* "\0P<app id>\0u<user id>" -> signed-in sockets (head: push_pusher_conn) */
	uint64_t sweep_cursor;     /* where the walk for expired cached events goes on */
};

/* One subscription of a socket. */
typedef struct push_pusher_sub {
	struct push_pusher_sub *next;      /* the socket's subscriptions */
	push_pusher_chan *ch;              /* the channel */
	push_pusher_member *member;        /* presence: the member it counts for */
} push_pusher_sub;

/* Per Pusher socket (hangs off push_conn_rare). */
typedef struct push_pusher_conn {
	push_conn *c;                      /* the connection */
	const push_pusher_app *app;        /* its app */
	push_pusher_sub *subs;             /* its subscriptions */
	uint32_t nsubs;                    /* how many */
	uint32_t ev_window_ms;             /* start of the current second of client events */
	uint32_t ev_count;                 /* client events in it */
	push_entry *user;                  /* signed in: its entry in push_pusher.users */
	struct push_pusher_conn *u_prev, *u_next;  /* other sockets of the same user */
	uint8_t addr[16];                  /* remote address (IPv4 mapped into IPv6) */
	uint8_t sid_len;                   /* socket id length */
	char sid[PUSHER_SOCKET_ID_MAX];    /* socket id */
} push_pusher_conn;

typedef struct push_pusher_hooks push_pusher_hooks;

/* -- pusher.c -- the WebSocket side, called by ws.c */
/* A WebSocket just opened on a path /app/...: 1 when it is a Pusher connection (then handled here), 0 when not, -1 to close. */
int push_pusher_open(push_server *s, struct lws *wsi, push_conn *c);
/* A complete text message of a Pusher connection; -1 to close at once. */
int push_pusher_message(push_server *s, push_conn *c, const char *data, size_t len);
/* A Pusher connection closed. */
void push_pusher_closed(push_server *s, push_conn *c);

#endif
