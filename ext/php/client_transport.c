/*
 * client_transport.c - Push\Client's connections: connect, keep and check a connection,
 * one request line and its answer line, the errors of both, and pipelines of Redis
 * commands with their integer replies.
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
#include "ext/json/php_json.h"

#include "php_push.h"
#include "client_transport.h"
#include "client_address.h"
#include "client_lines.h"

#define PUSH_CLIENT_MAX_ANSWER (1024 * 1024) /* longest answer line read, in bytes */

/* What one request/answer round trip ended with. */
typedef enum {
	CLIENT_IO_OK = 0,
	CLIENT_IO_WRITE_FAILED,    /* the line could not be written */
	CLIENT_IO_EOF_EARLY,       /* closed before any byte of the answer */
	CLIENT_IO_CLOSED,          /* closed in the middle of the answer */
	CLIENT_IO_TIMEOUT,         /* no complete answer in time */
	CLIENT_IO_TOO_LONG         /* answer longer than PUSH_CLIENT_MAX_ANSWER */
} client_io;

/* ----------------------------------------------------- connection -- */

static long client_cpus;    /* online CPUs, read at startup (MINIT) */

void push_client_transport_minit(void)
{
	client_cpus = sysconf(_SC_NPROCESSORS_ONLN);
}

static void client_tv(double t, struct timeval *tv)
{
	tv->tv_sec = (time_t)t;
	tv->tv_usec = (suseconds_t)((t - (double)tv->tv_sec) * 1000000.0);
}

/* The persistent connection of this address and secret, if the process has one. */
php_stream *push_client_persistent_stream(push_client *c)
{
	zend_resource *le = zend_hash_find_ptr(&EG(persistent_list), c->pid);

	if (le && le->type == php_file_le_pstream()) {
		return (php_stream *)le->ptr;
	}
	return NULL;
}

/* Closes the connection; the next call makes a new one. */
void push_client_drop(push_client *c, php_stream *s)
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
void push_client_spin(php_stream *s, double timeout)
{
	zend_long spin_us = PUSH_G(client_spin);
	php_socket_t fd;
	uint64_t until;
	char b;

	/* with one CPU, the server cannot answer while this one spins */
	if (spin_us <= 0 || client_cpus == 1 || s->writepos > s->readpos
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
	push_client_spin(s, timeout);
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
	push_client_drop(c, s);
	if (bad) {
		client_redis_throw_reply(c, bad);
		zend_string_release(bad);
	} else {
		client_throw_io(c, rc);
	}
	return false;
}

/* "error: x" -> Push\ProtocolException("push server: x"), anything else -> unexpected answer. */
void push_client_throw_answer(push_client *c, zend_string *answer)
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
php_stream *push_client_checkout(push_client *c, bool *fresh)
{
	php_stream *s = c->pid ? push_client_persistent_stream(c) : c->stream;
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
		push_client_drop(c, s);
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
			push_client_drop(c, s);
			client_throw_io(c, rc);
			return NULL;
		}
		if (!client_answer_is(answer, "ok", 2)) {
			push_client_drop(c, s);
			push_client_throw_answer(c, answer);
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
zend_string *push_client_request(push_client *c, smart_str *line)
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
		php_stream *s = push_client_checkout(c, &fresh);
		client_io rc;

		if (!s) {
			return NULL;
		}
		rc = client_exchange(s, c->timeout, ZSTR_VAL(line->s), ZSTR_LEN(line->s), &answer);
		if (rc == CLIENT_IO_OK) {
			if (client_answer_is(answer, "error: unauthorized", sizeof("error: unauthorized") - 1)) {
				/* the server closes such a connection; a kept one may have missed its auth answer */
				push_client_drop(c, s);
				if (!fresh && c->auth_line) {
					zend_string_release(answer);
					continue;
				}
			} else if (client_answer_starts(answer, "error: line too long", sizeof("error: line too long") - 1)) {
				push_client_drop(c, s);
			}
			return answer;
		}
		push_client_drop(c, s);
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
bool push_client_command(push_client *c, smart_str *line, zval *out)
{
	zend_string *answer = push_client_request(c, line);
	zval *ok, *err, *cnt;

	if (!answer) {
		return false;
	}
	if (client_answer_starts(answer, "error: ", sizeof("error: ") - 1)) {
		push_client_throw_answer(c, answer);
		zend_string_release(answer);
		return false;
	}
	if (!push_client_json_decode(answer, out) || Z_TYPE_P(out) != IS_ARRAY
			|| !(ok = zend_hash_str_find(Z_ARRVAL_P(out), "ok", sizeof("ok") - 1))
			|| (Z_TYPE_P(ok) != IS_TRUE && Z_TYPE_P(ok) != IS_FALSE)) {
		client_throw_unexpected(c, answer);
		zval_ptr_dtor(out);
		zend_string_release(answer);
		return false;
	}
	if (Z_TYPE_P(ok) == IS_FALSE) {
		err = zend_hash_str_find(Z_ARRVAL_P(out), "error", sizeof("error") - 1);
		cnt = zend_hash_str_find(Z_ARRVAL_P(out), "count", sizeof("count") - 1);
		if (err && Z_TYPE_P(err) == IS_STRING && cnt && Z_TYPE_P(cnt) == IS_LONG) {
			/* a send other nodes missed: how many connections of that node got it, also as the code */
			zend_throw_exception_ex(push_protocol_exception_ce, Z_LVAL_P(cnt), "%s (" ZEND_LONG_FMT " connection%s of that node got it)",
					Z_STRVAL_P(err), Z_LVAL_P(cnt), Z_LVAL_P(cnt) == 1 ? "" : "s");
		} else if (err && Z_TYPE_P(err) == IS_STRING) {
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
bool push_client_count_command(push_client *c, smart_str *line, zend_long *count)
{
	zval answer, *n;

	if (!push_client_command(c, line, &answer)) {
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

/*
 * Sends count commands (command i ends at ends[i] in cmds) and reads their integer
 * replies into out, a chunk of commands, then its replies. A kept connection that turns
 * out dead before the first reply (the write fails, or it closes) is replaced once and
 * everything sent again. false with an exception.
 */
bool push_client_redis_run(push_client *c, const char *cmds, const size_t *ends, uint32_t count, zend_long *out)
{
	int attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		zend_string *reply = NULL, *refused = NULL;
		client_io rc = CLIENT_IO_OK;
		uint32_t done = 0, got = 0;
		size_t off = 0;
		bool fresh, unexpected = false;
		php_stream *s = push_client_checkout(c, &fresh);

		if (!s) {
			return false;
		}
		while (done < count && rc == CLIENT_IO_OK && !unexpected) {
			uint32_t n = MIN(count - done, PUSH_CLIENT_BATCH_CHUNK), k;
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
						&& (out[done + k] = push_client_digits(p + 1, p + ZSTR_LEN(reply))) >= 0) {
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
		push_client_drop(c, s);
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
bool push_client_redis_publish(push_client *c, smart_str *payload, zend_long *reached)
{
	smart_str cmd = {0};
	size_t end;
	bool ok;

	push_client_redis_publish_cmd(c, &cmd, ZSTR_VAL(payload->s), ZSTR_LEN(payload->s));
	end = ZSTR_LEN(cmd.s);
	ok = push_client_redis_run(c, ZSTR_VAL(cmd.s), &end, 1, reached);
	smart_str_free(&cmd);
	return ok;
}
