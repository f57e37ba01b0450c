/*
 * pusher_hook.h - what pusher_hook.c offers: webhooks.
 */
#ifndef PUSH_PUSHER_HOOK_H
#define PUSH_PUSHER_HOOK_H

#include "pusher.h"

int push_pusher_hooks_init(push_server *s, char *err, size_t errlen);
void push_pusher_hooks_free(push_server *s);
/*
 * Queues one webhook event of app, a JSON object without the braces' outer
 * "time_ms" ({"name":"channel_occupied","channel":"x"}); sent within a second
 * with the others of the same app as {"time_ms":..,"events":[..]}.
 */
void push_pusher_webhook(push_server *s, const push_pusher_app *app, const char *event_json, size_t len,
		int channel_kind);
/* channel_kind: channel_occupied, channel_vacated and cache_miss, which any client can cause, take a lane
 * of their own, so that member_added/removed and client_event (behind channel auth) are never behind them. */
/* A webhook event of app, when it has a webhook URL: {"name":N,"channel":C<rest>}. */
void push_pusher_hook_event(push_server *s, const push_pusher_app *app, const char *name, const char *ch, size_t chlen,
		const char *rest, size_t rlen);

#endif
