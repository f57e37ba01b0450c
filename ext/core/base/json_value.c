/*
 * json_value.c - the JSON helpers every front end shares: a value as pushed to
 * browsers, the numbers JSON allows, and the uid list of a value.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_value.h"

#define COMPACT (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

const char *push_json_compact(json_object *v, size_t *len)
{
	const char *s;

	if (json_object_is_type(v, json_type_string)) {
		*len = (size_t)json_object_get_string_len(v);
		return json_object_get_string(v);
	}
	s = json_object_to_json_string_length(v, COMPACT, len);
	return s;
}

/*
 * json-c reads more than JSON: NaN, Infinity, "01.5", "1." and "0140e" are
 * taken, and written back as they came (NaN, Infinity, 01.5, 1., 0140), which
 * no browser's JSON.parse() accepts. Checks every number of a text json-c
 * accepted (strings skipped) against JSON's grammar.
 */
int push_json_numbers_ok(const char *s, size_t len)
{
	size_t i = 0, j;

	while (i < len) {
		if (s[i] == '"') {
			for (i++; i < len && s[i] != '"'; i++) {
				i += s[i] == '\\';
			}
			i++;
			continue;
		}
		if (s[i] == 'N' || s[i] == 'I') {
			return 0;                                /* NaN, Infinity */
		}
		if (s[i] != '-' && (s[i] < '0' || s[i] > '9')) {
			i++;
			continue;
		}
		j = i + (s[i] == '-');
		if (j >= len || s[j] < '0' || s[j] > '9') {
			return 0;                                /* -Infinity, a lone '-' */
		}
		if (s[j] == '0') {
			j++;
		} else {
			while (j < len && s[j] >= '0' && s[j] <= '9') {
				j++;
			}
		}
		if (j < len && s[j] == '.') {
			if (++j >= len || s[j] < '0' || s[j] > '9') {
				return 0;
			}
			while (j < len && s[j] >= '0' && s[j] <= '9') {
				j++;
			}
		}
		if (j < len && (s[j] == 'e' || s[j] == 'E')) {
			j++;
			j += j < len && (s[j] == '+' || s[j] == '-');
			if (j >= len || s[j] < '0' || s[j] > '9') {
				return 0;
			}
			while (j < len && s[j] >= '0' && s[j] <= '9') {
				j++;
			}
		}
		if (j < len && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.')) {
			return 0;                                /* a leading zero: 0140 */
		}
		i = j;
	}
	return 1;
}

static int one_uid(json_object *v, int overflowed, push_str *out, const char **err)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		out->p = json_object_get_string(v);
		out->len = (size_t)json_object_get_string_len(v);
		break;
	case json_type_int:
		/*
		 * uid 42 and "42" are the same user. json-c clamps integers outside the
		 * 64-bit range to the extremes, which would be someone else's uid: refused.
		 */
		if (overflowed && (json_object_get_int64(v) == INT64_MIN
				|| (json_object_get_int64(v) == INT64_MAX && json_object_get_uint64(v) == UINT64_MAX))) {
			*err = "\"uid\" integer out of range: send it as a string";
			return -1;
		}
		out->p = json_object_to_json_string_length(v, COMPACT, &out->len);
		break;
	default:
		*err = "\"uid\" must be a string, an integer or a list of them";
		return -1;
	}
	if (out->len == 0) {
		*err = "\"uid\" must not be empty";
		return -1;
	}
	/* no WebSocket client can claim such a uid; the names front ends keep for themselves start with one */
	if (memchr(out->p, '\0', out->len)) {
		*err = "\"uid\" must not contain a NUL byte";
		return -1;
	}
	return 0;
}

int push_json_uids(json_object *v, push_str **out, size_t *n, push_str *one, const char **err)
{
	return push_json_uids_ex(v, 0, out, n, one, err);
}

int push_json_uids_ex(json_object *v, int overflowed, push_str **out, size_t *n, push_str *one, const char **err)
{
	size_t i, cnt;
	push_str *arr;

	if (!json_object_is_type(v, json_type_array)) {
		if (one_uid(v, overflowed, one, err) != 0) {
			return -1;
		}
		*out = one;
		*n = 1;
		return 0;
	}
	cnt = json_object_array_length(v);
	if (cnt == 0) {
		*err = "\"uid\" list must not be empty";
		return -1;
	}
	if (cnt > PUSH_MAX_UIDS) {
		*err = "\"uid\" list is too long";
		return -1;
	}
	arr = malloc(cnt * sizeof(*arr));
	if (!arr) {
		*err = "out of memory";
		return -1;
	}
	for (i = 0; i < cnt; i++) {
		if (one_uid(json_object_array_get_idx(v, i), overflowed, &arr[i], err) != 0) {
			free(arr);
			return -1;
		}
	}
	*out = arr;
	*n = cnt;
	return 0;
}
