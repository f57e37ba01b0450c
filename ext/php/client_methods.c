/*
 * client_methods.c - Push\RemoteServer's methods, which Push\Client's static methods
 * are too. Each takes its client from push_client_this(): the instance
 * ($remote->send()) or the default client (Push\Client::send()).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <time.h>

#include "php.h"
#include "zend_exceptions.h"
#include "ext/json/php_json.h"

#include "php_push.h"
#include "client.h"
#include "client_address.h"
#include "client_lines.h"
#include "client_transport.h"
#include "ext/core/base/token.h"

/* A uid parameter taken as string|int, as the zval the line writers take. */
static inline void uid_zval(zval *uid, zend_string *str, zend_long lval)
{
	if (str) {
		ZVAL_STR(uid, str);
	} else {
		ZVAL_LONG(uid, lval);
	}
}

/* A message given as an array or a string (Z_PARAM_ARRAY_HT_OR_STR), as the zval the line writers take. */
static void client_msg_zval(zval *msg, HashTable *ht, zend_string *str)
{
	if (ht) {
		ZVAL_ARR(msg, ht);
	} else {
		ZVAL_STR(msg, str);
	}
}

ZEND_METHOD(Push_RemoteServer, send)
{
	zval *uid, msg;
	HashTable *msg_ht;
	zend_string *msg_str, *answer;
	smart_str line = {0};
	push_client *c;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_ZVAL(uid)
		Z_PARAM_ARRAY_HT_OR_STR(msg_ht, msg_str)
	ZEND_PARSE_PARAMETERS_END();

	client_msg_zval(&msg, msg_ht, msg_str);
	if (!(c = push_client_this(execute_data))) {
		RETURN_THROWS();
	}
	if (c->redis) {
		zend_long reached;

		if (push_client_redis_payload(&line, "push", NULL, uid, 1, &msg, 2, NULL, 0, NULL) == FAILURE
				|| !push_client_redis_publish(c, &line, &reached)) {
			smart_str_free(&line);
			RETURN_THROWS();
		}
		smart_str_free(&line);
		RETURN_BOOL(reached > 0);
	}
	if (push_client_line(&line, NULL, uid, 1, &msg, 2) == FAILURE) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	if (!(answer = push_client_request(c, &line))) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	if (client_answer_is(answer, "ok", 2) || client_answer_is(answer, "queued", 6)) {
		RETVAL_TRUE;
	} else if (client_answer_is(answer, "fail", 4)) {
		RETVAL_FALSE;
	} else {
		push_client_throw_answer(c, answer);
	}
	zend_string_release(answer);
}

ZEND_METHOD(Push_RemoteServer, sendToUid)
{
	zval *uid, msg;
	HashTable *msg_ht;
	zend_string *msg_str;
	smart_str line = {0};
	push_client *c;
	zend_long n;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_ZVAL(uid)
		Z_PARAM_ARRAY_HT_OR_STR(msg_ht, msg_str)
	ZEND_PARSE_PARAMETERS_END();

	client_msg_zval(&msg, msg_ht, msg_str);
	if (push_client_line(&line, "send", uid, 1, &msg, 2) == FAILURE
			|| !(c = push_client_this(execute_data)) || !push_client_count_command(c, &line, &n)) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	RETURN_LONG(n);
}

/*
 * broadcast() and sendToGroup(): published on a redis:// address (the count is
 * the push servers reached), a counted command on a Text port.
 */
static void client_fanout(INTERNAL_FUNCTION_PARAMETERS, const char *redis_type, const char *cmd,
	zend_string *group, zval *msg, uint32_t msg_arg, zval *exclude)
{
	smart_str line = {0};
	push_client *c;
	zend_long n;
	zend_result built;

	if (!(c = push_client_this(execute_data))) {
		RETURN_THROWS();
	}
	built = c->redis
		? push_client_redis_payload(&line, redis_type, group, NULL, 0, msg, msg_arg, exclude, msg_arg + 1, NULL)
		: push_client_line_ex(&line, cmd, group, NULL, 0, msg, msg_arg, exclude, msg_arg + 1);
	if (built == FAILURE
			|| !(c->redis ? push_client_redis_publish(c, &line, &n) : push_client_count_command(c, &line, &n))) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	RETURN_LONG(n);
}

ZEND_METHOD(Push_RemoteServer, broadcast)
{
	zval msg, *exclude = NULL;
	HashTable *msg_ht;
	zend_string *msg_str;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_ARRAY_HT_OR_STR(msg_ht, msg_str)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY(exclude)
	ZEND_PARSE_PARAMETERS_END();

	client_msg_zval(&msg, msg_ht, msg_str);
	client_fanout(INTERNAL_FUNCTION_PARAM_PASSTHRU, "bcast", "broadcast", NULL, &msg, 1, exclude);
}

/* count/kick for one uid; false with an exception. */
static bool client_uid_command(INTERNAL_FUNCTION_PARAMETERS, const char *cmd, zend_long *n)
{
	zend_string *uid_str;
	zend_long uid_long;
	zval uid;
	smart_str line = {0};
	push_client *c;
	bool ok;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR_OR_LONG(uid_str, uid_long)
	ZEND_PARSE_PARAMETERS_END_EX(return false);

	uid_zval(&uid, uid_str, uid_long);
	ok = push_client_line(&line, cmd, &uid, 1, NULL, 0) == SUCCESS
		&& (c = push_client_this(execute_data)) && push_client_count_command(c, &line, n);
	smart_str_free(&line);
	return ok;
}

ZEND_METHOD(Push_RemoteServer, isUidOnline)
{
	zend_long n;

	if (!client_uid_command(INTERNAL_FUNCTION_PARAM_PASSTHRU, "count", &n)) {
		RETURN_THROWS();
	}
	RETURN_BOOL(n > 0);
}

ZEND_METHOD(Push_RemoteServer, getUidConnectionCount)
{
	zend_long n;

	if (!client_uid_command(INTERNAL_FUNCTION_PARAM_PASSTHRU, "count", &n)) {
		RETURN_THROWS();
	}
	RETURN_LONG(n);
}

/* The reason of kickUid(): what the server sends with close code 4009 ("kicked" when empty). */
#define CLIENT_KICK_REASON_MAX 60  /* as the server takes it */

ZEND_METHOD(Push_RemoteServer, kickUid)
{
	zend_string *uid_str, *reason = NULL;
	zend_long uid_long, n;
	zval uid, zr;
	smart_str line = {0};
	push_client *c;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_STR_OR_LONG(uid_str, uid_long)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR(reason)
	ZEND_PARSE_PARAMETERS_END();

	if (reason && ZSTR_LEN(reason) == 0) {
		reason = NULL;
	}
	if (reason && (ZSTR_LEN(reason) > CLIENT_KICK_REASON_MAX || memchr(ZSTR_VAL(reason), '\0', ZSTR_LEN(reason)))) {
		zend_argument_value_error(2, "must be at most %d bytes without null bytes", CLIENT_KICK_REASON_MAX);
		RETURN_THROWS();
	}
	uid_zval(&uid, uid_str, uid_long);
	if (!(c = push_client_this(execute_data))) {
		RETURN_THROWS();
	}
	if (c->redis) {
		/* every push server closes the uid's connections; n is how many servers got it */
		if (push_client_redis_payload(&line, "kick", NULL, &uid, 1, NULL, 0, NULL, 0,
					reason ? ZSTR_VAL(reason) : "kicked") == FAILURE
				|| !push_client_redis_publish(c, &line, &n)) {
			smart_str_free(&line);
			RETURN_THROWS();
		}
		smart_str_free(&line);
		RETURN_LONG(n);
	}
	if (push_client_line(&line, "kick", &uid, 1, NULL, 0) == FAILURE) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	if (reason) {
		/* the line ends with "}\n": the reason goes in before it */
		ZSTR_LEN(line.s) -= 2;
		smart_str_appends(&line, ",\"reason\":");
		ZVAL_STR(&zr, reason);
		if (push_client_json_append_arg(&line, &zr, 2) == FAILURE) {
			smart_str_free(&line);
			RETURN_THROWS();
		}
		smart_str_appends(&line, "}\n");
	}
	if (!push_client_count_command(c, &line, &n)) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	RETURN_LONG(n);
}

ZEND_METHOD(Push_RemoteServer, getStats)
{
	smart_str line = {0};
	push_client *c;
	zval answer;

	ZEND_PARSE_PARAMETERS_NONE();

	smart_str_appends(&line, "{\"cmd\":\"status\"}\n");
	if (!(c = push_client_this(execute_data)) || !push_client_command(c, &line, &answer)) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	zend_hash_str_del(Z_ARRVAL(answer), "ok", sizeof("ok") - 1);
	RETURN_COPY_VALUE(&answer);
}

ZEND_METHOD(Push_RemoteServer, sendToGroup)
{
	zend_string *group, *msg_str;
	HashTable *msg_ht;
	zval msg, *exclude = NULL;

	ZEND_PARSE_PARAMETERS_START(2, 3)
		Z_PARAM_STR(group)
		Z_PARAM_ARRAY_HT_OR_STR(msg_ht, msg_str)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY(exclude)
	ZEND_PARSE_PARAMETERS_END();

	client_msg_zval(&msg, msg_ht, msg_str);
	client_fanout(INTERNAL_FUNCTION_PARAM_PASSTHRU, "group", "sendToGroup", group, &msg, 2, exclude);
}

/* {"cmd":"event",...}: the Text port's Pusher event line of trigger(); FAILURE with an exception. */
static zend_result client_event_line(smart_str *line, zend_string *channel, HashTable *channels, zend_string *event,
	zval *data, zend_string *socket_id, zend_string *app)
{
	zval z, *ch;
	bool first = true;

	smart_str_appends(line, "{\"cmd\":\"event\"");
	if (app) {
		if (ZSTR_LEN(app) == 0) {
			zend_argument_value_error(5, "must not be empty");
			return FAILURE;
		}
		ZVAL_STR(&z, app);
		smart_str_appends(line, ",\"app\":");
		if (push_client_json_append_arg(line, &z, 5) == FAILURE) {
			return FAILURE;
		}
	}
	if (channel) {
		if (ZSTR_LEN(channel) == 0) {
			zend_argument_value_error(1, "must not be empty");
			return FAILURE;
		}
		ZVAL_STR(&z, channel);
		smart_str_appends(line, ",\"channel\":");
		if (push_client_json_append_arg(line, &z, 1) == FAILURE) {
			return FAILURE;
		}
	} else {
		if (zend_hash_num_elements(channels) == 0) {
			zend_argument_value_error(1, "must not be empty");
			return FAILURE;
		}
		smart_str_appends(line, ",\"channels\":[");
		ZEND_HASH_FOREACH_VAL(channels, ch) {
			ZVAL_DEREF(ch);
			if (Z_TYPE_P(ch) != IS_STRING) {
				zend_argument_type_error(1, "must contain only strings, %s given", zend_zval_type_name(ch));
				return FAILURE;
			}
			if (Z_STRLEN_P(ch) == 0) {
				zend_argument_value_error(1, "must not contain empty channel names");
				return FAILURE;
			}
			if (!first) {
				smart_str_appendc(line, ',');
			}
			first = false;
			if (push_client_json_append_arg(line, ch, 1) == FAILURE) {
				return FAILURE;
			}
		} ZEND_HASH_FOREACH_END();
		smart_str_appendc(line, ']');
	}
	if (ZSTR_LEN(event) == 0) {
		zend_argument_value_error(2, "must not be empty");
		return FAILURE;
	}
	ZVAL_STR(&z, event);
	smart_str_appends(line, ",\"event\":");
	if (push_client_json_append_arg(line, &z, 2) == FAILURE) {
		return FAILURE;
	}
	/* a string is the data; anything else the server sends as its compact JSON */
	smart_str_appends(line, ",\"data\":");
	if (push_client_json_append_arg(line, data, 3) == FAILURE) {
		return FAILURE;
	}
	/* "" is no socket id, as a missing X-Socket-ID header gives it */
	if (socket_id && ZSTR_LEN(socket_id)) {
		ZVAL_STR(&z, socket_id);
		smart_str_appends(line, ",\"socket_id\":");
		if (push_client_json_append_arg(line, &z, 4) == FAILURE) {
			return FAILURE;
		}
	}
	smart_str_appends(line, "}\n");
	return SUCCESS;
}

ZEND_METHOD(Push_RemoteServer, trigger)
{
	zend_string *channel, *event, *socket_id = NULL, *app = NULL;
	HashTable *channels;
	zval *data;
	smart_str line = {0};
	push_client *c;
	zend_long n;

	ZEND_PARSE_PARAMETERS_START(3, 5)
		Z_PARAM_ARRAY_HT_OR_STR(channels, channel)
		Z_PARAM_STR(event)
		Z_PARAM_ZVAL(data)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR_OR_NULL(socket_id)
		Z_PARAM_STR_OR_NULL(app)
	ZEND_PARSE_PARAMETERS_END();

	ZVAL_DEREF(data);
	if (client_event_line(&line, channel, channels, event, data, socket_id, app) == FAILURE
			|| !(c = push_client_this(execute_data)) || !push_client_count_command(c, &line, &n)) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	RETURN_LONG(n);
}

static void client_group_member(INTERNAL_FUNCTION_PARAMETERS, const char *cmd)
{
	zend_string *group;
	zval *uid, answer, *changed;
	smart_str line = {0};
	push_client *c;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_STR(group)
		Z_PARAM_ZVAL(uid)
	ZEND_PARSE_PARAMETERS_END();

	if (push_client_line_ex(&line, cmd, group, uid, 2, NULL, 0, NULL, 0) == FAILURE
			|| !(c = push_client_this(execute_data)) || !push_client_command(c, &line, &answer)) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	changed = zend_hash_str_find(Z_ARRVAL(answer), "changed", sizeof("changed") - 1);
	RETVAL_BOOL(changed && zval_get_long(changed) > 0);
	zval_ptr_dtor(&answer);
}

ZEND_METHOD(Push_RemoteServer, joinGroup)
{
	client_group_member(INTERNAL_FUNCTION_PARAM_PASSTHRU, "joinGroup");
}

ZEND_METHOD(Push_RemoteServer, leaveGroup)
{
	client_group_member(INTERNAL_FUNCTION_PARAM_PASSTHRU, "leaveGroup");
}

/* A command with an optional group or uid whose answer carries a list under key. */
static void client_list_command(INTERNAL_FUNCTION_PARAMETERS, smart_str *line, const char *key)
{
	push_client *c;
	zval answer, *list;

	if (!(c = push_client_this(execute_data)) || !push_client_command(c, line, &answer)) {
		smart_str_free(line);
		RETURN_THROWS();
	}
	smart_str_free(line);
	list = zend_hash_str_find(Z_ARRVAL(answer), key, strlen(key));
	if (!list || Z_TYPE_P(list) != IS_ARRAY) {
		zval_ptr_dtor(&answer);
		zend_throw_exception_ex(push_protocol_exception_ce, 0, "unexpected answer from the push server: no %s", key);
		RETURN_THROWS();
	}
	RETVAL_COPY(list);
	zval_ptr_dtor(&answer);
}

ZEND_METHOD(Push_RemoteServer, getGroupConnectionCount)
{
	zend_string *group;
	smart_str line = {0};
	push_client *c;
	zend_long n;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(group)
	ZEND_PARSE_PARAMETERS_END();
	if (push_client_line_ex(&line, "getGroupConnectionCount", group, NULL, 0, NULL, 0, NULL, 0) == FAILURE
			|| !(c = push_client_this(execute_data)) || !push_client_count_command(c, &line, &n)) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	RETURN_LONG(n);
}

ZEND_METHOD(Push_RemoteServer, getGroupUids)
{
	zend_string *group;
	smart_str line = {0};

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(group)
	ZEND_PARSE_PARAMETERS_END();
	if (push_client_line_ex(&line, "getGroupUids", group, NULL, 0, NULL, 0, NULL, 0) == FAILURE) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	client_list_command(INTERNAL_FUNCTION_PARAM_PASSTHRU, &line, "uids");
}

ZEND_METHOD(Push_RemoteServer, getUidGroups)
{
	zend_string *uid_str;
	zend_long uid_long;
	zval uid;
	smart_str line = {0};

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR_OR_LONG(uid_str, uid_long)
	ZEND_PARSE_PARAMETERS_END();
	uid_zval(&uid, uid_str, uid_long);
	if (push_client_line_ex(&line, "getUidGroups", NULL, &uid, 1, NULL, 0, NULL, 0) == FAILURE) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	client_list_command(INTERNAL_FUNCTION_PARAM_PASSTHRU, &line, "groups");
}

static void client_plain_count(INTERNAL_FUNCTION_PARAMETERS, const char *cmd)
{
	smart_str line = {0};
	push_client *c;
	zend_long n;

	ZEND_PARSE_PARAMETERS_NONE();
	smart_str_appends(&line, "{\"cmd\":\"");
	smart_str_appends(&line, cmd);
	smart_str_appends(&line, "\"}\n");
	if (!(c = push_client_this(execute_data)) || !push_client_count_command(c, &line, &n)) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	RETURN_LONG(n);
}

ZEND_METHOD(Push_RemoteServer, getAllConnectionCount)
{
	client_plain_count(INTERNAL_FUNCTION_PARAM_PASSTHRU, "getAllConnectionCount");
}

ZEND_METHOD(Push_RemoteServer, getAllUidCount)
{
	client_plain_count(INTERNAL_FUNCTION_PARAM_PASSTHRU, "getAllUidCount");
}

ZEND_METHOD(Push_RemoteServer, getAllGroupCount)
{
	client_plain_count(INTERNAL_FUNCTION_PARAM_PASSTHRU, "getAllGroupCount");
}

ZEND_METHOD(Push_RemoteServer, getUidList)
{
	zend_long cursor = 0, limit = 1000;
	smart_str line = {0};
	push_client *c;
	zval answer;

	ZEND_PARSE_PARAMETERS_START(0, 2)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG(cursor)
		Z_PARAM_LONG(limit)
	ZEND_PARSE_PARAMETERS_END();
	if (cursor < 0) {
		zend_argument_value_error(1, "must be 0 or a cursor returned as \"next\"");
		RETURN_THROWS();
	}
	if (limit < 1 || limit > 100000) {
		zend_argument_value_error(2, "must be between 1 and 100000");
		RETURN_THROWS();
	}
	smart_str_appends(&line, "{\"cmd\":\"getAllUidList\",\"cursor\":");
	smart_str_append_long(&line, cursor);
	smart_str_appends(&line, ",\"limit\":");
	smart_str_append_long(&line, limit);
	smart_str_appends(&line, "}\n");
	if (!(c = push_client_this(execute_data)) || !push_client_command(c, &line, &answer)) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	zend_hash_str_del(Z_ARRVAL(answer), "ok", sizeof("ok") - 1);
	RETURN_COPY_VALUE(&answer);
}

/* One [uid, message] pair of sendBatch(); false with an exception. */
static bool client_batch_pair(zval *pair, zval **uid, zval **msg)
{
	ZVAL_DEREF(pair);
	if (Z_TYPE_P(pair) != IS_ARRAY || zend_hash_num_elements(Z_ARRVAL_P(pair)) != 2
			|| !(*uid = zend_hash_index_find(Z_ARRVAL_P(pair), 0))
			|| !(*msg = zend_hash_index_find(Z_ARRVAL_P(pair), 1))) {
		zend_argument_value_error(1, "must be a list of [uid, message] pairs");
		return false;
	}
	ZVAL_DEREF(*uid);
	ZVAL_DEREF(*msg);
	if (Z_TYPE_P(*msg) != IS_STRING && Z_TYPE_P(*msg) != IS_ARRAY) {
		zend_argument_type_error(1, "messages must be of type string|array, %s given", zend_zval_type_name(*msg));
		return false;
	}
	return true;
}

/* sendBatch() through Redis: one PUBLISH per pair, pipelined; true where a push server got it. */
static void client_redis_batch(push_client *c, HashTable *messages, zval *return_value)
{
	uint32_t count = 0, i;
	size_t *ends = safe_emalloc(zend_hash_num_elements(messages), sizeof(size_t), 0);
	zend_long *reached;
	smart_str cmds = {0};
	zval *pair;

	/* every command is built (and checked) before anything is sent */
	ZEND_HASH_FOREACH_VAL(messages, pair) {
		smart_str payload = {0};
		zval *uid, *msg;

		if (!client_batch_pair(pair, &uid, &msg)
				|| push_client_redis_payload(&payload, "push", NULL, uid, 1, msg, 1, NULL, 0, NULL) == FAILURE) {
			smart_str_free(&payload);
			smart_str_free(&cmds);
			efree(ends);
			RETURN_THROWS();
		}
		push_client_redis_publish_cmd(c, &cmds, ZSTR_VAL(payload.s), ZSTR_LEN(payload.s));
		smart_str_free(&payload);
		ends[count++] = ZSTR_LEN(cmds.s);
	} ZEND_HASH_FOREACH_END();

	reached = safe_emalloc(count, sizeof(zend_long), 0);
	if (!push_client_redis_run(c, ZSTR_VAL(cmds.s), ends, count, reached)) {
		efree(reached);
		smart_str_free(&cmds);
		efree(ends);
		RETURN_THROWS();
	}
	for (i = 0; i < count; i++) {
		add_next_index_bool(return_value, reached[i] > 0);
	}
	efree(reached);
	smart_str_free(&cmds);
	efree(ends);
}

ZEND_METHOD(Push_RemoteServer, sendBatch)
{
	HashTable *messages;
	zval *pair;
	smart_str all = {0};
	uint32_t count = 0, i;
	push_client *c;
	php_stream *s;
	bool fresh;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_ARRAY_HT(messages)
	ZEND_PARSE_PARAMETERS_END();

	array_init(return_value);
	if (zend_hash_num_elements(messages) == 0) {
		return;
	}
	if (!(c = push_client_this(execute_data))) {
		RETURN_THROWS();
	}
	if (c->redis) {
		client_redis_batch(c, messages, return_value);
		return;
	}
	/* every line is built (and checked) before anything is sent */
	ZEND_HASH_FOREACH_VAL(messages, pair) {
		zval *uid, *msg;

		if (!client_batch_pair(pair, &uid, &msg) || push_client_line(&all, NULL, uid, 1, msg, 1) == FAILURE) {
			smart_str_free(&all);
			RETURN_THROWS();
		}
		count++;
	} ZEND_HASH_FOREACH_END();
	smart_str_0(&all);
	if (!(s = push_client_checkout(c, &fresh))) {
		smart_str_free(&all);
		RETURN_THROWS();
	}
	{
		const char *p = ZSTR_VAL(all.s), *end = p + ZSTR_LEN(all.s);

		for (i = 0; i < count; ) {
			/* a chunk of lines, then its answers: the server never waits on a full socket */
			const char *q = p;
			uint32_t n = 0, k;

			while (q < end && n < PUSH_CLIENT_BATCH_CHUNK) {
				q = memchr(q, '\n', (size_t)(end - q)) + 1;
				n++;
			}
			if (php_stream_write(s, p, (size_t)(q - p)) != (ssize_t)(q - p)) {
				push_client_drop(c, s);
				smart_str_free(&all);
				zend_throw_exception_ex(push_connection_exception_ce, 0,
					"cannot write to the push server at %s", ZSTR_VAL(c->address));
				RETURN_THROWS();
			}
			push_client_spin(s, c->timeout);
			for (k = 0; k < n; k++) {
				size_t len;
				char *ans = php_stream_get_line(s, NULL, 0, &len);

				if (!ans) {
					push_client_drop(c, s);
					smart_str_free(&all);
					zend_throw_exception_ex(push_connection_exception_ce, 0,
						"the push server at %s did not answer every line of the batch (%u of %u)",
						ZSTR_VAL(c->address), i + k, count);
					RETURN_THROWS();
				}
				while (len && (ans[len - 1] == '\n' || ans[len - 1] == '\r')) {
					len--;
				}
				if ((len == 2 && memcmp(ans, "ok", 2) == 0) || (len == 6 && memcmp(ans, "queued", 6) == 0)) {
					add_next_index_bool(return_value, 1);
				} else if (len == 4 && memcmp(ans, "fail", 4) == 0) {
					add_next_index_bool(return_value, 0);
				} else {
					zend_throw_exception_ex(push_protocol_exception_ce, 0,
						"push server refused line %u of the batch: %.*s", i + k + 1, (int)len, ans);
					efree(ans);
					push_client_drop(c, s);
					smart_str_free(&all);
					RETURN_THROWS();
				}
				efree(ans);
			}
			i += n;
			p = q;
		}
	}
	smart_str_free(&all);
}

ZEND_METHOD(Push_RemoteServer, close)
{
	push_client *c;
	php_stream *s;

	ZEND_PARSE_PARAMETERS_NONE();

	if (Z_TYPE(EX(This)) == IS_OBJECT) {
		c = client_from_obj(Z_OBJ(EX(This)));
	} else if (!(c = push_client_default())) {
		/* settings no client can be made from: there is nothing to close */
		zend_clear_exception();
		return;
	}
	if (!c->address) {
		return;
	}
	s = c->pid ? push_client_persistent_stream(c) : c->stream;
	if (s) {
		push_client_drop(c, s);
	}
}

ZEND_METHOD(Push_Client, token)
{
	zend_string *uid_str, *secret = NULL;
	zend_long uid_long, ttl = 3600;
	char uid_buf[MAX_LENGTH_OF_LONG + 1], out[PUSH_TOKEN_MAX + 1];
	const char *uid, *key;
	size_t uid_len, key_len, n;
	int64_t now;

	ZEND_PARSE_PARAMETERS_START(1, 3)
		Z_PARAM_STR_OR_LONG(uid_str, uid_long)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG(ttl)
		Z_PARAM_STR_OR_NULL(secret)
	ZEND_PARSE_PARAMETERS_END();

	if (uid_str) {
		uid = ZSTR_VAL(uid_str);
		uid_len = ZSTR_LEN(uid_str);
	} else {
		uid_len = (size_t)snprintf(uid_buf, sizeof(uid_buf), ZEND_LONG_FMT, uid_long);
		uid = uid_buf;
	}
	if (uid_len == 0) {
		zend_argument_value_error(1, "must not be empty");
		RETURN_THROWS();
	}
	if (uid_len > PUSH_UID_MAX) {
		zend_argument_value_error(1, "must be at most %d bytes long", PUSH_UID_MAX);
		RETURN_THROWS();
	}
	if (memchr(uid, '\0', uid_len)) {
		zend_argument_value_error(1, "must not contain any null bytes");
		RETURN_THROWS();
	}
	now = (int64_t)time(NULL);
	if (ttl < 1) {
		zend_argument_value_error(2, "must be greater than 0");
		RETURN_THROWS();
	}
	if ((int64_t)ttl > INT64_MAX - now) {
		zend_argument_value_error(2, "is too large");
		RETURN_THROWS();
	}
	if (secret) {
		if (ZSTR_LEN(secret) == 0) {
			zend_argument_value_error(3, "must not be empty");
			RETURN_THROWS();
		}
		key = ZSTR_VAL(secret);
		key_len = ZSTR_LEN(secret);
	} else {
		key = PUSH_G(secret) ? PUSH_G(secret) : "";
		key_len = strlen(key);
		if (key_len == 0) {
			zend_throw_exception(push_exception_ce, "push.secret is not set and no secret was given", 0);
			RETURN_THROWS();
		}
	}
	n = push_token_make((const unsigned char *)key, key_len, uid, uid_len, now + (int64_t)ttl, out, sizeof(out));
	if (n == 0) {
		zend_throw_exception(push_exception_ce, "cannot make a token for this uid", 0);
		RETURN_THROWS();
	}
	RETURN_STRINGL(out, n);
}
