/*
 * server_api.h - what server_api.c (Push\Server's shared verbs) offers the rest of the binding.
 */
#ifndef PHP_PUSH_SERVER_API_H
#define PHP_PUSH_SERVER_API_H

#include "php.h"

/* Argument arg is a group name the core takes (push_route_group_name_error); false with a ValueError if not. */
bool php_push_group_arg(zend_string *group, uint32_t arg);

#endif
