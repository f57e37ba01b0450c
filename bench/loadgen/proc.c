/*
 * proc.c - samples of the server under test (CPU and RSS of its process tree), of this process
 * and of the whole machine (every task's CPU time, busy and steal time), from /proc.
 */
#include "loadgen.h"

static int read_small(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return (int)n;
}

static int proc_ppid(int pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (read_small(path, buf, sizeof buf) < 0)
		return -1;
	char *rp = strrchr(buf, ')');
	if (!rp)
		return -1;
	int ppid = -1;
	char st;
	if (sscanf(rp + 1, " %c %d", &st, &ppid) != 2)
		return -1;
	return ppid;
}

/* pid plus all of its descendants */
static int proc_tree(int root, int *out, int max)
{
	int n = 0;
	out[n++] = root;
	DIR *d = opendir("/proc");
	if (!d)
		return n;
	int pids[4096], pp[4096], np = 0;
	struct dirent *e;
	while ((e = readdir(d)) && np < 4096) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		int pid = atoi(e->d_name);
		int ppid = proc_ppid(pid);
		if (ppid > 0)
			pids[np] = pid, pp[np++] = ppid;
	}
	closedir(d);
	for (int changed = 1; changed;) {
		changed = 0;
		for (int i = 0; i < np; i++) {
			int known = 0, parent = 0;
			for (int j = 0; j < n; j++) {
				if (out[j] == pids[i])
					known = 1;
				if (out[j] == pp[i])
					parent = 1;
			}
			if (!known && parent && n < max) {
				out[n++] = pids[i];
				changed = 1;
			}
		}
	}
	return n;
}

static uint64_t proc_cpu_ns(int pid)
{
	char path[320], buf[256];
	uint64_t sum = 0;
	int any = 0;
	snprintf(path, sizeof path, "/proc/%d/task", pid);
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!isdigit((unsigned char)e->d_name[0]))
				continue;
			snprintf(path, sizeof path, "/proc/%d/task/%s/schedstat", pid, e->d_name);
			if (read_small(path, buf, sizeof buf) > 0) {
				sum += strtoull(buf, NULL, 10);
				any = 1;
			}
		}
		closedir(d);
	}
	if (any)
		return sum;
	/* no schedstat: utime + stime, clock-tick resolution */
	char sbuf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (read_small(path, sbuf, sizeof sbuf) < 0)
		return 0;
	char *rp = strrchr(sbuf, ')');
	if (!rp)
		return 0;
	unsigned long long ut = 0, stt = 0;
	/* fields after comm: state(3) ... utime(14) stime(15) */
	char *p = rp + 2;
	for (int field = 3; field < 14 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p || sscanf(p, "%llu %llu", &ut, &stt) != 2)
		return 0;
	long hz = sysconf(_SC_CLK_TCK);
	return (ut + stt) * (1000000000ull / (uint64_t)(hz > 0 ? hz : 100));
}

static uint64_t proc_rss_kb(int pid)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	if (read_small(path, buf, sizeof buf) < 0)
		return 0;
	char *p = strstr(buf, "VmRSS:");
	return p ? strtoull(p + 6, NULL, 10) : 0;
}

/* on-CPU time of every thread of every process, sorted by thread id */
struct task_snap {
	size_t n, cap;
	struct task_ns {
		int tid;
		uint64_t ns;
	} *v;
};

static int cmp_tid(const void *a, const void *b)
{
	return ((const struct task_ns *)a)->tid - ((const struct task_ns *)b)->tid;
}

static struct task_snap *snap_tasks(void)
{
	struct task_snap *t = xcalloc(1, sizeof *t);
	DIR *d = opendir("/proc");
	if (!d)
		return t;
	struct dirent *e;
	char path[600], buf[256];
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof path, "/proc/%s/task", e->d_name);
		DIR *td = opendir(path);
		if (!td)
			continue;
		struct dirent *te;
		while ((te = readdir(td))) {
			if (!isdigit((unsigned char)te->d_name[0]))
				continue;
			snprintf(path, sizeof path, "/proc/%s/task/%s/schedstat", e->d_name, te->d_name);
			if (read_small(path, buf, sizeof buf) <= 0)
				continue;
			if (t->n == t->cap) {
				t->cap = t->cap ? t->cap * 2 : 256;
				t->v = xrealloc(t->v, t->cap * sizeof *t->v);
			}
			t->v[t->n].tid = atoi(te->d_name);
			t->v[t->n++].ns = strtoull(buf, NULL, 10);
		}
		closedir(td);
	}
	closedir(d);
	qsort(t->v, t->n, sizeof *t->v, cmp_tid);
	return t;
}

/* -v: the busiest tasks between two snapshots, to name what disturbed a run */
void snap_top(const struct task_snap *a, const struct task_snap *b)
{
	int top_tid[5] = {0};
	uint64_t top_ns[5] = {0};
	size_t i = 0;
	for (size_t j = 0; j < b->n; j++) {
		while (i < a->n && a->v[i].tid < b->v[j].tid)
			i++;
		uint64_t d = b->v[j].ns;
		if (i < a->n && a->v[i].tid == b->v[j].tid)
			d = d > a->v[i].ns ? d - a->v[i].ns : 0;
		for (int k = 0; k < 5; k++) {
			if (d > top_ns[k]) {
				memmove(top_ns + k + 1, top_ns + k, (size_t)(4 - k) * sizeof *top_ns);
				memmove(top_tid + k + 1, top_tid + k, (size_t)(4 - k) * sizeof *top_tid);
				top_ns[k] = d;
				top_tid[k] = b->v[j].tid;
				break;
			}
		}
	}
	for (int k = 0; k < 5 && top_ns[k]; k++) {
		char path[64], comm[64] = "?";
		snprintf(path, sizeof path, "/proc/%d/comm", top_tid[k]);
		if (read_small(path, comm, sizeof comm) > 0)
			comm[strcspn(comm, "\n")] = 0;
		say("  busy: tid %d (%s) %.1f ms", top_tid[k], comm, (double)top_ns[k] / 1e6);
	}
}

/* CPU time used between two snapshots by the tasks alive at the second */
uint64_t snap_delta(const struct task_snap *a, const struct task_snap *b)
{
	uint64_t sum = 0;
	size_t i = 0;
	for (size_t j = 0; j < b->n; j++) {
		while (i < a->n && a->v[i].tid < b->v[j].tid)
			i++;
		if (i < a->n && a->v[i].tid == b->v[j].tid)
			sum += b->v[j].ns > a->v[i].ns ? b->v[j].ns - a->v[i].ns : 0;
		else
			sum += b->v[j].ns; /* started meanwhile */
	}
	return sum;
}

/* busy time of all CPUs: user nice system idle iowait irq softirq steal */
static uint64_t sys_busy_ns(uint64_t *steal)
{
	char buf[512];
	unsigned long long v[8] = {0};
	if (read_small("/proc/stat", buf, sizeof buf) < 0 ||
	    sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &v[6], &v[7]) < 8)
		return 0;
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t tick = 1000000000ull / (uint64_t)(hz > 0 ? hz : 100);
	*steal = v[7] * tick;
	return (v[0] + v[1] + v[2] + v[5] + v[6]) * tick;
}

/* a measurement point: server, generator, machine */
int srv_take(srv_sample *s)
{
	return srv_sample_take(s, 1);
}

int srv_sample_take(srv_sample *s, int with_tasks)
{
	memset(s, 0, sizeof *s);
	s->t_ns = now_ns();
	s->sys_ns = sys_busy_ns(&s->steal_ns);
	if (with_tasks)
		s->tasks = snap_tasks(); /* kept: a handful per run */
	s->gen_ns = self_cpu_ns();
	if (opt.server_pid <= 0)
		return 0;
	int pids[256];
	int n = proc_tree(opt.server_pid, pids, 256);
	for (int i = 0; i < n; i++) {
		s->cpu_ns += proc_cpu_ns(pids[i]);
		s->rss_kb += proc_rss_kb(pids[i]);
	}
	s->nproc = n;
	/* alive: exists and is not a zombie */
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", opt.server_pid);
	if (read_small(path, buf, sizeof buf) < 0)
		return 0;
	char *rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' && rp[2] != 'Z' && rp[2] != 'X';
}

uint64_t self_cpu_ns(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
}
