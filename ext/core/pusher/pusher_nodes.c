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

#include <json-c/json.h>

#include "buf.h"
#include "pusher.h"
#include "pusher_chan.h"
#include "pusher_nodes.h"
#include "route.h"

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

static void publish_cache(push_server *s, const push_pusher_chan *ch, int present);

/* A cluster resync: every member of this node and every event it keeps for a cache channel, told again. */
static int resync_chan(push_entry *e, void *arg)
{
	push_server *s = arg;
	push_pusher_chan *ch = e->head;
	push_pusher_member *m;
	const push_pusher_app *app;
	size_t idl;

	if (push_pchan_cached(ch)) {
		publish_cache(s, ch, 1);
	}
	if (!push_pchan_members(ch)) {
		return 0;
	}
	/* the app: its id sits between "\0P" and the next NUL of the group name */
	idl = strlen(e->name + 2);
	if (!(app = push_pusher_app_by_id(s, e->name + 2, idl))) {
		return 0;
	}
	for (m = push_pchan_members(ch); m; m = m->next) {
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
	push_str u = { uid, len };
	push_result r;

	/* the error frame first, then the close: both take the same way (Redis keeps their order) */
	push_route_send_uids(k->s, &u, 1, PUSHER_TERMINATED_ERROR, sizeof(PUSHER_TERMINATED_ERROR) - 1);
	r = push_route_kick(k->s, uid, len, PUSHER_CLOSE_UNAUTHORIZED, "connection terminated");

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
	push_buf forms;            /* the user_id (string form) of each remote member listed, one after the other */
	uint32_t form_off[PUSHER_MEMBERS_SEEN];
	uint8_t form_len[PUSHER_MEMBERS_SEEN];     /* at most PUSHER_USER_ID_MAX */
	size_t nseen;
	size_t n;                  /* members listed */
	void (*fn)(const char *id_json, size_t idl, const char *info, size_t il, void *arg);
	void *arg;
} member_walk;

/* The string form of a user_id as JSON ("\"7\"" and 7 are one user) into buf; its length, 0 if it does not fit. */
static size_t id_form(const char *json, size_t len, char *buf, size_t cap)
{
	json_object *o;
	size_t n;

	if (len < 2 || json[0] != '"') {
		n = len;     /* an integer: its digits */
	} else if (!memchr(json, '\\', len)) {
		json++;      /* a string without escapes: what the quotes hold */
		n = len - 2;
	} else {
		char tmp[4 * PUSHER_USER_ID_MAX + 8];

		if (len >= sizeof(tmp)) {
			return 0;
		}
		memcpy(tmp, json, len);
		tmp[len] = '\0';
		if (!(o = json_tokener_parse(tmp)) || !json_object_is_type(o, json_type_string)
				|| (n = (size_t)json_object_get_string_len(o)) > cap || n == 0) {
			json_object_put(o);
			return 0;
		}
		memcpy(buf, json_object_get_string(o), n);
		json_object_put(o);
		return n;
	}
	if (n == 0 || n > cap) {
		return 0;
	}
	memcpy(buf, json, n);
	return n;
}

/* Whether the user_id form is listed already: a member here, or a remote one seen. */
static int member_listed(const member_walk *w, const char *form, size_t flen)
{
	const push_pusher_member *m;
	size_t i;

	for (m = w->ch ? push_pchan_members(w->ch) : NULL; m; m = m->next) {
		if (m->id_len == flen && memcmp(m->id, form, flen) == 0) {
			return 1;
		}
	}
	for (i = 0; i < w->nseen; i++) {
		if (w->form_len[i] == flen && memcmp(push_buf_data(&w->forms) + w->form_off[i], form, flen) == 0) {
			return 1;
		}
	}
	return 0;
}

static void remote_member(const char *key, size_t klen, void *arg)
{
	member_walk *w = arg;
	const char *nul = memchr(key, '\0', klen);
	char form[PUSHER_USER_ID_MAX];
	size_t idl, flen;

	if (!nul || w->nseen == PUSHER_MEMBERS_SEEN) {
		return;
	}
	idl = (size_t)(nul - key);
	if (!(flen = id_form(key, idl, form, sizeof(form))) || member_listed(w, form, flen)) {
		return;
	}
	push_buf_put(&w->forms, form, flen);
	if (w->forms.failed) {
		return;      /* out of memory: left out, as past PUSHER_MEMBERS_SEEN */
	}
	w->form_off[w->nseen] = (uint32_t)(w->forms.len - flen);
	w->form_len[w->nseen++] = (uint8_t)flen;
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
	push_buf_init(&w->forms, 0);
	for (m = ch ? push_pchan_members(ch) : NULL; m; m = m->next, w->n++) {
		if (fn) {
			fn(m->id_json, m->id_json_len, m->info, m->info ? m->info_len : 0, arg);
		}
	}
	if (slen) {
		push_route_remote_members(s, set, slen, remote_member, w);
	}
	n = w->n;
	push_buf_free(&w->forms);
	free(w);
	return n;
}

/* Remote members of a presence set with a given user_id (string form). */
typedef struct same_user {
	const char *form;
	size_t flen;
	size_t n;
} same_user;

static void count_same(const char *key, size_t klen, void *arg)
{
	same_user *u = arg;
	const char *nul = memchr(key, '\0', klen);
	char form[PUSHER_USER_ID_MAX];
	size_t flen;

	if (nul && (flen = id_form(key, (size_t)(nul - key), form, sizeof(form))) == u->flen
			&& memcmp(form, u->form, flen) == 0) {
		u->n++;
	}
}

/* Whether another node has a member with this user_id. */
int push_pusher_remote_has_user(push_server *s, const push_pusher_app *app, push_pusher_chan *ch,
		const push_pusher_member *m)
{
	size_t nlen;
	const char *name = push_pchan_name(ch, &nlen);
	char set[PUSHER_NAME_PREFIX_MAX + 512];
	size_t slen = presence_set(app, name, nlen, set, sizeof(set));
	same_user u = { m->id, m->id_len, 0 };

	if (!slen || push_route_cluster_up(s) < 0) {
		return 0;
	}
	push_route_remote_members(s, set, slen, count_same, &u);
	return u.n > 0;
}

void push_pusher_member_event(push_server *s, push_pusher_chan *ch, const char *id_json, size_t idl,
		const char *info, size_t il, int added, const push_exclude *ex)
{
	push_buf b, w;
	const char *name;
	size_t nlen;

	name = push_pchan_name(ch, &nlen);
	push_buf_init(&b, 0);
	push_buf_init(&w, 0);
	push_buf_puts(&w, "{\"user_id\":");
	push_buf_put(&w, id_json, idl);
	if (added) {
		push_buf_puts(&w, ",\"user_info\":");
		if (info) {
			push_buf_put(&w, info, il);
		} else {
			push_buf_puts(&w, "null");
		}
	}
	push_buf_put(&w, "}", 1);
	push_pusher_msg_start(&b, added ? "pusher_internal:member_added" : "pusher_internal:member_removed",
			added ? 28 : 30, name, nlen);
	push_buf_puts(&b, ",\"data\":");
	push_buf_json_str(&b, push_buf_data(&w) ? push_buf_data(&w) : "", w.len);
	push_buf_put(&b, "}", 1);
	if (!b.failed && !w.failed && !s->hooks_off) {
		push_route_send_group_here(s, ch->e->name, ch->e->len, push_buf_data(&b), b.len, ex);
	}
	push_buf_free(&b);
	push_buf_free(&w);
}

/*
 * A presence member of another node came or went (key "<user_id JSON>\0<user_info
 * JSON>" in "\0P<app>\0\1<channel>"). This node's sockets of the channel hear
 * member_added when the user had no member here nor elsewhere before, and
 * member_removed when it has none left anywhere. Each node decides from its own
 * view, so sockets that leave or join on two nodes at once still end with one
 * added and one removed each, whatever the order in which the nodes hear it.
 */
void push_pusher_remote_member(push_server *s, const char *set, size_t slen, const char *key, size_t klen,
		int present)
{
	char g[PUSHER_NAME_PREFIX_MAX + 512], form[PUSHER_USER_ID_MAX];
	const push_pusher_app *app;
	push_pusher_chan *ch;
	const char *name, *nul;
	size_t idl, nlen, glen, flen;
	same_user u;

	if (!s->pusher || slen < 5 || set[0] != '\0' || set[1] != 'P') {
		return;
	}
	idl = strnlen(set + 2, slen - 2);
	if (4 + idl > slen || set[3 + idl] != '\x01' || !(app = push_pusher_app_by_id(s, set + 2, idl))) {
		return;
	}
	name = set + 4 + idl;
	nlen = slen - 4 - idl;
	if (!(glen = push_pusher_group_name(app, name, nlen, g, sizeof(g)))
			|| !(ch = push_pchan_get(&s->pusher->chans, g, glen, glen - nlen, 0)) || !ch->subs
			|| !(nul = memchr(key, '\0', klen))
			|| !(flen = id_form(key, (size_t)(nul - key), form, sizeof(form)))
			|| push_pchan_member_find(ch, form, flen)) {
		return;      /* nobody here to tell, or the user has a member here: nothing changes for them */
	}
	u.form = form;
	u.flen = flen;
	u.n = 0;
	push_route_remote_members(s, set, slen, count_same, &u);
	if (present ? u.n == 1 : u.n == 0) {
		push_pusher_member_event(s, ch, key, (size_t)(nul - key), klen - (size_t)(nul - key) - 1
				? nul + 1 : NULL, klen - (size_t)(nul - key) - 1, present, NULL);
	}
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

	if (!push_pchan_cached(ch) || push_route_cluster_up(s) < 0 || !(slen = chan_set(ch, "\x03", set, sizeof(set)))) {
		return;
	}
	n = snprintf(ts, sizeof(ts), "%013lld", (long long)ch->x->cache_at_ms);
	push_buf_init(&k, 0);
	push_buf_put(&k, ts, (size_t)n + 1);      /* the NUL separates */
	push_buf_put(&k, ch->x->cache, ch->x->cache_len);
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
	p.best_at = ch->x ? ch->x->cache_at_ms : 0;
	if ((slen = chan_set(ch, "\x03", set, sizeof(set))) != 0) {
		push_route_remote_members(s, set, slen, cache_consider, &p);
	}
	*len = p.best_len;
	return p.best;
}

int push_pusher_chan_release(push_server *s, push_pusher_chan *ch)
{
	int64_t now = now_ms(s);

	push_entry *addr = ch->e->aux;
	uint16_t app = ch->app;

	if (ch->subs || (ch->flags & PCHAN_VACATING)
			|| (push_pchan_cached(ch) && now - ch->x->cache_at_ms < PUSHER_CACHE_TTL_MS)) {
		return 0;
	}
	publish_cache(s, ch, 0);
	if (!push_pchan_release(&s->pusher->chans, ch, now)) {
		return 0;
	}
	/* the app's and the address's shares of the table */
	s->pusher->app_chans[app]--;
	if (addr && --addr->count == 0) {
		push_registry_remove(&s->pusher->addrs, addr);
	}
	return 1;
}
