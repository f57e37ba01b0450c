/*
 * server_api.c - Push\Server's side of the one vocabulary it shares with Push\Client
 * and Push\RemoteServer (README "One API"): send, sendToUid, sendBatch, broadcast,
 * sendToGroup, groups, counts, lists, kickUid, getStats. Each needs the running
 * server and throws Push\ServerNotRunningException without it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"
#include "ext/json/php_json.h"

#include "../../php_push.h"
#include "php_push_server.h"
#include "client_address.h"
#include "server_api.h"
#include "../core/route.h"

static bool uid_arg(zval *uid, zend_string **out, bool *tmp)
{
	if (Z_TYPE_P(uid) == IS_LONG) {
		*out = zend_long_to_str(Z_LVAL_P(uid));
		*tmp = true;
		return true;
	}
	if (Z_TYPE_P(uid) == IS_STRING) {
		*out = Z_STR_P(uid);
		*tmp = false;
		return true;
	}
	return false;
}

/* Argument arg is a group name the core takes (push_route_group_name_error); false with a ValueError if not. */
bool php_push_group_arg(zend_string *group, uint32_t arg)
{
	const char *err = push_route_group_name_error(ZSTR_VAL(group), ZSTR_LEN(group));

	if (err) {
		zend_argument_value_error(arg, "%s", err);
		return false;
	}
	return true;
}

/* The same for a uid (push_route_uid_error). */
static bool uid_name_ok(zend_string *u, uint32_t arg)
{
	const char *err = push_route_uid_error(ZSTR_VAL(u), ZSTR_LEN(u));

	if (err) {
		zend_argument_value_error(arg, "%s", err);
		return false;
	}
	return true;
}

/*
 * The methods of the shared vocabulary (send ... getStats) need the running server;
 * false, with Push\ServerNotRunningException thrown, when there is none.
 */
static bool server_running(php_push_server *s, zend_execute_data *execute_data)
{
	if (s->core) {
		return true;
	}
	zend_throw_exception_ex(push_server_not_running_exception_ce, 0,
		"Push\\Server::%s() needs the running server: call it once run() or start() serves "
		"(from a callback or a timer)", ZSTR_VAL(EX(func)->common.function_name));
	return false;
}

/*
 * Argument 1, a uid (string|int), of a method that needs the running server: *u
 * (to release when *tmp); false with the TypeError or the exception thrown.
 */
static bool server_uid(php_push_server *s, zend_execute_data *execute_data, zval *uid, zend_string **u, bool *tmp)
{
	if (!uid_arg(uid, u, tmp)) {
		zend_argument_type_error(1, "must be of type string|int, %s given", zend_zval_type_name(uid));
		return false;
	}
	if (!server_running(s, execute_data)) {
		if (*tmp) {
			zend_string_release(*u);
		}
		return false;
	}
	return true;
}

#define SERVER_RUNNING(s) do { if (!server_running((s), execute_data)) { RETURN_THROWS(); } } while (0)

/*
 * A message given as string|array: the string, or the array's JSON, encoded as
 * Push\Client encodes it (client_address.c: unescaped slashes and unicode). NULL with an exception: not encodable,
 * or longer than max_message_out. The caller releases the result.
 */
static zend_string *server_msg(php_push_server *s, zval *msg, uint32_t arg)
{
	smart_str buf = {0};

	ZVAL_DEREF(msg);
	if (Z_TYPE_P(msg) == IS_STRING) {
		if (Z_STRLEN_P(msg) > s->cfg.max_msg_out) {
			zend_argument_value_error(arg, "is longer than max_message_out (%u bytes)", s->cfg.max_msg_out);
			return NULL;
		}
		return zend_string_copy(Z_STR_P(msg));
	}
	if (Z_TYPE_P(msg) != IS_ARRAY) {
		zend_argument_type_error(arg, "must be of type string|array, %s given", zend_zval_type_name(msg));
		return NULL;
	}
	/* the encoder and the errors of Push\Client, so that both push the same bytes */
	if (push_client_json_append_arg(&buf, msg, arg) == FAILURE) {
		smart_str_free(&buf);
		return NULL;
	}
	smart_str_0(&buf);
	if (ZSTR_LEN(buf.s) > s->cfg.max_msg_out) {
		smart_str_free(&buf);
		zend_argument_value_error(arg, "is longer than max_message_out (%u bytes) as JSON", s->cfg.max_msg_out);
		return NULL;
	}
	return buf.s;
}

static push_result send_one(php_push_server *s, zval *uid, zend_string *msg)
{
	push_result r = {0};
	zend_string *u;
	bool tmp;

	if (!uid_arg(uid, &u, &tmp)) {
		return r;
	}
	r = push_route_send_uid(s->core, ZSTR_VAL(u), ZSTR_LEN(u), ZSTR_VAL(msg), ZSTR_LEN(msg));
	if (tmp) {
		zend_string_release(u);
	}
	return r;
}

/*
 * A send Redis could not take for the other nodes throws, as Push\Client's
 * does (its server answers an error): Push\ProtocolException, the message
 * saying how many connections of this node got it, the code that count.
 */
static int result_throw(const push_result *r)
{
	if (!r->cluster_fail) {
		return 0;
	}
	zend_throw_exception_ex(push_protocol_exception_ce, (zend_long)r->count,
			"push server: cluster unavailable: not delivered to other nodes (%zu connection%s of this node got it)",
			r->count, r->count == 1 ? "" : "s");
	return -1;
}

/* sendToUid() and send(): pushes to one uid or a list; -1 with an exception. */
static int server_send(INTERNAL_FUNCTION_PARAMETERS, push_result *res)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zval *uid, *u, *msg_arg;
	zend_string *msg;
	push_result one;

	memset(res, 0, sizeof(*res));
	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_ZVAL(uid)
		Z_PARAM_ZVAL(msg_arg)
	ZEND_PARSE_PARAMETERS_END_EX(return -1);
	if (Z_TYPE_P(uid) != IS_STRING && Z_TYPE_P(uid) != IS_LONG && Z_TYPE_P(uid) != IS_ARRAY) {
		zend_argument_type_error(1, "must be of type string|int|array, %s given", zend_zval_type_name(uid));
		return -1;
	}
	if (!(msg = server_msg(s, msg_arg, 2))) {
		return -1;
	}
	if (!server_running(s, execute_data)) {
		zend_string_release(msg);
		return -1;
	}
	if (Z_TYPE_P(uid) == IS_ARRAY) {
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(uid), u) {
			ZVAL_DEREF(u);
			one = send_one(s, u, msg);
			res->count += one.count;
			res->queued |= one.queued;
			res->cluster_fail |= one.cluster_fail;
		} ZEND_HASH_FOREACH_END();
	} else {
		*res = send_one(s, uid, msg);
	}
	zend_string_release(msg);
	return result_throw(res);
}

PHP_METHOD(Push_Server, sendToUid)
{
	push_result r;

	if (server_send(INTERNAL_FUNCTION_PARAM_PASSTHRU, &r) < 0) {
		RETURN_THROWS();
	}
	RETURN_LONG((zend_long)r.count);
}

/* As Push\Client::send(): true when a connection got it or history kept it for an offline uid. */
PHP_METHOD(Push_Server, send)
{
	push_result r;

	if (server_send(INTERNAL_FUNCTION_PARAM_PASSTHRU, &r) < 0) {
		RETURN_THROWS();
	}
	RETURN_BOOL(r.count > 0 || r.queued);
}

PHP_METHOD(Push_Server, sendBatch)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	HashTable *messages;
	zend_string **msgs;
	zval *pair, *uid, *msg;
	uint32_t count = 0, i = 0;
	push_result one;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_ARRAY_HT(messages)
	ZEND_PARSE_PARAMETERS_END();
	SERVER_RUNNING(s);
	/* every pair is checked before anything is sent, as Push\Client does */
	msgs = safe_emalloc(zend_hash_num_elements(messages) + 1, sizeof(*msgs), 0);
	ZEND_HASH_FOREACH_VAL(messages, pair) {
		zend_string *u;
		bool tmp;

		ZVAL_DEREF(pair);
		if (Z_TYPE_P(pair) != IS_ARRAY || zend_hash_num_elements(Z_ARRVAL_P(pair)) != 2
				|| !(uid = zend_hash_index_find(Z_ARRVAL_P(pair), 0))
				|| !(msg = zend_hash_index_find(Z_ARRVAL_P(pair), 1))) {
			zend_argument_value_error(1, "must be a list of [uid, message] pairs");
			goto fail;
		}
		ZVAL_DEREF(uid);
		if (!uid_arg(uid, &u, &tmp)) {
			zend_argument_type_error(1, "uids must be of type string|int, %s given", zend_zval_type_name(uid));
			goto fail;
		}
		if (tmp) {
			zend_string_release(u);
		}
		if (!(msgs[count] = server_msg(s, msg, 1))) {
			goto fail;
		}
		count++;
	} ZEND_HASH_FOREACH_END();
	array_init_size(return_value, count);
	ZEND_HASH_FOREACH_VAL(messages, pair) {
		ZVAL_DEREF(pair);
		uid = zend_hash_index_find(Z_ARRVAL_P(pair), 0);
		ZVAL_DEREF(uid);
		one = send_one(s, uid, msgs[i]);
		add_next_index_bool(return_value, one.count > 0 || one.queued);
		zend_string_release(msgs[i++]);
	} ZEND_HASH_FOREACH_END();
	efree(msgs);
	return;
fail:
	while (count) {
		zend_string_release(msgs[--count]);
	}
	efree(msgs);
	RETURN_THROWS();
}

/* Exclusion lists of the PHP API, held for one call. */
typedef struct php_exclude {
	push_exclude ex;           /* what the core reads */
	const char **uids;         /* uid bytes */
	size_t *lens;              /* their lengths */
	uint64_t *ids;             /* connection ids */
	zend_string **tmp;         /* strings made from integer uids */
	size_t ntmp;               /* how many */
} php_exclude;

static void exclude_free(php_exclude *x)
{
	size_t i;

	for (i = 0; i < x->ntmp; i++) {
		zend_string_release(x->tmp[i]);
	}
	if (x->uids) efree(x->uids);
	if (x->lens) efree(x->lens);
	if (x->ids) efree(x->ids);
	if (x->tmp) efree(x->tmp);
}

static int exclude_parse(php_exclude *x, HashTable *uids, HashTable *conns, uint32_t arg)
{
	zval *v;
	size_t n;

	memset(x, 0, sizeof(*x));
	if (uids && (n = zend_hash_num_elements(uids)) > 0) {
		x->uids = ecalloc(n, sizeof(*x->uids));
		x->lens = ecalloc(n, sizeof(*x->lens));
		x->tmp = ecalloc(n, sizeof(*x->tmp));
		ZEND_HASH_FOREACH_VAL(uids, v) {
			zend_string *u;
			bool tmp;

			ZVAL_DEREF(v);
			if (!uid_arg(v, &u, &tmp)) {
				zend_argument_type_error(arg, "must be a list of string|int uids");
				return -1;
			}
			if (tmp) {
				x->tmp[x->ntmp++] = u;
			}
			x->uids[x->ex.nuids] = ZSTR_VAL(u);
			x->lens[x->ex.nuids++] = ZSTR_LEN(u);
		} ZEND_HASH_FOREACH_END();
		x->ex.uids = x->uids;
		x->ex.uid_lens = x->lens;
	}
	if (conns && (n = zend_hash_num_elements(conns)) > 0) {
		x->ids = ecalloc(n, sizeof(*x->ids));
		ZEND_HASH_FOREACH_VAL(conns, v) {
			ZVAL_DEREF(v);
			if (Z_TYPE_P(v) != IS_LONG) {
				zend_argument_type_error(arg + 1, "must be a list of connection ids");
				return -1;
			}
			x->ids[x->ex.nconns++] = (uint64_t)Z_LVAL_P(v);
		} ZEND_HASH_FOREACH_END();
		x->ex.conn_ids = x->ids;
	}
	return 0;
}

PHP_METHOD(Push_Server, broadcast)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zend_string *msg;
	zval *msg_arg;
	HashTable *xu = NULL, *xc = NULL;
	php_exclude x;
	push_result r;

	ZEND_PARSE_PARAMETERS_START(1, 3)
		Z_PARAM_ZVAL(msg_arg)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(xu)
		Z_PARAM_ARRAY_HT(xc)
	ZEND_PARSE_PARAMETERS_END();
	if (!(msg = server_msg(s, msg_arg, 1))) {
		RETURN_THROWS();
	}
	if (exclude_parse(&x, xu, xc, 2) != 0 || !server_running(s, execute_data)) {
		exclude_free(&x);
		zend_string_release(msg);
		RETURN_THROWS();
	}
	r = push_route_broadcast(s->core, ZSTR_VAL(msg), ZSTR_LEN(msg), &x.ex);
	exclude_free(&x);
	zend_string_release(msg);
	if (result_throw(&r) < 0) {
		RETURN_THROWS();
	}
	RETURN_LONG((zend_long)r.count);
}

PHP_METHOD(Push_Server, sendToGroup)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zend_string *group, *msg;
	zval *msg_arg;
	HashTable *xu = NULL, *xc = NULL;
	php_exclude x;
	push_result r;

	ZEND_PARSE_PARAMETERS_START(2, 4)
		Z_PARAM_STR(group)
		Z_PARAM_ZVAL(msg_arg)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(xu)
		Z_PARAM_ARRAY_HT(xc)
	ZEND_PARSE_PARAMETERS_END();
	if (!php_push_group_arg(group, 1)) {
		RETURN_THROWS();
	}
	if (!(msg = server_msg(s, msg_arg, 2))) {
		RETURN_THROWS();
	}
	if (exclude_parse(&x, xu, xc, 3) != 0 || !server_running(s, execute_data)) {
		exclude_free(&x);
		zend_string_release(msg);
		RETURN_THROWS();
	}
	r = push_route_send_group(s->core, ZSTR_VAL(group), ZSTR_LEN(group), ZSTR_VAL(msg), ZSTR_LEN(msg), &x.ex);
	exclude_free(&x);
	zend_string_release(msg);
	if (result_throw(&r) < 0) {
		RETURN_THROWS();
	}
	RETURN_LONG((zend_long)r.count);
}

/* One uid joins or leaves: 1 changed, 0 not, -1 offline or invalid; -2 not a string|int. */
static int group_uid_one(php_push_server *s, zend_string *group, zval *uid, int join)
{
	zend_string *u;
	bool tmp;
	int rc;

	ZVAL_DEREF(uid);
	if (!uid_arg(uid, &u, &tmp)) {
		return -2;
	}
	rc = join ? push_route_group_join_uid(s->core, ZSTR_VAL(group), ZSTR_LEN(group), ZSTR_VAL(u), ZSTR_LEN(u))
			: push_route_group_leave_uid(s->core, ZSTR_VAL(group), ZSTR_LEN(group), ZSTR_VAL(u), ZSTR_LEN(u));
	if (tmp) {
		zend_string_release(u);
	}
	return rc;
}

static void group_uid_op(INTERNAL_FUNCTION_PARAMETERS, int join)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zend_string *group;
	zval *uid, *u;
	bool changed = false;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_STR(group)
		Z_PARAM_ZVAL(uid)
	ZEND_PARSE_PARAMETERS_END();
	if (!php_push_group_arg(group, 1)) {
		RETURN_THROWS();
	}
	if (Z_TYPE_P(uid) == IS_ARRAY) {
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(uid), u) {
			ZVAL_DEREF(u);
			if (Z_TYPE_P(u) != IS_STRING && Z_TYPE_P(u) != IS_LONG) {
				zend_argument_type_error(2, "must contain only string|int uids, %s given", zend_zval_type_name(u));
				RETURN_THROWS();
			}
			if (Z_TYPE_P(u) == IS_STRING && !uid_name_ok(Z_STR_P(u), 2)) {
				RETURN_THROWS();
			}
		} ZEND_HASH_FOREACH_END();
	} else if (Z_TYPE_P(uid) != IS_STRING && Z_TYPE_P(uid) != IS_LONG) {
		zend_argument_type_error(2, "must be of type string|int|array, %s given", zend_zval_type_name(uid));
		RETURN_THROWS();
	} else if (Z_TYPE_P(uid) == IS_STRING && !uid_name_ok(Z_STR_P(uid), 2)) {
		RETURN_THROWS();
	}
	SERVER_RUNNING(s);
	if (Z_TYPE_P(uid) == IS_ARRAY) {
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(uid), u) {
			changed |= group_uid_one(s, group, u, join) > 0;
		} ZEND_HASH_FOREACH_END();
	} else {
		changed = group_uid_one(s, group, uid, join) > 0;
	}
	RETURN_BOOL(changed);
}

PHP_METHOD(Push_Server, joinGroup) { group_uid_op(INTERNAL_FUNCTION_PARAM_PASSTHRU, 1); }
PHP_METHOD(Push_Server, leaveGroup) { group_uid_op(INTERNAL_FUNCTION_PARAM_PASSTHRU, 0); }

PHP_METHOD(Push_Server, getGroupConnectionCount)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zend_string *group;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(group)
	ZEND_PARSE_PARAMETERS_END();
	if (!php_push_group_arg(group, 1)) {
		RETURN_THROWS();
	}
	SERVER_RUNNING(s);
	RETURN_LONG((zend_long)push_route_group_count(s->core, ZSTR_VAL(group), ZSTR_LEN(group)));
}

static void add_name(const char *name, size_t len, void *arg)
{
	add_next_index_stringl((zval *)arg, name, len);
}

PHP_METHOD(Push_Server, getGroupUids)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zend_string *group;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(group)
	ZEND_PARSE_PARAMETERS_END();
	if (!php_push_group_arg(group, 1)) {
		RETURN_THROWS();
	}
	SERVER_RUNNING(s);
	array_init(return_value);
	push_route_group_uids(s->core, ZSTR_VAL(group), ZSTR_LEN(group), add_name, return_value);
}

PHP_METHOD(Push_Server, getUidGroups)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zval *uid;
	zend_string *u;
	bool tmp;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_ZVAL(uid)
	ZEND_PARSE_PARAMETERS_END();
	if (Z_TYPE_P(uid) == IS_STRING && !uid_name_ok(Z_STR_P(uid), 1)) {
		RETURN_THROWS();
	}
	if (!server_uid(s, execute_data, uid, &u, &tmp)) {
		RETURN_THROWS();
	}
	array_init(return_value);
	push_route_uid_groups(s->core, ZSTR_VAL(u), ZSTR_LEN(u), add_name, return_value);
	if (tmp) {
		zend_string_release(u);
	}
}

PHP_METHOD(Push_Server, getAllConnectionCount)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	SERVER_RUNNING(s);
	RETURN_LONG((zend_long)push_stats_get(s->core)->bound_conns);
}

PHP_METHOD(Push_Server, getAllUidCount)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	SERVER_RUNNING(s);
	RETURN_LONG((zend_long)push_stats_get(s->core)->uids);
}

PHP_METHOD(Push_Server, getAllGroupCount)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	SERVER_RUNNING(s);
	RETURN_LONG((zend_long)push_route_group_total(s->core));
}

PHP_METHOD(Push_Server, getUidList)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zend_long cursor = 0, limit = 1000;
	zval uids;
	uint64_t next = 0;

	ZEND_PARSE_PARAMETERS_START(0, 2)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG(cursor)
		Z_PARAM_LONG(limit)
	ZEND_PARSE_PARAMETERS_END();
	if (cursor < 0) {
		zend_argument_value_error(1, "must be 0 or a cursor returned as \"next\"");
		RETURN_THROWS();
	}
	if (limit < 1 || limit > 1000000) {
		zend_argument_value_error(2, "must be between 1 and 1000000");
		RETURN_THROWS();
	}
	SERVER_RUNNING(s);
	array_init(&uids);
	next = push_route_uids_page(s->core, (uint64_t)cursor, (size_t)limit, add_name, &uids);
	array_init(return_value);
	add_assoc_zval(return_value, "uids", &uids);
	if (next) {
		add_assoc_long(return_value, "next", (zend_long)next);
	} else {
		add_assoc_null(return_value, "next");
	}
	add_assoc_long(return_value, "total", (zend_long)push_route_all_uid_count(s->core));
}

/* Connections of a uid; -1 with an exception. */
static zend_long uid_count(INTERNAL_FUNCTION_PARAMETERS)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zval *uid;
	zend_string *u;
	bool tmp;
	size_t n;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_ZVAL(uid)
	ZEND_PARSE_PARAMETERS_END_EX(return -1);
	if (!server_uid(s, execute_data, uid, &u, &tmp)) {
		return -1;
	}
	n = push_route_uid_count(s->core, ZSTR_VAL(u), ZSTR_LEN(u));
	if (tmp) {
		zend_string_release(u);
	}
	return (zend_long)n;
}

PHP_METHOD(Push_Server, isUidOnline)
{
	zend_long n = uid_count(INTERNAL_FUNCTION_PARAM_PASSTHRU);

	if (n < 0) {
		RETURN_THROWS();
	}
	RETURN_BOOL(n > 0);
}

PHP_METHOD(Push_Server, getUidConnectionCount)
{
	zend_long n = uid_count(INTERNAL_FUNCTION_PARAM_PASSTHRU);

	if (n < 0) {
		RETURN_THROWS();
	}
	RETURN_LONG(n);
}

PHP_METHOD(Push_Server, kickUid)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zval *uid;
	zend_string *reason = NULL, *u;
	bool tmp;
	push_result r;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_ZVAL(uid)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR(reason)
	ZEND_PARSE_PARAMETERS_END();
	if (!server_uid(s, execute_data, uid, &u, &tmp)) {
		RETURN_THROWS();
	}
	if (push_route_uid_error(ZSTR_VAL(u), ZSTR_LEN(u))) {
		memset(&r, 0, sizeof(r));    /* a name no client can have (a front end's own): nobody to kick */
	} else {
		r = push_route_kick(s->core, ZSTR_VAL(u), ZSTR_LEN(u), PUSH_CLOSE_KICKED,
				reason && ZSTR_LEN(reason) ? ZSTR_VAL(reason) : "kicked");
	}
	if (tmp) {
		zend_string_release(u);
	}
	if (result_throw(&r) < 0) {
		RETURN_THROWS();
	}
	RETURN_LONG((zend_long)r.count);
}


PHP_METHOD(Push_Server, getStats)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	char buf[4096];
	size_t n;

	ZEND_PARSE_PARAMETERS_NONE();
	SERVER_RUNNING(s);
	n = push_stats_json(s->core, buf, sizeof(buf));
	php_json_decode_ex(return_value, buf, n, PHP_JSON_OBJECT_AS_ARRAY, 64);
	if (Z_TYPE_P(return_value) == IS_ARRAY) {
		/* the keys of the status command, as Push\RemoteServer::getStats() gives them */
		zend_hash_str_del(Z_ARRVAL_P(return_value), "ok", sizeof("ok") - 1);
		add_assoc_long(return_value, "memory", (zend_long)zend_memory_usage(0));
	}
}
