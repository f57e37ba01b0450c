/*
 * metrics.c - front end: GET /metrics of the HTTP API, the server's counters
 * in Prometheus' text format (version 0.0.4).
 */
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "http_parse.h"
#include "server_int.h"
#include "route.h"
#include "metrics.h"

static void metric(push_buf *b, const char *name, const char *type, const char *help, uint64_t v)
{
	push_buf_printf(hb(b), "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", name, help, name, type, name, (unsigned long long)v);
}

void push_http_metrics(push_server *s, http_answer *a)
{
	const push_stats *st = push_stats_get(s);
	int64_t up = (int64_t)time(NULL) - st->started_ms / 1000;
	const struct {
		const char *reason;    /* label value */
		uint64_t v;            /* counter */
	} refused[] = {
		{ "max_connections", st->refused_max_conns },
		{ "origin", st->refused_origin },
		{ "auth", st->refused_auth },
		{ "auth_timeout", st->refused_auth_timeout },
		{ "message_too_big", st->refused_too_big },
		{ "push_too_big", st->refused_msg_out },
		{ "line_too_long", st->refused_line },
		{ "text_auth", st->refused_text_auth },
		{ "text_auth_timeout", st->refused_text_auth_timeout },
		{ "text_connections", st->refused_text_conns },
		{ "handshake_timeout", st->refused_hs_timeout },
		{ "handshakes_per_address", st->refused_hs_per_addr },
		{ "header_pool", st->refused_hs_evicted },
		{ "connections_per_address", st->refused_conns_per_addr },
		{ "message_timeout", st->refused_msg_timeout },
		{ "input_per_address", st->refused_input_addr },
		{ "input_total", st->refused_input_total },
	};
	push_buf *b = &a->body;
	size_t i;

	push_http_answer_reset(a, 200, METRICS_CT);
	metric(b, "push_connections", "gauge", "Open WebSocket connections.", st->ws_conns);
	metric(b, "push_uids", "gauge", "Distinct uids online.", st->uids);
	metric(b, "push_groups", "gauge", "Groups with at least one member.", push_route_group_total(s));
	metric(b, "push_text_connections", "gauge", "Open Text port connections.", st->text_conns);
	metric(b, "push_input_bytes", "gauge", "Bytes of unfinished client messages held.", st->input_bytes);
	metric(b, "push_messages_delivered_total", "counter", "Messages queued to WebSocket connections.",
			st->delivered);
	metric(b, "push_push_requests_total", "counter", "Push requests handled (Text port and HTTP API).",
			st->pushes);
	metric(b, "push_messages_in_total", "counter", "Messages received from WebSocket clients.", st->msgs_in);
	metric(b, "push_bytes_out_total", "counter", "Payload bytes queued to WebSocket connections.", st->bytes_out);
	push_buf_puts(hb(b), "# HELP push_refused_total Connections, messages and requests refused, by reason.\n"
			"# TYPE push_refused_total counter\n");
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		push_buf_printf(hb(b), "push_refused_total{reason=\"%s\"} %llu\n", refused[i].reason,
				(unsigned long long)refused[i].v);
	}
	metric(b, "push_slow_consumer_disconnects_total", "counter",
			"Connections dropped because their send queue was full.", st->slow_disconnects);
	metric(b, "push_heartbeat_timeouts_total", "counter", "Connections dropped for not answering pings.",
			st->heartbeat_timeouts);
	metric(b, "push_queued_bytes", "gauge", "Bytes waiting in send queues.", st->queued_bytes);
	metric(b, "push_uptime_seconds", "gauge", "Seconds since the server started.", up > 0 ? (uint64_t)up : 0);
	metric(b, "push_connections_total", "counter", "WebSocket connections accepted since the start.",
			st->conns_total);
	metric(b, "push_history_messages", "gauge", "Messages kept for replay.", s->hist_count);
	metric(b, "push_history_bytes", "gauge", "Payload bytes kept for replay.", s->hist_bytes);
	metric(b, "push_replayed_total", "counter", "Kept messages replayed to reconnecting clients.", st->replayed);
	metric(b, "push_replay_gaps_total", "counter", "Resumes told that kept messages were missing.",
			st->replay_gaps);
	if (push_route_cluster_up(s) >= 0) {
		metric(b, "push_cluster_redis_up", "gauge", "1 while this node is connected to the cluster's Redis.",
				(uint64_t)push_route_cluster_up(s));
	}
	if (s->cfg.pusher_napps) {
		metric(b, "push_pusher_connections", "gauge", "Open Pusher protocol connections.", st->pusher_conns);
		metric(b, "push_pusher_channels", "gauge", "Pusher channels with a subscriber on this node.",
				st->pusher_channels);
		metric(b, "push_pusher_client_events_total", "counter", "Pusher client events relayed.",
				st->pusher_client_events);
		metric(b, "push_pusher_auth_failures_total", "counter",
				"Pusher subscriptions and sign-ins refused for their signature.", st->pusher_auth_failures);
		push_buf_printf(hb(b), "# HELP push_pusher_webhooks_total Pusher webhook requests sent and failed, "
				"events dropped unsent.\n# TYPE push_pusher_webhooks_total counter\n"
				"push_pusher_webhooks_total{result=\"sent\"} %llu\n"
				"push_pusher_webhooks_total{result=\"failed\"} %llu\n"
				"push_pusher_webhooks_total{result=\"dropped\"} %llu\n",
				(unsigned long long)st->webhooks_sent, (unsigned long long)st->webhooks_failed,
				(unsigned long long)st->webhooks_dropped);
		push_buf_printf(hb(b), "# HELP push_pusher_webhook_events_total Pusher webhook events not sent: dropped "
				"(queue full; kind channel: channel_occupied/vacated, cache_miss), debounced, rate limited.\n"
				"# TYPE push_pusher_webhook_events_total counter\n"
				"push_pusher_webhook_events_total{result=\"dropped\",kind=\"channel\"} %llu\n"
				"push_pusher_webhook_events_total{result=\"dropped\",kind=\"member\"} %llu\n"
				"push_pusher_webhook_events_total{result=\"debounced\",kind=\"channel\"} %llu\n"
				"push_pusher_webhook_events_total{result=\"rate_limited\",kind=\"channel\"} %llu\n",
				(unsigned long long)st->webhooks_dropped_channel,
				(unsigned long long)(st->webhooks_dropped - st->webhooks_dropped_channel),
				(unsigned long long)st->webhooks_debounced, (unsigned long long)st->webhooks_rate_limited);
		push_buf_printf(hb(b), "# HELP push_pusher_channels_refused_total Pusher subscriptions refused, by the "
				"limit reached.\n# TYPE push_pusher_channels_refused_total counter\n"
				"push_pusher_channels_refused_total{limit=\"connection\"} %llu\n"
				"push_pusher_channels_refused_total{limit=\"address\"} %llu\n"
				"push_pusher_channels_refused_total{limit=\"app\"} %llu\n"
				"push_pusher_channels_refused_total{limit=\"node\"} %llu\n",
				(unsigned long long)st->pusher_refused_conn, (unsigned long long)st->pusher_refused_addr,
				(unsigned long long)st->pusher_refused_app, (unsigned long long)st->pusher_refused_node);
	}
}
