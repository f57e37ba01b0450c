/*
 * pusher.h - the Pusher protocol (docs/PUSHER.md): what its front-end files
 * offer each other and the rest of the core.
 *
 *   pusher.c        WebSocket connections on /app/{key}: protocol 7, channels, auth, signin
 *   pusher_chan.c   channels of this node: subscribers, presence members, cache channels
 *   pusher_http.c   the HTTP API: /apps/{id}/events, batch_events, channels, users, terminate
 *   pusher_hook.c   webhooks, POSTed in batches from the loop
 *   pusher_sign.c   (util) HMAC signatures, body MD5, request signing checks
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

#include "server_int.h"

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

/* "\0P<app id>\0" + tag + name into buf (the names of pusher.h's header comment); its length, 0 when it does not fit. */
size_t push_pusher_name(const push_pusher_app *app, const char *tag, const char *name, size_t len, char *buf,
		size_t cap);

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

/* A channel with subscribers here, or a cache channel's last event. */
typedef struct push_pusher_chan {
	push_entry *e;             /* its entry (name: the group name, head: this record) */
	uint32_t name_off;         /* the channel name starts at e->name + name_off */
	uint32_t subs;             /* sockets of this node subscribed */
	uint32_t nmembers;         /* presence members */
	push_pusher_member *members;       /* presence members */
	char *cache;               /* cache channels: the last event as sent, NULL = none */
	uint32_t cache_len;        /* its length */
	int64_t cache_at_ms;       /* when it was kept */
} push_pusher_chan;

/* {"event":E[,"channel":C]: the start of a message; data and the closing brace follow. */
void push_pusher_msg_start(push_buf *b, const char *event, size_t elen, const char *ch, size_t chlen);
push_pusher_chan *push_pchan_get(push_registry *r, const char *gname, size_t glen, size_t name_off, int create);
const char *push_pchan_name(const push_pusher_chan *ch, size_t *len);
int push_pchan_release(push_registry *r, push_pusher_chan *ch, int64_t now_ms);
const char *push_pchan_cache(push_pusher_chan *ch, int64_t now_ms, size_t *len);
int push_pchan_cache_set(push_pusher_chan *ch, const char *msg, size_t len, int64_t now_ms);
void push_pchan_cache_drop(push_pusher_chan *ch);
push_pusher_member *push_pchan_member_find(push_pusher_chan *ch, const char *id, size_t len);
push_pusher_member *push_pchan_member_add(push_pusher_chan *ch, const push_pusher_user *u, uint32_t max_members,
		int *first, int *full);
int push_pchan_member_del(push_pusher_chan *ch, push_pusher_member *m);
void push_pchan_free_all(push_registry *r);

/* -- pusher.c -- */

/* The app of an id or of a key; NULL when there is none. */
const push_pusher_app *push_pusher_app_by_id(push_server *s, const char *id, size_t len);
const push_pusher_app *push_pusher_app_by_key(push_server *s, const char *key, size_t len);

/* The group name of a channel of app into buf ("\0P<id>\0<channel>"); returns its length, 0 if it does not fit. */
size_t push_pusher_group_name(const push_pusher_app *app, const char *ch, size_t len, char *buf, size_t cap);

/* 1 when name is a valid channel name under the server's limit (characters [-a-zA-Z0-9_=@,.;] and #server-to-user-). */
int push_pusher_channel_valid(push_server *s, const char *name, size_t len);
/* Whether an event name is the protocol's own ("pusher:", "pusher_internal:"): no backend may send one. */
int push_pusher_event_reserved(const char *name, size_t len);
#define PUSHER_EVENT_RESERVED "event names starting with \"pusher:\" or \"pusher_internal:\" are reserved"
/* Whether a socket_id is one: "<digits>.<digits>" (what Pusher's SDKs check), at most PUSHER_SOCKET_ID_MAX bytes. */
int push_pusher_socket_id_valid(const char *p, size_t len);
/*
 * The size of an event's data that max_payload limits, the same on every path
 * (HTTP API, Text port, client events), as Pusher counts it: a string's bytes
 * (not its JSON quotes or escapes), any other value's JSON text (json_len).
 */
size_t push_pusher_data_size(json_object *data, size_t json_len);
/* Drops the repeats in a list of channel names, in place, keeping the first of each; the new count. */
size_t push_pusher_names_unique(push_str *names, size_t n);

/*
 * An event on channels (the HTTP API, the Text port, Push\Client): each
 * channel's subscribers get {"event":..,"channel":..,"data":..}; data is sent
 * as the JSON string it is given (a string) . except: a socket id whose
 * connection is skipped (Laravel's toOthers()), NULL = none. Cache channels
 * keep it. Returns the routing result summed over the channels.
 */
push_result push_pusher_trigger(push_server *s, const push_pusher_app *app, const push_str *channels, size_t n,
		const char *event, size_t elen, const char *data, size_t dlen, const char *except, size_t xlen);

/* Channel queries of the HTTP API (this node's view, remote subscribers counted in cluster mode). */
typedef struct push_pusher_chinfo {
	const char *name;          /* channel name */
	size_t len;                /* its length */
	size_t subscription_count; /* sockets subscribed */
	size_t user_count;         /* presence channels: distinct users */
	int occupied;              /* subscription_count > 0 */
} push_pusher_chinfo;
/* Fills info for a channel (zeros when it is not occupied); returns info->occupied. */
int push_pusher_channel_info(push_server *s, const push_pusher_app *app, const char *ch, size_t len,
		push_pusher_chinfo *info);
/* Every occupied channel of app whose name starts with prefix (plen 0 = all). */
void push_pusher_each_channel(push_server *s, const push_pusher_app *app, const char *prefix, size_t plen,
		void (*fn)(const push_pusher_chinfo *info, void *arg), void *arg);
/* The users of a presence channel: fn gets each user_id as JSON (a string "\"7\"" or a number "7"). */
size_t push_pusher_each_user(push_server *s, const push_pusher_app *app, const char *ch, size_t len,
		void (*fn)(const char *user_id_json, size_t len, void *arg), void *arg);
/* Closes every connection of a signed-in user (code 4009 as Pusher does); returns how many. */
size_t push_pusher_terminate_user(push_server *s, const push_pusher_app *app, const char *user, size_t len);

/* -- pusher.c / pusher_ops.c -- the protocol's state */
typedef struct push_pusher push_pusher;

struct push_pusher {
	push_registry chans;       /* group name -> push_pusher_chan (pusher_chan.c) */
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
	uint8_t sid_len;                   /* socket id length */
	char sid[PUSHER_SOCKET_ID_MAX];    /* socket id */
} push_pusher_conn;

/*
 * The members of a presence channel on every node (ch: this node's record,
 * NULL when none): fn gets each distinct user's user_id JSON and user_info
 * JSON (NULL when none); returns how many. fn may be NULL (a count).
 */
size_t push_pusher_members(push_server *s, const push_pusher_app *app, const char *name, size_t nlen,
		push_pusher_chan *ch, void (*fn)(const char *id_json, size_t idl, const char *info, size_t il, void *arg),
		void *arg);

/* -- pusher_nodes.c -- what the nodes share: presence members, signed-in sockets, cached events */
/*
 * pusher_internal:member_added (with info) or member_removed of user id_json to
 * this node's sockets of presence channel ch but except: every node tells its
 * own sockets, when the user's presence in its view of the cluster begins or ends.
 */
void push_pusher_member_event(push_server *s, push_pusher_chan *ch, const char *id_json, size_t idl,
		const char *info, size_t il, int added, const push_exclude *except);
/* This node has (present) or no longer has user m in the presence channel ch: other nodes hear it. */
void push_pusher_publish_member(push_server *s, const push_pusher_app *app, push_pusher_chan *ch,
		const push_pusher_member *m, int present);
/* Whether another node has a member with m's user_id in ch. */
int push_pusher_remote_has_user(push_server *s, const push_pusher_app *app, push_pusher_chan *ch,
		const push_pusher_member *m);
/* {"presence":{"count":N,"ids":[..],"hash":{..}}} of a presence channel, every node's members. */
void push_pusher_presence_json(push_server *s, const push_pusher_app *app, push_pusher_chan *ch, push_buf *b);
/* Keeps msg as cache channel ch's last event, here and for the other nodes. */
void push_pusher_cache_set(push_server *s, push_pusher_chan *ch, const char *msg, size_t len);
/* The newest cached event of ch still fresh on any node, NULL = none. */
const char *push_pusher_cache_get(push_server *s, push_pusher_chan *ch, size_t *len);
/* Frees ch when nothing keeps it (the other nodes forget its cached event); 1 when freed. */
int push_pusher_chan_release(push_server *s, push_pusher_chan *ch);
/* Socket c signed in as user (present), or is no longer: other nodes hear it. */
void push_pusher_publish_signin(push_server *s, const push_pusher_app *app, const char *user, size_t len,
		const char *sid, size_t sidlen, int present);
/* Kicks the signed-in sockets of user on the other nodes; returns how many were asked to close. */
size_t push_pusher_terminate_remote(push_server *s, const push_pusher_app *app, const char *user, size_t len);
/* After a cluster reconnect: this node's presence members and signed-in sockets, told again (push_server.front_resync). */
void push_pusher_resync(push_server *s);
/* The other nodes' members of a set came or went (push_server.front_remote_member): presence events here. */
void push_pusher_remote_member(push_server *s, const char *set, size_t slen, const char *key, size_t klen,
		int present);

/* -- pusher_hook.c -- webhooks */
typedef struct push_pusher_hooks push_pusher_hooks;
int push_pusher_hooks_init(push_server *s, char *err, size_t errlen);
void push_pusher_hooks_free(push_server *s);
/*
 * Queues one webhook event of app, a JSON object without the braces' outer
 * "time_ms" ({"name":"channel_occupied","channel":"x"}); sent within a second
 * with the others of the same app as {"time_ms":..,"events":[..]}.
 */
void push_pusher_webhook(push_server *s, const push_pusher_app *app, const char *event_json, size_t len);

struct http_answer;

/* -- pusher.c -- the WebSocket side, called by ws.c */
/* A WebSocket just opened on a path /app/...: 1 when it is a Pusher connection (then handled here), 0 when not, -1 to close. */
int push_pusher_open(push_server *s, struct lws *wsi, push_conn *c);
/* A complete text message of a Pusher connection; -1 to close at once. */
int push_pusher_message(push_server *s, push_conn *c, const char *data, size_t len);
/* A Pusher connection closed. */
void push_pusher_closed(push_server *s, push_conn *c);
/* -- pusher_http.c -- the HTTP API: pusher_http.h */

int push_pusher_init(push_server *s, char *err, size_t errlen);
void push_pusher_free(push_server *s);

#endif
