/*
 * options.h - options.c: the options of Push\Server's constructor.
 */
#ifndef PHP_PUSH_OPTIONS_H
#define PHP_PUSH_OPTIONS_H

#include "php_push_server.h"

/* Reads the constructor's options into s (-1 with an exception). */
int php_push_apply_options(php_push_server *s, HashTable *opts);
/* Whether host names this machine's loopback. */
bool php_push_is_loopback(const char *host);

#endif
