/*
 * Unit tests for ext/core/base/sha256.c, ext/core/base/b64url.c and ext/core/base/token.c.
 */
#include "test.h"

#include "sha256.h"
#include "b64url.h"
#include "token.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Formats a digest as lowercase hex into out (2 * n + 1 bytes). */
static const char *hex(const unsigned char *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
	return out;
}

/* SHA-256 of data as hex, in a static buffer. */
static const char *sha_hex(const void *data, size_t len)
{
	static char buf[2 * PUSH_SHA256_DIGEST_LEN + 1];
	unsigned char d[PUSH_SHA256_DIGEST_LEN];

	push_sha256(data, len, d);
	return hex(d, sizeof(d), buf);
}

/* HMAC-SHA256 as hex, in a static buffer. */
static const char *hmac_hex(const void *key, size_t key_len, const void *data, size_t len)
{
	static char buf[2 * PUSH_SHA256_DIGEST_LEN + 1];
	unsigned char d[PUSH_SHA256_DIGEST_LEN];

	push_hmac_sha256(key, key_len, data, len, d);
	return hex(d, sizeof(d), buf);
}

/* ------------------------------------------------------------------ SHA-256 */

static void test_sha256_fips_vectors(void)
{
	static const char m448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char m896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

	CHECK_STR(sha_hex("", 0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK_STR(sha_hex("abc", 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK_STR(sha_hex(m448, strlen(m448)), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	CHECK_STR(sha_hex(m896, strlen(m896)), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_sha256_million_a(void)
{
	static const char *want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	unsigned char d[PUSH_SHA256_DIGEST_LEN];
	char h[2 * PUSH_SHA256_DIGEST_LEN + 1];
	push_sha256_ctx ctx;
	char *big;
	char chunk[1000];
	int i;

	/* one shot */
	big = malloc(1000000);
	CHECK(big != NULL);
	if (big == NULL) {
		return;
	}
	memset(big, 'a', 1000000);
	CHECK_STR(sha_hex(big, 1000000), want);
	free(big);

	/* incremental, 1000 x 1000 */
	memset(chunk, 'a', sizeof(chunk));
	push_sha256_init(&ctx);
	for (i = 0; i < 1000; i++) {
		push_sha256_update(&ctx, chunk, sizeof(chunk));
	}
	push_sha256_final(&ctx, d);
	CHECK_STR(hex(d, sizeof(d), h), want);
}

static void test_sha256_padding_boundaries(void)
{
	/* message bytes (i * 7 + 1) & 255; lengths around the 56- and 64-byte padding edges */
	static const struct {
		size_t len;       /* message length */
		const char *hex;  /* expected digest */
	} v[] = {
		{ 55, "16fa57a0a3423a715d594516339f36189d6b5f93754a9714fef202616a9fabfe" },
		{ 56, "c37b44e5f1b18554b36966f4f8e08bfbf3164c4b6c10374d12d89850892073c5" },
		{ 63, "bbba992d2c85af960fb2987a1fd05e0aa82a3db3c740dd8982a9e273b75e36a3" },
		{ 64, "66bd4633ed6f71c4ecfa4763bf7ba1c8ec7612de9aa6c0578a7b675207c71e0b" },
		{ 65, "9f7dc47107b750a1f3d35db5d9547f24ef40da5b731b9540d4f43710a154f6c9" },
		{ 119, "a3ed307b730fa77c07531300c6e4a282330011d4d4caf6bb7b63ae05950f4b66" },
		{ 120, "8e3b15d9fea7472655aa069620b7f8c2e55ee1499f763200a7515fe826e99d20" },
		{ 127, "44480fb9672845177f5368a08b69ea263275f2a5ec42e06a933370fe0d2968a4" },
		{ 128, "e462c130fef8c97e34f7dc3ff3ad2f8b3533ab849af21c10531552a2852387a4" },
	};
	unsigned char msg[128];
	size_t i;

	for (i = 0; i < sizeof(msg); i++) {
		msg[i] = (unsigned char)((i * 7 + 1) & 255);
	}
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		CHECK_STR(sha_hex(msg, v[i].len), v[i].hex);
	}
}

static void test_sha256_incremental_splits(void)
{
	unsigned char msg[200], a[PUSH_SHA256_DIGEST_LEN], b[PUSH_SHA256_DIGEST_LEN];
	push_sha256_ctx ctx;
	size_t len, cut, cut2;
	int mismatches = 0;

	for (len = 0; len < sizeof(msg); len++) {
		msg[len] = (unsigned char)(len * 31 + 5);
	}
	for (len = 0; len <= sizeof(msg); len += 3) {
		push_sha256(msg, len, a);
		for (cut = 0; cut <= len; cut++) {
			cut2 = cut + (len - cut) / 2;
			push_sha256_init(&ctx);
			push_sha256_update(&ctx, msg, cut);
			push_sha256_update(&ctx, msg + cut, 0);
			push_sha256_update(&ctx, msg + cut, cut2 - cut);
			push_sha256_update(&ctx, msg + cut2, len - cut2);
			push_sha256_final(&ctx, b);
			if (memcmp(a, b, sizeof(a)) != 0) {
				mismatches++;
			}
		}
	}
	CHECK_EQ_INT(mismatches, 0);
}

/* -------------------------------------------------------------- HMAC-SHA256 */

static void test_hmac_rfc4231(void)
{
	unsigned char key20[20], key25[25], key131[131], data50[50];
	static const char tc6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
	static const char tc7[] = "This is a test using a larger than block-size key and a larger than block-size data."
		" The key needs to be hashed before being used by the HMAC algorithm.";
	size_t i;

	/* 1 */
	memset(key20, 0x0b, sizeof(key20));
	CHECK_STR(hmac_hex(key20, 20, "Hi There", 8),
		"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	/* 2 */
	CHECK_STR(hmac_hex("Jefe", 4, "what do ya want for nothing?", 28),
		"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* 3 */
	memset(key20, 0xaa, sizeof(key20));
	memset(data50, 0xdd, sizeof(data50));
	CHECK_STR(hmac_hex(key20, 20, data50, 50),
		"773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
	/* 4 */
	for (i = 0; i < sizeof(key25); i++) {
		key25[i] = (unsigned char)(i + 1);
	}
	memset(data50, 0xcd, sizeof(data50));
	CHECK_STR(hmac_hex(key25, 25, data50, 50),
		"82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
	/* 5: truncated to 128 bits */
	memset(key20, 0x0c, sizeof(key20));
	CHECK(strncmp(hmac_hex(key20, 20, "Test With Truncation", 20), "a3b6167473100ee06e0c796c2955552b", 32) == 0);
	/* 6 */
	memset(key131, 0xaa, sizeof(key131));
	CHECK_STR(hmac_hex(key131, 131, tc6, strlen(tc6)),
		"60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	/* 7 */
	CHECK_STR(hmac_hex(key131, 131, tc7, strlen(tc7)),
		"9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

static void test_hmac_incremental_and_long_key(void)
{
	unsigned char key[200], a[PUSH_SHA256_DIGEST_LEN], b[PUSH_SHA256_DIGEST_LEN], kh[PUSH_SHA256_DIGEST_LEN];
	static const char msg[] = "what do ya want for nothing?";
	push_hmac_sha256_ctx ctx;
	size_t i;

	for (i = 0; i < sizeof(key); i++) {
		key[i] = (unsigned char)(i ^ 0x5a);
	}
	push_hmac_sha256(key, sizeof(key), msg, strlen(msg), a);

	push_hmac_sha256_init(&ctx, key, sizeof(key));
	push_hmac_sha256_update(&ctx, msg, 5);
	push_hmac_sha256_update(&ctx, msg + 5, strlen(msg) - 5);
	push_hmac_sha256_final(&ctx, b);
	CHECK(memcmp(a, b, sizeof(a)) == 0);

	/* a key longer than 64 bytes is the same as its SHA-256 digest */
	push_sha256(key, sizeof(key), kh);
	push_hmac_sha256(kh, sizeof(kh), msg, strlen(msg), b);
	CHECK(memcmp(a, b, sizeof(a)) == 0);

	/* a 64-byte key is used as is, not hashed */
	push_hmac_sha256(key, 64, msg, strlen(msg), a);
	push_sha256(key, 64, kh);
	push_hmac_sha256(kh, sizeof(kh), msg, strlen(msg), b);
	CHECK(memcmp(a, b, sizeof(a)) != 0);

	/* empty key and empty message are defined */
	CHECK_STR(hmac_hex("", 0, "", 0), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

static void test_ct_equal(void)
{
	unsigned char a[64], b[64];
	size_t i;

	memset(a, 0x42, sizeof(a));
	memset(b, 0x42, sizeof(b));
	CHECK_EQ_INT(push_ct_equal(a, b, sizeof(a)), 1);
	CHECK_EQ_INT(push_ct_equal(a, b, 0), 1);
	for (i = 0; i < sizeof(a); i++) {
		b[i] ^= 0x80;
		CHECK_EQ_INT(push_ct_equal(a, b, sizeof(a)), 0);
		b[i] ^= 0x81;
		CHECK_EQ_INT(push_ct_equal(a, b, sizeof(a)), 0);
		b[i] ^= 0x01;
	}
	CHECK_EQ_INT(push_ct_equal(a, b, sizeof(a)), 1);
}

/* ---------------------------------------------------------------- base64url */

/* Encodes a C string and compares with want. */
static int enc_is(const char *in, const char *want)
{
	char out[64];
	size_t n = push_b64url_encode(in, strlen(in), out, sizeof(out));

	return n == strlen(want) && strcmp(out, want) == 0;
}

/* Decodes s and compares with the C string want. */
static int dec_is(const char *s, const char *want)
{
	unsigned char out[64];
	size_t n = push_b64url_decode(s, strlen(s), out, sizeof(out));

	return n == strlen(want) && memcmp(out, want, n) == 0;
}

/* True if s is rejected by the decoder. */
static int dec_rejects(const char *s, size_t len)
{
	unsigned char out[64];

	return push_b64url_decode(s, len, out, sizeof(out)) == (size_t)-1;
}

static void test_b64url_rfc4648_vectors(void)
{
	CHECK(enc_is("", ""));
	CHECK(enc_is("f", "Zg"));
	CHECK(enc_is("fo", "Zm8"));
	CHECK(enc_is("foo", "Zm9v"));
	CHECK(enc_is("foob", "Zm9vYg"));
	CHECK(enc_is("fooba", "Zm9vYmE"));
	CHECK(enc_is("foobar", "Zm9vYmFy"));
	CHECK(dec_is("", ""));
	CHECK(dec_is("Zg", "f"));
	CHECK(dec_is("Zm8", "fo"));
	CHECK(dec_is("Zm9v", "foo"));
	CHECK(dec_is("Zm9vYg", "foob"));
	CHECK(dec_is("Zm9vYmE", "fooba"));
	CHECK(dec_is("Zm9vYmFy", "foobar"));
	/* the two URL-safe characters */
	CHECK(enc_is("\xfb\xff", "-_8"));
	CHECK(dec_is("-_8", "\xfb\xff"));
	CHECK(enc_is("\xff\xff\xff", "____"));
	CHECK(enc_is("\xfb\xef\xbe", "----"));
}

static void test_b64url_round_trip(void)
{
	unsigned char in[300], back[300];
	char enc[401];
	size_t len, n, i;
	int bad = 0;
	uint32_t x = 12345;

	for (len = 0; len <= sizeof(in); len++) {
		for (i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			in[i] = (unsigned char)(x >> 16);
		}
		n = push_b64url_encode(in, len, enc, sizeof(enc));
		if (n != push_b64url_encoded_len(len) || enc[n] != '\0' || strlen(enc) != n) {
			bad++;
			continue;
		}
		if (push_b64url_decoded_len(n) != len) {
			bad++;
		}
		if (push_b64url_decode(enc, n, back, sizeof(back)) != len || memcmp(in, back, len) != 0) {
			bad++;
		}
	}
	CHECK_EQ_INT(bad, 0);

	/* every byte value survives */
	for (i = 0; i < 256; i++) {
		in[i] = (unsigned char)i;
	}
	n = push_b64url_encode(in, 256, enc, sizeof(enc));
	CHECK_EQ_INT(n, 342);
	CHECK_EQ_INT(push_b64url_decode(enc, n, back, sizeof(back)), 256);
	CHECK(memcmp(in, back, 256) == 0);
}

static void test_b64url_rejections(void)
{
	int c;
	char s[5];
	int accepted_outside = 0;

	/* padding, standard-alphabet characters, separators, whitespace */
	CHECK(dec_rejects("Zg==", 4));
	CHECK(dec_rejects("Zm8=", 4));
	CHECK(dec_rejects("Zg=", 3));
	CHECK(dec_rejects("Zm+v", 4));
	CHECK(dec_rejects("Zm/v", 4));
	CHECK(dec_rejects("Zm9.", 4));
	CHECK(dec_rejects("Zm9 ", 4));
	CHECK(dec_rejects(" Zm9v", 5));
	CHECK(dec_rejects("Zm9v\n", 5));
	CHECK(dec_rejects("Zm\0v", 4));
	CHECK(dec_rejects("Zm9\xc3", 4));
	/* impossible lengths */
	CHECK(dec_rejects("Z", 1));
	CHECK(dec_rejects("Zm9vY", 5));
	CHECK(dec_rejects("Zm9vYmFyZ", 9));
	CHECK_EQ_INT(push_b64url_decoded_len(1), -1);
	CHECK_EQ_INT(push_b64url_decoded_len(5), -1);
	/* non-canonical trailing bits */
	CHECK(dec_rejects("Zh", 2));
	CHECK(dec_rejects("Zv", 2));
	CHECK(dec_rejects("Zm9", 3));
	CHECK(dec_rejects("Zm_", 3));
	CHECK(dec_rejects("Zm9vYh", 6));
	CHECK(dec_rejects("Zm9vYmF", 7));
	CHECK(dec_is("Zm8", "fo"));

	/* every byte outside the alphabet, in every position of a quantum */
	for (c = 0; c < 256; c++) {
		int pos;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
			continue;
		}
		for (pos = 0; pos < 4; pos++) {
			memcpy(s, "AAAA", 5);
			s[pos] = (char)c;
			if (!dec_rejects(s, 4)) {
				accepted_outside++;
			}
		}
	}
	CHECK_EQ_INT(accepted_outside, 0);
}

static void test_b64url_capacity(void)
{
	char out[16];
	unsigned char bin[16];

	/* encode needs room for the NUL */
	CHECK_EQ_INT(push_b64url_encode("foo", 3, out, 4), -1);
	CHECK_EQ_INT(push_b64url_encode("foo", 3, out, 5), 4);
	CHECK_EQ_INT(push_b64url_encode("", 0, out, 0), -1);
	CHECK_EQ_INT(push_b64url_encode("", 0, out, 1), 0);
	CHECK_STR(out, "");
	/* decode needs exactly the decoded length */
	CHECK_EQ_INT(push_b64url_decode("Zm9vYg", 6, bin, 3), -1);
	CHECK_EQ_INT(push_b64url_decode("Zm9vYg", 6, bin, 4), 4);
	CHECK_EQ_INT(push_b64url_decode("", 0, NULL, 0), 0);
}

/* ------------------------------------------------------------------- tokens */

static const unsigned char SECRET[] = "correct horse battery staple";
#define SECRET_LEN (sizeof(SECRET) - 1)
#define NOW ((int64_t)1700000000)

/* Builds "<b64url(uid)>.<expiry_text>.<sig>" signed with SECRET, for uids and expiries make() refuses. */
static size_t forge(const unsigned char *uid, size_t uid_len, const char *expiry_text, char *out, size_t cap)
{
	unsigned char mac[PUSH_SHA256_DIGEST_LEN];
	size_t n, e = strlen(expiry_text);

	if (cap < PUSH_B64URL_ENC_LEN(uid_len) + e + 2 + 44) {
		return 0;
	}
	n = push_b64url_encode(uid, uid_len, out, cap);
	out[n++] = '.';
	memcpy(out + n, expiry_text, e);
	n += e;
	push_hmac_sha256(SECRET, SECRET_LEN, out, n, mac);
	out[n++] = '.';
	n += push_b64url_encode(mac, sizeof(mac), out + n, cap - n);
	return n;
}

/* Verifies a C-string token against SECRET at NOW. */
static push_token_status verify_str(const char *tok)
{
	char uid[PUSH_UID_MAX + 1];
	size_t uid_len;

	return push_token_verify(SECRET, SECRET_LEN, tok, strlen(tok), NOW, uid, sizeof(uid), &uid_len);
}

static void test_token_known_answer(void)
{
	static const char *want = "dXNlcjQy.1700000000.2i_cmwrVYI3pSc0zSBP4k1lYFphxDnC7YEhmAag3xdI";
	static const char *want2 = "Wm_Dqy_DvCs_.9223372036854775807.f3kqP5KnCMwB3L3i91frCOiUNM2jmPHBfm545gGvvaE";
	unsigned char key100[100];
	char tok[PUSH_TOKEN_MAX + 1], uid[PUSH_UID_MAX + 1];
	size_t n, uid_len = 0;

	n = push_token_make((const unsigned char *)"secret", 6, "user42", 6, 1700000000, tok, sizeof(tok));
	CHECK_EQ_INT(n, strlen(want));
	CHECK_STR(tok, want);
	CHECK_EQ_INT(push_token_verify((const unsigned char *)"secret", 6, want, strlen(want), 1699999999,
		uid, sizeof(uid), &uid_len), PUSH_TOKEN_OK);
	CHECK_EQ_INT(uid_len, 6);
	CHECK_STR(uid, "user42");

	/* a 100-byte secret (hashed first), non-ASCII uid, the largest expiry */
	memset(key100, 'k', sizeof(key100));
	n = push_token_make(key100, sizeof(key100), "Zo\xc3\xab/\xc3\xbc+?", 9, INT64_MAX, tok, sizeof(tok));
	CHECK_EQ_INT(n, strlen(want2));
	CHECK_STR(tok, want2);
	CHECK_EQ_INT(push_token_verify(key100, sizeof(key100), tok, n, INT64_MAX - 1, uid, sizeof(uid), &uid_len),
		PUSH_TOKEN_OK);
	CHECK_STR(uid, "Zo\xc3\xab/\xc3\xbc+?");
	CHECK_EQ_INT(push_token_verify(key100, sizeof(key100), tok, n, INT64_MAX, uid, sizeof(uid), &uid_len),
		PUSH_TOKEN_EXPIRED);
}

static void test_token_round_trip(void)
{
	char tok[PUSH_TOKEN_MAX + 1], uid[PUSH_UID_MAX + 1];
	size_t n, uid_len = 0;

	n = push_token_make(SECRET, SECRET_LEN, "alice", 5, NOW + 3600, tok, sizeof(tok));
	CHECK(n > 0);
	CHECK_EQ_INT(strlen(tok), n);
	memset(uid, 'x', sizeof(uid));
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, tok, n, NOW, uid, sizeof(uid), &uid_len), PUSH_TOKEN_OK);
	CHECK_EQ_INT(uid_len, 5);
	CHECK_STR(uid, "alice");

	/* outputs are optional */
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, tok, n, NOW, NULL, 0, NULL), PUSH_TOKEN_OK);

	/* expiry 0 is representable (and always expired for sensible clocks) */
	n = push_token_make(SECRET, SECRET_LEN, "alice", 5, 0, tok, sizeof(tok));
	CHECK(n > 0);
	CHECK(strstr(tok, ".0.") != NULL);
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, tok, n, -1, uid, sizeof(uid), &uid_len), PUSH_TOKEN_OK);
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, tok, n, 0, uid, sizeof(uid), &uid_len), PUSH_TOKEN_EXPIRED);

	/* an empty secret is still a well-defined HMAC key */
	n = push_token_make((const unsigned char *)"", 0, "bob", 3, NOW + 1, tok, sizeof(tok));
	CHECK(n > 0);
	CHECK_EQ_INT(push_token_verify((const unsigned char *)"", 0, tok, n, NOW, NULL, 0, NULL), PUSH_TOKEN_OK);
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, tok, n, NOW, NULL, 0, NULL), PUSH_TOKEN_BAD_SIGNATURE);
}

static void test_token_uid_sizes(void)
{
	char tok[PUSH_TOKEN_MAX + 1], uid[PUSH_UID_MAX + 1], big[PUSH_UID_MAX + 2];
	size_t n, uid_len = 0, i;

	/* 1 byte */
	n = push_token_make(SECRET, SECRET_LEN, "\x01", 1, NOW + 60, tok, sizeof(tok));
	CHECK(n > 0);
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, tok, n, NOW, uid, sizeof(uid), &uid_len), PUSH_TOKEN_OK);
	CHECK_EQ_INT(uid_len, 1);
	CHECK(uid[0] == '\x01' && uid[1] == '\0');

	/* 256 bytes, every non-NUL byte value */
	for (i = 0; i < sizeof(big); i++) {
		big[i] = (char)(1 + i % 255);
	}
	n = push_token_make(SECRET, SECRET_LEN, big, PUSH_UID_MAX, INT64_MAX, tok, sizeof(tok));
	CHECK(n > 0);
	CHECK(n <= PUSH_TOKEN_MAX);
	CHECK_EQ_INT(n, 342 + 1 + 19 + 1 + 43);
	memset(uid, 0, sizeof(uid));
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, tok, n, NOW, uid, sizeof(uid), &uid_len), PUSH_TOKEN_OK);
	CHECK_EQ_INT(uid_len, PUSH_UID_MAX);
	CHECK(memcmp(uid, big, PUSH_UID_MAX) == 0);
	CHECK(uid[PUSH_UID_MAX] == '\0');

	/* an exact-size uid buffer gets no NUL, a smaller one is refused */
	memset(uid, 'x', sizeof(uid));
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, tok, n, NOW, uid, PUSH_UID_MAX, &uid_len), PUSH_TOKEN_OK);
	CHECK(uid[PUSH_UID_MAX] == 'x');
	memset(uid, 'x', sizeof(uid));
	uid_len = 7;
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, tok, n, NOW, uid, PUSH_UID_MAX - 1, &uid_len),
		PUSH_TOKEN_MALFORMED);
	CHECK(uid[0] == 'x');
	CHECK_EQ_INT(uid_len, 7);

	/* 257 bytes: make refuses, and a correctly signed one is malformed */
	CHECK_EQ_INT(push_token_make(SECRET, SECRET_LEN, big, PUSH_UID_MAX + 1, NOW + 60, tok, sizeof(tok)), 0);
	n = forge((const unsigned char *)big, PUSH_UID_MAX + 1, "1800000000", tok, sizeof(tok));
	CHECK(n > 0);
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, tok, n, NOW, uid, sizeof(uid), &uid_len),
		PUSH_TOKEN_MALFORMED);

	/* empty uid: make refuses, and a correctly signed one is malformed */
	CHECK_EQ_INT(push_token_make(SECRET, SECRET_LEN, "", 0, NOW + 60, tok, sizeof(tok)), 0);
	CHECK_EQ_INT(push_token_make(SECRET, SECRET_LEN, NULL, 0, NOW + 60, tok, sizeof(tok)), 0);
	n = forge((const unsigned char *)"", 0, "1800000000", tok, sizeof(tok));
	CHECK(n > 0 && tok[0] == '.');
	CHECK_EQ_INT(verify_str(tok), PUSH_TOKEN_MALFORMED);

	/* uid containing NUL: make refuses, and a correctly signed one is malformed */
	CHECK_EQ_INT(push_token_make(SECRET, SECRET_LEN, "a\0b", 3, NOW + 60, tok, sizeof(tok)), 0);
	n = forge((const unsigned char *)"a\0b", 3, "1800000000", tok, sizeof(tok));
	CHECK(n > 0);
	CHECK_EQ_INT(verify_str(tok), PUSH_TOKEN_MALFORMED);
	n = forge((const unsigned char *)"\0", 1, "1800000000", tok, sizeof(tok));
	CHECK_EQ_INT(verify_str(tok), PUSH_TOKEN_MALFORMED);
}

static void test_token_make_limits(void)
{
	char tok[PUSH_TOKEN_MAX + 1];
	size_t n;

	n = push_token_make(SECRET, SECRET_LEN, "alice", 5, NOW, tok, sizeof(tok));
	CHECK(n > 0);
	/* exactly len + 1 is enough, len is not */
	CHECK_EQ_INT(push_token_make(SECRET, SECRET_LEN, "alice", 5, NOW, tok, n + 1), n);
	CHECK_EQ_INT(push_token_make(SECRET, SECRET_LEN, "alice", 5, NOW, tok, n), 0);
	CHECK_EQ_INT(push_token_make(SECRET, SECRET_LEN, "alice", 5, NOW, tok, 0), 0);
	CHECK_EQ_INT(push_token_make(SECRET, SECRET_LEN, "alice", 5, NOW, NULL, 100), 0);
	/* no sign in the format */
	CHECK_EQ_INT(push_token_make(SECRET, SECRET_LEN, "alice", 5, -1, tok, sizeof(tok)), 0);
	CHECK_EQ_INT(push_token_make(SECRET, SECRET_LEN, "alice", 5, INT64_MIN, tok, sizeof(tok)), 0);
}

static void test_token_malformed(void)
{
	char good[PUSH_TOKEN_MAX + 1], t[2 * PUSH_TOKEN_MAX + 2];
	const char *sig;
	size_t n, i;
	/* each case is a string verified as-is; all must be PUSH_TOKEN_MALFORMED */
	static const char *cases[] = {
		"",
		".",
		"..",
		"...",
		"abc",
		"YWxpY2U",
		"YWxpY2U.1800000000",
		"YWxpY2U.1800000000.",
		".1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2U..AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2U.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.",
		"YWxpY2U.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.x",
		"YWxpY2U.18000.00000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		/* uid not base64url */
		"YWxpY2U=.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWx+Y2U.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2V.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		/* expiry not canonical digits */
		"YWxpY2U.01800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2U.00.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2U.+1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2U.-1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2U. 1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2U.1800000000 .AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2U.18e8.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2U.0x10.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2U.9223372036854775808.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2U.9999999999999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2U.10000000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2U.18446744073709551617.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		/* signature of the wrong shape */
		"YWxpY2U.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2U.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"YWxpY2U.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
		"YWxpY2U.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB",
		"YWxpY2U.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",
		"YWxpY2U.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	};

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		push_token_status st = verify_str(cases[i]);
		if (st != PUSH_TOKEN_MALFORMED) {
			fprintf(stderr, "    case %zu \"%s\" -> %s\n", i, cases[i], push_token_status_str(st));
		}
		CHECK_EQ_INT(st, PUSH_TOKEN_MALFORMED);
	}

	/* NULL token, zero length */
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, NULL, 0, NOW, NULL, 0, NULL), PUSH_TOKEN_MALFORMED);
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, "x", 0, NOW, NULL, 0, NULL), PUSH_TOKEN_MALFORMED);

	/* a valid token with anything appended or prepended, or a NUL inside */
	n = push_token_make(SECRET, SECRET_LEN, "alice", 5, NOW + 60, good, sizeof(good));
	CHECK(n > 0);
	CHECK_EQ_INT(verify_str(good), PUSH_TOKEN_OK);
	snprintf(t, sizeof(t), "%s ", good);
	CHECK_EQ_INT(verify_str(t), PUSH_TOKEN_MALFORMED);
	snprintf(t, sizeof(t), "%s\n", good);
	CHECK_EQ_INT(verify_str(t), PUSH_TOKEN_MALFORMED);
	snprintf(t, sizeof(t), " %s", good);
	CHECK_EQ_INT(verify_str(t), PUSH_TOKEN_MALFORMED);
	snprintf(t, sizeof(t), "%s=", good);
	CHECK_EQ_INT(verify_str(t), PUSH_TOKEN_MALFORMED);
	snprintf(t, sizeof(t), "%s.", good);
	CHECK_EQ_INT(verify_str(t), PUSH_TOKEN_MALFORMED);
	memcpy(t, good, n + 1);
	t[n] = '\0';
	t[n + 1] = 'A';
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, t, n + 1, NOW, NULL, 0, NULL), PUSH_TOKEN_MALFORMED);
	memcpy(t, good, n + 1);
	t[2] = '\0';
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, t, n, NOW, NULL, 0, NULL), PUSH_TOKEN_MALFORMED);
	/* length shorter than the string: the signature is cut */
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, good, n - 1, NOW, NULL, 0, NULL), PUSH_TOKEN_MALFORMED);

	/* a non-canonical last signature character is malformed, not a signature mismatch */
	sig = strrchr(good, '.') + 1;
	CHECK_EQ_INT(strlen(sig), 43);
	memcpy(t, good, n + 1);
	{
		/* the last of 43 characters carries 2 data bits in its high 4 bits; flip a low bit */
		char *last = t + n - 1;
		static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		int v = (int)(strchr(alpha, *last) - alpha);
		*last = alpha[v ^ 1];
	}
	CHECK_EQ_INT(verify_str(t), PUSH_TOKEN_MALFORMED);

	/* too long: more than PUSH_TOKEN_MAX bytes, even if otherwise shaped right */
	memset(t, 'A', sizeof(t));
	memcpy(t, "YWxpY2U.1800000000.", 19);
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, t, PUSH_TOKEN_MAX + 1, NOW, NULL, 0, NULL),
		PUSH_TOKEN_MALFORMED);
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, t, PUSH_TOKEN_MAX, NOW, NULL, 0, NULL),
		PUSH_TOKEN_MALFORMED);
	/* a uid part one quantum longer than 256 bytes can encode */
	memset(t, 'A', sizeof(t));
	memcpy(t + 344, ".1800000000.", 12);
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, t, 344 + 12 + 43, NOW, NULL, 0, NULL),
		PUSH_TOKEN_MALFORMED);
}

static void test_token_tampered(void)
{
	char tok[PUSH_TOKEN_MAX + 1], t[PUSH_TOKEN_MAX + 1], other[PUSH_TOKEN_MAX + 1];
	char *sig, *dot2;
	size_t n, m, i;
	int not_bad = 0;

	n = push_token_make(SECRET, SECRET_LEN, "alice", 5, NOW + 60, tok, sizeof(tok));
	CHECK_EQ_INT(verify_str(tok), PUSH_TOKEN_OK);

	/* every signature character but the last replaced by another alphabet character */
	sig = strrchr(tok, '.') + 1;
	for (i = 0; i + 1 < strlen(sig); i++) {
		memcpy(t, tok, n + 1);
		t[(size_t)(sig - tok) + i] = sig[i] == 'A' ? 'B' : 'A';
		if (verify_str(t) != PUSH_TOKEN_BAD_SIGNATURE) {
			not_bad++;
		}
	}
	CHECK_EQ_INT(not_bad, 0);

	/* uid changed: "alice" -> "alicf" */
	m = push_token_make(SECRET, SECRET_LEN, "alicf", 5, NOW + 60, other, sizeof(other));
	CHECK_EQ_INT(m, n);
	memcpy(t, other, strchr(other, '.') - other);
	memcpy(t + (strchr(other, '.') - other), strchr(tok, '.'), strlen(strchr(tok, '.')) + 1);
	CHECK(strcmp(t, tok) != 0);
	CHECK_EQ_INT(verify_str(t), PUSH_TOKEN_BAD_SIGNATURE);

	/* expiry extended by one second */
	m = push_token_make(SECRET, SECRET_LEN, "alice", 5, NOW + 61, other, sizeof(other));
	dot2 = strrchr(other, '.');
	memcpy(t, other, (size_t)(dot2 - other));
	strcpy(t + (dot2 - other), strrchr(tok, '.'));
	CHECK_EQ_INT(verify_str(t), PUSH_TOKEN_BAD_SIGNATURE);

	/* the signature of another token */
	m = push_token_make(SECRET, SECRET_LEN, "mallory", 7, NOW + 60, other, sizeof(other));
	CHECK(m > 0);
	memcpy(t, tok, (size_t)(sig - tok));
	strcpy(t + (sig - tok), strrchr(other, '.') + 1);
	CHECK_EQ_INT(verify_str(t), PUSH_TOKEN_BAD_SIGNATURE);

	/* the malformed cases' all-'A' signature is well-formed on its own */
	CHECK_EQ_INT(verify_str("YWxpY2U.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), PUSH_TOKEN_BAD_SIGNATURE);

	/* wrong secret, including a prefix of the right one */
	CHECK_EQ_INT(push_token_verify((const unsigned char *)"wrong", 5, tok, n, NOW, NULL, 0, NULL),
		PUSH_TOKEN_BAD_SIGNATURE);
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN - 1, tok, n, NOW, NULL, 0, NULL),
		PUSH_TOKEN_BAD_SIGNATURE);
}

static void test_token_expiry(void)
{
	char tok[PUSH_TOKEN_MAX + 1], uid[PUSH_UID_MAX + 1], t[PUSH_TOKEN_MAX + 1];
	size_t n, uid_len = 99;
	char *sig;

	n = push_token_make(SECRET, SECRET_LEN, "alice", 5, NOW, tok, sizeof(tok));
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, tok, n, NOW - 1, uid, sizeof(uid), &uid_len), PUSH_TOKEN_OK);
	uid_len = 99;
	memset(uid, 'x', sizeof(uid));
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, tok, n, NOW, uid, sizeof(uid), &uid_len), PUSH_TOKEN_EXPIRED);
	CHECK_EQ_INT(uid_len, 99);
	CHECK(uid[0] == 'x');
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, tok, n, NOW + 1, NULL, 0, NULL), PUSH_TOKEN_EXPIRED);
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, tok, n, INT64_MAX, NULL, 0, NULL), PUSH_TOKEN_EXPIRED);
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, tok, n, INT64_MIN, NULL, 0, NULL), PUSH_TOKEN_OK);

	/* an expired token with a bad signature reports the signature, not the expiry */
	memcpy(t, tok, n + 1);
	sig = strrchr(t, '.') + 1;
	sig[0] = sig[0] == 'A' ? 'B' : 'A';
	CHECK_EQ_INT(push_token_verify(SECRET, SECRET_LEN, t, n, NOW + 1000, NULL, 0, NULL), PUSH_TOKEN_BAD_SIGNATURE);
	CHECK_EQ_INT(push_token_verify((const unsigned char *)"x", 1, tok, n, NOW + 1000, NULL, 0, NULL),
		PUSH_TOKEN_BAD_SIGNATURE);
}

static void test_token_status_str(void)
{
	CHECK_STR(push_token_status_str(PUSH_TOKEN_OK), "ok");
	CHECK_STR(push_token_status_str(PUSH_TOKEN_MALFORMED), "malformed token");
	CHECK_STR(push_token_status_str(PUSH_TOKEN_BAD_SIGNATURE), "bad token signature");
	CHECK_STR(push_token_status_str(PUSH_TOKEN_EXPIRED), "token expired");
	CHECK_STR(push_token_status_str((push_token_status)42), "unknown token status");
}

int main(void)
{
	RUN(test_sha256_fips_vectors);
	RUN(test_sha256_million_a);
	RUN(test_sha256_padding_boundaries);
	RUN(test_sha256_incremental_splits);
	RUN(test_hmac_rfc4231);
	RUN(test_hmac_incremental_and_long_key);
	RUN(test_ct_equal);
	RUN(test_b64url_rfc4648_vectors);
	RUN(test_b64url_round_trip);
	RUN(test_b64url_rejections);
	RUN(test_b64url_capacity);
	RUN(test_token_known_answer);
	RUN(test_token_round_trip);
	RUN(test_token_uid_sizes);
	RUN(test_token_make_limits);
	RUN(test_token_malformed);
	RUN(test_token_tampered);
	RUN(test_token_expiry);
	RUN(test_token_status_str);
	return TEST_SUMMARY();
}
