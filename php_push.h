/*
 * php_push.h - the push extension: a WebSocket push server for PHP.
 */
#ifndef PHP_PUSH_H
#define PHP_PUSH_H

extern zend_module_entry push_module_entry;
#define phpext_push_ptr &push_module_entry

#define PHP_PUSH_VERSION "0.1.0"

#if defined(ZTS) && defined(COMPILE_DL_PUSH)
ZEND_TSRMLS_CACHE_EXTERN()
#endif

ZEND_BEGIN_MODULE_GLOBALS(push)
	char *client_address;      /* push.client_address: Text port Push\Client talks to */
	double client_timeout;     /* push.client_timeout: connect and answer timeout, seconds */
	char *client_secret;       /* push.client_secret: Text port secret Push\Client presents */
	bool client_persistent;    /* push.client_persistent: reuse one connection per process */
	zend_long client_spin;     /* push.client_spin: microseconds to wait for an answer awake, 0 = sleep at once */
	char *secret;              /* push.secret: HMAC key for Push\Client::token() */
	zend_object *default_client;   /* the Push\RemoteServer behind static Push\Client calls */
ZEND_END_MODULE_GLOBALS(push)

ZEND_EXTERN_MODULE_GLOBALS(push)
#define PUSH_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(push, v)

/* Class entries, registered in push.c from the generated arginfo. */
extern zend_class_entry *push_exception_ce;
extern zend_class_entry *push_connection_exception_ce;
extern zend_class_entry *push_protocol_exception_ce;
extern zend_class_entry *push_server_exception_ce;
extern zend_class_entry *push_server_not_running_exception_ce;
extern zend_class_entry *push_server_ce;
extern zend_class_entry *push_connection_ce;
extern zend_class_entry *push_client_ce;          /* static calls on the default client */
extern zend_class_entry *push_remote_server_ce;   /* the client instances */

/* Per-class setup, called from MINIT after the class is registered. */
void php_push_server_minit(zend_class_entry *ce);
void php_push_connection_minit(zend_class_entry *ce);
void php_push_client_minit(zend_class_entry *remote_server_ce);
void php_push_client_rshutdown(void);

#endif
