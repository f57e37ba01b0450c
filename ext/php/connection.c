/*
 * connection.c - Push\Connection: a WebSocket connection seen from PHP.
 *
 * It holds the server object and the connection id, never a pointer into the
 * core, so it is safe to keep after the callback returns: once the connection
 * closed, send() returns false and close() does nothing.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"

#include "../../php_push.h"
#include "php_push_server.h"
#include "connection.h"
#include "../core/route.h"
#include "server_api.h"

/* Push\Connection. */
typedef struct php_push_connection {
	zend_object *server;       /* the Push\Server (counted reference) */
	uint64_t id;               /* connection id in the core */
	zend_object std;
} php_push_connection;

static zend_object_handlers push_connection_handlers;

static inline php_push_connection *conn_from_obj(zend_object *obj)
{
	return (php_push_connection *)((char *)obj - XtOffsetOf(php_push_connection, std));
}

static zend_object *push_connection_create(zend_class_entry *ce)
{
	php_push_connection *c = zend_object_alloc(sizeof(php_push_connection), ce);

	zend_object_std_init(&c->std, ce);
	object_properties_init(&c->std, ce);
	c->std.handlers = &push_connection_handlers;
	c->server = NULL;
	c->id = 0;
	return &c->std;
}

static void push_connection_free_obj(zend_object *obj)
{
	php_push_connection *c = conn_from_obj(obj);

	if (c->server) {
		OBJ_RELEASE(c->server);
		c->server = NULL;
	}
	zend_object_std_dtor(&c->std);
}

static HashTable *push_connection_get_gc(zend_object *obj, zval **table, int *n)
{
	php_push_connection *c = conn_from_obj(obj);
	zend_get_gc_buffer *buf = zend_get_gc_buffer_create();

	if (c->server) {
		zend_get_gc_buffer_add_obj(buf, c->server);
	}
	zend_get_gc_buffer_use(buf, table, n);
	return zend_std_get_properties(obj);
}

void php_push_connection_minit(zend_class_entry *ce)
{
	ce->create_object = push_connection_create;
	memcpy(&push_connection_handlers, &std_object_handlers, sizeof(zend_object_handlers));
	push_connection_handlers.offset = XtOffsetOf(php_push_connection, std);
	push_connection_handlers.free_obj = push_connection_free_obj;
	push_connection_handlers.get_gc = push_connection_get_gc;
	push_connection_handlers.clone_obj = NULL;
	push_connection_handlers.compare = zend_objects_not_comparable;
}

void php_push_connection_make(zval *out, php_push_server *s, push_conn *pc)
{
	php_push_connection *c;
	const char *uid;
	size_t ulen;

	object_init_ex(out, push_connection_ce);
	c = conn_from_obj(Z_OBJ_P(out));
	c->server = &s->std;
	GC_ADDREF(c->server);
	c->id = push_conn_id(pc);
	/* readonly properties, initialized here once (declaration order of the stub) */
	ZVAL_LONG(OBJ_PROP_NUM(&c->std, 0), (zend_long)c->id);
	uid = push_conn_uid(pc, &ulen);
	if (uid) {
		ZVAL_STRINGL(OBJ_PROP_NUM(&c->std, 1), uid, ulen);
	} else {
		ZVAL_NULL(OBJ_PROP_NUM(&c->std, 1));
	}
	{
		char remote[PUSH_REMOTE_MAX];

		ZVAL_STRING(OBJ_PROP_NUM(&c->std, 2), push_conn_remote(pc, remote, sizeof(remote)));
	}
}

static push_conn *live_conn(php_push_connection *c)
{
	php_push_server *s;

	if (!c->server) {
		return NULL;
	}
	s = php_push_server_from_obj(c->server);
	return s->core ? push_conn_find(s->core, c->id) : NULL;
}

PHP_METHOD(Push_Connection, __construct)
{
	zend_throw_error(NULL, "Push\\Connection objects are made by Push\\Server");
}

PHP_METHOD(Push_Connection, send)
{
	php_push_connection *c = conn_from_obj(Z_OBJ_P(ZEND_THIS));
	zend_string *msg;
	push_conn *pc;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(msg)
	ZEND_PARSE_PARAMETERS_END();
	if (!(pc = live_conn(c))) {
		RETURN_FALSE;
	}
	RETURN_BOOL(push_conn_send(pc, ZSTR_VAL(msg), ZSTR_LEN(msg)));
}

PHP_METHOD(Push_Connection, close)
{
	php_push_connection *c = conn_from_obj(Z_OBJ_P(ZEND_THIS));
	zend_long code = 1000;
	zend_string *reason = NULL;
	push_conn *pc;

	ZEND_PARSE_PARAMETERS_START(0, 2)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG(code)
		Z_PARAM_STR(reason)
	ZEND_PARSE_PARAMETERS_END();
	if (code != 1000 && (code < 3000 || code > 4999)) {
		zend_argument_value_error(1, "must be 1000 or between 3000 and 4999");
		RETURN_THROWS();
	}
	if (reason && ZSTR_LEN(reason) > 60) {
		zend_argument_value_error(2, "must be at most 60 bytes");
		RETURN_THROWS();
	}
	if ((pc = live_conn(c)) != NULL) {
		push_conn_close(pc, (int)code, reason ? ZSTR_VAL(reason) : "");
	}
}

PHP_METHOD(Push_Connection, isOpen)
{
	php_push_connection *c = conn_from_obj(Z_OBJ_P(ZEND_THIS));
	push_conn *pc;

	ZEND_PARSE_PARAMETERS_NONE();
	pc = live_conn(c);

	RETURN_BOOL(pc != NULL && push_conn_open(pc));
}

static void conn_group_op(INTERNAL_FUNCTION_PARAMETERS, int join)
{
	php_push_connection *c = conn_from_obj(Z_OBJ_P(ZEND_THIS));
	zend_string *group;
	push_conn *pc;
	int rc;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(group)
	ZEND_PARSE_PARAMETERS_END();
	if (!php_push_group_arg(group, 1)) {
		RETURN_THROWS();
	}
	if (!(pc = live_conn(c))) {
		RETURN_FALSE;
	}
	rc = join ? push_route_group_join_conn(php_push_server_from_obj(c->server)->core, ZSTR_VAL(group), ZSTR_LEN(group), pc)
			: push_route_group_leave_conn(php_push_server_from_obj(c->server)->core, ZSTR_VAL(group), ZSTR_LEN(group), pc);
	RETURN_BOOL(rc > 0);
}

PHP_METHOD(Push_Connection, joinGroup)
{
	conn_group_op(INTERNAL_FUNCTION_PARAM_PASSTHRU, 1);
}

PHP_METHOD(Push_Connection, leaveGroup)
{
	conn_group_op(INTERNAL_FUNCTION_PARAM_PASSTHRU, 0);
}
