/*
 * client_address.h - client_address.c: JSON helpers, address checks and parsing, the settings of a client.
 */
#ifndef PUSH_PHP_CLIENT_ADDRESS_H
#define PUSH_PHP_CLIENT_ADDRESS_H

#include "client_object.h"

#define PUSH_CLIENT_MAX_TIMEOUT 3600.0       /* seconds, as for push.client_timeout */
#define PUSH_CLIENT_JSON_FLAGS (PHP_JSON_UNESCAPED_SLASHES | PHP_JSON_UNESCAPED_UNICODE)

zend_result push_client_json_append_arg(smart_str *buf, zval *v, uint32_t arg);
bool push_client_json_decode(zend_string *s, zval *out);
zend_long push_client_digits(const char *p, const char *end);
const char *push_client_check_address(const char *a, size_t len);
bool push_client_timeout_ok(double t);
void push_client_reset(push_client *c);
void push_client_resp_arg(smart_str *buf, const char *p, size_t len);
zend_result push_client_setup(push_client *c, const char *address, size_t address_len, double timeout,
	const char *secret, size_t secret_len, bool persistent);

#endif
