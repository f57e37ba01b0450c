/*
 * Unit tests for ext/core/base/registry.c: the name -> entry table (push_registry_*),
 * its resumable scan, and the uint64 -> pointer map (push_idmap_*).
 *
 * Random operations are checked against plain arrays; the pseudo-random
 * sequences are fixed, so every run does the same thing.
 */
#include "test.h"

#include "registry.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64*: a fixed sequence from a seed. */
static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
	rng_state = s ? s : 0x9e3779b97f4a7c15ULL;
}

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* ------------------------------------------------------------------- hash */

static void test_hash_fnv1a(void)
{
	/* FNV-1a 32-bit reference values */
	CHECK_EQ_INT(push_hash("", 0), 0x811c9dc5u);
	CHECK_EQ_INT(push_hash("a", 1), 0xe40c292cu);
	CHECK_EQ_INT(push_hash("foobar", 6), 0xbf9cf968u);
	/* every byte counts, NUL included, and only len bytes are read */
	CHECK(push_hash("a\0", 2) != push_hash("a", 1));
	CHECK_EQ_INT(push_hash("abcdef", 3), push_hash("abc", 3));
}

/* --------------------------------------------------------------- registry */

#define NAMES 600

/* The model: names[i] is the i-th name; ent[i] its entry or NULL. */
static char names[NAMES][16];
static size_t name_len[NAMES];
static push_entry *ent[NAMES];

static void names_init(void)
{
	size_t i;

	for (i = 0; i < NAMES; i++) {
		/* some names contain NUL bytes, one is empty, and several share prefixes */
		if (i == 0) {
			name_len[i] = 0;
		} else if (i % 7 == 0) {
			/* "u", NUL, the digits, NUL */
			name_len[i] = (size_t)snprintf(names[i] + 2, sizeof(names[i]) - 2, "%zu", i) + 3;
			names[i][0] = 'u';
			names[i][1] = '\0';
		} else {
			name_len[i] = (size_t)snprintf(names[i], sizeof(names[i]), "user-%zu", i);
		}
		ent[i] = NULL;
	}
}

/* Checks one entry against what the model says it must hold. */
static int entry_ok(const push_entry *e, size_t i)
{
	return e != NULL && e->len == name_len[i] && memcmp(e->name, names[i], name_len[i]) == 0
		&& e->name[e->len] == '\0';
}

/* Compares the whole table with the model; returns the number of mismatches. */
static int model_mismatches(push_registry *r)
{
	size_t i, live = 0;
	int bad = 0;

	for (i = 0; i < NAMES; i++) {
		push_entry *e = push_registry_find(r, names[i], name_len[i]);

		if (e != ent[i]) {
			bad++;
		}
		if (ent[i]) {
			live++;
			if (!entry_ok(e, i)) {
				bad++;
			}
		}
	}
	if (r->count != live) {
		bad++;
	}
	return bad;
}

static void test_registry_basic(void)
{
	push_registry r;
	push_entry *a, *b, *c;

	CHECK_EQ_INT(push_registry_init(&r, 0), 0);
	CHECK_EQ_INT(r.mask, 15);
	CHECK_EQ_INT(r.count, 0);
	CHECK(push_registry_find(&r, "alice", 5) == NULL);

	a = push_registry_get(&r, "alice", 5);
	CHECK(a != NULL);
	CHECK_EQ_INT(r.count, 1);
	if (a == NULL) {
		push_registry_destroy(&r);
		return;
	}
	CHECK(a->head == NULL && a->aux == NULL && a->count == 0 && a->mark == 0);
	CHECK_EQ_INT(a->len, 5);
	CHECK_STR(a->name, "alice");
	/* the name follows the header directly: a short uid costs a 48-byte heap chunk */
	CHECK_EQ_INT(offsetof(push_entry, name), 34);
	CHECK(push_registry_get(&r, "alice", 5) == a);
	CHECK(push_registry_find(&r, "alice", 5) == a);
	CHECK_EQ_INT(r.count, 1);

	/* a prefix, an extension and a NUL-extended name are other names */
	b = push_registry_get(&r, "alic", 4);
	c = push_registry_get(&r, "alice\0", 6);
	CHECK(b != NULL && b != a);
	CHECK(c != NULL && c != a && c != b);
	CHECK(push_registry_find(&r, "alicee", 6) == NULL);
	CHECK_EQ_INT(r.count, 3);

	/* the empty name is a name */
	CHECK(push_registry_find(&r, "", 0) == NULL);
	CHECK(push_registry_get(&r, "", 0) != NULL);
	CHECK(push_registry_find(&r, "", 0) == push_registry_get(&r, "", 0));
	CHECK_EQ_INT(r.count, 4);

	/* caller fields are kept */
	a->head = &r;
	a->count = 3;
	CHECK(push_registry_get(&r, "alice", 5)->head == &r);

	push_registry_remove(&r, a);
	CHECK_EQ_INT(r.count, 3);
	CHECK(push_registry_find(&r, "alice", 5) == NULL);
	CHECK(push_registry_find(&r, "alic", 4) == b);
	a = push_registry_get(&r, "alice", 5);
	CHECK(a != NULL && a->head == NULL && a->count == 0);
	push_registry_destroy(&r);
	CHECK(r.buckets == NULL);
	CHECK_EQ_INT(r.count, 0);
	push_registry_destroy(&r);    /* twice is harmless */

	/* the initial size is rounded up to a power of two, at least 16 */
	CHECK_EQ_INT(push_registry_init(&r, 17), 0);
	CHECK_EQ_INT(r.mask, 31);
	push_registry_destroy(&r);
	CHECK_EQ_INT(push_registry_init(&r, 64), 0);
	CHECK_EQ_INT(r.mask, 63);
	push_registry_destroy(&r);
}

static void test_registry_growth_and_removal(void)
{
	push_registry r;
	size_t i, peak_mask;
	int bad = 0;

	names_init();
	CHECK_EQ_INT(push_registry_init(&r, 16), 0);
	for (i = 0; i < NAMES; i++) {
		ent[i] = push_registry_get(&r, names[i], name_len[i]);
		if (!entry_ok(ent[i], i)) {
			bad++;
		}
		/* load stays at most 1 */
		if (r.count > r.mask + 1) {
			bad++;
		}
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(r.count, NAMES);
	CHECK(r.mask + 1 >= NAMES);
	CHECK_EQ_INT(model_mismatches(&r), 0);
	peak_mask = r.mask;

	/* remove every entry, in an order unrelated to insertion */
	for (i = 0; i < NAMES; i++) {
		size_t k = (i * 257 + 11) % NAMES;

		push_registry_remove(&r, ent[k]);
		ent[k] = NULL;
		if (i % 50 == 0) {
			bad += model_mismatches(&r);
		}
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(r.count, 0);
	CHECK_EQ_INT(r.mask, peak_mask);   /* the table does not shrink */
	for (i = 0; i <= r.mask; i++) {
		if (r.buckets[i] != NULL) {
			bad++;
		}
	}
	CHECK_EQ_INT(bad, 0);

	/* and it is usable again */
	ent[5] = push_registry_get(&r, names[5], name_len[5]);
	CHECK_EQ_INT(model_mismatches(&r), 0);
	push_registry_destroy(&r);
	ent[5] = NULL;
}

static void test_registry_random_vs_model(void)
{
	push_registry r;
	int round, bad = 0, step;

	names_init();
	rng_seed(42);
	for (round = 0; round < 4; round++) {
		CHECK_EQ_INT(push_registry_init(&r, (size_t)round * 40), 0);
		for (step = 0; step < 20000; step++) {
			uint64_t x = rng();
			size_t i = (size_t)(x % (round < 2 ? 60 : NAMES));
			push_entry *e;

			switch ((x >> 32) % 5) {
			case 0:
			case 1:
				e = push_registry_get(&r, names[i], name_len[i]);
				if (ent[i] ? e != ent[i] : !entry_ok(e, i)) {
					bad++;
				}
				ent[i] = e;
				break;
			case 2:
				if (push_registry_find(&r, names[i], name_len[i]) != ent[i]) {
					bad++;
				}
				break;
			default:
				if (ent[i]) {
					push_registry_remove(&r, ent[i]);
					ent[i] = NULL;
				}
				break;
			}
			if (step % 1000 == 0) {
				bad += model_mismatches(&r);
			}
		}
		bad += model_mismatches(&r);
		push_registry_destroy(&r);
		names_init();
	}
	CHECK_EQ_INT(bad, 0);
}

/* i if e->aux is &arr[i] and arr[i] is e, else -1. */
static long slot_index(const push_entry *e, push_entry *const *arr, size_t n)
{
	uintptr_t a = (uintptr_t)e->aux, lo = (uintptr_t)arr;
	size_t i;

	if (a < lo || a >= lo + n * sizeof(*arr) || (a - lo) % sizeof(*arr) != 0) {
		return -1;
	}
	i = (a - lo) / sizeof(*arr);
	return arr[i] == e ? (long)i : -1;
}

/* Callback state for push_registry_each and push_registry_scan. */
typedef struct visit {
	push_registry *r;
	int seen[NAMES];   /* visits per model index */
	int stray;         /* entries not in the model */
	int calls;         /* callback invocations */
	int stop_after;    /* each: return non-zero at this call (0: never) */
	int remove;        /* each: remove the visited entry */
} visit;

/* The model index of an entry, from its aux (set to &ent[i] by these tests). */
static long index_of(const push_entry *e)
{
	return slot_index(e, ent, NAMES);
}

static void on_scan(push_entry *e, void *arg)
{
	visit *v = arg;
	long i = index_of(e);

	v->calls++;
	if (i < 0) {
		v->stray++;
	} else {
		v->seen[i]++;
	}
}

static int on_each(push_entry *e, void *arg)
{
	visit *v = arg;
	long i = index_of(e);

	v->calls++;
	if (i < 0) {
		v->stray++;
	} else {
		v->seen[i]++;
		if (v->remove) {
			push_registry_remove(v->r, e);
			ent[i] = NULL;
		}
	}
	return v->stop_after && v->calls == v->stop_after ? 7 : 0;
}

/* Adds names[i] to the table and the model. */
static void add(push_registry *r, size_t i)
{
	ent[i] = push_registry_get(r, names[i], name_len[i]);
	if (ent[i]) {
		ent[i]->aux = &ent[i];
	}
}

static void test_registry_each(void)
{
	push_registry r;
	static visit v;
	size_t i;
	int bad = 0;

	names_init();
	CHECK_EQ_INT(push_registry_init(&r, 0), 0);
	for (i = 0; i < 100; i++) {
		add(&r, i);
	}
	memset(&v, 0, sizeof(v));
	v.r = &r;
	CHECK_EQ_INT(push_registry_each(&r, on_each, &v), 0);
	CHECK_EQ_INT(v.calls, 100);
	CHECK_EQ_INT(v.stray, 0);
	for (i = 0; i < 100; i++) {
		bad += v.seen[i] != 1;
	}
	CHECK_EQ_INT(bad, 0);

	/* stops at the first non-zero return and passes it on */
	memset(&v, 0, sizeof(v));
	v.r = &r;
	v.stop_after = 10;
	CHECK_EQ_INT(push_registry_each(&r, on_each, &v), 7);
	CHECK_EQ_INT(v.calls, 10);

	/* removing the visited entry is allowed; every entry is still visited once */
	memset(&v, 0, sizeof(v));
	v.r = &r;
	v.remove = 1;
	CHECK_EQ_INT(push_registry_each(&r, on_each, &v), 0);
	CHECK_EQ_INT(v.calls, 100);
	CHECK_EQ_INT(r.count, 0);
	CHECK_EQ_INT(model_mismatches(&r), 0);

	/* an empty table */
	memset(&v, 0, sizeof(v));
	CHECK_EQ_INT(push_registry_each(&r, on_each, &v), 0);
	CHECK_EQ_INT(v.calls, 0);
	push_registry_destroy(&r);
}

static void test_registry_scan_static(void)
{
	push_registry r;
	static visit v;
	uint64_t cur;
	size_t i;
	int bad = 0, calls;

	names_init();
	CHECK_EQ_INT(push_registry_init(&r, 0), 0);

	/* an empty table of 16 buckets: one bucket per call with limit 0 */
	memset(&v, 0, sizeof(v));
	cur = 0;
	calls = 0;
	do {
		cur = push_registry_scan(&r, cur, 0, on_scan, &v);
		calls++;
	} while (cur != 0 && calls < 1000);
	CHECK_EQ_INT(calls, 16);
	CHECK_EQ_INT(v.calls, 0);

	/* without changes, every entry exactly once, whatever the page size */
	for (i = 0; i < 200; i++) {
		add(&r, i);
	}
	{
		static const size_t limits[] = { 0, 1, 2, 3, 7, 50, 199, 200, 1000 };
		size_t l;

		for (l = 0; l < sizeof(limits) / sizeof(limits[0]); l++) {
			memset(&v, 0, sizeof(v));
			cur = 0;
			calls = 0;
			do {
				cur = push_registry_scan(&r, cur, limits[l], on_scan, &v);
				calls++;
			} while (cur != 0 && calls < 100000);
			CHECK(cur == 0);
			CHECK_EQ_INT(v.stray, 0);
			for (i = 0; i < NAMES; i++) {
				if (v.seen[i] != (ent[i] != NULL)) {
					bad++;
				}
			}
			/* a limit of all entries or more ends in one call */
			if (limits[l] >= 200) {
				CHECK_EQ_INT(calls, 1);
			}
		}
	}
	CHECK_EQ_INT(bad, 0);
	push_registry_destroy(&r);
}

/*
 * Inserting between pages grows the table under the cursor; every entry that
 * was there from the start (and never removed) must still be visited.
 */
static void test_registry_scan_growth(void)
{
	push_registry r;
	static visit v;
	int round, bad = 0, stray = 0, incomplete = 0, grew = 0;

	for (round = 0; round < 60; round++) {
		size_t start = (size_t)(round % 20) + 1, next, i, limit = (size_t)(round % 5);
		size_t per_page = (size_t)(round % 7) + 1;
		size_t mask0;
		uint64_t cur = 0;
		int calls = 0;
		static char present[NAMES];

		names_init();
		rng_seed((uint64_t)round + 1);
		CHECK_EQ_INT(push_registry_init(&r, 0), 0);
		for (i = 0; i < start; i++) {
			add(&r, i);
		}
		memset(present, 0, sizeof(present));
		for (i = 0; i < start; i++) {
			present[i] = 1;
		}
		mask0 = r.mask;
		memset(&v, 0, sizeof(v));
		next = start;
		do {
			cur = push_registry_scan(&r, cur, limit, on_scan, &v);
			calls++;
			/* between pages: insert, and now and then remove an old entry */
			for (i = 0; i < per_page && next < NAMES; i++) {
				add(&r, next++);
			}
			if (round % 3 == 0 && rng() % 4 == 0) {
				size_t k = (size_t)(rng() % next);

				if (ent[k]) {
					push_registry_remove(&r, ent[k]);
					ent[k] = NULL;
					present[k] = 0;
				}
			}
		} while (cur != 0 && calls < 100000);
		if (cur != 0) {
			incomplete++;
		}
		if (r.mask > mask0) {
			grew++;
		}
		stray += v.stray;
		for (i = 0; i < NAMES; i++) {
			if (present[i] && v.seen[i] == 0) {
				fprintf(stderr, "    round %d: entry %zu never visited\n", round, i);
				bad++;
			}
		}
		push_registry_destroy(&r);
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(stray, 0);
	CHECK_EQ_INT(incomplete, 0);
	CHECK(grew > 30);    /* most rounds really grew the table during the walk */
}

#define BIG 4096

static push_entry *big[BIG];   /* entry of the name "<i>", or NULL */
static int big_seen[BIG];      /* visits per name */
static int big_stray;          /* visited entries that are not in big[] */

static void on_scan_big(push_entry *e, void *arg)
{
	long i = slot_index(e, big, BIG);

	(void)arg;
	if (i < 0) {
		big_stray++;
		return;
	}
	big_seen[i]++;
}

/* A table that doubles many times during one walk of one entry per page. */
static void test_registry_scan_growth_many_times(void)
{
	push_registry r;
	char name[16];
	size_t i, next, mask0, n;
	uint64_t cur = 0;
	int calls = 0, missed = 0, dup = 0;

	CHECK_EQ_INT(push_registry_init(&r, 0), 0);
	memset(big, 0, sizeof(big));
	memset(big_seen, 0, sizeof(big_seen));
	big_stray = 0;
	for (next = 0; next < 64; next++) {
		n = (size_t)snprintf(name, sizeof(name), "%zu", next);
		big[next] = push_registry_get(&r, name, n);
		big[next]->aux = &big[next];
	}
	mask0 = r.mask;
	do {
		cur = push_registry_scan(&r, cur, 1, on_scan_big, NULL);
		calls++;
		for (i = 0; i < 30 && next < BIG; i++, next++) {
			n = (size_t)snprintf(name, sizeof(name), "%zu", next);
			big[next] = push_registry_get(&r, name, n);
			big[next]->aux = &big[next];
		}
	} while (cur != 0 && calls < 1000000);
	CHECK(cur == 0);
	CHECK(r.mask + 1 >= (mask0 + 1) * 64);   /* grew at least six times */
	CHECK_EQ_INT(big_stray, 0);
	for (i = 0; i < 64; i++) {
		missed += big_seen[i] == 0;
	}
	for (i = 0; i < BIG; i++) {
		dup += big_seen[i] > 1;
	}
	CHECK_EQ_INT(missed, 0);
	/* growth may repeat entries, but not without bound */
	CHECK(dup < BIG);
	push_registry_destroy(&r);
}

/* ------------------------------------------------------------------ idmap */

#define IDS 3000

/* An empty map of probe_slots slots, used to find home slots. */
static push_idmap probe;
static size_t probe_slots;

/* Slot that key lands in when alone in a map of slots slots (a power of two). */
static size_t home_of(uint64_t key, size_t slots)
{
	size_t i, home = (size_t)-1;

	if (probe_slots != slots) {
		push_idmap_destroy(&probe);
		probe_slots = 0;
		if (push_idmap_init(&probe, slots / 2) != 0) {
			return home;
		}
		probe_slots = probe.mask + 1;
	}
	if (probe_slots == slots && push_idmap_put(&probe, key, &probe) == 0) {
		for (i = 0; i <= probe.mask; i++) {
			if (probe.keys[i] == key) {
				home = i;
			}
		}
		push_idmap_del(&probe, key);
	}
	return home;
}

/*
 * Checks the open-addressing invariant: each key sits in its home slot or after
 * it with no empty slot between; no key twice; count right. Returns mismatches.
 */
static int idmap_invariant(const push_idmap *m)
{
	size_t i, j, live = 0, slots = m->mask + 1;
	int bad = 0;

	for (i = 0; i < slots; i++) {
		size_t h;

		if (!m->keys[i]) {
			if (m->vals[i] != NULL) {
				bad++;
			}
			continue;
		}
		live++;
		h = home_of(m->keys[i], slots);
		for (j = h; j != i; j = (j + 1) & m->mask) {
			if (!m->keys[j]) {
				bad++;
				break;
			}
		}
		for (j = i + 1; j < slots; j++) {
			if (m->keys[j] == m->keys[i]) {
				bad++;
			}
		}
	}
	if (live != m->count) {
		bad++;
	}
	return bad;
}

static char vals[IDS];   /* value for key index i is &vals[i] */

static void test_idmap_basic(void)
{
	push_idmap m;
	int x, y;

	CHECK_EQ_INT(push_idmap_init(&m, 0), 0);
	CHECK_EQ_INT(m.mask, 15);
	CHECK(push_idmap_get(&m, 1) == NULL);
	CHECK_EQ_INT(push_idmap_put(&m, 1, &x), 0);
	CHECK(push_idmap_get(&m, 1) == &x);
	CHECK_EQ_INT(m.count, 1);
	/* overwrite */
	CHECK_EQ_INT(push_idmap_put(&m, 1, &y), 0);
	CHECK(push_idmap_get(&m, 1) == &y);
	CHECK_EQ_INT(m.count, 1);
	/* extreme keys */
	CHECK_EQ_INT(push_idmap_put(&m, UINT64_MAX, &x), 0);
	CHECK_EQ_INT(push_idmap_put(&m, (uint64_t)1 << 63, &y), 0);
	CHECK(push_idmap_get(&m, UINT64_MAX) == &x);
	CHECK(push_idmap_get(&m, (uint64_t)1 << 63) == &y);
	CHECK_EQ_INT(m.count, 3);
	/* deleting a missing key changes nothing */
	push_idmap_del(&m, 2);
	CHECK_EQ_INT(m.count, 3);
	push_idmap_del(&m, 1);
	CHECK(push_idmap_get(&m, 1) == NULL);
	CHECK_EQ_INT(m.count, 2);
	push_idmap_del(&m, 1);
	CHECK_EQ_INT(m.count, 2);
	CHECK_EQ_INT(idmap_invariant(&m), 0);
	push_idmap_destroy(&m);
	CHECK(m.keys == NULL && m.vals == NULL);
	push_idmap_destroy(&m);

	/* initial sizes: room for initial keys at load 1/2 */
	CHECK_EQ_INT(push_idmap_init(&m, 100), 0);
	CHECK_EQ_INT(m.mask, 255);
	push_idmap_destroy(&m);
}

static void test_idmap_key_zero(void)
{
	push_idmap m;
	int x;

	CHECK_EQ_INT(push_idmap_init(&m, 0), 0);
	CHECK_EQ_INT(push_idmap_put(&m, 0, &x), -1);
	CHECK_EQ_INT(m.count, 0);
	CHECK(push_idmap_get(&m, 0) == NULL);
	push_idmap_del(&m, 0);
	CHECK_EQ_INT(m.count, 0);
	/* with other keys present, 0 still finds nothing and removes nothing */
	CHECK_EQ_INT(push_idmap_put(&m, 5, &x), 0);
	CHECK_EQ_INT(push_idmap_put(&m, 0, &x), -1);
	CHECK(push_idmap_get(&m, 0) == NULL);
	push_idmap_del(&m, 0);
	CHECK_EQ_INT(m.count, 1);
	CHECK(push_idmap_get(&m, 5) == &x);
	CHECK_EQ_INT(idmap_invariant(&m), 0);
	push_idmap_destroy(&m);
}

static void test_idmap_growth(void)
{
	push_idmap m;
	uint64_t i;
	int bad = 0;

	CHECK_EQ_INT(push_idmap_init(&m, 0), 0);
	for (i = 1; i < IDS; i++) {
		if (push_idmap_put(&m, i, &vals[i]) != 0) {
			bad++;
		}
		/* load stays at most 3/4 */
		if (m.count * 4 > (m.mask + 1) * 3) {
			bad++;
		}
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(m.count, IDS - 1);
	for (i = 1; i < IDS; i++) {
		bad += push_idmap_get(&m, i) != &vals[i];
	}
	bad += push_idmap_get(&m, IDS) != NULL;
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(idmap_invariant(&m), 0);

	/* delete every key, odd ones first */
	for (i = 1; i < IDS; i += 2) {
		push_idmap_del(&m, i);
	}
	for (i = 1; i < IDS; i++) {
		bad += push_idmap_get(&m, i) != (i % 2 ? NULL : &vals[i]);
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(idmap_invariant(&m), 0);
	for (i = 2; i < IDS; i += 2) {
		push_idmap_del(&m, i);
	}
	CHECK_EQ_INT(m.count, 0);
	for (i = 0; i <= m.mask; i++) {
		bad += m.keys[i] != 0;
	}
	CHECK_EQ_INT(bad, 0);
	push_idmap_destroy(&m);
}

/*
 * Many keys whose home slots fall in a narrow window that wraps around the end
 * of the table form one long cluster; deleting them in any order must keep
 * every other key reachable.
 */
static void test_idmap_cluster_delete(void)
{
	enum { SLOTS = 1024, WANT = 160 };
	static uint64_t keys[WANT];
	size_t n = 0, i, round;
	uint64_t k;
	push_idmap m;
	int bad = 0, inv = 0, longest = 0;

	/* homes in [1012, 1023] and [0, 11] */
	for (k = 1; n < WANT && k < 10000000; k++) {
		size_t h = home_of(k, SLOTS);

		if (h >= SLOTS - 12 || h < 12) {
			keys[n++] = k;
		}
	}
	CHECK_EQ_INT(n, WANT);

	for (round = 0; round < 8; round++) {
		static char gone[WANT];
		size_t run = 0;

		CHECK_EQ_INT(push_idmap_init(&m, SLOTS / 2), 0);
		CHECK_EQ_INT(m.mask + 1, SLOTS);
		for (i = 0; i < n; i++) {
			CHECK_EQ_INT(push_idmap_put(&m, keys[i], &vals[i]), 0);
		}
		CHECK_EQ_INT(m.mask + 1, SLOTS);   /* no growth: the keys stay clustered */
		inv += idmap_invariant(&m);
		/* the keys really form one run through the wrap-around */
		for (i = 0; i < 2 * SLOTS; i++) {
			run = m.keys[i & m.mask] ? run + 1 : 0;
			if ((int)run > longest) {
				longest = (int)run;
			}
		}
		CHECK(m.keys[SLOTS - 1] != 0 && m.keys[0] != 0);

		memset(gone, 0, sizeof(gone));
		rng_seed(round + 100);
		for (i = 0; i < n; i++) {
			size_t j, pick;

			/* round 0: insertion order; 1: reverse; others: random */
			if (round == 0) {
				pick = i;
			} else if (round == 1) {
				pick = n - 1 - i;
			} else {
				do {
					pick = (size_t)(rng() % n);
				} while (gone[pick]);
			}
			push_idmap_del(&m, keys[pick]);
			gone[pick] = 1;
			for (j = 0; j < n; j++) {
				if (push_idmap_get(&m, keys[j]) != (gone[j] ? NULL : (void *)&vals[j])) {
					bad++;
				}
			}
			if (i % 16 == 0) {
				inv += idmap_invariant(&m);
			}
		}
		CHECK_EQ_INT(m.count, 0);
		push_idmap_destroy(&m);
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(inv, 0);
	if (longest < WANT) {
		fprintf(stderr, "    longest run %d\n", longest);
	}
	CHECK(longest >= WANT);
}

static void test_idmap_random_vs_model(void)
{
	static void *model[IDS];
	push_idmap m;
	int step, bad = 0, round;

	for (round = 0; round < 3; round++) {
		uint64_t space = round == 0 ? 40 : (round == 1 ? 300 : IDS);

		memset(model, 0, sizeof(model));
		rng_seed(7 + (uint64_t)round);
		CHECK_EQ_INT(push_idmap_init(&m, (size_t)round * 10), 0);
		for (step = 0; step < 40000; step++) {
			uint64_t x = rng();
			uint64_t k = (x >> 8) % space;
			size_t live = 0, i;

			switch (x % 4) {
			case 0:
			case 1:
				if (push_idmap_put(&m, k, &vals[(x >> 40) % IDS]) != (k ? 0 : -1)) {
					bad++;
				}
				if (k) {
					model[k] = &vals[(x >> 40) % IDS];
				}
				break;
			case 2:
				push_idmap_del(&m, k);
				model[k] = NULL;
				break;
			default:
				if (push_idmap_get(&m, k) != model[k]) {
					bad++;
				}
				break;
			}
			if (step % 2000 == 0) {
				for (i = 0; i < space; i++) {
					bad += push_idmap_get(&m, i) != model[i];
					live += model[i] != NULL;
				}
				bad += m.count != live;
				bad += idmap_invariant(&m);
			}
		}
		push_idmap_destroy(&m);
	}
	CHECK_EQ_INT(bad, 0);
}

int main(void)
{
	RUN(test_hash_fnv1a);
	RUN(test_registry_basic);
	RUN(test_registry_growth_and_removal);
	RUN(test_registry_random_vs_model);
	RUN(test_registry_each);
	RUN(test_registry_scan_static);
	RUN(test_registry_scan_growth);
	RUN(test_registry_scan_growth_many_times);
	RUN(test_idmap_basic);
	RUN(test_idmap_key_zero);
	RUN(test_idmap_growth);
	RUN(test_idmap_cluster_delete);
	RUN(test_idmap_random_vs_model);
	push_idmap_destroy(&probe);
	return TEST_SUMMARY();
}
