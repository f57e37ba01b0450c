/*
 * client.c - Push\RemoteServer and Push\Client: talk to a push server's Text port, or
 * publish to the push servers of a cluster through Redis.
 *
 * One JSON object per line goes out, exactly one answer line comes back, in order.
 * Every method but token() works on an instance and statically; static calls use a
 * default client built from the push.client_* INI settings. The default client and
 * its kept connection are per thread: the object lives in the module globals
 * (PUSH_G), a persistent connection in the executor's persistent list.
 *
 * With a redis://[user:password@]host[:port][/db][?prefix=push:] address the client
 * speaks RESP itself: AUTH and SELECT on a new connection, then one
 * PUBLISH <prefix>bus <json> per push. Every push server of the cluster subscribes to
 * that channel; PUBLISH answers how many got the message. Only the pushes can be
 * done that way (send, broadcast, sendToGroup, kickUid, sendBatch); questions need
 * a push server's Text port.
 *
 * Two classes, one set of methods. Push\RemoteServer is the client instance
 * (new Push\RemoteServer($address)); Push\Client declares the same methods as
 * public static ones (the stub's @implementation-alias), so that the recipe's
 * Push\Client::send($uid, $msg) works as written. Both run the same C function,
 * which takes the instance ($this) as its client, or the default client (a
 * Push\RemoteServer made from the INI settings) when called statically.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"

#include "php_push.h"
#include "client.h"
#include "client_address.h"
#include "client_transport.h"

static zend_object_handlers client_handlers;

/* ------------------------------------------------- default client -- */

static zend_object *client_create(zend_class_entry *ce);

static bool client_matches_ini(push_client *c)
{
	const char *addr = PUSH_G(client_address) ? PUSH_G(client_address) : "";
	const char *secret = PUSH_G(client_secret) ? PUSH_G(client_secret) : "";
	size_t secret_len = strlen(secret);

	if (!c->address || ZSTR_LEN(c->address) != strlen(addr)
			|| memcmp(ZSTR_VAL(c->address), addr, ZSTR_LEN(c->address)) != 0) {
		return false;
	}
	if (c->timeout != PUSH_G(client_timeout) || (c->pid != NULL) != PUSH_G(client_persistent)) {
		return false;
	}
	if (!c->secret) {
		return secret_len == 0;
	}
	return ZSTR_LEN(c->secret) == secret_len && memcmp(ZSTR_VAL(c->secret), secret, secret_len) == 0;
}

/* The client behind static calls, (re)built from the INI settings; NULL with an exception. */
push_client *push_client_default(void)
{
	zend_object *obj = PUSH_G(default_client);
	const char *addr, *secret, *err;
	push_client *c;

	if (obj) {
		if (client_matches_ini(client_from_obj(obj))) {
			return client_from_obj(obj);
		}
		PUSH_G(default_client) = NULL;
		OBJ_RELEASE(obj);
	}
	addr = PUSH_G(client_address) ? PUSH_G(client_address) : "";
	secret = PUSH_G(client_secret) ? PUSH_G(client_secret) : "";
	if ((err = push_client_check_address(addr, strlen(addr)))) {
		zend_throw_exception_ex(push_exception_ce, 0, "push.client_address %s", err);
		return NULL;
	}
	if (!push_client_timeout_ok(PUSH_G(client_timeout))) {
		zend_throw_exception(push_exception_ce, "push.client_timeout must be between 0 and 3600 seconds", 0);
		return NULL;
	}
	obj = client_create(push_remote_server_ce);
	c = client_from_obj(obj);
	if (push_client_setup(c, addr, strlen(addr), PUSH_G(client_timeout), secret, strlen(secret),
			PUSH_G(client_persistent)) == FAILURE) {
		OBJ_RELEASE(obj);
		if (!EG(exception)) {
			zend_throw_exception(push_exception_ce, "push.client_secret must be valid UTF-8", 0);
		}
		return NULL;
	}
	PUSH_G(default_client) = obj;
	return c;
}

/* The instance for $client->method(), the default client for Push\Client::method(). */
push_client *push_client_this(zend_execute_data *execute_data)
{
	if (Z_TYPE(EX(This)) == IS_OBJECT) {
		return client_from_obj(Z_OBJ(EX(This)));
	}
	return push_client_default();
}

void php_push_client_rshutdown(void)
{
	zend_object *obj = PUSH_G(default_client);

	/* the object is request memory; a persistent connection stays in the persistent list */
	if (obj) {
		PUSH_G(default_client) = NULL;
		OBJ_RELEASE(obj);
	}
}

/* -------------------------------------------------------- methods -- */

ZEND_METHOD(Push_RemoteServer, __construct)
{
	zend_string *address = NULL, *key;
	HashTable *options = NULL;
	push_client *c = client_from_obj(Z_OBJ_P(ZEND_THIS));
	const char *addr, *secret, *err;
	size_t addr_len, secret_len;
	double timeout = PUSH_G(client_timeout);
	bool persistent = PUSH_G(client_persistent);
	zval *v;

	ZEND_PARSE_PARAMETERS_START(0, 2)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR_OR_NULL(address)
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	if (address) {
		addr = ZSTR_VAL(address);
		addr_len = ZSTR_LEN(address);
		if ((err = push_client_check_address(addr, addr_len))) {
			zend_argument_value_error(1, "%s", err);
			RETURN_THROWS();
		}
	} else {
		addr = PUSH_G(client_address) ? PUSH_G(client_address) : "";
		addr_len = strlen(addr);
		if ((err = push_client_check_address(addr, addr_len))) {
			zend_throw_exception_ex(push_exception_ce, 0, "push.client_address %s", err);
			RETURN_THROWS();
		}
	}
	secret = PUSH_G(client_secret) ? PUSH_G(client_secret) : "";
	secret_len = strlen(secret);

	if (options) {
		ZEND_HASH_FOREACH_STR_KEY_VAL(options, key, v) {
			if (!key) {
				zend_argument_value_error(2, "options must be an array with string keys");
				RETURN_THROWS();
			}
			ZVAL_DEREF(v);
			if (zend_string_equals_literal(key, "timeout")) {
				if (Z_TYPE_P(v) == IS_LONG) {
					timeout = (double)Z_LVAL_P(v);
				} else if (Z_TYPE_P(v) == IS_DOUBLE) {
					timeout = Z_DVAL_P(v);
				} else {
					zend_argument_type_error(2, "option \"timeout\" must be of type float, %s given",
						zend_zval_type_name(v));
					RETURN_THROWS();
				}
				if (!push_client_timeout_ok(timeout)) {
					zend_argument_value_error(2, "option \"timeout\" must be greater than 0 and at most 3600 seconds");
					RETURN_THROWS();
				}
			} else if (zend_string_equals_literal(key, "secret")) {
				if (Z_TYPE_P(v) == IS_NULL) {
					secret = "";
					secret_len = 0;
				} else if (Z_TYPE_P(v) == IS_STRING) {
					secret = Z_STRVAL_P(v);
					secret_len = Z_STRLEN_P(v);
				} else {
					zend_argument_type_error(2, "option \"secret\" must be of type ?string, %s given",
						zend_zval_type_name(v));
					RETURN_THROWS();
				}
			} else if (zend_string_equals_literal(key, "persistent")) {
				if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) {
					zend_argument_type_error(2, "option \"persistent\" must be of type bool, %s given",
						zend_zval_type_name(v));
					RETURN_THROWS();
				}
				persistent = Z_TYPE_P(v) == IS_TRUE;
			} else {
				zend_argument_value_error(2, "has an unknown option \"%s\"", ZSTR_VAL(key));
				RETURN_THROWS();
			}
		} ZEND_HASH_FOREACH_END();
	}

	if (!push_client_timeout_ok(timeout)) {
		zend_throw_exception(push_exception_ce, "push.client_timeout must be between 0 and 3600 seconds", 0);
		RETURN_THROWS();
	}
	if (push_client_setup(c, addr, addr_len, timeout, secret, secret_len, persistent) == FAILURE) {
		if (!EG(exception)) {
			zend_argument_value_error(2, "option \"secret\" must be valid UTF-8");
		}
		RETURN_THROWS();
	}
}

/* Not instantiable: Push\Client is the static calls; new Push\RemoteServer(...) makes a client. */
ZEND_METHOD(Push_Client, __construct)
{
	ZEND_PARSE_PARAMETERS_NONE();
}

/* The default client, the object behind Push\Client's static calls. */
ZEND_METHOD(Push_Client, instance)
{
	push_client *c;

	ZEND_PARSE_PARAMETERS_NONE();
	if (!(c = push_client_default())) {
		RETURN_THROWS();
	}
	RETURN_OBJ_COPY(&c->std);
}

/* ------------------------------------------------------- lifecycle -- */

static zend_object *client_create(zend_class_entry *ce)
{
	push_client *c = zend_object_alloc(sizeof(push_client), ce);

	zend_object_std_init(&c->std, ce);
	object_properties_init(&c->std, ce);
	c->std.handlers = &client_handlers;
	return &c->std;
}

static void client_free(zend_object *obj)
{
	/* a persistent connection is left in the persistent list for the next request */
	push_client_reset(client_from_obj(obj));
	zend_object_std_dtor(obj);
}

void php_push_client_minit(zend_class_entry *ce)
{
	ce->create_object = client_create;
	memcpy(&client_handlers, &std_object_handlers, sizeof(client_handlers));
	client_handlers.offset = XtOffsetOf(push_client, std);
	client_handlers.free_obj = client_free;
	client_handlers.clone_obj = NULL;
	client_handlers.compare = zend_objects_not_comparable;
	push_client_transport_minit();
}
