/*
 * libFuzzer target for ext/core/text/textproto.c: the input is a run of Text-port lines
 * separated by '\n' (a single line if it has none), parsed in order with one
 * parser, as the server parses every line it receives.
 *
 * 1. Each line must parse exactly as it does with a new parser: earlier lines must
 *    not change the result of later ones. And exactly as json-c alone parses it
 *    (push_text_parse_json): the in-place path for plain pushes must agree with it
 *    on every line it takes, and point into the line.
 * 2. On success every uid, msg, secret and cmd byte is read (so ASan sees any
 *    dangling pointer) and the request must be well formed for its kind; on
 *    failure the reason is set and the request is empty. push_req_free() must
 *    leave nothing behind (LSan).
 * 3. Round trip: for a push, {"uid":<first uid>,"msg":<msg>} built and serialized
 *    with json-c, both as strings, parses back to a push of that one uid and
 *    exactly the msg bytes.
 * 4. A msg that was JSON-encoded by the parser (non-string "msg") is compact JSON:
 *    it parses again and re-encodes to the same bytes. Without "msg" (the recipe's
 *    form), the msg is "percent": the string itself, "null" when null or absent,
 *    "[]" for {}, and an array or object re-encodes to the same bytes ('/' escaped).
 */
#include "textproto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static json_tokener *tok;
static volatile unsigned sink;

/* Reads every byte, so that ASan reports a pointer into freed or foreign memory. */
static void touch(const char *p, size_t len)
{
	unsigned acc = 0;
	size_t i;

	if (p == NULL) {
		if (len != 0) {
			abort();
		}
		return;
	}
	for (i = 0; i < len; i++) {
		acc = acc * 31 + (unsigned char)p[i];
	}
	sink += acc;
}

static int same(push_str a, push_str b)
{
	if (a.p == NULL || b.p == NULL) {
		return a.p == b.p && a.len == b.len;
	}
	return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
}

static int req_is_empty(const push_req *r)
{
	return r->kind == 0 && r->cmd == NULL && r->uids == NULL && r->nuids == 0 && r->msg.p == NULL
		&& r->msg.len == 0 && r->secret.p == NULL && r->secret.len == 0 && r->root == NULL
		&& r->uid_keep == NULL && r->uid_one.p == NULL && r->uid_one.len == 0 && r->owned == NULL;
}

/* Checks a successful parse for consistency with its kind. */
static void check_req(const push_req *r)
{
	size_t i;

	if (r->root == NULL) {
		/* read in place: a push of one uid */
		if (r->kind != PUSH_REQ_PUSH || r->nuids != 1 || r->uids != &r->uid_one || r->uid_keep != NULL) {
			abort();
		}
	} else if (!json_object_is_type(r->root, json_type_object)) {
		abort();
	}
	if (r->nuids > PUSH_MAX_UIDS || (r->nuids == 0) != (r->uids == NULL)) {
		abort();
	}
	for (i = 0; i < r->nuids; i++) {
		if (r->uids[i].p == NULL || r->uids[i].len == 0) {
			abort();
		}
		touch(r->uids[i].p, r->uids[i].len);
	}
	touch(r->msg.p, r->msg.len);
	touch(r->secret.p, r->secret.len);
	switch (r->kind) {
	case PUSH_REQ_PUSH:
		if (r->nuids == 0 || r->msg.p == NULL || r->cmd != NULL || r->secret.p != NULL) {
			abort();
		}
		break;
	case PUSH_REQ_CMD:
		if (r->cmd == NULL || r->secret.p != NULL || r->uid_keep != NULL) {
			abort();
		}
		touch(r->cmd, strlen(r->cmd));
		break;
	case PUSH_REQ_AUTH:
		if (r->secret.p == NULL || r->nuids != 0 || r->msg.p != NULL || r->cmd != NULL) {
			abort();
		}
		break;
	default:
		abort();
	}
}

/* Parses one line with a parser of its own (json: json-c only). */
static int parse_fresh_with(const char *line, size_t len, push_req *r, const char **err, int json)
{
	push_textparser p;
	int rc;

	if (push_textparser_init(&p) != 0) {
		abort();
	}
	rc = json ? push_text_parse_json(&p, line, len, r, err) : push_text_parse(&p, line, len, r, err);
	push_textparser_destroy(&p);
	return rc;
}

static int parse_fresh(const char *line, size_t len, push_req *r, const char **err)
{
	return parse_fresh_with(line, len, r, err, 0);
}

/* Two results of parsing the same line are the same request. */
static int same_req(const push_req *a, const push_req *b)
{
	size_t i;

	if (a->kind != b->kind || a->nuids != b->nuids || !same(a->msg, b->msg) || !same(a->secret, b->secret)) {
		return 0;
	}
	if ((a->cmd == NULL) != (b->cmd == NULL) || (a->cmd && strcmp(a->cmd, b->cmd) != 0)) {
		return 0;
	}
	for (i = 0; i < a->nuids; i++) {
		if (!same(a->uids[i], b->uids[i])) {
			return 0;
		}
	}
	return 1;
}

/* {"uid":"<uid0>","msg":"<msg>"} must parse back to the same uid and msg bytes. */
static void check_round_trip(const push_req *r)
{
	json_object *o;
	const char *line;
	size_t len;
	push_req r2;
	const char *err = NULL;

	if (r->uids[0].len > INT32_MAX || r->msg.len > INT32_MAX) {
		return;
	}
	o = json_object_new_object();
	if (o == NULL) {
		return;
	}
	json_object_object_add(o, "uid", json_object_new_string_len(r->uids[0].p, (int)r->uids[0].len));
	json_object_object_add(o, "msg", json_object_new_string_len(r->msg.p, (int)r->msg.len));
	line = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &len);
	if (line == NULL) {
		json_object_put(o);
		return;
	}
	if (parse_fresh(line, len, &r2, &err) != 0) {
		abort();
	}
	if (r2.kind != PUSH_REQ_PUSH || r2.nuids != 1 || !same(r2.uids[0], r->uids[0]) || !same(r2.msg, r->msg)) {
		abort();
	}
	push_req_free(&r2);
	json_object_put(o);
}

/* A msg the parser JSON-encoded: parse it again, re-encode, compare. */
static void check_compact(const push_req *r, int flags)
{
	json_object *v;
	const char *again;
	char *text;
	size_t len;

	if (r->msg.len >= INT32_MAX) {
		return;
	}
	/* a blank after it, so that a top-level number or literal is known to be complete */
	text = malloc(r->msg.len + 1);
	if (text == NULL) {
		return;
	}
	memcpy(text, r->msg.p, r->msg.len);
	text[r->msg.len] = ' ';
	json_tokener_reset(tok);
	v = json_tokener_parse_ex(tok, text, (int)r->msg.len + 1);
	free(text);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		abort();
	}
	again = json_object_to_json_string_length(v, flags, &len);
	if (again == NULL || len != r->msg.len || memcmp(again, r->msg.p, len) != 0) {
		abort();
	}
	json_object_put(v);
}

/* The recipe's form: what "percent" holds decides the msg. */
static void check_recipe(const push_req *r)
{
	json_object *p = NULL;

	json_object_object_get_ex(r->root, "percent", &p);
	switch (p ? json_object_get_type(p) : json_type_null) {
	case json_type_null:
		if (r->msg.len != 4 || memcmp(r->msg.p, "null", 4) != 0) {
			abort();
		}
		break;
	case json_type_string:
		if (r->msg.p != json_object_get_string(p)) {
			abort();   /* passed through, not copied */
		}
		break;
	case json_type_object:
		if (json_object_object_length(p) == 0) {
			if (r->msg.len != 2 || memcmp(r->msg.p, "[]", 2) != 0) {
				abort();
			}
			break;
		}
		/* fall through */
	case json_type_array:
		check_compact(r, JSON_C_TO_STRING_PLAIN);
		break;
	default:
		if (r->msg.len == 0 && !json_object_is_type(p, json_type_boolean)) {
			abort();
		}
		break;
	}
}

/* Parses one line with the shared parser and checks the result. */
static void check_line(push_textparser *shared, const char *line, size_t len)
{
	push_req r, r2, rj;
	const char *err = NULL, *err2 = NULL, *errj = NULL;
	json_object *m;
	int rc, rc2, rcj;

	rc = push_text_parse(shared, line, len, &r, &err);
	rc2 = parse_fresh(line, len, &r2, &err2);
	rcj = parse_fresh_with(line, len, &rj, &errj, 1);
	if (rc != rc2) {
		abort();    /* an earlier line changed whether this one parses */
	}
	if (rc != rcj) {
		abort();    /* the in-place path and json-c disagree on whether it parses */
	}
	if (rc != 0) {
		if (err == NULL || err2 == NULL || strcmp(err, err2) != 0 || !req_is_empty(&r)
				|| errj == NULL || strcmp(err, errj) != 0 || !req_is_empty(&rj)) {
			abort();
		}
		touch(err, strlen(err));
		push_req_free(&r);
		return;
	}
	if (!same_req(&r, &r2)) {
		abort();    /* an earlier line changed what this one means */
	}
	if (!same_req(&r, &rj)) {
		abort();    /* the in-place path read the line differently from json-c */
	}
	push_req_free(&r2);

	check_req(&r);
	check_req(&rj);
	if (r.root == NULL && ((r.msg.p != r.owned && !(r.msg.len == 4 && memcmp(r.msg.p, "null", 4) == 0)
				&& (r.msg.p < line || r.msg.p + r.msg.len > line + len))
			|| r.uids[0].p < line || r.uids[0].p + r.uids[0].len > line + len)) {
		abort();    /* read in place means pointing into the line (or the recipe's message built) */
	}
	if (r.kind == PUSH_REQ_PUSH) {
		check_round_trip(&r);
		if (!json_object_object_get_ex(rj.root, "msg", &m)) {
			check_recipe(&rj);
		} else if (!json_object_is_type(m, json_type_string)) {
			check_compact(&rj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		} else if (rj.msg.p != json_object_get_string(m)) {
			abort();   /* a string msg is passed through, not copied or re-encoded */
		}
	}
	push_req_free(&rj);
	push_req_free(&r);
	if (!req_is_empty(&r)) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	push_textparser shared;
	const char *line = (const char *)data, *end = line + size, *nl;

	if (tok == NULL) {
		tok = json_tokener_new_ex(64);
		if (tok == NULL) {
			abort();
		}
	}
	if (push_textparser_init(&shared) != 0) {
		abort();
	}
	for (;;) {
		nl = line < end ? memchr(line, '\n', (size_t)(end - line)) : NULL;
		check_line(&shared, line, (size_t)((nl ? nl : end) - line));
		if (nl == NULL) {
			break;
		}
		line = nl + 1;
	}
	push_textparser_destroy(&shared);
	return 0;
}
