/*
 * embed_threads.c - Push\Client under a thread-safe PHP, run the way FrankenPHP runs it:
 * one process, the embed SAPI, worker threads that each run PHP requests one after another.
 *
 *   embed_threads PHP_INI THREADS REQUESTS SENDS
 *
 * PHP_INI loads push and sets push.client_address (a running push server's Text port).
 * Thread t runs REQUESTS requests; each calls Push\Client::send("zt<t>", "<t>:<request>:<k>")
 * SENDS times (the default client, with its kept connection). Every thread then prints
 *   thread <t> sent <n> failed <f>
 * and once all are done the program prints "DONE sent <n> failed <f>" and waits for a line
 * on stdin before the threads end their PHP state (closing their kept connections), so that
 * whoever runs it can count the connections meanwhile. Exit status 0 when nothing failed.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sapi/embed/php_embed.h>
#include "zend_exceptions.h"

#ifndef ZTS
#error "needs a thread-safe PHP (--enable-zts --enable-embed)"
#endif

static int requests, sends;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int threads_done, release;
static long total_sent, total_failed;

typedef struct {
	int id;
	long sent, failed;
} worker;

/* One request: SENDS pushes; returns how many failed (-1 if the request itself failed). */
static long run_request(int id, int req)
{
	char code[1024];
	zval rv;
	long failed = -1;

	if (php_request_startup() == FAILURE) {
		return -1;
	}
	SG(headers_sent) = 1;
	SG(request_info).no_headers = 1;
	snprintf(code, sizeof(code),
		"(function () {"
		"  $f = 0;"
		"  for ($k = 0; $k < %d; $k++) {"
		"    try {"
		"      if (!Push\\Client::send('zt%d', '%d:%d:' . $k)) { $f++; echo \"not delivered %d:%d:$k\\n\"; }"
		"    } catch (Throwable $e) { $f++; echo get_class($e), ': ', $e->getMessage(), \"\\n\"; }"
		"  }"
		"  return $f;"
		"})()",
		sends, id, id, req, id, req);
	ZVAL_UNDEF(&rv);
	zend_try {
		if (zend_eval_stringl_ex(code, strlen(code), &rv, "embed_threads", 1) == SUCCESS && Z_TYPE(rv) == IS_LONG) {
			failed = Z_LVAL(rv);
		}
	} zend_end_try();
	zval_ptr_dtor(&rv);
	php_request_shutdown(NULL);
	return failed;
}

static void *work(void *arg)
{
	worker *w = arg;
	int r;

	(void)ts_resource(0);   /* this thread's PHP globals */
	for (r = 0; r < requests; r++) {
		long f = run_request(w->id, r);

		if (f < 0) {
			w->failed += sends;
		} else {
			w->failed += f;
			w->sent += sends - f;
		}
	}
	pthread_mutex_lock(&lock);
	printf("thread %d sent %ld failed %ld\n", w->id, w->sent, w->failed);
	fflush(stdout);
	total_sent += w->sent;
	total_failed += w->failed;
	threads_done++;
	pthread_cond_broadcast(&cond);
	while (!release) {
		pthread_cond_wait(&cond, &lock);
	}
	pthread_mutex_unlock(&lock);
	ts_free_thread();       /* closes this thread's kept connection */
	return NULL;
}

int main(int argc, char **argv)
{
	int n, i;
	pthread_t *tids;
	worker *ws;
	char line[16];

	if (argc != 5 || (n = atoi(argv[2])) < 1 || (requests = atoi(argv[3])) < 1 || (sends = atoi(argv[4])) < 1) {
		fprintf(stderr, "usage: %s PHP_INI THREADS REQUESTS SENDS\n", argv[0]);
		return 2;
	}
	php_embed_module.php_ini_path_override = argv[1];
	if (php_embed_init(0, NULL) == FAILURE) {
		fprintf(stderr, "php_embed_init failed\n");
		return 1;
	}
	if (!zend_hash_str_exists(&module_registry, "push", sizeof("push") - 1)) {
		fprintf(stderr, "push is not loaded (check %s)\n", argv[1]);
		php_embed_shutdown();
		return 1;
	}
	tids = calloc((size_t)n, sizeof(*tids));
	ws = calloc((size_t)n, sizeof(*ws));
	for (i = 0; i < n; i++) {
		ws[i].id = i;
		if (pthread_create(&tids[i], NULL, work, &ws[i]) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	}
	pthread_mutex_lock(&lock);
	while (threads_done < n) {
		pthread_cond_wait(&cond, &lock);
	}
	printf("DONE sent %ld failed %ld\n", total_sent, total_failed);
	fflush(stdout);
	pthread_mutex_unlock(&lock);

	/* the threads keep their PHP state (and connections) until told */
	if (!fgets(line, sizeof(line), stdin)) {
		line[0] = '\0';
	}
	pthread_mutex_lock(&lock);
	release = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (i = 0; i < n; i++) {
		pthread_join(tids[i], NULL);
	}
	php_embed_shutdown();
	free(tids);
	free(ws);
	return total_failed == 0 ? 0 : 1;
}
