/*
 * pusher.c - the Pusher protocol: pusher-js-shaped clients, events triggered through the signed
 * HTTP API (POST /apps/{id}/events) on keep-alive connections, and the pusher scenario.
 */
#include "loadgen.h"

struct pusher_state PU;

/* the data of event seq on channel k: {"ch":k,"seq":seq,"pad":"xx.."}, --size bytes exactly */
size_t pu_data(char *out, int k, uint32_t seq)
{
	int n = snprintf(out, PU_DATA_MAX, "{\"ch\":%d,\"seq\":%" PRIu32 ",\"pad\":\"", k, seq);
	size_t len = (size_t)opt.size;
	memset(out + n, 'x', len - 2 - (size_t)n);
	memcpy(out + len - 2, "\"}", 2);
	out[len] = 0;
	return len;
}

static void pu_error(int idx, const char *what, const uint8_t *p, size_t n)
{
	G.pusher_err++;
	if (verbose || G.pusher_err < 5)
		say("client %d: %s: %.*s", idx, what, (int)(n > 200 ? 200 : n), (const char *)p);
}

/* one message to a Pusher client: the handshake of the protocol, then deliveries */
void pu_message(int idx, const uint8_t *p, size_t n, uint64_t t)
{
	static char ev[256], chname[256], data[PU_DATA_MAX + 64], want[PU_DATA_MAX + 1];
	const char *s = (const char *)p;
	json_want want_m[3] = {{"event", ev, sizeof ev, 0}, {"channel", chname, sizeof chname, 0},
			       {"data", data, sizeof data, 0}};
	int k = idx % PU.nch;
	G.frames++;
	int found = json_str_members(s, n, want_m, 3);
	if (found < 0 || !(found & 1)) {
		G.corrupt++;
		if (verbose && G.corrupt < 10)
			say("client %d: not a Pusher message: %.*s", idx, (int)(n > 120 ? 120 : n), s);
		return;
	}
	int has_ch = (found & 2) != 0, has_data = (found & 4) != 0;
	size_t dl = want_m[2].len;
	if (!strcmp(ev, PU_EVENT)) {
		char mine[32];
		long long ck = -1, seq = -1;
		snprintf(mine, sizeof mine, "bench-%d", k);
		if (!G.t_first_frame)
			G.t_first_frame = t;
		G.t_last_frame = t;
		if (!has_ch || !has_data || json_member(data, dl, "ch", &ck) != '0' ||
		    json_member(data, dl, "seq", &seq) != '0' || ck < 0 || ck >= PU.nch || seq < 0) {
			G.corrupt++;
			if (verbose && G.corrupt < 10)
				say("client %d: malformed event: %.*s", idx, (int)(n > 120 ? 120 : n), s);
			return;
		}
		if (strcmp(chname, mine) || ck != k) {
			G.misroute++;
			return;
		}
		if ((uint64_t)seq >= PU.sent[k]) {
			G.unknown_seq++;
			return;
		}
		if (dl != pu_data(want, k, (uint32_t)seq) || memcmp(data, want, dl)) {
			G.corrupt++;
			return;
		}
		uint8_t *bit = &PU.seen[(size_t)idx * PU.seen_stride + (size_t)seq / 8];
		uint8_t mask = (uint8_t)(1u << (seq & 7));
		if (*bit & mask) {
			G.dup++;
			return;
		}
		*bit |= mask;
		if ((uint32_t)seq != PU.next[idx])
			PU.reorder++;
		if ((uint32_t)seq >= PU.next[idx])
			PU.next[idx] = (uint32_t)seq + 1;
		PU.got[idx]++;
		PU.deliveries++;
		size_t e = (size_t)k * PU.cap + (size_t)seq;
		PU.ev_got[e]++;
		PU.ev_last_ns[e] = t;
		return;
	}
	if (!strcmp(ev, "pusher:connection_established")) {
		char sid[64];
		size_t sl = 0;
		if (PU.state[idx] != PU_WAIT_ESTABLISHED || !has_data ||
		    json_str_member(data, dl, "socket_id", sid, sizeof sid, &sl) != 1 || !sl) {
			pu_error(idx, "unexpected connection_established", p, n);
			return;
		}
		PU.state[idx] = PU_SUBSCRIBING;
		PU.established++;
		/* what pusher-js sends for a public channel */
		char sub[128];
		int m = snprintf(sub, sizeof sub,
				 "{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"bench-%d\"}}", k);
		ws_send_frame(&G.ws[idx], 0x1, sub, (size_t)m);
		return;
	}
	if (!strcmp(ev, "pusher_internal:subscription_succeeded")) {
		char mine[32];
		snprintf(mine, sizeof mine, "bench-%d", k);
		if (PU.state[idx] != PU_SUBSCRIBING || !has_ch || strcmp(chname, mine)) {
			pu_error(idx, "unexpected subscription_succeeded", p, n);
			return;
		}
		PU.state[idx] = PU_SUBSCRIBED;
		PU.subscribed++;
		PU.subs[k]++;
		G.t_last_open = t;
		return;
	}
	if (!strcmp(ev, "pusher:ping")) {
		static const char pong[] = "{\"event\":\"pusher:pong\",\"data\":{}}";
		ws_send_frame(&G.ws[idx], 0x1, pong, sizeof pong - 1);
		return;
	}
	if (!strcmp(ev, "pusher:pong"))
		return;
	pu_error(idx, "unexpected message", p, n);
}

/*
 * Length of the complete HTTP/1.x answer at the start of d: 0 while it is
 * incomplete, -1 when it is malformed or its body ends only with the
 * connection. *status gets the status code, *close whether the server will
 * close the connection after it.
 */
long http_answer_len(const char *d, size_t len, int *status, int *close_after)
{
	const char *end = memmem(d, len, "\r\n\r\n", 4);
	if (!end)
		return len > MAX_HANDSHAKE ? -1 : 0;
	size_t head = (size_t)(end - d) + 2, off;
	if (head < 14 || strncmp(d, "HTTP/1.", 7) || d[8] != ' ' || !isdigit((unsigned char)d[9]) ||
	    !isdigit((unsigned char)d[10]) || !isdigit((unsigned char)d[11]))
		return -1;
	*status = (d[9] - '0') * 100 + (d[10] - '0') * 10 + (d[11] - '0');
	*close_after = d[7] == '0';
	const char *v;
	size_t vl;
	if (http_header(d, head, "Connection", &v, &vl)) {
		if (vl == 5 && !strncasecmp(v, "close", 5))
			*close_after = 1;
		else if (vl == 10 && !strncasecmp(v, "keep-alive", 10))
			*close_after = 0;
	}
	off = head + 2;
	if (http_header(d, head, "Content-Length", &v, &vl)) {
		uint64_t cl = 0;
		if (!vl || vl > 12)
			return -1;
		for (size_t i = 0; i < vl; i++) {
			if (!isdigit((unsigned char)v[i]))
				return -1;
			cl = cl * 10 + (uint64_t)(v[i] - '0');
		}
		if (cl > API_IN_CAP)
			return -1;
		return off + cl <= len ? (long)(off + cl) : 0;
	}
	if (http_header(d, head, "Transfer-Encoding", &v, &vl)) {
		if (vl != 7 || strncasecmp(v, "chunked", 7))
			return -1;
		for (;;) {
			const char *eol = memmem(d + off, len - off, "\r\n", 2);
			if (!eol)
				return 0;
			size_t n = 0, i = off;
			if (hexval(d[i]) < 0)
				return -1;
			for (; i < (size_t)(eol - d) && hexval(d[i]) >= 0; i++) {
				n = n * 16 + (size_t)hexval(d[i]);
				if (n > API_IN_CAP)
					return -1;
			}
			off = (size_t)(eol - d) + 2;
			if (!n) { /* the trailer: header lines up to an empty one */
				for (;;) {
					eol = memmem(d + off, len - off, "\r\n", 2);
					if (!eol)
						return 0;
					if (eol == d + off)
						return (long)(off + 2);
					off = (size_t)(eol - d) + 2;
				}
			}
			if (len - off < n + 2)
				return 0;
			if (memcmp(d + off + n, "\r\n", 2))
				return -1;
			off += n + 2;
		}
	}
	if (*status == 204 || *status == 304 || *status / 100 == 1)
		return (long)off;
	return -1;
}

/*
 * One signed POST /apps/{id}/events into PU.req (Pusher's request signing:
 * auth_signature is the hex HMAC-SHA256, keyed with the secret, of
 * "POST\n<path>\n<the other query arguments, sorted by name>"); its length.
 */
static size_t api_request(int k, uint32_t seq)
{
	size_t dl = pu_data(PU.data, k, seq), bl;
	char *b = PU.body;
	bl = (size_t)sprintf(b, "{\"name\":\"" PU_EVENT "\",\"channels\":[\"bench-%d\"],\"data\":\"", k);
	for (size_t i = 0; i < dl; i++) {
		if (PU.data[i] == '"' || PU.data[i] == '\\')
			b[bl++] = '\\';
		b[bl++] = PU.data[i];
	}
	memcpy(b + bl, "\"}", 3);
	bl += 2;

	uint8_t dig[32];
	char md5hex[33], sighex[65], query[512], tosign[768];
	md5(b, bl, dig);
	hex_encode(dig, 16, md5hex);
	time_t now = time(NULL);
	if (now != PU.ts)
		PU.ts = now;
	int ql = snprintf(query, sizeof query, "auth_key=%s&auth_timestamp=%lld&auth_version=1.0&body_md5=%s",
			  opt.app_key, (long long)PU.ts, md5hex);
	int sl = snprintf(tosign, sizeof tosign, "POST\n/apps/%s/events\n%.*s", opt.app_id, ql, query);
	hmac_sha256(opt.app_secret, strlen(opt.app_secret), tosign, (size_t)sl, dig);
	hex_encode(dig, 32, sighex);
	int hl = sprintf(PU.req,
			 "POST /apps/%s/events?%s&auth_signature=%s HTTP/1.1\r\n"
			 "Host: %s\r\n"
			 "Content-Type: application/json\r\n"
			 "Content-Length: %zu\r\n"
			 "\r\n",
			 opt.app_id, query, sighex, opt.ws_hostport, bl);
	memcpy(PU.req + hl, b, bl);
	return (size_t)hl + bl;
}

static void api_update_events(apic *a)
{
	int want = a->connecting || a->out_len > a->out_off;
	if (want != a->want_out) {
		a->want_out = (uint8_t)want;
		ep_set(a->fd, tag_of(TAG_API, (uint32_t)a->id), EPOLLIN | (want ? EPOLLOUT : 0), EPOLL_CTL_MOD);
	}
}

static void api_close(apic *a)
{
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	a->connecting = a->want_out = 0;
	a->out_len = a->out_off = a->in_len = 0;
}

/*
 * The connection failed: the request in flight stays unanswered (an error);
 * the run loop starts the next one on a new connection.
 */
static void api_fail(apic *a, const char *what, int err)
{
	G.ans_bad++;
	if (G.ans_bad < 5)
		say("HTTP API connection %d: %s%s%s", a->id, what, err ? ": " : "", err ? strerror(err) : "");
	if (a->busy)
		PU.answered++;
	a->busy = 0;
	api_close(a);
}

static void api_flush(apic *a)
{
	while (a->out_off < a->out_len) {
		ssize_t w = send(a->fd, a->out + a->out_off, a->out_len - a->out_off, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			api_fail(a, "send", errno);
			return;
		}
		a->out_off += (size_t)w;
	}
	api_update_events(a);
}

static int api_open(apic *a)
{
	a->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->fd < 0)
		return -errno;
	int one = 1;
	setsockopt(a->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(a->fd, (struct sockaddr *)&opt.ws, sizeof opt.ws) < 0 && errno != EINPROGRESS) {
		int e = errno;
		close(a->fd);
		a->fd = -1;
		return -e;
	}
	if (a->opened++)
		PU.reconnects++;
	a->connecting = 1;
	a->want_out = 1;
	ep_set(a->fd, tag_of(TAG_API, (uint32_t)a->id), EPOLLIN | EPOLLOUT, EPOLL_CTL_ADD);
	return 0;
}

/* the next event of this connection, to its next channel */
static void api_start(apic *a)
{
	if (PU.started >= (uint64_t)opt.pushes || a->busy || G.stop)
		return;
	int k = a->rr;
	a->rr += PU.napi;
	if (a->rr >= PU.nch)
		a->rr = a->id;
	uint32_t seq = PU.sent[k];
	if (seq >= PU.cap)
		die("channel %d: more than %" PRIu32 " events", k, PU.cap);
	PU.sent[k]++;
	PU.started++;
	size_t len = api_request(k, seq);
	if (len > a->out_cap) {
		a->out_cap = len * 2;
		a->out = xrealloc(a->out, a->out_cap);
	}
	memcpy(a->out, PU.req, len);
	a->out_len = len;
	a->out_off = 0;
	a->busy = 1;
	a->ch = k;
	a->seq = seq;
	a->sent_ns = now_ns();
	PU.ev_sent_ns[(size_t)k * PU.cap + seq] = a->sent_ns;
	if (a->fd < 0) {
		int r = api_open(a);
		if (r < 0) {
			api_fail(a, "connect", -r);
			return;
		}
		return; /* written once connected */
	}
	api_flush(a);
}

static void api_readable(apic *a)
{
	for (;;) {
		if (a->in_len == API_IN_CAP) {
			api_fail(a, "answer too large", 0);
			return;
		}
		ssize_t r = recv(a->fd, a->in + a->in_len, API_IN_CAP - a->in_len, 0);
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			api_fail(a, "recv", errno);
			return;
		}
		if (r == 0) {
			if (a->busy || a->in_len) {
				api_fail(a, "the server closed the connection before its answer", 0);
			} else {
				api_close(a); /* idle keep-alive closed: the next request reconnects */
			}
			return;
		}
		a->in_len += (size_t)r;
		int status = 0, close_after = 0;
		long used = http_answer_len(a->in, a->in_len, &status, &close_after);
		if (used < 0) {
			api_fail(a, "malformed HTTP answer", 0);
			return;
		}
		if (!used)
			continue;
		if (!a->busy || (size_t)used != a->in_len) {
			api_fail(a, "HTTP answer without a request", 0);
			return;
		}
		uint64_t t = now_ns();
		a->busy = 0;
		PU.answered++;
		PU.api_lat_ns[PU.napi_lat++] = t - a->sent_ns;
		G.t_last_answer = t;
		if (status == 200) {
			G.ans_ok++;
			PU.ok[a->ch]++;
			PU.expect += PU.subs[a->ch];
		} else {
			G.ans_fail++;
			if (G.ans_fail < 5) {
				const char *body = memmem(a->in, a->in_len, "\r\n\r\n", 4);
				say("HTTP API answered %d: %.*s", status, body ? (int)(a->in + a->in_len - body - 4) : 0,
				    body ? body + 4 : "");
			}
		}
		a->in_len = 0;
		if (close_after)
			api_close(a);
		api_start(a);
		return;
	}
}

void api_event(apic *a, uint32_t ev)
{
	if (a->fd < 0)
		return;
	if (a->connecting) {
		int err = socket_error(a->fd);
		if (err) {
			api_fail(a, "connect", err);
			return;
		}
		if (!(ev & EPOLLOUT))
			return;
		a->connecting = 0;
		api_flush(a);
		if (a->fd < 0)
			return;
	} else if (ev & EPOLLOUT) {
		api_flush(a);
		if (a->fd < 0)
			return;
	}
	if (ev & (EPOLLIN | EPOLLHUP | EPOLLERR))
		api_readable(a);
}

/*
 * Pusher: N pusher-js-shaped clients on /app/{key}, each subscribed to one of
 * --channels public channels (client i to bench-<i mod channels>); then M
 * events, each to one channel, through the signed HTTP API on P keep-alive
 * connections, one request in flight on each. The channels of a connection
 * are its own (k mod P), so the events of a channel are triggered one after
 * the other, and every subscriber must see each exactly once, in order.
 */
int run_pusher(void)
{
	const char *err = NULL;
	int nch = opt.channels;
	PU.nch = nch;
	PU.napi = opt.pushers < nch ? opt.pushers : nch;
	/* a connection round-robins over its channels: none gets more than this */
	int min_per_conn = nch / PU.napi;
	PU.cap = (uint32_t)((opt.pushes + min_per_conn - 1) / min_per_conn) + 1;
	PU.state = xcalloc((size_t)G.nws, 1);
	PU.subs = xcalloc((size_t)nch, sizeof *PU.subs);
	PU.sent = xcalloc((size_t)nch, sizeof *PU.sent);
	PU.ok = xcalloc((size_t)nch, sizeof *PU.ok);
	PU.seen_stride = (PU.cap + 7) / 8;
	PU.seen = xcalloc((size_t)G.nws, PU.seen_stride);
	PU.next = xcalloc((size_t)G.nws, sizeof *PU.next);
	PU.got = xcalloc((size_t)G.nws, sizeof *PU.got);
	PU.ev_sent_ns = xcalloc((size_t)nch * PU.cap, sizeof *PU.ev_sent_ns);
	PU.ev_last_ns = xcalloc((size_t)nch * PU.cap, sizeof *PU.ev_last_ns);
	PU.ev_got = xcalloc((size_t)nch * PU.cap, sizeof *PU.ev_got);
	PU.api_lat_ns = xcalloc((size_t)opt.pushes, sizeof *PU.api_lat_ns);
	PU.data = xrealloc(NULL, PU_DATA_MAX + 1);
	PU.body = xrealloc(NULL, 2 * PU_DATA_MAX + 256);
	PU.req = xrealloc(NULL, 2 * PU_DATA_MAX + 2048);
	PU.api = xcalloc((size_t)PU.napi, sizeof *PU.api);
	for (int h = 0; h < PU.napi; h++) {
		apic *a = &PU.api[h];
		a->fd = -1;
		a->id = h;
		a->rr = h;
		a->in = xrealloc(NULL, API_IN_CAP);
	}

	/* connect, then each client subscribes once connection_established arrives */
	uint64_t t_sub0 = now_ns();
	if (connect_all())
		err = "connect";
	while (!err && PU.subscribed < G.open && !past_deadline() && !G.stop) {
		poll_once(10000000);
		if (G.pusher_err || G.proto_err || G.unexpected_close)
			break;
	}
	double sub_secs = (double)(G.t_last_open - t_sub0) / 1e9;
	if (!err && PU.subscribed < G.nws) {
		say("subscribe phase: %d connected, %d established, %d subscribed of %d", G.open, PU.established,
		    PU.subscribed, G.nws);
		err = "subscribe";
	}
	if (!err)
		say("%d clients connected and subscribed to %d channels in %.3f s", PU.subscribed, nch, sub_secs);

	srv_sample s0, s1;
	memset(&s0, 0, sizeof s0);
	s1 = s0;
	double secs = 0;
	uint64_t g0 = 0, g1 = 0, t0 = 0;
	if (!err) {
		settle();
		srv_take(&s0);
		g0 = self_cpu_ns();
		t0 = now_ns();
		G.spin = opt.spin;
		for (int h = 0; h < PU.napi; h++)
			api_start(&PU.api[h]);
		uint64_t quiet_from = 0;
		while (!past_deadline() && !G.stop) {
			poll_once(2000000);
			for (int h = 0; h < PU.napi; h++)
				if (!PU.api[h].busy)
					api_start(&PU.api[h]);
			if (PU.answered < (uint64_t)opt.pushes)
				continue;
			if (PU.deliveries >= PU.expect)
				break;
			/* every event answered: wait for the deliveries while they keep coming */
			uint64_t last = G.t_last_frame > G.t_last_answer ? G.t_last_frame : G.t_last_answer;
			if (last > quiet_from)
				quiet_from = last;
			if (now_ns() - quiet_from > 2000000000ull)
				break;
		}
		G.spin = 0;
		g1 = self_cpu_ns();
		if (!srv_take(&s1) && opt.server_pid > 0)
			err = "server-died";
		if (PU.answered < (uint64_t)opt.pushes && !err)
			err = "timeout";
		uint64_t tend = G.t_last_frame > G.t_last_answer ? G.t_last_frame : G.t_last_answer;
		secs = tend > t0 ? (double)(tend - t0) / 1e9 : 0;
	}

	/* every subscriber of channel k must have each event answered 200 for k */
	uint64_t lost = 0;
	for (int i = 0; i < G.nws; i++) {
		uint32_t want = PU.state[i] == PU_SUBSCRIBED ? PU.ok[i % nch] : 0;
		if (PU.got[i] < want)
			lost += want - PU.got[i];
	}
	/* fan-out: request written -> its last subscriber received it */
	uint64_t *fan = xcalloc((size_t)opt.pushes + 1, sizeof *fan), nfan = 0;
	for (int k = 0; k < nch; k++)
		for (uint32_t q = 0; q < PU.sent[k]; q++) {
			size_t e = (size_t)k * PU.cap + q;
			if (PU.ev_got[e] && PU.ev_got[e] == PU.subs[k] && PU.ev_last_ns[e] >= PU.ev_sent_ns[e])
				fan[nfan++] = PU.ev_last_ns[e] - PU.ev_sent_ns[e];
		}
	qsort(fan, (size_t)nfan, sizeof *fan, cmp_u64);
	qsort(PU.api_lat_ns, (size_t)PU.napi_lat, sizeof *PU.api_lat_ns, cmp_u64);

	put("clients", "%d", G.nws);
	put("channels", "%d", nch);
	put("subscribed", "%d", PU.subscribed);
	put("subscribe_s", "%.3f", sub_secs);
	put("http_conns", "%d", PU.napi);
	put("events", "%" PRIu64, G.ans_ok);
	put("deliveries", "%" PRIu64, PU.deliveries);
	put("secs", "%.4f", secs);
	put("deliveries_per_s", "%.0f", per((double)PU.deliveries, secs));
	put("events_per_s", "%.0f", per((double)G.ans_ok, secs));
	put("api_p50_ms", "%.3f", (double)pct(PU.api_lat_ns, PU.napi_lat, 0.5) / 1e6);
	put("api_p99_ms", "%.3f", (double)pct(PU.api_lat_ns, PU.napi_lat, 0.99) / 1e6);
	put("fanout_p50_ms", "%.3f", (double)pct(fan, nfan, 0.5) / 1e6);
	put("fanout_p99_ms", "%.3f", (double)pct(fan, nfan, 0.99) / 1e6);
	put("fanout_max_ms", "%.3f", nfan ? (double)fan[nfan - 1] / 1e6 : 0);
	put("reconnects", "%" PRIu64, PU.reconnects);
	put("reorder", "%" PRIu64, PU.reorder);
	if (opt.server_pid > 0) {
		double cpu_us = (double)(s1.cpu_ns - s0.cpu_ns) / 1e3;
		put("cpu_us_per_delivery", "%.3f", per(cpu_us, (double)PU.deliveries));
		put("cpu_us_per_event", "%.2f", per(cpu_us, (double)G.ans_ok));
	}
	put_cpu(NULL, &s0, &s1, 0, secs, g1 - g0);
	say("pusher: %" PRIu64 " events to %d channels of %d clients, %.0f deliveries/s, %.0f events/s, fan-out p50 %.2f ms",
	    G.ans_ok, nch, G.nws, per((double)PU.deliveries, secs), per((double)G.ans_ok, secs),
	    (double)pct(fan, nfan, 0.5) / 1e6);
	if (PU.reorder) {
		say("order: %" PRIu64 " deliveries came before an earlier event of their channel", PU.reorder);
		checks_fail = 1;
	}
	put_checks(lost);
	free(fan);
	teardown();
	for (int h = 0; h < PU.napi; h++)
		api_close(&PU.api[h]);
	emit(err);
	return checks_fail;
}
