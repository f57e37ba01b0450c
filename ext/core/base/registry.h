/*
 * registry.h - name -> entry hash table used for uids (and groups).
 *
 * An entry is created on first use and removed by the owner once it holds
 * nothing. The table never calls back; the caller links its own members
 * through the entry's `head` pointer and keeps `count` right.
 */
#ifndef PUSH_REGISTRY_H
#define PUSH_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

/*
 * One name in the table: one per online uid, so it is kept small (a 6-byte
 * uid fits a 48-byte heap chunk; the hash is recomputed when needed instead
 * of stored).
 */
typedef struct push_entry {
	struct push_entry *next;   /* hash chain */
	void *head;                /* first member, owned by the caller */
	void *aux;                 /* more per-name data of the caller (e.g. group memberships of a uid) */
	uint32_t count;            /* members, kept by the caller */
	uint32_t mark;             /* scratch stamp for de-duplicating walks */
	uint16_t len;              /* bytes in name */
	char name[];               /* the name, NUL-terminated */
} push_entry;

/* The table: separate chaining, power-of-two buckets, grows at load 1. */
typedef struct push_registry {
	push_entry **buckets;      /* bucket heads */
	size_t mask;               /* buckets - 1 */
	size_t count;              /* entries */
} push_registry;

int push_registry_init(push_registry *r, size_t initial);
void push_registry_destroy(push_registry *r);
push_entry *push_registry_find(const push_registry *r, const char *name, size_t len);
/* Finds or creates; NULL when out of memory or the name is longer than 65,535 bytes. */
push_entry *push_registry_get(push_registry *r, const char *name, size_t len);
void push_registry_remove(push_registry *r, push_entry *e);
/*
 * Resumable walk that survives growth of the table (reverse-binary cursor):
 * visits buckets from cursor until at least limit entries were seen; returns
 * the next cursor, 0 when the walk is complete. Every entry present during
 * the whole walk is visited at least once.
 */
uint64_t push_registry_scan(push_registry *r, uint64_t cursor, size_t limit,
		void (*fn)(push_entry *e, void *arg), void *arg);
/* Calls fn for each entry until it returns non-zero; safe against removal of the visited entry. */
int push_registry_each(push_registry *r, int (*fn)(push_entry *e, void *arg), void *arg);

/* uint64 id -> pointer, open addressing with tombstone-free backward shift deletion. */
typedef struct push_idmap {
	uint64_t *keys;            /* 0 = empty slot */
	void **vals;               /* values */
	size_t mask;               /* slots - 1 */
	size_t count;              /* live keys */
} push_idmap;

int push_idmap_init(push_idmap *m, size_t initial);
void push_idmap_destroy(push_idmap *m);
void *push_idmap_get(const push_idmap *m, uint64_t key);
int push_idmap_put(push_idmap *m, uint64_t key, void *val);
void push_idmap_del(push_idmap *m, uint64_t key);

uint32_t push_hash(const char *s, size_t len);

#endif
