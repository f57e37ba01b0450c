/*
 * signals.h - signals.c: the process's signals for one running Push\Server.
 */
#ifndef PHP_PUSH_SIGNALS_H
#define PHP_PUSH_SIGNALS_H

#include "php_push_server.h"

/* What the handler asks the loop for, through push_server_notify(). */
#define PHP_PUSH_NOTIFY_STOP    1u   /* SIGTERM, SIGINT: graceful stop */
#define PHP_PUSH_NOTIFY_REOPEN  2u   /* SIGUSR1: reopen the log file */

/* Makes s the server the signals go to; false if another server has them. */
bool php_push_signals_install(php_push_server *s);
/* Gives the signals back (the handlers from before install), if s has them. */
void php_push_signals_remove(php_push_server *s);
/* SIGPIPE ignored, once per process, when nobody set a handler. */
void php_push_ignore_sigpipe(void);
/* hooks->on_notify of the binding: stops the server or reopens its log file. */
void php_push_notify(void *ud, unsigned what);
/* Sends stdout and stderr to path (append); -1 if it cannot be opened. */
int php_push_log_open(const char *path);

#endif
