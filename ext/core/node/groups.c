/*
 * groups.c - node layer: groups (rooms, channels) of this process:
 * membership of uids and connections, group sends with exclusions, presence
 * queries. The cluster-aware versions are route.c's; membership changes
 * reach the cluster through s->node_obs->group_member.
 *
 * A membership record sits on two lists at once: the group's members and its
 * owner's memberships (a uid entry's `aux`, or a connection's `groups`), and
 * in one hash table keyed by (group, owner) (s->gmidx), so finding whether an
 * owner is in a group takes O(1) however many groups it is in: a join, a
 * leave, and a uid going offline or a connection closing cost O(1) per
 * membership. A send stamps each connection it reaches with the send's
 * generation; a connection that is in the group twice (itself and through its
 * uid) or excluded is stamped already and skipped.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "buf.h"
#include "server_int.h"
#include "deliver.h"
#include "groups.h"

#define GROUP_NAME_MAX 256

/* ---------------------------------------- (group, owner) -> membership -- */

#define GMIDX_MIN 16

static const void *member_owner(const push_member *m)
{
	return m->uid ? (const void *)m->uid : (const void *)m->conn;
}

static size_t gmidx_slot(const void *g, const void *owner, size_t mask)
{
	uint64_t k = (uint64_t)(uintptr_t)g * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)owner;

	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return (size_t)k & mask;
}

/* The membership of owner (a uid entry or a connection) in group g, or NULL. */
static push_member *gmidx_find(const push_server *s, const push_entry *g, const void *owner)
{
	const struct push_gmidx *x = &s->gmidx;
	size_t i;

	if (!x->slots) {
		return NULL;
	}
	for (i = gmidx_slot(g, owner, x->mask); x->slots[i]; i = (i + 1) & x->mask) {
		if (x->slots[i]->group == g && member_owner(x->slots[i]) == owner) {
			return x->slots[i];
		}
	}
	return NULL;
}

static void gmidx_place(push_member **slots, size_t mask, push_member *m)
{
	size_t i = gmidx_slot(m->group, member_owner(m), mask);

	while (slots[i]) {
		i = (i + 1) & mask;
	}
	slots[i] = m;
}

/* Adds m (not in the table); -1 when out of memory. The table grows at load 3/4. */
static int gmidx_add(push_server *s, push_member *m)
{
	struct push_gmidx *x = &s->gmidx;

	if (!x->slots || (x->count + 1) * 4 > (x->mask + 1) * 3) {
		size_t n = x->slots ? (x->mask + 1) * 2 : GMIDX_MIN, i;
		push_member **ns = calloc(n, sizeof(*ns));

		if (!ns) {
			return -1;
		}
		for (i = 0; x->slots && i <= x->mask; i++) {
			if (x->slots[i]) {
				gmidx_place(ns, n - 1, x->slots[i]);
			}
		}
		free(x->slots);
		x->slots = ns;
		x->mask = n - 1;
	}
	gmidx_place(x->slots, x->mask, m);
	x->count++;
	return 0;
}

/* Takes m out of the table (backward shift, no tombstones); the array goes when it is empty. */
static void gmidx_del(push_server *s, push_member *m)
{
	struct push_gmidx *x = &s->gmidx;
	size_t i, j, k;

	if (!x->slots) {
		return;
	}
	for (i = gmidx_slot(m->group, member_owner(m), x->mask); x->slots[i] != m; i = (i + 1) & x->mask) {
		if (!x->slots[i]) {
			return;
		}
	}
	x->slots[i] = NULL;
	if (--x->count == 0) {
		free(x->slots);
		x->slots = NULL;
		x->mask = 0;
		return;
	}
	for (j = i;;) {
		j = (j + 1) & x->mask;
		if (!x->slots[j]) {
			break;
		}
		k = gmidx_slot(x->slots[j]->group, member_owner(x->slots[j]), x->mask);
		/* the entry at j may move to the hole at i unless its home k lies cyclically in (i, j] */
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			x->slots[i] = x->slots[j];
			x->slots[j] = NULL;
			i = j;
		}
	}
}

/* ------------------------------------------------------------ groups -- */

/* This node's connections of uid u that are in group g (through u or themselves). */
static uint32_t local_gu_count(const push_server *s, push_entry *g, push_entry *u)
{
	push_conn *c;
	uint32_t n = 0;

	if (!u) {
		return 0;
	}
	if (gmidx_find(s, g, u)) {
		return u->count;
	}
	for (c = u->head; c; c = c->u_next) {
		n += c->rare && c->rare->groups && gmidx_find(s, g, c) != NULL;
	}
	return n;
}

/* Tells the observer (route.c: the cluster) how many of uid's connections here are in g now. */
static void gmem_publish(push_server *s, push_entry *g, push_entry *u)
{
	if (u && s->node_obs && s->node_obs->group_member) {
		s->node_obs->group_member(s, g, u, local_gu_count(s, g, u));
	}
}

/* After uid u gained or lost a connection (extra: one leaving it): every group it touches. */
void push_groups_refresh(push_server *s, push_entry *u, push_conn *extra)
{
	push_member *m;
	push_conn *c;
	push_entry *gs[64];
	size_t n = 0, i;

	if (!u) {
		return;
	}
	push_groups_next_gen(s);
	for (m = u->aux; m && n < 64; m = m->o_next) {
		if (m->group->mark != s->send_gen) {
			m->group->mark = s->send_gen;
			gs[n++] = m->group;
		}
	}
	for (c = u->head; c; c = c->u_next) {
		for (m = CONN_RARE(c, groups, NULL); m && n < 64; m = m->o_next) {
			if (m->group->mark != s->send_gen) {
				m->group->mark = s->send_gen;
				gs[n++] = m->group;
			}
		}
	}
	for (m = extra ? CONN_RARE(extra, groups, NULL) : NULL; m && n < 64; m = m->o_next) {
		if (m->group->mark != s->send_gen) {
			m->group->mark = s->send_gen;
			gs[n++] = m->group;
		}
	}
	for (i = 0; i < n; i++) {
		gmem_publish(s, gs[i], u);
	}
}

/* Cluster resync: every (group, uid) of this node, told again. */
void push_groups_resync(push_server *s)
{
	size_t i;

	for (i = 0; i <= s->groups.mask; i++) {
		push_entry *g;

		for (g = s->groups.buckets[i]; g; g = g->next) {
			push_member *m;

			push_groups_next_gen(s);
			for (m = g->head; m; m = m->g_next) {
				push_entry *u = m->uid ? m->uid : m->conn->uid;

				if (u && u->mark != s->send_gen) {
					u->mark = s->send_gen;
					gmem_publish(s, g, u);
				}
			}
		}
	}
}

static push_member **owner_head(push_member *m)
{
	return m->uid ? (push_member **)&m->uid->aux : &m->conn->rare->groups;
}

static void member_unlink(push_server *s, push_member *m)
{
	push_entry *g = m->group, *u = m->uid ? m->uid : m->conn->uid;
	push_member **oh = owner_head(m);

	gmidx_del(s, m);
	PUSH_LIST_UNLINK(g->head, m, g_prev, g_next);
	PUSH_LIST_UNLINK(*oh, m, o_prev, o_next);
	free(m);
	gmem_publish(s, g, u);
	if (--g->count == 0) {
		push_registry_remove(&s->groups, g);
	}
}

static int join(push_server *s, const char *gname, size_t glen, push_entry *uid, push_conn *c)
{
	push_member **oh, *m;
	push_entry *g;

	if (glen == 0 || glen > GROUP_NAME_MAX || !push_utf8_valid(gname, glen) || (!uid && !push_conn_rare_get(c))) {
		return -1;
	}
	oh = uid ? (push_member **)&uid->aux : &c->rare->groups;
	g = push_registry_find(&s->groups, gname, glen);
	if (g && gmidx_find(s, g, uid ? (const void *)uid : (const void *)c)) {
		return 0;
	}
	if (!g && !(g = push_registry_get(&s->groups, gname, glen))) {
		return -1;
	}
	if (!(m = calloc(1, sizeof(*m)))) {
		if (g->count == 0) {
			push_registry_remove(&s->groups, g);
		}
		return -1;
	}
	m->group = g;
	m->uid = uid;
	m->conn = uid ? NULL : c;
	if (gmidx_add(s, m) != 0) {
		free(m);
		if (g->count == 0) {
			push_registry_remove(&s->groups, g);
		}
		return -1;
	}
	PUSH_LIST_PUSH(g->head, m, g_prev, g_next);
	g->count++;
	PUSH_LIST_PUSH(*oh, m, o_prev, o_next);
	gmem_publish(s, g, uid ? uid : c->uid);
	return 1;
}

/* owner: the uid entry or the connection that leaves. */
static int leave(push_server *s, const char *gname, size_t glen, const void *owner)
{
	push_entry *g = push_registry_find(&s->groups, gname, glen);
	push_member *m;

	if (!g || !(m = gmidx_find(s, g, owner))) {
		return 0;
	}
	member_unlink(s, m);
	return 1;
}

int push_local_join(push_server *s, const char *g, size_t glen, const char *uid, size_t ulen, int joining)
{
	push_entry *u = push_registry_find(&s->uids, uid, ulen);

	if (!u) {
		return -1;
	}
	return joining ? join(s, g, glen, u, NULL) : leave(s, g, glen, u);
}

int push_local_join_conn(push_server *s, const char *g, size_t glen, push_conn *c, int joining)
{
	if (!joining) {
		return leave(s, g, glen, c);
	}
	if (c->state != CS_BOUND) {
		return -1;
	}
	return join(s, g, glen, NULL, c);
}

void push_groups_uid_gone(push_server *s, push_entry *uid)
{
	while (uid->aux) {
		member_unlink(s, uid->aux);
	}
}

void push_groups_conn_gone(push_server *s, push_conn *c)
{
	while (c->rare && c->rare->groups) {
		member_unlink(s, c->rare->groups);
	}
}

/* Stamps the excluded connections so the send skips them. */
static void apply_exclude(push_server *s, const push_exclude *ex)
{
	size_t i;

	if (!ex) {
		return;
	}
	for (i = 0; i < ex->nuids; i++) {
		push_entry *u = push_registry_find(&s->uids, ex->uids[i], ex->uid_lens[i]);
		push_conn *c;

		for (c = u ? u->head : NULL; c; c = c->u_next) {
			c->mark = s->send_gen;
		}
	}
	for (i = 0; i < ex->nconns; i++) {
		push_conn *c = push_idmap_get(&s->ids, ex->conn_ids[i]);

		if (c) {
			c->mark = s->send_gen;
		}
	}
}

void push_groups_next_gen(push_server *s)
{
	if (++s->send_gen == 0) {
		/* wrapped: clear every stamp so none matches by accident */
		push_conn *c;

		for (c = s->all; c; c = c->all_next) {
			c->mark = 0;
		}
		s->send_gen = 1;
	}
}

size_t push_local_send_group(push_server *s, const char *gname, size_t glen, const char *msg, size_t mlen,
		const push_exclude *ex)
{
	push_entry *g = push_registry_find(&s->groups, gname, glen);
	push_member *m, *mnext;
	size_t n = 0;

	if (!g) {
		return 0;
	}
	push_groups_next_gen(s);
	apply_exclude(s, ex);
	for (m = g->head; m; m = mnext) {
		mnext = m->g_next;   /* a slow consumer dropped here may end its memberships */
		if (m->uid) {
			push_conn *c, *cnext;

			for (c = m->uid->head; c; c = cnext) {
				cnext = c->u_next;
				n += (size_t)push_local_deliver(s, c, msg, mlen);
			}
		} else {
			n += (size_t)push_local_deliver(s, m->conn, msg, mlen);
		}
	}
	s->stats.delivered += n;
	s->stats.bytes_out += n * mlen;
	return n;
}

size_t push_local_broadcast(push_server *s, const char *msg, size_t mlen, const push_exclude *ex)
{
	push_conn *c, *next;
	size_t n = 0;

	if (!ex || (!ex->nuids && !ex->nconns)) {
		return push_local_broadcast_all(s, msg, mlen);
	}
	push_groups_next_gen(s);
	apply_exclude(s, ex);
	for (c = s->all; c; c = next) {
		next = c->all_next;
		if (!c->is_pusher) {   /* as push_local_broadcast_all */
			n += (size_t)push_local_deliver(s, c, msg, mlen);
		}
	}
	s->stats.delivered += n;
	s->stats.bytes_out += n * mlen;
	return n;
}

size_t push_local_group_count(push_server *s, const char *gname, size_t glen)
{
	push_entry *g = push_registry_find(&s->groups, gname, glen);
	push_member *m;
	size_t n = 0;

	if (!g) {
		return 0;
	}
	push_groups_next_gen(s);
	for (m = g->head; m; m = m->g_next) {
		push_conn *c;

		if (m->uid) {
			for (c = m->uid->head; c; c = c->u_next) {
				if (c->mark != s->send_gen) {
					c->mark = s->send_gen;
					n++;
				}
			}
		} else if (m->conn->mark != s->send_gen && m->conn->state == CS_BOUND) {
			m->conn->mark = s->send_gen;
			n++;
		}
	}
	return n;
}

size_t push_local_group_uids(push_server *s, const char *gname, size_t glen,
		void (*fn)(const char *uid, size_t len, void *arg), void *arg)
{
	push_entry *g = push_registry_find(&s->groups, gname, glen);
	push_member *m;
	size_t n = 0;

	push_groups_next_gen(s);
	if (!g) {
		goto done;
	}
	for (m = g->head; m; m = m->g_next) {
		push_entry *u = m->uid ? m->uid : m->conn->uid;

		if (u && u->mark != s->send_gen) {
			u->mark = s->send_gen;
			if (fn) {
				fn(u->name, u->len, arg);
			}
			n++;
		}
	}
done:
	return n;
}

size_t push_local_uid_groups(push_server *s, const char *uid, size_t ulen,
		void (*fn)(const char *g, size_t len, void *arg), void *arg)
{
	push_entry *u = push_registry_find(&s->uids, uid, ulen);
	push_member *m;
	push_conn *c;
	size_t n = 0;

	push_groups_next_gen(s);
	if (!u) {
		goto done;
	}
	for (m = u->aux; m; m = m->o_next) {
		if (m->group->mark != s->send_gen) {
			m->group->mark = s->send_gen;
			if (fn) {
				fn(m->group->name, m->group->len, arg);
			}
			n++;
		}
	}
	for (c = u->head; c; c = c->u_next) {
		for (m = CONN_RARE(c, groups, NULL); m; m = m->o_next) {
			if (m->group->mark != s->send_gen) {
				m->group->mark = s->send_gen;
				if (fn) {
					fn(m->group->name, m->group->len, arg);
				}
				n++;
			}
		}
	}
done:
	return n;
}

