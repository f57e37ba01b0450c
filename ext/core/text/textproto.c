/*
 * textproto.c - parse Text port lines into requests.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "textproto.h"

#define COMPACT (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

int push_textparser_init(push_textparser *p)
{
	p->tok = json_tokener_new_ex(32);
	return p->tok ? 0 : -1;
}

void push_textparser_destroy(push_textparser *p)
{
	if (p->tok) {
		json_tokener_free(p->tok);
		p->tok = NULL;
	}
}

static const char *tok_error(enum json_tokener_error e)
{
	switch (e) {
	case json_tokener_error_depth:
		return "invalid JSON: nested too deeply";
	case json_tokener_continue:
		return "invalid JSON: unexpected end of line";
	default:
		return "invalid JSON";
	}
}

/* ---------------------------------------------------------- fast path -- */

static const char *skip_blank(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t')) {
		p++;
	}
	return p;
}

/*
 * A string with nothing to unescape: no backslash, no control byte. Sets *out
 * to the bytes between the quotes; returns the byte after the closing quote,
 * or NULL (not such a string: the line takes the general path).
 */
static const char *plain_string(const char *p, const char *e, push_str *out)
{
	const char *q;

	if (p >= e || *p != '"') {
		return NULL;
	}
	for (q = ++p; q < e; q++) {
		unsigned char c = (unsigned char)*q;

		if (c == '"') {
			out->p = p;
			out->len = (size_t)(q - p);
			return q + 1;
		}
		if (c == '\\' || c < 0x20) {
			return NULL;
		}
	}
	return NULL;
}

/* An integer as json-c prints it back: no leading zero, no "-0", well inside 64 bits. */
static const char *plain_int(const char *p, const char *e, push_str *out)
{
	const char *q = p;

	if (q < e && *q == '-') {
		q++;
	}
	if (q >= e || *q < '0' || *q > '9') {
		return NULL;
	}
	if (*q == '0') {
		if (q != p) {
			return NULL;
		}
		q++;
	} else {
		while (q < e && *q >= '0' && *q <= '9') {
			q++;
		}
	}
	if (q - p > 18 || (q < e && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E'))) {
		return NULL;
	}
	out->p = p;
	out->len = (size_t)(q - p);
	return q;
}

#define PLAIN_MAX_MEMBERS 8

/* Whether key is exactly the literal name. */
#define KEY_IS(key, name) ((key).len == sizeof(name) - 1 && memcmp((key).p, name, sizeof(name) - 1) == 0)

typedef struct plain_member {
	push_str key, val;         /* bytes as they are in the line */
	int quoted;                /* val was a string */
} plain_member;

/*
 * The lines nearly every backend sends: a flat object of at most
 * PLAIN_MAX_MEMBERS distinct keys whose values are strings with nothing to
 * unescape or integers, with a "uid" and either a "msg" (pushed) or not (the
 * recipe's form: "percent" is pushed, as the recipe's push.php sends
 * $data['percent']; a string as is, an integer in decimal, "null" when absent).
 * Read without json-c, which builds a tree and switches locale per line: the
 * request points into the line. Anything else returns -1 and takes the general
 * path, which means the same for these lines: the Text-line fuzzer checks both
 * on every input.
 */
static int parse_plain_push(const char *line, size_t len, push_req *req)
{
	const char *p = line, *e = line + len;
	plain_member m[PLAIN_MAX_MEMBERS];
	int n = 0, k, uid = -1, msg = -1, percent = -1;

	p = skip_blank(p, e);
	if (p >= e || *p++ != '{') {
		return -1;
	}
	for (;;) {
		p = skip_blank(p, e);
		if (n == PLAIN_MAX_MEMBERS || !(p = plain_string(p, e, &m[n].key))) {
			return -1;
		}
		p = skip_blank(p, e);
		if (p >= e || *p++ != ':') {
			return -1;
		}
		p = skip_blank(p, e);
		m[n].quoted = p < e && *p == '"';
		if (!(p = m[n].quoted ? plain_string(p, e, &m[n].val) : plain_int(p, e, &m[n].val))) {
			return -1;
		}
		for (k = 0; k < n; k++) {
			if (m[k].key.len == m[n].key.len && memcmp(m[k].key.p, m[n].key.p, m[n].key.len) == 0) {
				return -1;     /* json-c keeps the last: the general path decides */
			}
		}
		if (KEY_IS(m[n].key, "uid")) {
			uid = n;
		} else if (KEY_IS(m[n].key, "msg")) {
			msg = n;
		} else if (KEY_IS(m[n].key, "percent")) {
			percent = n;
		} else if (KEY_IS(m[n].key, "cmd") || KEY_IS(m[n].key, "auth")) {
			return -1;
		}
		n++;
		p = skip_blank(p, e);
		if (p < e && *p == ',') {
			p++;
			continue;
		}
		if (p >= e || *p++ != '}') {
			return -1;
		}
		break;
	}
	for (; p < e; p++) {
		if (*p != ' ' && *p != '\t' && *p != '\r') {
			return -1;
		}
	}
	if (uid < 0 || m[uid].val.len == 0) {
		return -1;      /* the general path says what is wrong */
	}
	if (msg >= 0) {
		req->msg = m[msg].val;
	} else if (percent >= 0) {
		req->msg = m[percent].val;
	} else {
		req->msg.p = "null";
		req->msg.len = 4;
	}
	req->kind = PUSH_REQ_PUSH;
	req->uid_one = m[uid].val;
	req->uids = &req->uid_one;
	req->nuids = 1;
	return 0;
}

/* ---------------------------------------------------- recipe's form -- */

/*
 * A double as PHP's (string) cast prints it (precision 14, as echo does):
 * 88.5, 1, 0.3, 1.0E+20, 1.0E-5, -0, INF. Digits from printf's correctly
 * rounded %.13e, laid out as zend_gcvt() lays them. out: 32 bytes at least.
 */
static size_t php_double_string(double d, char *out)
{
	char tmp[40], dig[16];
	int nd = 0, decpt, i;
	char *o = out;
	const char *p;

	if (isnan(d)) {
		memcpy(out, "NAN", 3);
		return 3;
	}
	if (isinf(d)) {
		memcpy(out, d < 0 ? "-INF" : "INF", d < 0 ? 4 : 3);
		return d < 0 ? 4 : 3;
	}
	snprintf(tmp, sizeof(tmp), "%.13e", d);     /* [-]D.DDDDDDDDDDDDDe[+-]X... */
	p = tmp;
	if (*p == '-') {
		*o++ = *p++;
	}
	for (; *p != 'e'; p++) {
		if (*p >= '0' && *p <= '9') {          /* the decimal point is the locale's */
			dig[nd++] = *p;
		}
	}
	decpt = atoi(p + 1) + 1;                     /* d = 0.DIGITS x 10^decpt */
	while (nd > 1 && dig[nd - 1] == '0') {
		nd--;
	}
	if (nd == 1 && dig[0] == '0') {
		decpt = 1;
	}
	if (decpt < -3 || decpt > 14) {
		*o++ = dig[0];
		*o++ = '.';
		if (nd == 1) {
			*o++ = '0';
		}
		for (i = 1; i < nd; i++) {
			*o++ = dig[i];
		}
		o += sprintf(o, "E%c%d", decpt - 1 < 0 ? '-' : '+', abs(decpt - 1));
	} else if (decpt <= 0) {
		*o++ = '0';
		*o++ = '.';
		for (i = decpt; i < 0; i++) {
			*o++ = '0';
		}
		for (i = 0; i < nd; i++) {
			*o++ = dig[i];
		}
	} else {
		for (i = 0; i < decpt; i++) {
			*o++ = i < nd ? dig[i] : '0';
		}
		if (nd > decpt) {
			*o++ = '.';
			for (i = decpt; i < nd; i++) {
				*o++ = dig[i];
			}
		}
	}
	return (size_t)(o - out);
}

/*
 * A push line without "msg" pushes what the recipe's push.php pushes,
 * $connection->send($data['percent']) on a WebSocket connection: a string as
 * is; a number or a boolean as PHP prints it (Workerman 4; Workerman 5 stops
 * the worker on these); an array or object as json_encode() prints it, '/'
 * escaped, {} as [] (Workerman 5; Workerman 4 stops the worker); "null" for
 * null or no "percent" (Workerman 5). Other fields are not pushed.
 */
static int recipe_message(json_object *root, push_req *req, const char **err)
{
	json_object *v = NULL;
	char *b;

	json_object_object_get_ex(root, "percent", &v);
	switch (v ? json_object_get_type(v) : json_type_null) {
	case json_type_string:
		req->msg.p = push_json_compact(v, &req->msg.len);
		return 0;
	case json_type_boolean:
		req->msg.p = json_object_get_boolean(v) ? "1" : "";
		req->msg.len = json_object_get_boolean(v) ? 1 : 0;
		return 0;
	case json_type_int:
		/* json-c clamps what is outside 64 bits; PHP would have a float of the real value */
		if (req->overflowed && (json_object_get_int64(v) == INT64_MIN || json_object_get_uint64(v) == UINT64_MAX)) {
			*err = "\"percent\" number out of range: send it as a string";
			return -1;
		}
		if (json_object_get_int64(v) == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX) {
			/* above PHP's integers: json_decode() makes it a float */
			if (!(b = malloc(32))) {
				*err = "out of memory";
				return -1;
			}
			req->owned = b;
			req->msg.p = b;
			req->msg.len = php_double_string((double)json_object_get_uint64(v), b);
			return 0;
		}
		req->msg.p = json_object_to_json_string_length(v, COMPACT, &req->msg.len);
		return 0;
	case json_type_double:
		if (!(b = malloc(32))) {
			*err = "out of memory";
			return -1;
		}
		req->owned = b;
		req->msg.p = b;
		req->msg.len = php_double_string(json_object_get_double(v), b);
		return 0;
	case json_type_object:
		if (json_object_object_length(v) == 0) {
			req->msg.p = "[]";
			req->msg.len = 2;
			return 0;
		}
		/* fall through */
	case json_type_array:
		req->msg.p = json_object_to_json_string_length(v, JSON_C_TO_STRING_PLAIN, &req->msg.len);
		return 0;
	default:
		req->msg.p = "null";
		req->msg.len = 4;
		return 0;
	}
}

/* ------------------------------------------------------- general path -- */

int push_text_parse(push_textparser *p, const char *line, size_t len, push_req *req, const char **err)
{
	memset(req, 0, sizeof(*req));
	if (len && parse_plain_push(line, len, req) == 0) {
		return 0;
	}
	return push_text_parse_json(p, line, len, req, err);
}

int push_text_parse_json(push_textparser *p, const char *line, size_t len, push_req *req, const char **err)
{
	json_object *root, *v;
	enum json_tokener_error je;

	memset(req, 0, sizeof(*req));
	json_tokener_reset(p->tok);
	if (len == 0) {
		*err = "empty line";
		return -1;
	}
	if (len > INT_MAX) {
		*err = "line too long";
		return -1;
	}
	errno = 0;
	root = json_tokener_parse_ex(p->tok, line, (int)len);
	req->overflowed = errno == ERANGE;
	je = json_tokener_get_error(p->tok);
	if (!root || je != json_tokener_success) {
		json_tokener *fresh;

		if (root) {
			json_object_put(root);
		}
		*err = tok_error(je);
		/*
		 * json_tokener_reset() keeps a pending half of a surrogate pair: a line cut
		 * after "\ud83d" would change how the next line's first \u escape reads.
		 * A failed line gets a fresh tokener, so lines never affect each other.
		 */
		if ((fresh = json_tokener_new_ex(32)) != NULL) {
			json_tokener_free(p->tok);
			p->tok = fresh;
		}
		return -1;
	}
	/* trailing bytes other than white space make the line invalid */
	{
		size_t off = json_tokener_get_parse_end(p->tok);

		for (; off < len; off++) {
			char c = line[off];

			if (c != ' ' && c != '\t' && c != '\r') {
				json_object_put(root);
				*err = "invalid JSON: trailing characters";
				return -1;
			}
		}
	}
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		*err = "expected a JSON object";
		return -1;
	}
	if (!push_json_numbers_ok(line, len)) {
		json_object_put(root);
		*err = PUSH_ERR_JSON_NUMBER;
		return -1;
	}
	req->root = root;

	if (json_object_object_get_ex(root, "cmd", &v)) {
		if (!json_object_is_type(v, json_type_string)) {
			*err = "\"cmd\" must be a string";
			goto fail;
		}
		req->kind = PUSH_REQ_CMD;
		req->cmd = json_object_get_string(v);
		if (json_object_object_get_ex(root, "uid", &v)
				&& push_json_uids_ex(v, req->overflowed, &req->uids, &req->nuids, &req->uid_one, err) != 0) {
			goto fail;
		}
		if (json_object_object_get_ex(root, "msg", &v)) {
			req->msg.p = push_json_compact(v, &req->msg.len);
		}
		return 0;
	}
	if (json_object_object_get_ex(root, "auth", &v) && !json_object_object_get_ex(root, "uid", NULL)) {
		if (!json_object_is_type(v, json_type_string)) {
			*err = "\"auth\" must be a string";
			goto fail;
		}
		req->kind = PUSH_REQ_AUTH;
		req->secret.p = json_object_get_string(v);
		req->secret.len = (size_t)json_object_get_string_len(v);
		return 0;
	}
	if (!json_object_object_get_ex(root, "uid", &v)) {
		*err = "missing \"uid\"";
		goto fail;
	}
	req->kind = PUSH_REQ_PUSH;
	if (push_json_uids_ex(v, req->overflowed, &req->uids, &req->nuids, &req->uid_one, err) != 0) {
		goto fail;
	}
	if (json_object_object_get_ex(root, "msg", &v)) {
		req->msg.p = push_json_compact(v, &req->msg.len);
	} else if (recipe_message(root, req, err) != 0) {
		goto fail;
	}
	if (!req->msg.p) {
		*err = "out of memory";
		goto fail;
	}
	return 0;

fail:
	push_req_free(req);
	return -1;
}

void push_req_free(push_req *req)
{
	free(req->owned);
	if (req->uids && req->uids != &req->uid_one) {
		free(req->uids);
	}
	if (req->uid_keep) {
		json_object_put(req->uid_keep);
	}
	if (req->root) {
		json_object_put(req->root);
	}
	memset(req, 0, sizeof(*req));
}
