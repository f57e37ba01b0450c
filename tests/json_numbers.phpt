--TEST--
Lines and bodies with numbers json-c reads but JSON has not (NaN, Infinity, leading zeros, "1.", "1e") are refused by the Text port and the HTTP API; JSON numbers pass unchanged
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';
$srv = push_server_start(['api_secret' => 'k']);
$ws = ws_bind($srv, 'u');
push_wait(fn() => push_status($srv)['uids'] === 1);
$c = stream_socket_client($srv->textAddress());
foreach ([
	'{"uid":"u","msg":[NaN]}',
	'{"uid":"u","msg":{"a":Infinity}}',
	'{"uid":"u","msg":[-Infinity]}',
	'{"uid":"u","msg":[-01.5]}',
	'{"uid":"u","msg":[1.]}',
	'{"uid":"u","msg":[0140e]}',
	'{"uid":"u","msg":-0e}',
	'{"uid":0140,"msg":"x"}',
	'{"uid":"u","percent":[NaN]}',
	'{"cmd":"broadcast","msg":[NaN]}',
	'{"uid":"u","msg":["NaN 01.5 1.",0,-0.5e-3,1E+2,10]}',
] as $line) {
	fwrite($c, $line . "\n");
	echo fgets($c);
}
echo $ws->recv(), "\n";
[$code, $body] = hostile_http($srv, 'POST', '/api/push', '{"uid":"u","msg":[01.5]}',
	['Authorization' => 'Bearer k', 'Content-Type' => 'application/json']);
echo $code, "\n", $body, "\n";
?>
--EXPECT--
error: invalid JSON: a number JSON does not allow (NaN, Infinity, a leading zero, 1., 1e)
error: invalid JSON: a number JSON does not allow (NaN, Infinity, a leading zero, 1., 1e)
error: invalid JSON: a number JSON does not allow (NaN, Infinity, a leading zero, 1., 1e)
error: invalid JSON: a number JSON does not allow (NaN, Infinity, a leading zero, 1., 1e)
error: invalid JSON: a number JSON does not allow (NaN, Infinity, a leading zero, 1., 1e)
error: invalid JSON: a number JSON does not allow (NaN, Infinity, a leading zero, 1., 1e)
error: invalid JSON: a number JSON does not allow (NaN, Infinity, a leading zero, 1., 1e)
error: invalid JSON: a number JSON does not allow (NaN, Infinity, a leading zero, 1., 1e)
error: invalid JSON: a number JSON does not allow (NaN, Infinity, a leading zero, 1., 1e)
error: invalid JSON: a number JSON does not allow (NaN, Infinity, a leading zero, 1., 1e)
ok
["NaN 01.5 1.",0,-0.5e-3,1E+2,10]
400
{"ok":false,"error":"invalid JSON: a number JSON does not allow (NaN, Infinity, a leading zero, 1., 1e)"}
