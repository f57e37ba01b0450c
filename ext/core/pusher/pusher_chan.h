/*
 * pusher_chan.h - what pusher_chan.c offers: this node's Pusher channels (records, members, cached events), apps and names.
 */
#ifndef PUSH_PUSHER_CHAN_H
#define PUSH_PUSHER_CHAN_H

#include "pusher.h"

/* "\0P<app id>\0" + tag + name into buf (the names of pusher.h's header comment); its length, 0 when it does not fit. */
size_t push_pusher_name(const push_pusher_app *app, const char *tag, const char *name, size_t len, char *buf,
		size_t cap);
/* x, allocated if needed; NULL only when out of memory. */
push_pusher_chan_x *push_pchan_x(push_pusher_chan *ch);
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
 * The record of a channel of app, created when there is none and the bounds
 * allow it: the node's (PUSHER_CHANNELS_MAX), the app's (max_channels) and,
 * with addr (16 bytes, NULL = none), the address's (max_channels_per_address),
 * which the new record is charged to. NULL with *why when refused.
 */
push_pusher_chan *push_pusher_chan_get(push_server *s, const push_pusher_app *app, const char *g, size_t glen,
		size_t name_off, const uint8_t *addr, const char **why);
/* The remote address of a connection as 16 bytes (IPv4 mapped into IPv6); zeros when unknown. */
void push_pusher_peer_addr(struct lws *wsi, uint8_t *key);

#endif
