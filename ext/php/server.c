/*
 * server.c - Push\Server: the object, its callbacks and the server-side API
 * (sends, groups, counts, timers). Options are options.c's, run() is run.c's,
 * the command line and signals are cli.c's.
 *
 * PHP is entered only through php_push_invoke() (run.c); the push path (Text
 * lines, registry, frames) never calls PHP.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <arpa/inet.h>
#include <errno.h>

#include "php.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"
#include "ext/json/php_json.h"
#include "SAPI.h"
#include "php_variables.h"

#include "../../php_push.h"
#include "php_push_server.h"
#include "../core/token.h"

static zend_object_handlers push_server_handlers;

/* ------------------------------------------------------------ objects -- */

static void callback_init(php_push_callback *cb)
{
	ZVAL_UNDEF(&cb->fn);
	memset(&cb->fcc, 0, sizeof(cb->fcc));
}

static void callback_free(php_push_callback *cb)
{
	zval_ptr_dtor(&cb->fn);
	ZVAL_UNDEF(&cb->fn);
	memset(&cb->fcc, 0, sizeof(cb->fcc));
}

static zend_object *push_server_create(zend_class_entry *ce)
{
	php_push_server *s = zend_object_alloc(sizeof(php_push_server), ce);

	zend_object_std_init(&s->std, ce);
	object_properties_init(&s->std, ce);
	s->std.handlers = &push_server_handlers;
	s->core = NULL;
	push_config_defaults(&s->cfg);
	callback_init(&s->on_start);
	callback_init(&s->on_connect);
	callback_init(&s->on_message);
	callback_init(&s->on_close);
	callback_init(&s->on_auth);
	zend_hash_init(&s->timers, 8, NULL, ZVAL_PTR_DTOR, 0);
	s->next_timer = 0;
	s->in_callback = 0;
	s->running = false;
	s->pid_file = NULL;
	s->log_file = NULL;
	s->ready_fd = -1;
	s->signals = -1;
	return &s->std;
}

static void push_server_free_obj(zend_object *obj)
{
	php_push_server *s = php_push_server_from_obj(obj);

	if (s->core) {
		push_server_free(s->core);
		s->core = NULL;
	}
	callback_free(&s->on_start);
	callback_free(&s->on_connect);
	callback_free(&s->on_message);
	callback_free(&s->on_close);
	callback_free(&s->on_auth);
	zend_hash_destroy(&s->timers);
	push_config_free(&s->cfg);
	if (s->pid_file) {
		efree(s->pid_file);
	}
	if (s->log_file) {
		efree(s->log_file);
	}
	zend_object_std_dtor(&s->std);
}

static HashTable *push_server_get_gc(zend_object *obj, zval **table, int *n)
{
	php_push_server *s = php_push_server_from_obj(obj);
	zend_get_gc_buffer *buf = zend_get_gc_buffer_create();
	zval *t;

	zend_get_gc_buffer_add_zval(buf, &s->on_start.fn);
	zend_get_gc_buffer_add_zval(buf, &s->on_connect.fn);
	zend_get_gc_buffer_add_zval(buf, &s->on_message.fn);
	zend_get_gc_buffer_add_zval(buf, &s->on_close.fn);
	zend_get_gc_buffer_add_zval(buf, &s->on_auth.fn);
	ZEND_HASH_FOREACH_VAL(&s->timers, t) {
		zend_get_gc_buffer_add_zval(buf, t);
	} ZEND_HASH_FOREACH_END();
	zend_get_gc_buffer_use(buf, table, n);
	return zend_std_get_properties(obj);
}

void php_push_server_minit(zend_class_entry *ce)
{
	ce->create_object = push_server_create;
	memcpy(&push_server_handlers, &std_object_handlers, sizeof(zend_object_handlers));
	push_server_handlers.offset = XtOffsetOf(php_push_server, std);
	push_server_handlers.free_obj = push_server_free_obj;
	push_server_handlers.get_gc = push_server_get_gc;
	push_server_handlers.clone_obj = NULL;
	push_server_handlers.compare = zend_objects_not_comparable;
}

PHP_METHOD(Push_Server, __construct)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	HashTable *opts = NULL;

	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(opts)
	ZEND_PARSE_PARAMETERS_END();

	push_config_free(&s->cfg);
	push_config_defaults(&s->cfg);
	s->cfg.text_host = strdup("127.0.0.1");
	if (opts && php_push_apply_options(s, opts) != 0) {
		RETURN_THROWS();
	}
	if (s->cfg.text_port >= 0 && !php_push_is_loopback(s->cfg.text_host) && !s->cfg.text_secret) {
		zend_throw_exception_ex(push_server_exception_ce, 0,
			"refusing to open the Text port on %s without \"text_secret\": anyone who reaches it could push; "
			"bind it to 127.0.0.1 or set a text_secret", s->cfg.text_host ? s->cfg.text_host : "every interface");
		RETURN_THROWS();
	}
}

/* ---------------------------------------------------------- callbacks -- */

static bool not_in_callback(php_push_server *s, const char *what)
{
	if (s->in_callback) {
		zend_throw_error(NULL, "Push\\Server::%s(): cannot be called from inside a server callback", what);
		return false;
	}
	return true;
}

static void set_callback(INTERNAL_FUNCTION_PARAMETERS, php_push_callback *slot, const char *name)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zend_fcall_info fci = empty_fcall_info;
	zend_fcall_info_cache fcc = empty_fcall_info_cache;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_FUNC_OR_NULL(fci, fcc)
	ZEND_PARSE_PARAMETERS_END();

	if (!not_in_callback(s, name)) {
		RETURN_THROWS();
	}
	callback_free(slot);
	if (ZEND_FCI_INITIALIZED(fci)) {
		ZVAL_COPY(&slot->fn, &fci.function_name);
		slot->fcc = fcc;
	}
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

PHP_METHOD(Push_Server, onStart) { set_callback(INTERNAL_FUNCTION_PARAM_PASSTHRU, &Z_PUSH_SERVER_P(ZEND_THIS)->on_start, "onStart"); }
PHP_METHOD(Push_Server, onConnect) { set_callback(INTERNAL_FUNCTION_PARAM_PASSTHRU, &Z_PUSH_SERVER_P(ZEND_THIS)->on_connect, "onConnect"); }
PHP_METHOD(Push_Server, onMessage) { set_callback(INTERNAL_FUNCTION_PARAM_PASSTHRU, &Z_PUSH_SERVER_P(ZEND_THIS)->on_message, "onMessage"); }
PHP_METHOD(Push_Server, onClose) { set_callback(INTERNAL_FUNCTION_PARAM_PASSTHRU, &Z_PUSH_SERVER_P(ZEND_THIS)->on_close, "onClose"); }
PHP_METHOD(Push_Server, onAuth) { set_callback(INTERNAL_FUNCTION_PARAM_PASSTHRU, &Z_PUSH_SERVER_P(ZEND_THIS)->on_auth, "onAuth"); }


PHP_METHOD(Push_Server, run)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	if (s->running) {
		zend_throw_error(NULL, "Push\\Server::run(): the server is already running");
		RETURN_THROWS();
	}
	php_push_server_serve(s);
}

PHP_METHOD(Push_Server, start)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zval *argv = NULL;

	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_OR_NULL(argv)
	ZEND_PARSE_PARAMETERS_END();
	if (s->running) {
		zend_throw_error(NULL, "Push\\Server::start(): the server is already running");
		RETURN_THROWS();
	}
	php_push_cli(s, argv);
}

PHP_METHOD(Push_Server, stop)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	bool graceful = true;

	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(graceful)
	ZEND_PARSE_PARAMETERS_END();
	if (s->core) {
		push_server_stop(s->core, graceful);
	}
}

/* ---------------------------------------------------------------- API -- */

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

/* Argument arg is a group name the core takes (push_server_group_name_error); false with a ValueError if not. */
bool php_push_group_arg(zend_string *group, uint32_t arg)
{
	const char *err = push_server_group_name_error(ZSTR_VAL(group), ZSTR_LEN(group));

	if (err) {
		zend_argument_value_error(arg, "%s", err);
		return false;
	}
	return true;
}

/* The same for a uid (push_server_uid_error). */
static bool uid_name_ok(zend_string *u, uint32_t arg)
{
	const char *err = push_server_uid_error(ZSTR_VAL(u), ZSTR_LEN(u));

	if (err) {
		zend_argument_value_error(arg, "%s", err);
		return false;
	}
	return true;
}

static size_t send_one(php_push_server *s, zval *uid, zend_string *msg)
{
	zend_string *u;
	bool tmp;
	size_t n;

	if (!uid_arg(uid, &u, &tmp)) {
		return 0;
	}
	n = push_server_send_uid(s->core, ZSTR_VAL(u), ZSTR_LEN(u), ZSTR_VAL(msg), ZSTR_LEN(msg));
	if (tmp) {
		zend_string_release(u);
	}
	return n;
}

PHP_METHOD(Push_Server, sendToUid)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zval *uid, *u;
	zend_string *msg;
	size_t n = 0;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_ZVAL(uid)
		Z_PARAM_STR(msg)
	ZEND_PARSE_PARAMETERS_END();
	if (Z_TYPE_P(uid) != IS_STRING && Z_TYPE_P(uid) != IS_LONG && Z_TYPE_P(uid) != IS_ARRAY) {
		zend_argument_type_error(1, "must be of type string|int|array, %s given", zend_zval_type_name(uid));
		RETURN_THROWS();
	}
	if (ZSTR_LEN(msg) > s->cfg.max_msg_out) {
		zend_argument_value_error(2, "is longer than max_message_out (%u bytes)", s->cfg.max_msg_out);
		RETURN_THROWS();
	}
	if (!s->core) {
		RETURN_LONG(0);
	}
	if (Z_TYPE_P(uid) == IS_ARRAY) {
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(uid), u) {
			ZVAL_DEREF(u);
			n += send_one(s, u, msg);
		} ZEND_HASH_FOREACH_END();
	} else {
		n = send_one(s, uid, msg);
	}
	RETURN_LONG((zend_long)n);
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
	HashTable *xu = NULL, *xc = NULL;
	php_exclude x;
	size_t n;

	ZEND_PARSE_PARAMETERS_START(1, 3)
		Z_PARAM_STR(msg)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(xu)
		Z_PARAM_ARRAY_HT(xc)
	ZEND_PARSE_PARAMETERS_END();
	if (ZSTR_LEN(msg) > s->cfg.max_msg_out) {
		zend_argument_value_error(1, "is longer than max_message_out (%u bytes)", s->cfg.max_msg_out);
		RETURN_THROWS();
	}
	if (exclude_parse(&x, xu, xc, 2) != 0) {
		exclude_free(&x);
		RETURN_THROWS();
	}
	n = s->core ? push_server_broadcast_ex(s->core, ZSTR_VAL(msg), ZSTR_LEN(msg), &x.ex) : 0;
	exclude_free(&x);
	RETURN_LONG((zend_long)n);
}

PHP_METHOD(Push_Server, sendToGroup)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zend_string *group, *msg;
	HashTable *xu = NULL, *xc = NULL;
	php_exclude x;
	size_t n;

	ZEND_PARSE_PARAMETERS_START(2, 4)
		Z_PARAM_STR(group)
		Z_PARAM_STR(msg)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(xu)
		Z_PARAM_ARRAY_HT(xc)
	ZEND_PARSE_PARAMETERS_END();
	if (!php_push_group_arg(group, 1)) {
		RETURN_THROWS();
	}
	if (ZSTR_LEN(msg) > s->cfg.max_msg_out) {
		zend_argument_value_error(2, "is longer than max_message_out (%u bytes)", s->cfg.max_msg_out);
		RETURN_THROWS();
	}
	if (exclude_parse(&x, xu, xc, 3) != 0) {
		exclude_free(&x);
		RETURN_THROWS();
	}
	n = s->core ? push_server_send_group(s->core, ZSTR_VAL(group), ZSTR_LEN(group), ZSTR_VAL(msg), ZSTR_LEN(msg), &x.ex) : 0;
	exclude_free(&x);
	RETURN_LONG((zend_long)n);
}

static void group_uid_op(INTERNAL_FUNCTION_PARAMETERS, int join)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zend_string *group, *u;
	zval *uid;
	bool tmp;
	int rc;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_STR(group)
		Z_PARAM_ZVAL(uid)
	ZEND_PARSE_PARAMETERS_END();
	if (!php_push_group_arg(group, 1)) {
		RETURN_THROWS();
	}
	if (!uid_arg(uid, &u, &tmp)) {
		zend_argument_type_error(2, "must be of type string|int, %s given", zend_zval_type_name(uid));
		RETURN_THROWS();
	}
	if (!uid_name_ok(u, 2)) {
		if (tmp) {
			zend_string_release(u);
		}
		RETURN_THROWS();
	}
	rc = !s->core ? -1 : join ? push_server_group_join_uid(s->core, ZSTR_VAL(group), ZSTR_LEN(group), ZSTR_VAL(u), ZSTR_LEN(u))
			: push_server_group_leave_uid(s->core, ZSTR_VAL(group), ZSTR_LEN(group), ZSTR_VAL(u), ZSTR_LEN(u));
	if (tmp) {
		zend_string_release(u);
	}
	RETURN_BOOL(rc > 0);
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
	RETURN_LONG(s->core ? (zend_long)push_server_group_count(s->core, ZSTR_VAL(group), ZSTR_LEN(group)) : 0);
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
	array_init(return_value);
	if (s->core) {
		push_server_group_uids(s->core, ZSTR_VAL(group), ZSTR_LEN(group), add_name, return_value);
	}
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
	array_init(return_value);
	if (s->core && uid_arg(uid, &u, &tmp)) {
		push_server_uid_groups(s->core, ZSTR_VAL(u), ZSTR_LEN(u), add_name, return_value);
		if (tmp) {
			zend_string_release(u);
		}
	}
}

PHP_METHOD(Push_Server, getAllConnectionCount)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_LONG(s->core ? (zend_long)push_server_stats(s->core)->bound_conns : 0);
}

PHP_METHOD(Push_Server, getAllUidCount)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_LONG(s->core ? (zend_long)push_server_stats(s->core)->uids : 0);
}

PHP_METHOD(Push_Server, getAllGroupCount)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_LONG(s->core ? (zend_long)push_server_group_total(s->core) : 0);
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
	if (limit < 1 || limit > 1000000) {
		zend_argument_value_error(2, "must be between 1 and 1000000");
		RETURN_THROWS();
	}
	array_init(&uids);
	if (s->core) {
		next = push_server_uids_page(s->core, (uint64_t)cursor, (size_t)limit, add_name, &uids);
	}
	array_init(return_value);
	add_assoc_zval(return_value, "uids", &uids);
	if (next) {
		add_assoc_long(return_value, "next", (zend_long)next);
	} else {
		add_assoc_null(return_value, "next");
	}
}

static size_t uid_count(php_push_server *s, zval *uid)
{
	zend_string *u;
	bool tmp;
	size_t n;

	if (!s->core || !uid_arg(uid, &u, &tmp)) {
		return 0;
	}
	n = push_server_uid_count(s->core, ZSTR_VAL(u), ZSTR_LEN(u));
	if (tmp) {
		zend_string_release(u);
	}
	return n;
}

PHP_METHOD(Push_Server, isUidOnline)
{
	zval *uid;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_ZVAL(uid)
	ZEND_PARSE_PARAMETERS_END();
	RETURN_BOOL(uid_count(Z_PUSH_SERVER_P(ZEND_THIS), uid) > 0);
}

PHP_METHOD(Push_Server, getUidConnectionCount)
{
	zval *uid;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_ZVAL(uid)
	ZEND_PARSE_PARAMETERS_END();
	RETURN_LONG((zend_long)uid_count(Z_PUSH_SERVER_P(ZEND_THIS), uid));
}

PHP_METHOD(Push_Server, kickUid)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zval *uid;
	zend_string *reason = NULL, *u;
	bool tmp;
	size_t n;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_ZVAL(uid)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR(reason)
	ZEND_PARSE_PARAMETERS_END();
	if (!s->core || !uid_arg(uid, &u, &tmp)) {
		RETURN_LONG(0);
	}
	n = push_server_kick_uid(s->core, ZSTR_VAL(u), ZSTR_LEN(u), PUSH_CLOSE_KICKED,
			reason && ZSTR_LEN(reason) ? ZSTR_VAL(reason) : "kicked");
	if (tmp) {
		zend_string_release(u);
	}
	RETURN_LONG((zend_long)n);
}

PHP_METHOD(Push_Server, addTimer)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	double interval;
	zend_fcall_info fci;
	zend_fcall_info_cache fcc;
	bool repeat = true;
	zval entry;
	uint32_t id;

	ZEND_PARSE_PARAMETERS_START(2, 3)
		Z_PARAM_DOUBLE(interval)
		Z_PARAM_FUNC(fci, fcc)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(repeat)
	ZEND_PARSE_PARAMETERS_END();
	if (!(interval >= 0.001 && interval <= 86400 * 365)) {
		zend_argument_value_error(1, "must be between 0.001 and 31536000 seconds");
		RETURN_THROWS();
	}
	id = ++s->next_timer;
	array_init(&entry);
	Z_TRY_ADDREF(fci.function_name);
	add_index_zval(&entry, 0, &fci.function_name);
	add_index_double(&entry, 1, interval);
	add_index_bool(&entry, 2, repeat);
	add_index_stringl(&entry, 4, (const char *)&fcc, sizeof(fcc));   /* resolved once, used per tick */
	zend_hash_index_update(&s->timers, id, &entry);
	if (s->core) {
		php_push_start_timer(s, id, zend_hash_index_find(&s->timers, id));
	}
	RETURN_LONG((zend_long)id);
}

PHP_METHOD(Push_Server, clearTimer)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zend_long id;
	zval *entry, *core_id;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_LONG(id)
	ZEND_PARSE_PARAMETERS_END();
	entry = zend_hash_index_find(&s->timers, (zend_ulong)id);
	if (!entry) {
		RETURN_FALSE;
	}
	if (s->core && (core_id = zend_hash_index_find(Z_ARRVAL_P(entry), 3)) != NULL) {
		push_server_clear_timer(s->core, (uint32_t)Z_LVAL_P(core_id));
	}
	zend_hash_index_del(&s->timers, (zend_ulong)id);
	RETURN_TRUE;
}

PHP_METHOD(Push_Server, getConnection)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	zend_long id;
	push_conn *c;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_LONG(id)
	ZEND_PARSE_PARAMETERS_END();
	if (!s->core || id <= 0 || !(c = push_server_conn(s->core, (uint64_t)id))) {
		RETURN_NULL();
	}
	php_push_connection_make(return_value, s, c);
}

PHP_METHOD(Push_Server, getWsPort)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_LONG(s->core ? push_server_ws_port(s->core) : s->cfg.ws_port);
}

PHP_METHOD(Push_Server, getTextPort)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_LONG(s->core ? push_server_text_port(s->core) : s->cfg.text_port);
}

PHP_METHOD(Push_Server, getStats)
{
	php_push_server *s = Z_PUSH_SERVER_P(ZEND_THIS);
	char buf[4096];
	size_t n;

	ZEND_PARSE_PARAMETERS_NONE();
	if (!s->core) {
		array_init(return_value);
		return;
	}
	n = push_server_stats_json(s->core, buf, sizeof(buf));
	php_json_decode_ex(return_value, buf, n, PHP_JSON_OBJECT_AS_ARRAY, 64);
	if (Z_TYPE_P(return_value) == IS_ARRAY) {
		add_assoc_long(return_value, "memory", (zend_long)zend_memory_usage(0));
	}
}
