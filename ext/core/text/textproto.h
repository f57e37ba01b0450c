/*
 * textproto.h - the Text port's wire format: one JSON object per line.
 *
 *   {"uid": U, "msg": M}          push M to every connection of U
 *   {"uid": U, "percent": P}      no "msg": push P as the recipe's push.php does
 *                                 (string as is, number as PHP prints it, "null", ...)
 *   {"cmd": "name", ...}          a command, answered with one JSON line
 *   {"auth": "secret"}            authenticate the Text connection
 *
 * U is a string, an integer or a list of them. M is pushed as is when it is a
 * string, JSON-encoded otherwise. Nothing here knows about sockets or PHP.
 */
#ifndef PUSH_TEXTPROTO_H
#define PUSH_TEXTPROTO_H

#include <stddef.h>
#include <json-c/json.h>

#define PUSH_TEXT_MAX_UIDS 100000   /* most uids in one line's list */

/* What a line asks for. */
typedef enum {
	PUSH_REQ_PUSH = 1,         /* push msg to uids */
	PUSH_REQ_CMD,              /* a named command; fields read from root */
	PUSH_REQ_AUTH              /* Text port authentication */
} push_req_kind;

/* A byte string that points into memory owned by the request. */
typedef struct push_str {
	const char *p;             /* bytes, not necessarily NUL-terminated */
	size_t len;                /* length */
} push_str;

/* One parsed line. Every pointer is valid until push_req_free(). */
typedef struct push_req {
	push_req_kind kind;        /* what the line asks for */
	const char *cmd;           /* command name (PUSH_REQ_CMD) */
	push_str *uids;            /* target uids (PUSH_REQ_PUSH, and commands with "uid") */
	size_t nuids;              /* how many */
	push_str msg;              /* payload (PUSH_REQ_PUSH, commands with "msg") */
	push_str secret;           /* presented secret (PUSH_REQ_AUTH) */
	json_object *root;         /* the parsed object, owns the strings (NULL: they point into the line) */
	json_object *uid_keep;     /* "uid" value kept alive after removal from root */
	push_str uid_one;          /* storage for a single uid, avoids an allocation */
	char *owned;               /* msg built by the in-place path (the recipe's form), or NULL */
	int overflowed;            /* json-c clamped an integer of this line (strtoll/strtoull set ERANGE) */
} push_req;

/* A reusable parser: one tokener, reset per line. */
typedef struct push_textparser {
	json_tokener *tok;         /* json-c tokener */
} push_textparser;

int push_textparser_init(push_textparser *p);
void push_textparser_destroy(push_textparser *p);

/*
 * Parses one line (without its newline). On success returns 0 and fills req;
 * on failure returns -1, sets *err to a static, human reason and leaves req
 * empty (push_req_free is still safe to call). The request may point into
 * line: keep the line until push_req_free(). Flat objects of plain strings
 * and integers ({"uid":..,"msg":".."}, the recipe's {"uid":..,"percent":..})
 * are read in place (root stays NULL); every other line goes through json-c.
 */
int push_text_parse(push_textparser *p, const char *line, size_t len, push_req *req, const char **err);

/* The same, always through json-c (root set on success): the reference the fast path is fuzzed against. */
int push_text_parse_json(push_textparser *p, const char *line, size_t len, push_req *req, const char **err);
void push_req_free(push_req *req);

/*
 * Reads the uid list of a value (string, integer or list); 0 ok, -1 with *err.
 * overflowed: the document v came from had an integer json-c clamped (errno
 * ERANGE after json_tokener_parse_ex); a clamped uid is then refused, as it
 * would be someone else's. push_text_uids() is push_text_uids_ex(v, 0, ...).
 */
int push_text_uids_ex(json_object *v, int overflowed, push_str **out, size_t *n, push_str *one, const char **err);
int push_text_uids(json_object *v, push_str **out, size_t *n, push_str *one, const char **err);

/* Serializes any JSON value compactly, as pushed to browsers. */
const char *push_json_compact(json_object *v, size_t *len);

/*
 * 1 when every number in s (a JSON text json-c accepted; strings skipped) is
 * a JSON number. json-c also reads NaN, Infinity, 01.5, 1., 1e and writes
 * them back, so such lines are refused before anything reaches a browser.
 */
int push_json_numbers_ok(const char *s, size_t len);
#define PUSH_ERR_JSON_NUMBER "invalid JSON: a number JSON does not allow (NaN, Infinity, a leading zero, 1., 1e)"

#endif
