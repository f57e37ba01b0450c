/*
 * Signed push tokens:
 *   token = B64URL(uid) "." EXPIRY "." B64URL(HMAC-SHA256(secret, B64URL(uid) "." EXPIRY))
 * EXPIRY is the unix expiry time in seconds, decimal, no sign, no leading zeros, at most 19 digits.
 * Part of the PHP-free core of the push extension.
 */
#ifndef PUSH_CORE_TOKEN_H
#define PUSH_CORE_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "sha256.h" /* push_ct_equal */

#define PUSH_UID_MAX 256           /* longest uid accepted anywhere, in bytes */
#define PUSH_TOKEN_MAX 512         /* longest token accepted; longer input is malformed */

/* Outcome of push_token_verify(). */
typedef enum {
	PUSH_TOKEN_OK = 0,
	PUSH_TOKEN_MALFORMED,      /* not three parts, bad base64url, bad digits, too long, uid empty/too long/contains NUL */
	PUSH_TOKEN_BAD_SIGNATURE,  /* well-formed but the HMAC does not match */
	PUSH_TOKEN_EXPIRED         /* signature good, expiry <= now */
} push_token_status;

/*
 * Writes the token (NUL-terminated) into out; returns its length, or 0 if uid is empty/too long,
 * contains a NUL byte, expires is negative, or out is too small.
 * A buffer of PUSH_TOKEN_MAX + 1 bytes is always large enough.
 */
size_t push_token_make(const unsigned char *secret, size_t secret_len, const char *uid, size_t uid_len,
	int64_t expires, char *out, size_t out_cap);

/*
 * Verifies a token. On PUSH_TOKEN_OK copies the uid into uid_out (NUL-terminated when there is room;
 * uid_cap should be >= PUSH_UID_MAX + 1) and sets *uid_len; either may be NULL if not wanted.
 * A uid longer than uid_cap is reported as PUSH_TOKEN_MALFORMED. Nothing is written on failure.
 * The signature is compared in constant time and checked before the expiry, so a bad token says
 * nothing about its expiry.
 */
push_token_status push_token_verify(const unsigned char *secret, size_t secret_len, const char *token,
	size_t token_len, int64_t now, char *uid_out, size_t uid_cap, size_t *uid_len);

/* A short human reason for a status, e.g. "malformed token". */
const char *push_token_status_str(push_token_status st);

#endif /* PUSH_CORE_TOKEN_H */
