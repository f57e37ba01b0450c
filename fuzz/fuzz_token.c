/*
 * libFuzzer target for ext/core/base/token.c (and the sha256.c / b64url.c it uses).
 *
 * 1. Verifies the input as a token signed with a fixed secret. Any token accepted must be
 *    byte for byte what push_token_make() produces for its uid and expiry.
 * 2. Round trip: the first 8 bytes give an expiry, the rest a uid. make must succeed exactly
 *    when the uid is valid, and then verify must give back the uid, report expiry at the
 *    boundary, and reject the token after any single-byte change or under another secret.
 */
#include "token.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The seed corpus in corpus/fuzz_token/ is signed with this secret. */
static const unsigned char SECRET[] = "fuzz-secret";
#define SECRET_LEN (sizeof(SECRET) - 1)
/* The clock used when verifying raw input. */
#define FUZZ_NOW ((int64_t)1700000000)

/* Parses the canonical decimal expiry between the two dots of a verified token. */
static int64_t expiry_of(const char *tok, size_t len)
{
	const char *d1 = memchr(tok, '.', len);
	int64_t v = 0;

	if (d1 == NULL) {
		abort();
	}
	for (d1++; *d1 != '.'; d1++) {
		v = v * 10 + (*d1 - '0');
	}
	return v;
}

/* Part 1: arbitrary bytes as a token. */
static void check_verify(const uint8_t *data, size_t size)
{
	char uid[PUSH_UID_MAX + 1], again[PUSH_TOKEN_MAX + 1];
	size_t uid_len = (size_t)-1, n;
	push_token_status st;

	memset(uid, 0x7f, sizeof(uid));
	st = push_token_verify(SECRET, SECRET_LEN, (const char *)data, size, FUZZ_NOW, uid, sizeof(uid), &uid_len);
	if (push_token_status_str(st) == NULL) {
		abort();
	}
	switch (st) {
		case PUSH_TOKEN_OK:
			break;
		case PUSH_TOKEN_MALFORMED:
		case PUSH_TOKEN_BAD_SIGNATURE:
		case PUSH_TOKEN_EXPIRED:
			/* nothing may be written on failure */
			if (uid_len != (size_t)-1 || (unsigned char)uid[0] != 0x7f) {
				abort();
			}
			return;
		default:
			abort();
	}

	if (uid_len == 0 || uid_len > PUSH_UID_MAX || memchr(uid, '\0', uid_len) != NULL || uid[uid_len] != '\0') {
		abort();
	}
	n = push_token_make(SECRET, SECRET_LEN, uid, uid_len, expiry_of((const char *)data, size), again, sizeof(again));
	if (n != size || memcmp(again, data, size) != 0) {
		abort();
	}
}

/* Part 2: make from fuzzed uid and expiry, then verify. */
static void check_round_trip(const uint8_t *data, size_t size)
{
	char tok[PUSH_TOKEN_MAX + 1], uid[PUSH_UID_MAX + 1];
	const char *in_uid;
	size_t in_len, n, uid_len, pos;
	uint64_t raw = 0;
	int64_t expires, now;
	int valid, i;
	push_token_status st;

	if (size < 8) {
		return;
	}
	for (i = 0; i < 8; i++) {
		raw = (raw << 8) | data[i];
	}
	expires = (int64_t)(raw & (uint64_t)INT64_MAX);
	/* a negative expiry must be refused */
	if (push_token_make(SECRET, SECRET_LEN, "u", 1, -1 - (int64_t)(raw & 0xffff), tok, sizeof(tok)) != 0) {
		abort();
	}

	in_uid = (const char *)data + 8;
	in_len = size - 8;
	valid = in_len >= 1 && in_len <= PUSH_UID_MAX && memchr(in_uid, '\0', in_len) == NULL;

	n = push_token_make(SECRET, SECRET_LEN, in_uid, in_len, expires, tok, sizeof(tok));
	if (!valid) {
		if (n != 0) {
			abort();
		}
		return;
	}
	if (n == 0 || n > PUSH_TOKEN_MAX || strlen(tok) != n) {
		abort();
	}
	/* exactly n + 1 bytes of room is enough, n is not */
	{
		char *exact = malloc(n + 1);
		if (exact == NULL) {
			return;
		}
		if (push_token_make(SECRET, SECRET_LEN, in_uid, in_len, expires, exact, n) != 0
			|| push_token_make(SECRET, SECRET_LEN, in_uid, in_len, expires, exact, n + 1) != n
			|| memcmp(exact, tok, n + 1) != 0) {
			abort();
		}
		free(exact);
	}

	now = expires == 0 ? INT64_MIN : expires - 1;
	uid_len = 0;
	st = push_token_verify(SECRET, SECRET_LEN, tok, n, now, uid, sizeof(uid), &uid_len);
	if (st != PUSH_TOKEN_OK || uid_len != in_len || memcmp(uid, in_uid, in_len) != 0 || uid[in_len] != '\0') {
		abort();
	}
	if (push_token_verify(SECRET, SECRET_LEN, tok, n, expires, NULL, 0, NULL) != PUSH_TOKEN_EXPIRED) {
		abort();
	}
	if (push_token_verify((const unsigned char *)"other", 5, tok, n, now, NULL, 0, NULL) != PUSH_TOKEN_BAD_SIGNATURE) {
		abort();
	}

	/* any single-byte change breaks the token */
	pos = (size_t)(raw % n);
	tok[pos] = (char)(tok[pos] ^ (1 + (data[7] % 255)));
	st = push_token_verify(SECRET, SECRET_LEN, tok, n, now, NULL, 0, NULL);
	if (st != PUSH_TOKEN_MALFORMED && st != PUSH_TOKEN_BAD_SIGNATURE) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_verify(data, size);
	check_round_trip(data, size);
	return 0;
}
