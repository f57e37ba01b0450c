/*
 * client_lines.c - what Push\Client writes: the JSON request lines of the Text port
 * ({"cmd":...,"uid":...,"msg":...}), the JSON payloads the push servers of a cluster
 * take from Redis, and PUBLISH commands in RESP.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "ext/json/php_json.h"

#include "php_push.h"
#include "client_lines.h"
#include "client_address.h"

#define PUSH_CLIENT_REDIS_NODE "client"    /* the "n" (sending node) of published messages */
#include "../core/route.h"

/* --------------------------------------------------- request lines -- */

/* An integer uid as JSON: a number for the Text port, a string (its digits) for Redis. */
static void client_append_long_uid(smart_str *buf, zend_long uid, bool strings)
{
	if (strings) {
		smart_str_appendc(buf, '"');
	}
	smart_str_append_long(buf, uid);
	if (strings) {
		smart_str_appendc(buf, '"');
	}
}

/*
 * Appends a uid argument (string, int or a list of them) as JSON. With strings, the uids
 * become a list of strings (one uid too), as the push servers of a cluster take them.
 */
static zend_result client_append_uid_ex(smart_str *buf, zval *uid, uint32_t arg, bool strings)
{
	zval *v;
	bool first = true;

	switch (Z_TYPE_P(uid)) {
	case IS_LONG:
		if (!strings) {
			smart_str_append_long(buf, Z_LVAL_P(uid));
			return SUCCESS;
		}
		smart_str_appendc(buf, '[');
		client_append_long_uid(buf, Z_LVAL_P(uid), true);
		smart_str_appendc(buf, ']');
		return SUCCESS;
	case IS_STRING:
		if (Z_STRLEN_P(uid) == 0) {
			zend_argument_value_error(arg, "must not be empty");
			return FAILURE;
		}
		if (!strings) {
			return push_client_json_append_arg(buf, uid, arg);
		}
		smart_str_appendc(buf, '[');
		if (push_client_json_append_arg(buf, uid, arg) == FAILURE) {
			return FAILURE;
		}
		smart_str_appendc(buf, ']');
		return SUCCESS;
	case IS_ARRAY:
		if (zend_hash_num_elements(Z_ARRVAL_P(uid)) == 0) {
			zend_argument_value_error(arg, "must not be empty");
			return FAILURE;
		}
		smart_str_appendc(buf, '[');
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(uid), v) {
			ZVAL_DEREF(v);
			if (!first) {
				smart_str_appendc(buf, ',');
			}
			first = false;
			if (Z_TYPE_P(v) == IS_LONG) {
				client_append_long_uid(buf, Z_LVAL_P(v), strings);
			} else if (Z_TYPE_P(v) == IS_STRING) {
				if (Z_STRLEN_P(v) == 0) {
					zend_argument_value_error(arg, "must not contain empty uids");
					return FAILURE;
				}
				if (push_client_json_append_arg(buf, v, arg) == FAILURE) {
					return FAILURE;
				}
			} else {
				zend_argument_type_error(arg, "must contain only strings and integers, %s given",
					zend_zval_type_name(v));
				return FAILURE;
			}
		} ZEND_HASH_FOREACH_END();
		smart_str_appendc(buf, ']');
		return SUCCESS;
	default:
		zend_argument_type_error(arg, "must be of type array|string|int, %s given", zend_zval_type_name(uid));
		return FAILURE;
	}
}

static zend_result client_append_uid(smart_str *buf, zval *uid, uint32_t arg)
{
	return client_append_uid_ex(buf, uid, arg, false);
}

/* {"cmd":"<cmd>" (or "{" when cmd is NULL), then ,"uid":U when uid, ,"msg":M when msg, then }\n. */
zend_result push_client_line(smart_str *buf, const char *cmd, zval *uid, uint32_t uid_arg,
	zval *msg, uint32_t msg_arg)
{
	bool first = true;

	smart_str_appendc(buf, '{');
	if (cmd) {
		smart_str_appends(buf, "\"cmd\":\"");
		smart_str_appends(buf, cmd);
		smart_str_appendc(buf, '"');
		first = false;
	}
	if (uid) {
		smart_str_appends(buf, first ? "\"uid\":" : ",\"uid\":");
		first = false;
		if (client_append_uid(buf, uid, uid_arg) == FAILURE) {
			return FAILURE;
		}
	}
	if (msg) {
		smart_str_appends(buf, first ? "\"msg\":" : ",\"msg\":");
		if (push_client_json_append_arg(buf, msg, msg_arg) == FAILURE) {
			return FAILURE;
		}
	}
	smart_str_appends(buf, "}\n");
	return SUCCESS;
}

/* Appends key and the group name (argument 1 of every group method) as a JSON string. */
static zend_result client_append_group(smart_str *buf, const char *key, zend_string *group)
{
	zval g;
	const char *err;

	if (ZSTR_LEN(group) == 0) {
		zend_argument_value_error(1, "must not be empty");
		return FAILURE;
	}
	/* the names the push server takes: its front ends' own groups can be named by none of its clients */
	if ((err = push_route_group_name_error(ZSTR_VAL(group), ZSTR_LEN(group))) != NULL) {
		zend_argument_value_error(1, "%s", err);
		return FAILURE;
	}
	ZVAL_STR(&g, group);
	smart_str_appends(buf, key);
	return push_client_json_append_arg(buf, &g, 1);
}

/* Like push_client_line, with an optional "group" first and "exclude_uids" last. */
zend_result push_client_line_ex(smart_str *buf, const char *cmd, zend_string *group, zval *uid, uint32_t uid_arg,
	zval *msg, uint32_t msg_arg, zval *exclude, uint32_t exclude_arg)
{
	smart_str_appends(buf, "{\"cmd\":\"");
	smart_str_appends(buf, cmd);
	smart_str_appendc(buf, '"');
	if (group && client_append_group(buf, ",\"group\":", group) == FAILURE) {
		return FAILURE;
	}
	if (uid) {
		smart_str_appends(buf, ",\"uid\":");
		if (client_append_uid(buf, uid, uid_arg) == FAILURE) {
			return FAILURE;
		}
	}
	if (msg) {
		smart_str_appends(buf, ",\"msg\":");
		if (push_client_json_append_arg(buf, msg, msg_arg) == FAILURE) {
			return FAILURE;
		}
	}
	if (exclude && zend_hash_num_elements(Z_ARRVAL_P(exclude)) > 0) {
		smart_str_appends(buf, ",\"exclude_uids\":");
		if (client_append_uid(buf, exclude, exclude_arg) == FAILURE) {
			return FAILURE;
		}
	}
	smart_str_appends(buf, "}\n");
	return SUCCESS;
}

/* ---------------------------------------------------------- Redis -- */

/*
 * The JSON the push servers of a cluster take from <prefix>bus:
 * {"t":type,"n":"client"[,"g":group][,"u":[uids]][,"m":message][,"xu":[excluded uids]][,"r":reason]}
 * "m" is always a string: the message as given, or the compact JSON of an array message
 * (what a Text-port push would deliver). "xu" is written (maybe empty) when exclude_arg is
 * not 0; exclude may then be NULL.
 */
zend_result push_client_redis_payload(smart_str *buf, const char *type, zend_string *group, zval *uid,
	uint32_t uid_arg, zval *msg, uint32_t msg_arg, zval *exclude, uint32_t exclude_arg, const char *reason)
{
	smart_str_appends(buf, "{\"t\":\"");
	smart_str_appends(buf, type);
	smart_str_appends(buf, "\",\"n\":\"" PUSH_CLIENT_REDIS_NODE "\"");
	if (group && client_append_group(buf, ",\"g\":", group) == FAILURE) {
		return FAILURE;
	}
	if (uid) {
		smart_str_appends(buf, ",\"u\":");
		if (client_append_uid_ex(buf, uid, uid_arg, true) == FAILURE) {
			return FAILURE;
		}
	}
	if (msg) {
		smart_str_appends(buf, ",\"m\":");
		if (Z_TYPE_P(msg) == IS_STRING) {
			if (push_client_json_append_arg(buf, msg, msg_arg) == FAILURE) {
				return FAILURE;
			}
		} else {
			smart_str text = {0};
			zval zt;
			zend_result r;

			if (push_client_json_append_arg(&text, msg, msg_arg) == FAILURE) {
				smart_str_free(&text);
				return FAILURE;
			}
			ZVAL_STR(&zt, smart_str_extract(&text));
			r = push_client_json_append_arg(buf, &zt, msg_arg);
			zval_ptr_dtor_str(&zt);
			if (r == FAILURE) {
				return FAILURE;
			}
		}
	}
	if (exclude_arg) {
		smart_str_appends(buf, ",\"xu\":");
		if (exclude && zend_hash_num_elements(Z_ARRVAL_P(exclude)) > 0) {
			if (client_append_uid_ex(buf, exclude, exclude_arg, true) == FAILURE) {
				return FAILURE;
			}
		} else {
			smart_str_appends(buf, "[]");
		}
	}
	if (reason) {
		smart_str_appends(buf, ",\"r\":\"");
		smart_str_appends(buf, reason);
		smart_str_appendc(buf, '"');
	}
	smart_str_appendc(buf, '}');
	return SUCCESS;
}

/* PUBLISH <prefix>bus payload, as RESP. */
void push_client_redis_publish_cmd(push_client *c, smart_str *cmds, const char *payload, size_t len)
{
	smart_str_appends(cmds, "*3\r\n$7\r\nPUBLISH\r\n");
	push_client_resp_arg(cmds, ZSTR_VAL(c->channel), ZSTR_LEN(c->channel));
	push_client_resp_arg(cmds, payload, len);
}
