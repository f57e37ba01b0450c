/*
 * json_value.h - the JSON helpers every front end shares (json_value.c), on json-c.
 */
#ifndef PUSH_JSON_VALUE_H
#define PUSH_JSON_VALUE_H

#include <stddef.h>
#include <json-c/json.h>

#include "str.h"

#define PUSH_MAX_UIDS 100000   /* most uids in one list (a Text line, an HTTP request) */

/*
 * Reads the uid list of a value (string, integer or list); 0 ok, -1 with *err.
 * overflowed: the document v came from had an integer json-c clamped (errno
 * ERANGE after json_tokener_parse_ex); a clamped uid is then refused, as it
 * would be someone else's. push_json_uids() is push_json_uids_ex(v, 0, ...).
 */
int push_json_uids_ex(json_object *v, int overflowed, push_str **out, size_t *n, push_str *one, const char **err);
int push_json_uids(json_object *v, push_str **out, size_t *n, push_str *one, const char **err);

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
