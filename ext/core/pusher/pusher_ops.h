/*
 * pusher_ops.h - what pusher_ops.c offers the rest of push: trigger, channel queries, terminate, the protocol's state.
 */
#ifndef PUSH_PUSHER_OPS_H
#define PUSH_PUSHER_OPS_H

#include "pusher.h"

/*
 * An event on channels (the HTTP API, the Text port, Push\Client): each
 * channel's subscribers get {"event":..,"channel":..,"data":..}; data is sent
 * as the JSON string it is given (a string) . except: a socket id whose
 * connection is skipped (Laravel's toOthers()), NULL = none. Cache channels
 * keep it. Returns the routing result summed over the channels.
 */
push_result push_pusher_trigger(push_server *s, const push_pusher_app *app, const push_str *channels, size_t n,
		const char *event, size_t elen, const char *data, size_t dlen, const char *except, size_t xlen);
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
int push_pusher_init(push_server *s, char *err, size_t errlen);
void push_pusher_free(push_server *s);

#endif
