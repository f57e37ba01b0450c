--TEST--
Hostile: before it has a uid, a WebSocket may send only a small first message (about 1 KiB, more with a long max_uid_length); over it: 1009 at once
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';
$srv = push_server_start(['auth_timeout' => 3 * push_test_slowdown()], <<<'PHP'
$server->onMessage(function ($c, $data) { $c->send('got ' . strlen($data)); });
PHP);

/* a frame announcing 60,000 bytes, of which 2,000 arrive: refused without waiting for the rest */
$c = TestWsClient::connect($srv->wsUrl());
$f = TestWsClient::frame(str_repeat('u', 60000));
fwrite($c->sock, substr($f, 0, 2000));
$t0 = microtime(true);
$code = $c->waitClose(2.5);
echo "announced 60000: ", $code, (microtime(true) - $t0) < 1.5 ? " at once" : " late", "\n";

/* a whole 1,500-byte first message, and one in ten 200-byte fragments */
$c = TestWsClient::connect($srv->wsUrl());
$c->send(str_repeat('v', 1500));
echo "1500 bytes: ", $c->waitClose(2.5), "\n";
$c = TestWsClient::connect($srv->wsUrl());
for ($i = 0; $i < 10; $i++) {
	fwrite($c->sock, TestWsClient::frame(str_repeat('w', 200), $i ? 0 : 1, $i === 9));
}
echo "10 fragments of 200: ", $c->waitClose(2.5), "\n";

/* 30 connections each sending most of a 60 KiB first message (hostile_memory.phpt: the server holds none of it) */
$many = [];
for ($i = 0; $i < 30; $i++) {
	$m = TestWsClient::connect($srv->wsUrl());
	@fwrite($m->sock, substr(TestWsClient::frame(str_repeat('x', 61440)), 0, 61000));
	$many[] = $m;
}
$codes = [];
foreach ($many as $m) {
	$k = $m->waitClose(2) ?? 'open';
	$codes[$k] = ($codes[$k] ?? 0) + 1;
}
ksort($codes);
echo "30 big first messages: ", json_encode($codes), "\n";

/* a normal uid binds; once bound, messages up to max_message_in are fine */
$ok = TestWsClient::connect($srv->wsUrl());
$ok->send('normal-uid');
$ok->send(str_repeat('y', 20000));
echo "bound, 20000 bytes: ", $ok->recv(), "\n";
echo "refused message_too_big: ", push_status($srv)['refused']['message_too_big'], "\n";

/* the longest uid allowed binds, plain or as a token */
$srv2 = push_server_start(['max_uid_length' => 256, 'secret' => 'k', 'plain_uid' => true]);
$uid = str_repeat('L', 256);
$long = TestWsClient::connect($srv2->wsUrl());
$long->send($uid);
$tok = TestWsClient::connect($srv2->wsUrl());
$tok->send(Push\Client::token($uid, 3600, 'k'));
push_wait(fn() => push_status($srv2)['bound_connections'] === 2, 2);
echo "256-byte uid, plain and token: ", push_status($srv2)['bound_connections'], " bound\n";
?>
--EXPECT--
announced 60000: 1009 at once
1500 bytes: 1009
10 fragments of 200: 1009
30 big first messages: {"1009":30}
bound, 20000 bytes: got 20000
refused message_too_big: 33
256-byte uid, plain and token: 2 bound
