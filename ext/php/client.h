/*
 * client.h - client.c: the default client behind static calls, and the client of a call.
 */
#ifndef PUSH_PHP_CLIENT_H
#define PUSH_PHP_CLIENT_H

#include "client_object.h"

push_client *push_client_default(void);
push_client *push_client_this(zend_execute_data *execute_data);

#endif
