/*
 * loop.c - the event loop, and the phases every scenario goes through: connect and bind the
 * clients, probe each uid once, wait for the server to go quiet, tear down.
 */
#include "loadgen.h"

struct state G;

void ep_set(int fd, uint64_t tag, uint32_t events, int op)
{
	struct epoll_event e = {.events = events, .data.u64 = tag};
	if (epoll_ctl(G.ep, op, fd, &e) < 0 && op != EPOLL_CTL_DEL)
		die("epoll_ctl: %s", strerror(errno));
}

/* ------------------------------------------------------------------------ */
/* event loop                                                               */
/* ------------------------------------------------------------------------ */

void poll_once(uint64_t timeout_ns)
{
	static struct epoll_event ev[1024];
	struct timespec ts = {(time_t)(timeout_ns / 1000000000ull), (long)(timeout_ns % 1000000000ull)};
	static const struct timespec zero = {0, 0};
	int n = epoll_pwait2(G.ep, ev, 1024, G.spin ? &zero : &ts, NULL);
	if (n < 0) {
		if (errno == EINTR)
			return;
		die("epoll_pwait2: %s", strerror(errno));
	}
	/* Text connections first: their answers refill the pipeline */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < n; i++) {
			uint64_t tag = ev[i].data.u64;
			int type = (int)(tag >> 32);
			uint32_t idx = (uint32_t)tag;
			if ((type == TAG_WS) != (pass == 1))
				continue;
			if (type == TAG_WS) {
				wsc *c = &G.ws[idx];
				if (c->fd >= 0)
					ws_event(c, ev[i].events);
			} else if (type == TAG_TEXT) {
				text_event(idx == 0 ? &G.main : &G.pushers[idx - 1], ev[i].events);
			} else if (type == TAG_API) {
				api_event(&PU.api[idx], ev[i].events);
			} else if (type == TAG_SIG) {
				struct signalfd_siginfo si;
				while (read(G.sigfd, &si, sizeof si) == (ssize_t)sizeof si)
					G.stop = 1;
			}
		}
	}
}

int past_deadline(void)
{
	return now_ns() >= G.deadline;
}

/* ------------------------------------------------------------------------ */
/* phases shared by the scenarios                                           */
/* ------------------------------------------------------------------------ */

int connect_all(void)
{
	G.ws = xcalloc((size_t)G.nws, sizeof *G.ws);
	for (int i = 0; i < G.nws; i++)
		G.ws[i].fd = -1;
	G.t_connect0 = 0;
	while (G.open + G.failed < G.nws && !past_deadline() && !G.stop) {
		start_connects();
		poll_once(10000000);
	}
	if (G.open + G.failed < G.nws) {
		say("connect phase did not finish: %d open, %d failed of %d", G.open, G.failed, G.nws);
		return -1;
	}
	return G.failed ? -1 : 0;
}

static void probe_refill(void)
{
	textc *t = &G.main;
	while (G.probe_next < G.nws && text_outstanding(t) < PROBE_WINDOW) {
		int i = G.probe_next++;
		if (G.probe_state[i] == 0 && G.ws[i].state == WS_OPEN) {
			G.probe_state[i] = 1;
			G.probe_sent++;
			text_queue_push(t, 'Q', (uint32_t)i, 0);
		}
	}
}

static int ensure_main_text(void)
{
	if (G.main.fd >= 0)
		return 0;
	int r = text_open(&G.main, 0);
	if (r < 0) {
		say("cannot connect to the Text port: %s", strerror(-r));
		return -1;
	}
	return 0;
}

/*
 * Push one probe per uid; uids answered "fail" (not bound yet) are retried.
 * Done when every client received its probe.
 */
int probe_all(void)
{
	if (ensure_main_text())
		return -1;
	G.probe_state = xcalloc((size_t)G.nws, 1);
	G.probe_cnt = xcalloc((size_t)G.nws, sizeof *G.probe_cnt);
	G.probe_next = 0;
	G.refill = probe_refill;
	uint64_t next_retry = now_ns() + 20000000;
	probe_refill();
	text_flush(&G.main);
	while (G.probes_bound < G.open && !past_deadline() && !G.stop && G.main.fd >= 0) {
		poll_once(5000000);
		uint64_t t = now_ns();
		if (t >= next_retry) {
			int any = 0;
			for (int i = 0; i < G.nws; i++)
				if (G.probe_state[i] == 3) {
					G.probe_state[i] = 0;
					any = 1;
				}
			if (any)
				G.probe_next = 0;
			next_retry = t + 20000000;
			probe_refill();
			text_flush(&G.main);
		}
	}
	G.refill = NULL;
	/* let the probe answers in flight arrive */
	uint64_t until = now_ns() + 1000000000ull;
	while (text_outstanding(&G.main) && now_ns() < until && G.main.fd >= 0)
		poll_once(5000000);
	if (G.probes_bound < G.open) {
		say("binding check: %d of %d clients received their probe", G.probes_bound, G.open);
		return -1;
	}
	return 0;
}

/* wait until the server stops using CPU (it has processed all input) */
void settle(void)
{
	if (opt.server_pid <= 0) {
		uint64_t until = now_ns() + 300000000ull;
		while (now_ns() < until)
			poll_once(10000000);
		return;
	}
	srv_sample a, b;
	srv_sample_take(&a, 0);
	uint64_t start = now_ns();
	int quiet = 0;
	while (now_ns() - start < 5000000000ull && !past_deadline()) {
		uint64_t until = now_ns() + 50000000ull;
		while (now_ns() < until)
			poll_once(10000000);
		srv_sample_take(&b, 0);
		/* under 2% of a core over 50 ms, twice in a row */
		quiet = b.cpu_ns - a.cpu_ns < 1000000ull ? quiet + 1 : 0;
		a = b;
		if (quiet >= 2)
			break;
	}
}

void teardown(void)
{
	G.teardown = 1;
	for (int i = 0; i < G.nws; i++)
		ws_close(&G.ws[i], 1);
	if (G.main.fd >= 0)
		close(G.main.fd);
	G.main.fd = -1;
}
