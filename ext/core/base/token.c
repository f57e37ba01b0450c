/*
 * Signed push tokens: make and verify.
 */
#include "token.h"
#include "b64url.h"
#include "sha256.h"

#include <string.h>

#define TOKEN_EXPIRY_DIGITS_MAX 19                                 /* digits in INT64_MAX */
#define TOKEN_UID_ENC_MAX PUSH_B64URL_ENC_LEN(PUSH_UID_MAX)        /* encoded uid, 342 chars */
#define TOKEN_SIG_ENC_LEN PUSH_B64URL_ENC_LEN(PUSH_SHA256_DIGEST_LEN) /* encoded signature, 43 chars */

/* Writes v (>= 0) as decimal without leading zeros into buf; returns the number of digits. */
static size_t format_expiry(int64_t v, char buf[TOKEN_EXPIRY_DIGITS_MAX])
{
	char tmp[TOKEN_EXPIRY_DIGITS_MAX];
	size_t n = 0, i;
	uint64_t u = (uint64_t)v;

	do {
		tmp[n++] = (char)('0' + (u % 10));
		u /= 10;
	} while (u != 0);
	for (i = 0; i < n; i++) {
		buf[i] = tmp[n - 1 - i];
	}
	return n;
}

/* Parses 1..19 decimal digits without leading zeros into *out; returns 0 on success, -1 if malformed or above INT64_MAX. */
static int parse_expiry(const char *s, size_t len, int64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > TOKEN_EXPIRY_DIGITS_MAX) {
		return -1;
	}
	if (s[0] == '0' && len > 1) {
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return -1;
		}
		/* 19 digits fit in uint64_t without wrapping (10^19 - 1 < 2^64) */
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > (uint64_t)INT64_MAX) {
		return -1;
	}
	*out = (int64_t)v;
	return 0;
}

size_t push_token_make(const unsigned char *secret, size_t secret_len, const char *uid, size_t uid_len,
	int64_t expires, char *out, size_t out_cap)
{
	unsigned char mac[PUSH_SHA256_DIGEST_LEN];
	char digits[TOKEN_EXPIRY_DIGITS_MAX];
	size_t uid_enc, ndigits, signed_len, total;

	if (uid == NULL || uid_len == 0 || uid_len > PUSH_UID_MAX || memchr(uid, '\0', uid_len) != NULL) {
		return 0;
	}
	if (expires < 0 || out == NULL || (secret == NULL && secret_len != 0)) {
		return 0;
	}

	uid_enc = push_b64url_encoded_len(uid_len);
	ndigits = format_expiry(expires, digits);
	signed_len = uid_enc + 1 + ndigits;
	total = signed_len + 1 + TOKEN_SIG_ENC_LEN;
	if (out_cap < total + 1) {
		return 0;
	}

	push_b64url_encode(uid, uid_len, out, out_cap);
	out[uid_enc] = '.';
	memcpy(out + uid_enc + 1, digits, ndigits);
	out[signed_len] = '.';

	push_hmac_sha256(secret, secret_len, out, signed_len, mac);
	push_b64url_encode(mac, sizeof(mac), out + signed_len + 1, out_cap - signed_len - 1);
	push_secure_zero(mac, sizeof(mac));
	return total;
}

push_token_status push_token_verify(const unsigned char *secret, size_t secret_len, const char *token,
	size_t token_len, int64_t now, char *uid_out, size_t uid_cap, size_t *uid_len)
{
	unsigned char uid[PUSH_UID_MAX];
	unsigned char sig[PUSH_SHA256_DIGEST_LEN];
	unsigned char mac[PUSH_SHA256_DIGEST_LEN];
	const char *dot1, *dot2, *exp_s, *sig_s;
	size_t uid_enc_len, exp_len, sig_len, n;
	int64_t expires;
	int good;

	if (token == NULL || token_len == 0 || token_len > PUSH_TOKEN_MAX) {
		return PUSH_TOKEN_MALFORMED;
	}
	if (secret == NULL && secret_len != 0) {
		return PUSH_TOKEN_MALFORMED;
	}

	/* three parts separated by exactly two dots; '.' is outside the base64url alphabet and not a digit */
	dot1 = memchr(token, '.', token_len);
	if (dot1 == NULL) {
		return PUSH_TOKEN_MALFORMED;
	}
	exp_s = dot1 + 1;
	dot2 = memchr(exp_s, '.', token_len - (size_t)(exp_s - token));
	if (dot2 == NULL) {
		return PUSH_TOKEN_MALFORMED;
	}
	sig_s = dot2 + 1;
	uid_enc_len = (size_t)(dot1 - token);
	exp_len = (size_t)(dot2 - exp_s);
	sig_len = token_len - (size_t)(sig_s - token);

	/* uid: 1..PUSH_UID_MAX bytes, no NUL */
	if (uid_enc_len == 0 || uid_enc_len > TOKEN_UID_ENC_MAX) {
		return PUSH_TOKEN_MALFORMED;
	}
	n = push_b64url_decode(token, uid_enc_len, uid, sizeof(uid));
	if (n == (size_t)-1 || n == 0 || memchr(uid, '\0', n) != NULL) {
		return PUSH_TOKEN_MALFORMED;
	}

	if (parse_expiry(exp_s, exp_len, &expires) != 0) {
		return PUSH_TOKEN_MALFORMED;
	}

	if (sig_len != TOKEN_SIG_ENC_LEN
		|| push_b64url_decode(sig_s, sig_len, sig, sizeof(sig)) != PUSH_SHA256_DIGEST_LEN) {
		return PUSH_TOKEN_MALFORMED;
	}

	if (uid_out != NULL && n > uid_cap) {
		return PUSH_TOKEN_MALFORMED;
	}

	push_hmac_sha256(secret, secret_len, token, (size_t)(dot2 - token), mac);
	good = push_ct_equal(mac, sig, sizeof(mac));
	push_secure_zero(mac, sizeof(mac));
	if (!good) {
		return PUSH_TOKEN_BAD_SIGNATURE;
	}
	if (expires <= now) {
		return PUSH_TOKEN_EXPIRED;
	}

	if (uid_out != NULL) {
		memcpy(uid_out, uid, n);
		if (n < uid_cap) {
			uid_out[n] = '\0';
		}
	}
	if (uid_len != NULL) {
		*uid_len = n;
	}
	return PUSH_TOKEN_OK;
}

const char *push_token_status_str(push_token_status st)
{
	switch (st) {
		case PUSH_TOKEN_OK:
			return "ok";
		case PUSH_TOKEN_MALFORMED:
			return "malformed token";
		case PUSH_TOKEN_BAD_SIGNATURE:
			return "bad token signature";
		case PUSH_TOKEN_EXPIRED:
			return "token expired";
	}
	return "unknown token status";
}
