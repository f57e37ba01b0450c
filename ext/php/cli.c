/*
 * cli.c - Push\Server::start(): Workerman-style command line (the pid file, the daemon,
 * its log file). Signals and the log reopen are signals.c's.
 *
 *   php push_server.php start        serve in the foreground
 *   php push_server.php start -d     serve as a daemon (pid file, log file)
 *   php push_server.php stop         graceful stop: queues drained, 1001 to browsers
 *   php push_server.php restart [-d] stop, then start
 *   php push_server.php reload       reopen the log file (after rotation)
 *   php push_server.php status       uptime, connections, uids, messages, memory
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "php.h"
#include "zend_exceptions.h"
#include "ext/json/php_json.h"
#include "ext/standard/php_string.h"
#include "zend_smart_str.h"

#include "../../php_push.h"
#include "php_push_server.h"
#include "cli.h"
#include "run.h"
#include "signals.h"

static void cli_exit(int status)
{
	EG(exit_status) = status;
	zend_throw_unwind_exit();
}

/* Default pid/log paths: beside nothing the user owns, named after the script. */
static void default_paths(php_push_server *s, const char *script)
{
	char real[MAXPATHLEN];
	const char *base;
	zend_ulong h;
	char buf[MAXPATHLEN];

	if (!VCWD_REALPATH(script, real)) {
		snprintf(real, sizeof(real), "%s", script);
	}
	base = strrchr(real, '/');
	base = base ? base + 1 : real;
	h = zend_hash_func(real, strlen(real)) & 0xffffff;
	if (!s->pid_file) {
		snprintf(buf, sizeof(buf), "/tmp/push-%s-%06lx.pid", base, (unsigned long)h);
		s->pid_file = estrdup(buf);
	}
	if (!s->log_file) {
		snprintf(buf, sizeof(buf), "/tmp/push-%s-%06lx.log", base, (unsigned long)h);
		s->log_file = estrdup(buf);
	}
}

static pid_t read_pid(const char *path)
{
	FILE *fp = fopen(path, "r");
	long pid = 0;

	if (!fp) {
		return 0;
	}
	if (fscanf(fp, "%ld", &pid) != 1) {
		pid = 0;
	}
	fclose(fp);
	return pid > 0 ? (pid_t)pid : 0;
}

static bool alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

/* The pid of a running server, 0 if none; a stale pid file is removed (and said). */
static pid_t running_pid(php_push_server *s, bool quiet)
{
	pid_t pid = read_pid(s->pid_file);

	if (!pid) {
		return 0;
	}
	if (alive(pid) && pid != getpid()) {
		return pid;
	}
	if (!quiet) {
		php_printf("removed stale pid file %s (pid %d is gone)\n", s->pid_file, (int)pid);
	}
	unlink(s->pid_file);
	return 0;
}

static int write_pid(php_push_server *s)
{
	char tmp[MAXPATHLEN];
	FILE *fp;

	snprintf(tmp, sizeof(tmp), "%s.%d", s->pid_file, (int)getpid());
	fp = fopen(tmp, "w");
	if (!fp) {
		return -1;
	}
	fprintf(fp, "%d\n", (int)getpid());
	fclose(fp);
	return rename(tmp, s->pid_file);
}

static void remove_pid(php_push_server *s)
{
	if (read_pid(s->pid_file) == getpid()) {
		unlink(s->pid_file);
	}
}

static void serve_foreground(php_push_server *s)
{
	if (write_pid(s) != 0) {
		php_printf("cannot write pid file %s: %s\n", s->pid_file, strerror(errno));
		cli_exit(1);
		return;
	}
	php_push_server_serve(s);
	remove_pid(s);
}

static void serve_daemon(php_push_server *s)
{
	int fds[2];
	pid_t pid;
	char line[600];
	ssize_t n, got = 0;

	if (pipe(fds) != 0) {
		php_printf("cannot start: pipe: %s\n", strerror(errno));
		cli_exit(1);
		return;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		php_printf("cannot start: fork: %s\n", strerror(errno));
		cli_exit(1);
		return;
	}
	if (pid > 0) {
		/* the parent waits for the daemon to say it listens */
		int status;

		close(fds[1]);
		while (got < (ssize_t)sizeof(line) - 1 && (n = read(fds[0], line + got, sizeof(line) - 1 - (size_t)got)) > 0) {
			got += n;
			if (memchr(line, '\n', (size_t)got)) {
				break;
			}
		}
		close(fds[0]);
		waitpid(pid, &status, 0);   /* the intermediate child exits at once */
		line[got > 0 ? got : 0] = '\0';
		if (strncmp(line, "OK ", 3) == 0) {
			int ws = 0, text = 0;

			sscanf(line + 3, "%d %d", &ws, &text);
			php_printf("push server started in daemon mode (pid %d)\n  WebSocket port %d, Text port %d\n"
					"  pid file %s\n  log file %s\n", (int)read_pid(s->pid_file), ws, text, s->pid_file, s->log_file);
			cli_exit(0);
		} else {
			char *nl = strchr(line, '\n');

			if (nl) {
				*nl = '\0';
			}
			php_printf("push server failed to start: %s\n", strncmp(line, "ERR ", 4) == 0 ? line + 4
					: "the daemon exited before it listened; see the log file");
			php_printf("  log file %s\n", s->log_file);
			cli_exit(1);
		}
		return;
	}
	/* intermediate child: new session, then the daemon itself */
	close(fds[0]);
	setsid();
	pid = fork();
	if (pid != 0) {
		_exit(pid < 0 ? 1 : 0);
	}
	umask(022);
	{
		int dn = open("/dev/null", O_RDWR);

		if (dn >= 0) {
			dup2(dn, STDIN_FILENO);
			close(dn);
		}
	}
	if (php_push_log_open(s->log_file) != 0) {
		dprintf(fds[1], "ERR cannot open log file %s: %s\n", s->log_file, strerror(errno));
		_exit(1);
	}
	if (write_pid(s) != 0) {
		dprintf(fds[1], "ERR cannot write pid file %s: %s\n", s->pid_file, strerror(errno));
		_exit(1);
	}
	s->log_redirected = true;
	s->ready_fd = fds[1];
	push_log("starting (pid %d)", (int)getpid());
	if (!php_push_server_serve(s)) {
		/* the error went to the parent through the pipe; keep it in the log too */
		push_log("failed to start");
	}
	push_log("stopped");
	remove_pid(s);
	if (s->ready_fd >= 0) {
		close(s->ready_fd);
		s->ready_fd = -1;
	}
}

static bool stop_running(php_push_server *s, pid_t pid)
{
	double limit = s->cfg.drain_timeout_ms / 1000.0 + 10.0, waited = 0;

	if (kill(pid, SIGTERM) != 0) {
		php_printf("cannot signal pid %d: %s\n", (int)pid, strerror(errno));
		return false;
	}
	while (alive(pid) && waited < limit) {
		usleep(50000);
		waited += 0.05;
	}
	if (alive(pid)) {
		php_printf("push server (pid %d) did not stop within %.0f s\n", (int)pid, limit);
		return false;
	}
	if (read_pid(s->pid_file) == pid) {
		unlink(s->pid_file);
	}
	return true;
}

static void print_status(php_push_server *s, pid_t pid)
{
	char addr[300];
	php_stream *st;
	struct timeval tv = { 3, 0 };
	zend_string *errstr = NULL;
	int err = 0;
	char *line;
	size_t len;
	zval v, *f;
	smart_str req = {0};

	if (s->cfg.text_port <= 0) {
		php_printf("push server is running (pid %d); status needs a fixed Text port\n", (int)pid);
		return;
	}
	snprintf(addr, sizeof(addr), "tcp://%s:%d", s->cfg.text_host ? s->cfg.text_host : "127.0.0.1", s->cfg.text_port);
	st = php_stream_xport_create(addr, strlen(addr), 0, STREAM_XPORT_CLIENT | STREAM_XPORT_CONNECT, NULL, &tv, NULL, &errstr, &err);
	if (!st) {
		php_printf("push server is running (pid %d) but its Text port %s does not answer: %s\n", (int)pid, addr,
				errstr ? ZSTR_VAL(errstr) : "connect failed");
		if (errstr) {
			zend_string_release(errstr);
		}
		return;
	}
	php_stream_set_option(st, PHP_STREAM_OPTION_READ_TIMEOUT, 0, &tv);
	if (s->cfg.text_secret) {
		zval sec;

		smart_str_appends(&req, "{\"auth\":");
		ZVAL_STRINGL(&sec, (char *)s->cfg.text_secret, s->cfg.text_secret_len);
		php_json_encode(&req, &sec, PHP_JSON_UNESCAPED_SLASHES);
		zval_ptr_dtor(&sec);
		smart_str_appends(&req, "}\n");
	}
	smart_str_appends(&req, "{\"cmd\":\"status\"}\n");
	smart_str_0(&req);
	php_stream_write(st, ZSTR_VAL(req.s), ZSTR_LEN(req.s));
	smart_str_free(&req);
	if (s->cfg.text_secret) {
		line = php_stream_get_line(st, NULL, 0, &len);
		if (line) {
			efree(line);
		}
	}
	line = php_stream_get_line(st, NULL, 0, &len);
	php_stream_close(st);
	if (!line) {
		php_printf("push server is running (pid %d) but gave no status\n", (int)pid);
		return;
	}
	php_json_decode_ex(&v, line, len, PHP_JSON_OBJECT_AS_ARRAY, 64);
	efree(line);
	if (Z_TYPE(v) != IS_ARRAY) {
		php_printf("push server is running (pid %d) but its status is unreadable\n", (int)pid);
		zval_ptr_dtor(&v);
		return;
	}
	php_printf("push server is running (pid %d)\n", (int)pid);
#define ROW(label, key) \
	if ((f = zend_hash_str_find(Z_ARRVAL(v), key, sizeof(key) - 1)) != NULL) { \
		zend_string *sv = zval_get_string(f); \
		php_printf("  %-22s %s\n", label, ZSTR_VAL(sv)); \
		zend_string_release(sv); \
	}
	ROW("uptime (s)", "uptime");
	ROW("connections", "connections");
	ROW("distinct uids", "uids");
	ROW("messages pushed", "delivered");
	ROW("push requests", "pushes");
	ROW("text connections", "text_connections");
	ROW("queued bytes", "queued_bytes");
	ROW("slow disconnects", "slow_disconnects");
	ROW("memory (bytes)", "memory_rss");
#undef ROW
	if ((f = zend_hash_str_find(Z_ARRVAL(v), "refused", sizeof("refused") - 1)) != NULL && Z_TYPE_P(f) == IS_ARRAY) {
		zend_string *k;
		zval *n;

		php_printf("  refused:");
		ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL_P(f), k, n) {
			php_printf(" %s=" ZEND_LONG_FMT, k ? ZSTR_VAL(k) : "?", zval_get_long(n));
		} ZEND_HASH_FOREACH_END();
		php_printf("\n");
	}
	zval_ptr_dtor(&v);
	/* from this script's options, as the server got the same: ids and keys, never secrets */
	if (s->cfg.pusher_napps) {
		size_t i;

		php_printf("  %-22s", "pusher apps");
		for (i = 0; i < s->cfg.pusher_napps; i++) {
			php_printf("%s %s (key %s)", i ? "," : "", s->cfg.pusher_apps[i].id, s->cfg.pusher_apps[i].key);
		}
		php_printf("\n");
	}
}

static void usage(const char *script)
{
	php_printf("usage: php %s {start|stop|restart|reload|status} [-d]\n"
			"  start      serve in the foreground (-d: as a daemon)\n"
			"  stop       stop gracefully (queues drained, browsers get 1001)\n"
			"  restart    stop, then start (-d: as a daemon)\n"
			"  reload     reopen the log file\n"
			"  status     uptime, connections, uids, messages, memory\n", script);
}

void php_push_cli(php_push_server *s, zval *argv)
{
	zval *args = argv, *a;
	const char *script = "push_server.php", *cmd = NULL;
	bool daemon = false;
	pid_t pid;
	uint32_t i = 0;

	if (!args) {
		args = zend_hash_str_find(&EG(symbol_table), "argv", sizeof("argv") - 1);
		if (args) {
			ZVAL_DEREF(args);
		}
	}
	if (args && Z_TYPE_P(args) == IS_ARRAY) {
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(args), a) {
			ZVAL_DEREF(a);
			if (Z_TYPE_P(a) != IS_STRING) {
				continue;
			}
			if (i++ == 0) {
				script = Z_STRVAL_P(a);
			} else if (strcmp(Z_STRVAL_P(a), "-d") == 0) {
				daemon = true;
			} else if (!cmd) {
				cmd = Z_STRVAL_P(a);
			}
		} ZEND_HASH_FOREACH_END();
	}
	default_paths(s, script);
	if (!cmd) {
		usage(script);
		cli_exit(64);
		return;
	}
	if (strcmp(cmd, "start") == 0) {
		if ((pid = running_pid(s, false)) != 0) {
			php_printf("push server is already running (pid %d); pid file %s\n", (int)pid, s->pid_file);
			cli_exit(1);
			return;
		}
		if (daemon) {
			serve_daemon(s);
		} else {
			serve_foreground(s);
		}
	} else if (strcmp(cmd, "stop") == 0) {
		if (!(pid = running_pid(s, false))) {
			php_printf("push server is not running (no live pid in %s)\n", s->pid_file);
			cli_exit(1);
			return;
		}
		php_printf("stopping push server (pid %d)...\n", (int)pid);
		if (!stop_running(s, pid)) {
			cli_exit(1);
			return;
		}
		php_printf("push server stopped\n");
	} else if (strcmp(cmd, "restart") == 0) {
		if ((pid = running_pid(s, false)) != 0) {
			php_printf("stopping push server (pid %d)...\n", (int)pid);
			if (!stop_running(s, pid)) {
				cli_exit(1);
				return;
			}
			php_printf("push server stopped\n");
		}
		if (daemon) {
			serve_daemon(s);
		} else {
			serve_foreground(s);
		}
	} else if (strcmp(cmd, "reload") == 0) {
		if (!(pid = running_pid(s, false))) {
			php_printf("push server is not running (no live pid in %s)\n", s->pid_file);
			cli_exit(1);
			return;
		}
		kill(pid, SIGUSR1);
		php_printf("push server (pid %d) reopens its log file\n", (int)pid);
	} else if (strcmp(cmd, "status") == 0) {
		if (!(pid = running_pid(s, false))) {
			php_printf("push server is not running (no live pid in %s)\n", s->pid_file);
			cli_exit(1);
			return;
		}
		print_status(s, pid);
	} else {
		php_printf("unknown command \"%s\"\n", cmd);
		usage(script);
		cli_exit(64);
	}
}
