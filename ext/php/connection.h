/*
 * connection.h - connection.c: Push\Connection.
 */
#ifndef PHP_PUSH_CONNECTION_H
#define PHP_PUSH_CONNECTION_H

#include "php_push_server.h"

/* A Push\Connection for c, owned by the caller. */
void php_push_connection_make(zval *out, php_push_server *s, push_conn *c);

#endif
