/*
 * text.c - the Text connections of the backend: JSON lines written, their ok/fail (or JSON)
 * answers read back in order and matched to the line each answers.
 */
#include "loadgen.h"

void text_init(textc *t, int id, size_t fifo_cap)
{
	memset(t, 0, sizeof *t);
	t->fd = -1;
	t->id = id;
	size_t cap = 64;
	while (cap < fifo_cap)
		cap <<= 1;
	t->fifo = xcalloc(cap, sizeof *t->fifo);
	t->fifo_mask = cap - 1;
	t->in = xrealloc(NULL, TEXT_IN_CAP);
}

uint64_t text_outstanding(const textc *t)
{
	return t->tail - t->head;
}

static void text_update_events(textc *t)
{
	int want = t->connecting || t->out_len > t->out_off;
	if (want != t->want_out) {
		t->want_out = (uint8_t)want;
		ep_set(t->fd, tag_of(TAG_TEXT, (uint32_t)t->id), EPOLLIN | (want ? EPOLLOUT : 0), EPOLL_CTL_MOD);
	}
}

static void text_error(textc *t, const char *what, int err)
{
	G.text_err++;
	if (G.text_err < 5)
		say("text connection %d: %s%s%s", t->id, what, err ? ": " : "", err ? strerror(err) : "");
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

void text_flush(textc *t)
{
	if (t->fd < 0 || t->connecting)
		return;
	while (t->out_off < t->out_len) {
		ssize_t w = send(t->fd, t->out + t->out_off, t->out_len - t->out_off, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			text_error(t, "send", errno);
			return;
		}
		t->out_off += (size_t)w;
	}
	if (t->out_off == t->out_len)
		t->out_off = t->out_len = 0;
	text_update_events(t);
}

static void text_reserve(textc *t, size_t n)
{
	if (t->out_off && t->out_off == t->out_len)
		t->out_off = t->out_len = 0;
	if (t->out_len + n > t->out_cap) {
		if (t->out_off) {
			memmove(t->out, t->out + t->out_off, t->out_len - t->out_off);
			t->out_len -= t->out_off;
			t->out_off = 0;
		}
		if (t->out_len + n > t->out_cap) {
			t->out_cap = (t->out_len + n) * 2 + 4096;
			t->out = xrealloc(t->out, t->out_cap);
		}
	}
}

static void text_push_tag(textc *t, uint64_t tag)
{
	if (text_outstanding(t) > t->fifo_mask)
		die("internal: answer queue overflow");
	t->fifo[t->tail++ & t->fifo_mask] = tag;
}

/* {"uid":"u<idx>","msg":"<payload>","percent":"<payload>"} */
void text_queue_push(textc *t, char kind, uint32_t uid, uint64_t seq)
{
	static char *pl;
	if (!pl)
		pl = xrealloc(NULL, (size_t)opt.size + 64);
	make_payload(pl, kind, uid, seq);
	size_t need = 2 * (size_t)opt.size + 64;
	text_reserve(t, need);
	int n = snprintf(t->out + t->out_len, need, "{\"uid\":\"u%" PRIu32 "\",\"msg\":\"%s\",\"percent\":\"%s\"}\n",
			 uid, pl, pl);
	t->out_len += (size_t)n;
	text_push_tag(t, (uint64_t)(kind == 'P' ? LINE_PUSH : LINE_PROBE) << 56 | (kind == 'P' ? seq : uid));
}

void text_queue_bcast(textc *t, int k)
{
	char *pl = xrealloc(NULL, (size_t)opt.size + 64);
	make_payload(pl, 'B', 0, (uint64_t)k);
	size_t need = (size_t)opt.size + 64;
	text_reserve(t, need);
	int n = snprintf(t->out + t->out_len, need, "{\"cmd\":\"broadcast\",\"msg\":\"%s\"}\n", pl);
	t->out_len += (size_t)n;
	free(pl);
	text_push_tag(t, (uint64_t)LINE_BCAST << 56 | (uint64_t)k);
}

int text_open(textc *t, int nonblocking_connect)
{
	t->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd < 0)
		return -errno;
	int one = 1;
	static uint64_t nth;
	setsockopt(t->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	bind_source(t->fd, nth++);
	if (connect(t->fd, (struct sockaddr *)&opt.text, sizeof opt.text) < 0) {
		int e = errno;
		if (e != EINPROGRESS) {
			close(t->fd);
			t->fd = -1;
			return -e;
		}
		t->connecting = 1;
	}
	t->in_len = 0;
	t->want_out = t->connecting;
	ep_set(t->fd, tag_of(TAG_TEXT, (uint32_t)t->id), EPOLLIN | (t->connecting ? EPOLLOUT : 0), EPOLL_CTL_ADD);
	if (!nonblocking_connect && t->connecting) {
		/* wait for the connect here; it is local */
		struct pollfd pfd = {.fd = t->fd, .events = POLLOUT};
		int err = ETIMEDOUT;
		if (poll(&pfd, 1, 5000) > 0)
			err = socket_error(t->fd);
		if (err) {
			close(t->fd);
			t->fd = -1;
			return -err;
		}
		t->connecting = 0;
		text_update_events(t);
	}
	return 0;
}

/*
 * Look up a top-level member of a flat JSON object answer. Returns 't' or 'f'
 * for true/false, '0' for a number (stored in *num), 0 if absent or other.
 */
int json_member(const char *s, size_t n, const char *name, long long *num)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i + nl + 2 <= n; i++) {
		if (s[i] != '"' || memcmp(s + i + 1, name, nl) || s[i + 1 + nl] != '"')
			continue;
		size_t j = i + nl + 2;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j >= n || s[j] != ':')
			continue;
		j++;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j + 4 <= n && !memcmp(s + j, "true", 4))
			return 't';
		if (j + 5 <= n && !memcmp(s + j, "false", 5))
			return 'f';
		if (j < n && (s[j] == '-' || (s[j] >= '0' && s[j] <= '9'))) {
			*num = strtoll(s + j, NULL, 10);
			return '0';
		}
		return 0;
	}
	return 0;
}

static void on_answer(textc *t, uint64_t tag, const char *line, size_t n)
{
	int kind = (int)(tag >> 56);
	uint64_t v = tag & ((1ull << 56) - 1);
	int ok = n == 2 && !memcmp(line, "ok", 2);
	int fail = n == 4 && !memcmp(line, "fail", 4);
	G.ans_lines++;
	G.t_last_answer = now_ns();
	(void)t;
	if (kind == LINE_PROBE) {
		if (ok) {
			G.probe_state[v] = 2;
		} else {
			G.probe_state[v] = 3;
			G.probe_fails++;
			if (!fail)
				G.ans_bad++;
		}
		return;
	}
	if (kind == LINE_PUSH) {
		if (ok)
			G.ans_ok++;
		else if (fail)
			G.ans_fail++;
		else
			G.ans_bad++;
		if (v < G.nseq && G.seq_ans)
			G.seq_ans[v] = ok ? 1 : 2;
		return;
	}
	if (kind == LINE_BCAST) {
		long long count = -1;
		int good = json_member(line, n, "ok", &count) == 't';
		if (json_member(line, n, "count", &count) != '0')
			count = -1;
		if (good)
			G.ans_ok++;
		else
			G.ans_bad++;
		if (v < (uint64_t)G.nbc)
			G.bc_answer_count[v] = count;
		if (!good && G.ans_bad < 5)
			say("broadcast answer: %.*s", (int)n, line);
		return;
	}
	G.ans_bad++;
	if (G.ans_bad < 5)
		say("answer without a request: %.*s", (int)n, line);
}

static void text_readable(textc *t)
{
	for (;;) {
		if (t->in_len == TEXT_IN_CAP) {
			text_error(t, "answer line too long", 0);
			return;
		}
		ssize_t r = recv(t->fd, t->in + t->in_len, TEXT_IN_CAP - t->in_len, 0);
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			text_error(t, "recv", errno);
			return;
		}
		if (r == 0) {
			if (text_outstanding(t))
				text_error(t, "server closed the Text connection with answers pending", 0);
			else if (t->id == 0 && !G.teardown)
				text_error(t, "server closed the Text connection", 0);
			else {
				close(t->fd);
				t->fd = -1;
			}
			break;
		}
		size_t len = t->in_len + (size_t)r, off = 0;
		char *nl;
		while ((nl = memchr(t->in + off, '\n', len - off))) {
			size_t ln = (size_t)(nl - (t->in + off));
			if (ln && t->in[off + ln - 1] == '\r')
				ln--;
			if (t->head == t->tail) {
				G.ans_bad++;
				if (G.ans_bad < 5)
					say("unexpected answer: %.*s", (int)ln, t->in + off);
			} else {
				uint64_t tag = t->fifo[t->head++ & t->fifo_mask];
				on_answer(t, tag, t->in + off, ln);
			}
			off = (size_t)(nl - t->in) + 1;
		}
		memmove(t->in, t->in + off, len - off);
		t->in_len = len - off;
		if ((size_t)r < TEXT_IN_CAP / 2)
			break;
	}
	if (t->id > 0 && t->fd >= 0 && t->head == t->tail && t->in_len == 0) {
		/* connect-per-push: answer read, close and start the next push */
		close(t->fd);
		t->fd = -1;
		G.cpp_done++;
		cpp_next(t);
		return;
	}
	if (t->id == 0 && G.refill)
		G.refill();
	text_flush(t);
}

void text_event(textc *t, uint32_t ev)
{
	if (t->fd < 0)
		return;
	if (t->connecting) {
		int err = socket_error(t->fd);
		if (err) {
			if (t->id > 0) {
				/* connect-per-push: count, back off to the next loop pass */
				G.cpp_connect_err++;
				if (G.cpp_connect_err < 5)
					say("pusher connect: %s", strerror(err));
				close(t->fd);
				t->fd = -1;
				t->retry = 1;
				return;
			}
			text_error(t, "connect", err);
			return;
		}
		if (!(ev & EPOLLOUT))
			return;
		t->connecting = 0;
		text_flush(t);
		if (t->fd < 0)
			return;
	} else if (ev & EPOLLOUT) {
		text_flush(t);
		if (t->fd < 0)
			return;
	}
	if (ev & (EPOLLIN | EPOLLHUP | EPOLLERR))
		text_readable(t);
}
