/*
 * loadgen - load generator for the push benchmarks.
 *
 * One process, one epoll loop, nonblocking sockets. It speaks a small RFC 6455
 * client (upgrade handshake checked against Sec-WebSocket-Accept, masked client
 * frames, 7/16/64-bit server frame lengths, fragmented messages, ping/pong,
 * close) and the Text protocol of the push server (one JSON object per line,
 * answered in order by "ok" or "fail" lines).
 *
 * Every pushed payload names its target uid index and a sequence number, so
 * each scenario can check that every message arrived exactly once, at the
 * right connection. Results go to stdout as one "RESULT key=value ..." line;
 * human-readable text goes to stderr.
 *
 * usage: loadgen SCENARIO [options]      (loadgen --help)
 *
 * The files: main.c (options), loop.c (event loop, phases), ws.c (WebSocket clients, delivery
 * checks), text.c (Text connections), pusher.c and json.c (the Pusher protocol), scenarios.c,
 * report.c (the RESULT line), proc.c (server samples), selftest.c, util.c; ../common/handshake.c.
 */
#include "loadgen.h"

struct options opt;

static void usage(FILE *f)
{
	fputs("usage: loadgen SCENARIO [options]\n"
	      "scenarios:\n"
	      "  conns      N clients connect and bind; connect rate, server RSS and CPU per connection\n"
	      "             (--hold keeps them open until SIGTERM and prints READY)\n"
	      "  unicast    C clients; M pushes pipelined on one Text connection, W in flight\n"
	      "  cpp        C clients; P pushers each doing connect/write/read/close per push\n"
	      "  paced      C clients; R pushes/s for D seconds; latency percentiles\n"
	      "  broadcast  C clients; K {\"cmd\":\"broadcast\"} commands; deliveries/s\n"
	      "  pusher     C Pusher protocol clients on /app/KEY, each subscribed to one of --channels\n"
	      "             public channels; M events through the HTTP API (POST /apps/ID/events, signed)\n"
	      "             on P keep-alive connections; deliveries/s, each checked once and in order\n"
	      "  selftest   SHA-1, accept key, frame parser; SHA-256, HMAC, MD5, Pusher messages and HTTP answers\n"
	      "options:\n"
	      "  --ws HOST:PORT        WebSocket address (127.0.0.1:1234)\n"
	      "  --text HOST:PORT      Text address (127.0.0.1:5678)\n"
	      "  --path PATH           request target (/; pusher: /app/KEY?protocol=7&client=js&version=8.4.0)\n"
	      "  --protocol NAME       Sec-WebSocket-Protocol to ask for (none)\n"
	      "  -n, --clients N       bound clients (conns 1000, unicast 1000, cpp 1000, paced 1000, broadcast 10000,\n"
	      "                        pusher 10000)\n"
	      "  -m, --pushes M        pushes (unicast 200000, cpp 20000); pusher: events (20000)\n"
	      "  -w, --window W        Text lines in flight (unicast 2000; broadcast 1)\n"
	      "  -P, --pushers P       cpp pushers (4); pusher: HTTP API connections (8)\n"
	      "  -r, --rate R          paced pushes/s (5000)\n"
	      "  -d, --duration D      paced seconds (5); cpp cap in seconds (30)\n"
	      "  -k, --broadcasts K    broadcast commands (10)\n"
	      "  -s, --size BYTES      payload size, >= 19 (32); pusher: event data, 40 to 8192 (100)\n"
	      "  --channels K          pusher: public channels bench-0..bench-K-1 (100)\n"
	      "  --app-id ID           pusher: app id (app-id)\n"
	      "  --app-key KEY         pusher: app key (app-key)\n"
	      "  --app-secret SECRET   pusher: app secret, signs the HTTP API requests (app-secret)\n"
	      "  -c, --conc N          handshakes in flight while connecting (128)\n"
	      "  --random              random target uids instead of round-robin\n"
	      "  --spin                busy-poll while measuring (not conns), so the server's sends never\n"
	      "                        pay for waking the generator (gen_cpu_pct then reads ~100%)\n"
	      "  --src-ips K           spread client sources over 127.0.0.1..127.0.0.K (16; 1 = kernel default)\n"
	      "  --server-pid PID      sample CPU and RSS of PID and its descendants from /proc\n"
	      "  --hold                conns: keep the clients until SIGTERM/SIGINT (prints READY)\n"
	      "  --expect K            conns --hold: expect pushes P<uid>S<seq>, seq 0..K-1, each once\n"
	      "  --no-probe            conns: skip the one-push-per-uid binding check\n"
	      "  --timeout SECS        hard limit for the run (120)\n"
	      "  --label TEXT          copied into the RESULT line\n"
	      "  -v, --verbose\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	opt.scenario = argv[1];
	const char *sc = opt.scenario;
	if (strcmp(sc, "conns") && strcmp(sc, "unicast") && strcmp(sc, "cpp") && strcmp(sc, "paced") &&
	    strcmp(sc, "broadcast") && strcmp(sc, "pusher") && strcmp(sc, "selftest"))
		die("unknown scenario '%s' (loadgen --help)", sc);
	parse_hostport("127.0.0.1:1234", &opt.ws, opt.ws_hostport, sizeof opt.ws_hostport);
	parse_hostport("127.0.0.1:5678", &opt.text, NULL, 0);
	opt.pusher = !strcmp(sc, "pusher");
	opt.path = NULL;
	opt.clients = !strcmp(sc, "broadcast") || opt.pusher ? 10000 : 1000;
	opt.pushes = !strcmp(sc, "cpp") || opt.pusher ? 20000 : 200000;
	opt.window = 2000;
	opt.bcast_window = 1;
	opt.size = 32;
	opt.conc = 128;
	opt.pushers = opt.pusher ? 8 : 4;
	opt.channels = 100;
	opt.app_id = "app-id";
	opt.app_key = "app-key";
	opt.app_secret = "app-secret";
	int size_set = 0;
	opt.rate = 5000;
	opt.duration = !strcmp(sc, "cpp") ? 30 : 5;
	opt.bcasts = 10;
	opt.timeout = 120;
	opt.probe = 1;
	opt.src_ips = 16;
	int window_set = 0;

	enum { OPT_WS = 256, OPT_TEXT, OPT_PATH, OPT_PROTO, OPT_PID, OPT_HOLD, OPT_EXPECT, OPT_NOPROBE, OPT_TIMEOUT, OPT_LABEL, OPT_RANDOM, OPT_SRC, OPT_SPIN,
	       OPT_CHANNELS, OPT_APP_ID, OPT_APP_KEY, OPT_APP_SECRET };
	static const struct option lo[] = {
	    {"ws", 1, 0, OPT_WS}, {"text", 1, 0, OPT_TEXT}, {"path", 1, 0, OPT_PATH}, {"protocol", 1, 0, OPT_PROTO},
	    {"clients", 1, 0, 'n'}, {"pushes", 1, 0, 'm'}, {"window", 1, 0, 'w'}, {"pushers", 1, 0, 'P'},
	    {"rate", 1, 0, 'r'}, {"duration", 1, 0, 'd'}, {"broadcasts", 1, 0, 'k'}, {"size", 1, 0, 's'},
	    {"conc", 1, 0, 'c'}, {"random", 0, 0, OPT_RANDOM}, {"server-pid", 1, 0, OPT_PID}, {"hold", 0, 0, OPT_HOLD},
	    {"expect", 1, 0, OPT_EXPECT}, {"no-probe", 0, 0, OPT_NOPROBE}, {"timeout", 1, 0, OPT_TIMEOUT},
	    {"label", 1, 0, OPT_LABEL}, {"src-ips", 1, 0, OPT_SRC}, {"spin", 0, 0, OPT_SPIN},
	    {"channels", 1, 0, OPT_CHANNELS}, {"app-id", 1, 0, OPT_APP_ID}, {"app-key", 1, 0, OPT_APP_KEY},
	    {"app-secret", 1, 0, OPT_APP_SECRET}, {"verbose", 0, 0, 'v'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
	int ch;
	optind = 2;
	while ((ch = getopt_long(argc, argv, "n:m:w:P:r:d:k:s:c:vh", lo, NULL)) != -1) {
		switch (ch) {
		case OPT_WS: parse_hostport(optarg, &opt.ws, opt.ws_hostport, sizeof opt.ws_hostport); break;
		case OPT_TEXT: parse_hostport(optarg, &opt.text, NULL, 0); break;
		case OPT_PATH: opt.path = optarg; break;
		case OPT_PROTO: opt.protocol = optarg; break;
		case 'n': opt.clients = atoi(optarg); break;
		case 'm': opt.pushes = atol(optarg); break;
		case 'w': opt.window = atoi(optarg); window_set = 1; break;
		case 'P': opt.pushers = atoi(optarg); break;
		case 'r': opt.rate = atof(optarg); break;
		case 'd': opt.duration = atof(optarg); break;
		case 'k': opt.bcasts = atoi(optarg); break;
		case 's': opt.size = atoi(optarg); size_set = 1; break;
		case 'c': opt.conc = atoi(optarg); break;
		case OPT_RANDOM: opt.random_order = 1; break;
		case OPT_PID: opt.server_pid = atoi(optarg); break;
		case OPT_HOLD: opt.hold = 1; break;
		case OPT_EXPECT: opt.expect = atol(optarg); break;
		case OPT_NOPROBE: opt.probe = 0; break;
		case OPT_TIMEOUT: opt.timeout = atof(optarg); break;
		case OPT_LABEL: opt.label = optarg; break;
		case OPT_SRC: opt.src_ips = atoi(optarg); break;
		case OPT_SPIN: opt.spin = 1; break;
		case OPT_CHANNELS: opt.channels = atoi(optarg); break;
		case OPT_APP_ID: opt.app_id = optarg; break;
		case OPT_APP_KEY: opt.app_key = optarg; break;
		case OPT_APP_SECRET: opt.app_secret = optarg; break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc)
		die("unexpected argument '%s'", argv[optind]);
	if (!strcmp(sc, "broadcast") && window_set)
		opt.bcast_window = opt.window;
	if (opt.pusher && !size_set)
		opt.size = 100;
	if (opt.size < 19 || opt.size > (int)(MAX_MESSAGE / 2))
		die("--size must be at least 19");
	if (opt.pusher) {
		static char path[256];
		if (opt.size < 40 || opt.size > PU_DATA_MAX)
			die("pusher: --size must be 40 to %d", PU_DATA_MAX);
		if (opt.channels < 1 || opt.channels > 9999)
			die("--channels must be 1 to 9999");
		/* they go into URLs unescaped */
		const char *const names[] = {opt.app_id, opt.app_key};
		for (int i = 0; i < 2; i++)
			if (!*names[i] || strlen(names[i]) > 64 ||
			    strspn(names[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") !=
				strlen(names[i]))
				die("--app-id and --app-key: 1 to 64 characters of A-Z a-z 0-9 _ . -");
		if (!*opt.app_secret || strlen(opt.app_secret) > 256)
			die("--app-secret: 1 to 256 bytes");
		if (!opt.path) {
			snprintf(path, sizeof path, "/app/%s?protocol=7&client=js&version=8.4.0", opt.app_key);
			opt.path = path;
		}
	}
	if (!opt.path)
		opt.path = "/";
	if (opt.clients < 1 || opt.pushes < 1 || opt.window < 1 || opt.pushers < 1 || opt.rate <= 0 ||
	    opt.duration <= 0 || opt.bcasts < 1 || opt.conc < 1 || opt.timeout <= 0 || opt.clients > 9999999)
		die("bad numeric option");
	if (opt.server_pid > 0 && kill(opt.server_pid, 0) < 0)
		die("--server-pid %d: %s", opt.server_pid, strerror(errno));

	if (!strcmp(sc, "selftest"))
		return run_selftest();

	/* file descriptors: the clients, the Text connections, epoll, signalfd, stdio */
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NOFILE, &rl);
	long need = (long)opt.clients + (!strcmp(sc, "cpp") || opt.pusher ? opt.pushers : 0) + 16;
	if (rl.rlim_cur != RLIM_INFINITY && need > (long)rl.rlim_cur)
		die("%d clients need %ld file descriptors; the limit is %llu (use at most %llu clients)", opt.clients,
		    need, (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_cur - 16 - (unsigned long long)opt.pushers);

	rng_state ^= now_ns() ^ ((uint64_t)getpid() << 32);
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	G.ep = epoll_create1(EPOLL_CLOEXEC);
	G.sigfd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC);
	if (G.ep < 0 || G.sigfd < 0)
		die("epoll/signalfd: %s", strerror(errno));
	ep_set(G.sigfd, tag_of(TAG_SIG, 0), EPOLLIN, EPOLL_CTL_ADD);
	G.deadline = now_ns() + (uint64_t)(opt.timeout * 1e9);
	G.nws = opt.clients;
	text_init(&G.main, 0, (size_t)(opt.window > PROBE_WINDOW ? opt.window : PROBE_WINDOW) +
				  (size_t)opt.bcasts + 64);

	if (!strcmp(sc, "conns"))
		return run_conns();
	if (!strcmp(sc, "unicast"))
		return run_unicast();
	if (!strcmp(sc, "cpp"))
		return run_cpp();
	if (!strcmp(sc, "paced"))
		return run_paced();
	if (opt.pusher)
		return run_pusher();
	return run_broadcast();
}
