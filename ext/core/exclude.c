/*
 * exclude.c - exclusions of a send, read from a JSON object (exclude.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exclude.h"
#include "textproto.h"

#define E_UIDS  "\"exclude_uids\" must be a list of strings or integers"
#define E_CONNS "\"exclude_connections\" must be a list of connection ids"

/* The field, NULL when absent or null. */
static json_object *field(json_object *root, const char *name)
{
	json_object *v = NULL;

	if (!root || !json_object_object_get_ex(root, name, &v)) {
		return NULL;
	}
	return v;
}

/* How many entries a value-or-list holds; -1 when there are too many. */
static long entries(json_object *v)
{
	size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 1;

	return n > PUSH_MAX_UIDS ? -1 : (long)n;
}

static json_object *entry(json_object *v, size_t i)
{
	return json_object_is_type(v, json_type_array) ? json_object_array_get_idx(v, i) : v;
}

int push_exclude_parse(json_object *root, int overflowed, push_exclude_list *x, const char **err)
{
	json_object *v;
	long n;
	size_t i;

	memset(x, 0, sizeof(*x));
	if ((v = field(root, "exclude_uids"))) {
		if ((n = entries(v)) < 0) {
			*err = "\"exclude_uids\" is too long";
			return -1;
		}
		x->uids = malloc((n ? n : 1) * sizeof(*x->uids));
		x->lens = malloc((n ? n : 1) * sizeof(*x->lens));
		if (!x->uids || !x->lens) {
			*err = "out of memory";
			return -1;
		}
		for (i = 0; i < (size_t)n; i++) {
			json_object *e = entry(v, i);

			if (json_object_is_type(e, json_type_string)) {
				x->uids[i] = json_object_get_string(e);
				x->lens[i] = (size_t)json_object_get_string_len(e);
			} else if (json_object_is_type(e, json_type_int)) {
				push_str one, *lst;
				size_t cnt;
				const char *uerr = NULL;

				/* the same reading as a target uid: a clamped integer is refused */
				if (push_json_uids_ex(e, overflowed, &lst, &cnt, &one, &uerr) != 0) {
					*err = uerr && strstr(uerr, "out of range") ? "\"exclude_uids\" integer out of range: send it as a string"
							: E_UIDS;
					return -1;
				}
				x->uids[i] = one.p;
				x->lens[i] = one.len;
			} else {
				*err = E_UIDS;
				return -1;
			}
		}
		x->ex.uids = x->uids;
		x->ex.uid_lens = x->lens;
		x->ex.nuids = (size_t)n;
	}
	if ((v = field(root, "exclude_connections"))) {
		if ((n = entries(v)) < 0) {
			*err = "\"exclude_connections\" is too long";
			return -1;
		}
		x->ids = malloc((n ? n : 1) * sizeof(*x->ids));
		if (!x->ids) {
			*err = "out of memory";
			return -1;
		}
		for (i = 0; i < (size_t)n; i++) {
			json_object *e = entry(v, i);
			int64_t id;

			if (!json_object_is_type(e, json_type_int) || (id = json_object_get_int64(e)) < 1) {
				*err = E_CONNS;
				return -1;
			}
			x->ids[i] = (uint64_t)id;
		}
		x->ex.conn_ids = x->ids;
		x->ex.nconns = (size_t)n;
	}
	return 0;
}

void push_exclude_list_free(push_exclude_list *x)
{
	free(x->uids);
	free(x->lens);
	free(x->ids);
	memset(x, 0, sizeof(*x));
}
