/*
 * php_push_server.h - the Push\Server object (no functions: each file of the binding
 * declares its own in its header: run.h, cli.h, options.h, connection.h, signals.h).
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

#endif
