/*
 * libFuzzer target for ext/core/base/registry.c.
 *
 * The input is a program. Byte 0 picks the initial table sizes; then each
 * operation is one byte (its value mod 8) and its operands:
 *
 *   0 k v   idmap put key(k) -> &pool[v]          (key(k) is 0 for k = 0 or 128: refused)
 *   1 k     idmap get
 *   2 k     idmap del
 *   3 name  registry get (find or create)
 *   4 name  registry find
 *   5 name  registry remove (if present)
 *   6 l     registry scan, limit l % 16, one page at a time; between pages the
 *           next operations of the program run (a nested 6 or 7 is skipped)
 *   7 m     registry each; m & 1: remove each visited entry; (m >> 1) & 7: stop
 *           after that many calls (0: never)
 *
 * A name is a byte n, then n % 5 bytes, each giving one of four symbols
 * ('a', 'b', NUL, 0xff), so the program works on 341 names and 128 keys.
 * Every result is checked against a model (arrays); any mismatch aborts.
 * The scan must visit every entry present from its start to its end at least
 * once, visit only live entries, and, when nothing changed during the walk,
 * visit each entry exactly once.
 */
#include "registry.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NNAMES 341     /* names of 0 to 4 symbols */
#define NKEYS 128
#define MAX_SCAN_CALLS (1 << 20)

static const char SYMBOLS[4] = { 'a', 'b', '\0', (char)0xff };

/* The program being run. */
typedef struct prog {
	const uint8_t *p;
	size_t left;
} prog;

static push_registry reg;
static push_entry *ents[NNAMES];   /* the model: entry of each name, or NULL */
static size_t live_names;

static push_idmap ids;
static void *idvals[NKEYS];        /* the model: value of each key, or NULL */
static size_t live_keys;
static char pool[256];             /* values are &pool[i] */

/* Scan and each bookkeeping. */
static int in_walk;                /* a scan is between pages */
static int walk_changed;           /* the registry changed during the scan */
static unsigned char required[NNAMES];   /* present since the scan started */
static unsigned visits[NNAMES];    /* callback calls per name */
static unsigned each_calls;        /* calls of the each callback */
static unsigned each_stop;         /* stop at this call; 0: never */
static int each_remove;            /* remove visited entries */

static int next_byte(prog *g, uint8_t *b)
{
	if (g->left == 0) {
		return 0;
	}
	*b = *g->p++;
	g->left--;
	return 1;
}

static uint64_t key_of(unsigned i)
{
	/* 0..63 small keys (0 invalid), 64..127 keys near 2^64 (UINT64_MAX - 63 is never 0) */
	return i < 64 ? (uint64_t)i : UINT64_MAX - (uint64_t)(i - 64) * 0x0101010101010101ULL;
}

/* Reads a name; returns 0 at end of input. */
static int read_name(prog *g, size_t *idx, char *name, size_t *len)
{
	static const size_t base[5] = { 0, 1, 5, 21, 85 };
	uint8_t b;
	size_t i, n, v = 0;

	if (!next_byte(g, &b)) {
		return 0;
	}
	n = b % 5;
	for (i = 0; i < n; i++) {
		if (!next_byte(g, &b)) {
			b = 0;
		}
		name[i] = SYMBOLS[b & 3];
		v = v * 4 + (b & 3);
	}
	name[n] = '\0';
	*len = n;
	*idx = base[n] + v;
	return 1;
}

/* Rebuilds the bytes of name idx. */
static size_t name_of(size_t idx, char *name)
{
	static const size_t base[5] = { 0, 1, 5, 21, 85 };
	size_t n = 4, i, v;

	while (idx < base[n]) {
		n--;
	}
	v = idx - base[n];
	for (i = n; i > 0; i--) {
		name[i - 1] = SYMBOLS[v & 3];
		v >>= 2;
	}
	return n;
}

/* The model index of an entry, from the aux pointer set at creation; aborts if it is not live. */
static size_t entry_index(const push_entry *e)
{
	uintptr_t a = (uintptr_t)e->aux, lo = (uintptr_t)ents;
	size_t i;

	if (a < lo || a >= lo + sizeof(ents) || (a - lo) % sizeof(ents[0]) != 0) {
		abort();
	}
	i = (a - lo) / sizeof(ents[0]);
	if (ents[i] != e) {
		abort();
	}
	return i;
}

/* Checks an entry's fields against its name. */
static void check_entry(const push_entry *e, size_t idx)
{
	char name[8];
	size_t len = name_of(idx, name);

	if (e->len != len || memcmp(e->name, name, len) != 0 || e->name[len] != '\0'
			|| e->count != idx + 1 || e->head != (void *)e) {
		abort();
	}
}

static void check_counts(void)
{
	if (reg.count != live_names || ids.count != live_keys) {
		abort();
	}
}

static void on_scan(push_entry *e, void *arg)
{
	size_t i = entry_index(e);

	(void)arg;
	check_entry(e, i);
	visits[i]++;
}

static int on_each(push_entry *e, void *arg)
{
	size_t i = entry_index(e);

	(void)arg;
	check_entry(e, i);
	visits[i]++;
	each_calls++;
	if (each_remove) {
		push_registry_remove(&reg, e);
		ents[i] = NULL;
		live_names--;
	}
	return each_stop && each_calls == each_stop ? 1 : 0;
}

static void run_op(prog *g, uint8_t op);

static void do_scan(prog *g, size_t limit)
{
	uint64_t cur = 0;
	size_t i;
	long calls = 0;
	uint8_t op;

	for (i = 0; i < NNAMES; i++) {
		required[i] = ents[i] != NULL;
		visits[i] = 0;
	}
	in_walk = 1;
	walk_changed = 0;
	for (;;) {
		cur = push_registry_scan(&reg, cur, limit, on_scan, NULL);
		if (cur == 0) {
			break;
		}
		if (++calls > MAX_SCAN_CALLS) {
			abort();
		}
		if (next_byte(g, &op)) {
			run_op(g, op);
		}
	}
	in_walk = 0;
	for (i = 0; i < NNAMES; i++) {
		if (required[i] && visits[i] == 0) {
			abort();
		}
		if (!walk_changed && visits[i] != (ents[i] != NULL)) {
			abort();
		}
	}
}

static void do_each(uint8_t mode)
{
	size_t i, before = live_names;
	int rc;

	for (i = 0; i < NNAMES; i++) {
		visits[i] = 0;
	}
	each_calls = 0;
	each_remove = mode & 1;
	each_stop = (mode >> 1) & 7;
	rc = push_registry_each(&reg, on_each, NULL);
	if (each_stop && each_stop <= before) {
		if (rc != 1 || each_calls != each_stop) {
			abort();
		}
	} else if (rc != 0 || each_calls != before) {
		abort();
	}
	for (i = 0; i < NNAMES; i++) {
		if (visits[i] > 1) {
			abort();
		}
	}
}

static void run_op(prog *g, uint8_t op)
{
	uint8_t k, v;
	size_t idx, len;
	char name[8];
	push_entry *e;
	void *got;

	switch (op % 8) {
	case 0:
		if (!next_byte(g, &k) || !next_byte(g, &v)) {
			return;
		}
		k %= NKEYS;
		if (push_idmap_put(&ids, key_of(k), &pool[v]) != 0) {
			if (key_of(k) != 0) {
				abort();
			}
			break;
		}
		if (key_of(k) == 0) {
			abort();
		}
		live_keys += idvals[k] == NULL;
		idvals[k] = &pool[v];
		break;
	case 1:
		if (!next_byte(g, &k)) {
			return;
		}
		k %= NKEYS;
		got = push_idmap_get(&ids, key_of(k));
		if (got != idvals[k]) {
			abort();
		}
		break;
	case 2:
		if (!next_byte(g, &k)) {
			return;
		}
		k %= NKEYS;
		push_idmap_del(&ids, key_of(k));
		live_keys -= idvals[k] != NULL;
		idvals[k] = NULL;
		if (push_idmap_get(&ids, key_of(k)) != NULL) {
			abort();
		}
		break;
	case 3:
		if (!read_name(g, &idx, name, &len)) {
			return;
		}
		e = push_registry_get(&reg, name, len);
		if (e == NULL) {
			abort();
		}
		if (ents[idx] != NULL) {
			if (e != ents[idx]) {
				abort();
			}
		} else {
			if (e->head != NULL || e->aux != NULL || e->count != 0 || e->mark != 0) {
				abort();
			}
			/* caller fields, checked later to survive growth */
			e->aux = &ents[idx];
			e->head = e;
			e->count = (uint32_t)idx + 1;
			ents[idx] = e;
			live_names++;
			walk_changed = 1;
		}
		check_entry(e, idx);
		break;
	case 4:
		if (!read_name(g, &idx, name, &len)) {
			return;
		}
		e = push_registry_find(&reg, name, len);
		if (e != ents[idx]) {
			abort();
		}
		if (e) {
			check_entry(e, idx);
		}
		break;
	case 5:
		if (!read_name(g, &idx, name, &len)) {
			return;
		}
		if (ents[idx] != NULL) {
			push_registry_remove(&reg, ents[idx]);
			ents[idx] = NULL;
			live_names--;
			required[idx] = 0;
			walk_changed = 1;
			if (push_registry_find(&reg, name, len) != NULL) {
				abort();
			}
		}
		break;
	case 6:
		if (!next_byte(g, &v) || in_walk) {
			return;
		}
		do_scan(g, v % 16);
		break;
	default:
		if (!next_byte(g, &v) || in_walk) {
			return;
		}
		do_each(v);
		break;
	}
	check_counts();
}

/* Compares everything with the model. */
static void check_all(void)
{
	char name[8];
	size_t i, len;
	unsigned k;

	for (i = 0; i < NNAMES; i++) {
		len = name_of(i, name);
		if (push_registry_find(&reg, name, len) != ents[i]) {
			abort();
		}
		if (ents[i]) {
			check_entry(ents[i], i);
		}
	}
	for (k = 0; k < NKEYS; k++) {
		if (push_idmap_get(&ids, key_of(k)) != idvals[k]) {
			abort();
		}
	}
	check_counts();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	prog g = { data, size };
	uint8_t b = 0, op;

	next_byte(&g, &b);
	if (push_registry_init(&reg, b & 63) != 0 || push_idmap_init(&ids, (size_t)(b >> 6) * 4) != 0) {
		abort();
	}
	memset(ents, 0, sizeof(ents));
	memset(idvals, 0, sizeof(idvals));
	live_names = 0;
	live_keys = 0;
	in_walk = 0;

	while (next_byte(&g, &op)) {
		run_op(&g, op);
	}
	check_all();
	push_registry_destroy(&reg);
	push_idmap_destroy(&ids);
	return 0;
}
