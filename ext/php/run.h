/*
 * run.h - run.c: run() (the hooks the core calls, PHP callbacks, timers).
 */
#ifndef PHP_PUSH_RUN_H
#define PHP_PUSH_RUN_H

#include "php_push_server.h"

/* Runs the server in this process (what run() does); false if it could not start (exception thrown). */
bool php_push_server_serve(php_push_server *s);
/* Calls a callback of the server (false if it is unset or threw). */
bool php_push_invoke(php_push_server *s, php_push_callback *cb, uint32_t argc, zval *argv, zval *retval);
/* Starts timer id (an entry of s->timers) on the running core. */
void php_push_start_timer(php_push_server *s, zend_ulong id, zval *entry);

#endif
