/*
 * registry.c - hash tables for uids, groups and connection ids.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

/* FNV-1a: short keys, good spread, no setup. */
uint32_t push_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static size_t pow2_at_least(size_t n)
{
	size_t p = 16;

	while (p < n) {
		p <<= 1;
	}
	return p;
}

int push_registry_init(push_registry *r, size_t initial)
{
	size_t n = pow2_at_least(initial);

	r->buckets = calloc(n, sizeof(*r->buckets));
	if (!r->buckets) {
		return -1;
	}
	r->mask = n - 1;
	r->count = 0;
	return 0;
}

void push_registry_destroy(push_registry *r)
{
	size_t i;

	if (!r->buckets) {
		return;
	}
	for (i = 0; i <= r->mask; i++) {
		push_entry *e = r->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(r->buckets);
	r->buckets = NULL;
	r->count = 0;
}

push_entry *push_registry_find(const push_registry *r, const char *name, size_t len)
{
	uint32_t h = push_hash(name, len);
	push_entry *e = r->buckets[h & r->mask];

	for (; e; e = e->next) {
		if (e->len == len && memcmp(e->name, name, len) == 0) {
			return e;
		}
	}
	return NULL;
}

static void grow(push_registry *r)
{
	size_t n = (r->mask + 1) * 2, i;
	push_entry **nb = calloc(n, sizeof(*nb));

	if (!nb) {
		return; /* keep working with longer chains */
	}
	for (i = 0; i <= r->mask; i++) {
		push_entry *e = r->buckets[i], *next;

		for (; e; e = next) {
			size_t b = push_hash(e->name, e->len) & (n - 1);

			next = e->next;
			e->next = nb[b];
			nb[b] = e;
		}
	}
	free(r->buckets);
	r->buckets = nb;
	r->mask = n - 1;
}

push_entry *push_registry_get(push_registry *r, const char *name, size_t len)
{
	uint32_t h = push_hash(name, len);
	push_entry *e = r->buckets[h & r->mask];

	for (; e; e = e->next) {
		if (e->len == len && memcmp(e->name, name, len) == 0) {
			return e;
		}
	}
	if (len > UINT16_MAX || !(e = malloc(offsetof(push_entry, name) + len + 1))) {
		return NULL;
	}
	e->head = NULL;
	e->aux = NULL;
	e->count = 0;
	e->mark = 0;
	e->len = (uint16_t)len;
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	e->next = r->buckets[h & r->mask];
	r->buckets[h & r->mask] = e;
	if (++r->count > r->mask + 1) {
		grow(r);
	}
	return e;
}

void push_registry_remove(push_registry *r, push_entry *e)
{
	push_entry **pp = &r->buckets[push_hash(e->name, e->len) & r->mask];

	for (; *pp; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			r->count--;
			free(e);
			return;
		}
	}
}

int push_registry_each(push_registry *r, int (*fn)(push_entry *e, void *arg), void *arg)
{
	size_t i;
	int rc;

	for (i = 0; i <= r->mask; i++) {
		push_entry *e = r->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			if ((rc = fn(e, arg)) != 0) {
				return rc;
			}
		}
	}
	return 0;
}

static uint64_t rev64(uint64_t v)
{
	uint64_t r = 0;
	int i;

	for (i = 0; i < 64; i++) {
		r = (r << 1) | (v & 1);
		v >>= 1;
	}
	return r;
}

uint64_t push_registry_scan(push_registry *r, uint64_t cursor, size_t limit,
		void (*fn)(push_entry *e, void *arg), void *arg)
{
	uint64_t v = cursor, mask = r->mask;
	size_t seen = 0;

	do {
		push_entry *e = r->buckets[v & mask], *next;

		for (; e; e = next) {
			next = e->next;
			fn(e, arg);
			seen++;
		}
		v |= ~mask;
		v = rev64(v);
		v++;
		v = rev64(v);
	} while (v && seen < limit);
	return v;
}

/* ---- id map ---- */

static inline size_t id_slot(uint64_t k, size_t mask)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k & mask;
}

int push_idmap_init(push_idmap *m, size_t initial)
{
	size_t n = pow2_at_least(initial * 2);

	m->keys = calloc(n, sizeof(*m->keys));
	m->vals = calloc(n, sizeof(*m->vals));
	if (!m->keys || !m->vals) {
		free(m->keys);
		free(m->vals);
		m->keys = NULL;
		m->vals = NULL;
		return -1;
	}
	m->mask = n - 1;
	m->count = 0;
	return 0;
}

void push_idmap_destroy(push_idmap *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->count = 0;
}

void *push_idmap_get(const push_idmap *m, uint64_t key)
{
	size_t i = id_slot(key, m->mask);

	if (!key) {
		return NULL;
	}
	while (m->keys[i]) {
		if (m->keys[i] == key) {
			return m->vals[i];
		}
		i = (i + 1) & m->mask;
	}
	return NULL;
}

static int idmap_grow(push_idmap *m)
{
	push_idmap n;
	size_t i;

	if (push_idmap_init(&n, (m->mask + 1)) != 0) {
		return -1;
	}
	for (i = 0; i <= m->mask; i++) {
		if (m->keys[i]) {
			size_t j = id_slot(m->keys[i], n.mask);

			while (n.keys[j]) {
				j = (j + 1) & n.mask;
			}
			n.keys[j] = m->keys[i];
			n.vals[j] = m->vals[i];
			n.count++;
		}
	}
	push_idmap_destroy(m);
	*m = n;
	return 0;
}

int push_idmap_put(push_idmap *m, uint64_t key, void *val)
{
	size_t i;

	if (!key) {
		return -1;
	}
	if ((m->count + 1) * 4 > (m->mask + 1) * 3 && idmap_grow(m) != 0) {   /* load 3/4 */
		return -1;
	}
	i = id_slot(key, m->mask);
	while (m->keys[i]) {
		if (m->keys[i] == key) {
			m->vals[i] = val;
			return 0;
		}
		i = (i + 1) & m->mask;
	}
	m->keys[i] = key;
	m->vals[i] = val;
	m->count++;
	return 0;
}

void push_idmap_del(push_idmap *m, uint64_t key)
{
	size_t i = id_slot(key, m->mask), j, k;

	if (!key) {
		return;
	}
	while (m->keys[i] != key) {
		if (!m->keys[i]) {
			return;
		}
		i = (i + 1) & m->mask;
	}
	m->keys[i] = 0;
	m->vals[i] = NULL;
	m->count--;
	/* backward shift: move later members of the run into the hole */
	j = i;
	for (;;) {
		j = (j + 1) & m->mask;
		if (!m->keys[j]) {
			break;
		}
		k = id_slot(m->keys[j], m->mask);
		/* can the entry at j live at i? yes if k is not cyclically in (i, j] */
		if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			m->keys[j] = 0;
			m->vals[j] = NULL;
			i = j;
		}
	}
}
