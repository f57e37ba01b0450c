/*
 * server.c - Push\Server: the object, its callbacks, run/start/stop, timers,
 * connections by id and ports. The sends, groups, counts and lists it shares
 * with Push\Client are server_api.c's; options are options.c's, run() is
 * run.c's, the command line cli.c's and signals signals.c's.
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
#include "run.h"
#include "cli.h"
#include "options.h"
#include "connection.h"
#include "../core/base/token.h"

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
	if (!s->core || id <= 0 || !(c = push_conn_find(s->core, (uint64_t)id))) {
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
