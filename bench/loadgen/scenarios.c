/*
 * scenarios.c - conns, unicast, cpp (connect per push), paced and broadcast.
 */
#include "loadgen.h"

int run_conns(void)
{
	srv_sample s0, s1, s2;
	const char *err = NULL;
	if (opt.server_pid > 0)
		settle();
	srv_take(&s0);
	uint64_t g0 = self_cpu_ns();
	if (connect_all())
		err = "connect";
	double secs = G.t_last_open > G.t_connect0 ? (double)(G.t_last_open - G.t_connect0) / 1e9 : 0;
	uint64_t g1 = self_cpu_ns();
	settle();
	int alive = srv_take(&s1);
	if (!err && opt.probe && probe_all())
		err = "bind";
	srv_take(&s2);
	if (opt.expect > 0)
		alloc_seqs((uint64_t)opt.expect, 0);

	put("clients", "%d", G.nws);
	put("connected", "%d", G.open);
	put("bound", "%d", opt.probe ? G.probes_bound : -1);
	put("connect_s", "%.4f", secs);
	put("conn_rate", "%.0f", per(G.open, secs));
	put("gen_cpu_pct", "%.1f", secs > 0 ? 100.0 * (double)(g1 - g0) / 1e9 / secs : 0);
	put_others(&s0, &s1);
	if (opt.server_pid > 0) {
		put("rss_before_kb", "%" PRIu64, s0.rss_kb);
		put("rss_after_kb", "%" PRIu64, s1.rss_kb);
		put("rss_kb_per_conn", "%.3f", per((double)s1.rss_kb - (double)s0.rss_kb, G.open));
		put("rss_probed_kb_per_conn", "%.3f", per((double)s2.rss_kb - (double)s0.rss_kb, G.open));
		put("cpu_us_per_conn", "%.2f", per((double)(s1.cpu_ns - s0.cpu_ns) / 1e3, G.open));
		put("server_procs", "%d", s1.nproc);
		if (!alive && !err)
			err = "server-died";
	}
	put("probe_retries", "%" PRIu64, G.probe_fails);
	say("conns: %d clients, %.0f conns/s, server RSS %+.3f KB/conn, CPU %.2f us/conn", G.open,
	    per(G.open, secs), per((double)s1.rss_kb - (double)s0.rss_kb, G.open),
	    per((double)(s1.cpu_ns - s0.cpu_ns) / 1e3, G.open));

	if (opt.hold && !err) {
		printf("READY clients=%d\n", G.open);
		fflush(stdout);
		say("holding %d clients until SIGTERM", G.open);
		while (!G.stop && !past_deadline())
			poll_once(100000000);
		if (!G.stop)
			say("hold: timeout reached");
	}
	uint64_t lost = 0;
	if (opt.expect > 0) {
		for (uint64_t i = 0; i < G.nseq; i++)
			lost += G.seq_cnt[i] == 0;
		put("expected", "%ld", opt.expect);
		put("received", "%" PRIu64, G.delivered);
	}
	put_checks(lost);
	teardown();
	if (opt.server_pid > 0) {
		/* every client left: what the server kept (after its periodic heap trim) */
		srv_sample s3;
		settle();
		uint64_t until = now_ns() + 700000000ull;
		while (now_ns() < until)
			poll_once(10000000);
		srv_take(&s3);
		put("rss_left_kb", "%.0f", (double)s3.rss_kb - (double)s0.rss_kb);
		say("conns: after all %d clients left, server RSS %+.0f KB over its start", G.open,
		    (double)s3.rss_kb - (double)s0.rss_kb);
	}
	emit(err);
	return checks_fail;
}

static long uc_next;

static uint32_t pick_uid(uint64_t seq)
{
	if (opt.random_order)
		return (uint32_t)(rng_next() % (uint64_t)G.nws);
	return (uint32_t)(seq % (uint64_t)G.nws);
}

static void unicast_refill(void)
{
	textc *t = &G.main;
	while (uc_next < opt.pushes && text_outstanding(t) < (uint64_t)opt.window) {
		text_queue_push(t, 'P', pick_uid((uint64_t)uc_next), (uint64_t)uc_next);
		uc_next++;
	}
}

static uint64_t lost_count(void)
{
	uint64_t lost = 0;
	for (uint64_t i = 0; i < G.nseq; i++)
		lost += G.seq_cnt[i] == 0;
	return lost;
}

/* wait until every push is answered and every "ok" push arrived */
static void drain(long total)
{
	uint64_t quiet_until = 0;
	while (!past_deadline() && !G.stop && G.main.fd >= 0) {
		int answered = G.ans_ok + G.ans_fail + G.ans_bad >= (uint64_t)total;
		if (answered && G.delivered >= G.ans_ok)
			break;
		if (answered && !quiet_until)
			quiet_until = now_ns() + 2000000000ull;
		if (quiet_until && now_ns() > quiet_until)
			break;
		poll_once(2000000);
	}
}

int run_unicast(void)
{
	const char *err = setup();
	alloc_seqs((uint64_t)opt.pushes, 0);
	G.frames = 0;
	srv_sample s0, s1;
	double secs = 0;
	uint64_t g0 = 0, g1 = 0, t0 = 0;
	if (!err) {
		srv_take(&s0);
		g0 = self_cpu_ns();
		t0 = now_ns();
		G.spin = opt.spin;
		G.refill = unicast_refill;
		unicast_refill();
		text_flush(&G.main);
		drain(opt.pushes);
		G.spin = 0;
		G.refill = NULL;
		g1 = self_cpu_ns();
		if (!srv_take(&s1) && opt.server_pid > 0)
			err = "server-died";
		if (G.ans_ok + G.ans_fail + G.ans_bad < (uint64_t)opt.pushes && !err)
			err = G.main.fd < 0 ? "text-connection" : "timeout";
		uint64_t tend = G.t_last_frame > t0 ? G.t_last_frame : now_ns();
		secs = (double)(tend - t0) / 1e9;
	} else {
		memset(&s0, 0, sizeof s0);
		s1 = s0;
	}
	double ans_secs = G.t_last_answer > t0 && t0 ? (double)(G.t_last_answer - t0) / 1e9 : 0;
	put("clients", "%d", G.nws);
	put("pushes", "%ld", opt.pushes);
	put("window", "%d", opt.window);
	put("size", "%d", opt.size);
	put("delivered", "%" PRIu64, G.delivered);
	put("secs", "%.4f", secs);
	put("msgs_per_s", "%.0f", per((double)G.delivered, secs));
	put("answers_per_s", "%.0f", per((double)(G.ans_ok + G.ans_fail), ans_secs));
	put_cpu("cpu_us_per_msg", &s0, &s1, (double)G.delivered, secs, g1 - g0);
	say("unicast: %d clients, %" PRIu64 " delivered in %.3f s = %.0f msgs/s (server %.1f%% CPU, generator %.1f%%)",
	    G.nws, G.delivered, secs, per((double)G.delivered, secs),
	    per(100.0 * (double)(s1.cpu_ns - s0.cpu_ns) / 1e9, secs), per(100.0 * (double)(g1 - g0) / 1e9, secs));
	put_checks(err ? G.nseq - G.delivered : lost_count());
	teardown();
	emit(err);
	return checks_fail;
}

static double cpp_t_end;

void cpp_next(textc *t)
{
	long seq;
	if (t->retry) {
		seq = t->seq;
	} else {
		if (G.cpp_next >= opt.pushes || (double)now_ns() > cpp_t_end || G.stop || past_deadline())
			return;
		seq = G.cpp_next++;
	}
	t->seq = seq;
	t->retry = 0;
	t->head = t->tail = 0;
	t->out_len = t->out_off = 0;
	t->want_out = 0;
	t->connecting = 0;
	text_queue_push(t, 'P', pick_uid((uint64_t)seq), (uint64_t)seq);
	int r = text_open(t, 1);
	if (r < 0) {
		G.cpp_connect_err++;
		if (G.cpp_connect_err < 5)
			say("pusher connect: %s", strerror(-r));
		t->fd = -1;
		t->retry = 1;
		return;
	}
	if (!t->connecting)
		text_flush(t);
}

int run_cpp(void)
{
	const char *err = setup();
	alloc_seqs((uint64_t)opt.pushes, 0);
	srv_sample s0, s1;
	memset(&s0, 0, sizeof s0);
	s1 = s0;
	double secs = 0;
	uint64_t g0 = 0, g1 = 0;
	if (!err) {
		G.npushers = opt.pushers;
		G.pushers = xcalloc((size_t)opt.pushers, sizeof *G.pushers);
		for (int i = 0; i < opt.pushers; i++)
			text_init(&G.pushers[i], i + 1, 4);
		srv_take(&s0);
		g0 = self_cpu_ns();
		uint64_t t0 = now_ns();
		cpp_t_end = (double)t0 + opt.duration * 1e9;
		G.spin = opt.spin;
		for (int i = 0; i < opt.pushers; i++)
			cpp_next(&G.pushers[i]);
		for (;;) {
			int active = 0;
			for (int i = 0; i < opt.pushers; i++) {
				if (G.pushers[i].fd < 0 && !past_deadline() && !G.stop)
					cpp_next(&G.pushers[i]); /* after a connect error */
				if (G.pushers[i].fd >= 0 || G.pushers[i].retry)
					active++;
			}
			if (!active || past_deadline() || G.stop)
				break;
			if (G.cpp_connect_err > 1000) {
				err = "connect";
				break;
			}
			poll_once(1000000);
		}
		uint64_t t1 = now_ns();
		G.spin = 0;
		secs = (double)(t1 - t0) / 1e9;
		/* frames of the last pushes */
		uint64_t until = now_ns() + 2000000000ull;
		while (G.delivered < G.ans_ok && now_ns() < until)
			poll_once(2000000);
		g1 = self_cpu_ns();
		if (!srv_take(&s1) && opt.server_pid > 0)
			err = "server-died";
	}
	G.nseq = (uint64_t)G.cpp_next; /* pushes actually made (duration cap) */
	put("clients", "%d", G.nws);
	put("pushers", "%d", opt.pushers);
	put("pushes", "%ld", G.cpp_done);
	put("delivered", "%" PRIu64, G.delivered);
	put("secs", "%.4f", secs);
	put("pushes_per_s", "%.0f", per((double)G.cpp_done, secs));
	put_cpu("cpu_us_per_push", &s0, &s1, (double)G.cpp_done, secs, g1 - g0);
	put("connect_retries", "%" PRIu64, G.cpp_connect_err);
	say("cpp: %d pushers, %ld pushes in %.3f s = %.0f pushes/s, server %.2f us/push", opt.pushers, G.cpp_done,
	    secs, per((double)G.cpp_done, secs), per((double)(s1.cpu_ns - s0.cpu_ns) / 1e3, (double)G.cpp_done));
	if ((uint64_t)G.cpp_done != G.nseq && !err)
		err = "unanswered";
	put_checks(lost_count());
	teardown();
	emit(err);
	return checks_fail;
}

int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

uint64_t pct(const uint64_t *sorted, uint64_t n, double q)
{
	if (!n)
		return 0;
	uint64_t i = (uint64_t)(q * (double)(n - 1) + 0.5);
	return sorted[i < n ? i : n - 1];
}

int run_paced(void)
{
	const char *err = setup();
	uint64_t total = (uint64_t)(opt.rate * opt.duration + 0.5);
	alloc_seqs(total, 1);
	srv_sample s0, s1;
	memset(&s0, 0, sizeof s0);
	s1 = s0;
	double secs = 0;
	uint64_t g0 = 0, g1 = 0;
	uint64_t late_max = 0;
	if (!err) {
		textc *t = &G.main;
		srv_take(&s0);
		g0 = self_cpu_ns();
		uint64_t t0 = now_ns() + 1000000;
		double period = 1e9 / opt.rate;
		G.spin = opt.spin;
		uint64_t i = 0;
		while (i < total && !past_deadline() && !G.stop && t->fd >= 0) {
			uint64_t due = t0 + (uint64_t)((double)i * period);
			uint64_t now = now_ns();
			if (now >= due) {
				if (now - due > late_max)
					late_max = now - due;
				text_queue_push(t, 'P', pick_uid(i), i);
				G.send_ns[i] = now_ns();
				text_flush(t);
				i++;
				continue;
			}
			poll_once(due - now);
		}
		uint64_t t1 = now_ns();
		secs = (double)(t1 - t0) / 1e9;
		drain((long)i);
		G.spin = 0;
		g1 = self_cpu_ns();
		if (!srv_take(&s1) && opt.server_pid > 0)
			err = "server-died";
		if (i < total && !err)
			err = t->fd < 0 ? "text-connection" : "timeout";
	}
	qsort(G.lat_ns, G.nlat, sizeof *G.lat_ns, cmp_u64);
	uint64_t sum = 0;
	for (uint64_t i = 0; i < G.nlat; i++)
		sum += G.lat_ns[i];
	put("clients", "%d", G.nws);
	put("rate", "%.0f", opt.rate);
	put("duration", "%.1f", opt.duration);
	put("pushes", "%" PRIu64, total);
	put("delivered", "%" PRIu64, G.delivered);
	put("p50_us", "%.1f", (double)pct(G.lat_ns, G.nlat, 0.50) / 1e3);
	put("p90_us", "%.1f", (double)pct(G.lat_ns, G.nlat, 0.90) / 1e3);
	put("p99_us", "%.1f", (double)pct(G.lat_ns, G.nlat, 0.99) / 1e3);
	put("max_us", "%.1f", G.nlat ? (double)G.lat_ns[G.nlat - 1] / 1e3 : 0);
	put("mean_us", "%.1f", G.nlat ? (double)sum / (double)G.nlat / 1e3 : 0);
	put("send_late_max_us", "%.1f", (double)late_max / 1e3);
	put_cpu("cpu_us_per_msg", &s0, &s1, (double)G.delivered, secs, g1 - g0);
	say("paced: %.0f/s to %d clients for %.1f s: p50 %.0f us, p99 %.0f us, max %.0f us, server %.1f%% CPU",
	    opt.rate, G.nws, opt.duration, (double)pct(G.lat_ns, G.nlat, 0.5) / 1e3,
	    (double)pct(G.lat_ns, G.nlat, 0.99) / 1e3, G.nlat ? (double)G.lat_ns[G.nlat - 1] / 1e3 : 0,
	    per(100.0 * (double)(s1.cpu_ns - s0.cpu_ns) / 1e9, secs));
	put_checks(lost_count());
	teardown();
	emit(err);
	return checks_fail;
}

int run_broadcast(void)
{
	const char *err = setup();
	G.nbc = opt.bcasts;
	G.bc_cnt = xcalloc((size_t)G.nws * (size_t)G.nbc, 1);
	G.bc_got = xcalloc((size_t)G.nbc, sizeof *G.bc_got);
	G.bc_sent_ns = xcalloc((size_t)G.nbc, sizeof *G.bc_sent_ns);
	G.bc_last_ns = xcalloc((size_t)G.nbc, sizeof *G.bc_last_ns);
	G.bc_answer_count = xcalloc((size_t)G.nbc, sizeof *G.bc_answer_count);
	G.bc_done = xcalloc((size_t)G.nbc, 1);
	for (int k = 0; k < G.nbc; k++)
		G.bc_answer_count[k] = -2; /* no answer */
	srv_sample s0, s1;
	memset(&s0, 0, sizeof s0);
	s1 = s0;
	double secs = 0;
	uint64_t g0 = 0, g1 = 0, t0 = 0;
	uint64_t *fan = xcalloc((size_t)G.nbc, sizeof *fan);
	int nfan = 0, timeouts = 0;
	if (!err) {
		textc *t = &G.main;
		srv_take(&s0);
		g0 = self_cpu_ns();
		t0 = now_ns();
		G.spin = opt.spin;
		int sent = 0, done = 0;
		while (done < G.nbc && !past_deadline() && !G.stop && t->fd >= 0) {
			while (sent < G.nbc && sent - done < opt.bcast_window) {
				text_queue_bcast(t, sent);
				G.bc_sent_ns[sent] = now_ns();
				text_flush(t);
				sent++;
			}
			poll_once(2000000);
			uint64_t now = now_ns();
			for (int k = 0; k < sent; k++) {
				if (G.bc_done[k])
					continue;
				int complete = G.bc_got[k] >= (uint32_t)G.open && G.bc_answer_count[k] != -2;
				if (complete || now - G.bc_sent_ns[k] > 10000000000ull) {
					G.bc_done[k] = 1;
					done++;
					if (complete)
						fan[nfan++] = G.bc_last_ns[k] - G.bc_sent_ns[k];
					else
						timeouts++;
				}
			}
		}
		G.spin = 0;
		g1 = self_cpu_ns();
		if (!srv_take(&s1) && opt.server_pid > 0)
			err = "server-died";
		if (done < G.nbc && !err)
			err = "timeout";
		uint64_t tend = G.t_last_frame > t0 ? G.t_last_frame : now_ns();
		secs = (double)(tend - t0) / 1e9;
	}
	uint64_t lost = 0;
	int64_t count_min = -1;
	for (int k = 0; k < G.nbc; k++) {
		lost += (uint64_t)G.open - G.bc_got[k];
		if (count_min < 0 || G.bc_answer_count[k] < count_min)
			count_min = G.bc_answer_count[k];
	}
	qsort(fan, (size_t)nfan, sizeof *fan, cmp_u64);
	put("clients", "%d", G.nws);
	put("broadcasts", "%d", G.nbc);
	put("window", "%d", opt.bcast_window);
	put("deliveries", "%" PRIu64, G.bc_delivered);
	put("secs", "%.4f", secs);
	put("deliveries_per_s", "%.0f", per((double)G.bc_delivered, secs));
	put("fanout_p50_ms", "%.3f", (double)pct(fan, (uint64_t)nfan, 0.5) / 1e6);
	put("fanout_max_ms", "%.3f", nfan ? (double)fan[nfan - 1] / 1e6 : 0);
	put("answer_count_min", "%" PRId64, count_min);
	put_cpu("cpu_us_per_delivery", &s0, &s1, (double)G.bc_delivered, secs, g1 - g0);
	say("broadcast: %d x %d clients, %.0f deliveries/s, fan-out p50 %.2f ms", G.nbc, G.nws,
	    per((double)G.bc_delivered, secs), (double)pct(fan, (uint64_t)nfan, 0.5) / 1e6);
	if (count_min >= 0 && count_min != G.open) {
		say("broadcast: server reported count %" PRId64 ", %d clients are bound", count_min, G.open);
		if (!err)
			err = "count";
	}
	if (timeouts && !err)
		err = "timeout";
	put_checks(lost);
	free(fan);
	teardown();
	emit(err);
	return checks_fail;
}
