/*
 * The core as a library, without PHP: a server on a free port, a WebSocket
 * client in a child process speaking raw frames, and the public calls of
 * server.h in between.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "route.h"
#include "server.h"
#include "test.h"

/* What the test server did. */
typedef struct run_state {
	push_server *s;
	int kick_code;             /* code to kick with */
	int closed_code;           /* code on_close saw */
	size_t kicked;             /* what kick_uid returned */
} run_state;

static void on_connect(void *ud, push_conn *c)
{
	run_state *st = ud;

	(void)c;
	push_server_add_timer(st->s, 0.01, 0, NULL);
}

static void on_timer(void *ud, uint32_t id, void *timer_ud)
{
	run_state *st = ud;

	(void)id;
	(void)timer_ud;
	st->kicked = push_route_kick(st->s, "alice", 5, st->kick_code, "bye").count;
}

static void on_close(void *ud, push_conn *c, int code)
{
	run_state *st = ud;

	(void)c;
	st->closed_code = code;
	push_server_stop(st->s, 0);
}

static int read_full(int fd, unsigned char *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);

		if (r <= 0) {
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* The child: binds uid alice and reports the close code it is sent (0 if none). */
static int ws_client(int port)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
			"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
	unsigned char frame[5 + 6] = { 0x81, 0x80 | 5, 1, 2, 3, 4 };
	struct sockaddr_in a;
	char head[2048];
	size_t hl = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0), i;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || write(fd, req, sizeof(req) - 1) < 0) {
		return 0;
	}
	while (hl < sizeof(head) - 1 && (hl < 4 || memcmp(head + hl - 4, "\r\n\r\n", 4) != 0)) {
		if (read(fd, head + hl, 1) != 1) {
			return 0;
		}
		hl++;
	}
	for (i = 0; i < 5; i++) {
		frame[6 + i] = (unsigned char)("alice"[i] ^ frame[2 + i % 4]);
	}
	if (write(fd, frame, sizeof(frame)) != (ssize_t)sizeof(frame)) {
		return 0;
	}
	for (;;) {
		unsigned char h[2], body[125];
		size_t len;

		if (read_full(fd, h, 2) != 0 || (h[1] & 0x7f) > 125) {
			return 0;
		}
		len = h[1] & 0x7f;
		if (read_full(fd, body, len) != 0) {
			return 0;
		}
		if ((h[0] & 0x0f) == 8) {
			return len >= 2 ? body[0] << 8 | body[1] : 0;
		}
	}
}

/* kick_uid closes with the code it is given (server.h), not always 4009. */
static void test_kick_code(void)
{
	push_config cfg;
	push_hooks hooks;
	run_state st;
	char err[256];
	int fds[2], status = 0, seen = 0;
	pid_t pid;

	push_config_defaults(&cfg);
	cfg.ws_host = strdup("127.0.0.1");
	cfg.text_port = -1;
	cfg.plain_uid = 1;
	memset(&hooks, 0, sizeof(hooks));
	memset(&st, 0, sizeof(st));
	st.kick_code = 4321;
	hooks.ud = &st;
	hooks.on_connect = on_connect;
	hooks.on_timer = on_timer;
	hooks.on_close = on_close;
	st.s = push_server_new(&cfg, &hooks, err, sizeof(err));
	CHECK(st.s != NULL);
	if (!st.s || pipe(fds) != 0) {
		push_config_free(&cfg);
		return;
	}
	pid = fork();
	if (pid == 0) {
		int code;

		close(fds[0]);
		alarm(10);
		code = ws_client(push_server_ws_port(st.s));
		if (write(fds[1], &code, sizeof(code)) != sizeof(code)) {
			_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	alarm(20);
	push_server_run(st.s);
	alarm(0);
	if (read(fds[0], &seen, sizeof(seen)) != sizeof(seen)) {
		seen = -1;
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
	CHECK_EQ_INT(st.kicked, 1);
	CHECK_EQ_INT(st.closed_code, 4321);
	CHECK_EQ_INT(seen, 4321);
	push_server_free(st.s);
	push_config_free(&cfg);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	RUN(test_kick_code);
	return TEST_SUMMARY();
}
