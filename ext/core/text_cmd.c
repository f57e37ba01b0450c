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
#include "registry.h"
#include "server_int.h"
#include "textproto.h"

typedef void (*text_cmd_fn)(push_server *s, push_tconn *t, push_req *r);

/* Connections of the line's uids, on every node. */
static size_t uids_count(push_server *s, const push_req *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nuids; i++) {
		n += push_server_uid_count(s, r->uids[i].p, r->uids[i].len);
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

static void answer_error(push_tconn *t, const char *msg)
{
	push_buf b = {0};

	push_buf_puts(&b, "{\"ok\":false,\"error\":");
	push_buf_json_str(&b, msg, strlen(msg));
	push_buf_puts(&b, "}");
	answer_buf(t, &b);
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

static void cmd_broadcast(push_server *s, push_tconn *t, push_req *r)
{
	push_exclude_list x;
	const char *err;

	if (need_msg(s, t, r, "broadcast") != 0) {
		return;
	}
	if (push_exclude_parse(r->root, r->overflowed, &x, &err) != 0) {
		push_exclude_list_free(&x);
		answer_error(t, err);
		return;
	}
	s->stats.pushes++;
	answer_json_count(t, push_server_broadcast_ex(s, r->msg.p, r->msg.len, &x.ex));
	push_exclude_list_free(&x);
}

static void cmd_send_group(push_server *s, push_tconn *t, push_req *r)
{
	push_exclude_list x;
	const char *err, *g;
	size_t glen;

	if (!(g = req_str(r, "group", &glen))) {
		answer_error(t, "sendToGroup needs \"group\"");
		return;
	}
	if (need_msg(s, t, r, "sendToGroup") != 0) {
		return;
	}
	if (push_exclude_parse(r->root, r->overflowed, &x, &err) != 0) {
		push_exclude_list_free(&x);
		answer_error(t, err);
		return;
	}
	s->stats.pushes++;
	answer_json_count(t, push_server_send_group(s, g, glen, r->msg.p, r->msg.len, &x.ex));
	push_exclude_list_free(&x);
}

static void cmd_group_member(push_server *s, push_tconn *t, push_req *r, int join)
{
	const char *g;
	size_t glen, i;
	int changed = 0, offline = 0;

	if (!(g = req_str(r, "group", &glen)) || !glen || !r->nuids) {
		answer_error(t, join ? "joinGroup needs \"group\" and \"uid\"" : "leaveGroup needs \"group\" and \"uid\"");
		return;
	}
	for (i = 0; i < r->nuids; i++) {
		int rc = join ? push_server_group_join_uid(s, g, glen, r->uids[i].p, r->uids[i].len)
				: push_server_group_leave_uid(s, g, glen, r->uids[i].p, r->uids[i].len);

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
	answer_json_count(t, (size_t)push_server_all_conn_count(s));
}

static void cmd_all_uid_count(push_server *s, push_tconn *t, push_req *r)
{
	answer_json_count(t, (size_t)push_server_all_uid_count(s));
}

static void cmd_all_group_count(push_server *s, push_tconn *t, push_req *r)
{
	answer_json_count(t, push_server_group_total(s));
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
	next = push_server_uids_page(s, cursor, (size_t)limit, name_list_add, &l);
	if (!next) {
		/* the last page also lists the uids online only on other nodes */
		push_route_each_remote_uid(s, name_list_add, &l);
	}
	if (next) {
		snprintf(tail, sizeof(tail), "],\"next\":%llu,\"total\":%llu}", (unsigned long long)next,
				(unsigned long long)push_server_all_uid_count(s));
	} else {
		snprintf(tail, sizeof(tail), "],\"next\":null,\"total\":%llu}",
				(unsigned long long)push_server_all_uid_count(s));
	}
	push_buf_puts(&b, tail);
	answer_buf(t, &b);
}

static void cmd_group_conn_count(push_server *s, push_tconn *t, push_req *r)
{
	const char *g;
	size_t glen;

	if (!(g = req_str(r, "group", &glen))) {
		answer_error(t, "getGroupConnectionCount needs \"group\"");
		return;
	}
	answer_json_count(t, push_server_group_count(s, g, glen));
}

static void cmd_group_uids(push_server *s, push_tconn *t, push_req *r)
{
	const char *g;
	size_t glen;
	push_buf b = {0};
	name_list l = { &b, 0 };
	char tail[64];

	if (!(g = req_str(r, "group", &glen))) {
		answer_error(t, "getGroupUids needs \"group\"");
		return;
	}
	push_buf_puts(&b, "{\"ok\":true,\"uids\":[");
	push_server_group_uids(s, g, glen, name_list_add, &l);
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
	push_server_uid_groups(s, r->uids[0].p, r->uids[0].len, name_list_add, &l);
	snprintf(tail, sizeof(tail), "],\"count\":%zu}", l.n);
	push_buf_puts(&b, tail);
	answer_buf(t, &b);
}

static void cmd_status(push_server *s, push_tconn *t, push_req *r)
{
	char buf[4096];
	size_t n = push_server_stats_json(s, buf, sizeof(buf));

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
	size_t i, n = 0, rlen = 0;
	const char *reason = req_str(r, "reason", &rlen);
	char rbuf[61];

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
		n += push_server_kick_uid(s, r->uids[i].p, r->uids[i].len, PUSH_CLOSE_KICKED, reason);
	}
	answer_json_count(t, n);
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
