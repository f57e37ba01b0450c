/*
 * client_lines.h - client_lines.c: request lines for the Text port, payloads and RESP commands for Redis.
 */
#ifndef PUSH_PHP_CLIENT_LINES_H
#define PUSH_PHP_CLIENT_LINES_H

#include "client_object.h"

zend_result push_client_line(smart_str *buf, const char *cmd, zval *uid, uint32_t uid_arg,
	zval *msg, uint32_t msg_arg);
zend_result push_client_line_ex(smart_str *buf, const char *cmd, zend_string *group, zval *uid, uint32_t uid_arg,
	zval *msg, uint32_t msg_arg, zval *exclude, uint32_t exclude_arg);
zend_result push_client_redis_payload(smart_str *buf, const char *type, zend_string *group, zval *uid,
	uint32_t uid_arg, zval *msg, uint32_t msg_arg, zval *exclude, uint32_t exclude_arg, const char *reason);
void push_client_redis_publish_cmd(push_client *c, smart_str *cmds, const char *payload, size_t len);

#endif
