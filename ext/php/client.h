/*
 * client.h - Push\Client's parts, shared by the files that make it:
 *   client.c            the class: default client, __construct, static and instance calls, lifecycle
 *   client_methods.c    the methods (send, broadcast, groups, trigger, lists, sendBatch, close, token)
 *   client_lines.c      request lines for the Text port, payloads and RESP for Redis
 *   client_transport.c  connections, one request/answer round trip, Redis pipelines
 *   client_address.c    JSON helpers, address checks and parsing, the settings of a client
 */
#ifndef PUSH_PHP_CLIENT_H
#define PUSH_PHP_CLIENT_H

#include "php.h"
#include "php_network.h"
#include "zend_smart_str.h"

#define PUSH_CLIENT_MAX_ANSWER (1024 * 1024) /* longest answer line read, in bytes */
#define PUSH_CLIENT_MAX_TIMEOUT 3600.0       /* seconds, as for push.client_timeout */
#define PUSH_CLIENT_JSON_FLAGS (PHP_JSON_UNESCAPED_SLASHES | PHP_JSON_UNESCAPED_UNICODE)
#define PUSH_CLIENT_REDIS_PORT 6379
#define PUSH_CLIENT_REDIS_PREFIX "push:"   /* the push servers' default redis_prefix */
#define PUSH_CLIENT_REDIS_NODE "client"    /* the "n" (sending node) of published messages */
#define PUSH_CLIENT_BATCH_CHUNK 1000       /* lines or commands written before their answers are read */

/* A Push\Client. */
typedef struct push_client {
	zend_string *address;      /* as given, e.g. tcp://127.0.0.1:5678 or redis://127.0.0.1:6379 */
	zend_string *secret;       /* Text secret, NULL when none (kept but unused with Redis) */
	zend_string *auth_line;    /* sent first on new connections: {"auth":...}\n, or Redis AUTH/SELECT; NULL when none */
	zend_string *pid;          /* persistent stream id, NULL when not persistent */
	double timeout;            /* connect, write and answer timeout, seconds */
	php_stream *stream;        /* the connection when not persistent, NULL when closed */
	php_stream *checked;       /* the kept connection this object already found in step */
	bool redis;                /* address is redis://: pushes are PUBLISHed */
	uint32_t hello_replies;    /* Redis: replies auth_line gets (one +OK per command) */
	zend_string *xport;        /* Redis: transport address, tcp://host:port */
	zend_string *where;        /* Redis: redis://host:port[/db] for messages (no password) */
	zend_string *channel;      /* Redis: <prefix>bus */
	zend_object std;
} push_client;

/* The parts of a redis:// address, pointing into it. */
typedef struct client_redis_url {
	const char *user, *pass, *host, *prefix;
	size_t user_len, pass_len, host_len, prefix_len;
	zend_long port;
	zend_long db;              /* -1: no SELECT */
} client_redis_url;

/* What one request/answer round trip ended with. */
typedef enum {
	CLIENT_IO_OK = 0,
	CLIENT_IO_WRITE_FAILED,    /* the line could not be written */
	CLIENT_IO_EOF_EARLY,       /* closed before any byte of the answer */
	CLIENT_IO_CLOSED,          /* closed in the middle of the answer */
	CLIENT_IO_TIMEOUT,         /* no complete answer in time */
	CLIENT_IO_TOO_LONG         /* answer longer than PUSH_CLIENT_MAX_ANSWER */
} client_io;

static inline push_client *client_from_obj(zend_object *obj)
{
	return (push_client *)((char *)obj - XtOffsetOf(push_client, std));
}

static inline bool client_answer_is(zend_string *answer, const char *s, size_t len)
{
	return ZSTR_LEN(answer) == len && memcmp(ZSTR_VAL(answer), s, len) == 0;
}

/* client.c */
push_client *push_client_default(void);
push_client *push_client_this(zend_execute_data *execute_data);

/* client_address.c */
zend_result push_client_json_append_arg(smart_str *buf, zval *v, uint32_t arg);
bool push_client_json_decode(zend_string *s, zval *out);
zend_long push_client_digits(const char *p, const char *end);
const char *push_client_check_address(const char *a, size_t len);
bool push_client_timeout_ok(double t);
void push_client_reset(push_client *c);
void push_client_resp_arg(smart_str *buf, const char *p, size_t len);
zend_result push_client_setup(push_client *c, const char *address, size_t address_len, double timeout,
	const char *secret, size_t secret_len, bool persistent);

/* client_lines.c */
zend_result push_client_line(smart_str *buf, const char *cmd, zval *uid, uint32_t uid_arg,
	zval *msg, uint32_t msg_arg);
zend_result push_client_line_ex(smart_str *buf, const char *cmd, zend_string *group, zval *uid, uint32_t uid_arg,
	zval *msg, uint32_t msg_arg, zval *exclude, uint32_t exclude_arg);
zend_result push_client_redis_payload(smart_str *buf, const char *type, zend_string *group, zval *uid,
	uint32_t uid_arg, zval *msg, uint32_t msg_arg, zval *exclude, uint32_t exclude_arg, const char *reason);
void push_client_redis_publish_cmd(push_client *c, smart_str *cmds, const char *payload, size_t len);

/* client_transport.c */
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
