/*
 * client_object.h - the Push\Client object, the state every file of the client reads. No
 * functions: each file declares its own in its header:
 *   client.c            client.h            the classes: default client, __construct, lifecycle
 *   client_methods.c    (none)              the methods (send, broadcast, groups, trigger, lists, sendBatch, close, token)
 *   client_lines.c      client_lines.h      request lines for the Text port, payloads and RESP for Redis
 *   client_transport.c  client_transport.h  connections, one request/answer round trip, Redis pipelines
 *   client_address.c    client_address.h    JSON helpers, address checks and parsing, the settings of a client
 */
#ifndef PUSH_PHP_CLIENT_OBJECT_H
#define PUSH_PHP_CLIENT_OBJECT_H

#include "php.h"
#include "php_network.h"
#include "zend_smart_str.h"

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

static inline push_client *client_from_obj(zend_object *obj)
{
	return (push_client *)((char *)obj - XtOffsetOf(push_client, std));
}


#endif
