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

#include "server_int.h"

#define PUSHER_NAME_PREFIX_MAX 80  /* "\0P" + app id + "\0" */
#define PUSHER_SOCKET_ID_MAX 48    /* "<digits>.<digits>" */

/* The app of an id or of a key; NULL when there is none. */
const push_pusher_app *push_pusher_app_by_id(push_server *s, const char *id, size_t len);
const push_pusher_app *push_pusher_app_by_key(push_server *s, const char *key, size_t len);

/* The group name of a channel of app into buf ("\0P<id>\0<channel>"); returns its length, 0 if it does not fit. */
size_t push_pusher_group_name(const push_pusher_app *app, const char *ch, size_t len, char *buf, size_t cap);

/* 1 when name is a valid channel name under the server's limit (characters [-a-zA-Z0-9_=@,.;] and #server-to-user-). */
int push_pusher_channel_valid(push_server *s, const char *name, size_t len);

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
/* -- pusher_http.c -- the HTTP API; 1 when path is one of its (/apps/...) and the answer is filled. */
int push_pusher_http(push_server *s, int method, const char *path, size_t plen, const char *query, size_t qlen,
		const char *body, size_t blen, struct http_answer *a);

int push_pusher_init(push_server *s, char *err, size_t errlen);
void push_pusher_free(push_server *s);

#endif
