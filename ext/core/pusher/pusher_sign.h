/*
 * pusher_sign.h - util: the signatures of the Pusher protocol (docs/PUSHER.md).
 * Knows nothing of sockets: strings in, verdicts out.
 *
 *   channel auth   "<key>:" + hex HMAC-SHA256(secret, socket_id ":" channel)
 *   presence auth  the same over socket_id ":" channel ":" channel_data
 *   signin         the same over socket_id "::user::" user_data
 *   HTTP API       auth_signature = hex HMAC-SHA256(secret, METHOD "\n" path "\n" query),
 *                  the query being every parameter but auth_signature, percent-decoded,
 *                  names lower-cased, sorted by name, joined "k=v" with '&'
 *   webhooks       X-Pusher-Signature = hex HMAC-SHA256(secret, body)
 */
#ifndef PUSH_PUSHER_SIGN_H
#define PUSH_PUSHER_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "hex.h"
#include "md5.h"
#include "url.h"

#define PUSH_SIGN_HEX_LEN 64       /* hex HMAC-SHA256, without the NUL */
#define PUSH_PUSHER_TIMESTAMP_SKEW 600  /* seconds auth_timestamp may be off the server's clock */
#define PUSH_PUSHER_QUERY_MAX 32   /* parameters one API request may carry */

/* Hex HMAC-SHA256 of len bytes under secret: 64 digits and a NUL. */
void push_pusher_hmac_hex(const char *secret, size_t slen, const void *data, size_t len,
		char out[PUSH_SIGN_HEX_LEN + 1]);

/*
 * Whether auth (alen bytes) is "<key>:<hex HMAC-SHA256(secret, parts joined with ':')>".
 * The signature is compared in constant time; an auth of the wrong length is refused
 * after the same work, so its timing says nothing about the expected signature.
 * Signin passes five parts: socket_id, "", "user", "", user_data.
 */
int push_pusher_auth_ok(const char *key, const char *secret, const char *auth, size_t alen,
		const char *const *parts, const size_t *lens, size_t nparts);

/*
 * The string an HTTP API request signs: method "\n" path "\n" canonical query, in a
 * malloc'd, NUL-terminated buffer (*out, *olen). query is as sent (percent-encoded,
 * '+' a space). Returns 0, or -1 with a short reason in *reason.
 */
int push_pusher_string_to_sign(const char *method, const char *path, size_t plen, const char *query, size_t qlen,
		char **out, size_t *olen, const char **reason);

/*
 * Checks a signed HTTP API request: auth_key is key, auth_version is 1.0,
 * auth_timestamp within PUSH_PUSHER_TIMESTAMP_SKEW of now (seconds), body_md5
 * present and right when the body is not empty (and right whenever present), and
 * auth_signature the signature of push_pusher_string_to_sign(). Returns 0, or -1
 * with a short reason in *reason ("invalid signature", "timestamp expired", ...).
 */
int push_pusher_verify_request(const char *key, const char *secret, const char *method, const char *path,
		size_t plen, const char *query, size_t qlen, const char *body, size_t blen, int64_t now,
		const char **reason);

/*
 * The same checks but the body's (push_pusher_verify_body), before the body is in:
 * the signature covers the query and so the body_md5 given in it, which lets a
 * server refuse a request before reading its body.
 */
int push_pusher_verify_head(const char *key, const char *secret, const char *method, const char *path,
		size_t plen, const char *query, size_t qlen, int64_t now, const char **reason);
/* The rest, once the body is in: body_md5 present when the body is not empty, and right. */
int push_pusher_verify_body(const char *query, size_t qlen, const char *body, size_t blen, const char **reason);

#endif
