--TEST--
HTTP API: 400 (bad JSON, wrong types, missing fields), 404, 405, 413
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

function show(array $r): void
{
	[$st, $h, $body] = $r;
	echo $st, isset($h['allow']) ? " allow={$h['allow']}" : '', isset($h['connection']) ? " connection={$h['connection']}" : '', " $body\n";
}

$srv = push_server_start(['secret' => 'k', 'plain_uid' => true, 'max_message_out' => 1000], '', 60.0);
$ws = ws_bind($srv, 'alice');
push_wait(fn() => push_status($srv)['uids'] === 1);

echo "-- 404\n";
foreach (['/', '/api', '/api/push/', '/API/push', '/nothing?uid=1', '/api/group/nothing'] as $path) {
	show(api($srv, 'GET', $path));
}
show(api($srv, 'POST', '/nothing', ['uid' => 'alice', 'msg' => 'x']));

echo "-- 405\n";
show(api($srv, 'GET', '/api/push'));
show(api($srv, 'POST', '/api/stats', '{}'));
show(api($srv, 'DELETE', '/api/kick'));
show(api($srv, 'PUT', '/api/push', ['uid' => 'alice', 'msg' => 'x']));
show(api($srv, 'POST', '/healthz', '{}', null));

echo "-- 400: JSON\n";
show(api($srv, 'POST', '/api/push', '{"uid":"alice","msg":'));
show(api($srv, 'POST', '/api/push', '{"uid" "alice"}'));
show(api($srv, 'POST', '/api/push', '["alice","x"]'));
show(api($srv, 'POST', '/api/push', '{"uid":"alice","msg":"x"} {}'));
show(api($srv, 'POST', '/api/push', ''));
show(api($srv, 'POST', '/api/push', '{"uid":"alice","msg":' . str_repeat('[', 100) . str_repeat(']', 100) . '}'));
show(api($srv, 'POST', '/api/push', ' 42 '));

echo "-- 400: fields\n";
foreach ([
	'/api/push' => [['msg' => 'x'], ['uid' => 'alice'], ['uid' => true, 'msg' => 'x'], ['uid' => [], 'msg' => 'x'],
		['uid' => ['alice', 1.5], 'msg' => 'x'], ['uid' => '', 'msg' => 'x']],
	'/api/broadcast' => [['exclude_uids' => ['a']], ['msg' => 'x', 'exclude_uids' => [true]],
		['msg' => 'x', 'exclude_connections' => [0]], ['msg' => 'x', 'exclude_connections' => 'a']],
	'/api/kick' => [['reason' => 'x'], ['uid' => 'alice', 'reason' => 5]],
] as $path => $bodies) {
	foreach ($bodies as $body) {
		echo "$path ", json_encode($body), ': ';
		show(api($srv, 'POST', $path, $body));
	}
}
foreach (['/api/online', '/api/online?uid=', '/api/uids?limit=0', '/api/uids?limit=10001', '/api/uids?limit=x',
		'/api/uids?cursor=-1', '/api/uids?cursor=99999999999999999999'] as $path) {
	echo "$path: ";
	show(api($srv, 'GET', $path));
}

echo "-- 413\n";
show(api($srv, 'POST', '/api/push', ['uid' => 'alice', 'msg' => str_repeat('y', 1001)]));
show(api($srv, 'POST', '/api/broadcast', ['msg' => ['big' => str_repeat('y', 1000)]]));
show(api($srv, 'POST', '/api/push', ['uid' => 'alice', 'msg' => str_repeat('z', 70000)]));
echo "refused push_too_big: ", push_status($srv)['refused']['push_too_big'], "\n";
show(api($srv, 'POST', '/api/push', ['uid' => 'alice', 'msg' => str_repeat('y', 1000)]));

echo "-- nothing was pushed but the last, and the server still answers\n";
var_dump(strlen((string)$ws->recv()), $ws->recv(0.3));
show(api($srv, 'GET', '/healthz', null, null));
?>
--EXPECT--
-- 404
404 {"ok":false,"error":"not found"}
404 {"ok":false,"error":"not found"}
404 {"ok":false,"error":"not found"}
404 {"ok":false,"error":"not found"}
404 {"ok":false,"error":"not found"}
404 {"ok":false,"error":"not found"}
404 connection=close {"ok":false,"error":"not found"}
-- 405
405 allow=POST {"ok":false,"error":"method not allowed: use POST"}
405 allow=GET, HEAD connection=close {"ok":false,"error":"method not allowed: use GET"}
405 allow=POST {"ok":false,"error":"method not allowed: use POST"}
405 allow=POST connection=close {"ok":false,"error":"method not allowed: use POST"}
405 allow=GET, HEAD connection=close {"ok":false,"error":"method not allowed: use GET"}
-- 400: JSON
400 {"ok":false,"error":"invalid JSON: unexpected end of input"}
400 {"ok":false,"error":"invalid JSON: object property name separator ':' expected"}
400 {"ok":false,"error":"request body must be a JSON object"}
400 {"ok":false,"error":"invalid JSON: trailing characters after the object"}
400 connection=close {"ok":false,"error":"empty request body: expected a JSON object"}
400 {"ok":false,"error":"invalid JSON: nesting too deep"}
400 {"ok":false,"error":"request body must be a JSON object"}
-- 400: fields
/api/push {"msg":"x"}: 400 {"ok":false,"error":"missing \"uid\""}
/api/push {"uid":"alice"}: 400 {"ok":false,"error":"missing \"msg\""}
/api/push {"uid":true,"msg":"x"}: 400 {"ok":false,"error":"\"uid\" must be a string, an integer or a list of them"}
/api/push {"uid":[],"msg":"x"}: 400 {"ok":false,"error":"\"uid\" list must not be empty"}
/api/push {"uid":["alice",1.5],"msg":"x"}: 400 {"ok":false,"error":"\"uid\" must be a string, an integer or a list of them"}
/api/push {"uid":"","msg":"x"}: 400 {"ok":false,"error":"\"uid\" must not be empty"}
/api/broadcast {"exclude_uids":["a"]}: 400 {"ok":false,"error":"missing \"msg\""}
/api/broadcast {"msg":"x","exclude_uids":[true]}: 400 {"ok":false,"error":"\"exclude_uids\" must be a list of strings or integers"}
/api/broadcast {"msg":"x","exclude_connections":[0]}: 400 {"ok":false,"error":"\"exclude_connections\" must be a list of connection ids"}
/api/broadcast {"msg":"x","exclude_connections":"a"}: 400 {"ok":false,"error":"\"exclude_connections\" must be a list of connection ids"}
/api/kick {"reason":"x"}: 400 {"ok":false,"error":"missing \"uid\""}
/api/kick {"uid":"alice","reason":5}: 400 {"ok":false,"error":"\"reason\" must be a string"}
/api/online: 400 {"ok":false,"error":"missing query argument \"uid\""}
/api/online?uid=: 400 {"ok":false,"error":"missing query argument \"uid\""}
/api/uids?limit=0: 400 {"ok":false,"error":"query argument \"limit\" must be an integer from 1 to 10000"}
/api/uids?limit=10001: 400 {"ok":false,"error":"query argument \"limit\" must be an integer from 1 to 10000"}
/api/uids?limit=x: 400 {"ok":false,"error":"query argument \"limit\" must be an integer from 1 to 10000"}
/api/uids?cursor=-1: 400 {"ok":false,"error":"query argument \"cursor\" must be an integer from 0 to 18446744073709551615"}
/api/uids?cursor=99999999999999999999: 400 {"ok":false,"error":"query argument \"cursor\" must be an integer from 0 to 18446744073709551615"}
-- 413
413 {"ok":false,"error":"message too large (limit 1000 bytes)"}
413 {"ok":false,"error":"message too large (limit 1000 bytes)"}
413 connection=close {"ok":false,"error":"request body too large (limit 66536 bytes)"}
refused push_too_big: 2
200 {"ok":true,"count":1}
-- nothing was pushed but the last, and the server still answers
int(1000)
NULL
200 ok
