/*
 * cluster_mirror.c - cluster layer: the mirror of the other nodes' presence
 * (uid -> connections per node) and group memberships, fed by their events,
 * so counts and "is uid online elsewhere?" need no Redis round trip.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(HAVE_PUSH_REDIS)

#include "cluster_int.h"
#include "cluster_mirror.h"
#include "server.h"

int push_cm_node_index(push_cluster *c, const char *id, int create)
{
	size_t i;
	rnode *n;

	for (i = 0; i < c->nnodes; i++) {
		if (strcmp(c->nodes[i].id, id) == 0) {
			return (int)i;
		}
	}
	if (!create || c->nnodes >= 65535) {
		return -1;
	}
	if (!(n = realloc(c->nodes, (c->nnodes + 1) * sizeof(*n)))) {
		return -1;
	}
	c->nodes = n;
	memset(&n[c->nnodes], 0, sizeof(*n));
	n[c->nnodes].id = strdup(id);
	n[c->nnodes].alive = 1;
	n[c->nnodes].last_seen_ms = now_ms(c);
	return (int)c->nnodes++;
}

int push_cm_local_online(push_cluster *c, const char *uid, size_t len)
{
	return c->sink.local_online(c->sink.ud, uid, len);
}

/*
 * Sets node's count of uid in reg (the presence mirror, or one group's members);
 * *conns follows the sum; only the presence mirror tracks the distinct-uid count.
 * Returns 1 when uid is now in reg and was not, -1 when it was and is no longer, else 0.
 */
int push_cm_pres_set(push_cluster *c, push_registry *reg, uint64_t *conns, int node, const char *uid, size_t len,
		uint32_t count)
{
	int presence = reg == &c->mirror;
	push_entry *e = count ? push_registry_get(reg, uid, len) : push_registry_find(reg, uid, len);
	rpres *p;
	uint32_t before;
	size_t i;
	int became;

	if (!e) {
		return 0;
	}
	if (!(p = e->head)) {
		if (!(p = calloc(1, sizeof(*p)))) {
			push_registry_remove(reg, e);
			return 0;
		}
		e->head = p;
	}
	before = p->total;
	for (i = 0; i < p->n && p->e[i].node != node; i++) {
	}
	if (i == p->n) {
		if (!count) {
			goto done;
		}
		if (p->n == p->cap) {
			uint16_t cap = p->cap ? (uint16_t)(p->cap * 2) : 2;
			void *ne = realloc(p->e, cap * sizeof(*p->e));

			if (!ne) {
				goto done;
			}
			p->e = ne;
			p->cap = cap;
		}
		p->e[p->n].node = (uint16_t)node;
		p->e[p->n].count = 0;
		p->n++;
	}
	p->total = p->total - p->e[i].count + count;
	*conns = *conns - p->e[i].count + count;
	if (count) {
		p->e[i].count = count;
	} else {
		p->e[i] = p->e[--p->n];
	}
done:
	became = !before == !p->total ? 0 : p->total ? 1 : -1;
	if (presence && became && !push_cm_local_online(c, uid, len)) {
		if (became > 0) {
			c->remote_only++;
		} else {
			c->remote_only--;
		}
	}
	if (!p->total) {
		free(p->e);
		free(p);
		push_registry_remove(reg, e);
	}
	return became;
}

void push_cm_mirror_set(push_cluster *c, int node, const char *uid, size_t len, uint32_t count)
{
	push_cm_pres_set(c, &c->mirror, &c->remote_conns, node, uid, len, count);
}

void push_cm_gmirror_set(push_cluster *c, int node, const char *g, size_t glen, const char *uid, size_t ulen,
		uint32_t count)
{
	push_entry *ge = count ? push_registry_get(&c->gmirror, g, glen) : push_registry_find(&c->gmirror, g, glen);
	rgroup *rg;
	int became;

	if (!ge) {
		return;
	}
	if (!(rg = ge->head)) {
		if (!(rg = calloc(1, sizeof(*rg))) || push_registry_init(&rg->uids, 16) != 0) {
			free(rg);
			push_registry_remove(&c->gmirror, ge);
			return;
		}
		ge->head = rg;
	}
	became = push_cm_pres_set(c, &rg->uids, &rg->conns, node, uid, ulen, count);
	if (!rg->uids.count) {
		push_registry_destroy(&rg->uids);
		free(rg);
		push_registry_remove(&c->gmirror, ge);
	}
	if (became && c->sink.remote_member) {
		c->sink.remote_member(c->sink.ud, g, glen, uid, ulen, became > 0);
	}
}

typedef struct drop_ctx {
	push_cluster *c;           /* cluster */
	int node;                  /* node being forgotten */
	char **names;              /* uids it had */
	size_t n, cap;             /* how many, allocation */
} drop_ctx;

/* Keeps a copy of e's name, its length first: names may hold any byte (Pusher names start with a NUL). */
static int collect_name(drop_ctx *d, const push_entry *e)
{
	uint32_t len = e->len;

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		char **nn = realloc(d->names, cap * sizeof(*nn));

		if (!nn) {
			return 1;
		}
		d->names = nn;
		d->cap = cap;
	}
	if (!(d->names[d->n] = malloc(sizeof(len) + len))) {
		return 1;
	}
	memcpy(d->names[d->n], &len, sizeof(len));
	memcpy(d->names[d->n] + sizeof(len), e->name, len);
	d->n++;
	return 0;
}

/* A collected name and its length. */
static const char *collected(const char *p, uint32_t *len)
{
	memcpy(len, p, sizeof(*len));
	return p + sizeof(*len);
}

static int collect_node(push_entry *e, void *arg)
{
	drop_ctx *d = arg;
	rpres *p = e->head;
	size_t i;

	for (i = 0; p && i < p->n; i++) {
		if (p->e[i].node == d->node) {
			return collect_name(d, e);
		}
	}
	return 0;
}

static int collect_group(push_entry *e, void *arg)
{
	return collect_name(arg, e);
}

/* Forgets everything a node said (it died, stopped or resets). */
void push_cm_node_forget(push_cluster *c, int node)
{
	drop_ctx d = { c, node, NULL, 0, 0 }, gd = { c, node, NULL, 0, 0 };
	size_t i, j;

	push_registry_each(&c->mirror, collect_node, &d);
	for (i = 0; i < d.n; i++) {
		uint32_t len;
		const char *uid = collected(d.names[i], &len);

		push_cm_mirror_set(c, node, uid, len, 0);
		free(d.names[i]);
	}
	free(d.names);
	/* group members: per group, the uids that node had */
	push_registry_each(&c->gmirror, collect_group, &gd);
	for (i = 0; i < gd.n; i++) {
		uint32_t glen;
		const char *g = collected(gd.names[i], &glen);
		push_entry *ge;

		if ((ge = push_registry_find(&c->gmirror, g, glen)) && ge->head) {
			drop_ctx ud = { c, node, NULL, 0, 0 };

			push_registry_each(&((rgroup *)ge->head)->uids, collect_node, &ud);
			for (j = 0; j < ud.n; j++) {
				uint32_t ulen;
				const char *uid = collected(ud.names[j], &ulen);

				push_cm_gmirror_set(c, node, g, glen, uid, ulen, 0);
				free(ud.names[j]);
			}
			free(ud.names);
		}
		free(gd.names[i]);
	}
	free(gd.names);
}

/* Whether a mirror entry already has a count from node (heard since the snapshot was asked). */
int push_cm_pres_has_node(push_entry *e, int node)
{
	rpres *p = e ? e->head : NULL;
	size_t j;

	for (j = 0; p && j < p->n; j++) {
		if (p->e[j].node == node) {
			return 1;
		}
	}
	return 0;
}

int push_cm_free_pres(push_entry *e, void *arg)
{
	rpres *p = e->head;

	if (p) {
		free(p->e);
		free(p);
		e->head = NULL;
	}
	return 0;
}

int push_cm_free_group(push_entry *e, void *arg)
{
	rgroup *rg = e->head;

	if (rg) {
		push_registry_each(&rg->uids, push_cm_free_pres, NULL);
		push_registry_destroy(&rg->uids);
		free(rg);
		e->head = NULL;
	}
	return 0;
}

uint32_t push_cluster_uid_count(push_cluster *c, const char *uid, size_t len)
{
	push_entry *e = push_registry_find(&c->mirror, uid, len);

	return e && e->head ? ((rpres *)e->head)->total : 0;
}

uint64_t push_cluster_remote_conns(push_cluster *c)
{
	return c->remote_conns;
}

uint64_t push_cluster_remote_only_uids(push_cluster *c)
{
	return c->remote_only;
}

void push_cluster_local_uid(push_cluster *c, const char *uid, size_t len, int online)
{
	if (push_registry_find(&c->mirror, uid, len)) {
		if (online) {
			c->remote_only--;
		} else {
			c->remote_only++;
		}
	}
}

typedef struct remote_walk {
	push_cluster *c;           /* cluster */
	void (*fn)(const char *uid, size_t len, void *arg);   /* caller */
	void *arg;                 /* its argument */
} remote_walk;

static int remote_walk_fn(push_entry *e, void *arg)
{
	remote_walk *w = arg;

	if (!push_cm_local_online(w->c, e->name, e->len)) {
		w->fn(e->name, e->len, w->arg);
	}
	return 0;
}

void push_cluster_each_remote_uid(push_cluster *c, void (*fn)(const char *uid, size_t len, void *arg), void *arg)
{
	remote_walk w = { c, fn, arg };

	push_registry_each(&c->mirror, remote_walk_fn, &w);
}

static rgroup *rgroup_find(push_cluster *c, const char *g, size_t glen)
{
	push_entry *ge = push_registry_find(&c->gmirror, g, glen);

	return ge ? ge->head : NULL;
}

uint64_t push_cluster_group_conns(push_cluster *c, const char *g, size_t glen)
{
	rgroup *rg = rgroup_find(c, g, glen);

	return rg ? rg->conns : 0;
}

uint64_t push_cluster_group_uid_conns(push_cluster *c, const char *g, size_t glen, const char *uid, size_t ulen)
{
	rgroup *rg = rgroup_find(c, g, glen);
	push_entry *ue = rg ? push_registry_find(&rg->uids, uid, ulen) : NULL;

	return ue && ue->head ? ((rpres *)ue->head)->total : 0;
}

typedef struct name_walk {
	void (*fn)(const char *name, size_t len, void *arg);  /* caller */
	void *arg;                 /* its argument */
	const char *uid;           /* uid looked for (uid_groups) */
	size_t ulen;               /* its length */
} name_walk;

static int name_walk_fn(push_entry *e, void *arg)
{
	name_walk *w = arg;

	w->fn(e->name, e->len, w->arg);
	return 0;
}

void push_cluster_group_each_uid(push_cluster *c, const char *g, size_t glen,
		void (*fn)(const char *uid, size_t len, void *arg), void *arg)
{
	rgroup *rg = rgroup_find(c, g, glen);
	name_walk w = { fn, arg, NULL, 0 };

	if (rg) {
		push_registry_each(&rg->uids, name_walk_fn, &w);
	}
}

static int uid_group_fn(push_entry *e, void *arg)
{
	name_walk *w = arg;
	rgroup *rg = e->head;

	if (rg && push_registry_find(&rg->uids, w->uid, w->ulen)) {
		w->fn(e->name, e->len, w->arg);
	}
	return 0;
}

void push_cluster_uid_groups(push_cluster *c, const char *uid, size_t ulen,
		void (*fn)(const char *g, size_t len, void *arg), void *arg)
{
	name_walk w = { fn, arg, uid, ulen };

	push_registry_each(&c->gmirror, uid_group_fn, &w);
}

#endif /* HAVE_PUSH_REDIS */
