/*
 * selftest.c - `loadgen selftest`: the hashes, the accept key, the frame parser fed in pieces,
 * HTTP answers and the Pusher client fed good and bad messages.
 */
#include "loadgen.h"

int run_selftest(void)
{
	int bad = 0;
	uint8_t d[20];
	char hex[41], acc[32];
	sha1_ctx s;
	sha1_init(&s);
	sha1_update(&s, "abc", 3);
	sha1_final(&s, d);
	for (int i = 0; i < 20; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
	if (strcmp(hex, "a9993e364706816aba3e25717850c26c9cd0d89d"))
		bad++, say("sha1(abc) = %s", hex);
	sha1_init(&s);
	static const char m2[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha1_update(&s, m2, sizeof m2 - 1);
	sha1_final(&s, d);
	for (int i = 0; i < 20; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
	if (strcmp(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"))
		bad++, say("sha1(448 bits) = %s", hex);
	static const char key[] = "dGhlIHNhbXBsZSBub25jZQ==";
	ws_accept(key, sizeof key - 1, acc);
	if (strcmp(acc, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
		bad++, say("accept = %s", acc);

	/* SHA-256, HMAC-SHA256 (RFC 4231 case 2, a key longer than a block, Pusher's signing), MD5 */
	{
		static const struct {
			const char *key, *msg, *want; /* key NULL: plain SHA-256 */
		} hv[] = {
		    {NULL, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		    {NULL, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		    {"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
		    {"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", "x",
		     "8c1858bff6cf9cb73708b4b54f43bca6e1b8b4c3380760dc009001b265b64c6f"},
		    {"7ad3773142a6692b25b8",
		     "POST\n/apps/3/channels/test_channel/events\nauth_key=278d425bdf160c739803&auth_timestamp=1272044395&"
		     "auth_version=1.0&body_md5=7b3d404f5cde4a0b9b8fb4789a0098cb&name=foo",
		     "309fc4be20f04e53e011b00744642d3fe66c2c7c5686f35ed6cd2af6f202e445"},
		};
		for (size_t i = 0; i < sizeof hv / sizeof hv[0]; i++) {
			uint8_t dg[32];
			char hx[65];
			if (hv[i].key) {
				hmac_sha256(hv[i].key, strlen(hv[i].key), hv[i].msg, strlen(hv[i].msg), dg);
			} else {
				push_sha256(hv[i].msg, strlen(hv[i].msg), dg);
			}
			hex_encode(dg, 32, hx);
			if (strcmp(hx, hv[i].want))
				bad++, say("sha256/hmac vector %zu = %s", i, hx);
		}
		static const struct {
			const char *msg, *want;
		} mv[] = {
		    {"", "d41d8cd98f00b204e9800998ecf8427e"},
		    {"abc", "900150983cd24fb0d6963f7d28e17f72"},
		    {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
		     "57edf4a22be3c955ac49da2e2107b67a"},
		};
		for (size_t i = 0; i < sizeof mv / sizeof mv[0]; i++) {
			uint8_t dg[16];
			char hx[33];
			md5(mv[i].msg, strlen(mv[i].msg), dg);
			hex_encode(dg, 16, hx);
			if (strcmp(hx, mv[i].want))
				bad++, say("md5 vector %zu = %s", i, hx);
		}
	}

	/* Pusher messages: string members at the top level only, unescaped */
	{
		static const char m[] = "{\"data\":\"{\\\"socket_id\\\":\\\"1.2\\\",\\\"x\\\":\\\"\\u00e9\\\\\\\"\\\"}\","
					"\"nested\":{\"event\":\"no\",\"a\":[1,\"}\",{}]},\"n\":-1.5e3,\"t\":true,"
					"\"event\" : \"pusher:connection_established\"}";
		char out[128], sid[16];
		size_t ol = 0, sl = 0;
		if (json_str_member(m, sizeof m - 1, "event", out, sizeof out, &ol) != 1 ||
		    strcmp(out, "pusher:connection_established"))
			bad++, say("json_str_member event: %s", out);
		if (json_str_member(m, sizeof m - 1, "data", out, sizeof out, &ol) != 1 ||
		    strcmp(out, "{\"socket_id\":\"1.2\",\"x\":\"\xc3\xa9\\\"\"}") ||
		    json_str_member(out, ol, "socket_id", sid, sizeof sid, &sl) != 1 || strcmp(sid, "1.2") ||
		    json_str_member(out, ol, "x", sid, sizeof sid, &sl) != 1 || strcmp(sid, "\xc3\xa9\""))
			bad++, say("json_str_member data: %s", out);
		if (json_str_member(m, sizeof m - 1, "channel", out, sizeof out, &ol) != 0 ||
		    json_str_member(m, sizeof m - 1, "n", out, sizeof out, &ol) != 0 ||
		    json_str_member("{\"event\":\"x", 11, "event", out, sizeof out, &ol) != -1 ||
		    json_str_member("{\"a\":1 \"event\":\"x\"}", 19, "event", out, sizeof out, &ol) != -1)
			bad++, say("json_str_member: absent, not a string, malformed");
		opt.size = 100;
		char d[PU_DATA_MAX + 1];
		if (pu_data(d, 7, 42) != 100 || strlen(d) != 100 || strncmp(d, "{\"ch\":7,\"seq\":42,\"pad\":\"xx", 26) ||
		    strcmp(d + 98, "\"}"))
			bad++, say("pu_data: %s", d);
	}

	/* HTTP answers: Content-Length, chunked, incomplete, keep-alive or close */
	{
		static const char a1[] = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
		static const char a2[] = "HTTP/1.1 413 Payload Too Large\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
					 "3\r\n{\"a\r\n2\r\n\"}\r\n0\r\n\r\n";
		static const char a3[] = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n";
		int st = 0, cl = 0;
		for (size_t cut = 0; cut < sizeof a1 - 1; cut++)
			if (http_answer_len(a1, cut, &st, &cl) != 0)
				bad++, say("http_answer_len: %zu bytes of a1 taken as complete", cut);
		for (size_t cut = 0; cut < sizeof a2 - 1; cut++)
			if (http_answer_len(a2, cut, &st, &cl) != 0)
				bad++, say("http_answer_len: %zu bytes of a2 taken as complete", cut);
		if (http_answer_len(a1, sizeof a1 - 1, &st, &cl) != (long)sizeof a1 - 1 || st != 200 || cl)
			bad++, say("http_answer_len a1");
		if (http_answer_len(a2, sizeof a2 - 1, &st, &cl) != (long)sizeof a2 - 1 || st != 413 || !cl)
			bad++, say("http_answer_len a2");
		if (http_answer_len(a3, sizeof a3 - 1, &st, &cl) != (long)sizeof a3 - 1 || st != 200 || !cl)
			bad++, say("http_answer_len a3");
		if (http_answer_len("HTTP/1.1 200 OK\r\n\r\n{}", 21, &st, &cl) != -1 ||
		    http_answer_len("SSH-2.0-x\r\n\r\n", 13, &st, &cl) != -1)
			bad++, say("http_answer_len: a body up to the close, or not HTTP");
	}

	/* broadcast answers */
	long long num = -1;
	static const char a1[] = "{\"ok\":true,\"count\":10000}", a2[] = "{ \"ok\" : false , \"count\": 7 }";
	if (json_member(a1, sizeof a1 - 1, "ok", &num) != 't' || json_member(a1, sizeof a1 - 1, "count", &num) != '0' ||
	    num != 10000 || json_member(a2, sizeof a2 - 1, "ok", &num) != 'f' ||
	    json_member(a2, sizeof a2 - 1, "count", &num) != '0' || num != 7 ||
	    json_member(a2, sizeof a2 - 1, "missing", &num) != 0)
		bad++, say("json_member");

	/* frames: 7/16/64-bit lengths, split anywhere, ping, fragments */
	opt.size = 32;
	G.nws = 1;
	G.ws = xcalloc(1, sizeof *G.ws);
	int sp[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sp))
		die("socketpair: %s", strerror(errno));
	G.ws[0].fd = sp[0]; /* pongs go to sp[1] */
	G.ws[0].state = WS_OPEN;
	alloc_seqs(8, 0);
	uint8_t stream[200000];
	size_t sl = 0;
	char pl[80000];
	/* seq 0: 32 bytes, 7-bit */
	opt.size = 32;
	make_payload(pl, 'P', 0, 0);
	stream[sl++] = 0x81;
	stream[sl++] = 32;
	memcpy(stream + sl, pl, 32), sl += 32;
	/* seq 1: 300 bytes, 16-bit */
	opt.size = 300;
	make_payload(pl, 'P', 0, 1);
	stream[sl++] = 0x81;
	stream[sl++] = 126;
	stream[sl++] = 300 >> 8;
	stream[sl++] = 300 & 255;
	memcpy(stream + sl, pl, 300), sl += 300;
	/* a ping in between */
	stream[sl++] = 0x89;
	stream[sl++] = 0;
	/* seq 2: 70000 bytes, 64-bit */
	opt.size = 70000;
	make_payload(pl, 'P', 0, 2);
	stream[sl++] = 0x82;
	stream[sl++] = 127;
	for (int i = 7; i >= 0; i--)
		stream[sl++] = (uint8_t)((uint64_t)70000 >> (8 * i));
	memcpy(stream + sl, pl, 70000), sl += 70000;
	/* seq 3: 32 bytes in three fragments */
	opt.size = 32;
	make_payload(pl, 'P', 0, 3);
	stream[sl++] = 0x01, stream[sl++] = 10, memcpy(stream + sl, pl, 10), sl += 10;
	stream[sl++] = 0x00, stream[sl++] = 10, memcpy(stream + sl, pl + 10, 10), sl += 10;
	stream[sl++] = 0x80, stream[sl++] = 12, memcpy(stream + sl, pl + 20, 12), sl += 12;
	/* replay with every chunking from 1 byte up; size checks use opt.size per message, so
	 * the mixed sizes are checked through padding_ok for the 32-byte ones only */
	size_t chunks[] = {1, 2, 3, 7, 64, 1000, sl};
	for (size_t ci = 0; ci < sizeof chunks / sizeof chunks[0]; ci++) {
		memset(G.seq_cnt, 0, G.nseq);
		G.delivered = G.dup = G.corrupt = G.misroute = 0;
		G.pings = 0;
		uint8_t *copy = xrealloc(NULL, sl);
		memcpy(copy, stream, sl);
		/* the 300 and 70000 byte payloads are corrupt for size 32: count them apart */
		for (size_t off = 0; off < sl; off += chunks[ci]) {
			size_t n = sl - off < chunks[ci] ? sl - off : chunks[ci];
			ws_feed(&G.ws[0], copy + off, n, 1);
		}
		free(copy);
		if (G.delivered != 2 || G.corrupt != 2 || G.pings != 1 || G.ws[0].in_len ||
		    G.seq_cnt[0] != 1 || G.seq_cnt[3] != 1)
			bad++, say("frame parse with chunk %zu: delivered %" PRIu64 " corrupt %" PRIu64 " pings %d",
				   chunks[ci], G.delivered, G.corrupt, G.pings);
	}

	/* a Pusher client: connection_established -> subscribe; deliveries checked once, in order, exact */
	{
		PU.nch = 1;
		PU.cap = 8;
		PU.seen_stride = 1;
		PU.state = xcalloc(1, 1);
		PU.subs = xcalloc(1, sizeof *PU.subs);
		PU.sent = xcalloc(1, sizeof *PU.sent);
		PU.seen = xcalloc(1, 1);
		PU.next = xcalloc(1, sizeof *PU.next);
		PU.got = xcalloc(1, sizeof *PU.got);
		PU.ev_last_ns = xcalloc(8, sizeof *PU.ev_last_ns);
		PU.ev_got = xcalloc(8, sizeof *PU.ev_got);
		PU.sent[0] = 4;
		opt.size = 100;
		char frame[512], d[PU_DATA_MAX + 1];
		uint8_t got[512];
		while (read(sp[1], got, sizeof got) > 0)
			; /* the pongs of the frame test */
		static const char est[] = "{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"1.7\\\","
					  "\\\"activity_timeout\\\":120}\"}";
		pu_message(0, (const uint8_t *)est, sizeof est - 1, 1);
		ssize_t r = read(sp[1], got, sizeof got);
		static const char sub[] = "{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"bench-0\"}}";
		if (PU.state[0] != PU_SUBSCRIBING || r != (ssize_t)(sizeof sub - 1 + 6) || got[0] != 0x81) {
			bad++, say("pusher: no subscribe after connection_established");
		} else {
			for (size_t i = 0; i < sizeof sub - 1; i++)
				got[6 + i] ^= got[2 + (i & 3)];
			if (memcmp(got + 6, sub, sizeof sub - 1))
				bad++, say("pusher: subscribe sent: %.*s", (int)(sizeof sub - 1), got + 6);
		}
		static const char ok[] = "{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"bench-0\","
					 "\"data\":\"{}\"}";
		pu_message(0, (const uint8_t *)ok, sizeof ok - 1, 1);
		if (PU.state[0] != PU_SUBSCRIBED || PU.subs[0] != 1)
			bad++, say("pusher: subscription_succeeded not taken");
		/* seq 0, 2, 1, 1 again, then one on another channel, one with other bytes, one not sent */
		static const struct {
			const char *ch;
			int seq, mangle;
		} in[] = {{"bench-0", 0, 0}, {"bench-0", 2, 0}, {"bench-0", 1, 0}, {"bench-0", 1, 0},
			  {"bench-1", 3, 0}, {"bench-0", 3, 1}, {"bench-0", 5, 0}};
		G.dup = G.misroute = G.corrupt = G.unknown_seq = 0;
		for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
			size_t dl = pu_data(d, 0, (uint32_t)in[i].seq), fl = 0;
			if (in[i].mangle)
				d[dl - 3] = 'y';
			fl = (size_t)snprintf(frame, sizeof frame, "{\"event\":\"bench\",\"channel\":\"%s\",\"data\":\"", in[i].ch);
			for (size_t j = 0; j < dl; j++) {
				if (d[j] == '"')
					frame[fl++] = '\\';
				frame[fl++] = d[j];
			}
			fl += (size_t)snprintf(frame + fl, sizeof frame - fl, "\"}");
			pu_message(0, (const uint8_t *)frame, fl, 1);
		}
		if (PU.deliveries != 3 || PU.got[0] != 3 || PU.reorder != 2 || G.dup != 1 || G.misroute != 1 ||
		    G.corrupt != 1 || G.unknown_seq != 1 || PU.ev_got[0] != 1 || PU.ev_got[3] != 0)
			bad++, say("pusher deliveries: %" PRIu64 " reorder %" PRIu64 " dup %" PRIu64 " misroute %" PRIu64
				   " corrupt %" PRIu64 " unknown %" PRIu64,
				   PU.deliveries, PU.reorder, G.dup, G.misroute, G.corrupt, G.unknown_seq);
	}
	printf("RESULT scenario=selftest status=%s\n", bad ? "FAIL" : "PASS");
	say("selftest %s", bad ? "FAIL" : "PASS");
	return bad != 0;
}
