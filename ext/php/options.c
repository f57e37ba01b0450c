/*
 * options.c - the options of new Push\Server([...]): one table (name, type,
 * range, where the value goes) read by one loop. The messages are the ones
 * users see in exceptions; tests/server_options.phpt checks them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>

#include "php.h"
#include "zend_exceptions.h"

#include "../../php_push.h"
#include "php_push_server.h"
#include "options.h"
#include "../core/base/token.h"

bool php_push_is_loopback(const char *host)
{
	struct in_addr a4;

	if (!host) {
		return false;
	}
	if (strcmp(host, "::1") == 0) {
		return true;
	}
	if (inet_pton(AF_INET, host, &a4) == 1) {
		return (ntohl(a4.s_addr) >> 24) == 127;
	}
	return false;
}

/* "ws://host:port", "wss://..." or "tcp://host:port" into host/port/ipv6; -1 with a message. */
static int parse_address(const char *what, zend_string *addr, const char *const *schemes, char **host,
		int *port, int *ipv6, int *tls)
{
	const char *a = ZSTR_VAL(addr), *sep = strstr(a, "://"), *h, *colon, *end;
	const char *const *sc;
	char *num_end;
	long p;

	if (!sep) {
		goto bad;
	}
	for (sc = schemes; *sc; sc++) {
		if ((size_t)(sep - a) == strlen(*sc) && strncasecmp(a, *sc, strlen(*sc)) == 0) {
			break;
		}
	}
	if (!*sc) {
		zend_value_error("%s address \"%s\" has an unsupported scheme (use %s://)", what, a, schemes[0]);
		return -1;
	}
	if (tls) {
		*tls = strcasecmp(*sc, "wss") == 0;
	}
	h = sep + 3;
	end = a + ZSTR_LEN(addr);
	if (*h == '[') {
		const char *rb = strchr(h, ']');

		if (!rb || rb[1] != ':') {
			goto bad;
		}
		*host = strndup(h + 1, (size_t)(rb - h - 1));
		*ipv6 = 1;
		colon = rb + 1;
	} else {
		colon = strrchr(h, ':');
		if (!colon || colon == h) {
			goto bad;
		}
		*host = strndup(h, (size_t)(colon - h));
		*ipv6 = 0;
		if (strcmp(*host, "localhost") == 0) {
			free(*host);
			*host = strdup("127.0.0.1");
		}
	}
	errno = 0;
	p = strtol(colon + 1, &num_end, 10);
	if (num_end == colon + 1 || (num_end != end && *num_end != '/') || p < 0 || p > 65535 || errno) {
		free(*host);
		*host = NULL;
		goto bad;
	}
	if ((!*ipv6 && strcmp(*host, "0.0.0.0") == 0) || (*ipv6 && strcmp(*host, "::") == 0)) {
		free(*host);
		*host = NULL;     /* every interface */
	}
	*port = (int)p;
	return 0;

bad:
	zend_value_error("%s address \"%s\" must look like %s://host:port", what, a, schemes[0]);
	return -1;
}

static int opt_uint(zval *v, const char *name, uint32_t *out, zend_long min, zend_long max)
{
	if (Z_TYPE_P(v) != IS_LONG) {
		zend_argument_type_error(1, "option \"%s\" must be of type int, %s given", name, zend_zval_type_name(v));
		return -1;
	}
	if (Z_LVAL_P(v) < min || Z_LVAL_P(v) > max) {
		zend_argument_value_error(1, "option \"%s\" must be between " ZEND_LONG_FMT " and " ZEND_LONG_FMT, name, min, max);
		return -1;
	}
	*out = (uint32_t)Z_LVAL_P(v);
	return 0;
}

static int opt_seconds(zval *v, const char *name, uint32_t *ms, double min)
{
	double d;

	if (Z_TYPE_P(v) == IS_LONG) {
		d = (double)Z_LVAL_P(v);
	} else if (Z_TYPE_P(v) == IS_DOUBLE) {
		d = Z_DVAL_P(v);
	} else {
		zend_argument_type_error(1, "option \"%s\" must be a number of seconds, %s given", name, zend_zval_type_name(v));
		return -1;
	}
	if (d < min || d > 86400) {
		zend_argument_value_error(1, "option \"%s\" must be between %g and 86400 seconds", name, min);
		return -1;
	}
	*ms = (uint32_t)(d * 1000.0);
	return 0;
}

static int opt_string(zval *v, const char *name, zend_string **out)
{
	if (Z_TYPE_P(v) != IS_STRING) {
		zend_argument_type_error(1, "option \"%s\" must be of type string, %s given", name, zend_zval_type_name(v));
		return -1;
	}
	*out = Z_STR_P(v);
	return 0;
}

/* How an option's value is read. */
enum opt_type {
	OT_WS_ADDR,                /* "ws://host:port" or "wss://..." */
	OT_TEXT_ADDR,              /* "tcp://host:port", false/null = no Text port */
	OT_BYTES,                  /* a string kept as bytes and length ("" = none) */
	OT_BOOL,                   /* true or false */
	OT_PATH,                   /* a string kept as a C string */
	OT_ORIGINS,                /* a list of strings */
	OT_SECONDS,                /* a number of seconds, kept as milliseconds */
	OT_UINT,                   /* an integer within [min, max] */
	OT_REDIS,                  /* a string of 1 to 200 bytes, false/null = unset */
	OT_HISTORY,                /* ['size' => .., 'ttl' => .., 'bytes' => ..], false/null = off */
	OT_CLI_PATH,               /* a string kept by the CLI (pid or log file) */
	OT_UTF8_MODE,              /* "refuse" or "binary": what becomes of pushed messages that are not UTF-8 */
	OT_PUSHER                  /* ['apps' => [...], limits...], false/null = off */
};

/* Where the value goes. */
enum opt_base {
	OB_CFG = 0,                /* push_config */
	OB_SRV                     /* php_push_server */
};

/* One option. */
typedef struct opt_def {
	const char *name;          /* array key */
	uint8_t type;              /* enum opt_type */
	uint8_t base;              /* enum opt_base */
	size_t off;                /* offset of the field */
	size_t off2;               /* OT_BYTES: offset of the length field */
	double min, max;           /* OT_UINT, OT_SECONDS (min only; max is 86400) */
} opt_def;

#define CFG(f) OB_CFG, offsetof(push_config, f)
#define SRV(f) OB_SRV, offsetof(php_push_server, f)

static const opt_def opt_defs[] = {
	{ "ws", OT_WS_ADDR, CFG(ws_host), 0, 0, 0 },
	{ "text", OT_TEXT_ADDR, CFG(text_host), 0, 0, 0 },
	{ "secret", OT_BYTES, CFG(secret), offsetof(push_config, secret_len), 0, 0 },
	{ "text_secret", OT_BYTES, CFG(text_secret), offsetof(push_config, text_secret_len), 0, 0 },
	{ "api_secret", OT_BYTES, CFG(api_secret), offsetof(push_config, api_secret_len), 0, 0 },
	{ "plain_uid", OT_BOOL, CFG(plain_uid), 0, 0, 0 },
	{ "metrics_public", OT_BOOL, CFG(metrics_public), 0, 0, 0 },
	{ "signals", OT_BOOL, SRV(signals), 0, 0, 0 },
	{ "tls_cert", OT_PATH, CFG(tls_cert), 0, 0, 0 },
	{ "tls_key", OT_PATH, CFG(tls_key), 0, 0, 0 },
	{ "origins", OT_ORIGINS, CFG(origins), 0, 0, 0 },
	{ "auth_timeout", OT_SECONDS, CFG(auth_timeout_ms), 0, 0.01, 0 },
	{ "ping_interval", OT_SECONDS, CFG(ping_interval_ms), 0, 0, 0 },
	{ "ping_timeout", OT_SECONDS, CFG(ping_timeout_ms), 0, 0.01, 0 },
	{ "drain_timeout", OT_SECONDS, CFG(drain_timeout_ms), 0, 0, 0 },
	{ "max_connections", OT_UINT, CFG(max_conns), 0, 1, 10000000 },
	{ "max_message_in", OT_UINT, CFG(max_msg_in), 0, 1, 64 * 1024 * 1024 },
	{ "max_message_out", OT_UINT, CFG(max_msg_out), 0, 1, 64 * 1024 * 1024 },
	{ "max_uid_length", OT_UINT, CFG(max_uid_len), 0, 1, PUSH_UID_MAX },
	{ "max_line", OT_UINT, CFG(text_max_line), 0, 16, 256 * 1024 * 1024 },
	{ "text_auth_timeout", OT_SECONDS, CFG(text_auth_timeout_ms), 0, 0.01, 0 },
	{ "text_idle_timeout", OT_SECONDS, CFG(text_idle_timeout_ms), 0, 0, 0 },
	{ "max_text_connections", OT_UINT, CFG(max_text_conns), 0, 1, 10000000 },
	{ "handshake_timeout", OT_SECONDS, CFG(handshake_timeout_ms), 0, 0.01, 0 },
	{ "max_handshakes_per_address", OT_UINT, CFG(max_hs_per_addr), 0, 0, 10000000 },
	{ "max_connections_per_address", OT_UINT, CFG(max_conns_per_addr), 0, 0, 10000000 },
	{ "trusted_proxies", OT_ORIGINS, CFG(trusted_proxies), 0, 0, 0 },
	{ "message_timeout", OT_SECONDS, CFG(message_timeout_ms), 0, 0, 0 },
	{ "max_input_per_address", OT_UINT, CFG(max_input_per_addr), 0, 1024, 4294967295.0 },
	{ "max_input_total", OT_UINT, CFG(max_input_total), 0, 1024, 4294967295.0 },
	{ "invalid_utf8", OT_UTF8_MODE, CFG(invalid_utf8_binary), 0, 0, 0 },
	{ "busy_poll", OT_UINT, CFG(busy_poll_us), 0, 0, 100000 },
	{ "send_queue", OT_UINT, CFG(send_queue_max), 0, 1024, 1024 * 1024 * 1024 },
	{ "redis", OT_REDIS, CFG(redis), 0, 0, 0 },
	{ "redis_prefix", OT_REDIS, CFG(redis_prefix), 0, 0, 0 },
	{ "node_id", OT_REDIS, CFG(node_id), 0, 0, 0 },
	{ "history", OT_HISTORY, CFG(history_size), 0, 0, 0 },
	{ "pusher", OT_PUSHER, CFG(pusher_apps), 0, 0, 0 },
	{ "pid_file", OT_CLI_PATH, SRV(pid_file), 0, 0, 0 },
	{ "log_file", OT_CLI_PATH, SRV(log_file), 0, 0, 0 },
};

static int opt_bool(zval *v, const char *name, int *out)
{
	if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) {
		zend_argument_type_error(1, "option \"%s\" must be of type bool, %s given", name, zend_zval_type_name(v));
		return -1;
	}
	*out = Z_TYPE_P(v) == IS_TRUE;
	return 0;
}

static int opt_history(push_config *c, zval *v)
{
	zend_string *hk;
	zval *hv;

	if (Z_TYPE_P(v) == IS_FALSE || Z_TYPE_P(v) == IS_NULL) {
		c->history_size = 0;
		return 0;
	}
	if (Z_TYPE_P(v) != IS_ARRAY) {
		zend_argument_type_error(1, "option \"history\" must be an array like ['size' => 100, 'ttl' => 300], %s given", zend_zval_type_name(v));
		return -1;
	}
	c->history_size = 100;
	ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL_P(v), hk, hv) {
		uint32_t bytes_mb;

		ZVAL_DEREF(hv);
		if (hk && zend_string_equals_literal(hk, "size")) {
			if (opt_uint(hv, "history.size", &c->history_size, 1, 1000000)) {
				return -1;
			}
		} else if (hk && zend_string_equals_literal(hk, "ttl")) {
			if (opt_seconds(hv, "history.ttl", &c->history_ttl_ms, 0.01)) {
				return -1;
			}
		} else if (hk && zend_string_equals_literal(hk, "bytes")) {
			if (opt_uint(hv, "history.bytes", &bytes_mb, 1024, 2000000000)) {
				return -1;
			}
			c->history_bytes = bytes_mb;
		} else {
			zend_argument_value_error(1, "option \"history\" has an unknown key \"%s\" (size, ttl, bytes)", hk ? ZSTR_VAL(hk) : "?");
			return -1;
		}
	} ZEND_HASH_FOREACH_END();
	return 0;
}

/* The limits of the "pusher" option, by key. */
static const struct {
	const char *name;          /* key in the "pusher" array */
	size_t off;                /* its push_config field (uint32_t) */
	zend_long min, max;        /* accepted range */
} pusher_limits[] = {
	{ "activity_timeout", offsetof(push_config, pusher_activity_timeout), 1, 3600 },
	/* a channel is the group "\0P<id>\0<channel>": 256 bytes at most (groups.c) less 67 for a 64-byte id */
	{ "max_channel_name_length", offsetof(push_config, pusher_max_channel_len), 1, 189 },
	{ "max_event_name_length", offsetof(push_config, pusher_max_event_len), 1, 4096 },
	{ "max_payload", offsetof(push_config, pusher_max_payload), 1, 64 * 1024 * 1024 },
	{ "max_channels_per_connection", offsetof(push_config, pusher_max_channels), 1, 100000 },
	{ "max_channels_per_address", offsetof(push_config, pusher_max_channels_per_addr), 0, 1000000 },
	{ "max_presence_members", offsetof(push_config, pusher_max_members), 1, 1000000 },
	{ "max_member_info", offsetof(push_config, pusher_max_member_info), 1, 1024 * 1024 },
	{ "client_event_rate", offsetof(push_config, pusher_client_event_rate), 1, 100000 },
	{ "max_batch_events", offsetof(push_config, pusher_max_batch), 1, 10000 },
	{ "max_trigger_channels", offsetof(push_config, pusher_max_trigger_channels), 1, 100000 },
};

#define PUSHER_APP_NAME_MAX 64     /* longest app id or key, bytes */

/* An app id or key: 1 to 64 bytes of [A-Za-z0-9_.-] (they appear in URLs and group names). */
static int pusher_name_ok(const char *p, size_t len)
{
	size_t i;

	if (len == 0 || len > PUSHER_APP_NAME_MAX) {
		return 0;
	}
	for (i = 0; i < len; i++) {
		char ch = p[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
				|| ch == '_' || ch == '.' || ch == '-')) {
			return 0;
		}
	}
	return 1;
}

/*
 * The id, key (name: 1 to 64 bytes of [A-Za-z0-9_.-]) or secret (any non-empty
 * string) of app idx into *dst; -1 with an exception.
 */
static int opt_pusher_app_str(zend_ulong idx, const char *field, zval *f, bool name, char **dst)
{
	char num[MAX_LENGTH_OF_LONG + 1];
	bool is_id = strcmp(field, "id") == 0;
	const char *p;
	size_t len;

	if (Z_TYPE_P(f) == IS_LONG && is_id) {
		/* Pusher's app ids are numbers: 'id' => 123456 is the id "123456" */
		len = (size_t)snprintf(num, sizeof(num), ZEND_LONG_FMT, Z_LVAL_P(f));
		p = num;
	} else if (Z_TYPE_P(f) == IS_STRING) {
		p = Z_STRVAL_P(f);
		len = Z_STRLEN_P(f);
	} else {
		zend_argument_type_error(1, "option \"pusher.apps[" ZEND_ULONG_FMT "].%s\" must be of type %s, %s given",
				idx, field, is_id ? "string|int" : "string", zend_zval_type_name(f));
		return -1;
	}
	if (name && !pusher_name_ok(p, len)) {
		zend_argument_value_error(1, "option \"pusher.apps[" ZEND_ULONG_FMT "].%s\" must be 1 to %d characters of "
				"A-Z, a-z, 0-9, '_', '.' and '-'", idx, field, PUSHER_APP_NAME_MAX);
		return -1;
	}
	if (!name && (len == 0 || memchr(p, '\0', len))) {
		zend_argument_value_error(1, "option \"pusher.apps[" ZEND_ULONG_FMT "].%s\" must be a non-empty string "
				"without null bytes", idx, field);
		return -1;
	}
	free(*dst);
	*dst = strndup(p, len);
	return 0;
}

/* One app of pusher.apps into a (already zeroed); -1 with an exception. */
static int opt_pusher_app(zend_ulong idx, zval *v, push_pusher_app *a)
{
	zend_string *k;
	zend_ulong kidx;
	zval *f;
	char what[64];

	if (Z_TYPE_P(v) != IS_ARRAY) {
		zend_argument_type_error(1, "option \"pusher.apps[" ZEND_ULONG_FMT "]\" must be an array like "
				"['id' => .., 'key' => .., 'secret' => ..], %s given", idx, zend_zval_type_name(v));
		return -1;
	}
	ZEND_HASH_FOREACH_KEY_VAL(Z_ARRVAL_P(v), kidx, k, f) {
		ZVAL_DEREF(f);
		if (k && zend_string_equals_literal(k, "client_events")) {
			snprintf(what, sizeof(what), "pusher.apps[" ZEND_ULONG_FMT "].client_events", idx);
			if (opt_bool(f, what, &a->client_events)) {
				return -1;
			}
			continue;
		}
		if (k && zend_string_equals_literal(k, "max_channels")) {
			snprintf(what, sizeof(what), "pusher.apps[" ZEND_ULONG_FMT "].max_channels", idx);
			a->max_channels = 0;       /* null: an even share of the node's channels */
			if (Z_TYPE_P(f) != IS_NULL && opt_uint(f, what, &a->max_channels, 1, 1000000)) {
				return -1;
			}
			continue;
		}
		if (k && zend_string_equals_literal(k, "webhook_url")) {
			free(a->webhook_url);
			a->webhook_url = NULL;
			if (Z_TYPE_P(f) == IS_NULL || (Z_TYPE_P(f) == IS_STRING && Z_STRLEN_P(f) == 0)) {
				continue;      /* env('PUSHER_WEBHOOK_URL') unset: no webhooks */
			}
			if (Z_TYPE_P(f) != IS_STRING) {
				zend_argument_type_error(1, "option \"pusher.apps[" ZEND_ULONG_FMT "].webhook_url\" must be of type "
						"?string, %s given", idx, zend_zval_type_name(f));
				return -1;
			}
			if (strncasecmp(Z_STRVAL_P(f), "https://", 8) == 0) {
				zend_argument_value_error(1, "option \"pusher.apps[" ZEND_ULONG_FMT "].webhook_url\": https:// is not "
						"supported (webhooks go over http:// only; a local TLS proxy can forward them)", idx);
				return -1;
			}
			if (strncasecmp(Z_STRVAL_P(f), "http://", 7) != 0 || Z_STRLEN_P(f) <= 7 || Z_STRLEN_P(f) > 2048
					|| strpbrk(Z_STRVAL_P(f), " \t\r\n") || memchr(Z_STRVAL_P(f), '\0', Z_STRLEN_P(f))) {
				zend_argument_value_error(1, "option \"pusher.apps[" ZEND_ULONG_FMT "].webhook_url\" must look like "
						"http://host:port/path", idx);
				return -1;
			}
			a->webhook_url = strdup(Z_STRVAL_P(f));
			continue;
		}
		if (k && zend_string_equals_literal(k, "id")) {
			if (opt_pusher_app_str(idx, "id", f, true, &a->id)) {
				return -1;
			}
			continue;
		}
		if (k && zend_string_equals_literal(k, "key")) {
			if (opt_pusher_app_str(idx, "key", f, true, &a->key)) {
				return -1;
			}
			continue;
		}
		if (k && zend_string_equals_literal(k, "secret")) {
			if (opt_pusher_app_str(idx, "secret", f, false, &a->secret)) {
				return -1;
			}
			continue;
		}
		snprintf(what, sizeof(what), ZEND_ULONG_FMT, kidx);
		zend_argument_value_error(1, "option \"pusher.apps[" ZEND_ULONG_FMT "]\" has an unknown key \"%s\" "
				"(id, key, secret, client_events, webhook_url, max_channels)", idx, k ? ZSTR_VAL(k) : what);
		return -1;
	} ZEND_HASH_FOREACH_END();
	if (!a->id || !a->key || !a->secret) {
		zend_argument_value_error(1, "option \"pusher.apps[" ZEND_ULONG_FMT "]\" needs \"%s\"", idx,
				!a->id ? "id" : !a->key ? "key" : "secret");
		return -1;
	}
	return 0;
}

/* pusher.apps: a non-empty list of apps with distinct ids and keys; -1 with an exception. */
static int opt_pusher_apps(push_config *c, zval *v)
{
	uint32_t n;
	size_t i, j;
	zval *app;

	if (Z_TYPE_P(v) != IS_ARRAY) {
		zend_argument_type_error(1, "option \"pusher.apps\" must be a list of apps, %s given", zend_zval_type_name(v));
		return -1;
	}
	n = zend_hash_num_elements(Z_ARRVAL_P(v));
	if (n == 0 || !zend_array_is_list(Z_ARRVAL_P(v))) {
		zend_argument_value_error(1, "option \"pusher.apps\" must be a non-empty list of apps");
		return -1;
	}
	c->pusher_apps = calloc(n, sizeof(*c->pusher_apps));
	if (!c->pusher_apps) {
		zend_throw_error(NULL, "out of memory");
		return -1;
	}
	ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), app) {
		/* counted first, so push_config_free() frees what a failed app got */
		i = c->pusher_napps++;
		ZVAL_DEREF(app);
		if (opt_pusher_app(i, app, &c->pusher_apps[i])) {
			return -1;
		}
		for (j = 0; j < i; j++) {
			const char *dup = strcmp(c->pusher_apps[j].id, c->pusher_apps[i].id) == 0 ? "id"
					: strcmp(c->pusher_apps[j].key, c->pusher_apps[i].key) == 0 ? "key" : NULL;

			if (dup) {
				zend_argument_value_error(1, "option \"pusher.apps\" has two apps with the %s \"%s\"", dup,
						dup[0] == 'i' ? c->pusher_apps[i].id : c->pusher_apps[i].key);
				return -1;
			}
		}
	} ZEND_HASH_FOREACH_END();
	return 0;
}

/* ['apps' => [...], limits...]: the Pusher protocol (docs/PUSHER.md); -1 with an exception. */
static int opt_pusher(push_config *c, zval *v)
{
	zend_string *k;
	zend_ulong idx;
	zval *f;
	size_t i;
	bool apps = false;

	for (i = 0; i < c->pusher_napps; i++) {
		free(c->pusher_apps[i].id);
		free(c->pusher_apps[i].key);
		free(c->pusher_apps[i].secret);
		free(c->pusher_apps[i].webhook_url);
	}
	free(c->pusher_apps);
	c->pusher_apps = NULL;
	c->pusher_napps = 0;
	if (Z_TYPE_P(v) == IS_FALSE || Z_TYPE_P(v) == IS_NULL) {
		return 0;
	}
	if (Z_TYPE_P(v) != IS_ARRAY) {
		zend_argument_type_error(1, "option \"pusher\" must be an array like ['apps' => [['id' => .., 'key' => .., "
				"'secret' => ..]]], %s given", zend_zval_type_name(v));
		return -1;
	}
	ZEND_HASH_FOREACH_KEY_VAL(Z_ARRVAL_P(v), idx, k, f) {
		char what[64];

		ZVAL_DEREF(f);
		if (k && zend_string_equals_literal(k, "apps")) {
			if (opt_pusher_apps(c, f)) {
				return -1;
			}
			apps = true;
			continue;
		}
		for (i = 0; i < sizeof(pusher_limits) / sizeof(pusher_limits[0]); i++) {
			if (k && strcmp(ZSTR_VAL(k), pusher_limits[i].name) == 0) {
				break;
			}
		}
		if (i == sizeof(pusher_limits) / sizeof(pusher_limits[0])) {
			char num[MAX_LENGTH_OF_LONG + 1];

			snprintf(num, sizeof(num), ZEND_ULONG_FMT, idx);
			zend_argument_value_error(1, "option \"pusher\" has an unknown key \"%s\" (apps, activity_timeout, "
					"max_channel_name_length, max_event_name_length, max_payload, max_channels_per_connection, "
					"max_channels_per_address, max_presence_members, max_member_info, client_event_rate, max_batch_events, max_trigger_channels)",
					k ? ZSTR_VAL(k) : num);
			return -1;
		}
		snprintf(what, sizeof(what), "pusher.%s", pusher_limits[i].name);
		if (opt_uint(f, what, (uint32_t *)((char *)c + pusher_limits[i].off), pusher_limits[i].min,
				pusher_limits[i].max)) {
			return -1;
		}
	} ZEND_HASH_FOREACH_END();
	if (!apps) {
		zend_argument_value_error(1, "option \"pusher\" needs \"apps\", a list like [['id' => .., 'key' => .., "
				"'secret' => ..]]");
		return -1;
	}
	return 0;
}

/* Reads one option into its field; -1 with an exception. */
static int opt_apply(php_push_server *s, const opt_def *d, zval *v, int *tls)
{
	static const char *const ws_schemes[] = { "ws", "wss", NULL };
	static const char *const text_schemes[] = { "tcp", NULL };
	push_config *c = &s->cfg;
	char *field = (d->base == OB_SRV ? (char *)s : (char *)c) + d->off;
	const char *k = d->name;
	zend_string *str = NULL;

	switch (d->type) {
	case OT_WS_ADDR:
		free(c->ws_host);
		c->ws_host = NULL;
		return opt_string(v, k, &str) || parse_address("WebSocket", str, ws_schemes, &c->ws_host,
				&c->ws_port, &c->ws_ipv6, tls) ? -1 : 0;
	case OT_TEXT_ADDR:
		if (Z_TYPE_P(v) == IS_FALSE || Z_TYPE_P(v) == IS_NULL) {
			c->text_port = -1;
			return 0;
		}
		free(c->text_host);
		c->text_host = NULL;
		return opt_string(v, k, &str) || parse_address("Text", str, text_schemes, &c->text_host,
				&c->text_port, &c->text_ipv6, NULL) ? -1 : 0;
	case OT_BYTES: {
		unsigned char **p = (unsigned char **)field;
		size_t *len = (size_t *)((char *)c + d->off2);

		if (opt_string(v, k, &str)) {
			return -1;
		}
		free(*p);
		*p = NULL;
		*len = 0;
		if (ZSTR_LEN(str)) {
			*p = malloc(ZSTR_LEN(str));
			memcpy(*p, ZSTR_VAL(str), ZSTR_LEN(str));
			*len = ZSTR_LEN(str);
		}
		return 0;
	}
	case OT_BOOL:
		return opt_bool(v, k, (int *)field);
	case OT_UTF8_MODE:
		if (opt_string(v, k, &str)) {
			return -1;
		}
		if (!zend_string_equals_literal(str, "refuse") && !zend_string_equals_literal(str, "binary")) {
			zend_argument_value_error(1, "option \"%s\" must be \"refuse\" or \"binary\"", k);
			return -1;
		}
		*(int *)field = zend_string_equals_literal(str, "binary");
		return 0;
	case OT_PATH:
		if (opt_string(v, k, &str)) {
			return -1;
		}
		free(*(char **)field);
		*(char **)field = strdup(ZSTR_VAL(str));
		return 0;
	case OT_ORIGINS: {
		/* a list of strings: origins, trusted_proxies */
		char ***list = (char ***)field;
		size_t *nlist = field == (void *)&c->origins ? &c->norigins : &c->ntrusted_proxies;
		zval *o;
		size_t i = 0;

		if (Z_TYPE_P(v) != IS_ARRAY) {
			zend_argument_type_error(1, "option \"%s\" must be of type array, %s given", k, zend_zval_type_name(v));
			return -1;
		}
		*list = calloc(zend_hash_num_elements(Z_ARRVAL_P(v)) + 1, sizeof(char *));
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), o) {
			if (Z_TYPE_P(o) != IS_STRING) {
				zend_argument_type_error(1, "option \"%s\" must be a list of strings", k);
				return -1;
			}
			(*list)[i++] = strdup(Z_STRVAL_P(o));
			*nlist = i;
		} ZEND_HASH_FOREACH_END();
		return 0;
	}
	case OT_SECONDS:
		return opt_seconds(v, k, (uint32_t *)field, d->min);
	case OT_UINT:
		return opt_uint(v, k, (uint32_t *)field, (zend_long)d->min, (zend_long)d->max);
	case OT_REDIS: {
		char **dst = (char **)field;

		if (Z_TYPE_P(v) == IS_NULL || Z_TYPE_P(v) == IS_FALSE) {
			free(*dst);
			*dst = NULL;
			return 0;
		}
		if (opt_string(v, k, &str)) {
			return -1;
		}
		if (dst == &c->redis && strncmp(ZSTR_VAL(str), "redis://", 8) != 0) {
			zend_argument_value_error(1, "option \"redis\" must look like redis://[:password@]host:port[/db]");
			return -1;
		}
		if (ZSTR_LEN(str) == 0 || ZSTR_LEN(str) > 200 || memchr(ZSTR_VAL(str), '\0', ZSTR_LEN(str))) {
			zend_argument_value_error(1, "option \"%s\" must be 1 to 200 bytes", k);
			return -1;
		}
		free(*dst);
		*dst = strdup(ZSTR_VAL(str));
		return 0;
	}
	case OT_HISTORY:
		return opt_history(c, v);
	case OT_PUSHER:
		return opt_pusher(c, v);
	case OT_CLI_PATH: {
		char **dst = (char **)field;

		if (opt_string(v, k, &str)) {
			return -1;
		}
		if (*dst) {
			efree(*dst);
		}
		*dst = estrndup(ZSTR_VAL(str), ZSTR_LEN(str));
		return 0;
	}
	}
	return -1;
}

int php_push_apply_options(php_push_server *s, HashTable *opts)
{
	push_config *c = &s->cfg;
	zend_string *key;
	zval *v;
	int tls = 0;

	ZEND_HASH_FOREACH_STR_KEY_VAL(opts, key, v) {
		size_t i;

		if (!key) {
			zend_argument_value_error(1, "options must be an array with string keys");
			return -1;
		}
		ZVAL_DEREF(v);
		for (i = 0; i < sizeof(opt_defs) / sizeof(opt_defs[0]); i++) {
			if (strcmp(ZSTR_VAL(key), opt_defs[i].name) == 0) {
				break;
			}
		}
		if (i == sizeof(opt_defs) / sizeof(opt_defs[0])) {
			zend_argument_value_error(1, "has an unknown option \"%s\"", ZSTR_VAL(key));
			return -1;
		}
		if (opt_apply(s, &opt_defs[i], v, &tls) != 0) {
			return -1;
		}
	} ZEND_HASH_FOREACH_END();

	if (!zend_hash_str_exists(opts, "plain_uid", sizeof("plain_uid") - 1)) {
		c->plain_uid = c->secret == NULL;   /* tokens are the default once there is a secret */
	}
	if (tls && (!c->tls_cert || !c->tls_key)) {
		zend_argument_value_error(1, "a wss:// address needs the \"tls_cert\" and \"tls_key\" options");
		return -1;
	}
	if (!tls && (c->tls_cert || c->tls_key)) {
		zend_argument_value_error(1, "\"tls_cert\" and \"tls_key\" need a wss:// address");
		return -1;
	}
	if (c->pusher_napps && c->pusher_max_payload > c->max_msg_out) {
		/* an event's frame holds its data (escaped): over max_message_out it would reach nobody */
		zend_argument_value_error(1, "option \"pusher.max_payload\" must not be over \"max_message_out\" (%u bytes); "
				"raise both", c->max_msg_out);
		return -1;
	}
	if (c->max_msg_out > c->send_queue_max) {
		c->send_queue_max = c->max_msg_out + 16;
	}
	return 0;
}
