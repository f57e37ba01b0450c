/*
 * report.c - the RESULT line (key=value pairs), the delivery checks that decide PASS or FAIL,
 * and the per-run setup of the counters the checks read.
 */
#include "loadgen.h"

static char result[8192];
static size_t result_len;

void put(const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	result_len += (size_t)snprintf(result + result_len, sizeof result - result_len, " %s=", key);
	if (result_len < sizeof result)
		result_len += (size_t)vsnprintf(result + result_len, sizeof result - result_len, fmt, ap);
	va_end(ap);
	if (result_len > sizeof result)
		result_len = sizeof result;
}

int checks_fail;

/*
 * CPU used by anything but the server and this generator while measuring,
 * in % of one core. Other processes on the machine skew every number.
 */
void put_others(const srv_sample *a, const srv_sample *b)
{
	if (!a->t_ns || b->t_ns <= a->t_ns)
		return;
	double wall = (double)(b->t_ns - a->t_ns);
	double ours = (double)(b->cpu_ns - a->cpu_ns) + (double)(b->gen_ns - a->gen_ns);
	/* precise for live tasks; the tick count also sees processes that exited meanwhile */
	double by_tasks = a->tasks && b->tasks ? (double)snap_delta(a->tasks, b->tasks) - ours : 0;
	double by_ticks = (double)(b->sys_ns - a->sys_ns) - ours;
	double others = by_tasks;
	if (wall >= 2e9 && by_ticks > others) /* ticks are too coarse for short windows */
		others = by_ticks;
	double steal = (double)(b->steal_ns - a->steal_ns);
	if (others < 0)
		others = 0;
	put("others_pct", "%.1f", 100.0 * others / wall);
	put("steal_pct", "%.1f", 100.0 * steal / wall);
	if (100.0 * others / wall > 10) {
		say("warning: other processes used %.0f%% of a core during the measurement", 100.0 * others / wall);
		if (verbose && a->tasks && b->tasks)
			snap_top(a->tasks, b->tasks);
	}
	if (100.0 * steal / wall > 10)
		say("warning: the hypervisor took %.0f%% of a core (steal) during the measurement", 100.0 * steal / wall);
}

/*
 * The CPU of a measured window of secs: the server's per unit (key, unless NULL, when the server
 * is sampled) and in % of a core, this generator's (gen_ns), and other processes'.
 */
void put_cpu(const char *key, const srv_sample *s0, const srv_sample *s1, double units, double secs, uint64_t gen_ns)
{
	if (opt.server_pid > 0) {
		if (key)
			put(key, "%.3f", per((double)(s1->cpu_ns - s0->cpu_ns) / 1e3, units));
		put("srv_cpu_pct", "%.1f", per(100.0 * (double)(s1->cpu_ns - s0->cpu_ns) / 1e9, secs));
	}
	put("gen_cpu_pct", "%.1f", per(100.0 * (double)gen_ns / 1e9, secs));
	put_others(s0, s1);
}

void put_checks(uint64_t lost)
{
	uint64_t errors = (uint64_t)G.connect_err + (uint64_t)G.handshake_err + (uint64_t)G.proto_err +
			  (uint64_t)G.unexpected_close + (uint64_t)G.text_err + G.ans_bad + G.unknown_seq +
			  G.corrupt + G.pusher_err;
	put("lost", "%" PRIu64, lost);
	put("dup", "%" PRIu64, G.dup);
	put("misroute", "%" PRIu64, G.misroute);
	put("fail_answers", "%" PRIu64, G.ans_fail);
	put("errors", "%" PRIu64, errors);
	if (lost || G.dup || G.misroute || G.ans_fail || errors)
		checks_fail = 1;
	if (errors)
		say("errors: connect %d, handshake %d, protocol %d, unexpected close %d, text %d, bad answers %" PRIu64
		    ", unknown seq %" PRIu64 ", corrupt %" PRIu64 ", pusher errors %" PRIu64,
		    G.connect_err, G.handshake_err, G.proto_err, G.unexpected_close, G.text_err, G.ans_bad,
		    G.unknown_seq, G.corrupt, G.pusher_err);
	say("verify: lost %" PRIu64 ", duplicated %" PRIu64 ", misrouted %" PRIu64 ", fail answers %" PRIu64, lost,
	    G.dup, G.misroute, G.ans_fail);
}

void emit(const char *err)
{
	if (err) {
		put("error", "%s", err);
		checks_fail = 1;
	}
	put("status", "%s", checks_fail ? "FAIL" : "PASS");
	printf("RESULT scenario=%s%s%s%s\n", opt.scenario, opt.label ? " label=" : "", opt.label ? opt.label : "",
	       result);
	fflush(stdout);
	say("%s", checks_fail ? "FAIL" : "PASS");
}

double per(double a, double b)
{
	return b > 0 ? a / b : 0;
}

void alloc_seqs(uint64_t n, int with_latency)
{
	G.nseq = n;
	G.seq_cnt = xcalloc(n, 1);
	G.seq_ans = xcalloc(n, 1);
	if (with_latency) {
		G.send_ns = xcalloc(n, sizeof *G.send_ns);
		G.lat_ns = xcalloc(n, sizeof *G.lat_ns);
	}
}

/* connect, bind (probe) and put the common setup keys */
const char *setup(void)
{
	if (connect_all())
		return "connect";
	say("%d clients connected in %.3f s", G.open, (double)(G.t_last_open - G.t_connect0) / 1e9);
	if (probe_all())
		return "bind";
	return NULL;
}
