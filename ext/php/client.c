/*
 * client.c - Push\Client: talks to a push server's Text port, or publishes to the
 * push servers of a cluster through Redis.
 *
 * One JSON object per line goes out, exactly one answer line comes back, in order.
 * Every method but token() works on an instance and statically; static calls use a
 * default client built from the push.client_* INI settings.
 *
 * With a redis://[user:password@]host[:port][/db][?prefix=push:] address the client
 * speaks RESP itself: AUTH and SELECT on a new connection, then one
 * PUBLISH <prefix>bus <json> per push. Every push server of the cluster subscribes to
 * that channel; PUBLISH answers how many got the message. Only the pushes can be
 * done that way (send, broadcast, sendToGroup, kickUid, sendBatch); questions need
 * a push server's Text port.
 *
 * Static and instance calls of one name: PHP keeps one method per name in the
 * class's function table, and its callable checks look there before any handler.
 * So the table keeps the methods (for reflection and method_exists) marked
 * protected, and the class has __call and __callStatic set: protected methods of a
 * class with those are resolved through the object's get_method handler (callables
 * with an object) or the class's get_static_method handler (static calls and
 * callables without one). The handlers return one of two public copies of the
 * method: an instance copy ($this is the client) or a static copy (no $this: the
 * default client). Both copies run the same C function.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "php.h"
#include "php_network.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"
#include "ext/json/php_json.h"
#include "ext/json/php_json_parser.h"

#include "php_push.h"
#include "ext/core/sha256.h"
#include "ext/core/token.h"

#define PUSH_CLIENT_MAX_ANSWER (1024 * 1024) /* longest answer line read, in bytes */
#define PUSH_CLIENT_MAX_TIMEOUT 3600.0       /* seconds, as for push.client_timeout */
#define PUSH_CLIENT_JSON_FLAGS (PHP_JSON_UNESCAPED_SLASHES | PHP_JSON_UNESCAPED_UNICODE)
#define PUSH_CLIENT_REDIS_PORT 6379
#define PUSH_CLIENT_REDIS_PREFIX "push:"   /* the push servers' default redis_prefix */
#define PUSH_CLIENT_REDIS_NODE "client"    /* the "n" (sending node) of published messages */

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

/* Methods callable both on an instance and statically. */
static const struct {
	const char *lc;            /* lower-case name, the function table key */
	size_t len;                /* its length */
} client_dual_names[] = {
	{ "send", sizeof("send") - 1 },
	{ "sendcount", sizeof("sendcount") - 1 },
	{ "broadcast", sizeof("broadcast") - 1 },
	{ "isuidonline", sizeof("isuidonline") - 1 },
	{ "getuidconnectioncount", sizeof("getuidconnectioncount") - 1 },
	{ "kickuid", sizeof("kickuid") - 1 },
	{ "status", sizeof("status") - 1 },
	{ "close", sizeof("close") - 1 },
	{ "sendbatch", sizeof("sendbatch") - 1 },
	{ "joingroup", sizeof("joingroup") - 1 },
	{ "leavegroup", sizeof("leavegroup") - 1 },
	{ "sendtogroup", sizeof("sendtogroup") - 1 },
	{ "getgroupconnectioncount", sizeof("getgroupconnectioncount") - 1 },
	{ "getgroupuids", sizeof("getgroupuids") - 1 },
	{ "getuidgroups", sizeof("getuidgroups") - 1 },
	{ "getallconnectioncount", sizeof("getallconnectioncount") - 1 },
	{ "getalluidcount", sizeof("getalluidcount") - 1 },
	{ "getuidlist", sizeof("getuidlist") - 1 },
};
#define CLIENT_DUAL_COUNT (sizeof(client_dual_names) / sizeof(client_dual_names[0]))

static zend_object_handlers client_handlers;
static zend_internal_function client_instance_fn[CLIENT_DUAL_COUNT]; /* public, with $this */
static zend_internal_function client_static_fn[CLIENT_DUAL_COUNT];   /* public static */
static zend_internal_function client_call_fn, client_callstatic_fn;  /* __call, __callStatic */

static inline push_client *client_from_obj(zend_object *obj)
{
	return (push_client *)((char *)obj - XtOffsetOf(push_client, std));
}

/* ------------------------------------------------------------ JSON -- */

static const char *client_json_error(php_json_error_code code)
{
	switch (code) {
	case PHP_JSON_ERROR_DEPTH:
		return "maximum stack depth exceeded";
	case PHP_JSON_ERROR_UTF8:
		return "malformed UTF-8 characters, possibly incorrectly encoded";
	case PHP_JSON_ERROR_RECURSION:
		return "recursion detected";
	case PHP_JSON_ERROR_INF_OR_NAN:
		return "INF and NAN cannot be encoded";
	case PHP_JSON_ERROR_UNSUPPORTED_TYPE:
		return "a value of an unsupported type";
	case PHP_JSON_ERROR_INVALID_PROPERTY_NAME:
		return "invalid property name";
	case PHP_JSON_ERROR_UTF16:
		return "single unpaired UTF-16 surrogate";
	case PHP_JSON_ERROR_NON_BACKED_ENUM:
		return "non-backed enums have no default serialization";
	default:
		return "unknown error";
	}
}

/*
 * Appends v as JSON. json_last_error() is left as the script last set it.
 * On failure returns FAILURE with *code set (PHP_JSON_ERROR_NONE if an exception was thrown).
 */
static zend_result client_json_append(smart_str *buf, zval *v, php_json_error_code *code)
{
	php_json_error_code saved = JSON_G(error_code);
	zend_result r = php_json_encode_ex(buf, v, PUSH_CLIENT_JSON_FLAGS, PHP_JSON_PARSER_DEFAULT_DEPTH);

	*code = EG(exception) ? PHP_JSON_ERROR_NONE : JSON_G(error_code);
	JSON_G(error_code) = saved;
	/* some errors (Inf, NaN) only show in the error code, as for json_encode() */
	if (EG(exception) || *code != PHP_JSON_ERROR_NONE) {
		return FAILURE;
	}
	return r;
}

/* Appends an argument as JSON; a value that cannot be encoded is the argument's fault. */
static zend_result client_json_append_arg(smart_str *buf, zval *v, uint32_t arg)
{
	php_json_error_code code;

	if (client_json_append(buf, v, &code) == FAILURE) {
		if (!EG(exception)) {
			zend_argument_value_error(arg, "cannot be encoded as JSON: %s", client_json_error(code));
		}
		return FAILURE;
	}
	return SUCCESS;
}

/* Decodes an answer into PHP arrays without touching json_last_error(). */
static bool client_json_decode(zend_string *s, zval *out)
{
	php_json_parser parser;

	ZVAL_NULL(out);
	php_json_parser_init(&parser, out, ZSTR_VAL(s), ZSTR_LEN(s), PHP_JSON_OBJECT_AS_ARRAY,
		PHP_JSON_PARSER_DEFAULT_DEPTH);
	if (php_json_parse(&parser) != 0) {
		ZVAL_NULL(out);
		return false;
	}
	return true;
}

/* ------------------------------------------------------- settings -- */

static bool client_is_redis(const char *a, size_t len)
{
	return len >= sizeof("redis://") - 1 && strncasecmp(a, "redis://", sizeof("redis://") - 1) == 0;
}

/* Parses up to 9 decimal digits; -1 when [p, end) is empty, too long or not all digits. */
static zend_long client_digits(const char *p, const char *end)
{
	zend_long n = 0;

	if (p == end || end - p > 9) {
		return -1;
	}
	for (; p < end; p++) {
		if (*p < '0' || *p > '9') {
			return -1;
		}
		n = n * 10 + (*p - '0');
	}
	return n;
}

/*
 * Splits redis://[[user]:password@]host[:port][/db][?prefix=P] (redis://password@host is
 * a password too). NULL if usable, else why not (completes "Argument #1 ($address) ...").
 * Everything is taken as written, as the push servers take their "redis" option: no '%'
 * escapes; the password ends at the last '@', so it may hold '@', '/', '?' or ':'.
 */
static const char *client_redis_parse(const char *a, size_t len, client_redis_url *u)
{
	const char *p = a + sizeof("redis://") - 1, *end = a + len, *at, *q, *hp, *colon;

	memset(u, 0, sizeof(*u));
	u->port = PUSH_CLIENT_REDIS_PORT;
	u->db = -1;
	u->prefix = PUSH_CLIENT_REDIS_PREFIX;
	u->prefix_len = sizeof(PUSH_CLIENT_REDIS_PREFIX) - 1;

	if ((at = zend_memnrstr(p, "@", 1, end))) {
		if ((colon = memchr(p, ':', (size_t)(at - p)))) {
			u->user = p;
			u->user_len = (size_t)(colon - p);
			u->pass = colon + 1;
			u->pass_len = (size_t)(at - colon - 1);
		} else {
			u->pass = p;
			u->pass_len = (size_t)(at - p);
		}
		p = at + 1;
	}
	for (q = p; q < end && *q != '/' && *q != '?'; q++);
	/* host, [v6] or name, then an optional :port */
	if (p < q && *p == '[') {
		const char *rb = memchr(p, ']', (size_t)(q - p));

		if (!rb || rb == p + 1) {
			return "must name a Redis host, as in redis://127.0.0.1:6379";
		}
		hp = rb + 1;
		if (hp < q && *hp != ':') {
			return "must name a Redis host, as in redis://127.0.0.1:6379";
		}
		colon = hp < q ? hp : NULL;
	} else {
		colon = zend_memrchr(p, ':', (size_t)(q - p));
		hp = colon ? colon : q;
	}
	u->host = p;
	u->host_len = (size_t)(hp - p);
	if (u->host_len == 0) {
		return "must name a Redis host, as in redis://127.0.0.1:6379";
	}
	if (colon) {
		u->port = client_digits(colon + 1, q);
		if (u->port < 1 || u->port > 65535) {
			return "must have a Redis port between 1 and 65535";
		}
	}
	if (q < end && *q == '/') {
		const char *d = ++q;

		for (; q < end && *q != '?'; q++);
		if (q > d && (u->db = client_digits(d, q)) < 0) {
			return "must have a database number after the host, as in redis://127.0.0.1:6379/0";
		}
	}
	if (q < end) {
		/* ?prefix=P, the only parameter */
		q++;
		while (q < end) {
			const char *amp = memchr(q, '&', (size_t)(end - q)), *pe = amp ? amp : end;

			if ((size_t)(pe - q) < sizeof("prefix=") - 1 || memcmp(q, "prefix=", sizeof("prefix=") - 1) != 0) {
				return "may have no parameter but prefix=";
			}
			u->prefix = q + sizeof("prefix=") - 1;
			u->prefix_len = (size_t)(pe - u->prefix);
			q = amp ? amp + 1 : end;
		}
	}
	return NULL;
}

/* NULL if address is usable, else why not (completes "... must ..."). */
static const char *client_check_address(const char *a, size_t len)
{
	const char *sep;

	if (len == 0) {
		return "must not be empty";
	}
	if (memchr(a, '\0', len)) {
		return "must not contain any null bytes";
	}
	if (client_is_redis(a, len)) {
		client_redis_url u;

		return client_redis_parse(a, len, &u);
	}
	sep = zend_memnstr(a, "://", 3, a + len);
	if (!sep) {
		return NULL;    /* host:port, a TCP address */
	}
	if ((sep - a == 3 && strncasecmp(a, "tcp", 3) == 0) || (sep - a == 4 && strncasecmp(a, "unix", 4) == 0)) {
		if (sep + 3 == a + len) {
			return "must name a host and port, or a socket path";
		}
		return NULL;
	}
	return "must be a tcp:// or unix:// address";
}

static bool client_timeout_ok(double t)
{
	return zend_finite(t) && t > 0 && t <= PUSH_CLIENT_MAX_TIMEOUT;
}

static void client_reset(push_client *c)
{
	c->checked = NULL;
	if (c->stream) {
		php_stream_close(c->stream);
		c->stream = NULL;
	}
	if (c->address) {
		zend_string_release(c->address);
		c->address = NULL;
	}
	if (c->secret) {
		zend_string_release(c->secret);
		c->secret = NULL;
	}
	if (c->auth_line) {
		zend_string_release(c->auth_line);
		c->auth_line = NULL;
	}
	if (c->pid) {
		zend_string_release(c->pid);
		c->pid = NULL;
	}
	if (c->xport) {
		zend_string_release(c->xport);
		c->xport = NULL;
	}
	if (c->where) {
		zend_string_release(c->where);
		c->where = NULL;
	}
	if (c->channel) {
		zend_string_release(c->channel);
		c->channel = NULL;
	}
	c->redis = false;
	c->hello_replies = 0;
}

/* One RESP bulk string. */
static void client_resp_arg(smart_str *buf, const char *p, size_t len)
{
	smart_str_appendc(buf, '$');
	smart_str_append_unsigned(buf, len);
	smart_str_appendl(buf, "\r\n", 2);
	smart_str_appendl(buf, p, len);
	smart_str_appendl(buf, "\r\n", 2);
}

/* The first 8 bytes of the SHA-256 of [p, p + len) in hex: names a secret without telling it. */
static void client_digest_hex(const char *p, size_t len, char hex[17])
{
	unsigned char digest[PUSH_SHA256_DIGEST_LEN];
	int i;

	push_sha256(p, len, digest);
	for (i = 0; i < 8; i++) {
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	}
}

/* Stores the Redis settings of a checked redis:// address: transport, AUTH/SELECT, channel. */
static void client_setup_redis(push_client *c, bool persistent)
{
	client_redis_url u;
	smart_str hello = {0}, where = {0}, ch = {0};
	char hex[17];

	client_redis_parse(ZSTR_VAL(c->address), ZSTR_LEN(c->address), &u);
	c->redis = true;
	c->xport = zend_strpprintf(0, "tcp://%.*s:" ZEND_LONG_FMT, (int)u.host_len, u.host, u.port);
	smart_str_appendl(&where, "redis://", sizeof("redis://") - 1);
	smart_str_appendl(&where, u.host, u.host_len);
	smart_str_appendc(&where, ':');
	smart_str_append_long(&where, u.port);
	if (u.db >= 0) {
		smart_str_appendc(&where, '/');
		smart_str_append_long(&where, u.db);
	}
	c->where = smart_str_extract(&where);

	if (u.user_len || u.pass_len) {
		smart_str id = {0};

		/* AUTH [user] password */
		smart_str_appends(&hello, u.user_len ? "*3\r\n$4\r\nAUTH\r\n" : "*2\r\n$4\r\nAUTH\r\n");
		if (u.user_len) {
			client_resp_arg(&hello, u.user, u.user_len);
		}
		client_resp_arg(&hello, u.pass, u.pass_len);
		c->hello_replies++;
		/* connections for other credentials are not shared */
		if (u.user_len) {
			smart_str_appendl(&id, u.user, u.user_len);
		}
		smart_str_appendc(&id, '\0');
		smart_str_appendl(&id, u.pass, u.pass_len);
		smart_str_0(&id);
		client_digest_hex(ZSTR_VAL(id.s), ZSTR_LEN(id.s), hex);
		smart_str_free(&id);
	} else {
		hex[0] = '\0';
	}
	if (u.db >= 0) {
		char db[MAX_LENGTH_OF_LONG + 1];
		int n = snprintf(db, sizeof(db), ZEND_LONG_FMT, u.db);

		smart_str_appends(&hello, "*2\r\n$6\r\nSELECT\r\n");
		client_resp_arg(&hello, db, (size_t)n);
		c->hello_replies++;
	}
	if (hello.s) {
		c->auth_line = smart_str_extract(&hello);
	}

	smart_str_appendl(&ch, u.prefix, u.prefix_len);
	smart_str_appendl(&ch, "bus", sizeof("bus") - 1);
	c->channel = smart_str_extract(&ch);

	if (persistent) {
		c->pid = zend_strpprintf(0, "push:%s%s%s", ZSTR_VAL(c->where), hex[0] ? "#" : "", hex);
	}
}

/*
 * Stores validated settings. secret may be NULL or empty (no secret). Fails only when the
 * secret cannot be sent (not UTF-8); then nothing is stored and no exception is thrown.
 */
static zend_result client_setup(push_client *c, const char *address, size_t address_len, double timeout,
	const char *secret, size_t secret_len, bool persistent)
{
	smart_str auth = {0};
	bool redis = client_is_redis(address, address_len);

	if (secret && secret_len && !redis) {
		php_json_error_code code;
		zval zs;

		ZVAL_STRINGL(&zs, secret, secret_len);
		smart_str_appends(&auth, "{\"auth\":");
		if (client_json_append(&auth, &zs, &code) == FAILURE) {
			zval_ptr_dtor(&zs);
			smart_str_free(&auth);
			return FAILURE;
		}
		zval_ptr_dtor(&zs);
		smart_str_appends(&auth, "}\n");
	}
	client_reset(c);
	c->address = zend_string_init(address, address_len, 0);
	c->timeout = timeout;
	if (auth.s) {
		c->secret = zend_string_init(secret, secret_len, 0);
		c->auth_line = smart_str_extract(&auth);
	} else if (redis && secret && secret_len) {
		/* unused, kept so that the default client still matches the INI settings */
		c->secret = zend_string_init(secret, secret_len, 0);
	}
	if (redis) {
		client_setup_redis(c, persistent);
	} else if (persistent) {
		/* connections made with different secrets are not shared */
		if (c->secret) {
			char hex[17];

			client_digest_hex(ZSTR_VAL(c->secret), ZSTR_LEN(c->secret), hex);
			c->pid = zend_strpprintf(0, "push:%s#%s", ZSTR_VAL(c->address), hex);
		} else {
			c->pid = zend_strpprintf(0, "push:%s", ZSTR_VAL(c->address));
		}
	}
	return SUCCESS;
}

/* ----------------------------------------------------- connection -- */

static void client_tv(double t, struct timeval *tv)
{
	tv->tv_sec = (time_t)t;
	tv->tv_usec = (suseconds_t)((t - (double)tv->tv_sec) * 1000000.0);
}

/* The persistent connection of this address and secret, if the process has one. */
static php_stream *client_persistent_stream(push_client *c)
{
	zend_resource *le = zend_hash_find_ptr(&EG(persistent_list), c->pid);

	if (le && le->type == php_file_le_pstream()) {
		return (php_stream *)le->ptr;
	}
	return NULL;
}

/* Closes the connection; the next call makes a new one. */
static void client_drop(push_client *c, php_stream *s)
{
	c->checked = NULL;
	if (c->pid) {
		php_stream_pclose(s);
	} else {
		php_stream_close(s);
		c->stream = NULL;
	}
}

/*
 * Whether a kept connection is idle and in step: nothing buffered and nothing readable.
 * Readable means the server closed it (restarted) or an old answer is left over from
 * a request that was cut short; either way it must not be used.
 */
static bool client_stream_idle(php_stream *s)
{
	php_socket_t fd;

	if (s->eof || s->writepos > s->readpos) {
		return false;
	}
	if (php_stream_cast(s, PHP_STREAM_AS_FD_FOR_SELECT | PHP_STREAM_CAST_INTERNAL, (void **)&fd, 0) != SUCCESS) {
		return true;
	}
	return php_pollfd_for_ms(fd, PHP_POLLREADABLE, 0) == 0;
}

/* Who the client talks to, for messages: "the push server" or "Redis", then "at" where. */
static const char *client_peer(push_client *c)
{
	return c->redis ? "Redis" : "the push server";
}

static const char *client_where(push_client *c)
{
	return ZSTR_VAL(c->redis ? c->where : c->address);
}

static php_stream *client_connect(push_client *c)
{
	struct timeval tv;
	zend_string *errstr = NULL, *xport = c->redis ? c->xport : c->address;
	int err = 0;
	php_stream *s;

	client_tv(c->timeout, &tv);
	s = php_stream_xport_create(ZSTR_VAL(xport), ZSTR_LEN(xport), 0,
		STREAM_XPORT_CLIENT | STREAM_XPORT_CONNECT, c->pid ? ZSTR_VAL(c->pid) : NULL, &tv, NULL, &errstr, &err);
	if (!s) {
		zend_throw_exception_ex(push_connection_exception_ce, 0, "cannot connect to %s at %s: %s",
			client_peer(c), client_where(c), errstr ? ZSTR_VAL(errstr) : "unknown error");
		if (errstr) {
			zend_string_release(errstr);
		}
		return NULL;
	}
	if (errstr) {
		zend_string_release(errstr);
	}
	/* no notices from failed writes, no fclose() from scripts, only \n ends a line */
	s->flags |= PHP_STREAM_FLAG_SUPPRESS_ERRORS | PHP_STREAM_FLAG_NO_FCLOSE;
	s->flags &= ~(PHP_STREAM_FLAG_DETECT_EOL | PHP_STREAM_FLAG_EOL_MAC);
	if (!c->pid) {
		c->stream = s;
	}
	return s;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Waits up to spin_us (push.client_spin) for the answer by polling the socket
 * without sleeping. A round trip to a push server on the same machine or LAN
 * is mostly the wake-ups of sleeping processes: a caller that keeps its CPU
 * while the answer is on its way saves its own, and the server's send has no
 * one to wake. Past spin_us (a slow or remote server) it sleeps as before.
 */
static void client_spin(php_stream *s, double timeout)
{
	zend_long spin_us = PUSH_G(client_spin);
	static long cpus;
	php_socket_t fd;
	uint64_t until;
	char b;

	if (!cpus) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
	}
	/* with one CPU, the server cannot answer while this one spins */
	if (spin_us <= 0 || cpus == 1 || s->writepos > s->readpos
			|| php_stream_cast(s, PHP_STREAM_AS_FD_FOR_SELECT | PHP_STREAM_CAST_INTERNAL, (void **)&fd, 0) != SUCCESS) {
		return;
	}
	if (timeout > 0 && (double)spin_us > timeout * 1e6) {
		spin_us = (zend_long)(timeout * 1e6);   /* the answer timeout still holds */
	}
	until = mono_ns() + (uint64_t)spin_us * 1000;
	do {
		ssize_t n = recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);

		if (n > 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) || n == 0) {
			return;     /* data, an error or the end: the read that follows sees it */
		}
	} while (mono_ns() < until);
}

/* Reads one answer line (without the line end) into *answer. */
static client_io client_read_line(php_stream *s, double timeout, zend_string **answer)
{
	smart_str buf = {0};
	char chunk[8192];
	size_t n;

	*answer = NULL;
	client_spin(s, timeout);
	for (;;) {
		if (!php_stream_get_line(s, chunk, sizeof(chunk), &n)) {
			n = 0;
		}
		if (n > 0 && chunk[n - 1] == '\n') {
			n--;
			if (n > 0 && chunk[n - 1] == '\r') {
				n--;
			}
			if ((buf.s ? ZSTR_LEN(buf.s) : 0) + n > PUSH_CLIENT_MAX_ANSWER) {
				smart_str_free(&buf);
				return CLIENT_IO_TOO_LONG;
			}
			smart_str_appendl(&buf, chunk, n);
			break;
		}
		if (n == sizeof(chunk) - 1) {
			/* a long line: keep reading */
			smart_str_appendl(&buf, chunk, n);
			if (ZSTR_LEN(buf.s) > PUSH_CLIENT_MAX_ANSWER) {
				smart_str_free(&buf);
				return CLIENT_IO_TOO_LONG;
			}
			continue;
		}
		/* the line did not end: the peer closed, or the wait timed out */
		n += buf.s ? ZSTR_LEN(buf.s) : 0;
		smart_str_free(&buf);
		if (s->eof) {
			return n ? CLIENT_IO_CLOSED : CLIENT_IO_EOF_EARLY;
		}
		return CLIENT_IO_TIMEOUT;
	}
	*answer = buf.s ? smart_str_extract(&buf) : ZSTR_EMPTY_ALLOC();
	return CLIENT_IO_OK;
}

/* Writes one line and reads its answer (without the line end) into *answer. */
static client_io client_exchange(php_stream *s, double timeout, const char *line, size_t len, zend_string **answer)
{
	*answer = NULL;
	if (php_stream_write(s, line, len) != (ssize_t)len) {
		return CLIENT_IO_WRITE_FAILED;
	}
	return client_read_line(s, timeout, answer);
}

static void client_throw_io(push_client *c, client_io rc)
{
	const char *peer = client_peer(c), *a = client_where(c);

	switch (rc) {
	case CLIENT_IO_WRITE_FAILED:
		zend_throw_exception_ex(push_connection_exception_ce, 0, "cannot write to %s at %s", peer, a);
		break;
	case CLIENT_IO_EOF_EARLY:
	case CLIENT_IO_CLOSED:
		zend_throw_exception_ex(push_connection_exception_ce, 0, "%s at %s closed the connection", peer, a);
		break;
	case CLIENT_IO_TIMEOUT:
		zend_throw_exception_ex(push_connection_exception_ce, 0, "timed out waiting for %s at %s", peer, a);
		break;
	case CLIENT_IO_TOO_LONG:
		zend_throw_exception_ex(push_protocol_exception_ce, 0,
			"%s at %s sent an answer longer than %d bytes", peer, a, PUSH_CLIENT_MAX_ANSWER);
		break;
	case CLIENT_IO_OK:
		break;
	}
}

static bool client_answer_is(zend_string *answer, const char *s, size_t len)
{
	return ZSTR_LEN(answer) == len && memcmp(ZSTR_VAL(answer), s, len) == 0;
}

static bool client_answer_starts(zend_string *answer, const char *s, size_t len)
{
	return ZSTR_LEN(answer) >= len && memcmp(ZSTR_VAL(answer), s, len) == 0;
}

/* Throws for an answer that is neither expected nor an error line. */
static void client_throw_unexpected(push_client *c, zend_string *answer)
{
	size_t n = ZSTR_LEN(answer) > 64 ? 64 : ZSTR_LEN(answer);

	zend_throw_exception_ex(push_protocol_exception_ce, 0, "unexpected answer from %s at %s: \"%.*s%s\"",
		client_peer(c), client_where(c), (int)n, ZSTR_VAL(answer), n < ZSTR_LEN(answer) ? "..." : "");
}

/* A Redis reply that is not the one expected: "-ERR x" -> Push\ProtocolException("redis: ERR x"). */
static void client_redis_throw_reply(push_client *c, zend_string *reply)
{
	if (ZSTR_LEN(reply) > 1 && ZSTR_VAL(reply)[0] == '-') {
		zend_throw_exception_ex(push_protocol_exception_ce, 0, "redis: %s", ZSTR_VAL(reply) + 1);
	} else {
		client_throw_unexpected(c, reply);
	}
}

/* AUTH and SELECT on a new Redis connection, pipelined; each must answer +OK. Drops s on failure. */
static bool client_redis_hello(push_client *c, php_stream *s)
{
	zend_string *reply, *bad = NULL;
	client_io rc = CLIENT_IO_OK;
	uint32_t i;

	if (php_stream_write(s, ZSTR_VAL(c->auth_line), ZSTR_LEN(c->auth_line)) != (ssize_t)ZSTR_LEN(c->auth_line)) {
		rc = CLIENT_IO_WRITE_FAILED;
	}
	for (i = 0; rc == CLIENT_IO_OK && i < c->hello_replies; i++) {
		if ((rc = client_read_line(s, c->timeout, &reply)) != CLIENT_IO_OK) {
			break;
		}
		if (!bad && !client_answer_is(reply, "+OK", 3)) {
			bad = reply;    /* the first refusal tells why; a wrong password fails SELECT too */
		} else {
			zend_string_release(reply);
		}
	}
	if (rc == CLIENT_IO_OK && !bad) {
		return true;
	}
	client_drop(c, s);
	if (bad) {
		client_redis_throw_reply(c, bad);
		zend_string_release(bad);
	} else {
		client_throw_io(c, rc);
	}
	return false;
}

/* "error: x" -> Push\ProtocolException("push server: x"), anything else -> unexpected answer. */
static void client_throw_answer(push_client *c, zend_string *answer)
{
	if (client_answer_starts(answer, "error: ", sizeof("error: ") - 1)) {
		zend_throw_exception_ex(push_protocol_exception_ce, 0, "push server: %s",
			ZSTR_VAL(answer) + sizeof("error: ") - 1);
	} else {
		client_throw_unexpected(c, answer);
	}
}

/*
 * A connection ready for a request: the kept one if it is idle, else a new one
 * (authenticated first when there is a secret, or Redis AUTH/SELECT). *fresh tells which.
 */
static php_stream *client_checkout(push_client *c, bool *fresh)
{
	php_stream *s = c->pid ? client_persistent_stream(c) : c->stream;
	struct timeval tv;

	client_tv(c->timeout, &tv);
	if (s) {
		/*
		 * A kept connection is looked at (one poll) the first time this object uses
		 * it: an earlier request may have been cut short with its answer unread.
		 * After that every answer of ours was read whole, or the stream was dropped.
		 */
		if (s == c->checked && !s->eof && s->writepos == s->readpos) {
			*fresh = false;
			return s;
		}
		if (client_stream_idle(s)) {
			php_stream_set_option(s, PHP_STREAM_OPTION_READ_TIMEOUT, 0, &tv);
			c->checked = s;
			*fresh = false;
			return s;
		}
		client_drop(c, s);
	}
	if (!(s = client_connect(c))) {
		return NULL;
	}
	php_stream_set_option(s, PHP_STREAM_OPTION_READ_TIMEOUT, 0, &tv);
	c->checked = s;
	*fresh = true;
	if (c->redis) {
		if (c->auth_line && !client_redis_hello(c, s)) {
			return NULL;
		}
	} else if (c->auth_line) {
		zend_string *answer;
		client_io rc = client_exchange(s, c->timeout, ZSTR_VAL(c->auth_line), ZSTR_LEN(c->auth_line), &answer);

		if (rc != CLIENT_IO_OK) {
			client_drop(c, s);
			client_throw_io(c, rc);
			return NULL;
		}
		if (!client_answer_is(answer, "ok", 2)) {
			client_drop(c, s);
			client_throw_answer(c, answer);
			zend_string_release(answer);
			return NULL;
		}
		zend_string_release(answer);
	}
	return s;
}

/*
 * Sends one request line and returns its answer line, or NULL with an exception.
 * A kept connection that turns out dead (the write fails, or it closes before any
 * byte of the answer) is replaced once and the line sent again.
 */
static zend_string *client_request(push_client *c, smart_str *line)
{
	int attempt;

	if (!c->address) {
		zend_throw_error(NULL, "Push\\Client object is not initialized");
		return NULL;
	}
	if (c->redis) {
		zend_throw_exception_ex(push_protocol_exception_ce, 0,
			"%s() needs a push server's Text address; redis:// only publishes", get_active_function_name());
		return NULL;
	}
	smart_str_0(line);
	for (attempt = 0; attempt < 2; attempt++) {
		zend_string *answer;
		bool fresh;
		php_stream *s = client_checkout(c, &fresh);
		client_io rc;

		if (!s) {
			return NULL;
		}
		rc = client_exchange(s, c->timeout, ZSTR_VAL(line->s), ZSTR_LEN(line->s), &answer);
		if (rc == CLIENT_IO_OK) {
			if (client_answer_is(answer, "error: unauthorized", sizeof("error: unauthorized") - 1)) {
				/* the server closes such a connection; a kept one may have missed its auth answer */
				client_drop(c, s);
				if (!fresh && c->auth_line) {
					zend_string_release(answer);
					continue;
				}
			} else if (client_answer_starts(answer, "error: line too long", sizeof("error: line too long") - 1)) {
				client_drop(c, s);
			}
			return answer;
		}
		client_drop(c, s);
		if (!fresh && (rc == CLIENT_IO_WRITE_FAILED || rc == CLIENT_IO_EOF_EARLY)) {
			continue;
		}
		client_throw_io(c, rc);
		return NULL;
	}
	zend_throw_exception_ex(push_connection_exception_ce, 0, "the push server at %s closed the connection",
		ZSTR_VAL(c->address));
	return NULL;
}

/* Sends a command line; *out is the decoded {"ok":true,...} answer. false with an exception. */
static bool client_command(push_client *c, smart_str *line, zval *out)
{
	zend_string *answer = client_request(c, line);
	zval *ok, *err;

	if (!answer) {
		return false;
	}
	if (client_answer_starts(answer, "error: ", sizeof("error: ") - 1)) {
		client_throw_answer(c, answer);
		zend_string_release(answer);
		return false;
	}
	if (!client_json_decode(answer, out) || Z_TYPE_P(out) != IS_ARRAY
			|| !(ok = zend_hash_str_find(Z_ARRVAL_P(out), "ok", sizeof("ok") - 1))
			|| (Z_TYPE_P(ok) != IS_TRUE && Z_TYPE_P(ok) != IS_FALSE)) {
		client_throw_unexpected(c, answer);
		zval_ptr_dtor(out);
		zend_string_release(answer);
		return false;
	}
	if (Z_TYPE_P(ok) == IS_FALSE) {
		err = zend_hash_str_find(Z_ARRVAL_P(out), "error", sizeof("error") - 1);
		if (err && Z_TYPE_P(err) == IS_STRING) {
			zend_throw_exception(push_protocol_exception_ce, Z_STRVAL_P(err), 0);
		} else {
			client_throw_unexpected(c, answer);
		}
		zval_ptr_dtor(out);
		zend_string_release(answer);
		return false;
	}
	zend_string_release(answer);
	return true;
}

/* A command answered with {"ok":true,"count":N}. */
static bool client_count_command(push_client *c, smart_str *line, zend_long *count)
{
	zval answer, *n;

	if (!client_command(c, line, &answer)) {
		return false;
	}
	n = zend_hash_str_find(Z_ARRVAL(answer), "count", sizeof("count") - 1);
	if (!n || Z_TYPE_P(n) != IS_LONG || Z_LVAL_P(n) < 0) {
		zend_throw_exception_ex(push_protocol_exception_ce, 0,
			"unexpected answer from the push server at %s: no count", ZSTR_VAL(c->address));
		zval_ptr_dtor(&answer);
		return false;
	}
	*count = Z_LVAL_P(n);
	zval_ptr_dtor(&answer);
	return true;
}

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
			return client_json_append_arg(buf, uid, arg);
		}
		smart_str_appendc(buf, '[');
		if (client_json_append_arg(buf, uid, arg) == FAILURE) {
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
				if (client_json_append_arg(buf, v, arg) == FAILURE) {
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
static zend_result client_line(smart_str *buf, const char *cmd, zval *uid, uint32_t uid_arg,
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
		if (client_json_append_arg(buf, msg, msg_arg) == FAILURE) {
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

	if (ZSTR_LEN(group) == 0) {
		zend_argument_value_error(1, "must not be empty");
		return FAILURE;
	}
	ZVAL_STR(&g, group);
	smart_str_appends(buf, key);
	return client_json_append_arg(buf, &g, 1);
}

/* Like client_line, with an optional "group" first and "exclude_uids" last. */
static zend_result client_line_ex(smart_str *buf, const char *cmd, zend_string *group, zval *uid, uint32_t uid_arg,
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
		if (client_json_append_arg(buf, msg, msg_arg) == FAILURE) {
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
static zend_result client_redis_payload(smart_str *buf, const char *type, zend_string *group, zval *uid,
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
			if (client_json_append_arg(buf, msg, msg_arg) == FAILURE) {
				return FAILURE;
			}
		} else {
			smart_str text = {0};
			zval zt;
			zend_result r;

			if (client_json_append_arg(&text, msg, msg_arg) == FAILURE) {
				smart_str_free(&text);
				return FAILURE;
			}
			ZVAL_STR(&zt, smart_str_extract(&text));
			r = client_json_append_arg(buf, &zt, msg_arg);
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
static void client_redis_publish_cmd(push_client *c, smart_str *cmds, const char *payload, size_t len)
{
	smart_str_appends(cmds, "*3\r\n$7\r\nPUBLISH\r\n");
	client_resp_arg(cmds, ZSTR_VAL(c->channel), ZSTR_LEN(c->channel));
	client_resp_arg(cmds, payload, len);
}

#define BATCH_CHUNK 1000   /* lines or commands written before their answers are read */

/*
 * Sends count commands (command i ends at ends[i] in cmds) and reads their integer
 * replies into out, a chunk of commands, then its replies. A kept connection that turns
 * out dead before the first reply (the write fails, or it closes) is replaced once and
 * everything sent again. false with an exception.
 */
static bool client_redis_run(push_client *c, const char *cmds, const size_t *ends, uint32_t count, zend_long *out)
{
	int attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		zend_string *reply = NULL, *refused = NULL;
		client_io rc = CLIENT_IO_OK;
		uint32_t done = 0, got = 0;
		size_t off = 0;
		bool fresh, unexpected = false;
		php_stream *s = client_checkout(c, &fresh);

		if (!s) {
			return false;
		}
		while (done < count && rc == CLIENT_IO_OK && !unexpected) {
			uint32_t n = MIN(count - done, BATCH_CHUNK), k;
			size_t end = ends[done + n - 1];

			if (php_stream_write(s, cmds + off, end - off) != (ssize_t)(end - off)) {
				rc = CLIENT_IO_WRITE_FAILED;
				break;
			}
			for (k = 0; k < n; k++) {
				const char *p;

				if ((rc = client_read_line(s, c->timeout, &reply)) != CLIENT_IO_OK) {
					break;
				}
				got++;
				p = ZSTR_VAL(reply);
				if (ZSTR_LEN(reply) > 1 && p[0] == ':'
						&& (out[done + k] = client_digits(p + 1, p + ZSTR_LEN(reply))) >= 0) {
					zend_string_release(reply);
				} else if (ZSTR_LEN(reply) > 1 && p[0] == '-') {
					/* refused (e.g. NOAUTH); the connection stays in step */
					if (!refused) {
						refused = reply;
					} else {
						zend_string_release(reply);
					}
				} else {
					unexpected = true;
					break;
				}
				reply = NULL;
			}
			done += n;
			off = end;
		}
		if (rc == CLIENT_IO_OK && !unexpected) {
			if (refused) {
				client_redis_throw_reply(c, refused);
				zend_string_release(refused);
				return false;
			}
			return true;
		}
		client_drop(c, s);
		if (refused) {
			zend_string_release(refused);
		}
		if (unexpected) {
			client_throw_unexpected(c, reply);
			zend_string_release(reply);
			return false;
		}
		if (!fresh && got == 0 && (rc == CLIENT_IO_WRITE_FAILED || rc == CLIENT_IO_EOF_EARLY)) {
			continue;
		}
		client_throw_io(c, rc);
		return false;
	}
	zend_throw_exception_ex(push_connection_exception_ce, 0, "Redis at %s closed the connection", ZSTR_VAL(c->where));
	return false;
}

/* PUBLISHes one payload; *reached is how many push servers got it. false with an exception. */
static bool client_redis_publish(push_client *c, smart_str *payload, zend_long *reached)
{
	smart_str cmd = {0};
	size_t end;
	bool ok;

	client_redis_publish_cmd(c, &cmd, ZSTR_VAL(payload->s), ZSTR_LEN(payload->s));
	end = ZSTR_LEN(cmd.s);
	ok = client_redis_run(c, ZSTR_VAL(cmd.s), &end, 1, reached);
	smart_str_free(&cmd);
	return ok;
}

/* ------------------------------------------------- default client -- */

static zend_object *client_create(zend_class_entry *ce);

static bool client_matches_ini(push_client *c)
{
	const char *addr = PUSH_G(client_address) ? PUSH_G(client_address) : "";
	const char *secret = PUSH_G(client_secret) ? PUSH_G(client_secret) : "";
	size_t secret_len = strlen(secret);

	if (!c->address || ZSTR_LEN(c->address) != strlen(addr)
			|| memcmp(ZSTR_VAL(c->address), addr, ZSTR_LEN(c->address)) != 0) {
		return false;
	}
	if (c->timeout != PUSH_G(client_timeout) || (c->pid != NULL) != PUSH_G(client_persistent)) {
		return false;
	}
	if (!c->secret) {
		return secret_len == 0;
	}
	return ZSTR_LEN(c->secret) == secret_len && memcmp(ZSTR_VAL(c->secret), secret, secret_len) == 0;
}

/* The client behind static calls, (re)built from the INI settings; NULL with an exception. */
static push_client *client_default(void)
{
	zend_object *obj = PUSH_G(default_client);
	const char *addr, *secret, *err;
	push_client *c;

	if (obj) {
		if (client_matches_ini(client_from_obj(obj))) {
			return client_from_obj(obj);
		}
		PUSH_G(default_client) = NULL;
		OBJ_RELEASE(obj);
	}
	addr = PUSH_G(client_address) ? PUSH_G(client_address) : "";
	secret = PUSH_G(client_secret) ? PUSH_G(client_secret) : "";
	if ((err = client_check_address(addr, strlen(addr)))) {
		zend_throw_exception_ex(push_exception_ce, 0, "push.client_address %s", err);
		return NULL;
	}
	if (!client_timeout_ok(PUSH_G(client_timeout))) {
		zend_throw_exception(push_exception_ce, "push.client_timeout must be between 0 and 3600 seconds", 0);
		return NULL;
	}
	obj = client_create(push_client_ce);
	c = client_from_obj(obj);
	if (client_setup(c, addr, strlen(addr), PUSH_G(client_timeout), secret, strlen(secret),
			PUSH_G(client_persistent)) == FAILURE) {
		OBJ_RELEASE(obj);
		if (!EG(exception)) {
			zend_throw_exception(push_exception_ce, "push.client_secret must be valid UTF-8", 0);
		}
		return NULL;
	}
	PUSH_G(default_client) = obj;
	return c;
}

/* The instance for $client->method(), the default client for Push\Client::method(). */
static push_client *client_this(zend_execute_data *execute_data)
{
	if (Z_TYPE(EX(This)) == IS_OBJECT) {
		return client_from_obj(Z_OBJ(EX(This)));
	}
	return client_default();
}

void php_push_client_rshutdown(void)
{
	zend_object *obj = PUSH_G(default_client);

	/* the object is request memory; a persistent connection stays in the persistent list */
	if (obj) {
		PUSH_G(default_client) = NULL;
		OBJ_RELEASE(obj);
	}
}

/* -------------------------------------------------------- methods -- */

ZEND_METHOD(Push_Client, __construct)
{
	zend_string *address = NULL, *key;
	HashTable *options = NULL;
	push_client *c = client_from_obj(Z_OBJ_P(ZEND_THIS));
	const char *addr, *secret, *err;
	size_t addr_len, secret_len;
	double timeout = PUSH_G(client_timeout);
	bool persistent = PUSH_G(client_persistent);
	zval *v;

	ZEND_PARSE_PARAMETERS_START(0, 2)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR_OR_NULL(address)
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	if (address) {
		addr = ZSTR_VAL(address);
		addr_len = ZSTR_LEN(address);
		if ((err = client_check_address(addr, addr_len))) {
			zend_argument_value_error(1, "%s", err);
			RETURN_THROWS();
		}
	} else {
		addr = PUSH_G(client_address) ? PUSH_G(client_address) : "";
		addr_len = strlen(addr);
		if ((err = client_check_address(addr, addr_len))) {
			zend_throw_exception_ex(push_exception_ce, 0, "push.client_address %s", err);
			RETURN_THROWS();
		}
	}
	secret = PUSH_G(client_secret) ? PUSH_G(client_secret) : "";
	secret_len = strlen(secret);

	if (options) {
		ZEND_HASH_FOREACH_STR_KEY_VAL(options, key, v) {
			if (!key) {
				zend_argument_value_error(2, "options must be an array with string keys");
				RETURN_THROWS();
			}
			ZVAL_DEREF(v);
			if (zend_string_equals_literal(key, "timeout")) {
				if (Z_TYPE_P(v) == IS_LONG) {
					timeout = (double)Z_LVAL_P(v);
				} else if (Z_TYPE_P(v) == IS_DOUBLE) {
					timeout = Z_DVAL_P(v);
				} else {
					zend_argument_type_error(2, "option \"timeout\" must be of type float, %s given",
						zend_zval_type_name(v));
					RETURN_THROWS();
				}
				if (!client_timeout_ok(timeout)) {
					zend_argument_value_error(2, "option \"timeout\" must be greater than 0 and at most 3600 seconds");
					RETURN_THROWS();
				}
			} else if (zend_string_equals_literal(key, "secret")) {
				if (Z_TYPE_P(v) == IS_NULL) {
					secret = "";
					secret_len = 0;
				} else if (Z_TYPE_P(v) == IS_STRING) {
					secret = Z_STRVAL_P(v);
					secret_len = Z_STRLEN_P(v);
				} else {
					zend_argument_type_error(2, "option \"secret\" must be of type ?string, %s given",
						zend_zval_type_name(v));
					RETURN_THROWS();
				}
			} else if (zend_string_equals_literal(key, "persistent")) {
				if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) {
					zend_argument_type_error(2, "option \"persistent\" must be of type bool, %s given",
						zend_zval_type_name(v));
					RETURN_THROWS();
				}
				persistent = Z_TYPE_P(v) == IS_TRUE;
			} else {
				zend_argument_value_error(2, "has an unknown option \"%s\"", ZSTR_VAL(key));
				RETURN_THROWS();
			}
		} ZEND_HASH_FOREACH_END();
	}

	if (!client_timeout_ok(timeout)) {
		zend_throw_exception(push_exception_ce, "push.client_timeout must be between 0 and 3600 seconds", 0);
		RETURN_THROWS();
	}
	if (client_setup(c, addr, addr_len, timeout, secret, secret_len, persistent) == FAILURE) {
		if (!EG(exception)) {
			zend_argument_value_error(2, "option \"secret\" must be valid UTF-8");
		}
		RETURN_THROWS();
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

ZEND_METHOD(Push_Client, send)
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
	if (!(c = client_this(execute_data))) {
		RETURN_THROWS();
	}
	if (c->redis) {
		zend_long reached;

		if (client_redis_payload(&line, "push", NULL, uid, 1, &msg, 2, NULL, 0, NULL) == FAILURE
				|| !client_redis_publish(c, &line, &reached)) {
			smart_str_free(&line);
			RETURN_THROWS();
		}
		smart_str_free(&line);
		RETURN_BOOL(reached > 0);
	}
	if (client_line(&line, NULL, uid, 1, &msg, 2) == FAILURE) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	if (!(answer = client_request(c, &line))) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	if (client_answer_is(answer, "ok", 2) || client_answer_is(answer, "queued", 6)) {
		RETVAL_TRUE;
	} else if (client_answer_is(answer, "fail", 4)) {
		RETVAL_FALSE;
	} else {
		client_throw_answer(c, answer);
	}
	zend_string_release(answer);
}

ZEND_METHOD(Push_Client, sendCount)
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
	if (client_line(&line, "send", uid, 1, &msg, 2) == FAILURE
			|| !(c = client_this(execute_data)) || !client_count_command(c, &line, &n)) {
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

	if (!(c = client_this(execute_data))) {
		RETURN_THROWS();
	}
	built = c->redis
		? client_redis_payload(&line, redis_type, group, NULL, 0, msg, msg_arg, exclude, msg_arg + 1, NULL)
		: client_line_ex(&line, cmd, group, NULL, 0, msg, msg_arg, exclude, msg_arg + 1);
	if (built == FAILURE
			|| !(c->redis ? client_redis_publish(c, &line, &n) : client_count_command(c, &line, &n))) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	RETURN_LONG(n);
}

ZEND_METHOD(Push_Client, broadcast)
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

	if (uid_str) {
		ZVAL_STR(&uid, uid_str);
	} else {
		ZVAL_LONG(&uid, uid_long);
	}
	ok = client_line(&line, cmd, &uid, 1, NULL, 0) == SUCCESS
		&& (c = client_this(execute_data)) && client_count_command(c, &line, n);
	smart_str_free(&line);
	return ok;
}

ZEND_METHOD(Push_Client, isUidOnline)
{
	zend_long n;

	if (!client_uid_command(INTERNAL_FUNCTION_PARAM_PASSTHRU, "count", &n)) {
		RETURN_THROWS();
	}
	RETURN_BOOL(n > 0);
}

ZEND_METHOD(Push_Client, getUidConnectionCount)
{
	zend_long n;

	if (!client_uid_command(INTERNAL_FUNCTION_PARAM_PASSTHRU, "count", &n)) {
		RETURN_THROWS();
	}
	RETURN_LONG(n);
}

ZEND_METHOD(Push_Client, kickUid)
{
	zend_string *uid_str;
	zend_long uid_long, n;
	zval uid;
	smart_str line = {0};
	push_client *c;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR_OR_LONG(uid_str, uid_long)
	ZEND_PARSE_PARAMETERS_END();

	if (uid_str) {
		ZVAL_STR(&uid, uid_str);
	} else {
		ZVAL_LONG(&uid, uid_long);
	}
	if (!(c = client_this(execute_data))) {
		RETURN_THROWS();
	}
	if (c->redis) {
		/* every push server closes the uid's connections; n is how many servers got it */
		if (client_redis_payload(&line, "kick", NULL, &uid, 1, NULL, 0, NULL, 0, "kicked") == FAILURE
				|| !client_redis_publish(c, &line, &n)) {
			smart_str_free(&line);
			RETURN_THROWS();
		}
		smart_str_free(&line);
		RETURN_LONG(n);
	}
	if (client_line(&line, "kick", &uid, 1, NULL, 0) == FAILURE || !client_count_command(c, &line, &n)) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	RETURN_LONG(n);
}

ZEND_METHOD(Push_Client, status)
{
	smart_str line = {0};
	push_client *c;
	zval answer;

	ZEND_PARSE_PARAMETERS_NONE();

	smart_str_appends(&line, "{\"cmd\":\"status\"}\n");
	if (!(c = client_this(execute_data)) || !client_command(c, &line, &answer)) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	zend_hash_str_del(Z_ARRVAL(answer), "ok", sizeof("ok") - 1);
	RETURN_COPY_VALUE(&answer);
}

ZEND_METHOD(Push_Client, sendToGroup)
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

	if (client_line_ex(&line, cmd, group, uid, 2, NULL, 0, NULL, 0) == FAILURE
			|| !(c = client_this(execute_data)) || !client_command(c, &line, &answer)) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	changed = zend_hash_str_find(Z_ARRVAL(answer), "changed", sizeof("changed") - 1);
	RETVAL_BOOL(changed && zval_get_long(changed) > 0);
	zval_ptr_dtor(&answer);
}

ZEND_METHOD(Push_Client, joinGroup)
{
	client_group_member(INTERNAL_FUNCTION_PARAM_PASSTHRU, "joinGroup");
}

ZEND_METHOD(Push_Client, leaveGroup)
{
	client_group_member(INTERNAL_FUNCTION_PARAM_PASSTHRU, "leaveGroup");
}

/* A command with an optional group or uid whose answer carries a list under key. */
static void client_list_command(INTERNAL_FUNCTION_PARAMETERS, smart_str *line, const char *key)
{
	push_client *c;
	zval answer, *list;

	if (!(c = client_this(execute_data)) || !client_command(c, line, &answer)) {
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

ZEND_METHOD(Push_Client, getGroupConnectionCount)
{
	zend_string *group;
	smart_str line = {0};
	push_client *c;
	zend_long n;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(group)
	ZEND_PARSE_PARAMETERS_END();
	if (client_line_ex(&line, "getGroupConnectionCount", group, NULL, 0, NULL, 0, NULL, 0) == FAILURE
			|| !(c = client_this(execute_data)) || !client_count_command(c, &line, &n)) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	RETURN_LONG(n);
}

ZEND_METHOD(Push_Client, getGroupUids)
{
	zend_string *group;
	smart_str line = {0};

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(group)
	ZEND_PARSE_PARAMETERS_END();
	if (client_line_ex(&line, "getGroupUids", group, NULL, 0, NULL, 0, NULL, 0) == FAILURE) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	client_list_command(INTERNAL_FUNCTION_PARAM_PASSTHRU, &line, "uids");
}

ZEND_METHOD(Push_Client, getUidGroups)
{
	zend_string *uid_str;
	zend_long uid_long;
	zval uid;
	smart_str line = {0};

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR_OR_LONG(uid_str, uid_long)
	ZEND_PARSE_PARAMETERS_END();
	if (uid_str) {
		ZVAL_STR(&uid, uid_str);
	} else {
		ZVAL_LONG(&uid, uid_long);
	}
	if (client_line_ex(&line, "getUidGroups", NULL, &uid, 1, NULL, 0, NULL, 0) == FAILURE) {
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
	if (!(c = client_this(execute_data)) || !client_count_command(c, &line, &n)) {
		smart_str_free(&line);
		RETURN_THROWS();
	}
	smart_str_free(&line);
	RETURN_LONG(n);
}

ZEND_METHOD(Push_Client, getAllConnectionCount)
{
	client_plain_count(INTERNAL_FUNCTION_PARAM_PASSTHRU, "getAllConnectionCount");
}

ZEND_METHOD(Push_Client, getAllUidCount)
{
	client_plain_count(INTERNAL_FUNCTION_PARAM_PASSTHRU, "getAllUidCount");
}

ZEND_METHOD(Push_Client, getUidList)
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
	if (!(c = client_this(execute_data)) || !client_command(c, &line, &answer)) {
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
				|| client_redis_payload(&payload, "push", NULL, uid, 1, msg, 1, NULL, 0, NULL) == FAILURE) {
			smart_str_free(&payload);
			smart_str_free(&cmds);
			efree(ends);
			RETURN_THROWS();
		}
		client_redis_publish_cmd(c, &cmds, ZSTR_VAL(payload.s), ZSTR_LEN(payload.s));
		smart_str_free(&payload);
		ends[count++] = ZSTR_LEN(cmds.s);
	} ZEND_HASH_FOREACH_END();

	reached = safe_emalloc(count, sizeof(zend_long), 0);
	if (!client_redis_run(c, ZSTR_VAL(cmds.s), ends, count, reached)) {
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

ZEND_METHOD(Push_Client, sendBatch)
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
	if (!(c = client_this(execute_data))) {
		RETURN_THROWS();
	}
	if (c->redis) {
		client_redis_batch(c, messages, return_value);
		return;
	}
	/* every line is built (and checked) before anything is sent */
	ZEND_HASH_FOREACH_VAL(messages, pair) {
		zval *uid, *msg;

		if (!client_batch_pair(pair, &uid, &msg) || client_line(&all, NULL, uid, 1, msg, 1) == FAILURE) {
			smart_str_free(&all);
			RETURN_THROWS();
		}
		count++;
	} ZEND_HASH_FOREACH_END();
	smart_str_0(&all);
	if (!(s = client_checkout(c, &fresh))) {
		smart_str_free(&all);
		RETURN_THROWS();
	}
	{
		const char *p = ZSTR_VAL(all.s), *end = p + ZSTR_LEN(all.s);

		for (i = 0; i < count; ) {
			/* a chunk of lines, then its answers: the server never waits on a full socket */
			const char *q = p;
			uint32_t n = 0, k;

			while (q < end && n < BATCH_CHUNK) {
				q = memchr(q, '\n', (size_t)(end - q)) + 1;
				n++;
			}
			if (php_stream_write(s, p, (size_t)(q - p)) != (ssize_t)(q - p)) {
				client_drop(c, s);
				smart_str_free(&all);
				zend_throw_exception_ex(push_connection_exception_ce, 0,
					"cannot write to the push server at %s", ZSTR_VAL(c->address));
				RETURN_THROWS();
			}
			client_spin(s, c->timeout);
			for (k = 0; k < n; k++) {
				size_t len;
				char *ans = php_stream_get_line(s, NULL, 0, &len);

				if (!ans) {
					client_drop(c, s);
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
					client_drop(c, s);
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

ZEND_METHOD(Push_Client, close)
{
	push_client *c;
	php_stream *s;

	ZEND_PARSE_PARAMETERS_NONE();

	if (Z_TYPE(EX(This)) == IS_OBJECT) {
		c = client_from_obj(Z_OBJ(EX(This)));
	} else if (!(c = client_default())) {
		/* settings no client can be made from: there is nothing to close */
		zend_clear_exception();
		return;
	}
	if (!c->address) {
		return;
	}
	s = c->pid ? client_persistent_stream(c) : c->stream;
	if (s) {
		client_drop(c, s);
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

/* ------------------------------------------ static and instance calls -- */

static int client_dual_index(zend_string *name)
{
	size_t i;

	for (i = 0; i < CLIENT_DUAL_COUNT; i++) {
		if (ZSTR_LEN(name) == client_dual_names[i].len
				&& zend_binary_strcasecmp(ZSTR_VAL(name), ZSTR_LEN(name), client_dual_names[i].lc,
					client_dual_names[i].len) == 0) {
			return (int)i;
		}
	}
	return -1;
}

/* Whether the class declares a method of this name; key is the lower-case name when known. */
static bool client_has_method(zend_class_entry *ce, zend_string *name, const zval *key)
{
	zend_string *lc;
	bool found;

	if (key) {
		return zend_hash_exists(&ce->function_table, Z_STR_P(key));
	}
	lc = zend_string_tolower(name);
	found = zend_hash_exists(&ce->function_table, lc);
	zend_string_release(lc);
	return found;
}

/* $client->send() and [$client, 'send']: the instance copy. */
static zend_function *client_get_method(zend_object **obj, zend_string *name, const zval *key)
{
	int i = client_dual_index(name);

	if (i >= 0) {
		return (zend_function *)&client_instance_fn[i];
	}
	if (!client_has_method((*obj)->ce, name, key)) {
		return NULL;    /* undefined; __call is only there for the dual methods */
	}
	return zend_std_get_method(obj, name, key);
}

/* Push\Client::send() and 'Push\Client::send': the static copy. */
static zend_function *client_get_static_method(zend_class_entry *ce, zend_string *name)
{
	int i = client_dual_index(name);

	if (i >= 0) {
		return (zend_function *)&client_static_fn[i];
	}
	if (!client_has_method(ce, name, NULL)) {
		return NULL;    /* undefined; __callStatic is only there for the dual methods */
	}
	return zend_std_get_static_method(ce, name, NULL);
}

/*
 * __call and __callStatic. The engine only reaches these for the dual methods through
 * callables like [$client, 'Push\Client::send']; they forward to the right copy.
 */
static ZEND_NAMED_FUNCTION(client_magic_call)
{
	zend_string *name;
	HashTable *args;
	zend_object *obj = Z_TYPE(EX(This)) == IS_OBJECT ? Z_OBJ(EX(This)) : NULL;
	int i;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_STR(name)
		Z_PARAM_ARRAY_HT(args)
	ZEND_PARSE_PARAMETERS_END();

	if ((i = client_dual_index(name)) < 0) {
		zend_throw_error(NULL, "Call to undefined method %s::%s()", ZSTR_VAL(push_client_ce->name), ZSTR_VAL(name));
		RETURN_THROWS();
	}
	zend_call_known_function(obj ? (zend_function *)&client_instance_fn[i] : (zend_function *)&client_static_fn[i],
		obj, obj ? obj->ce : push_client_ce, return_value, 0, NULL, args);
}

ZEND_BEGIN_ARG_INFO_EX(arginfo_client_magic_call, 0, 0, 2)
	ZEND_ARG_TYPE_INFO(0, name, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, arguments, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

/* A copy of fn with other flags; the copies live as long as the process. */
static void client_fn_copy(zend_internal_function *copy, const zend_internal_function *fn, uint32_t flags)
{
	memcpy(copy, fn, sizeof(*copy));
	copy->fn_flags = (fn->fn_flags & ~(ZEND_ACC_PPP_MASK | ZEND_ACC_STATIC)) | flags;
	if (!EG(active)) {
		/* its own slot, so observers see two functions */
		ZEND_MAP_PTR_NEW(copy->run_time_cache);
	}
}

static zend_function *client_magic_fn(zend_internal_function *fn, const zend_internal_function *model,
	zend_class_entry *ce, const char *name, uint32_t flags)
{
	client_fn_copy(fn, model, flags);
	fn->function_name = zend_string_init_interned(name, strlen(name), 1);
	fn->scope = ce;
	fn->prototype = NULL;
	fn->attributes = NULL;
	fn->num_args = 2;
	fn->required_num_args = 2;
	fn->arg_info = (zend_internal_arg_info *)arginfo_client_magic_call + 1;
	fn->fn_flags &= ~(ZEND_ACC_HAS_RETURN_TYPE | ZEND_ACC_VARIADIC | ZEND_ACC_DEPRECATED);
	fn->handler = client_magic_call;
	memset(fn->arg_flags, 0, sizeof(fn->arg_flags));
	return (zend_function *)fn;
}

/* ------------------------------------------------------- lifecycle -- */

static zend_object *client_create(zend_class_entry *ce)
{
	push_client *c = zend_object_alloc(sizeof(push_client), ce);

	zend_object_std_init(&c->std, ce);
	object_properties_init(&c->std, ce);
	c->std.handlers = &client_handlers;
	return &c->std;
}

static void client_free(zend_object *obj)
{
	/* a persistent connection is left in the persistent list for the next request */
	client_reset(client_from_obj(obj));
	zend_object_std_dtor(obj);
}

void php_push_client_minit(zend_class_entry *ce)
{
	zend_internal_function *model = NULL;
	size_t i;

	ce->create_object = client_create;
	memcpy(&client_handlers, &std_object_handlers, sizeof(client_handlers));
	client_handlers.offset = XtOffsetOf(push_client, std);
	client_handlers.free_obj = client_free;
	client_handlers.clone_obj = NULL;
	client_handlers.compare = zend_objects_not_comparable;
	client_handlers.get_method = client_get_method;

	for (i = 0; i < CLIENT_DUAL_COUNT; i++) {
		zend_internal_function *fn = zend_hash_str_find_ptr(&ce->function_table, client_dual_names[i].lc,
			client_dual_names[i].len);

		if (!fn || fn->type != ZEND_INTERNAL_FUNCTION) {
			zend_error_noreturn(E_CORE_ERROR, "Push\\Client has no method %s()", client_dual_names[i].lc);
		}
		client_fn_copy(&client_instance_fn[i], fn, ZEND_ACC_PUBLIC);
		client_fn_copy(&client_static_fn[i], fn, ZEND_ACC_PUBLIC | ZEND_ACC_STATIC);
		/* callables reach non-public methods of a class with __call/__callStatic through the handlers */
		fn->fn_flags = (fn->fn_flags & ~ZEND_ACC_PPP_MASK) | ZEND_ACC_PROTECTED;
		model = fn;
	}
	ce->get_static_method = client_get_static_method;
	ce->__call = client_magic_fn(&client_call_fn, model, ce, "__call", ZEND_ACC_PUBLIC);
	ce->__callstatic = client_magic_fn(&client_callstatic_fn, model, ce, "__callStatic",
		ZEND_ACC_PUBLIC | ZEND_ACC_STATIC);
}
