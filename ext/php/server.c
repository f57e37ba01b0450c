/*
 * server.c - Push\Server: options, callbacks, run() and the server-side API.
 *
 * PHP is entered only through php_push_invoke(); the push path (Text lines,
 * registry, frames) never calls PHP. An exception thrown by a callback stops
 * the loop at once and reaches the caller of run(); a fatal error (bailout)
 * tears the server down and continues the bailout.
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

/* ------------------------------------------------------------ options -- */

static bool is_loopback(const char *host)
{
	struct in_addr a4;

	if (!host) {
		return false;
	}
	if (strcmp(host, "::1") == 0) {
		return true;
	}
	if (inet_pton(AF_INET, host, &a4) == 1) {
		return (ntohl(a4.s_addr) >> 24) == 127;
	}
	return false;
}

/* "ws://host:port", "wss://..." or "tcp://host:port" into host/port/ipv6; -1 with a message. */
static int parse_address(const char *what, zend_string *addr, const char *const *schemes, char **host,
		int *port, int *ipv6, int *tls)
{
	const char *a = ZSTR_VAL(addr), *sep = strstr(a, "://"), *h, *colon, *end;
	const char *const *sc;
	char *num_end;
	long p;

	if (!sep) {
		goto bad;
	}
	for (sc = schemes; *sc; sc++) {
		if ((size_t)(sep - a) == strlen(*sc) && strncasecmp(a, *sc, strlen(*sc)) == 0) {
			break;
		}
	}
	if (!*sc) {
		zend_value_error("%s address \"%s\" has an unsupported scheme (use %s://)", what, a, schemes[0]);
		return -1;
	}
	if (tls) {
		*tls = strcasecmp(*sc, "wss") == 0;
	}
	h = sep + 3;
	end = a + ZSTR_LEN(addr);
	if (*h == '[') {
		const char *rb = strchr(h, ']');

		if (!rb || rb[1] != ':') {
			goto bad;
		}
		*host = strndup(h + 1, (size_t)(rb - h - 1));
		*ipv6 = 1;
		colon = rb + 1;
	} else {
		colon = strrchr(h, ':');
		if (!colon || colon == h) {
			goto bad;
		}
		*host = strndup(h, (size_t)(colon - h));
		*ipv6 = 0;
		if (strcmp(*host, "localhost") == 0) {
			free(*host);
			*host = strdup("127.0.0.1");
		}
	}
	errno = 0;
	p = strtol(colon + 1, &num_end, 10);
	if (num_end == colon + 1 || (num_end != end && *num_end != '/') || p < 0 || p > 65535 || errno) {
		free(*host);
		*host = NULL;
		goto bad;
	}
	if ((!*ipv6 && strcmp(*host, "0.0.0.0") == 0) || (*ipv6 && strcmp(*host, "::") == 0)) {
		free(*host);
		*host = NULL;     /* every interface */
	}
	*port = (int)p;
	return 0;

bad:
	zend_value_error("%s address \"%s\" must look like %s://host:port", what, a, schemes[0]);
	return -1;
}

static int opt_uint(zval *v, const char *name, uint32_t *out, zend_long min, zend_long max)
{
	if (Z_TYPE_P(v) != IS_LONG) {
		zend_argument_type_error(1, "option \"%s\" must be of type int, %s given", name, zend_zval_type_name(v));
		return -1;
	}
	if (Z_LVAL_P(v) < min || Z_LVAL_P(v) > max) {
		zend_argument_value_error(1, "option \"%s\" must be between " ZEND_LONG_FMT " and " ZEND_LONG_FMT, name, min, max);
		return -1;
	}
	*out = (uint32_t)Z_LVAL_P(v);
	return 0;
}

static int opt_seconds(zval *v, const char *name, uint32_t *ms, double min)
{
	double d;

	if (Z_TYPE_P(v) == IS_LONG) {
		d = (double)Z_LVAL_P(v);
	} else if (Z_TYPE_P(v) == IS_DOUBLE) {
		d = Z_DVAL_P(v);
	} else {
		zend_argument_type_error(1, "option \"%s\" must be a number of seconds, %s given", name, zend_zval_type_name(v));
		return -1;
	}
	if (d < min || d > 86400) {
		zend_argument_value_error(1, "option \"%s\" must be between %g and 86400 seconds", name, min);
		return -1;
	}
	*ms = (uint32_t)(d * 1000.0);
	return 0;
}

static int opt_string(zval *v, const char *name, zend_string **out)
{
	if (Z_TYPE_P(v) != IS_STRING) {
		zend_argument_type_error(1, "option \"%s\" must be of type string, %s given", name, zend_zval_type_name(v));
		return -1;
	}
	*out = Z_STR_P(v);
	return 0;
}

static int apply_options(php_push_server *s, HashTable *opts)
{
	static const char *const ws_schemes[] = { "ws", "wss", NULL };
	static const char *const text_schemes[] = { "tcp", NULL };
	push_config *c = &s->cfg;
	zend_string *key, *str = NULL;
	zval *v;
	int plain_set = 0, tls = 0;

	ZEND_HASH_FOREACH_STR_KEY_VAL(opts, key, v) {
		const char *k;

		if (!key) {
			zend_argument_value_error(1, "options must be an array with string keys");
			return -1;
		}
		k = ZSTR_VAL(key);
		ZVAL_DEREF(v);
		if (strcmp(k, "ws") == 0) {
			free(c->ws_host);
			c->ws_host = NULL;
			if (opt_string(v, k, &str) || parse_address("WebSocket", str, ws_schemes, &c->ws_host,
						&c->ws_port, &c->ws_ipv6, &tls)) {
				return -1;
			}
		} else if (strcmp(k, "text") == 0) {
			if (Z_TYPE_P(v) == IS_FALSE || Z_TYPE_P(v) == IS_NULL) {
				c->text_port = -1;
				continue;
			}
			free(c->text_host);
			c->text_host = NULL;
			if (opt_string(v, k, &str) || parse_address("Text", str, text_schemes, &c->text_host,
						&c->text_port, &c->text_ipv6, NULL)) {
				return -1;
			}
		} else if (strcmp(k, "secret") == 0) {
			if (opt_string(v, k, &str)) {
				return -1;
			}
			free(c->secret);
			c->secret = NULL;
			c->secret_len = 0;
			if (ZSTR_LEN(str)) {
				c->secret = malloc(ZSTR_LEN(str));
				memcpy(c->secret, ZSTR_VAL(str), ZSTR_LEN(str));
				c->secret_len = ZSTR_LEN(str);
			}
		} else if (strcmp(k, "text_secret") == 0) {
			if (opt_string(v, k, &str)) {
				return -1;
			}
			free(c->text_secret);
			c->text_secret = NULL;
			c->text_secret_len = 0;
			if (ZSTR_LEN(str)) {
				c->text_secret = malloc(ZSTR_LEN(str));
				memcpy(c->text_secret, ZSTR_VAL(str), ZSTR_LEN(str));
				c->text_secret_len = ZSTR_LEN(str);
			}
		} else if (strcmp(k, "plain_uid") == 0) {
			if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) {
				zend_argument_type_error(1, "option \"plain_uid\" must be of type bool, %s given", zend_zval_type_name(v));
				return -1;
			}
			c->plain_uid = Z_TYPE_P(v) == IS_TRUE;
			plain_set = 1;
		} else if (strcmp(k, "tls_cert") == 0 || strcmp(k, "tls_key") == 0) {
			if (opt_string(v, k, &str)) {
				return -1;
			}
			if (k[4] == 'c') {
				free(c->tls_cert);
				c->tls_cert = strdup(ZSTR_VAL(str));
			} else {
				free(c->tls_key);
				c->tls_key = strdup(ZSTR_VAL(str));
			}
		} else if (strcmp(k, "origins") == 0) {
			zval *o;
			size_t i = 0;

			if (Z_TYPE_P(v) != IS_ARRAY) {
				zend_argument_type_error(1, "option \"origins\" must be of type array, %s given", zend_zval_type_name(v));
				return -1;
			}
			c->origins = calloc(zend_hash_num_elements(Z_ARRVAL_P(v)) + 1, sizeof(char *));
			ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), o) {
				if (Z_TYPE_P(o) != IS_STRING) {
					zend_argument_type_error(1, "option \"origins\" must be a list of strings");
					return -1;
				}
				c->origins[i++] = strdup(Z_STRVAL_P(o));
				c->norigins = i;
			} ZEND_HASH_FOREACH_END();
		} else if (strcmp(k, "auth_timeout") == 0) {
			if (opt_seconds(v, k, &c->auth_timeout_ms, 0.01)) {
				return -1;
			}
		} else if (strcmp(k, "ping_interval") == 0) {
			if (opt_seconds(v, k, &c->ping_interval_ms, 0)) {
				return -1;
			}
		} else if (strcmp(k, "ping_timeout") == 0) {
			if (opt_seconds(v, k, &c->ping_timeout_ms, 0.01)) {
				return -1;
			}
		} else if (strcmp(k, "drain_timeout") == 0) {
			if (opt_seconds(v, k, &c->drain_timeout_ms, 0)) {
				return -1;
			}
		} else if (strcmp(k, "max_connections") == 0) {
			if (opt_uint(v, k, &c->max_conns, 1, 10000000)) {
				return -1;
			}
		} else if (strcmp(k, "max_message_in") == 0) {
			if (opt_uint(v, k, &c->max_msg_in, 1, 64 * 1024 * 1024)) {
				return -1;
			}
		} else if (strcmp(k, "max_message_out") == 0) {
			if (opt_uint(v, k, &c->max_msg_out, 1, 64 * 1024 * 1024)) {
				return -1;
			}
		} else if (strcmp(k, "max_uid_length") == 0) {
			if (opt_uint(v, k, &c->max_uid_len, 1, PUSH_UID_MAX)) {
				return -1;
			}
		} else if (strcmp(k, "max_line") == 0) {
			if (opt_uint(v, k, &c->text_max_line, 16, 256 * 1024 * 1024)) {
				return -1;
			}
		} else if (strcmp(k, "busy_poll") == 0) {
			if (opt_uint(v, k, &c->busy_poll_us, 0, 100000)) {
				return -1;
			}
		} else if (strcmp(k, "send_queue") == 0) {
			if (opt_uint(v, k, &c->send_queue_max, 1024, 1024 * 1024 * 1024)) {
				return -1;
			}
		} else if (strcmp(k, "api_secret") == 0) {
			if (opt_string(v, k, &str)) {
				return -1;
			}
			free(c->api_secret);
			c->api_secret = NULL;
			c->api_secret_len = 0;
			if (ZSTR_LEN(str)) {
				c->api_secret = malloc(ZSTR_LEN(str));
				memcpy(c->api_secret, ZSTR_VAL(str), ZSTR_LEN(str));
				c->api_secret_len = ZSTR_LEN(str);
			}
		} else if (strcmp(k, "redis") == 0 || strcmp(k, "redis_prefix") == 0 || strcmp(k, "node_id") == 0) {
			char **dst = k[0] == 'n' ? &c->node_id : k[5] == '_' ? &c->redis_prefix : &c->redis;

			if (Z_TYPE_P(v) == IS_NULL || Z_TYPE_P(v) == IS_FALSE) {
				free(*dst);
				*dst = NULL;
				continue;
			}
			if (opt_string(v, k, &str)) {
				return -1;
			}
			if (dst == &c->redis && strncmp(ZSTR_VAL(str), "redis://", 8) != 0) {
				zend_argument_value_error(1, "option \"redis\" must look like redis://[:password@]host:port[/db]");
				return -1;
			}
			if (ZSTR_LEN(str) == 0 || ZSTR_LEN(str) > 200 || memchr(ZSTR_VAL(str), '\0', ZSTR_LEN(str))) {
				zend_argument_value_error(1, "option \"%s\" must be 1 to 200 bytes", k);
				return -1;
			}
			free(*dst);
			*dst = strdup(ZSTR_VAL(str));
		} else if (strcmp(k, "signals") == 0) {
			if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) {
				zend_argument_type_error(1, "option \"signals\" must be of type bool, %s given", zend_zval_type_name(v));
				return -1;
			}
			s->signals = Z_TYPE_P(v) == IS_TRUE;
		} else if (strcmp(k, "metrics_public") == 0) {
			if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) {
				zend_argument_type_error(1, "option \"metrics_public\" must be of type bool, %s given", zend_zval_type_name(v));
				return -1;
			}
			c->metrics_public = Z_TYPE_P(v) == IS_TRUE;
		} else if (strcmp(k, "history") == 0) {
			zend_string *hk;
			zval *hv;

			if (Z_TYPE_P(v) == IS_FALSE || Z_TYPE_P(v) == IS_NULL) {
				c->history_size = 0;
				continue;
			}
			if (Z_TYPE_P(v) != IS_ARRAY) {
				zend_argument_type_error(1, "option \"history\" must be an array like ['size' => 100, 'ttl' => 300], %s given", zend_zval_type_name(v));
				return -1;
			}
			c->history_size = 100;
			ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL_P(v), hk, hv) {
				uint32_t bytes_mb;

				ZVAL_DEREF(hv);
				if (hk && zend_string_equals_literal(hk, "size")) {
					if (opt_uint(hv, "history.size", &c->history_size, 1, 1000000)) {
						return -1;
					}
				} else if (hk && zend_string_equals_literal(hk, "ttl")) {
					if (opt_seconds(hv, "history.ttl", &c->history_ttl_ms, 0.01)) {
						return -1;
					}
				} else if (hk && zend_string_equals_literal(hk, "bytes")) {
					if (opt_uint(hv, "history.bytes", &bytes_mb, 1024, 2000000000)) {
						return -1;
					}
					c->history_bytes = bytes_mb;
				} else {
					zend_argument_value_error(1, "option \"history\" has an unknown key \"%s\" (size, ttl, bytes)", hk ? ZSTR_VAL(hk) : "?");
					return -1;
				}
			} ZEND_HASH_FOREACH_END();
		} else if (strcmp(k, "pid_file") == 0 || strcmp(k, "log_file") == 0) {
			char **dst = k[0] == 'p' ? &s->pid_file : &s->log_file;

			if (opt_string(v, k, &str)) {
				return -1;
			}
			if (*dst) {
				efree(*dst);
			}
			*dst = estrndup(ZSTR_VAL(str), ZSTR_LEN(str));
		} else {
			zend_argument_value_error(1, "has an unknown option \"%s\"", k);
			return -1;
		}
	} ZEND_HASH_FOREACH_END();

	if (!plain_set) {
		c->plain_uid = c->secret == NULL;   /* tokens are the default once there is a secret */
	}
	if (tls && (!c->tls_cert || !c->tls_key)) {
		zend_argument_value_error(1, "a wss:// address needs the \"tls_cert\" and \"tls_key\" options");
		return -1;
	}
	if (!tls && (c->tls_cert || c->tls_key)) {
		zend_argument_value_error(1, "\"tls_cert\" and \"tls_key\" need a wss:// address");
		return -1;
	}
	if (c->max_msg_out > c->send_queue_max) {
		c->send_queue_max = c->max_msg_out + 16;
	}
	return 0;
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
	if (opts && apply_options(s, opts) != 0) {
		RETURN_THROWS();
	}
	if (s->cfg.text_port >= 0 && !is_loopback(s->cfg.text_host) && !s->cfg.text_secret) {
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

/*
 * The one way into PHP from the loop. On an exception the loop is stopped at
 * once and run() returns with the exception pending, so the VM rethrows it.
 */
static bool php_push_invoke(php_push_server *s, php_push_callback *cb, uint32_t argc, zval *argv, zval *retval)
{
	zend_fcall_info fci;
	zval rv;

	if (Z_ISUNDEF(cb->fn) || EG(exception)) {
		return false;
	}
	fci.size = sizeof(fci);
	ZVAL_COPY_VALUE(&fci.function_name, &cb->fn);
	fci.object = NULL;
	fci.retval = retval ? retval : &rv;
	fci.param_count = argc;
	fci.params = argv;
	fci.named_params = NULL;
	s->in_callback++;
	zend_call_function(&fci, &cb->fcc);
	s->in_callback--;
	if (!retval) {
		zval_ptr_dtor(&rv);
	}
	if (UNEXPECTED(EG(exception))) {
		if (s->core) {
			push_server_stop(s->core, 0);
		}
		return false;
	}
	return true;
}

static void hook_start(void *ud)
{
	php_push_server *s = ud;
	zval arg;

	if (s->ready_fd >= 0) {
		char line[64];
		int n = snprintf(line, sizeof(line), "OK %d %d\n", push_server_ws_port(s->core), push_server_text_port(s->core));

		if (write(s->ready_fd, line, (size_t)n) < 0) {
			/* the parent went away; keep serving */
		}
		close(s->ready_fd);
		s->ready_fd = -1;
	}
	ZVAL_OBJ(&arg, &s->std);
	php_push_invoke(s, &s->on_start, 1, &arg, NULL);
}

static void hook_connect(void *ud, push_conn *c)
{
	php_push_server *s = ud;
	zval arg;

	if (Z_ISUNDEF(s->on_connect.fn)) {
		return;
	}
	php_push_connection_make(&arg, s, c);
	php_push_invoke(s, &s->on_connect, 1, &arg, NULL);
	zval_ptr_dtor(&arg);
}

static void hook_message(void *ud, push_conn *c, const char *data, size_t len, int binary)
{
	php_push_server *s = ud;
	zval args[2];

	php_push_connection_make(&args[0], s, c);
	ZVAL_STRINGL(&args[1], data, len);
	php_push_invoke(s, &s->on_message, 2, args, NULL);
	zval_ptr_dtor(&args[0]);
	zval_ptr_dtor(&args[1]);
}

static void hook_close(void *ud, push_conn *c, int code)
{
	php_push_server *s = ud;
	zval args[2];

	php_push_connection_make(&args[0], s, c);
	ZVAL_LONG(&args[1], code);
	php_push_invoke(s, &s->on_close, 2, args, NULL);
	zval_ptr_dtor(&args[0]);
}

static void add_str(zval *arr, const char *key, const char *val)
{
	add_assoc_string(arr, key, val ? (char *)val : "");
}

static int hook_auth(void *ud, push_conn *c, const push_handshake *hs, const char *msg, size_t len,
		char *uid, size_t uid_cap, size_t *uid_len)
{
	php_push_server *s = ud;
	zval args[2], rv, headers, cookies, params;
	int accepted = 0;

	ZVAL_STRINGL(&args[0], msg, len);
	array_init(&args[1]);
	if (hs) {
		add_str(&args[1], "path", hs->path);
		add_str(&args[1], "query", hs->query);
		array_init(&params);
		if (hs->query && *hs->query) {
			char *q = estrdup(hs->query);

			sapi_module.treat_data(PARSE_STRING, q, &params);   /* takes q */
		}
		add_assoc_zval(&args[1], "params", &params);
		array_init(&cookies);
		if (hs->cookie && *hs->cookie) {
			char *p = estrdup(hs->cookie), *save = NULL, *tok;

			for (tok = php_strtok_r(p, ";", &save); tok; tok = php_strtok_r(NULL, ";", &save)) {
				char *eq;

				while (*tok == ' ') {
					tok++;
				}
				if ((eq = strchr(tok, '=')) != NULL) {
					*eq = '\0';
					add_assoc_string(&cookies, tok, eq + 1);
				}
			}
			efree(p);
		}
		add_assoc_zval(&args[1], "cookies", &cookies);
		array_init(&headers);
		if (hs->host && *hs->host) add_str(&headers, "host", hs->host);
		if (hs->origin && *hs->origin) add_str(&headers, "origin", hs->origin);
		if (hs->user_agent && *hs->user_agent) add_str(&headers, "user-agent", hs->user_agent);
		if (hs->cookie && *hs->cookie) add_str(&headers, "cookie", hs->cookie);
		if (hs->authorization && *hs->authorization) add_str(&headers, "authorization", hs->authorization);
		if (hs->forwarded_for && *hs->forwarded_for) add_str(&headers, "x-forwarded-for", hs->forwarded_for);
		if (hs->protocol && *hs->protocol) add_str(&headers, "sec-websocket-protocol", hs->protocol);
		add_assoc_zval(&args[1], "headers", &headers);
	}
	{
		char remote[PUSH_REMOTE_MAX];

		add_str(&args[1], "remote_address", push_conn_remote(c, remote, sizeof(remote)));
	}

	ZVAL_UNDEF(&rv);
	if (php_push_invoke(s, &s->on_auth, 2, args, &rv)) {
		if (Z_TYPE(rv) == IS_STRING && Z_STRLEN(rv) > 0 && Z_STRLEN(rv) < uid_cap) {
			memcpy(uid, Z_STRVAL(rv), Z_STRLEN(rv));
			*uid_len = Z_STRLEN(rv);
			accepted = 1;
		} else if (Z_TYPE(rv) == IS_LONG) {
			*uid_len = (size_t)snprintf(uid, uid_cap, ZEND_LONG_FMT, Z_LVAL(rv));
			accepted = 1;
		}
	}
	zval_ptr_dtor(&rv);
	zval_ptr_dtor(&args[0]);
	zval_ptr_dtor(&args[1]);
	return accepted;
}

static void hook_timer(void *ud, uint32_t core_id, void *timer_ud)
{
	php_push_server *s = ud;
	zend_ulong id = (zend_ulong)(uintptr_t)timer_ud;
	zval *entry = zend_hash_index_find(&s->timers, id), fn;
	php_push_callback cb;
	bool repeat;

	if (!entry) {
		return;
	}
	repeat = zend_is_true(zend_hash_index_find(Z_ARRVAL_P(entry), 2));
	ZVAL_COPY(&fn, zend_hash_index_find(Z_ARRVAL_P(entry), 0));
	ZVAL_COPY_VALUE(&cb.fn, &fn);
	memset(&cb.fcc, 0, sizeof(cb.fcc));
	if (!zend_is_callable_ex(&fn, NULL, 0, NULL, &cb.fcc, NULL)) {
		zval_ptr_dtor(&fn);
		return;
	}
	if (!repeat) {
		zend_hash_index_del(&s->timers, id);
	}
	{
		zval arg;

		ZVAL_LONG(&arg, (zend_long)id);
		php_push_invoke(s, &cb, 1, &arg, NULL);
	}
	zval_ptr_dtor(&fn);
}

/* ---------------------------------------------------------------- run -- */

static void start_timer(php_push_server *s, zend_ulong id, zval *entry)
{
	double interval = zval_get_double(zend_hash_index_find(Z_ARRVAL_P(entry), 1));
	bool repeat = zend_is_true(zend_hash_index_find(Z_ARRVAL_P(entry), 2));
	uint32_t core_id = push_server_add_timer(s->core, interval, repeat, (void *)(uintptr_t)id);

	add_index_long(entry, 3, (zend_long)core_id);
}

bool php_push_server_serve(php_push_server *s)
{
	push_hooks hooks;
	char err[512];
	zend_ulong id;
	zval *entry;
	bool bailed = false;

	memset(&hooks, 0, sizeof(hooks));
	hooks.ud = s;
	hooks.on_start = hook_start;
	hooks.on_connect = Z_ISUNDEF(s->on_connect.fn) ? NULL : hook_connect;
	hooks.on_message = Z_ISUNDEF(s->on_message.fn) ? NULL : hook_message;
	hooks.on_close = Z_ISUNDEF(s->on_close.fn) ? NULL : hook_close;
	hooks.on_auth = Z_ISUNDEF(s->on_auth.fn) ? NULL : hook_auth;
	hooks.on_timer = hook_timer;
	hooks.on_notify = php_push_notify;

	if (s->cfg.secret == NULL && s->cfg.plain_uid && !hooks.on_auth) {
		/* the recipe's mode: say so once, loudly enough to be seen in a log */
	} else if (s->cfg.plain_uid && s->cfg.secret) {
		push_log("warning: plain_uid is on while a secret is set: anyone can claim any uid by sending it");
	}
	s->core = push_server_new(&s->cfg, &hooks, err, sizeof(err));
	if (!s->core) {
		if (s->ready_fd >= 0) {
			dprintf(s->ready_fd, "ERR %s\n", err);
			close(s->ready_fd);
			s->ready_fd = -1;
		}
		zend_throw_exception_ex(push_server_exception_ce, 0, "%s", err);
		return false;
	}
	ZEND_HASH_FOREACH_NUM_KEY_VAL(&s->timers, id, entry) {
		start_timer(s, id, entry);
	} ZEND_HASH_FOREACH_END();

	php_push_ignore_sigpipe();
	if (s->signals == 1 || (s->signals == -1 && strcmp(sapi_module.name, "cli") == 0)) {
		php_push_signals_install(s);
	}
	s->running = true;
	zend_try {
		push_server_run(s->core);
	} zend_catch {
		bailed = true;
	} zend_end_try();
	s->running = false;
	php_push_signals_remove(s);
	push_server_free(s->core);
	s->core = NULL;
	/* timers of this run are gone; ids stay valid for the next run */
	ZEND_HASH_FOREACH_VAL(&s->timers, entry) {
		zend_hash_index_del(Z_ARRVAL_P(entry), 3);
	} ZEND_HASH_FOREACH_END();
	if (bailed) {
		zend_bailout();
	}
	return true;
}

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
	if (ZSTR_LEN(group) == 0 || ZSTR_LEN(group) > 256) {
		zend_argument_value_error(1, "must be 1 to 256 bytes");
		RETURN_THROWS();
	}
	if (!uid_arg(uid, &u, &tmp)) {
		zend_argument_type_error(2, "must be of type string|int, %s given", zend_zval_type_name(uid));
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
	zend_hash_index_update(&s->timers, id, &entry);
	if (s->core) {
		start_timer(s, id, zend_hash_index_find(&s->timers, id));
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
