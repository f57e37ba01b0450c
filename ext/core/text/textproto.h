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

#include "json_value.h"

/* What a line asks for. */
typedef enum {
	PUSH_REQ_PUSH = 1,         /* push msg to uids */
	PUSH_REQ_CMD,              /* a named command; fields read from root */
	PUSH_REQ_AUTH              /* Text port authentication */
} push_req_kind;

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

#endif
