/*
 * client_transport.h - client_transport.c: connections, one request/answer round trip, Redis pipelines.
 */
#ifndef PUSH_PHP_CLIENT_TRANSPORT_H
#define PUSH_PHP_CLIENT_TRANSPORT_H

#include "client_object.h"

#define PUSH_CLIENT_BATCH_CHUNK 1000       /* lines or commands written before their answers are read */

static inline bool client_answer_is(zend_string *answer, const char *s, size_t len)
{
	return ZSTR_LEN(answer) == len && memcmp(ZSTR_VAL(answer), s, len) == 0;
}

void push_client_transport_minit(void);
php_stream *push_client_persistent_stream(push_client *c);
void push_client_drop(push_client *c, php_stream *s);
void push_client_spin(php_stream *s, double timeout);
php_stream *push_client_checkout(push_client *c, bool *fresh);
zend_string *push_client_request(push_client *c, smart_str *line);
void push_client_throw_answer(push_client *c, zend_string *answer);
bool push_client_command(push_client *c, smart_str *line, zval *out);
bool push_client_count_command(push_client *c, smart_str *line, zend_long *count);
bool push_client_redis_run(push_client *c, const char *cmds, const size_t *ends, uint32_t count, zend_long *out);
bool push_client_redis_publish(push_client *c, smart_str *payload, zend_long *reached);

#endif
