/*
 * run.c - Push\Server::run(): the server's hooks into the core (PHP is
 * entered only through php_push_invoke()), its timers, and the run itself.
 * An exception thrown by a callback stops the loop at once and reaches the
 * caller of run(); a fatal error (bailout) tears the server down and
 * continues the bailout.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <unistd.h>

#include "php.h"
#include "zend_exceptions.h"
#include "SAPI.h"
#include "php_variables.h"

#include "../../php_push.h"
#include "php_push_server.h"
#include "run.h"
#include "connection.h"
#include "signals.h"

/*
 * The one way into PHP from the loop. On an exception the loop is stopped at
 * once and run() returns with the exception pending, so the VM rethrows it.
 */
bool php_push_invoke(php_push_server *s, php_push_callback *cb, uint32_t argc, zval *argv, zval *retval)
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
	zval *entry = zend_hash_index_find(&s->timers, id), *fcc, arg;
	php_push_callback cb;
	bool repeat;

	/* the callable was resolved once by addTimer() (entry[4]): nothing is looked up per tick */
	if (!entry || !(fcc = zend_hash_index_find(Z_ARRVAL_P(entry), 4)) || Z_TYPE_P(fcc) != IS_STRING
			|| Z_STRLEN_P(fcc) != sizeof(cb.fcc)) {
		return;
	}
	repeat = zend_is_true(zend_hash_index_find(Z_ARRVAL_P(entry), 2));
	ZVAL_COPY(&cb.fn, zend_hash_index_find(Z_ARRVAL_P(entry), 0));
	memcpy(&cb.fcc, Z_STRVAL_P(fcc), sizeof(cb.fcc));
	if (!repeat) {
		zend_hash_index_del(&s->timers, id);    /* cb.fn keeps the callable alive for the call */
	}
	ZVAL_LONG(&arg, (zend_long)id);
	php_push_invoke(s, &cb, 1, &arg, NULL);
	zval_ptr_dtor(&cb.fn);
}

/* ---------------------------------------------------------------- run -- */

void php_push_start_timer(php_push_server *s, zend_ulong id, zval *entry)
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

	if (s->cfg.plain_uid && s->cfg.secret) {
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
		php_push_start_timer(s, id, entry);
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
