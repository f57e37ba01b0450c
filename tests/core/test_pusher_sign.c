/*
 * Unit tests for ext/core/pusher/pusher_sign.c: MD5, channel auth and signin signatures,
 * and the checks of signed HTTP API requests, with Pusher's published examples.
 */
#include "test.h"

#include "pusher_sign.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The credentials of Pusher's worked examples (HTTP API reference, auth signatures). */
#define KEY "278d425bdf160c739803"
#define SECRET "7ad3773142a6692b25b8"
#define TS 1353088179
#define EX_BODY "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}"
#define EX_MD5 "ec365a775a4cd0599faeb73354201b6f"
#define EX_SIG "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c"

/* MD5 of a string as hex, in a static buffer. */
static const char *md5s(const void *p, size_t n)
{
	static char buf[PUSH_MD5_HEX_LEN + 1];

	push_md5_hex(p, n, buf);
	return buf;
}

/* Verifies a request at the example's time; returns the reason, "ok" when it passes. */
static const char *verify(const char *method, const char *path, const char *query, const char *body, int64_t now)
{
	const char *reason = NULL;

	if (push_pusher_verify_request(KEY, SECRET, method, path, strlen(path), query, strlen(query), body,
			body ? strlen(body) : 0, now, &reason) == 0) {
		return reason == NULL ? "ok" : "ok but a reason was set";
	}
	return reason ? reason : "(no reason)";
}

/* A query signed the way the SDKs do: the decoded parameters signed, then appended as sig. */
static char *signed_query(const char *method, const char *path, const char *query)
{
	char sig[PUSH_SIGN_HEX_LEN + 1], *str = NULL, *q;
	const char *reason = NULL;
	size_t slen = 0;

	if (push_pusher_string_to_sign(method, path, strlen(path), query, strlen(query), &str, &slen, &reason) != 0) {
		return NULL;
	}
	push_pusher_hmac_hex(SECRET, strlen(SECRET), str, slen, sig);
	free(str);
	q = malloc(strlen(query) + 16 + PUSH_SIGN_HEX_LEN + 1);
	if (q) {
		sprintf(q, "%s&auth_signature=%s", query, sig);
	}
	return q;
}

/* ------------------------------------------------------------------ MD5 */

static void test_md5_rfc1321(void)
{
	/* RFC 1321, A.5 */
	CHECK_STR(md5s("", 0), "d41d8cd98f00b204e9800998ecf8427e");
	CHECK_STR(md5s("a", 1), "0cc175b9c0f1b6a831c399e269772661");
	CHECK_STR(md5s("abc", 3), "900150983cd24fb0d6963f7d28e17f72");
	CHECK_STR(md5s("message digest", 14), "f96b697d7cb7938d525a2f31aaf161d0");
	CHECK_STR(md5s("abcdefghijklmnopqrstuvwxyz", 26), "c3fcd3d76192e4007dfb496cca67e13b");
	CHECK_STR(md5s("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 62),
			"d174ab98d277d9f5a5611c2c9f419d9f");
	CHECK_STR(md5s("1234567890123456789012345678901234567890123456789012345678901234567890123456789"
			"0", 80), "57edf4a22be3c955ac49da2e2107b67a");
}

static void test_md5_padding_boundaries(void)
{
	/* lengths around the 56-byte padding limit and block ends (values from PHP's md5()) */
	static const struct {
		size_t n;
		const char *hex;
	} v[] = {
		{ 55, "ef1772b6dff9a122358552954ad0df65" }, { 56, "3b0c8ac703f828b04c6c197006d17218" },
		{ 57, "652b906d60af96844ebd21b674f35e93" }, { 63, "b06521f39153d618550606be297466d5" },
		{ 64, "014842d480b571495a4a0363793f7367" }, { 65, "c743a45e0d2e6a95cb859adae0248435" },
		{ 119, "8a7bd0732ed6a28ce75f6dabc90e1613" }, { 120, "5f61c0ccad4cac44c75ff505e1f1e537" },
		{ 128, "e510683b3f5ffe4093d021808bc6ff70" }, { 1000, "cabe45dcc9ae5b66ba86600cca6b8ba8" },
		{ 1000000, "7707d6ae4e027c70eea2a935c2296f21" },
	};
	char *a = malloc(1000000);
	size_t i;

	CHECK(a != NULL);
	if (!a) {
		return;
	}
	memset(a, 'a', 1000000);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		CHECK_STR(md5s(a, v[i].n), v[i].hex);
	}
	free(a);
}

static void test_hex(void)
{
	static const unsigned char b[] = { 0x00, 0x0f, 0xa5, 0xff };
	char out[9];

	push_hex(b, sizeof(b), out);
	CHECK_STR(out, "000fa5ff");
	push_hex(b, 0, out);
	CHECK_STR(out, "");
}

/* ------------------------------------------------------------------ channel auth, signin */

static void test_private_auth(void)
{
	const char *parts[] = { "1234.1234", "private-foobar" };
	size_t lens[] = { 9, 14 };
	const char *good = KEY ":58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4";
	char bad[128];
	char hex[PUSH_SIGN_HEX_LEN + 1];

	push_pusher_hmac_hex(SECRET, strlen(SECRET), "1234.1234:private-foobar", 24, hex);
	CHECK_STR(hex, "58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4");
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, good, strlen(good), parts, lens, 2), 1);
	/* one digit changed, one missing, one more, upper case, wrong key, no key, nothing */
	strcpy(bad, good);
	bad[strlen(bad) - 1] = '5';
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, bad, strlen(bad), parts, lens, 2), 0);
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, good, strlen(good) - 1, parts, lens, 2), 0);
	sprintf(bad, "%s4", good);
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, bad, strlen(bad), parts, lens, 2), 0);
	strcpy(bad, KEY ":58DF8B0C36D6982B82C3ECF6B4662E34FE8C25BBA48F5369F135BF843651C3A4");
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, bad, strlen(bad), parts, lens, 2), 0);
	strcpy(bad, "378d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4");
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, bad, strlen(bad), parts, lens, 2), 0);
	strcpy(bad, "58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4");
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, bad, strlen(bad), parts, lens, 2), 0);
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, KEY ":", strlen(KEY) + 1, parts, lens, 2), 0);
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, "", 0, parts, lens, 2), 0);
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, NULL, 0, parts, lens, 2), 0);
	/* another socket, another channel, another secret */
	parts[0] = "1234.1235";
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, good, strlen(good), parts, lens, 2), 0);
	parts[0] = "1234.1234";
	parts[1] = "private-foobaz";
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, good, strlen(good), parts, lens, 2), 0);
	parts[1] = "private-foobar";
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, "7ad3773142a6692b25b9", good, strlen(good), parts, lens, 2), 0);
}

static void test_presence_auth(void)
{
	/* the auth signatures page's presence example, in its two published versions */
	const char *d1 = "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Channels\"}}";
	const char *d2 = "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Pusher\"}}";
	const char *a1 = KEY ":31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80";
	const char *a2 = KEY ":afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c";
	const char *parts[] = { "1234.1234", "presence-foobar", d1 };
	size_t lens[] = { 9, 15, strlen(d1) };

	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, a1, strlen(a1), parts, lens, 3), 1);
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, a2, strlen(a2), parts, lens, 3), 0);
	parts[2] = d2;
	lens[2] = strlen(d2);
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, a2, strlen(a2), parts, lens, 3), 1);
	/* the channel_data is signed byte for byte: a space more is another signature */
	parts[2] = "{\"user_id\":10, \"user_info\":{\"name\":\"Mr. Pusher\"}}";
	lens[2] = strlen(parts[2]);
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, a2, strlen(a2), parts, lens, 3), 0);
	/* without the channel_data it is a private signature, which this is not */
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, a2, strlen(a2), parts, lens, 2), 0);
}

static void test_signin_auth(void)
{
	const char *ud = "{\"id\":\"12345\"}";
	const char *good = KEY ":4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba";
	const char *parts[] = { "1234.1234", "", "user", "", ud };
	size_t lens[] = { 9, 0, 4, 0, strlen(ud) };

	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, good, strlen(good), parts, lens, 5), 1);
	parts[4] = "{\"id\":\"12346\"}";
	CHECK_EQ_INT(push_pusher_auth_ok(KEY, SECRET, good, strlen(good), parts, lens, 5), 0);
}

/* ------------------------------------------------------------------ HTTP API requests */

static void test_worked_example(void)
{
	const char *q = "auth_key=" KEY "&auth_timestamp=1353088179&auth_version=1.0&body_md5=" EX_MD5
			"&auth_signature=" EX_SIG;
	const char *want = "POST\n/apps/3/events\nauth_key=" KEY "&auth_timestamp=1353088179&auth_version=1.0&body_md5="
			EX_MD5;
	const char *reason = NULL;
	char *str = NULL, hex[PUSH_SIGN_HEX_LEN + 1];
	size_t slen = 0;

	CHECK_STR(md5s(EX_BODY, strlen(EX_BODY)), EX_MD5);
	CHECK_EQ_INT(push_pusher_string_to_sign("POST", "/apps/3/events", 14, q, strlen(q), &str, &slen, &reason), 0);
	CHECK_STR(str, want);
	CHECK_EQ_INT(slen, strlen(want));
	if (str) {
		push_pusher_hmac_hex(SECRET, strlen(SECRET), str, slen, hex);
		CHECK_STR(hex, EX_SIG);
	}
	free(str);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "ok");
	/* the parameters in any order, names in any case */
	CHECK_STR(verify("POST", "/apps/3/events", "auth_signature=" EX_SIG "&BODY_MD5=" EX_MD5
			"&auth_version=1.0&Auth_Key=" KEY "&auth_timestamp=1353088179", EX_BODY, TS), "ok");
	/* empty pieces are nothing */
	CHECK_STR(verify("POST", "/apps/3/events", "&&auth_key=" KEY "&auth_timestamp=1353088179&&auth_version=1.0"
			"&body_md5=" EX_MD5 "&auth_signature=" EX_SIG "&", EX_BODY, TS), "ok");
}

static void test_decoded_values(void)
{
	/* the npm SDK sends the values as signed, pusher-php-server (Guzzle) percent-encodes them */
	const char *raw = "auth_key=" KEY "&auth_timestamp=1353088179&auth_version=1.0&filter_by_prefix=presence-"
			"&info=user_count,subscription_count&auth_signature="
			"ff97d40ab3fbbd15394386a29c12998c33635305357b2e2abd18dc67efe3f87d";
	const char *enc = "auth_key=" KEY "&auth_timestamp=1353088179&auth_version=1.0&filter_by_prefix=presence-"
			"&info=user_count%2Csubscription_count&auth_signature="
			"ff97d40ab3fbbd15394386a29c12998c33635305357b2e2abd18dc67efe3f87d";
	/* "name=Something else" of the reference's note on escaping, sent as + and as %20 */
	const char *plus = "auth_key=" KEY "&auth_timestamp=1353088179&auth_version=1.0&body_md5=" EX_MD5
			"&Name=Something+else&auth_signature=64eddb15d600816e5ff95174c704cf119f644599fccd2afd89362d37d2054d9b";
	const char *pct = "auth_key=" KEY "&auth_timestamp=1353088179&auth_version=1.0&body_md5=" EX_MD5
			"&Name=Something%20else&auth_signature=64eddb15d600816e5ff95174c704cf119f644599fccd2afd89362d37d2054d9b";
	char *q;

	CHECK_STR(verify("GET", "/apps/3/channels", raw, NULL, TS), "ok");
	CHECK_STR(verify("GET", "/apps/3/channels", enc, NULL, TS), "ok");
	CHECK_STR(verify("POST", "/apps/3/events", plus, EX_BODY, TS), "ok");
	CHECK_STR(verify("POST", "/apps/3/events", pct, EX_BODY, TS), "ok");
	/* an encoded '&' or '=' belongs to the value */
	q = signed_query("GET", "/apps/3/channels", "auth_key=" KEY "&auth_timestamp=1353088179&auth_version=1.0"
			"&x=a%26b%3Dc");
	CHECK(q != NULL);
	if (q) {
		CHECK_STR(verify("GET", "/apps/3/channels", q, NULL, TS), "ok");
		free(q);
	}
}

static void test_rejections(void)
{
	const char *base = "auth_key=" KEY "&auth_timestamp=1353088179&auth_version=1.0&body_md5=" EX_MD5;
	char q[1024];
	char *s;
	int i;

	/* signature */
	CHECK_STR(verify("POST", "/apps/3/events", base, EX_BODY, TS), "missing auth_signature");
	snprintf(q, sizeof(q), "%s&auth_signature=%.63s5", base, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "invalid signature");
	snprintf(q, sizeof(q), "%s&auth_signature=%.63s", base, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "invalid signature");
	snprintf(q, sizeof(q), "%s&auth_signature=%s0", base, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "invalid signature");
	snprintf(q, sizeof(q), "%s&auth_signature=", base);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "invalid signature");
	snprintf(q, sizeof(q), "%s&auth_signature=DA454824C97BA181A32CCC17A72625BA02771F50B50E1E7430E47A1F3F457E6C", base);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "invalid signature");
	/* the right signature, but over another method, path or parameter set */
	snprintf(q, sizeof(q), "%s&auth_signature=%s", base, EX_SIG);
	CHECK_STR(verify("PUT", "/apps/3/events", q, EX_BODY, TS), "invalid signature");
	CHECK_STR(verify("POST", "/apps/4/events", q, EX_BODY, TS), "invalid signature");
	snprintf(q, sizeof(q), "%s&auth_signature=%s&info=user_count", base, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "invalid signature");
	/* auth_key */
	snprintf(q, sizeof(q), "auth_timestamp=1353088179&auth_version=1.0&body_md5=%s&auth_signature=%s", EX_MD5, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "missing auth_key");
	snprintf(q, sizeof(q), "auth_key=378d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=%s"
			"&auth_signature=%s", EX_MD5, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "auth_key mismatch");
	snprintf(q, sizeof(q), "auth_key=&auth_timestamp=1353088179&auth_version=1.0&body_md5=%s&auth_signature=%s",
			EX_MD5, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "auth_key mismatch");
	/* auth_version */
	snprintf(q, sizeof(q), "auth_key=%s&auth_timestamp=1353088179&body_md5=%s&auth_signature=%s", KEY, EX_MD5, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "missing auth_version");
	snprintf(q, sizeof(q), "auth_key=%s&auth_timestamp=1353088179&auth_version=2.0&body_md5=%s&auth_signature=%s",
			KEY, EX_MD5, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "unsupported auth_version (1.0 only)");
	/* auth_timestamp: missing, malformed, just inside and just outside 600 s either way */
	snprintf(q, sizeof(q), "auth_key=%s&auth_version=1.0&body_md5=%s&auth_signature=%s", KEY, EX_MD5, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "missing auth_timestamp");
	snprintf(q, sizeof(q), "auth_key=%s&auth_timestamp=-1&auth_version=1.0&body_md5=%s&auth_signature=%s", KEY,
			EX_MD5, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "invalid auth_timestamp");
	snprintf(q, sizeof(q), "auth_key=%s&auth_timestamp=1353088179.5&auth_version=1.0&body_md5=%s&auth_signature=%s",
			KEY, EX_MD5, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "invalid auth_timestamp");
	snprintf(q, sizeof(q), "auth_key=%s&auth_timestamp=&auth_version=1.0&body_md5=%s&auth_signature=%s", KEY,
			EX_MD5, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "invalid auth_timestamp");
	snprintf(q, sizeof(q), "auth_key=%s&auth_timestamp=99999999999999999999&auth_version=1.0&body_md5=%s"
			"&auth_signature=%s", KEY, EX_MD5, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "invalid auth_timestamp");
	snprintf(q, sizeof(q), "%s&auth_signature=%s", base, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS + 600), "ok");
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS - 600), "ok");
	CHECK(strncmp(verify("POST", "/apps/3/events", q, EX_BODY, TS + 601), "timestamp expired", 17) == 0);
	CHECK(strncmp(verify("POST", "/apps/3/events", q, EX_BODY, TS - 601), "timestamp expired", 17) == 0);
	/* body_md5: required with a body, checked whenever given */
	snprintf(q, sizeof(q), "auth_key=%s&auth_timestamp=1353088179&auth_version=1.0&auth_signature=%s", KEY, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "missing body_md5");
	snprintf(q, sizeof(q), "%s&auth_signature=%s", base, EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY " ", TS), "body_md5 mismatch");
	CHECK_STR(verify("POST", "/apps/3/events", q, "", TS), "body_md5 mismatch");
	CHECK_STR(verify("POST", "/apps/3/events", q, NULL, TS), "body_md5 mismatch");
	snprintf(q, sizeof(q), "auth_key=%s&auth_timestamp=1353088179&auth_version=1.0&body_md5=%s&auth_signature=%s",
			KEY, "EC365A775A4CD0599FAEB73354201B6F", EX_SIG);
	CHECK_STR(verify("POST", "/apps/3/events", q, EX_BODY, TS), "body_md5 mismatch");
	/* malformed queries */
	CHECK_STR(verify("GET", "/apps/3/channels", "auth_key=%zz", NULL, TS), "malformed query");
	CHECK_STR(verify("GET", "/apps/3/channels", "auth_key=%2", NULL, TS), "malformed query");
	CHECK_STR(verify("GET", "/apps/3/channels", "auth_key=%", NULL, TS), "malformed query");
	CHECK_STR(verify("GET", "/apps/3/channels", "auth_key=a%00b", NULL, TS), "malformed query");
	CHECK_STR(verify("GET", "/apps/3/channels", "=x&auth_key=" KEY, NULL, TS), "malformed query");
	CHECK_STR(verify("GET", "/apps/3/channels", "auth_key=" KEY "&auth_key=" KEY, NULL, TS),
			"duplicate query parameter");
	CHECK_STR(verify("GET", "/apps/3/channels", "info=a&auth_key=" KEY "&INFO=b", NULL, TS),
			"duplicate query parameter");
	s = q;
	for (i = 0; i <= PUSH_PUSHER_QUERY_MAX; i++) {
		s += sprintf(s, "%sp%d=1", i ? "&" : "", i);
	}
	CHECK_STR(verify("GET", "/apps/3/channels", q, NULL, TS), "too many query parameters");
	/* the empty query */
	CHECK_STR(verify("GET", "/apps/3/channels", "", NULL, TS), "missing auth_signature");
}

static void test_signed_round_trip(void)
{
	char *q = signed_query("GET", "/apps/app-id/channels/presence-room", "auth_key=" KEY
			"&auth_timestamp=1353088179&auth_version=1.0&info=user_count");

	CHECK(q != NULL);
	if (!q) {
		return;
	}
	CHECK_STR(verify("GET", "/apps/app-id/channels/presence-room", q, NULL, TS), "ok");
	CHECK_STR(verify("GET", "/apps/app-id/channels/presence-roon", q, NULL, TS), "invalid signature");
	CHECK_STR(verify("POST", "/apps/app-id/channels/presence-room", q, NULL, TS), "invalid signature");
	free(q);
}

static void test_query_get(void)
{
	const char *q = "a=1&Info=user_count%2Csubscription_count&filter_by_prefix=presence-&empty=&bare&sp=x+y";
	char out[64];
	size_t n = 0;

	CHECK_EQ_INT(push_url_query_get(q, strlen(q), "info", out, sizeof(out), &n), 1);
	CHECK_STR(out, "user_count,subscription_count");
	CHECK_EQ_INT(n, 29);
	CHECK_EQ_INT(push_url_query_get(q, strlen(q), "filter_by_prefix", out, sizeof(out), &n), 1);
	CHECK_STR(out, "presence-");
	CHECK_EQ_INT(push_url_query_get(q, strlen(q), "empty", out, sizeof(out), &n), 1);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(push_url_query_get(q, strlen(q), "bare", out, sizeof(out), &n), 1);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(push_url_query_get(q, strlen(q), "sp", out, sizeof(out), &n), 1);
	CHECK_STR(out, "x y");
	CHECK_EQ_INT(push_url_query_get(q, strlen(q), "missing", out, sizeof(out), &n), 0);
	CHECK_EQ_INT(push_url_query_get(q, strlen(q), "info", out, 10, &n), -1);
	CHECK_EQ_INT(push_url_query_get("info=%zz", 8, "info", out, sizeof(out), &n), -1);
	CHECK_EQ_INT(push_url_query_get("", 0, "info", out, sizeof(out), &n), 0);
}

static void test_pct_encode(void)
{
	char out[3 * 16 + 1], back[64], q[128];
	size_t n, vlen = 0;

	n = push_url_encode("a-Z_0.~ ,&=%\xff", 13, out);
	CHECK_STR(out, "a-Z_0.~%20%2C%26%3D%25%FF");
	CHECK_EQ_INT(n, strlen(out));
	sprintf(q, "v=%s", out);
	CHECK_EQ_INT(push_url_query_get(q, strlen(q), "v", back, sizeof(back), &vlen), 1);
	CHECK_EQ_INT(vlen, 13);
	CHECK(memcmp(back, "a-Z_0.~ ,&=%\xff", 13) == 0);
	CHECK_EQ_INT(push_url_encode("", 0, out), 0);
	CHECK_STR(out, "");
}

int main(void)
{
	RUN(test_md5_rfc1321);
	RUN(test_md5_padding_boundaries);
	RUN(test_hex);
	RUN(test_private_auth);
	RUN(test_presence_auth);
	RUN(test_signin_auth);
	RUN(test_worked_example);
	RUN(test_decoded_values);
	RUN(test_rejections);
	RUN(test_signed_round_trip);
	RUN(test_query_get);
	RUN(test_pct_encode);
	return TEST_SUMMARY();
}
