/*
 * pusher_http.c - front end: the Pusher HTTP API (docs/PUSHER.md), on the
 * WebSocket port next to push's own API, for the Pusher server SDKs (Laravel's
 * broadcaster, pusher-php-server, the pusher npm package):
 *
 *   POST /apps/{id}/events                              an event on channels
 *   POST /apps/{id}/batch_events                        several events
 *   GET  /apps/{id}/channels                            occupied channels
 *   GET  /apps/{id}/channels/{channel}                  one channel
 *   GET  /apps/{id}/channels/{channel}/users            a presence channel's users
 *   POST /apps/{id}/users/{user}/terminate_connections  a signed-in user's connections
 *
 * Every request is signed with the app's secret (pusher_sign.c); push's Bearer
 * secret plays no part. Answers are JSON; errors are {"error":"..."} with 400,
 * 401 (signature), 404 (unknown app or path), 405, 413 (event data too large)
 * or 503 (cluster mode with Redis unreachable and nothing delivered).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "http_parse.h"
#include "pusher.h"
#include "pusher_chan.h"
#include "pusher_ops.h"
#include "pusher_http.h"
#include "pusher_sign.h"
#include "server_int.h"
#include "route.h"

#define PAPI_INFO_USERS    1u             /* info asked for user_count */
#define PAPI_INFO_SUBS     2u             /* ... subscription_count */
#define PAPI_QUERY_VALUE   256            /* longest filter_by_prefix or info value looked at */

/* The endpoints. */
enum papi_kind {
	PA_EVENTS = 1,             /* POST /apps/{id}/events */
	PA_BATCH,                  /* POST /apps/{id}/batch_events */
	PA_CHANNELS,               /* GET  /apps/{id}/channels */
	PA_CHANNEL,                /* GET  /apps/{id}/channels/{channel} */
	PA_USERS,                  /* GET  /apps/{id}/channels/{channel}/users */
	PA_TERMINATE               /* POST /apps/{id}/users/{user}/terminate_connections */
};

/* A routed request. */
typedef struct papi_route {
	int kind;                  /* enum papi_kind, 0 = no such endpoint */
	int post;                  /* the endpoint takes POST (else GET) */
	push_str id;               /* app id */
	push_str arg;              /* channel or user of the path */
} papi_route;

/* One event of events or batch_events, pointing into the parsed body. */
typedef struct papi_event {
	push_str name;             /* event name */
	push_str data;             /* event data, sent as the string it is */
	push_str socket;           /* socket id to leave out, len 0 = none */
	push_str *chans;           /* channels, without repeats */
	size_t nchans;             /* how many */
	unsigned info;             /* PAPI_INFO_* attributes to answer with */
} papi_event;

/* An {"error":...} answer. */
static void papi_error(http_answer *a, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void papi_error(http_answer *a, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	push_http_answer_verror(a, status, "{\"error\":", fmt, ap);
	va_end(ap);
}

/* Finds the endpoint of a path below /apps/ (rest = what follows "/apps/"). */
static void papi_route_of(const char *rest, size_t len, papi_route *r)
{
	const char *slash = memchr(rest, '/', len), *p;
	size_t n;

	memset(r, 0, sizeof(*r));
	if (!slash || slash == rest) {
		return;
	}
	r->id.p = rest;
	r->id.len = (size_t)(slash - rest);
	p = slash + 1;
	n = len - r->id.len - 1;
	if (n == 6 && memcmp(p, "events", 6) == 0) {
		r->kind = PA_EVENTS;
		r->post = 1;
	} else if (n == 12 && memcmp(p, "batch_events", 12) == 0) {
		r->kind = PA_BATCH;
		r->post = 1;
	} else if (n == 8 && memcmp(p, "channels", 8) == 0) {
		r->kind = PA_CHANNELS;
	} else if (push_pusher_has_prefix(p, n, "channels/") && n > 9) {
		const char *ch = p + 9, *end = memchr(ch, '/', n - 9);

		r->arg.p = ch;
		if (!end) {
			r->kind = PA_CHANNEL;
			r->arg.len = n - 9;
		} else if (end > ch && (size_t)(p + n - end) == 6 && memcmp(end, "/users", 6) == 0) {
			r->kind = PA_USERS;
			r->arg.len = (size_t)(end - ch);
		}
	} else if (push_pusher_has_prefix(p, n, "users/") && n > 6 + 22
			&& memcmp(p + n - 22, "/terminate_connections", 22) == 0) {
		r->kind = PA_TERMINATE;
		r->post = 1;
		r->arg.p = p + 6;
		r->arg.len = n - 6 - 22;
	}
}

/* The PAPI_INFO_* attributes of a comma-separated info list (others are ignored). */
static unsigned info_of(const char *s, size_t len)
{
	unsigned info = 0;
	size_t i = 0;

	while (i < len) {
		const char *tok = s + i, *comma = memchr(tok, ',', len - i);
		size_t n = comma ? (size_t)(comma - tok) : len - i;

		if (n == 10 && memcmp(tok, "user_count", 10) == 0) {
			info |= PAPI_INFO_USERS;
		} else if (n == 18 && memcmp(tok, "subscription_count", 18) == 0) {
			info |= PAPI_INFO_SUBS;
		}
		i += n + 1;
	}
	return info;
}

/* A parameter of the query: 1 found (value in buf), 0 absent, -1 with a 400 answer. */
static int query_param(const char *q, size_t qlen, const char *name, char *buf, size_t *len, http_answer *a)
{
	int rc = push_url_query_get(q, qlen, name, buf, PAPI_QUERY_VALUE + 1, len);

	if (rc < 0) {
		papi_error(a, 400, "invalid %s parameter", name);
	}
	return rc;
}

static int json_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Parses the body as one JSON object; NULL with a 400 answer. */
static json_object *body_object(const char *body, size_t blen, http_answer *a)
{
	enum json_tokener_error je;
	json_tokener *tok;
	json_object *root;
	size_t off;

	if (!blen) {
		papi_error(a, 400, "empty request body: expected a JSON object");
		return NULL;
	}
	if (!push_utf8_valid(body, blen)) {
		papi_error(a, 400, "request body is not UTF-8");
		return NULL;
	}
	if (blen > INT32_MAX || !(tok = json_tokener_new_ex(HTTP_JSON_DEPTH))) {
		papi_error(a, 500, "out of memory");
		return NULL;
	}
	root = json_tokener_parse_ex(tok, body, (int)blen);
	je = json_tokener_get_error(tok);
	off = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!root || je != json_tokener_success) {
		json_object_put(root);
		papi_error(a, 400, "invalid JSON: %s", je == json_tokener_continue ? "unexpected end of input"
				: json_tokener_error_desc(je));
		return NULL;
	}
	while (off < blen && json_blank(body[off])) {
		off++;
	}
	if (off < blen || !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		papi_error(a, 400, "request body must be one JSON object");
		return NULL;
	}
	return root;
}

/* A string member: 1 and *out when present, 0 when absent or null, -1 (400) when not a string. */
static int member_str(json_object *o, const char *name, push_str *out, const char *where, http_answer *a)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, name, &v) || !v) {
		return 0;
	}
	if (!json_object_is_type(v, json_type_string)) {
		papi_error(a, 400, "%s\"%s\" must be a string", where, name);
		return -1;
	}
	out->p = json_object_get_string(v);
	out->len = (size_t)json_object_get_string_len(v);
	return 1;
}

/* The channels of an event ("channels" array or "channel" string), valid and without repeats. */
static int event_channels(push_server *s, json_object *o, papi_event *ev, int one, const char *where, http_answer *a)
{
	json_object *arr = NULL;
	push_str single;
	size_t n, i, max = s->cfg.pusher_max_trigger_channels;
	int rc;

	if (json_object_object_get_ex(o, "channels", &arr) && arr) {
		if (!json_object_is_type(arr, json_type_array)) {
			papi_error(a, 400, "%s\"channels\" must be an array of channel names", where);
			return -1;
		}
		n = json_object_array_length(arr);
	} else {
		arr = NULL;
		if ((rc = member_str(o, "channel", &single, where, a)) < 0) {
			return -1;
		}
		n = (size_t)rc;
	}
	if (!n) {
		papi_error(a, 400, "%smissing \"channels\" (or \"channel\")", where);
		return -1;
	}
	if (one && n > 1) {
		papi_error(a, 400, "%sa batch event goes to one channel", where);
		return -1;
	}
	if (n > max) {
		papi_error(a, 400, "%stoo many channels (limit %zu)", where, max);
		return -1;
	}
	ev->chans = calloc(n, sizeof(*ev->chans));
	if (!ev->chans) {
		papi_error(a, 500, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		push_str c = single;

		if (arr) {
			json_object *v = json_object_array_get_idx(arr, i);

			if (!v || !json_object_is_type(v, json_type_string)) {
				papi_error(a, 400, "%s\"channels\" must be an array of channel names", where);
				return -1;
			}
			c.p = json_object_get_string(v);
			c.len = (size_t)json_object_get_string_len(v);
		}
		if (!push_pusher_channel_valid(s, c.p, c.len)) {
			papi_error(a, 400, "%sinvalid channel name \"%.*s\"", where, (int)(c.len > 200 ? 200 : c.len), c.p);
			return -1;
		}
		ev->chans[ev->nchans++] = c;
	}
	ev->nchans = push_pusher_names_unique(ev->chans, ev->nchans);
	return 0;
}

/* Reads and checks one event object; -1 with the answer (400 or 413). */
static int event_parse(push_server *s, json_object *o, papi_event *ev, int batch, const char *where, http_answer *a)
{
	push_str info = { NULL, 0 };
	json_object *dv = NULL;
	int rc;

	memset(ev, 0, sizeof(*ev));
	if (!json_object_is_type(o, json_type_object)) {
		papi_error(a, 400, "%san event must be a JSON object", where);
		return -1;
	}
	if ((rc = member_str(o, "name", &ev->name, where, a)) < 0) {
		return -1;
	}
	if (!rc || !ev->name.len) {
		papi_error(a, 400, "%smissing \"name\"", where);
		return -1;
	}
	if (ev->name.len > s->cfg.pusher_max_event_len) {
		papi_error(a, 400, "%sevent name too long (limit %u bytes)", where, s->cfg.pusher_max_event_len);
		return -1;
	}
	if (push_pusher_event_reserved(ev->name.p, ev->name.len)) {
		papi_error(a, 400, "%s" PUSHER_EVENT_RESERVED, where);
		return -1;
	}
	if ((rc = member_str(o, "data", &ev->data, where, a)) < 0) {
		return -1;
	}
	if (!rc) {
		papi_error(a, 400, "%smissing \"data\"", where);
		return -1;
	}
	json_object_object_get_ex(o, "data", &dv);
	if (push_pusher_data_size(dv, ev->data.len) > s->cfg.pusher_max_payload) {
		papi_error(a, 413, "%sevent data too large (limit %u bytes)", where, s->cfg.pusher_max_payload);
		return -1;
	}
	if (event_channels(s, o, ev, batch, where, a) != 0) {
		return -1;
	}
	if ((rc = member_str(o, "socket_id", &ev->socket, where, a)) < 0) {
		return -1;
	}
	if (rc && !push_pusher_socket_id_valid(ev->socket.p, ev->socket.len)) {
		papi_error(a, 400, "%sinvalid socket_id (digits.digits)", where);
		return -1;
	}
	if (member_str(o, "info", &info, where, a) < 0) {
		return -1;
	}
	ev->info = info.len ? info_of(info.p, info.len) : 0;
	return 0;
}

/* Triggers a checked event; returns what the routing reported. */
static push_result event_trigger(push_server *s, const push_pusher_app *app, const papi_event *ev)
{
	return push_pusher_trigger(s, app, ev->chans, ev->nchans, ev->name.p, ev->name.len, ev->data.p, ev->data.len,
			ev->socket.len ? ev->socket.p : NULL, ev->socket.len);
}

/* The attributes info asks for of one channel, as JSON members (no braces). */
static void info_members(push_server *s, const push_pusher_app *app, const push_str *ch, unsigned info, push_buf *b)
{
	int users = (info & PAPI_INFO_USERS) && push_pusher_is_presence(ch->p, ch->len);
	push_pusher_chinfo ci;

	memset(&ci, 0, sizeof(ci));
	push_pusher_channel_info(s, app, ch->p, ch->len, &ci);
	if (users) {
		push_buf_printf(hb(b), "\"user_count\":%zu", ci.user_count);
	}
	if (info & PAPI_INFO_SUBS) {
		push_buf_printf(hb(b), "%s\"subscription_count\":%zu", users ? "," : "", ci.subscription_count);
	}
}

/*
 * After triggering: 503 when Redis could not take the event for the other
 * nodes, with the count of this node's connections that did get it.
 */
static int delivered(const push_result *r, http_answer *a)
{
	if (r->cluster_fail) {
		push_http_answer_reset(a, 503, JSON_CT);
		push_buf_printf(hb(&a->body), "{\"error\":\"%s\",\"count\":%zu}", PUSH_HTTP_CLUSTER_ERROR, r->count);
		return 0;
	}
	return 1;
}

static void run_events(push_server *s, const push_pusher_app *app, json_object *root, http_answer *a)
{
	papi_event ev;
	push_result r;
	size_t i;

	if (event_parse(s, root, &ev, 0, "", a) == 0) {
		r = event_trigger(s, app, &ev);
		if (delivered(&r, a)) {
			push_http_answer_reset(a, 200, JSON_CT);
			if (!ev.info) {
				push_buf_puts(hb(&a->body), "{}");
			} else {
				push_buf_puts(hb(&a->body), "{\"channels\":{");
				for (i = 0; i < ev.nchans; i++) {
					push_buf_puts(hb(&a->body), i ? "," : "");
					push_buf_json_str(hb(&a->body), ev.chans[i].p, ev.chans[i].len);
					push_buf_puts(hb(&a->body), ":{");
					info_members(s, app, &ev.chans[i], ev.info, &a->body);
					push_buf_puts(hb(&a->body), "}");
				}
				push_buf_puts(hb(&a->body), "}}");
			}
		}
	}
	free(ev.chans);
}

static void run_batch(push_server *s, const push_pusher_app *app, json_object *root, http_answer *a)
{
	json_object *arr = NULL;
	papi_event *evs;
	push_result r, sum = { 0, 0, 0, 0 };
	size_t n, i, parsed = 0;
	unsigned any_info = 0;
	char where[40];

	if (!json_object_object_get_ex(root, "batch", &arr) || !arr || !json_object_is_type(arr, json_type_array)) {
		papi_error(a, 400, "missing \"batch\": an array of events");
		return;
	}
	n = json_object_array_length(arr);
	if (!n) {
		papi_error(a, 400, "empty \"batch\"");
		return;
	}
	if (n > s->cfg.pusher_max_batch) {
		papi_error(a, 400, "too many events in \"batch\" (limit %u)", s->cfg.pusher_max_batch);
		return;
	}
	evs = calloc(n, sizeof(*evs));
	if (!evs) {
		papi_error(a, 500, "out of memory");
		return;
	}
	/* all checked before any is sent */
	for (i = 0; i < n; i++, parsed++) {
		snprintf(where, sizeof(where), "batch[%zu]: ", i);
		if (event_parse(s, json_object_array_get_idx(arr, i), &evs[i], 1, where, a) != 0) {
			parsed++;
			goto out;
		}
		any_info |= evs[i].info;
	}
	for (i = 0; i < n; i++) {
		r = event_trigger(s, app, &evs[i]);
		sum.count += r.count;
		sum.cluster_fail |= r.cluster_fail;
	}
	if (!delivered(&sum, a)) {
		goto out;
	}
	push_http_answer_reset(a, 200, JSON_CT);
	if (!any_info) {
		push_buf_puts(hb(&a->body), "{}");
		goto out;
	}
	push_buf_puts(hb(&a->body), "{\"batch\":[");
	for (i = 0; i < n; i++) {
		push_buf_puts(hb(&a->body), i ? ",{" : "{");
		info_members(s, app, &evs[i].chans[0], evs[i].info, &a->body);
		push_buf_puts(hb(&a->body), "}");
	}
	push_buf_puts(hb(&a->body), "]}");
out:
	for (i = 0; i < parsed; i++) {
		free(evs[i].chans);
	}
	free(evs);
}

/* Collects the channels of GET /channels. */
typedef struct papi_list {
	push_buf *b;               /* the answer */
	unsigned info;             /* PAPI_INFO_* asked for */
	size_t n;                  /* channels so far */
} papi_list;

static void list_channel(const push_pusher_chinfo *ci, void *arg)
{
	papi_list *l = arg;

	if (!ci->occupied) {
		return;
	}
	push_buf_puts(hb(l->b), l->n++ ? "," : "");
	push_buf_json_str(hb(l->b), ci->name, ci->len);
	push_buf_puts(hb(l->b), ":{");
	if ((l->info & PAPI_INFO_USERS) && push_pusher_is_presence(ci->name, ci->len)) {
		push_buf_printf(hb(l->b), "\"user_count\":%zu%s", ci->user_count, l->info & PAPI_INFO_SUBS ? "," : "");
	}
	if (l->info & PAPI_INFO_SUBS) {
		push_buf_printf(hb(l->b), "\"subscription_count\":%zu", ci->subscription_count);
	}
	push_buf_puts(hb(l->b), "}");
}

static void run_channels(push_server *s, const push_pusher_app *app, const char *q, size_t qlen, http_answer *a)
{
	char prefix[PAPI_QUERY_VALUE + 1], info[PAPI_QUERY_VALUE + 1];
	size_t plen = 0, ilen = 0;
	papi_list l;
	int has_prefix, has_info;

	if ((has_prefix = query_param(q, qlen, "filter_by_prefix", prefix, &plen, a)) < 0
			|| (has_info = query_param(q, qlen, "info", info, &ilen, a)) < 0) {
		return;
	}
	l.b = &a->body;
	l.n = 0;
	l.info = has_info > 0 ? info_of(info, ilen) : 0;
	if ((l.info & PAPI_INFO_USERS) && (has_prefix <= 0 || !push_pusher_is_presence(prefix, plen))) {
		papi_error(a, 400, "info=user_count needs filter_by_prefix=presence-");
		return;
	}
	push_http_answer_reset(a, 200, JSON_CT);
	push_buf_puts(hb(&a->body), "{\"channels\":{");
	push_pusher_each_channel(s, app, has_prefix > 0 ? prefix : NULL, has_prefix > 0 ? plen : 0, list_channel, &l);
	push_buf_puts(hb(&a->body), "}}");
}

static void run_channel(push_server *s, const push_pusher_app *app, const push_str *ch, const char *q, size_t qlen,
		http_answer *a)
{
	char info[PAPI_QUERY_VALUE + 1];
	size_t ilen = 0;
	unsigned want;
	push_pusher_chinfo ci;
	int rc;

	if ((rc = query_param(q, qlen, "info", info, &ilen, a)) < 0) {
		return;
	}
	want = rc > 0 ? info_of(info, ilen) : 0;
	if ((want & PAPI_INFO_USERS) && !push_pusher_is_presence(ch->p, ch->len)) {
		papi_error(a, 400, "user_count is only available for presence channels");
		return;
	}
	memset(&ci, 0, sizeof(ci));
	push_pusher_channel_info(s, app, ch->p, ch->len, &ci);
	push_http_answer_reset(a, 200, JSON_CT);
	push_buf_printf(hb(&a->body), "{\"occupied\":%s", ci.occupied ? "true" : "false");
	if (want & PAPI_INFO_USERS) {
		push_buf_printf(hb(&a->body), ",\"user_count\":%zu", ci.user_count);
	}
	if (want & PAPI_INFO_SUBS) {
		push_buf_printf(hb(&a->body), ",\"subscription_count\":%zu", ci.subscription_count);
	}
	push_buf_puts(hb(&a->body), "}");
}

/* Collects the users of GET /channels/{channel}/users. */
typedef struct papi_users {
	push_buf *b;               /* the answer */
	size_t n;                  /* users so far */
} papi_users;

/* One user; a numeric id goes out as a string, as Pusher answers ("id":"7"). */
static void list_user(const char *id_json, size_t len, void *arg)
{
	papi_users *u = arg;

	push_buf_puts(hb(u->b), u->n++ ? ",{\"id\":" : "{\"id\":");
	if (len && id_json[0] == '"') {
		push_buf_put(hb(u->b), id_json, len);
	} else {
		push_buf_json_str(hb(u->b), id_json, len);
	}
	push_buf_puts(hb(u->b), "}");
}

static void run_users(push_server *s, const push_pusher_app *app, const push_str *ch, http_answer *a)
{
	papi_users u = { &a->body, 0 };

	if (!push_pusher_is_presence(ch->p, ch->len)) {
		papi_error(a, 400, "users are only available for presence channels");
		return;
	}
	push_http_answer_reset(a, 200, JSON_CT);
	push_buf_puts(hb(&a->body), "{\"users\":[");
	push_pusher_each_user(s, app, ch->p, ch->len, list_user, &u);
	push_buf_puts(hb(&a->body), "]}");
}

/* Runs a signed request. */
static void papi_run(push_server *s, const push_pusher_app *app, const papi_route *r, const char *q, size_t qlen,
		const char *body, size_t blen, http_answer *a)
{
	json_object *root;

	switch (r->kind) {
	case PA_EVENTS:
	case PA_BATCH:
		root = body_object(body, blen, a);
		if (root) {
			if (r->kind == PA_EVENTS) {
				run_events(s, app, root, a);
			} else {
				run_batch(s, app, root, a);
			}
			json_object_put(root);
		}
		break;
	case PA_CHANNELS:
		run_channels(s, app, q, qlen, a);
		break;
	case PA_CHANNEL:
	case PA_USERS:
		if (!push_pusher_channel_valid(s, r->arg.p, r->arg.len)) {
			papi_error(a, 400, "invalid channel name");
		} else if (r->kind == PA_CHANNEL) {
			run_channel(s, app, &r->arg, q, qlen, a);
		} else {
			run_users(s, app, &r->arg, a);
		}
		break;
	case PA_TERMINATE:
		if (r->arg.len > PUSHER_USER_ID_MAX) {
			papi_error(a, 400, "invalid user id");
			break;
		}
		push_pusher_terminate_user(s, app, r->arg.p, r->arg.len);
		push_http_answer_reset(a, 200, JSON_CT);
		push_buf_puts(hb(&a->body), "{}");
		break;
	default:
		papi_error(a, 404, "not found");
		break;
	}
}

/*
 * The app, route and method of a request: 0 with *app and *r set, or -1 with
 * the error answer filled. Before the body (with_body 0): its signature too;
 * once the body is in: the body's body_md5 (the head was admitted already).
 */
static int papi_admit(push_server *s, int method, const char *path, size_t plen, const char *query, size_t qlen,
		int with_body, const char *body, size_t blen, struct http_answer *a, const push_pusher_app **app,
		papi_route *r)
{
	const char *reason = NULL;
	const char *m;
	int rc;

	papi_route_of(path + 6, plen - 6, r);
	if (!r->kind) {
		papi_error(a, 404, "not found");
		return -1;
	}
	*app = push_pusher_app_by_id(s, r->id.p, r->id.len);
	if (!*app) {
		papi_error(a, 404, "unknown app");
		return -1;
	}
	m = r->post ? "POST" : "GET";
	if (method != (r->post ? HM_POST : HM_GET)) {
		papi_error(a, 405, "method not allowed (%s)", m);
		a->allow = m;
		return -1;
	}
	rc = with_body ? push_pusher_verify_body(query, qlen, body, blen, &reason)
			: push_pusher_verify_head((*app)->key, (*app)->secret, m, path, plen, query, qlen,
					(int64_t)time(NULL), &reason);
	if (rc != 0) {
		papi_error(a, 401, "%s", reason);
		return -1;
	}
	return 0;
}

/* Before its body is read: 0 if the request names an app and is signed for it (the signature covers body_md5). */
static int papi_head(push_server *s, int method, const char *path, size_t plen, const char *query, size_t qlen,
		struct http_answer *a)
{
	const push_pusher_app *app;
	papi_route r;

	return papi_admit(s, method, path, plen, query, qlen, 0, NULL, 0, a, &app, &r);
}

/* The whole request: its body compared with body_md5, then run. */
static void papi_request(push_server *s, int method, const char *path, size_t plen, const char *query, size_t qlen,
		const char *body, size_t blen, struct http_answer *a)
{
	const push_pusher_app *app;
	papi_route r;

	if (papi_admit(s, method, path, plen, query, qlen, 1, body, blen, a, &app, &r) == 0) {
		papi_run(s, app, &r, query, qlen, body, blen, a);
	}
}

/* Largest Pusher API body: a full batch of the largest events, their data escaped in JSON. */
static size_t papi_body_limit(const push_config *c)
{
	size_t event = 2 * (size_t)c->pusher_max_payload + (size_t)c->pusher_max_trigger_channels
			* ((size_t)c->pusher_max_channel_len + 3) + c->pusher_max_event_len + 1024;
	size_t n = event * (c->pusher_max_batch ? c->pusher_max_batch : 1);

	return n > push_http_body_limit(c) ? n : push_http_body_limit(c);
}

static const push_http_role papi_role = { papi_body_limit, papi_head, papi_request };

const push_http_role *push_pusher_http_role(push_server *s, const char *uri, size_t uri_len)
{
	if (!s->cfg.pusher_napps || !push_pusher_has_prefix(uri, uri_len, "/apps/")) {
		return NULL;
	}
	return &papi_role;
}
