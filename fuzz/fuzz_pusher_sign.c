/*
 * libFuzzer target for ext/core/pusher/pusher_sign.c (and the sha256.c it uses): the
 * canonical query of signed Pusher HTTP API requests.
 *
 * 1. The input as a raw query: its string to sign must not depend on the order of
 *    its parameters nor on which bytes were percent-encoded (the same query with
 *    every byte but '&', '=', '+' and escapes sent as %XX gives the same verdict and string).
 * 2. The input after the auth parameters, signed as an SDK signs it: verification
 *    passes (unless the input itself brings a body_md5 or too many parameters) and
 *    fails once the signature has one digit changed or the clock moved past 600 s.
 * 3. push_url_query_get() on the input stays inside its buffer.
 * 4. The input as a channel auth string: accepted only when it is the right one.
 */
#include "pusher_sign.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define KEY "fuzz-key"
#define SECRET "fuzz-secret"
#define NOW ((int64_t)1700000000)
#define AUTH "auth_key=" KEY "&auth_timestamp=1700000000&auth_version=1.0&"

/* The string to sign of q, NULL (and *reason) when refused. */
static char *sts(const char *q, size_t qlen, size_t *olen, const char **reason)
{
	char *out = NULL;

	*reason = NULL;
	if (push_pusher_string_to_sign("GET", "/apps/1/channels", 16, q, qlen, &out, olen, reason) != 0) {
		if (out || !*reason) {
			abort();
		}
		return NULL;
	}
	if (!out || *reason || out[*olen] != '\0' || memcmp(out, "GET\n/apps/1/channels\n", 21) != 0) {
		abort();
	}
	return out;
}

/* Part 1: order and encoding do not change the string to sign. */
static void check_canonical(const char *q, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	char *rev = malloc(n + 1), *enc = malloc(3 * n + 1), *a, *b, *c;
	const char *ra, *rb, *rc;
	size_t la = 0, lb = 0, lc = 0, i, end, k = 0;

	if (!rev || !enc) {
		abort();
	}
	/* the pieces in reverse order */
	for (end = n, i = n; ; i--) {
		if (i == 0 || q[i - 1] == '&') {
			memcpy(rev + k, q + i, end - i);
			k += end - i;
			if (i == 0) {
				break;
			}
			rev[k++] = '&';
			end = i - 1;
		}
	}
	/* every byte but the delimiters and escapes escaped */
	for (i = 0, lc = 0; i < n; i++) {
		unsigned char ch = (unsigned char)q[i];

		if (ch == '%') {
			/* an escape stays as it is, a broken one too */
			for (end = i + 3 < n ? i + 3 : n; i < end; i++) {
				enc[lc++] = q[i];
			}
			i--;
		} else if (ch == '&' || ch == '=' || ch == '+') {
			enc[lc++] = (char)ch;
		} else {
			enc[lc++] = '%';
			enc[lc++] = digits[ch >> 4];
			enc[lc++] = digits[ch & 15];
		}
	}
	a = sts(q, n, &la, &ra);
	b = sts(rev, k, &lb, &rb);
	c = sts(enc, lc, &lc, &rc);
	if (!a != !b || !a != !c) {
		abort();
	}
	if (a && (la != lb || la != lc || memcmp(a, b, la) != 0 || memcmp(a, c, la) != 0)) {
		abort();
	}
	/* the same pieces in the same order fail the same way (reversed, another failure may come first) */
	if (!a && strcmp(ra, rc) != 0) {
		abort();
	}
	free(a);
	free(b);
	free(c);
	free(rev);
	free(enc);
}

/* Part 2: what an SDK signs verifies, and nothing near it does. */
static void check_verify(const char *in, size_t n)
{
	size_t qlen = sizeof(AUTH) - 1 + n, slen = 0;
	char *q = malloc(qlen + 16 + PUSH_SIGN_HEX_LEN + 1), *str;
	char sig[PUSH_SIGN_HEX_LEN + 1];
	const char *reason = NULL;
	int rc;

	if (!q) {
		abort();
	}
	memcpy(q, AUTH, sizeof(AUTH) - 1);
	memcpy(q + sizeof(AUTH) - 1, in, n);
	str = sts(q, qlen, &slen, &reason);
	if (!str) {
		free(q);
		return;
	}
	push_pusher_hmac_hex(SECRET, sizeof(SECRET) - 1, str, slen, sig);
	free(str);
	memcpy(q + qlen, "&auth_signature=", 16);
	memcpy(q + qlen + 16, sig, PUSH_SIGN_HEX_LEN);
	qlen += 16 + PUSH_SIGN_HEX_LEN;
	rc = push_pusher_verify_request(KEY, SECRET, "GET", "/apps/1/channels", 16, q, qlen, NULL, 0, NOW, &reason);
	if (rc != 0) {
		/* the input named body_md5 (nothing to match), or auth_signature made one too many */
		if (strcmp(reason, "body_md5 mismatch") != 0 && strcmp(reason, "too many query parameters") != 0
				&& strcmp(reason, "duplicate query parameter") != 0) {
			abort();
		}
		free(q);
		return;
	}
	if (push_pusher_verify_request(KEY, SECRET, "GET", "/apps/1/channels", 16, q, qlen, NULL, 0,
			NOW + PUSH_PUSHER_TIMESTAMP_SKEW + 1, &reason) == 0
			|| push_pusher_verify_request(KEY, SECRET, "POST", "/apps/1/channels", 16, q, qlen, NULL, 0, NOW,
					&reason) == 0
			|| push_pusher_verify_request(KEY, "fuzz-secreT", "GET", "/apps/1/channels", 16, q, qlen, NULL, 0,
					NOW, &reason) == 0) {
		abort();
	}
	q[qlen - 1 - (n % PUSH_SIGN_HEX_LEN)] ^= 1;
	if (push_pusher_verify_request(KEY, SECRET, "GET", "/apps/1/channels", 16, q, qlen, NULL, 0, NOW, &reason) == 0
			|| strcmp(reason, "invalid signature") != 0) {
		abort();
	}
	free(q);
}

/* Part 3: lookups stay in bounds. */
static void check_get(const char *q, size_t n)
{
	char out[8];
	size_t vlen = 99;

	memset(out, 0x7f, sizeof(out));
	switch (push_url_query_get(q, n, "info", out, sizeof(out), &vlen)) {
	case 1:
		if (vlen >= sizeof(out) || out[vlen] != '\0' || memchr(out, '\0', vlen)) {
			abort();
		}
		break;
	case 0:
	case -1:
		break;
	default:
		abort();
	}
}

/* Part 4: a channel auth string is accepted only when it is the right one. */
static void check_auth(const char *in, size_t n)
{
	const char *parts[] = { "1.2", "private-x" };
	size_t lens[] = { 3, 9 };
	char want[sizeof(KEY) + PUSH_SIGN_HEX_LEN + 1];

	memcpy(want, KEY ":", sizeof(KEY));
	push_pusher_hmac_hex(SECRET, sizeof(SECRET) - 1, "1.2:private-x", 13, want + sizeof(KEY));
	if (push_pusher_auth_ok(KEY, SECRET, in, n, parts, lens, 2)
			!= (n == strlen(want) && memcmp(in, want, n) == 0)) {
		abort();
	}
	if (!push_pusher_auth_ok(KEY, SECRET, want, strlen(want), parts, lens, 2)) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;

	check_canonical(in, size);
	check_verify(in, size);
	check_get(in, size);
	check_auth(in, size);
	return 0;
}
