/*
 * client_address.c - Push\Client's settings: JSON helpers, the checks of a tcp://, unix://
 * or redis:// address, and what a client keeps of its settings (the auth line, the
 * persistent connection's id, the Redis transport, AUTH/SELECT and channel).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <strings.h>

#include "php.h"
#include "zend_exceptions.h"
#include "ext/json/php_json.h"
#include "ext/json/php_json_parser.h"

#include "php_push.h"
#include "client_address.h"
#include "ext/core/base/sha256.h"

#define PUSH_CLIENT_REDIS_PORT 6379
#define PUSH_CLIENT_REDIS_PREFIX "push:"   /* the push servers' default redis_prefix */

/* The parts of a redis:// address, pointing into it. */
typedef struct client_redis_url {
	const char *user, *pass, *host, *prefix;
	size_t user_len, pass_len, host_len, prefix_len;
	zend_long port;
	zend_long db;              /* -1: no SELECT */
} client_redis_url;

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
zend_result push_client_json_append_arg(smart_str *buf, zval *v, uint32_t arg)
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
bool push_client_json_decode(zend_string *s, zval *out)
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
zend_long push_client_digits(const char *p, const char *end)
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
		u->port = push_client_digits(colon + 1, q);
		if (u->port < 1 || u->port > 65535) {
			return "must have a Redis port between 1 and 65535";
		}
	}
	if (q < end && *q == '/') {
		const char *d = ++q;

		for (; q < end && *q != '?'; q++);
		if (q > d && (u->db = push_client_digits(d, q)) < 0) {
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
const char *push_client_check_address(const char *a, size_t len)
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

bool push_client_timeout_ok(double t)
{
	return zend_finite(t) && t > 0 && t <= PUSH_CLIENT_MAX_TIMEOUT;
}

void push_client_reset(push_client *c)
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
void push_client_resp_arg(smart_str *buf, const char *p, size_t len)
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
			push_client_resp_arg(&hello, u.user, u.user_len);
		}
		push_client_resp_arg(&hello, u.pass, u.pass_len);
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
		push_client_resp_arg(&hello, db, (size_t)n);
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
zend_result push_client_setup(push_client *c, const char *address, size_t address_len, double timeout,
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
	push_client_reset(c);
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
