/*
 * cli.h - cli.c: Push\Server::start(), the Workerman-style command line.
 */
#ifndef PHP_PUSH_CLI_H
#define PHP_PUSH_CLI_H

#include "php_push_server.h"

/* Workerman-style command line (Server::start). */
void php_push_cli(php_push_server *s, zval *argv);

#endif
