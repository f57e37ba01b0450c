--TEST--
HTTP API: /metrics is valid Prometheus text and counts what happened
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';

/* One HTTP request to the API with PHP streams: [status, headers (lower-case names), body]. */
function api(PushTestServer $srv, string $method, string $path, $body = null, ?string $secret = 'k', array $headers = []): array
{
	if ($secret !== null) {
		$headers[] = "Authorization: Bearer $secret";
	}
	$opts = ['method' => $method, 'ignore_errors' => true, 'timeout' => 5];
	if ($body !== null) {
		$headers[] = 'Content-Type: application/json';
		$opts['content'] = is_string($body) ? $body : json_encode($body);
	}
	$opts['header'] = implode("\r\n", $headers);
	$resp = @file_get_contents("http://127.0.0.1:{$srv->ws}$path", false, stream_context_create(['http' => $opts]));
	$lines = $http_response_header ?? [];
	$status = preg_match('#^HTTP/\S+ (\d{3})#', $lines[0] ?? '', $m) ? (int)$m[1] : 0;
	$hdrs = [];
	foreach (array_slice($lines, 1) as $line) {
		[$k, $v] = explode(':', $line, 2) + [1 => ''];
		$hdrs[strtolower($k)] = trim($v);
	}
	return [$status, $hdrs, $resp === false ? '' : $resp];
}

/* Parses text exposition format 0.0.4; returns [samples name{labels} => value, errors]. */
function parse_metrics(string $text): array
{
	$help = $type = $samples = [];
	$errors = [];
	foreach (explode("\n", rtrim($text, "\n")) as $line) {
		if (preg_match('/^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/', $line, $m)) {
			if ($m[1] === 'HELP') {
				$help[$m[2]] = $m[3];
			} else {
				$type[$m[2]] = $m[3];
				if (!in_array($m[3], ['counter', 'gauge'], true)) {
					$errors[] = "bad type: $line";
				}
			}
			continue;
		}
		if (!preg_match('/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.eE+-]+)$/', $line, $m)) {
			$errors[] = "bad line: '$line'";
			continue;
		}
		if (!isset($help[$m[1]], $type[$m[1]])) {
			$errors[] = "no HELP/TYPE before {$m[1]}";
		}
		if (($type[$m[1]] ?? '') === 'counter' && !str_ends_with($m[1], '_total')) {
			$errors[] = "counter without _total: {$m[1]}";
		}
		$samples[$m[1] . $m[2]] = $m[3] + 0;
	}
	return [$samples, $errors];
}

$srv = push_server_start(['secret' => 'k', 'plain_uid' => true, 'max_message_out' => 100], '', 60.0);
$a = ws_bind($srv, 'alice');
$b = ws_bind($srv, 'bob');
push_wait(fn() => push_status($srv)['uids'] === 2);
api($srv, 'POST', '/api/push', ['uid' => 'alice', 'msg' => 'one']);
api($srv, 'POST', '/api/broadcast', ['msg' => 'two']);
push_text($srv, '{"uid":"bob","msg":"three"}');
api($srv, 'POST', '/api/push', ['uid' => 'alice', 'msg' => str_repeat('x', 101)]);
api($srv, 'POST', '/api/group/join', ['group' => 'room', 'uid' => 'bob']);
var_dump(count($a->drain()), count($b->drain()));

[$st, $h, $body] = api($srv, 'GET', '/metrics');
echo "$st {$h['content-type']}\n";
[$m, $errors] = parse_metrics($body);
echo $errors ? implode("\n", $errors) : 'parsed', "\n";
foreach (['push_connections', 'push_uids', 'push_groups', 'push_messages_delivered_total', 'push_push_requests_total',
		'push_connections_total', 'push_bytes_out_total', 'push_queued_bytes', 'push_slow_consumer_disconnects_total',
		'push_heartbeat_timeouts_total', 'push_messages_in_total',
		'push_refused_total{reason="push_too_big"}', 'push_refused_total{reason="max_connections"}'] as $k) {
	echo "$k ", $m[$k] ?? 'missing', "\n";
}
$names = array_unique(array_map(fn($k) => preg_replace('/\{.*/', '', $k), array_keys($m)));
sort($names);
echo implode(' ', $names), "\n";
$reasons = array_map(fn($k) => preg_replace('/^.*reason="([^"]+)".*$/', '$1', $k),
	array_filter(array_keys($m), fn($k) => str_starts_with($k, 'push_refused_total')));
echo implode(',', $reasons), "\n";
var_dump($m['push_uptime_seconds'] >= 0, isset($m['push_text_connections']));

echo "-- closing a connection shows\n";
$b->close();
push_wait(fn() => push_status($srv)['connections'] === 1);
$m = parse_metrics(api($srv, 'GET', '/metrics')[2])[0];
echo $m['push_connections'], ' ', $m['push_uids'], ' ', $m['push_groups'], ' ', $m['push_connections_total'], "\n";

echo "-- needs the secret\n";
[$st, $h, $body] = api($srv, 'GET', '/metrics', null, null);
echo "$st {$h['www-authenticate']} $body\n";
echo api($srv, 'POST', '/metrics', '{}')[0], "\n";
?>
--EXPECT--
int(2)
int(2)
200 text/plain; version=0.0.4
parsed
push_connections 2
push_uids 2
push_groups 1
push_messages_delivered_total 4
push_push_requests_total 3
push_connections_total 2
push_bytes_out_total 14
push_queued_bytes 0
push_slow_consumer_disconnects_total 0
push_heartbeat_timeouts_total 0
push_messages_in_total 2
push_refused_total{reason="push_too_big"} 1
push_refused_total{reason="max_connections"} 0
push_bytes_out_total push_connections push_connections_total push_groups push_heartbeat_timeouts_total push_history_bytes push_history_messages push_input_bytes push_messages_delivered_total push_messages_in_total push_push_requests_total push_queued_bytes push_refused_total push_replay_gaps_total push_replayed_total push_slow_consumer_disconnects_total push_text_connections push_uids push_uptime_seconds
max_connections,origin,auth,auth_timeout,message_too_big,push_too_big,line_too_long,text_auth,text_auth_timeout,text_connections,handshake_timeout,handshakes_per_address,header_pool,connections_per_address,message_timeout,input_per_address,input_total
bool(true)
bool(true)
-- closing a connection shows
1 1 0 2
-- needs the secret
401 Bearer {"ok":false,"error":"unauthorized"}
405
