/*
 * php_push_server.h - Push\Server object, shared by the server, connection and CLI bindings.
 */
#ifndef PHP_PUSH_SERVER_H
#define PHP_PUSH_SERVER_H

#include "php.h"
#include "../core/server.h"

/* A PHP callable kept by the server. */
typedef struct php_push_callback {
	zval fn;                   /* the callable, UNDEF when unset */
	zend_fcall_info_cache fcc; /* resolved once when set */
} php_push_callback;

/* Push\Server. */
typedef struct php_push_server {
	push_server *core;         /* the running server, NULL outside run() */
	push_config cfg;           /* options from the constructor */
	php_push_callback on_start, on_connect, on_message, on_close, on_auth;
	HashTable timers;          /* timer id -> [callable, interval, repeat, core id, resolved call cache] */
	uint32_t next_timer;       /* last timer id given out */
	uint32_t in_callback;      /* depth of PHP callbacks running */
	bool running;              /* inside run() */
	char *pid_file;            /* CLI: pid file */
	char *log_file;            /* CLI: daemon log file */
	int ready_fd;              /* CLI: daemon start pipe, -1 if none */
	int signals;               /* run() catches SIGTERM/SIGINT/SIGUSR1: 1, 0, -1 = only under the CLI SAPI */
	bool log_redirected;       /* CLI daemon: stdout/stderr go to log_file */
	zend_object std;
} php_push_server;

static inline php_push_server *php_push_server_from_obj(zend_object *obj)
{
	return (php_push_server *)((char *)obj - XtOffsetOf(php_push_server, std));
}

#define Z_PUSH_SERVER_P(zv) php_push_server_from_obj(Z_OBJ_P(zv))

/* Runs the server in this process (what run() does); false if it could not start (exception thrown). */
bool php_push_server_serve(php_push_server *s);
/* Workerman-style command line (Server::start). */
void php_push_cli(php_push_server *s, zval *argv);
/* server.c: argument arg is a group name the core takes (push_server_group_name_error); false with a ValueError if not. */
bool php_push_group_arg(zend_string *group, uint32_t arg);
/* run.c: calls a callback of the server (false if it is unset or threw). */
bool php_push_invoke(php_push_server *s, php_push_callback *cb, uint32_t argc, zval *argv, zval *retval);
/* run.c: starts timer id (an entry of s->timers) on the running core. */
void php_push_start_timer(php_push_server *s, zend_ulong id, zval *entry);
/* options.c: reads the constructor's options into s (-1 with an exception). */
int php_push_apply_options(php_push_server *s, HashTable *opts);
bool php_push_is_loopback(const char *host);
/* Process concerns (cli.c): signals go to one running server, through push_server_notify(). */
#define PHP_PUSH_NOTIFY_STOP    1u   /* SIGTERM, SIGINT: graceful stop */
#define PHP_PUSH_NOTIFY_REOPEN  2u   /* SIGUSR1: reopen the log file */
bool php_push_signals_install(php_push_server *s);
void php_push_signals_remove(php_push_server *s);
void php_push_ignore_sigpipe(void);
/* hooks->on_notify of the binding */
void php_push_notify(void *ud, unsigned what);
/* A Push\Connection for c, owned by the caller. */
void php_push_connection_make(zval *out, php_push_server *s, push_conn *c);

#endif
