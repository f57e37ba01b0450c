/*
 * Unit tests for ext/core/text/textproto.c: one Text-port line -> push_req.
 *
 * Every line is copied into a heap buffer of exactly its length, without a
 * terminating NUL, so that under ASan a read past the given length is caught.
 * A request may point into its line (plain pushes are read in place), so the
 * copies are kept for a while: the last LIVE_LINES parses stay valid, older
 * ones are wiped and freed. push_req_free() must release everything (LSan).
 */
#include "test.h"

#include "textproto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static push_textparser parser;

#define LIVE_LINES 16
static struct {
	char *p;
	size_t len;
} live[LIVE_LINES];
static unsigned live_next;

/* Wipes and frees the copy in slot i. */
static void live_drop(unsigned i)
{
	if (live[i].p) {
		memset(live[i].p, 0xa5, live[i].len);
		free(live[i].p);
		live[i].p = NULL;
	}
}

static void live_drop_all(void)
{
	unsigned i;

	for (i = 0; i < LIVE_LINES; i++) {
		live_drop(i);
	}
}

/* Parses the first len bytes of s as one line; returns push_text_parse()'s result. */
static int parse_len(const char *s, size_t len, push_req *r, const char **err)
{
	char *copy = malloc(len ? len : 1);
	unsigned slot = live_next++ % LIVE_LINES;

	if (copy == NULL) {
		return -2;
	}
	memcpy(copy, s, len);
	live_drop(slot);
	live[slot].p = copy;
	live[slot].len = len;
	*err = NULL;
	return push_text_parse(&parser, copy, len, r, err);
}

/* For string literals, which may hold NUL bytes. */
#define PARSE(lit, r, err) parse_len((lit), sizeof(lit) - 1, (r), (err))

/* True if s holds exactly the len bytes of want. */
static int str_is(push_str s, const char *want, size_t len)
{
	return s.p != NULL && s.len == len && memcmp(s.p, want, len) == 0;
}

#define STR_IS(s, lit) str_is((s), (lit), sizeof(lit) - 1)

/* True if every field of r is zero, as after a failed parse or push_req_free(). */
static int req_is_empty(const push_req *r)
{
	return r->kind == 0 && r->cmd == NULL && r->uids == NULL && r->nuids == 0 && r->msg.p == NULL
		&& r->msg.len == 0 && r->secret.p == NULL && r->secret.len == 0 && r->root == NULL
		&& r->uid_keep == NULL && r->uid_one.p == NULL && r->uid_one.len == 0 && r->owned == NULL;
}

/* Parses lit, expects failure with reason want, and an empty request. */
static int refused_with(const char *line, size_t len, const char *want)
{
	push_req r;
	const char *err;
	int rc, ok;

	memset(&r, 0x5a, sizeof(r));
	rc = parse_len(line, len, &r, &err);
	ok = rc == -1 && err != NULL && req_is_empty(&r) && (want == NULL || strcmp(err, want) == 0);
	if (!ok) {
		fprintf(stderr, "    line \"%.*s\" (%zu bytes): rc %d, err \"%s\", want \"%s\"\n", (int)len, line, len, rc,
			err ? err : "(null)", want ? want : "(any)");
	}
	push_req_free(&r);
	return ok;
}

#define REFUSED(lit, want) refused_with((lit), sizeof(lit) - 1, (want))

static const char E_JSON[] = "invalid JSON";
static const char E_TRAILING[] = "invalid JSON: trailing characters";
static const char E_EOL[] = "invalid JSON: unexpected end of line";
static const char E_DEPTH[] = "invalid JSON: nested too deeply";
static const char E_OBJECT[] = "expected a JSON object";
static const char E_UID_TYPE[] = "\"uid\" must be a string, an integer or a list of them";
static const char E_UID_EMPTY[] = "\"uid\" must not be empty";
static const char E_LIST_EMPTY[] = "\"uid\" list must not be empty";
static const char E_LIST_LONG[] = "\"uid\" list is too long";
static const char E_MISSING[] = "missing \"uid\"";

/* --------------------------------------------------------------- push lines */

static void test_push_string_uid_string_msg(void)
{
	push_req r;
	const char *err;

	CHECK_EQ_INT(PARSE("{\"uid\":\"alice\",\"msg\":\"hello\"}", &r, &err), 0);
	CHECK_EQ_INT(r.kind, PUSH_REQ_PUSH);
	CHECK_EQ_INT(r.nuids, 1);
	CHECK(r.uids == &r.uid_one);
	CHECK(STR_IS(r.uids[0], "alice"));
	CHECK(STR_IS(r.msg, "hello"));
	CHECK(r.cmd == NULL);
	CHECK(r.secret.p == NULL);
	CHECK(r.uid_keep == NULL);
	push_req_free(&r);
	CHECK(req_is_empty(&r));

	/* a string msg is pushed as its bytes, not re-encoded */
	CHECK_EQ_INT(PARSE("{\"msg\":\"a\\\"b\\\\c\\/d\\n\\u00e9\",\"uid\":\"u\"}", &r, &err), 0);
	CHECK(STR_IS(r.msg, "a\"b\\c/d\n\xc3\xa9"));
	push_req_free(&r);

	/* empty string msg */
	CHECK_EQ_INT(PARSE("{\"uid\":\"u\",\"msg\":\"\"}", &r, &err), 0);
	CHECK_EQ_INT(r.kind, PUSH_REQ_PUSH);
	CHECK(r.msg.p != NULL);
	CHECK_EQ_INT(r.msg.len, 0);
	push_req_free(&r);

	/* white space around tokens and the object, and a trailing CR */
	CHECK_EQ_INT(PARSE(" \t{ \"uid\" : \"u\" ,\t\"msg\" : \"m\" } \t\r", &r, &err), 0);
	CHECK(STR_IS(r.uids[0], "u"));
	CHECK(STR_IS(r.msg, "m"));
	push_req_free(&r);

	/* raw UTF-8 and bytes that are not UTF-8 pass through */
	CHECK_EQ_INT(PARSE("{\"uid\":\"\xe6\x97\xa5\",\"msg\":\"\xff\xfe\"}", &r, &err), 0);
	CHECK(STR_IS(r.uids[0], "\xe6\x97\xa5"));
	CHECK(STR_IS(r.msg, "\xff\xfe"));
	push_req_free(&r);

	/* the last of duplicate keys wins */
	CHECK_EQ_INT(PARSE("{\"uid\":\"a\",\"msg\":\"1\",\"uid\":\"b\",\"msg\":\"2\"}", &r, &err), 0);
	CHECK(STR_IS(r.uids[0], "b"));
	CHECK(STR_IS(r.msg, "2"));
	push_req_free(&r);
}

/* Plain pushes are read in place, without json-c; everything else is not, and means the same. */
static void test_push_in_place(void)
{
	push_req r, j;
	const char *err;
	const char *line = " {\"msg\" : \"hi there\" ,\t\"uid\": -42 } ";
	static const char *general[] = {
		"{\"uid\":\"a\",\"msg\":\"b\\\"c\"}",        /* an escape */
		"{\"uid\":\"a\",\"uid\":\"b\",\"msg\":\"m\"}",  /* a duplicate key */
		"{\"uid\":\"a\",\"msg\":true}",              /* a msg that is neither string nor integer */
		"{\"uid\":1.5,\"msg\":\"m\"}",               /* not an integer uid */
		"{\"uid\":-0,\"msg\":\"m\"}",                /* "-0" reads as 0 */
		"{\"uid\":12345678901234567890,\"msg\":\"m\"}",  /* near the 64-bit edge */
		"{\"uid\":[\"a\"],\"msg\":\"m\"}",            /* a list */
		"{\"uid\":\"a\",\"text\":{}}",              /* a field that is not plain */
		"{\"uid\":\"a\",\"auth\":\"m\"}",             /* a command word */
		"{\"uid\":\"\",\"msg\":\"m\"}",               /* an empty uid */
		"{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"uid\":\"u\",\"msg\":\"m\"}",  /* many keys */
	};
	size_t i;

	CHECK_EQ_INT(parse_len(line, strlen(line), &r, &err), 0);
	CHECK(r.root == NULL);
	CHECK_EQ_INT(r.kind, PUSH_REQ_PUSH);
	CHECK(STR_IS(r.uids[0], "-42"));
	CHECK(STR_IS(r.msg, "hi there"));
	CHECK(r.msg.p >= live[(live_next - 1) % LIVE_LINES].p);
	push_req_free(&r);
	CHECK(req_is_empty(&r));

	/* the recipe's form: "percent" is pushed, read in place; other members are not */
	CHECK_EQ_INT(PARSE("{\"percent\": \"88%\", \"uid\":\"uid1\" ,\"n\":7,\"x\":\"a/b\"}", &r, &err), 0);
	CHECK(r.root == NULL);
	CHECK(r.owned == NULL);
	CHECK(STR_IS(r.uids[0], "uid1"));
	CHECK(STR_IS(r.msg, "88%"));
	push_req_free(&r);
	CHECK(req_is_empty(&r));
	CHECK_EQ_INT(PARSE("{\"uid\":\"u\",\"percent\":-88}", &r, &err), 0);
	CHECK(r.root == NULL);
	CHECK(STR_IS(r.msg, "-88"));
	push_req_free(&r);
	CHECK_EQ_INT(PARSE("{\"uid\":5}", &r, &err), 0);
	CHECK(r.root == NULL);
	CHECK(STR_IS(r.uids[0], "5"));
	CHECK(STR_IS(r.msg, "null"));
	push_req_free(&r);

	/* with "msg", other members are ignored */
	CHECK_EQ_INT(PARSE("{\"uid\":\"u\",\"msg\":\"m\",\"percent\":\"p\"}", &r, &err), 0);
	CHECK(r.root == NULL);
	CHECK(STR_IS(r.msg, "m"));
	push_req_free(&r);

	for (i = 0; i < sizeof(general) / sizeof(general[0]); i++) {
		int rc = parse_len(general[i], strlen(general[i]), &r, &err);
		int rcj = push_text_parse_json(&parser, general[i], strlen(general[i]), &j, &err);

		CHECK_EQ_INT(rc, rcj);
		if (rc == 0) {
			CHECK(r.root != NULL);
			CHECK_EQ_INT(r.nuids, j.nuids);
			CHECK(r.msg.len == j.msg.len && memcmp(r.msg.p, j.msg.p, r.msg.len) == 0);
		}
		push_req_free(&r);
		push_req_free(&j);
	}
}

static void test_push_int_uid(void)
{
	static const struct {
		const char *line;  /* input */
		const char *uid;   /* expected uid text */
	} v[] = {
		{ "{\"uid\":42,\"msg\":\"m\"}", "42" },
		{ "{\"uid\":0,\"msg\":\"m\"}", "0" },
		{ "{\"uid\":-7,\"msg\":\"m\"}", "-7" },
		{ "{\"uid\":9223372036854775807,\"msg\":\"m\"}", "9223372036854775807" },
		{ "{\"uid\":-9223372036854775808,\"msg\":\"m\"}", "-9223372036854775808" },
		{ "{\"uid\":9223372036854775808,\"msg\":\"m\"}", "9223372036854775808" },
		{ "{\"uid\":18446744073709551615,\"msg\":\"m\"}", "18446744073709551615" },
	};
	push_req r;
	const char *err;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int rc = parse_len(v[i].line, strlen(v[i].line), &r, &err);

		CHECK_EQ_INT(rc, 0);
		if (rc != 0) {
			fprintf(stderr, "    %s: %s\n", v[i].line, err);
			continue;
		}
		CHECK_EQ_INT(r.kind, PUSH_REQ_PUSH);
		CHECK_EQ_INT(r.nuids, 1);
		CHECK(str_is(r.uids[0], v[i].uid, strlen(v[i].uid)));
		CHECK(STR_IS(r.msg, "m"));
		push_req_free(&r);
	}

	/* uid 42 and "42" name the same user */
	CHECK_EQ_INT(PARSE("{\"uid\":\"42\",\"msg\":\"m\"}", &r, &err), 0);
	CHECK(STR_IS(r.uids[0], "42"));
	push_req_free(&r);
}

/*
 * An integer uid is the user named by its text. Integers outside the 64-bit
 * ranges must not silently become another user's uid (json-c clamps them to
 * INT64_MIN / UINT64_MAX): refusing them, or keeping their text, are both fine.
 */
static void test_push_int_uid_out_of_range(void)
{
	static const char *lines[] = {
		"{\"uid\":18446744073709551616,\"msg\":\"m\"}",
		"{\"uid\":99999999999999999999,\"msg\":\"m\"}",
		"{\"uid\":-9223372036854775809,\"msg\":\"m\"}",
		"{\"uid\":[\"a\",99999999999999999999],\"msg\":\"m\"}",
	};
	static const char *texts[] = {
		"18446744073709551616",
		"99999999999999999999",
		"-9223372036854775809",
		"99999999999999999999",
	};
	push_req r;
	const char *err;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		int rc = parse_len(lines[i], strlen(lines[i]), &r, &err);

		if (rc == 0) {
			push_str last = r.uids[r.nuids - 1];
			int kept = str_is(last, texts[i], strlen(texts[i]));

			if (!kept) {
				fprintf(stderr, "    %s -> uid \"%.*s\"\n", lines[i], (int)last.len, last.p);
			}
			CHECK(kept);
		} else {
			CHECK_STR(err, "\"uid\" integer out of range: send it as a string");
		}
		push_req_free(&r);
	}
}

static void test_push_uid_list(void)
{
	push_req r;
	const char *err;

	CHECK_EQ_INT(PARSE("{\"uid\":[\"a\",2,\"c\",\"a\"],\"msg\":\"m\"}", &r, &err), 0);
	CHECK_EQ_INT(r.kind, PUSH_REQ_PUSH);
	CHECK_EQ_INT(r.nuids, 4);
	CHECK(r.uids != NULL && r.uids != &r.uid_one);
	if (r.nuids == 4) {
		CHECK(STR_IS(r.uids[0], "a"));
		CHECK(STR_IS(r.uids[1], "2"));
		CHECK(STR_IS(r.uids[2], "c"));
		CHECK(STR_IS(r.uids[3], "a"));   /* duplicates are kept; the caller de-duplicates */
	}
	CHECK(STR_IS(r.msg, "m"));
	push_req_free(&r);
	CHECK(req_is_empty(&r));

	/* a list of one is still a list */
	CHECK_EQ_INT(PARSE("{\"uid\":[\"solo\"],\"msg\":\"m\"}", &r, &err), 0);
	CHECK_EQ_INT(r.nuids, 1);
	CHECK(STR_IS(r.uids[0], "solo"));
	push_req_free(&r);
}

static void test_push_uid_refused(void)
{
	CHECK(REFUSED("{\"uid\":\"\",\"msg\":\"m\"}", E_UID_EMPTY));
	CHECK(REFUSED("{\"uid\":[],\"msg\":\"m\"}", E_LIST_EMPTY));
	CHECK(REFUSED("{\"uid\":[\"\"],\"msg\":\"m\"}", E_UID_EMPTY));
	CHECK(REFUSED("{\"uid\":[\"a\",\"\"],\"msg\":\"m\"}", E_UID_EMPTY));
	CHECK(REFUSED("{\"uid\":1.5,\"msg\":\"m\"}", E_UID_TYPE));
	CHECK(REFUSED("{\"uid\":1e3,\"msg\":\"m\"}", E_UID_TYPE));
	CHECK(REFUSED("{\"uid\":true,\"msg\":\"m\"}", E_UID_TYPE));
	CHECK(REFUSED("{\"uid\":null,\"msg\":\"m\"}", E_UID_TYPE));
	CHECK(REFUSED("{\"uid\":{},\"msg\":\"m\"}", E_UID_TYPE));
	CHECK(REFUSED("{\"uid\":{\"a\":\"b\"},\"msg\":\"m\"}", E_UID_TYPE));
	CHECK(REFUSED("{\"uid\":[[\"a\"]],\"msg\":\"m\"}", E_UID_TYPE));
	CHECK(REFUSED("{\"uid\":[\"a\",null],\"msg\":\"m\"}", E_UID_TYPE));
	CHECK(REFUSED("{\"uid\":[\"a\",2.0],\"msg\":\"m\"}", E_UID_TYPE));
	CHECK(REFUSED("{\"uid\":[\"a\",{}],\"msg\":\"m\"}", E_UID_TYPE));
	/* the same without "msg" */
	CHECK(REFUSED("{\"uid\":\"\"}", E_UID_EMPTY));
	CHECK(REFUSED("{\"uid\":[]}", E_LIST_EMPTY));
	CHECK(REFUSED("{\"uid\":false,\"x\":1}", E_UID_TYPE));
	/* no uid at all */
	CHECK(REFUSED("{}", E_MISSING));
	CHECK(REFUSED("{\"msg\":\"m\"}", E_MISSING));
	CHECK(REFUSED("{\"UID\":\"a\",\"msg\":\"m\"}", E_MISSING));
	CHECK(REFUSED("{\"uid \":\"a\"}", E_MISSING));
}

/* Builds <head>1,2,...,9,1,...],"msg":"m"} with n uids; head ends with the opening '['. */
static char *uid_list_line(const char *head, size_t n, size_t *len)
{
	static const char tail[] = "],\"msg\":\"m\"}";
	size_t hlen = strlen(head), o, i;
	char *s = malloc(hlen + 2 * n + sizeof(tail));

	if (s == NULL) {
		return NULL;
	}
	memcpy(s, head, hlen);
	o = hlen;
	for (i = 0; i < n; i++) {
		if (i) {
			s[o++] = ',';
		}
		s[o++] = (char)('1' + i % 9);
	}
	memcpy(s + o, tail, sizeof(tail) - 1);
	o += sizeof(tail) - 1;
	*len = o;
	return s;
}

static void test_push_uid_list_limit(void)
{
	push_req r;
	const char *err;
	size_t len, i;
	char *s;
	int bad = 0;

	s = uid_list_line("{\"uid\":[", PUSH_MAX_UIDS, &len);
	CHECK(s != NULL);
	if (s == NULL) {
		return;
	}
	CHECK_EQ_INT(parse_len(s, len, &r, &err), 0);
	CHECK_EQ_INT(r.nuids, PUSH_MAX_UIDS);
	for (i = 0; i < r.nuids; i++) {
		if (r.uids[i].len != 1 || r.uids[i].p[0] != (char)('1' + i % 9)) {
			bad++;
		}
	}
	CHECK_EQ_INT(bad, 0);
	push_req_free(&r);
	free(s);

	s = uid_list_line("{\"uid\":[", PUSH_MAX_UIDS + 1, &len);
	CHECK(s != NULL);
	if (s == NULL) {
		return;
	}
	CHECK(refused_with(s, len, E_LIST_LONG));
	free(s);

	/* the same limit in a command and in the recipe form */
	s = uid_list_line("{\"cmd\":\"c\",\"uid\":[", PUSH_MAX_UIDS + 1, &len);
	CHECK(s != NULL);
	if (s != NULL) {
		CHECK(refused_with(s, len, E_LIST_LONG));
		free(s);
	}
	s = uid_list_line("{\"x\":1,\"uid\":[", PUSH_MAX_UIDS + 1, &len);
	CHECK(s != NULL);
	if (s != NULL) {
		memcpy(s + len - 11, ",\"y\":\"abc\"}", 11);   /* ,"msg":"m"} -> ,"y":"abc"} */
		CHECK(refused_with(s, len, E_LIST_LONG));
		free(s);
	}
}

static void test_push_recipe_form(void)
{
	push_req r;
	const char *err;
	static const struct {
		const char *line, *msg;
	} cases[] = {
		/* what the recipe's push.php sends for $data['percent'], read by a real Workerman */
		{"{\"uid\":\"uid1\",\"percent\":\"88%\"}", "88%"},
		{"{\"uid\":\"uid1\",\"percent\":\"a\\\"b\\\\c\\/d\\u00e9\"}", "a\"b\\c/d\xc3\xa9"},
		{"{\"uid\":\"uid1\",\"percent\":\"\"}", ""},
		{"{\"uid\":\"uid1\",\"percent\":88}", "88"},
		{"{\"uid\":\"uid1\",\"percent\":-5}", "-5"},
		{"{\"uid\":\"uid1\",\"percent\":-0}", "0"},
		{"{\"uid\":\"uid1\",\"percent\":88.5}", "88.5"},
		{"{\"uid\":\"uid1\",\"percent\":1.0}", "1"},
		{"{\"uid\":\"uid1\",\"percent\":-0.0}", "-0"},
		{"{\"uid\":\"uid1\",\"percent\":1e20}", "1.0E+20"},
		{"{\"uid\":\"uid1\",\"percent\":1.5e-7}", "1.5E-7"},
		{"{\"uid\":\"uid1\",\"percent\":0.0001}", "0.0001"},
		{"{\"uid\":\"uid1\",\"percent\":0.30000000000000004}", "0.3"},
		{"{\"uid\":\"uid1\",\"percent\":100000000000000}", "100000000000000"},
		{"{\"uid\":\"uid1\",\"percent\":100000000000000.0}", "1.0E+14"},
		{"{\"uid\":\"uid1\",\"percent\":12345678901234.56}", "12345678901235"},
		{"{\"uid\":\"uid1\",\"percent\":18446744073709551615}", "1.844674407371E+19"},
		{"{\"uid\":\"uid1\",\"percent\":true}", "1"},
		{"{\"uid\":\"uid1\",\"percent\":false}", ""},
		{"{\"uid\":\"uid1\",\"percent\":null}", "null"},
		{"{\"uid\":\"uid1\"}", "null"},
		{"{\"uid\":\"uid1\",\"percent\":[1,\"a/b\",\"\\u00e9\"]}", "[1,\"a\\/b\",\"\xc3\xa9\"]"},
		{"{\"uid\":\"uid1\",\"percent\":{\"a\":1,\"b\":\"x/y\"}}", "{\"a\":1,\"b\":\"x\\/y\"}"},
		{"{\"uid\":\"uid1\",\"percent\":{}}", "[]"},
		{"{\"uid\":\"uid1\",\"percent\":[]}", "[]"},
		{"{\"uid\":\"uid1\",\"percent\":\"50%\",\"task\":\"t1\"}", "50%"},
		{"{ \"task\" : [ {} ] , \"percent\" : \"7\" , \"uid\" : 9 }", "7"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_EQ_INT(parse_len(cases[i].line, strlen(cases[i].line), &r, &err), 0);
		CHECK_EQ_INT(r.kind, PUSH_REQ_PUSH);
		CHECK_EQ_INT(r.nuids, 1);
		CHECK(str_is(r.msg, cases[i].msg, strlen(cases[i].msg)));
		if (!str_is(r.msg, cases[i].msg, strlen(cases[i].msg))) {
			fprintf(stderr, "  line %s: got \"%.*s\", want \"%s\"\n", cases[i].line, (int)r.msg.len, r.msg.p ? r.msg.p : "", cases[i].msg);
		}
		push_req_free(&r);
		CHECK(req_is_empty(&r));
	}

	/* PHP would have a float of a number past 64 bits; json-c has clamped it */
	CHECK(REFUSED("{\"uid\":\"u\",\"percent\":99999999999999999999}", "\"percent\" number out of range: send it as a string"));
	CHECK(REFUSED("{\"uid\":\"u\",\"percent\":-99999999999999999999}", "\"percent\" number out of range: send it as a string"));

	/* the uid of the recipe's form: integer, list */
	CHECK_EQ_INT(PARSE("{\"uid\":1234567,\"type\":\"t\"}", &r, &err), 0);
	CHECK(STR_IS(r.uids[0], "1234567"));
	CHECK(STR_IS(r.msg, "null"));
	push_req_free(&r);
	CHECK_EQ_INT(PARSE("{\"type\":\"t\",\"uid\":[\"long-uid-string\",77],\"percent\":3}", &r, &err), 0);
	CHECK_EQ_INT(r.nuids, 2);
	if (r.nuids == 2) {
		CHECK(STR_IS(r.uids[0], "long-uid-string"));
		CHECK(STR_IS(r.uids[1], "77"));
	}
	CHECK(STR_IS(r.msg, "3"));
	push_req_free(&r);

	/* duplicate keys: the last wins */
	CHECK_EQ_INT(PARSE("{\"uid\":\"a\",\"percent\":1,\"uid\":\"b\",\"percent\":\"2\"}", &r, &err), 0);
	CHECK(STR_IS(r.uids[0], "b"));
	CHECK(STR_IS(r.msg, "2"));
	push_req_free(&r);

	/* "auth" next to "uid" is an ordinary field of a push */
	CHECK_EQ_INT(PARSE("{\"auth\":\"s\",\"uid\":\"u\"}", &r, &err), 0);
	CHECK_EQ_INT(r.kind, PUSH_REQ_PUSH);
	CHECK(STR_IS(r.uids[0], "u"));
	CHECK(STR_IS(r.msg, "null"));
	CHECK(r.secret.p == NULL);
	push_req_free(&r);
}

static void test_push_msg_json_encoded(void)
{
	static const struct {
		const char *line;  /* input */
		const char *msg;   /* expected message */
	} v[] = {
		{ "{\"uid\":\"u\",\"msg\":{\"a\":1,\"b\":[true,false,null]}}", "{\"a\":1,\"b\":[true,false,null]}" },
		{ "{\"uid\":\"u\",\"msg\": { \"a\" : [ 1 , 2 ] , \"c\" : { } } }", "{\"a\":[1,2],\"c\":{}}" },
		{ "{\"uid\":\"u\",\"msg\":{\"url\":\"http:\\/\\/example.com\\/a\\/b\"}}", "{\"url\":\"http://example.com/a/b\"}" },
		{ "{\"uid\":\"u\",\"msg\":[\"a/b\",\"</script>\"]}", "[\"a/b\",\"</script>\"]" },
		{ "{\"uid\":\"u\",\"msg\":12}", "12" },
		{ "{\"uid\":\"u\",\"msg\":-3}", "-3" },
		{ "{\"uid\":\"u\",\"msg\":1.50}", "1.50" },
		{ "{\"uid\":\"u\",\"msg\":true}", "true" },
		{ "{\"uid\":\"u\",\"msg\":false}", "false" },
		{ "{\"uid\":\"u\",\"msg\":null}", "null" },
		{ "{\"uid\":\"u\",\"msg\":[]}", "[]" },
		{ "{\"uid\":\"u\",\"msg\":{}}", "{}" },
		{ "{\"uid\":\"u\",\"msg\":{\"q\":\"\\\"\\\\\\n\\t\\u0001\"}}", "{\"q\":\"\\\"\\\\\\n\\t\\u0001\"}" },
		{ "{\"uid\":\"u\",\"msg\":{\"e\":\"\\u00e9\xe6\x97\xa5\"}}", "{\"e\":\"\xc3\xa9\xe6\x97\xa5\"}" },
	};
	push_req r;
	const char *err;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int rc = parse_len(v[i].line, strlen(v[i].line), &r, &err);
		int ok;

		CHECK_EQ_INT(rc, 0);
		if (rc != 0) {
			fprintf(stderr, "    %s: %s\n", v[i].line, err);
			continue;
		}
		CHECK_EQ_INT(r.kind, PUSH_REQ_PUSH);
		ok = str_is(r.msg, v[i].msg, strlen(v[i].msg));
		if (!ok) {
			fprintf(stderr, "    %s -> msg %.*s\n", v[i].line, (int)r.msg.len, r.msg.p);
		}
		CHECK(ok);
		push_req_free(&r);
	}
}

static void test_nul_bytes(void)
{
	push_req r;
	const char *err;

	/* an escaped NUL in a string msg keeps the full length */
	CHECK_EQ_INT(PARSE("{\"uid\":\"u\",\"msg\":\"x\\u0000y\"}", &r, &err), 0);
	CHECK_EQ_INT(r.msg.len, 3);
	CHECK(STR_IS(r.msg, "x\0y"));
	push_req_free(&r);

	CHECK_EQ_INT(PARSE("{\"uid\":\"u\",\"msg\":\"\\u0000\\u0000ab\\u0000\"}", &r, &err), 0);
	CHECK(STR_IS(r.msg, "\0\0ab\0"));
	push_req_free(&r);

	/* but not in a uid, alone or in a list: no WebSocket client can have such a uid */
	CHECK_EQ_INT(PARSE("{\"uid\":\"a\\u0000b\",\"msg\":\"m\"}", &r, &err), -1);
	CHECK(strcmp(err, "\"uid\" must not contain a NUL byte") == 0);
	push_req_free(&r);
	CHECK_EQ_INT(PARSE("{\"uid\":[\"a\",\"\\u0000\"],\"msg\":\"m\"}", &r, &err), -1);
	CHECK(strcmp(err, "\"uid\" must not contain a NUL byte") == 0);
	push_req_free(&r);

	/* a JSON-encoded msg escapes it again */
	CHECK_EQ_INT(PARSE("{\"uid\":\"u\",\"msg\":{\"s\":\"x\\u0000y\"}}", &r, &err), 0);
	CHECK(STR_IS(r.msg, "{\"s\":\"x\\u0000y\"}"));
	push_req_free(&r);
	CHECK_EQ_INT(PARSE("{\"uid\":\"u\",\"percent\":[\"x\\u0000y\"]}", &r, &err), 0);
	CHECK(STR_IS(r.msg, "[\"x\\u0000y\"]"));
	push_req_free(&r);
	CHECK_EQ_INT(PARSE("{\"uid\":\"u\",\"percent\":\"x\\u0000y\"}", &r, &err), 0);
	CHECK(STR_IS(r.msg, "x\0y"));
	push_req_free(&r);

	/* the secret too */
	CHECK_EQ_INT(PARSE("{\"auth\":\"se\\u0000cret\"}", &r, &err), 0);
	CHECK_EQ_INT(r.kind, PUSH_REQ_AUTH);
	CHECK(STR_IS(r.secret, "se\0cret"));
	push_req_free(&r);

	/* raw NUL bytes in the line are refused wherever they are */
	CHECK(REFUSED("{\"uid\":\"u\",\"msg\":\"x\0y\"}", NULL));
	CHECK(REFUSED("{\"uid\":\"u\0\",\"msg\":\"m\"}", NULL));
	CHECK(REFUSED("{\"uid\":\"u\",\0\"msg\":\"m\"}", NULL));
	CHECK(REFUSED("\0{\"uid\":\"u\",\"msg\":\"m\"}", NULL));
	CHECK(REFUSED("{\"uid\":\"u\",\"msg\":\"m\"}\0", E_TRAILING));
	CHECK(REFUSED("\0", NULL));
}

/* ------------------------------------------------------------------ commands */

static void test_cmd(void)
{
	push_req r;
	const char *err;

	CHECK_EQ_INT(PARSE("{\"cmd\":\"isUidOnline\"}", &r, &err), 0);
	CHECK_EQ_INT(r.kind, PUSH_REQ_CMD);
	CHECK_STR(r.cmd, "isUidOnline");
	CHECK(r.uids == NULL);
	CHECK_EQ_INT(r.nuids, 0);
	CHECK(r.msg.p == NULL);
	CHECK(r.root != NULL);
	push_req_free(&r);
	CHECK(req_is_empty(&r));

	/* with a uid, a uid list and a msg; other fields stay in root */
	CHECK_EQ_INT(PARSE("{\"cmd\":\"sendToGroup\",\"uid\":[\"a\",5],\"msg\":{\"k\":\"a/b\"},\"group\":\"g\"}", &r, &err), 0);
	CHECK_EQ_INT(r.kind, PUSH_REQ_CMD);
	CHECK_STR(r.cmd, "sendToGroup");
	CHECK_EQ_INT(r.nuids, 2);
	if (r.nuids == 2) {
		CHECK(STR_IS(r.uids[0], "a"));
		CHECK(STR_IS(r.uids[1], "5"));
	}
	CHECK(STR_IS(r.msg, "{\"k\":\"a/b\"}"));
	{
		json_object *g;

		CHECK(json_object_object_get_ex(r.root, "group", &g));
		CHECK_STR(json_object_get_string(g), "g");
		CHECK(json_object_object_get_ex(r.root, "uid", NULL));
	}
	push_req_free(&r);

	CHECK_EQ_INT(PARSE("{\"cmd\":\"x\",\"uid\":\"one\",\"msg\":\"text\"}", &r, &err), 0);
	CHECK_EQ_INT(r.nuids, 1);
	CHECK(r.uids == &r.uid_one);
	CHECK(STR_IS(r.uids[0], "one"));
	CHECK(STR_IS(r.msg, "text"));
	push_req_free(&r);

	/* a command's msg may be null or a number */
	CHECK_EQ_INT(PARSE("{\"cmd\":\"x\",\"msg\":null}", &r, &err), 0);
	CHECK(STR_IS(r.msg, "null"));
	push_req_free(&r);

	/* "cmd" wins over "auth" and over a push */
	CHECK_EQ_INT(PARSE("{\"auth\":\"s\",\"cmd\":\"c\"}", &r, &err), 0);
	CHECK_EQ_INT(r.kind, PUSH_REQ_CMD);
	CHECK(r.secret.p == NULL);
	push_req_free(&r);
	CHECK_EQ_INT(PARSE("{\"uid\":\"u\",\"cmd\":\"c\",\"percent\":1}", &r, &err), 0);
	CHECK_EQ_INT(r.kind, PUSH_REQ_CMD);
	CHECK_STR(r.cmd, "c");
	CHECK(r.msg.p == NULL);
	push_req_free(&r);

	/* an empty command name is the caller's to refuse */
	CHECK_EQ_INT(PARSE("{\"cmd\":\"\"}", &r, &err), 0);
	CHECK_EQ_INT(r.kind, PUSH_REQ_CMD);
	CHECK_STR(r.cmd, "");
	push_req_free(&r);
}

static void test_cmd_refused(void)
{
	static const char E_CMD[] = "\"cmd\" must be a string";

	CHECK(REFUSED("{\"cmd\":1}", E_CMD));
	CHECK(REFUSED("{\"cmd\":null}", E_CMD));
	CHECK(REFUSED("{\"cmd\":true}", E_CMD));
	CHECK(REFUSED("{\"cmd\":[\"x\"]}", E_CMD));
	CHECK(REFUSED("{\"cmd\":{\"x\":1}}", E_CMD));
	CHECK(REFUSED("{\"cmd\":1,\"uid\":\"u\",\"msg\":\"m\"}", E_CMD));
	/* a command's uid is checked like a push's */
	CHECK(REFUSED("{\"cmd\":\"x\",\"uid\":\"\"}", E_UID_EMPTY));
	CHECK(REFUSED("{\"cmd\":\"x\",\"uid\":[]}", E_LIST_EMPTY));
	CHECK(REFUSED("{\"cmd\":\"x\",\"uid\":[\"a\",1.5]}", E_UID_TYPE));
	CHECK(REFUSED("{\"cmd\":\"x\",\"uid\":null}", E_UID_TYPE));
}

/* ---------------------------------------------------------------------- auth */

static void test_auth(void)
{
	push_req r;
	const char *err;

	CHECK_EQ_INT(PARSE("{\"auth\":\"s3cret\"}", &r, &err), 0);
	CHECK_EQ_INT(r.kind, PUSH_REQ_AUTH);
	CHECK(STR_IS(r.secret, "s3cret"));
	CHECK(r.uids == NULL);
	CHECK_EQ_INT(r.nuids, 0);
	CHECK(r.msg.p == NULL);
	CHECK(r.cmd == NULL);
	push_req_free(&r);
	CHECK(req_is_empty(&r));

	/* other fields are ignored; an empty secret is parsed, the caller compares */
	CHECK_EQ_INT(PARSE("{\"x\":1,\"auth\":\"\"}", &r, &err), 0);
	CHECK_EQ_INT(r.kind, PUSH_REQ_AUTH);
	CHECK(r.secret.p != NULL);
	CHECK_EQ_INT(r.secret.len, 0);
	push_req_free(&r);

	CHECK(REFUSED("{\"auth\":1}", "\"auth\" must be a string"));
	CHECK(REFUSED("{\"auth\":null}", "\"auth\" must be a string"));
	CHECK(REFUSED("{\"auth\":[\"s\"]}", "\"auth\" must be a string"));
	/* with a uid it is a push, whose uid must be valid */
	CHECK(REFUSED("{\"auth\":\"s\",\"uid\":\"\"}", E_UID_EMPTY));
}

/* ----------------------------------------------------------- malformed lines */

static void test_invalid_json(void)
{
	push_req r;
	const char *err;

	CHECK(refused_with("", 0, "empty line"));
	CHECK(REFUSED("{", E_EOL));
	CHECK(REFUSED("{\"uid\":\"a\"", E_EOL));
	CHECK(REFUSED("{\"uid\":\"a", E_EOL));
	CHECK(REFUSED("{\"uid\":[\"a\",", E_EOL));
	CHECK(REFUSED("   ", E_EOL));
	CHECK(REFUSED("nope", E_JSON));
	CHECK(REFUSED("{uid:\"a\"}", E_JSON));
	CHECK(REFUSED("{\"uid\" \"a\"}", E_JSON));
	CHECK(REFUSED("{\"uid\":\"a\"]", E_JSON));
	CHECK(REFUSED("}", E_JSON));
	CHECK(REFUSED("{\"uid\":\"\\x41\"}", E_JSON));
	CHECK(REFUSED("{\"uid\":\"a\",\"msg\":tru}", E_JSON));
	/* JSON that is not an object */
	CHECK(REFUSED("[1,2]", E_OBJECT));
	CHECK(REFUSED("\"uid\"", E_OBJECT));
	CHECK(REFUSED("42 ", E_OBJECT));
	CHECK(REFUSED("true ", E_OBJECT));
	CHECK(REFUSED("true", E_EOL));    /* a literal at the end could still go on */
	CHECK(REFUSED("[{\"uid\":\"a\",\"msg\":\"m\"}]", E_OBJECT));
	CHECK(REFUSED("null", NULL));

	/* only the given length is parsed */
	{
		static const char two[] = "{\"uid\":\"a\",\"msg\":\"m\"}garbage";

		CHECK_EQ_INT(parse_len(two, 21, &r, &err), 0);
		CHECK(STR_IS(r.msg, "m"));
		push_req_free(&r);
		CHECK(refused_with(two, 20, E_EOL));
		CHECK(refused_with(two, sizeof(two) - 1, E_TRAILING));
	}
}

static void test_trailing(void)
{
	push_req r;
	const char *err;

	CHECK(REFUSED("{\"uid\":\"a\",\"msg\":\"m\"} x", E_TRAILING));
	CHECK(REFUSED("{\"uid\":\"a\",\"msg\":\"m\"}x", E_TRAILING));
	CHECK(REFUSED("{\"uid\":\"a\",\"msg\":\"m\"}{}", E_TRAILING));
	CHECK(REFUSED("{\"uid\":\"a\",\"msg\":\"m\"}{\"uid\":\"b\",\"msg\":\"n\"}", E_TRAILING));
	CHECK(REFUSED("{\"uid\":\"a\",\"msg\":\"m\"}]", E_TRAILING));
	CHECK(REFUSED("{\"uid\":\"a\",\"msg\":\"m\"}}", E_TRAILING));
	CHECK(REFUSED("{\"uid\":\"a\",\"msg\":\"m\"},", E_TRAILING));
	CHECK(REFUSED("{\"uid\":\"a\",\"msg\":\"m\"}\r x", E_TRAILING));
	CHECK(REFUSED("{\"uid\":\"a\",\"msg\":\"m\"} \f", E_TRAILING));
	CHECK(REFUSED("{\"uid\":\"a\",\"msg\":\"m\"}1", E_TRAILING));
	CHECK(REFUSED("{\"cmd\":\"c\"} x", E_TRAILING));
	CHECK(REFUSED("{\"auth\":\"s\"}\"", E_TRAILING));

	/* blanks and CRs after the object are fine */
	CHECK_EQ_INT(PARSE("{\"uid\":\"a\",\"msg\":\"m\"}   ", &r, &err), 0);
	push_req_free(&r);
	CHECK_EQ_INT(PARSE("{\"uid\":\"a\",\"msg\":\"m\"}\t\r\r", &r, &err), 0);
	push_req_free(&r);
	CHECK_EQ_INT(PARSE("{\"uid\":\"a\",\"msg\":\"m\"}\r", &r, &err), 0);
	CHECK(STR_IS(r.msg, "m"));
	push_req_free(&r);
}

/*
 * Builds {"uid":"a","msg":...} nesting `levels` containers in all, the outer
 * object included: arrays or {"k":...} objects, the innermost one empty or
 * holding the scalar 1. json-c counts a scalar as one more level.
 */
static size_t nested_line(char *buf, int levels, int objects, int leaf)
{
	size_t o;
	int i;

	o = (size_t)sprintf(buf, "{\"uid\":\"a\",\"msg\":");
	for (i = 1; i < levels; i++) {
		if (objects && (i + 1 < levels || leaf)) {
			memcpy(buf + o, "{\"k\":", 5);
			o += 5;
		} else {
			buf[o++] = objects ? '{' : '[';
		}
	}
	if (leaf) {
		buf[o++] = '1';
	}
	for (i = 1; i < levels; i++) {
		buf[o++] = objects ? '}' : ']';
	}
	buf[o++] = '}';
	return o;
}

static void test_nesting_depth(void)
{
	char buf[1024];
	push_req r;
	const char *err;
	size_t n;
	int objects, leaf;

	for (objects = 0; objects <= 1; objects++) {
		for (leaf = 0; leaf <= 1; leaf++) {
			/* 32 levels in all are accepted, 33 are not */
			n = nested_line(buf, 32 - leaf, objects, leaf);
			CHECK_EQ_INT(parse_len(buf, n, &r, &err), 0);
			CHECK_EQ_INT(r.kind, PUSH_REQ_PUSH);
			/* the message is the input minus the outer object */
			CHECK(r.msg.len == n - 18 && memcmp(r.msg.p, buf + 17, n - 18) == 0);
			push_req_free(&r);

			n = nested_line(buf, 33 - leaf, objects, leaf);
			CHECK(refused_with(buf, n, E_DEPTH));
			n = nested_line(buf, 100, objects, leaf);
			CHECK(refused_with(buf, n, E_DEPTH));
		}
	}

	/* very deep input does not recurse without bound */
	memset(buf, '[', sizeof(buf));
	CHECK(refused_with(buf, sizeof(buf), E_DEPTH));
	memset(buf, '{', sizeof(buf));
	CHECK(refused_with(buf, sizeof(buf), NULL));

	/* the parser is reset after an error */
	CHECK_EQ_INT(PARSE("{\"uid\":\"a\",\"msg\":\"m\"}", &r, &err), 0);
	CHECK(STR_IS(r.msg, "m"));
	push_req_free(&r);
}

/*
 * One parser serves every line of every Text connection, so a line must parse
 * the same whatever came before it. A line cut off right after the high half
 * of a surrogate pair must not leave that half behind for the next line
 * (json-c keeps it in the tokener for chunked input).
 */
static void test_lines_independent(void)
{
	static const struct {
		const char *before;   /* a line parsed first (it may fail) */
		const char *line;     /* then this line */
		const char *msg;      /* whose msg must be this, as with a new parser */
	} v[] = {
		{ "{\"uid\":\"a\",\"msg\":\"\\ud83d", "{\"uid\":\"b\",\"msg\":\"\\ude00\"}", "\xef\xbf\xbd" },
		{ "{\"uid\":\"a\",\"msg\":\"\\ud83d\\", "{\"uid\":\"b\",\"msg\":\"\\ude00\"}", "\xef\xbf\xbd" },
		{ "{\"uid\":\"a\",\"msg\":\"\\ud83d", "{\"uid\":\"b\",\"msg\":\"x\\u00e9\"}", "x\xc3\xa9" },
		{ "{\"x\":\"\\udbff", "{\"uid\":\"b\",\"msg\":\"\\u0041\"}", "A" },
		{ "{\"uid\":\"a\",\"msg\":\"\\ud83d\"}", "{\"uid\":\"b\",\"msg\":\"\\ude00\"}", "\xef\xbf\xbd" },
		{ "{\"uid\":\"a\",\"msg\":\"\\u00", "{\"uid\":\"b\",\"msg\":\"\\u00e9\"}", "\xc3\xa9" },
		{ "{\"uid\":\"a\",\"msg\":12", "{\"uid\":\"b\",\"msg\":3}", "3" },
		{ "{\"uid\":\"a\",\"msg\":tr", "{\"uid\":\"b\",\"msg\":true}", "true" },
		{ "{\"uid\":\"a\",\"m\":{\"k\":[", "{\"uid\":\"b\",\"msg\":\"m\"}", "m" },
	};
	push_req r;
	const char *err;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int ok;

		parse_len(v[i].before, strlen(v[i].before), &r, &err);
		push_req_free(&r);
		CHECK_EQ_INT(parse_len(v[i].line, strlen(v[i].line), &r, &err), 0);
		ok = r.kind == PUSH_REQ_PUSH && str_is(r.msg, v[i].msg, strlen(v[i].msg)) && STR_IS(r.uids[0], "b");
		if (!ok) {
			size_t k;

			fprintf(stderr, "    after %s\n    %s -> msg", v[i].before, v[i].line);
			for (k = 0; k < r.msg.len; k++) {
				fprintf(stderr, " %02x", (unsigned char)r.msg.p[k]);
			}
			fprintf(stderr, "\n");
		}
		CHECK(ok);
		push_req_free(&r);
	}
}

/* -------------------------------------------------------- request lifetime */

static void test_req_free_and_reuse(void)
{
	push_req r;
	const char *err;
	int i;

	/* freeing twice, or an empty request, is harmless */
	CHECK_EQ_INT(PARSE("{\"uid\":[\"a\",\"b\"],\"x\":1}", &r, &err), 0);
	push_req_free(&r);
	push_req_free(&r);
	CHECK(req_is_empty(&r));
	memset(&r, 0, sizeof(r));
	push_req_free(&r);

	/* a failed parse frees the part of the uid list it had built (LSan) */
	CHECK(REFUSED("{\"uid\":[\"a\",\"b\",\"\"]}", E_UID_EMPTY));
	CHECK(REFUSED("{\"cmd\":\"x\",\"uid\":[\"a\",true]}", E_UID_TYPE));

	/* one parser, many lines of every kind, mixed with errors */
	for (i = 0; i < 1000; i++) {
		switch (i % 6) {
		case 0:
			CHECK_EQ_INT(PARSE("{\"uid\":[\"a\",1,\"c\"],\"msg\":{\"n\":[1,2,3]}}", &r, &err), 0);
			CHECK(STR_IS(r.msg, "{\"n\":[1,2,3]}"));
			break;
		case 1:
			CHECK_EQ_INT(PARSE("{\"uid\":[7,\"b\"],\"percent\":\"88%\"}", &r, &err), 0);
			CHECK(STR_IS(r.uids[0], "7"));
			CHECK(STR_IS(r.msg, "88%"));
			break;
		case 2:
			CHECK_EQ_INT(PARSE("{\"cmd\":\"c\",\"uid\":[1,2],\"msg\":[1]}", &r, &err), 0);
			CHECK(STR_IS(r.uids[1], "2"));
			break;
		case 3:
			CHECK_EQ_INT(PARSE("{\"auth\":\"s\"}", &r, &err), 0);
			CHECK(STR_IS(r.secret, "s"));
			break;
		case 4:
			CHECK_EQ_INT(PARSE("{\"uid\":[\"a\",1.5]}", &r, &err), -1);
			break;
		default:
			CHECK_EQ_INT(PARSE("{\"uid\":[\"a\"", &r, &err), -1);
			break;
		}
		push_req_free(&r);
	}
}

/* ------------------------------------------------ helpers used by commands */

static void test_push_json_uids(void)
{
	json_object *v;
	push_str *out = NULL, one;
	size_t n = 0;
	const char *err = NULL;

	v = json_object_new_string_len("ab\0c", 4);
	CHECK_EQ_INT(push_json_uids(v, &out, &n, &one, &err), -1);
	CHECK(strcmp(err, "\"uid\" must not contain a NUL byte") == 0);
	json_object_put(v);

	v = json_object_new_string_len("abc", 3);
	CHECK_EQ_INT(push_json_uids(v, &out, &n, &one, &err), 0);
	CHECK(out == &one);
	CHECK_EQ_INT(n, 1);
	CHECK(STR_IS(one, "abc"));
	json_object_put(v);

	v = json_object_new_int64(-12);
	CHECK_EQ_INT(push_json_uids(v, &out, &n, &one, &err), 0);
	CHECK(STR_IS(one, "-12"));
	json_object_put(v);

	v = json_object_new_array();
	json_object_array_add(v, json_object_new_string("x"));
	json_object_array_add(v, json_object_new_int(3));
	CHECK_EQ_INT(push_json_uids(v, &out, &n, &one, &err), 0);
	CHECK(out != &one);
	CHECK_EQ_INT(n, 2);
	if (n == 2) {
		CHECK(STR_IS(out[0], "x"));
		CHECK(STR_IS(out[1], "3"));
	}
	free(out);
	json_object_array_add(v, json_object_new_double(1.0));
	out = NULL;
	n = 99;
	CHECK_EQ_INT(push_json_uids(v, &out, &n, &one, &err), -1);
	CHECK_STR(err, E_UID_TYPE);
	CHECK(out == NULL);
	CHECK_EQ_INT(n, 99);
	json_object_put(v);

	v = json_object_new_array();
	CHECK_EQ_INT(push_json_uids(v, &out, &n, &one, &err), -1);
	CHECK_STR(err, E_LIST_EMPTY);
	json_object_put(v);

	CHECK_EQ_INT(push_json_uids(NULL, &out, &n, &one, &err), -1);
	CHECK_STR(err, E_UID_TYPE);
}

static void test_push_json_compact(void)
{
	json_object *v;
	const char *s;
	size_t len = 0;

	v = json_object_new_string_len("a/b\0\"", 5);
	s = push_json_compact(v, &len);
	CHECK(len == 5 && memcmp(s, "a/b\0\"", 5) == 0);
	json_object_put(v);

	v = json_object_new_object();
	json_object_object_add(v, "p", json_object_new_string("/x/y"));
	json_object_object_add(v, "n", json_object_new_array());
	s = push_json_compact(v, &len);
	CHECK(len == strlen("{\"p\":\"/x/y\",\"n\":[]}") && strcmp(s, "{\"p\":\"/x/y\",\"n\":[]}") == 0);
	json_object_put(v);

	s = push_json_compact(NULL, &len);
	CHECK(len == 4 && strcmp(s, "null") == 0);
}

int main(void)
{
	int rc;

	if (push_textparser_init(&parser) != 0) {
		fprintf(stderr, "push_textparser_init failed\n");
		return 1;
	}
	RUN(test_push_string_uid_string_msg);
	RUN(test_push_in_place);
	RUN(test_push_int_uid);
	RUN(test_push_int_uid_out_of_range);
	RUN(test_push_uid_list);
	RUN(test_push_uid_refused);
	RUN(test_push_uid_list_limit);
	RUN(test_push_recipe_form);
	RUN(test_push_msg_json_encoded);
	RUN(test_nul_bytes);
	RUN(test_cmd);
	RUN(test_cmd_refused);
	RUN(test_auth);
	RUN(test_invalid_json);
	RUN(test_trailing);
	RUN(test_nesting_depth);
	RUN(test_lines_independent);
	RUN(test_req_free_and_reuse);
	RUN(test_push_json_uids);
	RUN(test_push_json_compact);
	rc = TEST_SUMMARY();
	push_textparser_destroy(&parser);
	live_drop_all();
	return rc;
}
