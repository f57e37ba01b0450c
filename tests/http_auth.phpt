--TEST--
HTTP API: Bearer secret required (401, nothing done), 403 without any secret, /healthz open
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

$srv = push_server_start(['secret' => 'k', 'plain_uid' => true], '', 60.0);
$ws = ws_bind($srv, 'alice');
push_wait(fn() => push_status($srv)['uids'] === 1);

echo "-- refused\n";
$tries = [
	['no header', null, []],
	['wrong secret', 'nope', []],
	['longer secret', 'kk', []],
	['empty secret', '', []],
	['Basic scheme', null, ['Authorization: Basic k']],
	['no scheme', null, ['Authorization: k']],
];
foreach ($tries as [$what, $secret, $headers]) {
	[$st, $h, $b] = api($srv, 'POST', '/api/push', ['uid' => 'alice', 'msg' => "leak: $what"], $secret, $headers);
	echo "$what: $st ", $h['www-authenticate'] ?? '-', " $b\n";
}
foreach (['/api/broadcast' => ['msg' => 'leak'], '/api/kick' => ['uid' => 'alice'],
		'/api/group/join' => ['group' => 'g', 'uid' => 'alice']] as $path => $body) {
	echo $path, ': ', api($srv, 'POST', $path, $body, 'wrong')[0], "\n";
}
foreach (['/api/stats', '/api/online?uid=alice', '/api/uids', '/metrics'] as $path) {
	echo $path, ': ', api($srv, 'GET', $path, null, 'wrong')[0], "\n";
}
/* nothing reached the client, nothing was counted, the uid is in no group */
var_dump($ws->recv(0.5), $ws->closeCode);
$st = push_status($srv);
echo "pushes={$st['pushes']} delivered={$st['delivered']} uids={$st['uids']}\n";
echo api($srv, 'GET', '/api/uid/groups?uid=alice')[2], "\n";

echo "-- accepted\n";
[$st, $h, $b] = api($srv, 'POST', '/api/push', ['uid' => 'alice', 'msg' => 'hello'], 'k');
echo "$st ", $h['content-type'], " $b\n";
var_dump($ws->recv());
echo api($srv, 'POST', '/api/push', ['uid' => 'alice', 'msg' => 'lower'], null, ["Authorization: bearer \t k "])[2], "\n";
var_dump($ws->recv());

echo "-- healthz needs nothing\n";
[$st, $h, $b] = api($srv, 'GET', '/healthz', null, null);
echo "$st {$h['content-type']} $b\n";
echo api($srv, 'GET', '/healthz', null, 'wrong')[0], "\n";

echo "-- no secret at all: API disabled\n";
$open = push_server_start([], '', 60.0);
$ws2 = ws_bind($open, 'bob');
push_wait(fn() => push_status($open)['uids'] === 1);
foreach ([['POST', '/api/push', ['uid' => 'bob', 'msg' => 'leak']], ['GET', '/api/stats', null], ['GET', '/metrics', null]] as [$m, $path, $body]) {
	foreach ([null, 'k'] as $secret) {
		[$st, $h, $b] = api($open, $m, $path, $body, $secret);
		echo "$m $path: $st ", $h['www-authenticate'] ?? '-', " $b\n";
	}
}
var_dump($ws2->recv(0.5));
echo api($open, 'GET', '/healthz', null, null)[2], "\n";
?>
--EXPECT--
-- refused
no header: 401 Bearer {"ok":false,"error":"unauthorized"}
wrong secret: 401 Bearer {"ok":false,"error":"unauthorized"}
longer secret: 401 Bearer {"ok":false,"error":"unauthorized"}
empty secret: 401 Bearer {"ok":false,"error":"unauthorized"}
Basic scheme: 401 Bearer {"ok":false,"error":"unauthorized"}
no scheme: 401 Bearer {"ok":false,"error":"unauthorized"}
/api/broadcast: 401
/api/kick: 401
/api/group/join: 401
/api/stats: 401
/api/online?uid=alice: 401
/api/uids: 401
/metrics: 401
NULL
NULL
pushes=0 delivered=0 uids=1
{"ok":true,"groups":[]}
-- accepted
200 application/json {"ok":true,"count":1}
string(5) "hello"
{"ok":true,"count":1}
string(5) "lower"
-- healthz needs nothing
200 text/plain ok
200
-- no secret at all: API disabled
POST /api/push: 403 - {"ok":false,"error":"HTTP API disabled: set the api_secret option"}
POST /api/push: 403 - {"ok":false,"error":"HTTP API disabled: set the api_secret option"}
GET /api/stats: 403 - {"ok":false,"error":"HTTP API disabled: set the api_secret option"}
GET /api/stats: 403 - {"ok":false,"error":"HTTP API disabled: set the api_secret option"}
GET /metrics: 403 - {"ok":false,"error":"HTTP API disabled: set the api_secret option"}
GET /metrics: 403 - {"ok":false,"error":"HTTP API disabled: set the api_secret option"}
NULL
ok
