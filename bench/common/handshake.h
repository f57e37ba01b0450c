/*
 * What both ends of a WebSocket handshake need, shared by loadgen (the client side) and floor
 * (the server side): SHA-1 (FIPS 180-4), base64, the Sec-WebSocket-Accept value of RFC 6455,
 * and finding a header in an HTTP head.
 */
#ifndef BENCH_HANDSHAKE_H
#define BENCH_HANDSHAKE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint32_t h[5];       /* chaining state */
	uint64_t total;      /* bytes hashed so far */
	uint8_t block[64];   /* pending partial block */
	size_t fill;         /* bytes used in block */
} sha1_ctx;

void sha1_init(sha1_ctx *s);
void sha1_update(sha1_ctx *s, const void *data, size_t len);
void sha1_final(sha1_ctx *s, uint8_t out[20]);

/* writes 4*ceil(n/3) chars plus NUL */
void base64_encode(const uint8_t *in, size_t n, char *out);

/* the Sec-WebSocket-Accept value for a Sec-WebSocket-Key of len bytes (RFC 6455 section 4.2.2):
 * 28 chars plus NUL */
void ws_accept(const char *key, size_t len, char out[29]);

/* the value of header name (case-insensitive) in the HTTP head[0..len), without surrounding
 * blanks: 1 and *val, *vlen set when found, else 0 */
int http_header(const char *head, size_t len, const char *name, const char **val, size_t *vlen);

#endif
