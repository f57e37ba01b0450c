/*
 * exclude.h - the one reader of a send's exclusions, shared by the Text port
 * (broadcast, sendToAll, sendToGroup) and the HTTP API (/api/broadcast,
 * /api/group/send). The accepted form (docs/PROTOCOL.md, docs/HTTP.md):
 *
 *   "exclude_uids":        a uid (string or integer) or a list of them
 *   "exclude_connections": a connection id (integer >= 1) or a list of them
 *
 * Both optional; null is the same as absent; an empty list excludes nothing.
 */
#ifndef PUSH_EXCLUDE_H
#define PUSH_EXCLUDE_H

#include <json-c/json.h>

#include "server.h"

/* The exclusions of one request and the storage behind them. */
typedef struct push_exclude_list {
	push_exclude ex;           /* what the send reads */
	const char **uids;         /* storage: uid bytes (point into the JSON document) */
	size_t *lens;              /* storage: their lengths */
	uint64_t *ids;             /* storage: connection ids */
} push_exclude_list;

/*
 * Reads "exclude_uids" and "exclude_connections" of object root. overflowed:
 * the document had an integer json-c clamped (see push_json_uids_ex). Returns
 * 0, or -1 with *err (a static message); free x either way.
 */
int push_exclude_parse(json_object *root, int overflowed, push_exclude_list *x, const char **err);
void push_exclude_list_free(push_exclude_list *x);

#endif
