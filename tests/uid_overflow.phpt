--TEST--
An integer uid outside 64 bits is refused by the Text port and the HTTP API alike (never clamped to someone else's uid)
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';

function api(PushTestServer $srv, string $path, string $body): string
{
	$ctx = stream_context_create(['http' => ['method' => 'POST', 'ignore_errors' => true, 'timeout' => 5,
		'header' => "Authorization: Bearer k\r\nContent-Type: application/json", 'content' => $body]]);
	$resp = @file_get_contents("http://127.0.0.1:{$srv->ws}$path", false, $ctx);
	preg_match('#^HTTP/\S+ (\d{3})#', $http_response_header[0] ?? '', $m);
	return ($m[1] ?? '?') . ' ' . $resp;
}

$srv = push_server_start(['secret' => 'k', 'plain_uid' => true]);
$max = ws_bind($srv, '18446744073709551615');
$min = ws_bind($srv, '-9223372036854775808');
$other = ws_bind($srv, 'other');
push_wait(fn() => push_status($srv)['uids'] === 3);
$t = stream_socket_client($srv->textAddress());

echo "-- Text port\n";
foreach (['{"uid":99999999999999999999,"msg":"t1"}', '{"uid":-99999999999999999999,"msg":"t2"}',
		'{"cmd":"broadcast","msg":"t3","exclude_uids":[99999999999999999999]}'] as $line) {
	fwrite($t, "$line\n");
	echo trim(fgets($t)), "\n";
}
echo "-- HTTP API\n";
echo api($srv, '/api/push', '{"uid":99999999999999999999,"msg":"h1"}'), "\n";
echo api($srv, '/api/push', '{"uid":["a",-99999999999999999999],"msg":"h2"}'), "\n";
echo api($srv, '/api/broadcast', '{"msg":"h3","exclude_uids":99999999999999999999}'), "\n";
echo "-- a uid at the edge of the range, as a string or an exact integer, still reaches it\n";
echo api($srv, '/api/push', '{"uid":"18446744073709551615","msg":"edge"}'), "\n";
echo api($srv, '/api/push', '{"uid":-9223372036854775808,"msg":"edge2"}'), "\n";
var_dump($max->recv(), $min->recv(), $other->recv(0.3));
push_server_stop($srv);
?>
--EXPECT--
-- Text port
error: "uid" integer out of range: send it as a string
error: "uid" integer out of range: send it as a string
{"ok":false,"error":"\"exclude_uids\" integer out of range: send it as a string"}
-- HTTP API
400 {"ok":false,"error":"\"uid\" integer out of range: send it as a string"}
400 {"ok":false,"error":"\"uid\" integer out of range: send it as a string"}
400 {"ok":false,"error":"\"exclude_uids\" integer out of range: send it as a string"}
-- a uid at the edge of the range, as a string or an exact integer, still reaches it
200 {"ok":true,"count":1}
200 {"ok":true,"count":1}
string(4) "edge"
string(5) "edge2"
NULL
