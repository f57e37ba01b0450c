/*
 * pusher_presence.c - front end: the members of the Pusher protocol's
 * presence channels on every node. Each node keeps its own (pusher_chan.c)
 * and publishes them through the routing layer (push_route_set_member) in
 * the set "\0P<id>\0\1<channel>" (no channel name holds a \1), keyed
 * "<user_id JSON>\0<user_info JSON>"; lists merge this node's members with
 * the other nodes', one entry per user_id. Alone, the sets stay empty.
 */
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

void push_pusher_resync(push_server *s)
{
	if (s->pusher) {
		push_registry_each(&s->pusher->chans, resync_chan, s);
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

