/*
 * pusher_chan.c - node layer: the Pusher channels of this process. A channel
 * record exists while a socket here is subscribed to it, while a cache
 * channel keeps its last event, or while its channel_vacated webhook waits;
 * it holds the subscriber count, the presence members (one per distinct user,
 * with the number of this node's sockets subscribed as that user) and the
 * cached event. Delivery is not here: a channel is a push group, and sends
 * take the routing layer.
 *
 * A new record is charged to its app and to the remote address whose socket
 * brought it into being (push_pusher_chan_get): a share of the node's table
 * each, so that sockets without credentials from a few addresses cannot take
 * every app's channels. The charge ends with the record (pusher_nodes.c).
 *
 * Presence channels hold at most pusher_max_members members, so the member
 * list is a plain list: each operation is O(members) <= O(100).
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "buf.h"
#include "pusher.h"
#include "pusher_chan.h"

/* ---------------------------------------------------- names and apps -- */

const push_pusher_app *push_pusher_app_by_id(push_server *s, const char *id, size_t len)
{
	size_t i;

	for (i = 0; i < s->cfg.pusher_napps; i++) {
		const push_pusher_app *a = &s->cfg.pusher_apps[i];

		if (strlen(a->id) == len && memcmp(a->id, id, len) == 0) {
			return a;
		}
	}
	return NULL;
}

const push_pusher_app *push_pusher_app_by_key(push_server *s, const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < s->cfg.pusher_napps; i++) {
		const push_pusher_app *a = &s->cfg.pusher_apps[i];

		if (strlen(a->key) == len && memcmp(a->key, key, len) == 0) {
			return a;
		}
	}
	return NULL;
}

/* "\0P<app id>\0" + tag + name into buf; its length, 0 when it does not fit. */
size_t push_pusher_name(const push_pusher_app *app, const char *tag, const char *name, size_t len, char *buf,
		size_t cap)
{
	size_t idl = strlen(app->id), tl = strlen(tag), n = 3 + idl + tl + len;

	if (n > cap) {
		return 0;
	}
	buf[0] = '\0';
	buf[1] = 'P';
	memcpy(buf + 2, app->id, idl);
	buf[2 + idl] = '\0';
	memcpy(buf + 3 + idl, tag, tl);
	if (len) {
		memcpy(buf + 3 + idl + tl, name, len);
	}
	return n;
}

size_t push_pusher_group_name(const push_pusher_app *app, const char *ch, size_t len, char *buf, size_t cap)
{
	return push_pusher_name(app, "", ch, len, buf, cap);
}

static int name_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-'
			|| ch == '_' || ch == '=' || ch == '@' || ch == ',' || ch == '.' || ch == ';';
}

int push_pusher_channel_valid(push_server *s, const char *name, size_t len)
{
	size_t i = 0;

	if (len == 0 || len > s->cfg.pusher_max_channel_len) {
		return 0;
	}
	if (len > sizeof(SERVER_TO_USER) - 1 && memcmp(name, SERVER_TO_USER, sizeof(SERVER_TO_USER) - 1) == 0) {
		/* a user id as signin takes it ("auth0|42", "user:7"): any text but control characters */
		for (i = sizeof(SERVER_TO_USER) - 1; i < len; i++) {
			if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) {
				return 0;
			}
		}
		return push_utf8_valid(name, len);
	}
	for (; i < len; i++) {
		if (!name_char((unsigned char)name[i])) {
			return 0;
		}
	}
	return 1;
}

int push_pusher_event_reserved(const char *name, size_t len)
{
	/* a forged pusher_internal:member_added would add a member in pusher-js */
	return push_pusher_has_prefix(name, len, "pusher:") || push_pusher_has_prefix(name, len, "pusher_internal:");
}

int push_pusher_socket_id_valid(const char *p, size_t len)
{
	size_t i, dot = 0;

	if (len < 3 || len > PUSHER_SOCKET_ID_MAX) {
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (p[i] == '.' && !dot && i > 0 && i + 1 < len) {
			dot = i;
		} else if (p[i] < '0' || p[i] > '9') {
			return 0;
		}
	}
	return dot != 0;
}

size_t push_pusher_data_size(json_object *data, size_t json_len)
{
	if (data && json_object_is_type(data, json_type_string)) {
		return (size_t)json_object_get_string_len(data);
	}
	return json_len;
}

size_t push_pusher_names_unique(push_str *names, size_t n)
{
	size_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < k && !(names[j].len == names[i].len && memcmp(names[j].p, names[i].p, names[i].len) == 0);
				j++) {
		}
		if (j == k) {
			names[k++] = names[i];
		}
	}
	return k;
}

/* {"event":E[,"channel":C] ... : the start of a message; data and the closing brace follow. */
void push_pusher_msg_start(push_buf *b, const char *event, size_t elen, const char *ch, size_t chlen)
{
	push_buf_puts(b, "{\"event\":");
	push_buf_json_str(b, event, elen);
	if (ch) {
		push_buf_puts(b, ",\"channel\":");
		push_buf_json_str(b, ch, chlen);
	}
}

/* The remote address of a connection as 16 bytes (IPv4 mapped into IPv6); zeros when unknown. */
void push_pusher_peer_addr(struct lws *wsi, uint8_t *key)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = (int)lws_get_socket_fd(wsi);

	memset(key, 0, 16);
	if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &sl) != 0) {
		return;
	}
	if (ss.ss_family == AF_INET) {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	} else if (ss.ss_family == AF_INET6) {
		memcpy(key, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
	}
}

/* --------------------------------------------------------- channels -- */


/* Finds the record of a channel (key: its group name); creates it when asked. */
push_pusher_chan *push_pchan_get(push_registry *r, const char *gname, size_t glen, size_t name_off, int create)
{
	push_entry *e = create ? push_registry_get(r, gname, glen) : push_registry_find(r, gname, glen);
	push_pusher_chan *ch;

	if (!e) {
		return NULL;
	}
	if (e->head) {
		return e->head;
	}
	if (!(ch = calloc(1, sizeof(*ch)))) {
		push_registry_remove(r, e);
		return NULL;
	}
	ch->e = e;
	ch->name_off = (uint8_t)name_off;
	e->head = ch;
	return ch;
}

push_pusher_chan_x *push_pchan_x(push_pusher_chan *ch)
{
	if (!ch->x) {
		ch->x = calloc(1, sizeof(*ch->x));
	}
	return ch->x;
}

push_pusher_chan *push_pusher_chan_get(push_server *s, const push_pusher_app *app, const char *g, size_t glen,
		size_t name_off, const uint8_t *addr, const char **why)
{
	push_pusher *ps = s->pusher;
	size_t ai = (size_t)(app - s->cfg.pusher_apps);
	uint32_t cap = s->cfg.pusher_max_channels_per_addr;
	push_entry *e = push_registry_find(&ps->chans, g, glen), *a = NULL;
	push_pusher_chan *ch;
	char key[18];

	if (e) {
		return e->head;
	}
	if (ai >= s->cfg.pusher_napps || name_off > UINT8_MAX) {
		*why = "no such app";
		return NULL;
	}
	if (ps->chans.count >= PUSHER_CHANNELS_MAX) {
		s->stats.pusher_refused_node++;
		*why = "this server has too many channels";
		return NULL;
	}
	if (ps->app_chans[ai] >= ps->app_max[ai]) {
		s->stats.pusher_refused_app++;
		*why = "this app has too many channels";
		return NULL;
	}
	if (addr && cap) {
		key[0] = (char)(ai >> 8);
		key[1] = (char)ai;
		memcpy(key + 2, addr, 16);
		a = push_registry_find(&ps->addrs, key, sizeof(key));
		if (a && a->count >= cap) {
			s->stats.pusher_refused_addr++;
			*why = "too many new channels from this address";
			return NULL;
		}
		if (!a && !(a = push_registry_get(&ps->addrs, key, sizeof(key)))) {
			*why = "out of memory";
			return NULL;
		}
	}
	if (!(ch = push_pchan_get(&ps->chans, g, glen, name_off, 1))) {
		if (a && a->count == 0) {
			push_registry_remove(&ps->addrs, a);
		}
		*why = "out of memory";
		return NULL;
	}
	ch->app = (uint16_t)ai;
	ch->e->aux = a;
	if (a) {
		a->count++;
	}
	ps->app_chans[ai]++;
	return ch;
}

/* The channel's name (without the group prefix). */
const char *push_pchan_name(const push_pusher_chan *ch, size_t *len)
{
	*len = ch->e->len - ch->name_off;
	return ch->e->name + ch->name_off;
}

static void member_free(push_pusher_member *m)
{
	free(m->id);
	free(m->id_json);
	free(m->info);
	free(m);
}

/* Drops the cached event. */
void push_pchan_cache_drop(push_pusher_chan *ch)
{
	if (ch->x) {
		free(ch->x->cache);
		ch->x->cache = NULL;
		ch->x->cache_len = 0;
	}
}

/*
 * Frees the record when nothing keeps it: no subscriber here and no cached
 * event younger than its time to live. Returns 1 when it was freed.
 */
int push_pchan_release(push_registry *r, push_pusher_chan *ch, int64_t now_ms)
{
	if (ch->subs || (ch->flags & PCHAN_VACATING)) {
		return 0;
	}
	if (ch->x && ch->x->cache && now_ms - ch->x->cache_at_ms < PUSHER_CACHE_TTL_MS) {
		return 0;
	}
	while (ch->x && ch->x->members) {
		push_pusher_member *m = ch->x->members;

		ch->x->members = m->next;
		member_free(m);
	}
	push_pchan_cache_drop(ch);
	ch->e->head = NULL;
	push_registry_remove(r, ch->e);
	free(ch->x);
	free(ch);
	return 1;
}

/* The cached event of a cache channel, NULL when there is none or it expired. */
const char *push_pchan_cache(push_pusher_chan *ch, int64_t now_ms, size_t *len)
{
	if (!ch->x || !ch->x->cache || now_ms - ch->x->cache_at_ms >= PUSHER_CACHE_TTL_MS) {
		return NULL;
	}
	*len = ch->x->cache_len;
	return ch->x->cache;
}

/* Keeps msg as the channel's cached event; -1 when out of memory (the old one is kept then). */
int push_pchan_cache_set(push_pusher_chan *ch, const char *msg, size_t len, int64_t now_ms)
{
	char *p;

	if (!push_pchan_x(ch) || !(p = malloc(len ? len : 1))) {
		return -1;
	}
	memcpy(p, msg, len);
	free(ch->x->cache);
	ch->x->cache = p;
	ch->x->cache_len = (uint32_t)len;
	ch->x->cache_at_ms = now_ms;
	return 0;
}

/* The member of user id (its string form), NULL when there is none. */
push_pusher_member *push_pchan_member_find(push_pusher_chan *ch, const char *id, size_t len)
{
	push_pusher_member *m;

	for (m = push_pchan_members(ch); m; m = m->next) {
		if (m->id_len == len && memcmp(m->id, id, len) == 0) {
			return m;
		}
	}
	return NULL;
}

static char *dup_bytes(const char *p, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, p, n);
		d[n] = '\0';
	}
	return d;
}

/*
 * One more socket here subscribed as user id: the existing member, or a new
 * one (then *first is set) with the user_id as received (its JSON text) and
 * user_info (JSON text, NULL when absent). NULL when out of memory or the
 * channel is full (max members; *full set).
 */
push_pusher_member *push_pchan_member_add(push_pusher_chan *ch, const push_pusher_user *u, uint32_t max_members,
		int *first, int *full)
{
	push_pusher_member *m = push_pchan_member_find(ch, u->id, u->id_len);

	*first = 0;
	*full = 0;
	if (m) {
		m->sockets++;
		return m;
	}
	if (ch->x && ch->x->nmembers >= max_members) {
		*full = 1;
		return NULL;
	}
	if (!push_pchan_x(ch) || !(m = calloc(1, sizeof(*m)))) {
		return NULL;
	}
	m->id = dup_bytes(u->id, u->id_len);
	m->id_json = dup_bytes(u->id_json, u->id_json_len);
	m->info = u->info ? dup_bytes(u->info, u->info_len) : NULL;
	if (!m->id || !m->id_json || (u->info && !m->info)) {
		member_free(m);
		return NULL;
	}
	m->id_len = (uint32_t)u->id_len;
	m->id_json_len = (uint32_t)u->id_json_len;
	m->info_len = (uint32_t)u->info_len;
	m->sockets = 1;
	m->next = ch->x->members;
	ch->x->members = m;
	ch->x->nmembers++;
	*first = 1;
	return m;
}

/* One socket subscribed as m left: returns 1 when it was the member's last (then m is freed). */
int push_pchan_member_del(push_pusher_chan *ch, push_pusher_member *m)
{
	push_pusher_member **pp;

	if (--m->sockets) {
		return 0;
	}
	for (pp = &ch->x->members; *pp; pp = &(*pp)->next) {
		if (*pp == m) {
			*pp = m->next;
			break;
		}
	}
	ch->x->nmembers--;
	member_free(m);
	return 1;
}

/* Frees every record (server teardown). */
static int free_one(push_entry *e, void *arg)
{
	push_pusher_chan *ch = e->head;

	ch->subs = 0;
	ch->flags = 0;
	if (ch->x) {
		ch->x->cache_at_ms = INT64_MIN / 2;
	}
	push_pchan_release(arg, ch, 0);
	return 0;
}

void push_pchan_free_all(push_registry *r)
{
	push_registry_each(r, free_one, r);
	push_registry_destroy(r);
}
