/*
 * cluster.c - cluster mode on Redis. See cluster.h.
 *
 * Channel <prefix>bus carries JSON events; every node subscribes:
 *   push  {"t":"push","n":N,"u":[uids],"m":msg}      deliver to local connections of the uids
 *   bcast {"t":"bcast","n":N,"m":msg,"xu":[..],"xc":[..]}
 *   group {"t":"group","n":N,"g":G,"m":msg,"xu":[..],"xc":[..]}
 *   kick  {"t":"kick","n":N,"u":[uids],"c":close code,"r":reason}
 *   join / leave {"t":"join","n":N,"g":G,"u":[uids]}
 *   pres  {"t":"pres","n":N,"u":uid,"c":count}     absolute count of uid's connections on N
 *   reset {"t":"reset","n":N}                      forget everything of N (it resyncs next)
 *   hb    {"t":"hb","n":N}                         N is alive (every second)
 *   bye   {"t":"bye","n":N}                        N stopped
 * Hash <prefix>node:<N> (uid -> count, expires 5 s after N's last heartbeat) is
 * the snapshot a node reads when it first hears of N.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "cluster.h"
#include "cluster_mirror.h"
#include "registry.h"
#include "server.h"

#if defined(HAVE_PUSH_REDIS)

#include <json-c/json.h>
#include <hiredis/hiredis.h>
#include <hiredis/async.h>
#include <hiredis/adapters/libev.h>

#include "cluster_int.h"


static void connect_all(push_cluster *c);

static void log_state(push_cluster *c)
{
	int state = up(c);

	if (state != c->logged_state) {
		push_log("cluster: redis %s:%d %s", c->host, c->port, state ? "connected" : "unreachable, serving local connections");
		c->logged_state = state;
	}
}

/* ------------------------------------------------------------ mirror -- */

/* ---------------------------------------------------------- publishing -- */

static int publish_obj(push_cluster *c, json_object *o)
{
	size_t len;
	const char *s;
	int rc = -1;

	json_object_object_add(o, "n", json_object_new_string(c->node));
	s = json_object_to_json_string_length(o, COMPACT, &len);
	if (up(c) && s && redisAsyncCommand(c->pub, NULL, NULL, "PUBLISH %s %b", c->chan, s, len) == REDIS_OK) {
		c->published++;
		rc = 0;
	} else {
		c->publish_failed++;
	}
	json_object_put(o);
	return rc;
}

static json_object *event(const char *type)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "t", json_object_new_string(type));
	return o;
}

static json_object *str_array(const char *const *v, const size_t *lens, size_t n)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_object_array_add(a, json_object_new_string_len(v[i], (int)lens[i]));
	}
	return a;
}

static void add_exclude(json_object *o, const push_exclude *ex)
{
	size_t i;

	if (!ex) {
		return;
	}
	if (ex->nuids) {
		json_object_object_add(o, "xu", str_array(ex->uids, ex->uid_lens, ex->nuids));
	}
	if (ex->nconns) {
		/* connection ids are per node: an excluded id only means something where it lives */
		json_object *a = json_object_new_array();

		for (i = 0; i < ex->nconns; i++) {
			json_object_array_add(a, json_object_new_int64((int64_t)ex->conn_ids[i]));
		}
		json_object_object_add(o, "xc", a);
	}
}

int push_cluster_push(push_cluster *c, const char *uid, size_t ulen, const char *msg, size_t mlen)
{
	json_object *o = event("push");

	json_object_object_add(o, "u", str_array(&uid, &ulen, 1));
	json_object_object_add(o, "m", json_object_new_string_len(msg, (int)mlen));
	return publish_obj(c, o);
}

/* One node's confirmation of an acknowledged push. */
typedef struct ack_ctx {
	void (*done)(void *arg, uint32_t count);   /* caller */
	void *arg;                 /* its argument */
	uint32_t count;            /* connections of the uid on that node */
} ack_ctx;

static void ack_cb(redisAsyncContext *ac, void *r, void *priv)
{
	ack_ctx *a = priv;
	redisReply *reply = r;

	/* PUBLISH answers how many subscribers got it: the node's channel has one, the node */
	a->done(a->arg, reply && reply->type == REDIS_REPLY_INTEGER && reply->integer >= 1 ? a->count : 0);
	free(a);
}

uint32_t push_cluster_push_acked(push_cluster *c, const char *uid, size_t ulen, const char *msg, size_t mlen,
		void (*done)(void *arg, uint32_t count), void *arg)
{
	push_entry *e = push_registry_find(&c->mirror, uid, ulen);
	rpres *p = e ? e->head : NULL;
	json_object *o;
	const char *s;
	size_t len, i;
	uint32_t issued = 0;

	if (!p || !up(c)) {
		return 0;
	}
	o = event("push");
	json_object_object_add(o, "u", str_array(&uid, &ulen, 1));
	json_object_object_add(o, "m", json_object_new_string_len(msg, (int)mlen));
	json_object_object_add(o, "n", json_object_new_string(c->node));
	s = json_object_to_json_string_length(o, COMPACT, &len);
	for (i = 0; s && i < p->n; i++) {
		ack_ctx *a = malloc(sizeof(*a));

		if (!a) {
			break;
		}
		a->done = done;
		a->arg = arg;
		a->count = p->e[i].count;
		if (redisAsyncCommand(c->pub, ack_cb, a, "PUBLISH %snode:%s %b", c->prefix, c->nodes[p->e[i].node].id,
				s, len) != REDIS_OK) {
			free(a);
			continue;
		}
		c->published++;
		issued++;
	}
	json_object_put(o);
	return issued;
}

int push_cluster_broadcast(push_cluster *c, const char *msg, size_t mlen, const push_exclude *ex)
{
	json_object *o = event("bcast");

	json_object_object_add(o, "m", json_object_new_string_len(msg, (int)mlen));
	add_exclude(o, ex);
	return publish_obj(c, o);
}

int push_cluster_group(push_cluster *c, const char *g, size_t glen, const char *msg, size_t mlen, const push_exclude *ex)
{
	json_object *o = event("group");

	json_object_object_add(o, "g", json_object_new_string_len(g, (int)glen));
	json_object_object_add(o, "m", json_object_new_string_len(msg, (int)mlen));
	add_exclude(o, ex);
	return publish_obj(c, o);
}

int push_cluster_kick(push_cluster *c, const char *uid, size_t ulen, int code, const char *reason)
{
	json_object *o = event("kick");

	json_object_object_add(o, "u", str_array(&uid, &ulen, 1));
	json_object_object_add(o, "c", json_object_new_int(code));
	json_object_object_add(o, "r", json_object_new_string(reason ? reason : "kicked"));
	return publish_obj(c, o);
}

int push_cluster_join(push_cluster *c, const char *g, size_t glen, const char *uid, size_t ulen, int join)
{
	json_object *o = event(join ? "join" : "leave");

	json_object_object_add(o, "g", json_object_new_string_len(g, (int)glen));
	json_object_object_add(o, "u", str_array(&uid, &ulen, 1));
	return publish_obj(c, o);
}

static void publish_presence(push_cluster *c, const char *uid, size_t len, uint32_t count)
{
	json_object *o = event("pres");

	if (!up(c)) {
		c->need_resync = 1;     /* told in full once Redis is back */
		json_object_put(o);
		return;
	}
	if (count) {
		redisAsyncCommand(c->pub, NULL, NULL, "HSET %s %b %u", c->key, uid, len, count);
	} else {
		redisAsyncCommand(c->pub, NULL, NULL, "HDEL %s %b", c->key, uid, len);
	}
	json_object_object_add(o, "u", json_object_new_string_len(uid, (int)len));
	json_object_object_add(o, "c", json_object_new_int64(count));
	publish_obj(c, o);
}

void push_cluster_presence(push_cluster *c, const char *uid, size_t len, uint32_t count)
{
	publish_presence(c, uid, len, count);
}

void push_cluster_group_member(push_cluster *c, const char *g, size_t glen, const char *uid, size_t ulen, uint32_t count)
{
	json_object *o;
	char *field;

	if (!up(c)) {
		c->need_resync = 1;
		return;
	}
	/* hash field: the group's length in decimal, ':', the group, the uid (both may hold any byte) */
	if ((field = malloc(24 + glen + ulen)) != NULL) {
		size_t n = (size_t)snprintf(field, 24, "%zu:", glen);

		memcpy(field + n, g, glen);
		memcpy(field + n + glen, uid, ulen);
		if (count) {
			redisAsyncCommand(c->pub, NULL, NULL, "HSET %sgmem:%s %b %u", c->prefix, c->node, field, n + glen + ulen, count);
		} else {
			redisAsyncCommand(c->pub, NULL, NULL, "HDEL %sgmem:%s %b", c->prefix, c->node, field, n + glen + ulen);
		}
		free(field);
	}
	o = event("gmem");
	json_object_object_add(o, "g", json_object_new_string_len(g, (int)glen));
	json_object_object_add(o, "u", json_object_new_string_len(uid, (int)ulen));
	json_object_object_add(o, "c", json_object_new_int64(count));
	publish_obj(c, o);
}

/* After (re)connecting: others forget what they knew of us, then hear it all again. */
static void resync(push_cluster *c)
{
	c->need_resync = 0;
	redisAsyncCommand(c->pub, NULL, NULL, "DEL %s", c->key);
	redisAsyncCommand(c->pub, NULL, NULL, "DEL %sgmem:%s", c->prefix, c->node);
	publish_obj(c, event("reset"));
	c->sink.resync(c->sink.ud);      /* every local uid and membership, told again */
	redisAsyncCommand(c->pub, NULL, NULL, "EXPIRE %s %d", c->key, NODE_KEY_TTL);
	redisAsyncCommand(c->pub, NULL, NULL, "EXPIRE %sgmem:%s %d", c->prefix, c->node, NODE_KEY_TTL);
}

/* ---------------------------------------------------------- receiving -- */

static const char *jstr(json_object *o, const char *k, size_t *len)
{
	json_object *v;

	if (!json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, json_type_string)) {
		return NULL;
	}
	if (len) {
		*len = (size_t)json_object_get_string_len(v);
	}
	return json_object_get_string(v);
}

/* Exclusions of an event, pointing into it. */
typedef struct ev_exclude {
	push_exclude ex;           /* for the core */
	const char **uids;         /* storage */
	size_t *lens;              /* storage */
	uint64_t *ids;             /* storage */
} ev_exclude;

static void ev_exclude_get(json_object *o, ev_exclude *x)
{
	json_object *a;
	size_t i, n;

	memset(x, 0, sizeof(*x));
	if (json_object_object_get_ex(o, "xu", &a) && json_object_is_type(a, json_type_array)
			&& (n = json_object_array_length(a)) > 0) {
		x->uids = calloc(n, sizeof(*x->uids));
		x->lens = calloc(n, sizeof(*x->lens));
		for (i = 0; x->uids && x->lens && i < n; i++) {
			json_object *v = json_object_array_get_idx(a, i);

			x->uids[x->ex.nuids] = json_object_get_string(v);
			x->lens[x->ex.nuids++] = (size_t)json_object_get_string_len(v);
		}
		x->ex.uids = x->uids;
		x->ex.uid_lens = x->lens;
	}
	if (json_object_object_get_ex(o, "xc", &a) && json_object_is_type(a, json_type_array)
			&& (n = json_object_array_length(a)) > 0) {
		x->ids = calloc(n, sizeof(*x->ids));
		for (i = 0; x->ids && i < n; i++) {
			x->ids[x->ex.nconns++] = (uint64_t)json_object_get_int64(json_object_array_get_idx(a, i));
		}
		x->ex.conn_ids = x->ids;
	}
}

static void ev_exclude_free(ev_exclude *x)
{
	free(x->uids);
	free(x->lens);
	free(x->ids);
}

static void node_snapshot_cb(redisAsyncContext *ac, void *r, void *priv);
static void gmem_snapshot_cb(redisAsyncContext *ac, void *r, void *priv);
static void connected(push_cluster *c);

static void on_event(push_cluster *c, const char *data, size_t len)
{
	json_object *o = json_tokener_parse(data), *u;
	const char *t, *n, *m, *g;
	size_t mlen = 0, glen = 0, i;
	int node;

	(void)len;
	if (!o) {
		return;
	}
	t = jstr(o, "t", NULL);
	n = jstr(o, "n", NULL);
	if (!t || !n || strcmp(n, c->node) == 0) {
		json_object_put(o);
		return;
	}
	c->received++;
	m = jstr(o, "m", &mlen);
	g = jstr(o, "g", &glen);
	json_object_object_get_ex(o, "u", &u);
	if (strcmp(t, "push") == 0 && m && u && json_object_is_type(u, json_type_array)) {
		for (i = 0; i < json_object_array_length(u); i++) {
			json_object *v = json_object_array_get_idx(u, i);

			c->sink.push(c->sink.ud, json_object_get_string(v), (size_t)json_object_get_string_len(v), m, mlen);
		}
	} else if ((strcmp(t, "bcast") == 0 || (strcmp(t, "group") == 0 && g)) && m) {
		ev_exclude x;

		ev_exclude_get(o, &x);
		if (t[0] == 'b') {
			c->sink.broadcast(c->sink.ud, m, mlen, &x.ex);
		} else {
			c->sink.group(c->sink.ud, g, glen, m, mlen, &x.ex);
		}
		ev_exclude_free(&x);
	} else if (strcmp(t, "kick") == 0 && u && json_object_is_type(u, json_type_array)) {
		const char *r = jstr(o, "r", NULL);
		json_object *cv;
		int code = PUSH_CLOSE_KICKED;

		/* "c": the close code; nodes of an older version leave it out */
		if (json_object_object_get_ex(o, "c", &cv) && json_object_is_type(cv, json_type_int)) {
			int64_t v = json_object_get_int64(cv);

			code = v >= 1000 && v <= 4999 ? (int)v : PUSH_CLOSE_KICKED;
		}

		for (i = 0; i < json_object_array_length(u); i++) {
			json_object *v = json_object_array_get_idx(u, i);

			c->sink.kick(c->sink.ud, json_object_get_string(v), (size_t)json_object_get_string_len(v), code, r);
		}
	} else if ((strcmp(t, "join") == 0 || strcmp(t, "leave") == 0) && g && u && json_object_is_type(u, json_type_array)) {
		for (i = 0; i < json_object_array_length(u); i++) {
			json_object *v = json_object_array_get_idx(u, i);

			c->sink.join(c->sink.ud, g, glen, json_object_get_string(v), (size_t)json_object_get_string_len(v), t[0] == 'j');
		}
	} else if ((node = push_cm_node_index(c, n, 1)) >= 0) {
		rnode *nd = &c->nodes[node];

		nd->last_seen_ms = now_ms(c);
		if (!nd->alive) {
			nd->alive = 1;
		}
		if (strcmp(t, "gmem") == 0 && g && u && json_object_is_type(u, json_type_string)) {
			json_object *cv;
			int64_t cnt = json_object_object_get_ex(o, "c", &cv) ? json_object_get_int64(cv) : 0;

			push_cm_gmirror_set(c, node, g, glen, json_object_get_string(u), (size_t)json_object_get_string_len(u),
					cnt > 0 && cnt < UINT32_MAX ? (uint32_t)cnt : 0);
		} else if (strcmp(t, "pres") == 0 && u && json_object_is_type(u, json_type_string)) {
			json_object *cv;
			int64_t cnt = json_object_object_get_ex(o, "c", &cv) ? json_object_get_int64(cv) : 0;

			push_cm_mirror_set(c, node, json_object_get_string(u), (size_t)json_object_get_string_len(u),
					cnt > 0 && cnt < UINT32_MAX ? (uint32_t)cnt : 0);
		} else if (strcmp(t, "reset") == 0 || strcmp(t, "bye") == 0) {
			push_cm_node_forget(c, node);
			nd->snapshot = t[0] == 'r';   /* after a reset the node tells everything itself */
			if (t[0] == 'b') {
				nd->alive = 0;
			}
		} else if (strcmp(t, "hb") == 0 && !nd->snapshot && up(c)) {
			/* first heartbeat of a node already running: read what it has */
			nd->snapshot = 1;
			redisAsyncCommand(c->pub, node_snapshot_cb, (void *)(intptr_t)node, "HGETALL %snode:%s", c->prefix, nd->id);
			redisAsyncCommand(c->pub, gmem_snapshot_cb, (void *)(intptr_t)node, "HGETALL %sgmem:%s", c->prefix, nd->id);
		}
	}
	c->sink.flush(c->sink.ud);
	json_object_put(o);
}

static void node_snapshot_cb(redisAsyncContext *ac, void *r, void *priv)
{
	push_cluster *c = ac->data;
	redisReply *reply = r;
	int node = (int)(intptr_t)priv;
	size_t i;

	if (!c || !reply || reply->type != REDIS_REPLY_ARRAY || node < 0 || (size_t)node >= c->nnodes) {
		return;
	}
	for (i = 0; i + 1 < reply->elements; i += 2) {
		redisReply *k = reply->element[i], *v = reply->element[i + 1];

		if (k->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING) {
			continue;
		}
		/* events heard since are newer than the snapshot */
		if (!push_cm_pres_has_node(push_registry_find(&c->mirror, k->str, k->len), node)) {
			push_cm_mirror_set(c, node, k->str, k->len, (uint32_t)strtoul(v->str, NULL, 10));
		}
	}
}

static void gmem_snapshot_cb(redisAsyncContext *ac, void *r, void *priv)
{
	push_cluster *c = ac->data;
	redisReply *reply = r;
	int node = (int)(intptr_t)priv;
	size_t i;

	if (!c || !reply || reply->type != REDIS_REPLY_ARRAY || node < 0 || (size_t)node >= c->nnodes) {
		return;
	}
	for (i = 0; i + 1 < reply->elements; i += 2) {
		redisReply *k = reply->element[i], *v = reply->element[i + 1];
		const char *colon, *g, *uid;
		push_entry *ge;
		size_t glen = 0, ulen;

		/* "<group length>:<group><uid>" (push_cluster_group_member) */
		if (k->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING
				|| !(colon = memchr(k->str, ':', k->len < 24 ? k->len : 24))) {
			continue;
		}
		for (g = k->str; g < colon && *g >= '0' && *g <= '9'; g++) {
			glen = glen * 10 + (size_t)(*g - '0');
		}
		g = colon + 1;
		if (colon == k->str || glen > k->len - (size_t)(g - k->str)) {
			continue;
		}
		uid = g + glen;
		ulen = k->len - (size_t)(uid - k->str);
		/* a member heard of since is newer than the snapshot */
		if ((ge = push_registry_find(&c->gmirror, g, glen)) && ge->head
				&& push_cm_pres_has_node(push_registry_find(&((rgroup *)ge->head)->uids, uid, ulen), node)) {
			continue;
		}
		push_cm_gmirror_set(c, node, g, glen, uid, ulen, (uint32_t)strtoul(v->str, NULL, 10));
	}
}

static void on_sub(redisAsyncContext *ac, void *r, void *priv)
{
	push_cluster *c = ac->data;
	redisReply *reply = r;

	if (!c || !reply || reply->type != REDIS_REPLY_ARRAY || reply->elements < 3) {
		return;
	}
	if (reply->element[0]->type == REDIS_REPLY_STRING && strcmp(reply->element[0]->str, "message") == 0
			&& reply->element[2]->type == REDIS_REPLY_STRING) {
		on_event(c, reply->element[2]->str, reply->element[2]->len);
	} else if (reply->element[0]->type == REDIS_REPLY_STRING && strcmp(reply->element[0]->str, "subscribe") == 0
			&& reply->element[2]->type == REDIS_REPLY_INTEGER && reply->element[2]->integer == 2) {
		/* subscribed to both channels */
		c->sub_up = 1;
		if (c->pub_up) {
			connected(c);
		}
	}
}

/* Both connections are up: tell the others everything (again). */
static void connected(push_cluster *c)
{
	size_t i;

	/* what the mirror says may be stale: each node is read again on its next heartbeat */
	for (i = 0; i < c->nnodes; i++) {
		push_cm_node_forget(c, (int)i);
		c->nodes[i].snapshot = 0;
	}
	if (c->ever_up) {
		c->reconnects++;
	}
	c->ever_up = 1;
	resync(c);
	log_state(c);
}

/* ---------------------------------------------------------- connections -- */

static void on_connect(const redisAsyncContext *ac, int status)
{
	push_cluster *c = ac->data;

	if (!c) {
		return;
	}
	if (status != REDIS_OK) {
		/* hiredis frees the context after this */
		if (ac == c->pub) {
			c->pub = NULL;
			c->pub_up = 0;
		} else if (ac == c->sub) {
			c->sub = NULL;
			c->sub_up = 0;
		}
		if (c->logged_state != 0) {
			log_state(c);
		}
		return;
	}
	if (ac == c->pub) {
		c->pub_up = 1;
		if (c->sub_up) {
			connected(c);
		}
	}
	c->backoff = BACKOFF_MIN;
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
	push_cluster *c = ac->data;

	if (!c) {
		return;
	}
	if (ac == c->pub) {
		c->pub = NULL;
		c->pub_up = 0;
	} else if (ac == c->sub) {
		c->sub = NULL;
		c->sub_up = 0;
	}
	c->need_resync = 1;
	log_state(c);
}

static redisAsyncContext *open_one(push_cluster *c, int subscriber)
{
	redisAsyncContext *ac = redisAsyncConnect(c->host, c->port);

	if (!ac || ac->err) {
		if (ac) {
			redisAsyncFree(ac);
		}
		return NULL;
	}
	ac->data = c;
	if (redisLibevAttach(c->loop, ac) != REDIS_OK) {
		redisAsyncFree(ac);
		return NULL;
	}
	redisAsyncSetConnectCallback(ac, on_connect);
	redisAsyncSetDisconnectCallback(ac, on_disconnect);
	if (c->password) {
		redisAsyncCommand(ac, NULL, NULL, "AUTH %s", c->password);
	}
	if (subscriber) {
		redisAsyncCommand(ac, on_sub, NULL, "SUBSCRIBE %s %snode:%s", c->chan, c->prefix, c->node);
	} else if (c->db > 0) {
		redisAsyncCommand(ac, NULL, NULL, "SELECT %d", c->db);
	}
	return ac;
}

static void connect_all(push_cluster *c)
{
	if (!c->pub) {
		c->pub = open_one(c, 0);
	}
	if (!c->sub) {
		c->sub = open_one(c, 1);
	}
}

static void tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	push_cluster *c = w->data;
	int64_t now = now_ms(c);
	size_t i;

	if (!c->pub || !c->sub) {
		if (ev_now(loop) >= c->next_try) {
			connect_all(c);
			c->next_try = ev_now(loop) + c->backoff;
			c->backoff = c->backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : c->backoff * 2;
		}
	} else if (up(c)) {
		if (c->need_resync) {
			resync(c);
		}
		publish_obj(c, event("hb"));
		redisAsyncCommand(c->pub, NULL, NULL, "EXPIRE %s %d", c->key, NODE_KEY_TTL);
		redisAsyncCommand(c->pub, NULL, NULL, "EXPIRE %sgmem:%s %d", c->prefix, c->node, NODE_KEY_TTL);
	}
	for (i = 0; i < c->nnodes; i++) {
		if (c->nodes[i].alive && now - c->nodes[i].last_seen_ms > NODE_DEAD_MS) {
			push_log("cluster: node %s stopped answering; its connections are forgotten", c->nodes[i].id);
			c->nodes[i].alive = 0;
			c->nodes[i].snapshot = 0;
			push_cm_node_forget(c, (int)i);
		}
	}
	c->sink.flush(c->sink.ud);
}

/* redis://[:password@]host:port[/db] */
static int parse_url(push_cluster *c, const char *url, char *err, size_t errlen)
{
	const char *p = url, *at, *colon, *slash;
	char *end;

	if (strncmp(p, "redis://", 8) != 0) {
		snprintf(err, errlen, "redis address \"%s\" must look like redis://[:password@]host:port[/db]", url);
		return -1;
	}
	p += 8;
	if ((at = strrchr(p, '@')) != NULL) {
		const char *pw = memchr(p, ':', (size_t)(at - p));

		c->password = pw ? strndup(pw + 1, (size_t)(at - pw - 1)) : strndup(p, (size_t)(at - p));
		p = at + 1;
	}
	slash = strchr(p, '/');
	colon = memchr(p, ':', slash ? (size_t)(slash - p) : strlen(p));
	if (!colon || colon == p) {
		snprintf(err, errlen, "redis address \"%s\" needs host:port", url);
		return -1;
	}
	c->host = strndup(p, (size_t)(colon - p));
	c->port = (int)strtol(colon + 1, &end, 10);
	if (c->port <= 0 || c->port > 65535 || (end != slash && *end)) {
		snprintf(err, errlen, "redis address \"%s\" has an invalid port", url);
		return -1;
	}
	c->db = slash && slash[1] ? (int)strtol(slash + 1, NULL, 10) : -1;
	return 0;
}

push_cluster *push_cluster_new(struct ev_loop *loop, const push_cluster_config *cfg, const push_cluster_sink *sink,
		char *err, size_t errlen)
{
	push_cluster *c = calloc(1, sizeof(*c));
	char buf[512];

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->loop = loop;
	c->sink = *sink;
	c->logged_state = -1;
	if (parse_url(c, cfg->redis, err, errlen) != 0 || push_registry_init(&c->mirror, 1024) != 0
			|| push_registry_init(&c->gmirror, 64) != 0) {
		push_cluster_free(c);
		return NULL;
	}
	c->prefix = strdup(cfg->redis_prefix ? cfg->redis_prefix : "push:");
	if (cfg->node_id) {
		c->node = strdup(cfg->node_id);
	} else {
		char host[128] = "host";
		struct timespec ts;

		gethostname(host, sizeof(host) - 1);
		clock_gettime(CLOCK_REALTIME, &ts);
		snprintf(buf, sizeof(buf), "%s-%d-%lx", host, (int)getpid(), (unsigned long)(ts.tv_nsec ^ ts.tv_sec));
		c->node = strdup(buf);
	}
	snprintf(buf, sizeof(buf), "%sbus", c->prefix);
	c->chan = strdup(buf);
	snprintf(buf, sizeof(buf), "%snode:%s", c->prefix, c->node);
	c->key = strdup(buf);
	c->backoff = BACKOFF_MIN;
	c->need_resync = 1;
	connect_all(c);
	ev_timer_init(&c->tick, tick_cb, 0.05, HB_INTERVAL / 4);
	c->tick.data = c;
	ev_timer_start(c->loop, &c->tick);
	return c;
}

void push_cluster_free(push_cluster *c)
{
	size_t i;

	if (!c) {
		return;
	}
	if (c->loop) {
		ev_timer_stop(c->loop, &c->tick);
	}
	if (c->host && c->key) {
		/* leave at once: a short blocking goodbye, so the others do not wait for the expiry */
		struct timeval tv = { 0, 300000 };
		redisContext *r = redisConnectWithTimeout(c->host, c->port, tv);

		if (r && !r->err) {
			redisReply *rep;
			char bye[300];

			redisSetTimeout(r, tv);
			if (c->password && (rep = redisCommand(r, "AUTH %s", c->password))) {
				freeReplyObject(rep);
			}
			if (c->db > 0 && (rep = redisCommand(r, "SELECT %d", c->db))) {
				freeReplyObject(rep);
			}
			if ((rep = redisCommand(r, "DEL %s %sgmem:%s", c->key, c->prefix, c->node))) {
				freeReplyObject(rep);
			}
			snprintf(bye, sizeof(bye), "{\"t\":\"bye\",\"n\":\"%s\"}", c->node);
			if ((rep = redisCommand(r, "PUBLISH %s %s", c->chan, bye))) {
				freeReplyObject(rep);
			}
		}
		if (r) {
			redisFree(r);
		}
	}
	/* async contexts: stop their callbacks from reaching us, then free */
	if (c->pub) {
		c->pub->data = NULL;
		redisAsyncFree(c->pub);
	}
	if (c->sub) {
		c->sub->data = NULL;
		redisAsyncFree(c->sub);
	}
	if (c->mirror.buckets) {
		push_registry_each(&c->mirror, push_cm_free_pres, NULL);
		push_registry_destroy(&c->mirror);
	}
	if (c->gmirror.buckets) {
		push_registry_each(&c->gmirror, push_cm_free_group, NULL);
		push_registry_destroy(&c->gmirror);
	}
	for (i = 0; i < c->nnodes; i++) {
		free(c->nodes[i].id);
	}
	free(c->nodes);
	free(c->host);
	free(c->password);
	free(c->prefix);
	free(c->node);
	free(c->chan);
	free(c->key);
	free(c);
}

int push_cluster_connected(push_cluster *c)
{
	return up(c);
}

size_t push_cluster_stats_json(push_cluster *c, char *buf, size_t cap)
{
	size_t i, alive = 0;
	int n;

	for (i = 0; i < c->nnodes; i++) {
		alive += (size_t)c->nodes[i].alive;
	}
	n = snprintf(buf, cap, ",\"cluster\":{\"redis\":\"%s\",\"node\":\"%s\",\"nodes\":%zu,\"remote_connections\":%llu,"
		"\"remote_uids\":%llu,\"published\":%llu,\"received\":%llu,\"publish_failed\":%llu,\"reconnects\":%llu}",
		up(c) ? "connected" : "disconnected", c->node, alive + 1, (unsigned long long)c->remote_conns,
		(unsigned long long)c->remote_only, (unsigned long long)c->published, (unsigned long long)c->received,
		(unsigned long long)c->publish_failed, (unsigned long long)c->reconnects);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

#else /* !HAVE_PUSH_REDIS */

push_cluster *push_cluster_new(struct ev_loop *loop, const push_cluster_config *cfg, const push_cluster_sink *sink,
		char *err, size_t errlen)
{
	snprintf(err, errlen, "push was built without hiredis: cluster mode is not available (apt-get install libhiredis-dev, then rebuild)");
	return NULL;
}

void push_cluster_free(push_cluster *c) {}
uint32_t push_cluster_push_acked(push_cluster *c, const char *uid, size_t ulen, const char *msg, size_t mlen,
		void (*done)(void *arg, uint32_t count), void *arg) { return 0; }
void push_cluster_presence(push_cluster *c, const char *uid, size_t len, uint32_t count) {}
uint32_t push_cluster_uid_count(push_cluster *c, const char *uid, size_t len) { return 0; }
uint64_t push_cluster_remote_conns(push_cluster *c) { return 0; }
uint64_t push_cluster_remote_only_uids(push_cluster *c) { return 0; }
void push_cluster_local_uid(push_cluster *c, const char *uid, size_t len, int online) {}
void push_cluster_each_remote_uid(push_cluster *c, void (*fn)(const char *, size_t, void *), void *arg) {}
int push_cluster_push(push_cluster *c, const char *uid, size_t ulen, const char *msg, size_t mlen) { return -1; }
int push_cluster_broadcast(push_cluster *c, const char *msg, size_t mlen, const push_exclude *ex) { return -1; }
int push_cluster_group(push_cluster *c, const char *g, size_t glen, const char *msg, size_t mlen, const push_exclude *ex) { return -1; }
int push_cluster_kick(push_cluster *c, const char *uid, size_t ulen, int code, const char *reason) { return -1; }
int push_cluster_join(push_cluster *c, const char *g, size_t glen, const char *uid, size_t ulen, int join) { return -1; }
size_t push_cluster_stats_json(push_cluster *c, char *buf, size_t cap) { return 0; }
void push_cluster_group_member(push_cluster *c, const char *g, size_t glen, const char *uid, size_t ulen, uint32_t count) {}
uint64_t push_cluster_group_conns(push_cluster *c, const char *g, size_t glen) { return 0; }
uint64_t push_cluster_group_uid_conns(push_cluster *c, const char *g, size_t glen, const char *uid, size_t ulen) { return 0; }
void push_cluster_group_each_uid(push_cluster *c, const char *g, size_t glen,
		void (*fn)(const char *uid, size_t len, void *arg), void *arg) {}
void push_cluster_uid_groups(push_cluster *c, const char *uid, size_t ulen,
		void (*fn)(const char *g, size_t len, void *arg), void *arg) {}
int push_cluster_connected(push_cluster *c) { return 0; }

#endif
