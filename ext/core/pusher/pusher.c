/*
 * pusher.c - front end: the Pusher protocol (version 7) on the WebSocket
 * port, for connections opened on /app/{key}: connection_established,
 * ping/pong, subscriptions to public, private, presence, encrypted and cache
 * channels, client events, signin; and the operations the HTTP API, the Text
 * port and the PHP binding use (trigger, channel queries, terminate).
 *
 * A Pusher socket is a push connection bound to a uid of its own
 * ("\0P<app id>\0s<socket id>"), and each channel it subscribes to is a group
 * the connection joins ("\0P<app id>\0<channel>"): events go out through the
 * routing layer like any group send, so they reach the other nodes in cluster
 * mode, and excluding a socket (toOthers) is excluding its uid. No recipe
 * client can claim these names: public uids and group names never hold a NUL.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "handshake.h"
#include "pusher.h"
#include "pusher_chan.h"
#include "pusher_nodes.h"
#include "pusher_hook.h"
#include "pusher_vacate.h"
#include "pusher_sign.h"
#include "textproto.h"
#include "wsframe.h"
#include "conn.h"
#include "route.h"

#define PUSHER_JSON_DEPTH 16       /* nesting accepted in a client message */
#define PUSHER_CLOSE_UNKNOWN_APP 4001
#define PUSHER_CLOSE_PROTOCOL 4007
#define PUSHER_CLOSE_OVER_CAPACITY 4100
#define PUSHER_ERR_RATE 4301
#define PUSHER_CACHE_MISS_EVERY_MS 5000 /* at most one cache_miss webhook per channel this often */

/* Server-wide state. */
/* --------------------------------------------------------- messages -- */

static void send_buf(push_server *s, push_conn *c, push_buf *b)
{
	if (!b->failed && b->len) {
		push_conn_queue(s, c, PUSH_WS_OP_TEXT, push_buf_data(b), b->len);
	}
	push_buf_free(b);
}

/* {"event":"pusher:error","data":{"code":N|null,"message":M}} */
static void send_error(push_server *s, push_conn *c, int code, const char *message)
{
	push_buf b;

	push_buf_init(&b, 0);
	push_buf_puts(&b, "{\"event\":\"pusher:error\",\"data\":{\"code\":");
	if (code) {
		push_buf_printf(&b, "%d", code);
	} else {
		push_buf_puts(&b, "null");
	}
	push_buf_puts(&b, ",\"message\":");
	push_buf_json_str(&b, message, strlen(message));
	push_buf_puts(&b, "}}");
	send_buf(s, c, &b);
}

/* {"event":"pusher:subscription_error","channel":C,"data":{"type":T,"error":E,"status":N}} */
static void send_sub_error(push_server *s, push_conn *c, const char *ch, size_t chlen, const char *type,
		const char *error, int status)
{
	push_buf b;

	push_buf_init(&b, 0);
	push_pusher_msg_start(&b, "pusher:subscription_error", 25, ch, chlen);
	push_buf_puts(&b, ",\"data\":{\"type\":");
	push_buf_json_str(&b, type, strlen(type));
	push_buf_puts(&b, ",\"error\":");
	push_buf_json_str(&b, error, strlen(error));
	push_buf_printf(&b, ",\"status\":%d}}", status);
	send_buf(s, c, &b);
}

/* ---------------------------------------------------------- signing -- */

/* ------------------------------------------------------ JSON fields -- */

static json_object *field(json_object *o, const char *name)
{
	json_object *v = NULL;

	return o && json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, name, &v) ? v : NULL;
}

/* A string field: its bytes, or NULL when missing or not a string. */
static const char *str_field(json_object *o, const char *name, size_t *len)
{
	json_object *v = field(o, name);

	if (!v || !json_object_is_type(v, json_type_string)) {
		return NULL;
	}
	*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

/* Parses text as one JSON value (numbers as JSON has them); NULL when it is not. */
static json_object *parse_json(const char *text, size_t len)
{
	json_tokener *tok;
	json_object *o;
	int ok;

	if (len > INT32_MAX || !push_utf8_valid(text, len) || !(tok = json_tokener_new_ex(PUSHER_JSON_DEPTH))) {
		return NULL;
	}
	o = json_tokener_parse_ex(tok, text, (int)len);
	ok = o && json_tokener_get_error(tok) == json_tokener_success && (size_t)json_tokener_get_parse_end(tok) == len;
	json_tokener_free(tok);
	if (!ok || !push_json_numbers_ok(text, len)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* The compact JSON text of a value. */
static const char *json_text(json_object *v, size_t *len)
{
	return json_object_to_json_string_length(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, len);
}

/* ------------------------------------------------------- sockets -- */

static push_pusher_conn *pconn(push_conn *c)
{
	return c->rare ? c->rare->pusher : NULL;
}

/* The user a socket signed in as (NULL = none): the tail of its users key. */
static const char *signed_user(const push_pusher_conn *p, size_t *len)
{
	size_t off;

	if (!p->user) {
		return NULL;
	}
	off = 3 + strlen(p->app->id) + 1;
	*len = p->user->len - off;
	return p->user->name + off;
}

static push_pusher_sub *sub_find(push_pusher_conn *p, const push_pusher_chan *ch)
{
	push_pusher_sub *u;

	for (u = p->subs; u; u = u->next) {
		if (u->ch == ch) {
			return u;
		}
	}
	return NULL;
}

/* The exclusion of one socket: its uid. */
static void exclude_self(push_conn *c, push_exclude *ex, const char **uid, size_t *ulen)
{
	memset(ex, 0, sizeof(*ex));
	if (c->uid) {
		*uid = c->uid->name;
		*ulen = c->uid->len;
		ex->uids = uid;
		ex->uid_lens = ulen;
		ex->nuids = 1;
	}
}

/* A user's presence began or ended with socket p's subscription: this node's sockets hear it, and the webhook. */
static void member_event(push_server *s, push_pusher_conn *p, push_pusher_chan *ch, const push_pusher_member *m,
		int added)
{
	push_buf w;
	const char *name;
	size_t nlen;
	push_exclude ex;
	const char *uid = NULL;
	size_t ulen = 0;

	exclude_self(p->c, &ex, &uid, &ulen);
	push_pusher_member_event(s, ch, m->id_json, m->id_json_len, m->info, m->info ? m->info_len : 0, added, &ex);
	name = push_pchan_name(ch, &nlen);
	/* webhooks give user_id as a string */
	push_buf_init(&w, 0);
	push_buf_puts(&w, ",\"user_id\":");
	push_buf_json_str(&w, m->id, m->id_len);
	if (!w.failed) {
		push_pusher_hook_event(s, p->app, added ? "member_added" : "member_removed", name, nlen, push_buf_data(&w), w.len);
	}
	push_buf_free(&w);
}

/* Ends one subscription; notify: tell the others (member_removed) and the webhooks. */
static void sub_end(push_server *s, push_pusher_conn *p, push_pusher_sub *u, int notify)
{
	push_pusher_sub **pp;
	push_pusher_chan *ch = u->ch;
	const char *name;
	size_t nlen;

	for (pp = &p->subs; *pp; pp = &(*pp)->next) {
		if (*pp == u) {
			*pp = u->next;
			break;
		}
	}
	p->nsubs--;
	push_route_leave_conn(s, ch->e->name, ch->e->len, p->c);
	if (u->member) {
		push_pusher_member *m = u->member;

		if (m->sockets == 1) {
			/* the user's last socket here: gone from the channel unless another node has one */
			push_pusher_publish_member(s, p->app, ch, m, 0);
			if (notify && !push_pusher_remote_has_user(s, p->app, ch, m)) {
				member_event(s, p, ch, m, 0);
			}
		}
		push_pchan_member_del(ch, m);
	}
	free(u);
	if (--ch->subs == 0) {
		s->stats.pusher_channels--;
		if (notify && (ch->flags & PCHAN_OCCUPIED) && !push_pusher_vacate_later(s, ch)) {
			ch->flags &= (uint8_t)~PCHAN_OCCUPIED;
			name = push_pchan_name(ch, &nlen);
			push_pusher_hook_event(s, p->app, "channel_vacated", name, nlen, "", 0);
		}
		push_pusher_chan_release(s, ch);
	}
}

/* ---------------------------------------------------- subscriptions -- */

/*
 * The presence user of a subscription from its channel_data
 * ({"user_id":..,"user_info":..}); 0, or -1 with *why (-2: user_info over
 * max_member_info, a limit). The strings point into cd (owned by the caller)
 * or into buf.
 */
static int presence_user(push_server *s, json_object *cd, push_pusher_user *u, push_buf *idb, const char **why)
{
	json_object *id = field(cd, "user_id"), *info = field(cd, "user_info");

	memset(u, 0, sizeof(*u));
	if (!id) {
		*why = "channel_data has no user_id";
		return -1;
	}
	if (json_object_is_type(id, json_type_string)) {
		u->id = json_object_get_string(id);
		u->id_len = (size_t)json_object_get_string_len(id);
		push_buf_json_str(idb, u->id, u->id_len);
	} else if (json_object_is_type(id, json_type_int)) {
		int64_t v = json_object_get_int64(id);

		/* json-c clamps an integer out of range to these: such an id would merge users */
		if (v == INT64_MAX || v == INT64_MIN) {
			*why = "user_id integer out of the 64-bit range";
			return -1;
		}
		u->id = json_object_to_json_string_length(id, JSON_C_TO_STRING_PLAIN, &u->id_len);
		push_buf_put(idb, u->id, u->id_len);
	} else {
		*why = "user_id must be a string or an integer";
		return -1;
	}
	if (u->id_len == 0 || u->id_len > PUSHER_USER_ID_MAX || idb->failed) {
		*why = "user_id empty or too long";
		return -1;
	}
	u->id_json = push_buf_data(idb);
	u->id_json_len = idb->len;
	if (info) {
		u->info = json_text(info, &u->info_len);
		if (u->info_len > s->cfg.pusher_max_member_info) {
			*why = "user_info too large (max_member_info)";
			return -2;
		}
	}
	return 0;
}

/* pusher:subscribe. Refusals answer with pusher:subscription_error; the socket stays. */
static void subscribe(push_server *s, push_pusher_conn *p, json_object *data)
{
	push_conn *c = p->c;
	char g[PUSHER_NAME_PREFIX_MAX + 512];
	const char *name, *auth = NULL, *cds = NULL, *why = NULL;
	size_t nlen = 0, alen = 0, cdlen = 0, glen, off;
	json_object *cd = NULL;
	push_pusher_user user;
	push_pusher_member *m = NULL;
	push_pusher_chan *ch;
	push_pusher_sub *u;
	push_buf b, idb;
	int first = 0, full = 0, rc, already;

	push_buf_init(&idb, 0);
	if (!(name = str_field(data, "channel", &nlen)) || !push_pusher_channel_valid(s, name, nlen)) {
		send_sub_error(s, c, name ? name : "", name ? nlen : 0, "InvalidChannel", "invalid channel name", 400);
		return;
	}
	glen = push_pusher_group_name(p->app, name, nlen, g, sizeof(g));
	off = glen - nlen;
	ch = glen ? push_pchan_get(&s->pusher->chans, g, glen, off, 0) : NULL;
	/* already subscribed: told again, after the same checks (a presence answer lists every member) */
	already = ch && sub_find(p, ch);
	if (!already && p->nsubs >= s->cfg.pusher_max_channels) {
		s->stats.pusher_refused_conn++;
		send_sub_error(s, c, name, nlen, "LimitReached", "too many channels on this connection", 403);
		goto out;
	}
	if (push_pusher_has_prefix(name, nlen, SERVER_TO_USER)) {
		size_t ulen = 0, pl = sizeof(SERVER_TO_USER) - 1;
		const char *uid = signed_user(p, &ulen);

		if (!uid || nlen - pl != ulen || memcmp(name + pl, uid, ulen) != 0) {
			send_sub_error(s, c, name, nlen, "AuthError", "not signed in as this user", 403);
			goto out;
		}
	} else if (push_pusher_is_private(name, nlen) || push_pusher_is_presence(name, nlen)) {
		const char *parts[3];
		size_t lens[3];

		auth = str_field(data, "auth", &alen);
		parts[0] = p->sid;
		lens[0] = p->sid_len;
		parts[1] = name;
		lens[1] = nlen;
		if (push_pusher_is_presence(name, nlen)) {
			if (!(cds = str_field(data, "channel_data", &cdlen))) {
				send_sub_error(s, c, name, nlen, "AuthError", "presence channels need channel_data", 401);
				goto out;
			}
			parts[2] = cds;
			lens[2] = cdlen;
		}
		if (!auth || !push_pusher_auth_ok(p->app->key, p->app->secret, auth, alen, parts, lens, cds ? 3 : 2)) {
			s->stats.pusher_auth_failures++;
			send_sub_error(s, c, name, nlen, "AuthError", "invalid signature", 401);
			goto out;
		}
		if (cds) {
			if (!(cd = parse_json(cds, cdlen)) || !json_object_is_type(cd, json_type_object)) {
				send_sub_error(s, c, name, nlen, "AuthError", "channel_data is not a JSON object", 400);
				goto out;
			}
			if ((rc = presence_user(s, cd, &user, &idb, &why)) != 0) {
				/* too much user_info is a limit of the server, not a bad authorization */
				send_sub_error(s, c, name, nlen, rc == -2 ? "LimitReached" : "AuthError", why, rc == -2 ? 413 : 400);
				goto out;
			}
		}
	}
	if (already) {
		goto succeeded;
	}
	if (!glen || !(ch = push_pusher_chan_get(s, p->app, g, glen, off, p->addr, &why))) {
		send_sub_error(s, c, name, nlen, "LimitReached", glen ? why : "invalid channel name", glen ? 403 : 400);
		goto out;
	}
	if (cds) {
		m = push_pchan_member_add(ch, &user, s->cfg.pusher_max_members, &first, &full);
		if (!m) {
			send_sub_error(s, c, name, nlen, "LimitReached",
					full ? "presence channel is full" : "out of memory", full ? 403 : 503);
			push_pusher_chan_release(s, ch);
			goto out;
		}
	}
	if (!(u = calloc(1, sizeof(*u))) || push_route_join_conn(s, g, glen, c) < 0) {
		free(u);
		if (m) {
			push_pchan_member_del(ch, m);
		}
		push_pusher_chan_release(s, ch);
		send_sub_error(s, c, name, nlen, "LimitReached", "out of memory", 503);
		goto out;
	}
	u->ch = ch;
	u->member = m;
	u->next = p->subs;
	p->subs = u;
	p->nsubs++;
	if (ch->subs++ == 0) {
		s->stats.pusher_channels++;
		if (ch->flags & PCHAN_VACATING) {
			/* back before it was vacated: neither channel_vacated nor channel_occupied */
			push_pusher_vacate_cancel(s->pusher, ch);
			s->stats.webhooks_debounced += 2;
		} else if (!(ch->flags & PCHAN_OCCUPIED) && p->app->webhook_url && !s->hooks_off) {
			ch->flags |= PCHAN_OCCUPIED;
			push_pusher_hook_event(s, p->app, "channel_occupied", name, nlen, "", 0);
		}
	}
	if (m && first) {
		int elsewhere = push_pusher_remote_has_user(s, p->app, ch, m);

		push_pusher_publish_member(s, p->app, ch, m, 1);
		if (!elsewhere) {
			member_event(s, p, ch, m, 1);
		}
	}

succeeded:
	push_buf_init(&b, 0);
	push_pusher_msg_start(&b, "pusher_internal:subscription_succeeded", 38, name, nlen);
	push_buf_puts(&b, ",\"data\":");
	if (push_pusher_is_presence(name, nlen)) {
		push_buf w;

		push_buf_init(&w, 0);
		push_pusher_presence_json(s, p->app, ch, &w);
		push_buf_json_str(&b, push_buf_data(&w) ? push_buf_data(&w) : "", w.len);
		b.failed |= w.failed;
		push_buf_free(&w);
	} else {
		push_buf_puts(&b, "\"{}\"");
	}
	push_buf_put(&b, "}", 1);
	send_buf(s, c, &b);
	if (push_pusher_is_cache(name, nlen)) {
		size_t clen;
		const char *cached = push_pusher_cache_get(s, ch, &clen);

		if (cached) {
			push_conn_queue(s, c, PUSH_WS_OP_TEXT, cached, clen);
		} else {
			push_pusher_chan_x *x = p->app->webhook_url ? push_pchan_x(ch) : NULL;
			uint32_t now = now32(s);

			push_buf_init(&b, 0);
			push_pusher_msg_start(&b, "pusher:cache_miss", 17, name, nlen);
			push_buf_put(&b, "}", 1);
			send_buf(s, c, &b);
			if (x && (!x->missed || now - x->miss_ms >= PUSHER_CACHE_MISS_EVERY_MS)) {
				x->missed = 1;
				x->miss_ms = now;
				push_pusher_hook_event(s, p->app, "cache_miss", name, nlen, "", 0);
			} else if (x) {
				s->stats.webhooks_rate_limited++;
			}
		}
	}
out:
	push_buf_free(&idb);
	json_object_put(cd);
}

/* pusher:unsubscribe */
static void unsubscribe(push_server *s, push_pusher_conn *p, json_object *data)
{
	char g[PUSHER_NAME_PREFIX_MAX + 512];
	const char *name;
	size_t nlen = 0, glen;
	push_pusher_chan *ch;
	push_pusher_sub *u;

	if (!(name = str_field(data, "channel", &nlen))) {
		return;
	}
	glen = push_pusher_group_name(p->app, name, nlen, g, sizeof(g));
	ch = glen ? push_pchan_get(&s->pusher->chans, g, glen, glen - nlen, 0) : NULL;
	if (ch && (u = sub_find(p, ch)) != NULL) {
		sub_end(s, p, u, 1);
	}
}

/* ---------------------------------------------------- client events -- */

/* A client- event: to the channel's other sockets, on private and presence channels of apps that allow them. */
static void client_event(push_server *s, push_pusher_conn *p, const char *event, size_t elen, json_object *root)
{
	char g[PUSHER_NAME_PREFIX_MAX + 512];
	const char *name, *uid = NULL;
	size_t nlen = 0, glen, dlen = 0, ulen = 0;
	json_object *data = field(root, "data");
	const char *dtext = data ? json_text(data, &dlen) : "null";
	push_pusher_chan *ch;
	push_pusher_sub *u;
	push_exclude ex;
	push_buf b, w;
	uint32_t now = now32(s);

	if (!data) {
		dlen = 4;
	}
	if (!p->app->client_events) {
		send_error(s, p->c, 0, "client events are not enabled for this app");
		return;
	}
	if (!(name = str_field(root, "channel", &nlen)) || !(push_pusher_is_private(name, nlen) || push_pusher_is_presence(name, nlen))) {
		send_error(s, p->c, 0, "client events are only for private and presence channels");
		return;
	}
	if (push_pusher_has_prefix(name, nlen, "private-encrypted-")) {
		/* as Pusher: the server cannot check what it cannot read */
		send_error(s, p->c, 0, "client events are not supported on encrypted channels");
		return;
	}
	if (elen > s->cfg.pusher_max_event_len) {
		send_error(s, p->c, 0, "event name too long");
		return;
	}
	if (push_pusher_data_size(data, dlen) > s->cfg.pusher_max_payload) {
		send_error(s, p->c, 0, "event data too large");
		return;
	}
	glen = push_pusher_group_name(p->app, name, nlen, g, sizeof(g));
	ch = glen ? push_pchan_get(&s->pusher->chans, g, glen, glen - nlen, 0) : NULL;
	if (!ch || !(u = sub_find(p, ch))) {
		send_error(s, p->c, 0, "not subscribed to this channel");
		return;
	}
	if (now - p->ev_window_ms >= 1000) {
		p->ev_window_ms = now;
		p->ev_count = 0;
	}
	if (++p->ev_count > s->cfg.pusher_client_event_rate) {
		send_error(s, p->c, PUSHER_ERR_RATE, "client event rejected: rate limit exceeded");
		return;
	}
	push_buf_init(&b, 0);
	push_pusher_msg_start(&b, event, elen, name, nlen);
	push_buf_puts(&b, ",\"data\":");
	push_buf_put(&b, dtext, dlen);
	if (u->member) {
		push_buf_puts(&b, ",\"user_id\":");
		push_buf_put(&b, u->member->id_json, u->member->id_json_len);
	}
	push_buf_put(&b, "}", 1);
	if (!b.failed) {
		exclude_self(p->c, &ex, &uid, &ulen);
		push_route_send_group(s, g, glen, push_buf_data(&b), b.len, &ex);
		s->stats.pusher_client_events++;
	}
	push_buf_free(&b);
	if (p->app->webhook_url) {
		push_buf_init(&w, 0);
		push_buf_puts(&w, ",\"event\":");
		push_buf_json_str(&w, event, elen);
		push_buf_puts(&w, ",\"data\":");
		if (data && json_object_is_type(data, json_type_string)) {
			push_buf_json_str(&w, json_object_get_string(data), (size_t)json_object_get_string_len(data));
		} else {
			push_buf_json_str(&w, dtext, dlen);
		}
		push_buf_puts(&w, ",\"socket_id\":");
		push_buf_json_str(&w, p->sid, p->sid_len);
		if (u->member) {
			push_buf_puts(&w, ",\"user_id\":");
			push_buf_json_str(&w, u->member->id, u->member->id_len);
		}
		if (!w.failed) {
			push_pusher_hook_event(s, p->app, "client_event", name, nlen, push_buf_data(&w), w.len);
		}
		push_buf_free(&w);
	}
}

/* ----------------------------------------------------------- signin -- */

/* pusher:signin {"auth":..,"user_data":".."}: a wrong signature closes with 4009, as Pusher does. */
static int signin(push_server *s, push_pusher_conn *p, json_object *data)
{
	const char *auth, *ud, *id;
	size_t alen = 0, udlen = 0, idlen = 0, klen;
	char key[PUSHER_NAME_PREFIX_MAX + PUSHER_USER_ID_MAX + 4];
	const char *parts[5];
	size_t lens[5];
	json_object *uo;
	push_entry *e;
	push_buf b;

	if (!(auth = str_field(data, "auth", &alen)) || !(ud = str_field(data, "user_data", &udlen))) {
		send_error(s, p->c, PUSHER_CLOSE_UNAUTHORIZED, "signin needs auth and user_data");
		return -1;
	}
	/* signed: "socket_id::user::user_data" */
	parts[0] = p->sid;
	lens[0] = p->sid_len;
	parts[1] = parts[3] = "";
	lens[1] = lens[3] = 0;
	parts[2] = "user";
	lens[2] = 4;
	parts[4] = ud;
	lens[4] = udlen;
	if (!push_pusher_auth_ok(p->app->key, p->app->secret, auth, alen, parts, lens, 5)) {
		s->stats.pusher_auth_failures++;
		send_error(s, p->c, PUSHER_CLOSE_UNAUTHORIZED, "invalid signin signature");
		return -1;
	}
	uo = parse_json(ud, udlen);
	if (!uo || !(id = str_field(uo, "id", &idlen)) || idlen == 0 || idlen > PUSHER_USER_ID_MAX) {
		json_object_put(uo);
		send_error(s, p->c, PUSHER_CLOSE_UNAUTHORIZED, "user_data needs a string id");
		return -1;
	}
	klen = push_pusher_name(p->app, "u", id, idlen, key, sizeof(key));
	json_object_put(uo);
	if (p->user) {
		if (p->user->len == klen && memcmp(p->user->name, key, klen) == 0) {
			goto success;
		}
		send_error(s, p->c, PUSHER_CLOSE_UNAUTHORIZED, "already signed in as another user");
		return -1;
	}
	if (!klen || !(e = push_registry_get(&s->pusher->users, key, klen))) {
		send_error(s, p->c, 0, "out of memory");
		return 0;
	}
	p->user = e;
	p->u_prev = NULL;
	p->u_next = e->head;
	if (p->u_next) {
		p->u_next->u_prev = p;
	}
	e->head = p;
	e->count++;
	push_pusher_publish_signin(s, p->app, key + (klen - idlen), idlen, p->sid, p->sid_len, 1);

success:
	push_buf_init(&b, 0);
	push_buf_puts(&b, "{\"event\":\"pusher:signin_success\",\"data\":{\"user_data\":");
	push_buf_json_str(&b, ud, udlen);
	push_buf_puts(&b, "}}");
	send_buf(s, p->c, &b);
	return 0;
}

static void signout(push_server *s, push_pusher_conn *p)
{
	push_entry *e = p->user;
	const char *user;
	size_t ulen = 0;

	if (!e) {
		return;
	}
	user = signed_user(p, &ulen);
	push_pusher_publish_signin(s, p->app, user, ulen, p->sid, p->sid_len, 0);
	if (p->u_prev) {
		p->u_prev->u_next = p->u_next;
	} else {
		e->head = p->u_next;
	}
	if (p->u_next) {
		p->u_next->u_prev = p->u_prev;
	}
	p->user = NULL;
	if (--e->count == 0) {
		push_registry_remove(&s->pusher->users, e);
	}
}

/* -------------------------------------------------------- the socket -- */

int push_pusher_message(push_server *s, push_conn *c, const char *msg, size_t len)
{
	push_pusher_conn *p = pconn(c);
	json_object *root, *data;
	const char *event;
	size_t elen = 0;
	int rc = 0;

	if (!p || c->state != CS_BOUND) {
		return 0;
	}
	if (!(root = parse_json(msg, len)) || !(event = str_field(root, "event", &elen))) {
		json_object_put(root);
		send_error(s, c, 0, "invalid message: expected {\"event\":..,\"data\":..}");
		return 0;
	}
	data = field(root, "data");
	/* some clients send data as a JSON string */
	if (data && json_object_is_type(data, json_type_string) && strncmp(event, "pusher:", 7) == 0) {
		json_object *inner = parse_json(json_object_get_string(data), (size_t)json_object_get_string_len(data));

		if (inner) {
			json_object_object_add(root, "data", inner);
			data = inner;
		}
	}
	if (strcmp(event, "pusher:ping") == 0) {
		static const char pong[] = "{\"event\":\"pusher:pong\",\"data\":\"{}\"}";

		push_conn_queue(s, c, PUSH_WS_OP_TEXT, pong, sizeof(pong) - 1);
	} else if (strcmp(event, "pusher:subscribe") == 0) {
		subscribe(s, p, data);
	} else if (strcmp(event, "pusher:unsubscribe") == 0) {
		unsubscribe(s, p, data);
	} else if (strcmp(event, "pusher:signin") == 0) {
		if (signin(s, p, data) != 0) {
			push_conn_close_async(c, PUSHER_CLOSE_UNAUTHORIZED, "unauthorized");
		}
	} else if (push_pusher_has_prefix(event, elen, "client-")) {
		client_event(s, p, event, elen, root);
	}
	/* pusher:pong and unknown events: nothing to do */
	json_object_put(root);
	return rc;
}

/*
 * A new socket id, "<9 digits>.<10 digits>": both parts from getrandom(2)
 * (about 62 bits, so that no one can guess another socket's id and exclude it
 * from an event), never the id of a socket of the app still open here. The
 * uid it binds is written to uid. -1 when no randomness could be had.
 */
static int new_socket_id(push_server *s, push_pusher_conn *p, char *uid, size_t cap, size_t *ulen)
{
	unsigned long long r[2];
	push_entry *e;
	int tries;

	for (tries = 0; tries < 4; tries++) {
		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
			return -1;
		}
		p->sid_len = (uint8_t)snprintf(p->sid, sizeof(p->sid), "%llu.%llu", r[0] % 900000000ull + 100000000ull,
				r[1] % 9000000000ull + 1000000000ull);
		*ulen = push_pusher_name(p->app, "s", p->sid, p->sid_len, uid, cap);
		if (!*ulen) {
			return -1;
		}
		if (!(e = push_registry_find(&s->uids, uid, *ulen)) || e->count == 0) {
			return 0;
		}
	}
	return -1;
}

/* The protocol version of ?protocol=N (digits only); 0 when missing or not a number. */
static int protocol_version(struct lws *wsi)
{
	char arg[32];
	const char *v = lws_get_urlarg_by_name(wsi, "protocol=", arg, sizeof(arg));
	int n = 0;

	if (!v || !*v) {
		return 0;
	}
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || n > 1000) {
			return 0;
		}
		n = n * 10 + (*v - '0');
	}
	return n;
}

int push_pusher_open(push_server *s, struct lws *wsi, push_conn *c)
{
	char path[256], uid[PUSHER_NAME_PREFIX_MAX + PUSHER_SOCKET_ID_MAX];
	const push_pusher_app *app;
	push_pusher_conn *p;
	push_buf b;
	int plen, proto;
	size_t ulen = 0;

	if (!s->pusher) {
		return 0;
	}
	plen = lws_hdr_copy(wsi, path, sizeof(path), WSI_TOKEN_GET_URI);
	if (plen < 5 || memcmp(path, "/app/", 5) != 0) {
		return 0;
	}
	c->is_pusher = 1;
	if (!push_conn_rare_get(c) || !(p = calloc(1, sizeof(*p)))) {
		return -1;
	}
	c->rare->pusher = p;
	p->c = c;
	s->stats.pusher_conns++;
	/* no protocol= means protocol 1 (Pusher's protocol page), which is no longer served */
	proto = protocol_version(wsi);
	app = push_pusher_app_by_key(s, path + 5, (size_t)plen - 5);
	if (!app) {
		send_error(s, c, PUSHER_CLOSE_UNKNOWN_APP, "unknown app key");
		push_conn_close_async(c, PUSHER_CLOSE_UNKNOWN_APP, "unknown app key");
		return 1;
	}
	p->app = app;
	/* the address the channel shares are charged to: the client's, behind a trusted proxy too */
	if (push_addr_of(c, p->addr) != 0) {
		push_pusher_peer_addr(wsi, p->addr);
	}
	if (proto < 5 || proto > 7) {
		send_error(s, c, PUSHER_CLOSE_PROTOCOL, "unsupported protocol version");
		push_conn_close_async(c, PUSHER_CLOSE_PROTOCOL, "unsupported protocol version");
		return 1;
	}
	if (c->over_cap) {
		/* over max_connections(_per_address) (ws.c): 4100 makes pusher-js back off before it reconnects */
		send_error(s, c, PUSHER_CLOSE_OVER_CAPACITY, "over capacity");
		push_conn_close_async(c, PUSHER_CLOSE_OVER_CAPACITY, "over capacity");
		return 1;
	}
	if (new_socket_id(s, p, uid, sizeof(uid), &ulen) != 0 || push_conn_bind(s, c, uid, ulen) != 0) {
		return -1;
	}
	push_buf_init(&b, 0);
	push_buf_puts(&b, "{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"");
	push_buf_put(&b, p->sid, p->sid_len);
	push_buf_printf(&b, "\\\",\\\"activity_timeout\\\":%u}\"}", s->cfg.pusher_activity_timeout);
	send_buf(s, c, &b);
	return 1;
}

void push_pusher_closed(push_server *s, push_conn *c)
{
	push_pusher_conn *p = pconn(c);

	if (!p) {
		return;
	}
	while (p->subs) {
		sub_end(s, p, p->subs, !s->hooks_off);
	}
	signout(s, p);
	s->stats.pusher_conns--;
	c->rare->pusher = NULL;
	free(p);
}

