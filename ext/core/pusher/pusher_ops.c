/*
 * pusher_ops.c - front end: what the rest of push asks of the Pusher
 * protocol: triggering events (the HTTP API, the Text port, Push\\Client),
 * the channel queries of the HTTP API, terminating a user's connections, and
 * the protocol's state from start to stop. The sockets' side is pusher.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pusher.h"
#include "pusher_chan.h"
#include "pusher_nodes.h"
#include "pusher_hook.h"
#include "pusher_ops.h"
#include "wsframe.h"
#include "conn.h"
#include "route.h"

#define PUSHER_SWEEP_STEP 16       /* channel records looked at for an expired cache per trigger */

typedef struct sweep_batch {
	push_pusher_chan *ch[PUSHER_SWEEP_STEP * 4];      /* records seen */
	size_t n;                                           /* how many */
} sweep_batch;

static void sweep_collect(push_entry *e, void *arg)
{
	sweep_batch *b = arg;

	if (b->n < sizeof(b->ch) / sizeof(b->ch[0])) {
		b->ch[b->n++] = e->head;
	}
}

/* Frees a few records kept only for a cached event that expired (amortised over triggers). */
static void sweep_cache(push_server *s)
{
	sweep_batch b;
	size_t i;

	if (s->pusher->chans.count == 0) {
		return;
	}
	b.n = 0;
	s->pusher->sweep_cursor = push_registry_scan(&s->pusher->chans, s->pusher->sweep_cursor, PUSHER_SWEEP_STEP,
			sweep_collect, &b);
	for (i = 0; i < b.n; i++) {
		push_pusher_chan_release(s, b.ch[i]);
	}
}

push_result push_pusher_trigger(push_server *s, const push_pusher_app *app, const push_str *channels, size_t n,
		const char *event, size_t elen, const char *data, size_t dlen, const char *except, size_t xlen)
{
	char g[PUSHER_NAME_PREFIX_MAX + 512], xuid[PUSHER_NAME_PREFIX_MAX + PUSHER_SOCKET_ID_MAX];
	const char *xu = xuid;
	size_t xul = 0, i, glen;
	push_exclude ex;
	push_result total = { 0, 0, 0, 0 };
	push_buf b;

	if (!s->pusher) {
		return total;
	}
	sweep_cache(s);
	memset(&ex, 0, sizeof(ex));
	if (except && xlen && (xul = push_pusher_name(app, "s", except, xlen, xuid, sizeof(xuid))) != 0) {
		ex.uids = &xu;
		ex.uid_lens = &xul;
		ex.nuids = 1;
	}
	push_buf_init(&b, 0);
	for (i = 0; i < n; i++) {
		const char *ch = channels[i].p;
		size_t chlen = channels[i].len;
		push_result r;

		glen = push_pusher_group_name(app, ch, chlen, g, sizeof(g));
		if (!glen) {
			continue;
		}
		b.len = 0;
		push_pusher_msg_start(&b, event, elen, ch, chlen);
		push_buf_puts(&b, ",\"data\":");
		push_buf_json_str(&b, data, dlen);
		push_buf_put(&b, "}", 1);
		if (b.failed) {
			total.cluster_fail = 1;
			break;
		}
		if (push_pusher_is_cache(ch, chlen)) {
			const char *why;
			push_pusher_chan *rec = push_pusher_chan_get(s, app, g, glen, glen - chlen, NULL, &why);

			if (rec) {
				push_pusher_cache_set(s, rec, push_buf_data(&b), b.len);
			}
		}
		r = push_route_send_group(s, g, glen, push_buf_data(&b), b.len, ex.nuids ? &ex : NULL);
		total.count += r.count;
		total.cluster_fail |= r.cluster_fail;
		s->stats.pushes++;
	}
	push_buf_free(&b);
	return total;
}

int push_pusher_channel_info(push_server *s, const push_pusher_app *app, const char *ch, size_t len,
		push_pusher_chinfo *info)
{
	char g[PUSHER_NAME_PREFIX_MAX + 512];
	size_t glen = push_pusher_group_name(app, ch, len, g, sizeof(g));
	push_pusher_chan *rec;

	memset(info, 0, sizeof(*info));
	info->name = ch;
	info->len = len;
	if (!glen || !s->pusher) {
		return 0;
	}
	info->subscription_count = push_route_front_group_count(s, g, glen);
	rec = push_pchan_get(&s->pusher->chans, g, glen, glen - len, 0);
	if (push_pusher_is_presence(ch, len)) {
		info->user_count = push_pusher_members(s, app, ch, len, rec, NULL, NULL);
	}
	info->occupied = info->subscription_count > 0;
	return info->occupied;
}

typedef struct chan_walk {
	push_server *s;
	const push_pusher_app *app;
	const char *gp;            /* group name prefix: "\0P<id>\0" + the channel prefix */
	size_t gplen;
	void (*fn)(const push_pusher_chinfo *info, void *arg);
	void *arg;
} chan_walk;

static int chan_walk_one(push_entry *e, void *arg)
{
	chan_walk *w = arg;
	push_pusher_chan *ch = e->head;
	push_pusher_chinfo info;

	if (ch->subs == 0 || e->len < w->gplen || memcmp(e->name, w->gp, w->gplen) != 0) {
		return 0;
	}
	memset(&info, 0, sizeof(info));
	info.name = push_pchan_name(ch, &info.len);
	info.subscription_count = push_route_front_group_count(w->s, e->name, e->len);
	info.user_count = push_pusher_is_presence(info.name, info.len)
			? push_pusher_members(w->s, w->app, info.name, info.len, ch, NULL, NULL) : 0;
	info.occupied = 1;
	w->fn(&info, w->arg);
	return 0;
}

void push_pusher_each_channel(push_server *s, const push_pusher_app *app, const char *prefix, size_t plen,
		void (*fn)(const push_pusher_chinfo *info, void *arg), void *arg)
{
	char gp[PUSHER_NAME_PREFIX_MAX + 512];
	chan_walk w;

	if (!s->pusher || !(w.gplen = push_pusher_group_name(app, prefix, plen, gp, sizeof(gp)))) {
		return;
	}
	w.s = s;
	w.app = app;
	w.gp = gp;
	w.fn = fn;
	w.arg = arg;
	push_registry_each(&s->pusher->chans, chan_walk_one, &w);
}

typedef struct user_walk {
	void (*fn)(const char *user_id_json, size_t len, void *arg);
	void *arg;
} user_walk;

static void user_walk_one(const char *id, size_t idl, const char *info, size_t il, void *arg)
{
	user_walk *w = arg;

	(void)info;
	(void)il;
	w->fn(id, idl, w->arg);
}

size_t push_pusher_each_user(push_server *s, const push_pusher_app *app, const char *ch, size_t len,
		void (*fn)(const char *user_id_json, size_t len, void *arg), void *arg)
{
	char g[PUSHER_NAME_PREFIX_MAX + 512];
	size_t glen = push_pusher_group_name(app, ch, len, g, sizeof(g));
	user_walk w = { fn, arg };

	if (!glen || !s->pusher) {
		return 0;
	}
	return push_pusher_members(s, app, ch, len, push_pchan_get(&s->pusher->chans, g, glen, glen - len, 0),
			user_walk_one, &w);
}

size_t push_pusher_terminate_user(push_server *s, const push_pusher_app *app, const char *user, size_t len)
{
	char key[PUSHER_NAME_PREFIX_MAX + PUSHER_USER_ID_MAX + 4];
	size_t klen = push_pusher_name(app, "u", user, len, key, sizeof(key)), n = 0;
	push_entry *e;
	push_pusher_conn *p;

	if (!klen || !s->pusher) {
		return 0;
	}
	n = push_pusher_terminate_remote(s, app, user, len);
	if (!(e = push_registry_find(&s->pusher->users, key, klen))) {
		return n;
	}
	for (p = e->head; p; p = p->u_next) {
		if (p->c->state != CS_CLOSING) {
			push_conn_queue(s, p->c, PUSH_WS_OP_TEXT, PUSHER_TERMINATED_ERROR, sizeof(PUSHER_TERMINATED_ERROR) - 1);
			push_conn_close_async(p->c, PUSHER_CLOSE_UNAUTHORIZED, "connection terminated");
			n++;
		}
	}
	return n;
}

int push_pusher_init(push_server *s, char *err, size_t errlen)
{
	push_pusher *ps;
	size_t i;

	if (!s->cfg.pusher_napps) {
		return 0;
	}
	if (!(ps = calloc(1, sizeof(*ps))) || push_registry_init(&ps->chans, 64) != 0
			|| push_registry_init(&ps->users, 64) != 0 || push_registry_init(&ps->addrs, 64) != 0
			|| !(ps->app_chans = calloc(s->cfg.pusher_napps, sizeof(*ps->app_chans)))
			|| !(ps->app_max = calloc(s->cfg.pusher_napps, sizeof(*ps->app_max)))) {
		if (ps) {
			push_registry_destroy(&ps->chans);
			push_registry_destroy(&ps->users);
			free(ps->app_chans);
		}
		free(ps);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < s->cfg.pusher_napps; i++) {
		/* no app takes the whole node's table unless told: an even share by default */
		uint32_t m = s->cfg.pusher_apps[i].max_channels;

		ps->app_max[i] = m ? m : (uint32_t)(PUSHER_CHANNELS_MAX / s->cfg.pusher_napps);
	}
	ev_init(&ps->vac_timer, NULL);
	ps->vac_timer.data = s;
	s->pusher = ps;
	s->front_resync = push_pusher_resync;
	s->front_remote_member = push_pusher_remote_member;
	if (push_pusher_hooks_init(s, err, errlen) != 0) {
		push_pusher_free(s);
		return -1;
	}
	return 0;
}

void push_pusher_free(push_server *s)
{
	push_pusher *ps = s->pusher;

	if (!ps) {
		return;
	}
	push_pusher_hooks_free(s);
	if (s->loop) {
		ev_timer_stop(s->loop, &ps->vac_timer);
	}
	push_pchan_free_all(&ps->chans);
	push_registry_destroy(&ps->users);
	push_registry_destroy(&ps->addrs);
	free(ps->app_chans);
	free(ps->app_max);
	free(ps);
	s->pusher = NULL;
}
