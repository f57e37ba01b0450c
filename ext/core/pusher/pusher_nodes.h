/*
 * pusher_nodes.h - what pusher_nodes.c offers: what the nodes share (presence members, signed-in sockets, cached events).
 */
#ifndef PUSH_PUSHER_NODES_H
#define PUSH_PUSHER_NODES_H

#include "pusher.h"

/*
 * The members of a presence channel on every node (ch: this node's record,
 * NULL when none): fn gets each distinct user's user_id JSON and user_info
 * JSON (NULL when none); returns how many. fn may be NULL (a count).
 */
size_t push_pusher_members(push_server *s, const push_pusher_app *app, const char *name, size_t nlen,
		push_pusher_chan *ch, void (*fn)(const char *id_json, size_t idl, const char *info, size_t il, void *arg),
		void *arg);
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

#endif
