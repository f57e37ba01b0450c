/*
 * SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104).
 * Part of the PHP-free core of the push extension.
 */
#ifndef PUSH_CORE_SHA256_H
#define PUSH_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define PUSH_SHA256_DIGEST_LEN 32  /* bytes in a SHA-256 digest */
#define PUSH_SHA256_BLOCK_LEN 64   /* bytes in a SHA-256 message block */

/* Incremental SHA-256 state. */
typedef struct {
	uint32_t h[8];                              /* chaining value H(i) */
	uint64_t total;                             /* message bytes absorbed so far */
	unsigned char buf[PUSH_SHA256_BLOCK_LEN];   /* partial block not yet compressed */
	size_t buf_len;                             /* bytes used in buf, always < 64 */
} push_sha256_ctx;

/* Incremental HMAC-SHA256 state. */
typedef struct {
	push_sha256_ctx inner;                      /* hash of (K ^ ipad) || message */
	unsigned char okey[PUSH_SHA256_BLOCK_LEN];  /* K ^ opad, kept for the final step */
} push_hmac_sha256_ctx;

void push_sha256_init(push_sha256_ctx *ctx);
void push_sha256_update(push_sha256_ctx *ctx, const void *data, size_t len);
void push_sha256_final(push_sha256_ctx *ctx, unsigned char out[PUSH_SHA256_DIGEST_LEN]);
void push_sha256(const void *data, size_t len, unsigned char out[PUSH_SHA256_DIGEST_LEN]);

/* Keys longer than one block are hashed first, as RFC 2104 requires. */
void push_hmac_sha256_init(push_hmac_sha256_ctx *ctx, const void *key, size_t key_len);
void push_hmac_sha256_update(push_hmac_sha256_ctx *ctx, const void *data, size_t len);
void push_hmac_sha256_final(push_hmac_sha256_ctx *ctx, unsigned char out[PUSH_SHA256_DIGEST_LEN]);
void push_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
	unsigned char out[PUSH_SHA256_DIGEST_LEN]);

/* Compares n bytes in time independent of their contents; returns 1 if equal, 0 if not. */
int push_ct_equal(const void *a, const void *b, size_t n);

/* Overwrites n bytes in a way the compiler may not elide. */
void push_secure_zero(void *p, size_t n);

#endif /* PUSH_CORE_SHA256_H */
