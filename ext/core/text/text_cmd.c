/*
 * text_cmd.c - front end: the Text port's commands ({"cmd": ...}), each
 * answered with one JSON line (text_answer.c). They call the routing layer;
 * "send" is text.c's, as it shares the push path of a push line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>
#include <libwebsockets.h>

#include "buf.h"
#include "exclude.h"
#include "pusher.h"
#include "pusher_chan.h"
#include "pusher_ops.h"
#include "registry.h"
#include "server_int.h"
#include "route.h"
#include "text_answer.h"
#include "text_cmd.h"
#include "textproto.h"

typedef void (*text_cmd_fn)(push_server *s, push_tconn *t, push_req *r);

/* Connections of the line's uids, on every node. */
static size_t uids_count(push_server *s, const push_req *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nuids; i++) {
		n += push_route_uid_count(s, r->uids[i].p, r->uids[i].len);
	}
	return n;
}

static void answer_json_count(push_tconn *t, size_t n)
{
	push_text_answerf(t, "{\"ok\":true,\"count\":%zu}", n);
}


/* Collects names into a JSON array: callback for the presence walks. */
typedef struct name_list {
	push_buf *b;               /* output */
	size_t n;                  /* names so far */
} name_list;

static void name_list_add(const char *name, size_t len, void *arg)
{
	name_list *l = arg;

	if (l->n++) {
		push_buf_put(l->b, ",", 1);
	}
	push_buf_json_str(l->b, name, len);
}

static void answer_buf(push_tconn *t, push_buf *b)
{
	if (b->failed) {
		push_text_answerf(t, "{\"ok\":false,\"error\":\"out of memory\"}");
	} else {
		push_text_answer(t, push_buf_data(b), b->len);
	}
	push_buf_free(b);
}

static void answer_error_len(push_tconn *t, const char *msg, size_t len)
{
	push_buf b = {0};

	push_buf_puts(&b, "{\"ok\":false,\"error\":");
	push_buf_json_str(&b, msg, len);
	push_buf_puts(&b, "}");
	answer_buf(t, &b);
}

static void answer_error(push_tconn *t, const char *msg)
{
	answer_error_len(t, msg, strlen(msg));
}

/* An error naming what the line gave: what "<name>" (cut to cut bytes; a NUL in it is told as \u0000). */
static void answer_error_name(push_tconn *t, const char *what, const char *name, size_t len, size_t cut)
{
	push_buf b = {0};

	push_buf_puts(&b, what);
	push_buf_puts(&b, " \"");
	push_buf_put(&b, name, len < cut ? len : cut);
	push_buf_puts(&b, "\"");
	if (b.failed) {
		answer_error(t, what);
	} else {
		answer_error_len(t, push_buf_data(&b), b.len);
	}
	push_buf_free(&b);
}

/* A string field of the request, or NULL. */
static const char *req_str(push_req *r, const char *key, size_t *len)
{
	json_object *v;

	if (!json_object_object_get_ex(r->root, key, &v) || !json_object_is_type(v, json_type_string)) {
		return NULL;
	}
	*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

/*
 * The line's "group" for a group command: a name the routing layer takes
 * (push_route_group_name_error), or NULL with an answer sent (usage when the
 * field is missing).
 */
static const char *req_group(push_tconn *t, push_req *r, const char *usage, size_t *glen)
{
	const char *g = req_str(r, "group", glen), *err;
	push_buf b = {0};

	if (!g) {
		answer_error(t, usage);
		return NULL;
	}
	if ((err = push_route_group_name_error(g, *glen)) != NULL) {
		push_buf_puts(&b, "\"group\" ");
		push_buf_puts(&b, err);
		answer_error(t, b.failed ? "invalid \"group\"" : push_buf_data(&b));
		push_buf_free(&b);
		return NULL;
	}
	return g;
}

static int need_msg(push_server *s, push_tconn *t, push_req *r, const char *cmd)
{
	if (!r->msg.p) {
		push_text_answerf(t, "{\"ok\":false,\"error\":\"%s needs \\\"msg\\\"\"}", cmd);
		return -1;
	}
	if (r->msg.len > s->cfg.max_msg_out) {
		s->stats.refused_msg_out++;
		push_text_answerf(t, "{\"ok\":false,\"error\":\"message too large (limit %u bytes)\"}", s->cfg.max_msg_out);
		return -1;
	}
	return 0;
}

/* r's message to group g (NULL: to everyone) but r's exclusions, answered from the routing result. */
static void send_excluding(push_server *s, push_tconn *t, push_req *r, const char *g, size_t glen)
{
	push_exclude_list x;
	push_result res;
	const char *err;

	if (push_exclude_parse(r->root, r->overflowed, &x, &err) != 0) {
		push_exclude_list_free(&x);
		answer_error(t, err);
		return;
	}
	s->stats.pushes++;
	res = g ? push_route_send_group(s, g, glen, r->msg.p, r->msg.len, &x.ex)
			: push_route_broadcast(s, r->msg.p, r->msg.len, &x.ex);
	push_text_answer_result(t, &res);
	push_exclude_list_free(&x);
}

static void cmd_broadcast(push_server *s, push_tconn *t, push_req *r)
{
	if (need_msg(s, t, r, "broadcast") == 0) {
		send_excluding(s, t, r, NULL, 0);
	}
}

static void cmd_send_group(push_server *s, push_tconn *t, push_req *r)
{
	const char *g;
	size_t glen;

	if ((g = req_group(t, r, "sendToGroup needs \"group\"", &glen)) != NULL && need_msg(s, t, r, "sendToGroup") == 0) {
		send_excluding(s, t, r, g, glen);
	}
}

static void cmd_group_member(push_server *s, push_tconn *t, push_req *r, int join)
{
	const char *g, *usage = join ? "joinGroup needs \"group\" and \"uid\"" : "leaveGroup needs \"group\" and \"uid\"";
	size_t glen, i;
	int changed = 0, offline = 0;

	if (!r->nuids || !req_str(r, "group", &glen) || !glen) {
		answer_error(t, usage);
		return;
	}
	if (!(g = req_group(t, r, usage, &glen))) {
		return;
	}
	for (i = 0; i < r->nuids; i++) {
		int rc = join ? push_route_group_join_uid(s, g, glen, r->uids[i].p, r->uids[i].len)
				: push_route_group_leave_uid(s, g, glen, r->uids[i].p, r->uids[i].len);

		if (rc < 0) {
			offline++;
		} else {
			changed += rc;
		}
	}
	if (offline == (int)r->nuids) {
		answer_error(t, "uid is not online");
		return;
	}
	push_text_answerf(t, "{\"ok\":true,\"changed\":%d}", changed);
}

static void cmd_join_group(push_server *s, push_tconn *t, push_req *r)
{
	cmd_group_member(s, t, r, 1);
}

static void cmd_leave_group(push_server *s, push_tconn *t, push_req *r)
{
	cmd_group_member(s, t, r, 0);
}

static void cmd_is_online(push_server *s, push_tconn *t, push_req *r)
{
	size_t n;

	if (!r->nuids) {
		answer_error(t, "isUidOnline needs \"uid\"");
		return;
	}
	n = uids_count(s, r);
	push_text_answerf(t, "{\"ok\":true,\"online\":%s,\"count\":%zu}", n ? "true" : "false", n);
}

static void cmd_all_conn_count(push_server *s, push_tconn *t, push_req *r)
{
	answer_json_count(t, (size_t)push_route_all_conn_count(s));
}

static void cmd_all_uid_count(push_server *s, push_tconn *t, push_req *r)
{
	answer_json_count(t, (size_t)push_route_all_uid_count(s));
}

static void cmd_all_group_count(push_server *s, push_tconn *t, push_req *r)
{
	answer_json_count(t, push_route_group_total(s));
}

static void cmd_uid_list(push_server *s, push_tconn *t, push_req *r)
{
	json_object *v;
	uint64_t cursor = 0, next;
	int64_t limit = 1000;
	push_buf b = {0};
	name_list l = { &b, 0 };
	char tail[96];

	if (json_object_object_get_ex(r->root, "cursor", &v)) {
		if (json_object_is_type(v, json_type_int)) {
			cursor = (uint64_t)json_object_get_uint64(v);
		} else if (!json_object_is_type(v, json_type_null)) {
			answer_error(t, "\"cursor\" must be an integer");
			return;
		}
	}
	if (json_object_object_get_ex(r->root, "limit", &v)) {
		limit = json_object_get_int64(v);
		if (!json_object_is_type(v, json_type_int) || limit < 1 || limit > 100000) {
			answer_error(t, "\"limit\" must be an integer from 1 to 100000");
			return;
		}
	}
	push_buf_puts(&b, "{\"ok\":true,\"uids\":[");
	next = push_route_uids_page(s, cursor, (size_t)limit, name_list_add, &l);
	if (!next) {
		/* the last page also lists the uids online only on other nodes */
		push_route_each_remote_uid(s, name_list_add, &l);
	}
	if (next) {
		snprintf(tail, sizeof(tail), "],\"next\":%llu,\"total\":%llu}", (unsigned long long)next,
				(unsigned long long)push_route_all_uid_count(s));
	} else {
		snprintf(tail, sizeof(tail), "],\"next\":null,\"total\":%llu}",
				(unsigned long long)push_route_all_uid_count(s));
	}
	push_buf_puts(&b, tail);
	answer_buf(t, &b);
}

static void cmd_group_conn_count(push_server *s, push_tconn *t, push_req *r)
{
	const char *g;
	size_t glen;

	if (!(g = req_group(t, r, "getGroupConnectionCount needs \"group\"", &glen))) {
		return;
	}
	answer_json_count(t, push_route_group_count(s, g, glen));
}

static void cmd_group_uids(push_server *s, push_tconn *t, push_req *r)
{
	const char *g;
	size_t glen;
	push_buf b = {0};
	name_list l = { &b, 0 };
	char tail[64];

	if (!(g = req_group(t, r, "getGroupUids needs \"group\"", &glen))) {
		return;
	}
	push_buf_puts(&b, "{\"ok\":true,\"uids\":[");
	push_route_group_uids(s, g, glen, name_list_add, &l);
	snprintf(tail, sizeof(tail), "],\"count\":%zu}", l.n);
	push_buf_puts(&b, tail);
	answer_buf(t, &b);
}

static void cmd_uid_groups(push_server *s, push_tconn *t, push_req *r)
{
	push_buf b = {0};
	name_list l = { &b, 0 };
	char tail[64];

	if (r->nuids != 1) {
		answer_error(t, "getUidGroups needs one \"uid\"");
		return;
	}
	push_buf_puts(&b, "{\"ok\":true,\"groups\":[");
	push_route_uid_groups(s, r->uids[0].p, r->uids[0].len, name_list_add, &l);
	snprintf(tail, sizeof(tail), "],\"count\":%zu}", l.n);
	push_buf_puts(&b, tail);
	answer_buf(t, &b);
}

static void cmd_status(push_server *s, push_tconn *t, push_req *r)
{
	char buf[4096];
	size_t n = push_stats_json(s, buf, sizeof(buf));

	push_text_answer(t, buf, n);
}

static void cmd_ping(push_server *s, push_tconn *t, push_req *r)
{
	push_text_answerf(t, "{\"ok\":true,\"pong\":true}");
}

static void cmd_count(push_server *s, push_tconn *t, push_req *r)
{
	if (!r->nuids) {
		push_text_answerf(t, "{\"ok\":false,\"error\":\"needs \\\"uid\\\"\"}");
		return;
	}
	answer_json_count(t, uids_count(s, r));
}

static void cmd_kick(push_server *s, push_tconn *t, push_req *r)
{
	size_t i, rlen = 0;
	const char *reason = req_str(r, "reason", &rlen);
	char rbuf[61];
	push_result res = {0}, one;

	if (!reason || rlen > 60 || memchr(reason, '\0', rlen)) {
		reason = "kicked";
	} else {
		memcpy(rbuf, reason, rlen);
		rbuf[rlen] = '\0';
		reason = rbuf;
	}
	if (!r->nuids) {
		push_text_answerf(t, "{\"ok\":false,\"error\":\"kick needs \\\"uid\\\"\"}");
		return;
	}
	for (i = 0; i < r->nuids; i++) {
		one = push_route_kick(s, r->uids[i].p, r->uids[i].len, PUSH_CLOSE_KICKED, reason);
		res.count += one.count;
		res.cluster_fail |= one.cluster_fail;
	}
	push_text_answer_result(t, &res);
}

/* The app a line names ("app", a string or an integer id), or the only one; NULL with an answer sent. */
static const push_pusher_app *pusher_line_app(push_server *s, push_tconn *t, push_req *r)
{
	const push_pusher_app *app;
	json_object *v;
	const char *id;
	size_t len;

	if (!s->cfg.pusher_napps) {
		answer_error(t, "the Pusher protocol is off: no apps are configured (option \"pusher\")");
		return NULL;
	}
	if (!json_object_object_get_ex(r->root, "app", &v) || json_object_is_type(v, json_type_null)) {
		if (s->cfg.pusher_napps > 1) {
			answer_error(t, "event needs \"app\": several apps are configured");
			return NULL;
		}
		return &s->cfg.pusher_apps[0];
	}
	if (json_object_is_type(v, json_type_int)) {
		/* Pusher's app ids are numbers; an id out of json-c's range matches no app */
		id = r->overflowed ? "" : json_object_to_json_string_length(v, JSON_C_TO_STRING_PLAIN, &len);
		len = r->overflowed ? 0 : len;
	} else if (json_object_is_type(v, json_type_string)) {
		id = json_object_get_string(v);
		len = (size_t)json_object_get_string_len(v);
	} else {
		answer_error(t, "\"app\" must be the app id, a string or an integer");
		return NULL;
	}
	if ((app = push_pusher_app_by_id(s, id, len)) != NULL) {
		return app;
	}
	answer_error_name(t, "unknown app", id, len, 64);
	return NULL;
}

/* The channels of an event line ("channel" or "channels") into *out (malloc'd); 0, or -1 with an answer sent. */
static int pusher_line_channels(push_server *s, push_tconn *t, push_req *r, push_str **out, size_t *n)
{
	json_object *one = NULL, *list = NULL;
	int has_one = json_object_object_get_ex(r->root, "channel", &one);
	int has_list = json_object_object_get_ex(r->root, "channels", &list);
	size_t i, cnt;
	push_str *chs;
	char msg[96];

	if (has_one == has_list) {
		answer_error(t, has_one ? "event takes \"channel\" or \"channels\", not both"
				: "event needs \"channel\" or \"channels\"");
		return -1;
	}
	if (has_one) {
		if (!json_object_is_type(one, json_type_string)) {
			answer_error(t, "\"channel\" must be a string");
			return -1;
		}
		cnt = 1;
	} else {
		if (!json_object_is_type(list, json_type_array)) {
			answer_error(t, "\"channels\" must be a list of strings");
			return -1;
		}
		cnt = json_object_array_length(list);
		if (cnt == 0) {
			answer_error(t, "\"channels\" must not be empty");
			return -1;
		}
		if (cnt > s->cfg.pusher_max_trigger_channels) {
			snprintf(msg, sizeof(msg), "too many channels (limit %u)", s->cfg.pusher_max_trigger_channels);
			answer_error(t, msg);
			return -1;
		}
	}
	if (!(chs = malloc(cnt * sizeof(*chs)))) {
		answer_error(t, "out of memory");
		return -1;
	}
	for (i = 0; i < cnt; i++) {
		json_object *v = has_one ? one : json_object_array_get_idx(list, i);

		if (!json_object_is_type(v, json_type_string)) {
			free(chs);
			answer_error(t, "\"channels\" must be a list of strings");
			return -1;
		}
		chs[i].p = json_object_get_string(v);
		chs[i].len = (size_t)json_object_get_string_len(v);
		if (chs[i].len > s->cfg.pusher_max_channel_len) {
			free(chs);
			snprintf(msg, sizeof(msg), "channel name too long (limit %u bytes)", s->cfg.pusher_max_channel_len);
			answer_error(t, msg);
			return -1;
		}
		if (!push_pusher_channel_valid(s, chs[i].p, chs[i].len)) {
			answer_error_name(t, "invalid channel name", chs[i].p, chs[i].len, chs[i].len);
			free(chs);
			return -1;
		}
	}
	*out = chs;
	*n = push_pusher_names_unique(chs, cnt);    /* a channel named twice gets the event once */
	return 0;
}

/*
 * {"cmd":"event","app":..,"channel":..|"channels":[..],"event":..,"data":..,"socket_id":..}:
 * a Pusher event, as the HTTP API's /apps/{id}/events triggers it. data that is
 * not a string goes out as its compact JSON, as Pusher's SDKs encode it.
 */
static void cmd_pusher_event(push_server *s, push_tconn *t, push_req *r)
{
	const push_pusher_app *app;
	const char *event, *data, *xid = NULL;
	size_t elen, dlen, xlen = 0, nch;
	json_object *v;
	push_str *chs;
	push_result res;
	char buf[160];

	if (!(app = pusher_line_app(s, t, r))) {
		return;
	}
	if (!json_object_object_get_ex(r->root, "event", &v) || !json_object_is_type(v, json_type_string)
			|| json_object_get_string_len(v) == 0) {
		answer_error(t, "event needs \"event\", the event name (a string)");
		return;
	}
	event = json_object_get_string(v);
	elen = (size_t)json_object_get_string_len(v);
	if (push_pusher_event_reserved(event, elen)) {
		answer_error(t, PUSHER_EVENT_RESERVED);
		return;
	}
	if (elen > s->cfg.pusher_max_event_len) {
		snprintf(buf, sizeof(buf), "event name too long (limit %u bytes)", s->cfg.pusher_max_event_len);
		answer_error(t, buf);
		return;
	}
	if (!push_utf8_valid(event, elen)) {
		answer_error(t, "event name is not UTF-8");
		return;
	}
	if (!json_object_object_get_ex(r->root, "data", &v)) {
		answer_error(t, "event needs \"data\"");
		return;
	}
	if (v && !json_object_is_type(v, json_type_string) && r->overflowed) {
		/* json-c clamped an integer of the line: the data would carry another number */
		answer_error(t, "\"data\" has an integer out of range: send it as a string");
		return;
	}
	data = push_json_compact(v, &dlen);
	if (!data) {
		answer_error(t, "out of memory");
		return;
	}
	if (push_pusher_data_size(v, dlen) > s->cfg.pusher_max_payload) {
		snprintf(buf, sizeof(buf), "data too large (limit %u bytes)", s->cfg.pusher_max_payload);
		answer_error(t, buf);
		return;
	}
	if (!push_utf8_valid(data, dlen)) {
		answer_error(t, "data is not UTF-8");
		return;
	}
	if (json_object_object_get_ex(r->root, "socket_id", &v) && v) {
		if (!json_object_is_type(v, json_type_string)
				|| !push_pusher_socket_id_valid(json_object_get_string(v), (size_t)json_object_get_string_len(v))) {
			answer_error(t, "\"socket_id\" must be a socket id like \"1234.5678\"");
			return;
		}
		xid = json_object_get_string(v);
		xlen = (size_t)json_object_get_string_len(v);
	}
	if (pusher_line_channels(s, t, r, &chs, &nch) != 0) {
		return;
	}
	res = push_pusher_trigger(s, app, chs, nch, event, elen, data, dlen, xid, xlen);
	free(chs);
	/* answered as sendToGroup is: the connections reached, an error when other nodes could not be told */
	push_text_answer_result(t, &res);
}

/* Commands of the Text port, by name. */
static const struct {
	const char *name;          /* "cmd" value */
	text_cmd_fn fn;            /* handler */
} text_cmds[] = {
	{ "broadcast", cmd_broadcast },
	{ "sendToAll", cmd_broadcast },
	{ "sendToGroup", cmd_send_group },
	{ "joinGroup", cmd_join_group },
	{ "leaveGroup", cmd_leave_group },
	{ "isUidOnline", cmd_is_online },
	{ "count", cmd_count },
	{ "getUidConnectionCount", cmd_count },
	{ "getAllConnectionCount", cmd_all_conn_count },
	{ "getAllUidCount", cmd_all_uid_count },
	{ "getAllUidList", cmd_uid_list },
	{ "getAllGroupCount", cmd_all_group_count },
	{ "getGroupConnectionCount", cmd_group_conn_count },
	{ "getGroupUids", cmd_group_uids },
	{ "getUidGroups", cmd_uid_groups },
	{ "kick", cmd_kick },
	{ "kickUid", cmd_kick },
	{ "status", cmd_status },
	{ "ping", cmd_ping },
	{ "event", cmd_pusher_event },
};

void push_text_command(push_server *s, push_tconn *t, push_req *r)
{
	push_buf b = {0};
	size_t i, len;

	for (i = 0; i < sizeof(text_cmds) / sizeof(text_cmds[0]); i++) {
		if (strcmp(r->cmd, text_cmds[i].name) == 0) {
			text_cmds[i].fn(s, t, r);
			return;
		}
	}
	/* the name is told back, cut to 100 bytes */
	len = strlen(r->cmd);
	push_buf_puts(&b, "unknown command \"");
	push_buf_put(&b, r->cmd, len < 100 ? len : 100);
	push_buf_puts(&b, "\"");
	answer_error(t, b.failed ? "unknown command" : push_buf_data(&b));
	push_buf_free(&b);
}
