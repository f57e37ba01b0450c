--TEST--
HTTP API: the api_secret option replaces the token secret as Bearer secret; metrics_public opens /metrics
--EXTENSIONS--
push
--SKIPIF--
<?php
try {
	new Push\Server(['api_secret' => 'a', 'metrics_public' => true, 'ws' => 'ws://127.0.0.1:0', 'text' => false]);
} catch (Throwable $e) {
	die('skip the api_secret and metrics_public options are not available');
}
?>
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

echo "-- api_secret with a token secret\n";
$srv = push_server_start(['secret' => 'k', 'api_secret' => 'api-key', 'plain_uid' => true], '', 60.0);
$ws = ws_bind($srv, 'alice');
push_wait(fn() => push_status($srv)['uids'] === 1);
echo api($srv, 'POST', '/api/push', ['uid' => 'alice', 'msg' => 'token secret'], 'k')[0], "\n";
echo api($srv, 'POST', '/api/push', ['uid' => 'alice', 'msg' => 'api secret'], 'api-key')[2], "\n";
var_dump($ws->recv());
echo api($srv, 'GET', '/metrics', null, null)[0], ' ', api($srv, 'GET', '/metrics', null, 'api-key')[0], "\n";

echo "-- api_secret alone, metrics public\n";
$open = push_server_start(['api_secret' => 'api-key', 'metrics_public' => true], '', 60.0);
$ws2 = ws_bind($open, 'bob');
push_wait(fn() => push_status($open)['uids'] === 1);
echo api($open, 'POST', '/api/push', ['uid' => 'bob', 'msg' => 'hi'], 'api-key')[2], "\n";
var_dump($ws2->recv());
[$st, $h, $body] = api($open, 'GET', '/metrics', null, null);
echo "$st ", str_contains($body, "push_uids 1\n") ? 'counts' : 'no count', "\n";
echo api($open, 'GET', '/metrics', null, 'wrong')[0], "\n";
echo api($open, 'GET', '/api/stats', null, null)[0], "\n";
?>
--EXPECT--
-- api_secret with a token secret
401
{"ok":true,"count":1}
string(10) "api secret"
401 200
-- api_secret alone, metrics public
{"ok":true,"count":1}
string(2) "hi"
200 counts
200
401
