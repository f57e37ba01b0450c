/*
 * push.c - module entry, INI settings, class registration and phpinfo.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "php_ini.h"
#include "ext/standard/info.h"
#include "zend_exceptions.h"

#include <json-c/json_c_version.h>
#include <libwebsockets.h>

#include "php_push.h"
#include "ext/core/server.h"
#include "stubs/push_arginfo.h"

ZEND_DECLARE_MODULE_GLOBALS(push)

zend_class_entry *push_exception_ce;
zend_class_entry *push_connection_exception_ce;
zend_class_entry *push_protocol_exception_ce;
zend_class_entry *push_server_exception_ce;
zend_class_entry *push_server_not_running_exception_ce;
zend_class_entry *push_server_ce;
zend_class_entry *push_connection_ce;
zend_class_entry *push_client_ce;
zend_class_entry *push_remote_server_ce;

static ZEND_INI_MH(OnUpdateTimeout)
{
	double d = zend_strtod(ZSTR_VAL(new_value), NULL);

	if (d <= 0 || d > 3600) {
		return FAILURE;
	}
	return OnUpdateReal(entry, new_value, mh_arg1, mh_arg2, mh_arg3, stage);
}

PHP_INI_BEGIN()
	STD_PHP_INI_ENTRY("push.client_address", "tcp://127.0.0.1:5678", PHP_INI_ALL, OnUpdateString,
		client_address, zend_push_globals, push_globals)
	STD_PHP_INI_ENTRY("push.client_timeout", "3", PHP_INI_ALL, OnUpdateTimeout,
		client_timeout, zend_push_globals, push_globals)
	STD_PHP_INI_ENTRY("push.client_secret", "", PHP_INI_ALL, OnUpdateString,
		client_secret, zend_push_globals, push_globals)
	STD_PHP_INI_BOOLEAN("push.client_persistent", "1", PHP_INI_ALL, OnUpdateBool,
		client_persistent, zend_push_globals, push_globals)
	STD_PHP_INI_ENTRY("push.client_spin", "100", PHP_INI_ALL, OnUpdateLong,
		client_spin, zend_push_globals, push_globals)
	STD_PHP_INI_ENTRY("push.secret", "", PHP_INI_ALL, OnUpdateString,
		secret, zend_push_globals, push_globals)
PHP_INI_END()

static PHP_GINIT_FUNCTION(push)
{
#if defined(COMPILE_DL_PUSH) && defined(ZTS)
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
	memset(push_globals, 0, sizeof(*push_globals));
}

static PHP_MINIT_FUNCTION(push)
{
	REGISTER_INI_ENTRIES();

	push_exception_ce = register_class_Push_Exception(zend_ce_exception);
	push_connection_exception_ce = register_class_Push_ConnectionException(push_exception_ce);
	push_protocol_exception_ce = register_class_Push_ProtocolException(push_exception_ce);
	push_server_exception_ce = register_class_Push_ServerException(push_exception_ce);
	push_server_not_running_exception_ce = register_class_Push_ServerNotRunningException(push_exception_ce);

	push_server_ce = register_class_Push_Server();
	php_push_server_minit(push_server_ce);
	push_connection_ce = register_class_Push_Connection();
	php_push_connection_minit(push_connection_ce);
	push_remote_server_ce = register_class_Push_RemoteServer();
	php_push_client_minit(push_remote_server_ce);
	push_client_ce = register_class_Push_Client();
	return SUCCESS;
}

static PHP_MSHUTDOWN_FUNCTION(push)
{
	UNREGISTER_INI_ENTRIES();
	return SUCCESS;
}

static PHP_RINIT_FUNCTION(push)
{
#if defined(COMPILE_DL_PUSH) && defined(ZTS)
	/* the cache is per thread: set in every thread that runs requests, as ext_skel does */
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
	return SUCCESS;
}

static PHP_RSHUTDOWN_FUNCTION(push)
{
	php_push_client_rshutdown();
	return SUCCESS;
}

static PHP_MINFO_FUNCTION(push)
{
	char jv[32];

	snprintf(jv, sizeof(jv), "%s", json_c_version());
	php_info_print_table_start();
	php_info_print_table_row(2, "push support", "enabled");
	php_info_print_table_row(2, "push version", PHP_PUSH_VERSION);
	php_info_print_table_row(2, "libwebsockets version", lws_get_library_version());
	php_info_print_table_row(2, "json-c version", jv);
	php_info_print_table_end();
	DISPLAY_INI_ENTRIES();
}

zend_module_entry push_module_entry = {
	STANDARD_MODULE_HEADER,
	"push",
	NULL,
	PHP_MINIT(push),
	PHP_MSHUTDOWN(push),
	PHP_RINIT(push),
	PHP_RSHUTDOWN(push),
	PHP_MINFO(push),
	PHP_PUSH_VERSION,
	PHP_MODULE_GLOBALS(push),
	PHP_GINIT(push),
	NULL,
	NULL,
	STANDARD_MODULE_PROPERTIES_EX
};

#ifdef COMPILE_DL_PUSH
#ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
#endif
ZEND_GET_MODULE(push)
#endif
