/*
 * stats.c - routing layer: the server's counters, and the stats object of
 * the "status" command, /api/stats and Push\Server::getStatus() (with the
 * cluster's part in cluster mode).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ev.h>
#include <libwebsockets.h>

#include "cluster.h"
#include "server_int.h"

const push_stats *push_stats_get(push_server *s)
{
	return &s->stats;
}

size_t push_stats_json(push_server *s, char *buf, size_t cap)
{
	const push_stats *st = &s->stats;
	int64_t up = (int64_t)time(NULL) - st->started_ms / 1000;
	long pages = 0, rss = 0;
	FILE *fp = fopen("/proc/self/statm", "r");
	int n;

	if (fp) {
		if (fscanf(fp, "%ld %ld", &pages, &rss) != 2) {
			rss = 0;
		}
		fclose(fp);
	}

	n = snprintf(buf, cap,
		"{\"ok\":true,\"pid\":%d,\"uptime\":%lld,\"connections\":%llu,\"bound_connections\":%llu,"
		"\"uids\":%llu,\"text_connections\":%llu,\"text_connections_total\":%llu,\"connections_total\":%llu,\"pushes\":%llu,"
		"\"delivered\":%llu,\"bytes_out\":%llu,\"messages_in\":%llu,\"text_lines\":%llu,"
		"\"text_errors\":%llu,\"queued_bytes\":%llu,\"slow_disconnects\":%llu,"
		"\"heartbeat_timeouts\":%llu,\"refused\":{\"max_connections\":%llu,\"origin\":%llu,"
		"\"auth\":%llu,\"auth_timeout\":%llu,\"message_too_big\":%llu,\"push_too_big\":%llu,"
		"\"line_too_long\":%llu,\"text_auth\":%llu,\"text_auth_timeout\":%llu,\"text_connections\":%llu,\"handshake_timeout\":%llu,\"handshakes_per_address\":%llu,"
		"\"header_pool\":%llu,\"connections_per_address\":%llu,\"message_timeout\":%llu,"
		"\"input_per_address\":%llu,\"input_total\":%llu},\"input_bytes\":%llu,"
		"\"ws_port\":%d,\"text_port\":%d,\"memory_rss\":%lld,\"groups\":%llu,"
		"\"history_messages\":%llu,\"history_bytes\":%llu,\"replayed\":%llu,\"replay_gaps\":%llu,"
		"\"pusher\":{\"connections\":%llu,\"channels\":%llu,\"client_events\":%llu,\"auth_failures\":%llu,"
		"\"channels_refused\":{\"connection\":%llu,\"address\":%llu,\"app\":%llu,\"node\":%llu},"
		"\"webhooks\":{\"sent\":%llu,\"failed\":%llu,\"dropped\":%llu,\"dropped_channel\":%llu,"
		"\"debounced\":%llu,\"rate_limited\":%llu}}}",
		(int)getpid(), (long long)up, (unsigned long long)st->ws_conns, (unsigned long long)st->bound_conns,
		(unsigned long long)st->uids, (unsigned long long)st->text_conns, (unsigned long long)st->text_conns_total,
		(unsigned long long)st->conns_total, (unsigned long long)st->pushes,
		(unsigned long long)st->delivered, (unsigned long long)st->bytes_out,
		(unsigned long long)st->msgs_in, (unsigned long long)st->text_lines,
		(unsigned long long)st->text_errors, (unsigned long long)st->queued_bytes,
		(unsigned long long)st->slow_disconnects, (unsigned long long)st->heartbeat_timeouts,
		(unsigned long long)st->refused_max_conns, (unsigned long long)st->refused_origin,
		(unsigned long long)st->refused_auth, (unsigned long long)st->refused_auth_timeout,
		(unsigned long long)st->refused_too_big, (unsigned long long)st->refused_msg_out,
		(unsigned long long)st->refused_line, (unsigned long long)st->refused_text_auth,
		(unsigned long long)st->refused_text_auth_timeout, (unsigned long long)st->refused_text_conns,
		(unsigned long long)st->refused_hs_timeout, (unsigned long long)st->refused_hs_per_addr,
		(unsigned long long)st->refused_hs_evicted, (unsigned long long)st->refused_conns_per_addr,
		(unsigned long long)st->refused_msg_timeout, (unsigned long long)st->refused_input_addr,
		(unsigned long long)st->refused_input_total, (unsigned long long)st->input_bytes,
		s->ws_port, s->text_port, (long long)rss * sysconf(_SC_PAGESIZE), (unsigned long long)s->groups.count,
		(unsigned long long)s->hist_count, (unsigned long long)s->hist_bytes,
		(unsigned long long)st->replayed, (unsigned long long)st->replay_gaps,
		(unsigned long long)st->pusher_conns, (unsigned long long)st->pusher_channels,
		(unsigned long long)st->pusher_client_events, (unsigned long long)st->pusher_auth_failures,
		(unsigned long long)st->pusher_refused_conn, (unsigned long long)st->pusher_refused_addr,
		(unsigned long long)st->pusher_refused_app, (unsigned long long)st->pusher_refused_node,
		(unsigned long long)st->webhooks_sent, (unsigned long long)st->webhooks_failed,
		(unsigned long long)st->webhooks_dropped, (unsigned long long)st->webhooks_dropped_channel,
		(unsigned long long)st->webhooks_debounced, (unsigned long long)st->webhooks_rate_limited);
	if (n < 0) {
		return 0;
	}
	if ((size_t)n >= cap) {
		return cap - 1;
	}
	if (s->cluster && n > 0 && buf[n - 1] == '}') {
		/* ,"cluster":{...} goes inside the object */
		size_t m = push_cluster_stats_json(s->cluster, buf + n - 1, cap - (size_t)n);

		if (m) {
			n += (int)m - 1;
			if ((size_t)n + 2 <= cap) {
				buf[n++] = '}';
				buf[n] = '\0';
			}
		}
	}
	return (size_t)n < cap ? (size_t)n : cap - 1;
}
