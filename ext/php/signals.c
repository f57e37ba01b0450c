/*
 * signals.c - the process's signals for a running Push\Server: SIGTERM and SIGINT
 * stop it gracefully, SIGUSR1 reopens its log file; SIGPIPE is ignored. The
 * handler only calls push_server_notify() (async-signal-safe); the core's loop
 * then calls php_push_notify(), the binding's on_notify hook, which acts.
 * run.c installs and removes them around the loop; cli.c uses the log opener.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "php.h"

#include "php_push_server.h"
#include "signals.h"

/*
 * Signals are the process's: one server at a time receives them (the first
 * run() that asks), through push_server_notify(), which is safe in a handler.
 */
static php_push_server *signal_owner;
static volatile sig_atomic_t signal_last;     /* the last stop signal */
static struct sigaction old_term, old_int, old_usr1;

static void on_signal(int sig)
{
	php_push_server *s = __atomic_load_n(&signal_owner, __ATOMIC_ACQUIRE);
	int saved = errno;

	if (s && s->core) {
		if (sig == SIGUSR1) {
			push_server_notify(s->core, PHP_PUSH_NOTIFY_REOPEN);
		} else {
			signal_last = sig;
			push_server_notify(s->core, PHP_PUSH_NOTIFY_STOP);
		}
	}
	errno = saved;
}

bool php_push_signals_install(php_push_server *s)
{
	php_push_server *none = NULL;
	struct sigaction sa;

	if (!__atomic_compare_exchange_n(&signal_owner, &none, s, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		return false;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGUSR1, &sa, &old_usr1);
	return true;
}

void php_push_signals_remove(php_push_server *s)
{
	if (__atomic_load_n(&signal_owner, __ATOMIC_ACQUIRE) != s) {
		return;
	}
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGUSR1, &old_usr1, NULL);
	__atomic_store_n(&signal_owner, NULL, __ATOMIC_RELEASE);
}

void php_push_ignore_sigpipe(void)
{
	struct sigaction old;

	/* a peer gone while TLS writes to it must not kill the process; set once, never restored */
	if (sigaction(SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_DFL) {
		signal(SIGPIPE, SIG_IGN);
	}
}

/* Sends stdout and stderr to the log file (append). */
int php_push_log_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (fd < 0) {
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	return 0;
}

void php_push_notify(void *ud, unsigned what)
{
	php_push_server *s = ud;

	if (what & PHP_PUSH_NOTIFY_REOPEN) {
		if (s->log_redirected && s->log_file) {
			php_push_log_open(s->log_file);
		}
		push_log("reload: log file reopened; %llu connections, %llu uids",
				(unsigned long long)push_stats_get(s->core)->ws_conns,
				(unsigned long long)push_stats_get(s->core)->uids);
	}
	if (what & PHP_PUSH_NOTIFY_STOP) {
		push_log("signal %d: stopping gracefully", (int)signal_last);
		push_server_stop(s->core, 1);
	}
}
