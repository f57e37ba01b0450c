/*
 * md5.c - MD5 (RFC 1321); only for the Pusher HTTP API's body_md5, which its protocol fixes.
 */
#include <stdint.h>
#include <string.h>

#include "hex.h"
#include "md5.h"

/* RFC 1321, 3.4: T[i] = floor(2^32 * |sin(i + 1)|). */
static const uint32_t MD5_T[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391
};

/* Rotation amounts of each round's four steps. */
static const unsigned char MD5_S[4][4] = { { 7, 12, 17, 22 }, { 5, 9, 14, 20 }, { 4, 11, 16, 23 }, { 6, 10, 15, 21 } };

/* RFC 1321, 3.4: one 64-byte block into the state. */
static void md5_block(uint32_t st[4], const unsigned char *p)
{
	uint32_t x[16], a = st[0], b = st[1], c = st[2], d = st[3], f, t;
	unsigned i, g;

	for (i = 0; i < 16; i++) {
		x[i] = (uint32_t)p[4 * i] | ((uint32_t)p[4 * i + 1] << 8) | ((uint32_t)p[4 * i + 2] << 16)
				| ((uint32_t)p[4 * i + 3] << 24);
	}
	for (i = 0; i < 64; i++) {
		switch (i / 16) {
		case 0:
			f = (b & c) | (~b & d);
			g = i;
			break;
		case 1:
			f = (b & d) | (c & ~d);
			g = (5 * i + 1) % 16;
			break;
		case 2:
			f = b ^ c ^ d;
			g = (3 * i + 5) % 16;
			break;
		default:
			f = c ^ (b | ~d);
			g = (7 * i) % 16;
			break;
		}
		t = a + f + MD5_T[i] + x[g];
		a = d;
		d = c;
		c = b;
		b += (t << MD5_S[i / 16][i % 4]) | (t >> (32 - MD5_S[i / 16][i % 4]));
	}
	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
}

void push_md5(const void *data, size_t len, unsigned char out[PUSH_MD5_DIGEST_LEN])
{
	uint32_t st[4] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 };
	const unsigned char *p = data;
	unsigned char tail[128];
	uint64_t bits = (uint64_t)len * 8;
	size_t rest, n, i;

	for (n = len; n >= 64; n -= 64, p += 64) {
		md5_block(st, p);
	}
	/* RFC 1321, 3.1-3.2: a 1 bit, zeros to 56 mod 64, the bit length little-endian */
	rest = n;
	if (rest) {
		memcpy(tail, p, rest);
	}
	tail[rest++] = 0x80;
	n = rest <= 56 ? 64 : 128;
	memset(tail + rest, 0, n - rest);
	for (i = 0; i < 8; i++) {
		tail[n - 8 + i] = (unsigned char)(bits >> (8 * i));
	}
	md5_block(st, tail);
	if (n == 128) {
		md5_block(st, tail + 64);
	}
	for (i = 0; i < 16; i++) {
		out[i] = (unsigned char)(st[i / 4] >> (8 * (i % 4)));
	}
}

void push_md5_hex(const void *data, size_t len, char out[PUSH_MD5_HEX_LEN + 1])
{
	unsigned char d[PUSH_MD5_DIGEST_LEN];

	push_md5(data, len, d);
	push_hex(d, sizeof(d), out);
}
