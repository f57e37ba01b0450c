/*
 * SHA-256 (FIPS 180-4, section 6.2) and HMAC-SHA256 (RFC 2104).
 */
#include "sha256.h"

#include <string.h>

/* FIPS 180-4, 4.2.2: first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

/* FIPS 180-4, 5.3.3: initial hash value H(0). */
static const uint32_t H0[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x) (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))

static uint32_t load_be32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static void store_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* FIPS 180-4, 6.2.2: process one 512-bit block. */
static void sha256_compress(uint32_t h[8], const unsigned char *block)
{
	uint32_t w[64];
	uint32_t a, b, c, d, e, f, g, hh, t1, t2;
	int t;

	for (t = 0; t < 16; t++) {
		w[t] = load_be32(block + 4 * t);
	}
	for (t = 16; t < 64; t++) {
		w[t] = SSIG1(w[t - 2]) + w[t - 7] + SSIG0(w[t - 15]) + w[t - 16];
	}

	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; hh = h[7];

	for (t = 0; t < 64; t++) {
		t1 = hh + BSIG1(e) + CH(e, f, g) + K[t] + w[t];
		t2 = BSIG0(a) + MAJ(a, b, c);
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}

	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

void push_sha256_init(push_sha256_ctx *ctx)
{
	memcpy(ctx->h, H0, sizeof(H0));
	ctx->total = 0;
	ctx->buf_len = 0;
}

void push_sha256_update(push_sha256_ctx *ctx, const void *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;

	if (len == 0) {
		return;
	}
	ctx->total += len;

	if (ctx->buf_len > 0) {
		size_t take = PUSH_SHA256_BLOCK_LEN - ctx->buf_len;
		if (take > len) {
			take = len;
		}
		memcpy(ctx->buf + ctx->buf_len, p, take);
		ctx->buf_len += take;
		p += take;
		len -= take;
		if (ctx->buf_len < PUSH_SHA256_BLOCK_LEN) {
			return;
		}
		sha256_compress(ctx->h, ctx->buf);
		ctx->buf_len = 0;
	}

	while (len >= PUSH_SHA256_BLOCK_LEN) {
		sha256_compress(ctx->h, p);
		p += PUSH_SHA256_BLOCK_LEN;
		len -= PUSH_SHA256_BLOCK_LEN;
	}

	if (len > 0) {
		memcpy(ctx->buf, p, len);
		ctx->buf_len = len;
	}
}

/* FIPS 180-4, 5.1.1: append 0x80, zeros, then the 64-bit big-endian bit length. */
void push_sha256_final(push_sha256_ctx *ctx, unsigned char out[PUSH_SHA256_DIGEST_LEN])
{
	uint64_t bits = ctx->total * 8;
	int i;

	ctx->buf[ctx->buf_len++] = 0x80;
	if (ctx->buf_len > PUSH_SHA256_BLOCK_LEN - 8) {
		memset(ctx->buf + ctx->buf_len, 0, PUSH_SHA256_BLOCK_LEN - ctx->buf_len);
		sha256_compress(ctx->h, ctx->buf);
		ctx->buf_len = 0;
	}
	memset(ctx->buf + ctx->buf_len, 0, PUSH_SHA256_BLOCK_LEN - 8 - ctx->buf_len);
	for (i = 0; i < 8; i++) {
		ctx->buf[PUSH_SHA256_BLOCK_LEN - 1 - i] = (unsigned char)(bits >> (8 * i));
	}
	sha256_compress(ctx->h, ctx->buf);

	for (i = 0; i < 8; i++) {
		store_be32(out + 4 * i, ctx->h[i]);
	}
	push_secure_zero(ctx, sizeof(*ctx));
}

void push_sha256(const void *data, size_t len, unsigned char out[PUSH_SHA256_DIGEST_LEN])
{
	push_sha256_ctx ctx;

	push_sha256_init(&ctx);
	push_sha256_update(&ctx, data, len);
	push_sha256_final(&ctx, out);
}

/* RFC 2104: H((K ^ opad) || H((K ^ ipad) || text)), K zero-padded to the block size. */
void push_hmac_sha256_init(push_hmac_sha256_ctx *ctx, const void *key, size_t key_len)
{
	unsigned char k[PUSH_SHA256_BLOCK_LEN];
	unsigned char ikey[PUSH_SHA256_BLOCK_LEN];
	size_t i;

	memset(k, 0, sizeof(k));
	if (key_len > PUSH_SHA256_BLOCK_LEN) {
		push_sha256(key, key_len, k);
	} else if (key_len > 0) {
		memcpy(k, key, key_len);
	}
	for (i = 0; i < PUSH_SHA256_BLOCK_LEN; i++) {
		ikey[i] = (unsigned char)(k[i] ^ 0x36);
		ctx->okey[i] = (unsigned char)(k[i] ^ 0x5c);
	}
	push_sha256_init(&ctx->inner);
	push_sha256_update(&ctx->inner, ikey, sizeof(ikey));
	push_secure_zero(k, sizeof(k));
	push_secure_zero(ikey, sizeof(ikey));
}

void push_hmac_sha256_update(push_hmac_sha256_ctx *ctx, const void *data, size_t len)
{
	push_sha256_update(&ctx->inner, data, len);
}

void push_hmac_sha256_final(push_hmac_sha256_ctx *ctx, unsigned char out[PUSH_SHA256_DIGEST_LEN])
{
	unsigned char ihash[PUSH_SHA256_DIGEST_LEN];
	push_sha256_ctx outer;

	push_sha256_final(&ctx->inner, ihash);
	push_sha256_init(&outer);
	push_sha256_update(&outer, ctx->okey, sizeof(ctx->okey));
	push_sha256_update(&outer, ihash, sizeof(ihash));
	push_sha256_final(&outer, out);
	push_secure_zero(ihash, sizeof(ihash));
	push_secure_zero(ctx, sizeof(*ctx));
}

void push_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
	unsigned char out[PUSH_SHA256_DIGEST_LEN])
{
	push_hmac_sha256_ctx ctx;

	push_hmac_sha256_init(&ctx, key, key_len);
	push_hmac_sha256_update(&ctx, data, len);
	push_hmac_sha256_final(&ctx, out);
}

int push_ct_equal(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *pa = (const volatile unsigned char *)a;
	const volatile unsigned char *pb = (const volatile unsigned char *)b;
	unsigned char diff = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		diff |= (unsigned char)(pa[i] ^ pb[i]);
	}
	/* 1 when diff == 0, else 0, without a data-dependent branch */
	return (int)(1 & (((unsigned int)diff - 1) >> 8));
}

void push_secure_zero(void *p, size_t n)
{
	volatile unsigned char *v = (volatile unsigned char *)p;

	while (n--) {
		*v++ = 0;
	}
}
