/*
 * pusher_nodes.c - front end: what the Pusher protocol's nodes share in
 * cluster mode. Each node keeps its own records (pusher_chan.c, pusher.c)
 * and publishes them through the routing layer (push_route_set_member) in
 * sets named after the channel or user, "\0P<id>\0" + a tag byte no
 * channel name holds + the name:
 *
 *   \1<channel>   presence members, keyed "<user_id JSON>\0<user_info JSON>";
 *                 lists merge this node's members with the others', one per user_id
 *   \2<user>      the uids of a user's signed-in sockets (terminate reaches them all)
 *   \3<channel>   a cache channel's last event, keyed "<ms, 13 digits>\0<event>";
 *                 a subscriber gets the newest one of any node
 *
 * Alone, the sets stay empty and everything is this node's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pusher.h"

static size_t presence_set(const push_pusher_app *app, const char *ch, size_t len, char *buf, size_t cap)
{
	return push_pusher_name(app, "\x01", ch, len, buf, cap);
}

void push_pusher_publish_member(push_server *s, const push_pusher_app *app, push_pusher_chan *ch,
		const push_pusher_member *m, int present)
{
	char set[PUSHER_NAME_PREFIX_MAX + 512];
	const char *name;
	size_t nlen, slen;
	push_buf k;

	name = push_pchan_name(ch, &nlen);
	if (!(slen = presence_set(app, name, nlen, set, sizeof(set)))) {
		return;
	}
	push_buf_init(&k, 0);
	push_buf_put(&k, m->id_json, m->id_json_len);
	push_buf_put(&k, "", 1);
	if (m->info) {
		push_buf_put(&k, m->info, m->info_len);
	}
	if (!k.failed) {
		push_route_set_member(s, set, slen, push_buf_data(&k), k.len, present);
	}
	push_buf_free(&k);
}

/* A cluster resync: every member of this node, told again. */
static int resync_chan(push_entry *e, void *arg)
{
	push_server *s = arg;
	push_pusher_chan *ch = e->head;
	push_pusher_member *m;
	const push_pusher_app *app;
	size_t idl;

	if (!ch->members) {
		return 0;
	}
	/* the app: its id sits between "\0P" and the next NUL of the group name */
	idl = strlen(e->name + 2);
	if (!(app = push_pusher_app_by_id(s, e->name + 2, idl))) {
		return 0;
	}
	for (m = ch->members; m; m = m->next) {
		push_pusher_publish_member(s, app, ch, m, 1);
	}
	return 0;
}

/*
 * The signed-in sockets of a user, on every node: the set "\0P<id>\0\2<user>"
 * holds the uids of its sockets, so terminating a user's connections kicks
 * them wherever they are.
 */
static size_t user_set(const push_pusher_app *app, const char *user, size_t len, char *buf, size_t cap)
{
	return push_pusher_name(app, "\x02", user, len, buf, cap);
}

void push_pusher_publish_signin(push_server *s, const push_pusher_app *app, const char *user, size_t len,
		const char *sid, size_t sidlen, int present)
{
	char set[PUSHER_NAME_PREFIX_MAX + PUSHER_USER_ID_MAX + 4], uid[PUSHER_NAME_PREFIX_MAX + PUSHER_SOCKET_ID_MAX];
	size_t slen = user_set(app, user, len, set, sizeof(set)), ulen = push_pusher_name(app, "s", sid, sidlen, uid,
			sizeof(uid));

	if (slen && ulen) {
		push_route_set_member(s, set, slen, uid, ulen, present);
	}
}

typedef struct kick_walk {
	push_server *s;
	size_t n;
} kick_walk;

static void kick_one(const char *uid, size_t len, void *arg)
{
	kick_walk *k = arg;
	push_result r = push_route_kick(k->s, uid, len, PUSHER_CLOSE_UNAUTHORIZED, "connection terminated");

	k->n += r.count ? r.count : 1;
}

size_t push_pusher_terminate_remote(push_server *s, const push_pusher_app *app, const char *user, size_t len)
{
	char set[PUSHER_NAME_PREFIX_MAX + PUSHER_USER_ID_MAX + 4];
	size_t slen = user_set(app, user, len, set, sizeof(set));
	kick_walk k = { s, 0 };

	if (slen) {
		push_route_remote_members(s, set, slen, kick_one, &k);
	}
	return k.n;
}

static int resync_user(push_entry *e, void *arg)
{
	push_server *s = arg;
	push_pusher_conn *p;
	size_t off = 3 + strlen(e->name + 2) + 1;

	for (p = e->head; p; p = p->u_next) {
		push_pusher_publish_signin(s, p->app, e->name + off, e->len - off, p->sid, p->sid_len, 1);
	}
	return 0;
}

void push_pusher_resync(push_server *s)
{
	if (s->pusher) {
		push_registry_each(&s->pusher->chans, resync_chan, s);
		push_registry_each(&s->pusher->users, resync_user, s);
	}
}

typedef struct member_walk {
	push_pusher_chan *ch;      /* this node's record, NULL = none */
	const char *seen[PUSHER_MEMBERS_SEEN];     /* user_id JSON of remote members listed */
	size_t seen_len[PUSHER_MEMBERS_SEEN];
	size_t nseen;
	size_t n;                  /* members listed */
	void (*fn)(const char *id_json, size_t idl, const char *info, size_t il, void *arg);
	void *arg;
} member_walk;

static int member_listed(const member_walk *w, const char *id, size_t len)
{
	const push_pusher_member *m;
	size_t i;

	for (m = w->ch ? w->ch->members : NULL; m; m = m->next) {
		if (m->id_json_len == len && memcmp(m->id_json, id, len) == 0) {
			return 1;
		}
	}
	for (i = 0; i < w->nseen; i++) {
		if (w->seen_len[i] == len && memcmp(w->seen[i], id, len) == 0) {
			return 1;
		}
	}
	return 0;
}

static void remote_member(const char *key, size_t klen, void *arg)
{
	member_walk *w = arg;
	const char *nul = memchr(key, '\0', klen);
	size_t idl;

	if (!nul || w->nseen == PUSHER_MEMBERS_SEEN) {
		return;
	}
	idl = (size_t)(nul - key);
	if (member_listed(w, key, idl)) {
		return;
	}
	w->seen[w->nseen] = key;
	w->seen_len[w->nseen++] = idl;
	w->n++;
	if (w->fn) {
		w->fn(key, idl, klen - idl - 1 ? nul + 1 : NULL, klen - idl - 1, w->arg);
	}
}

size_t push_pusher_members(push_server *s, const push_pusher_app *app, const char *name, size_t nlen,
		push_pusher_chan *ch, void (*fn)(const char *id_json, size_t idl, const char *info, size_t il, void *arg),
		void *arg)
{
	char set[PUSHER_NAME_PREFIX_MAX + 512];
	size_t slen = presence_set(app, name, nlen, set, sizeof(set));
	member_walk *w = calloc(1, sizeof(*w));
	push_pusher_member *m;
	size_t n;

	if (!w) {
		return 0;
	}
	w->ch = ch;
	w->fn = fn;
	w->arg = arg;
	for (m = ch ? ch->members : NULL; m; m = m->next, w->n++) {
		if (fn) {
			fn(m->id_json, m->id_json_len, m->info, m->info ? m->info_len : 0, arg);
		}
	}
	if (slen) {
		push_route_remote_members(s, set, slen, remote_member, w);
	}
	n = w->n;
	free(w);
	return n;
}

/* Whether another node has a member with this user_id. */
int push_pusher_remote_has_user(push_server *s, const push_pusher_app *app, push_pusher_chan *ch,
		const push_pusher_member *m)
{
	size_t nlen;
	const char *name = push_pchan_name(ch, &nlen);
	member_walk *w;
	char set[PUSHER_NAME_PREFIX_MAX + 512];
	size_t slen = presence_set(app, name, nlen, set, sizeof(set)), i;
	int found = 0;

	if (!slen || push_route_cluster_up(s) < 0 || !(w = calloc(1, sizeof(*w)))) {
		return 0;
	}
	push_route_remote_members(s, set, slen, remote_member, w);
	for (i = 0; i < w->nseen && !found; i++) {
		found = w->seen_len[i] == m->id_json_len && memcmp(w->seen[i], m->id_json, m->id_json_len) == 0;
	}
	free(w);
	return found;
}

typedef struct presence_out {
	push_buf ids;              /* "a",7,... */
	push_buf hash;             /* "a":{..},"7":{..} */
} presence_out;

static void presence_add(const char *id, size_t idl, const char *info, size_t il, void *arg)
{
	presence_out *o = arg;

	if (o->ids.len) {
		push_buf_put(&o->ids, ",", 1);
		push_buf_put(&o->hash, ",", 1);
	}
	push_buf_put(&o->ids, id, idl);
	/* hash keys are strings: a number's text is quoted */
	if (id[0] == '"') {
		push_buf_put(&o->hash, id, idl);
	} else {
		push_buf_put(&o->hash, "\"", 1);
		push_buf_put(&o->hash, id, idl);
		push_buf_put(&o->hash, "\"", 1);
	}
	push_buf_put(&o->hash, ":", 1);
	if (info) {
		push_buf_put(&o->hash, info, il);
	} else {
		push_buf_puts(&o->hash, "null");
	}
}

/* {"presence":{"count":N,"ids":[..],"hash":{..}}} of a presence channel, every node's members. */
void push_pusher_presence_json(push_server *s, const push_pusher_app *app, push_pusher_chan *ch, push_buf *b)
{
	presence_out o;
	const char *name;
	size_t nlen, n;

	name = push_pchan_name(ch, &nlen);
	push_buf_init(&o.ids, 0);
	push_buf_init(&o.hash, 0);
	n = push_pusher_members(s, app, name, nlen, ch, presence_add, &o);
	push_buf_printf(b, "{\"presence\":{\"count\":%zu,\"ids\":[", n);
	push_buf_put(b, push_buf_data(&o.ids) ? push_buf_data(&o.ids) : "", o.ids.len);
	push_buf_puts(b, "],\"hash\":{");
	push_buf_put(b, push_buf_data(&o.hash) ? push_buf_data(&o.hash) : "", o.hash.len);
	push_buf_puts(b, "}}}");
	b->failed |= o.ids.failed | o.hash.failed;
	push_buf_free(&o.ids);
	push_buf_free(&o.hash);
}


/* ---------------------------------------------------- cache channels -- */

/* The set of a channel's record: its group name with tag inserted before the channel name. */
static size_t chan_set(const push_pusher_chan *ch, const char *tag, char *buf, size_t cap)
{
	size_t nlen, pl = ch->name_off, tl = strlen(tag);
	const char *name = push_pchan_name(ch, &nlen);

	if (pl + tl + nlen > cap) {
		return 0;
	}
	memcpy(buf, ch->e->name, pl);
	memcpy(buf + pl, tag, tl);
	memcpy(buf + pl + tl, name, nlen);
	return pl + tl + nlen;
}

static void publish_cache(push_server *s, const push_pusher_chan *ch, int present)
{
	char set[PUSHER_NAME_PREFIX_MAX + 512], ts[24];
	size_t slen;
	push_buf k;
	int n;

	if (!ch->cache || push_route_cluster_up(s) < 0 || !(slen = chan_set(ch, "\x03", set, sizeof(set)))) {
		return;
	}
	n = snprintf(ts, sizeof(ts), "%013lld", (long long)ch->cache_at_ms);
	push_buf_init(&k, 0);
	push_buf_put(&k, ts, (size_t)n + 1);      /* the NUL separates */
	push_buf_put(&k, ch->cache, ch->cache_len);
	if (!k.failed) {
		push_route_set_member(s, set, slen, push_buf_data(&k), k.len, present);
	}
	push_buf_free(&k);
}

void push_pusher_cache_set(push_server *s, push_pusher_chan *ch, const char *msg, size_t len)
{
	publish_cache(s, ch, 0);
	if (push_pchan_cache_set(ch, msg, len, now_ms(s)) == 0) {
		publish_cache(s, ch, 1);
	}
}

typedef struct cache_pick {
	int64_t now;               /* the server clock */
	int64_t best_at;           /* when the newest so far was kept */
	const char *best;          /* it */
	size_t best_len;
} cache_pick;

static void cache_consider(const char *key, size_t klen, void *arg)
{
	cache_pick *p = arg;
	const char *nul = memchr(key, '\0', klen);
	long long at;

	if (!nul || nul - key > 20 || sscanf(key, "%13lld", &at) != 1) {
		return;
	}
	if (p->now - at < PUSHER_CACHE_TTL_MS && (!p->best || at > p->best_at)) {
		p->best_at = at;
		p->best = nul + 1;
		p->best_len = klen - (size_t)(nul + 1 - key);
	}
}

const char *push_pusher_cache_get(push_server *s, push_pusher_chan *ch, size_t *len)
{
	char set[PUSHER_NAME_PREFIX_MAX + 512];
	cache_pick p = { now_ms(s), 0, NULL, 0 };
	size_t slen;

	p.best = push_pchan_cache(ch, p.now, &p.best_len);
	p.best_at = ch->cache_at_ms;
	if ((slen = chan_set(ch, "\x03", set, sizeof(set))) != 0) {
		push_route_remote_members(s, set, slen, cache_consider, &p);
	}
	*len = p.best_len;
	return p.best;
}

int push_pusher_chan_release(push_server *s, push_pusher_chan *ch)
{
	int64_t now = now_ms(s);

	if (ch->subs || (ch->cache && now - ch->cache_at_ms < PUSHER_CACHE_TTL_MS)) {
		return 0;
	}
	publish_cache(s, ch, 0);
	return push_pchan_release(&s->pusher->chans, ch, now);
}
