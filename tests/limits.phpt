--TEST--
Limits: auth timeout, max connections, message size in and out, uid length, Origin; each refusal counted
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start(['auth_timeout' => 0.5, 'max_connections' => 3, 'max_message_in' => 100,
	'max_message_out' => 1000, 'max_uid_length' => 8]);

$idle = TestWsClient::connect($srv->wsUrl());        // never says who it is
$t0 = microtime(true);
echo "auth timeout: ", $idle->waitClose(3), ' ', $idle->closeReason, ' ', (microtime(true) - $t0) < 2 ? "in time" : "late", "\n";

$long = TestWsClient::connect($srv->wsUrl());
$long->send('uid-longer-than-8');
echo "long uid: ", $long->waitClose(), "\n";

$a = ws_bind($srv, 'a');
$b = ws_bind($srv, 'b');
$c = ws_bind($srv, 'c');
push_wait(fn() => push_status($srv)['connections'] === 3);
try {
	TestWsClient::connect($srv->wsUrl());
	echo "4th connection accepted\n";
} catch (RuntimeException $e) {
	echo "4th connection refused\n";
}
$c->send(str_repeat('x', 101));
echo "big message: ", $c->waitClose(), "\n";
echo push_text($srv, json_encode(['uid' => 'a', 'msg' => str_repeat('y', 1001)])), "\n";
echo push_text($srv, json_encode(['uid' => 'a', 'msg' => str_repeat('y', 1000)])), "\n";
var_dump(strlen($a->recv()));
$st = push_status($srv);
echo json_encode($st['refused']), "\n";

$srv2 = push_server_start(['origins' => ['https://app.example']]);
try {
	TestWsClient::connect($srv2->wsUrl(), ['Origin' => 'https://evil.example']);
	echo "evil origin accepted\n";
} catch (RuntimeException $e) {
	echo "evil origin refused\n";
}
$ok = TestWsClient::connect($srv2->wsUrl(), ['Origin' => 'https://app.example']);
echo "good origin accepted\n";
echo push_status($srv2)['refused']['origin'], "\n";
?>
--EXPECT--
auth timeout: 4004 authentication timeout in time
long uid: 4005
4th connection refused
big message: 1009
error: message too large (limit 1000 bytes)
ok
int(1000)
{"max_connections":1,"origin":0,"auth":1,"auth_timeout":1,"message_too_big":1,"push_too_big":1,"line_too_long":0,"text_auth":0,"text_auth_timeout":0,"text_connections":0,"handshake_timeout":0,"handshakes_per_address":0,"header_pool":0,"connections_per_address":0,"message_timeout":0,"input_per_address":0,"input_total":0}
evil origin refused
good origin accepted
1
