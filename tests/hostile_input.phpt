--TEST--
Hostile input on both ports: garbage, half-open sockets, a vanishing client mid-frame, a port scan and a connect flood; others lose nothing
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start();
$victim = ws_bind($srv, 'victim');
push_wait(fn() => push_status($srv)['uids'] === 1);
mt_srand(7);
$hang = [];

// garbage on the WebSocket port, before and after a handshake
for ($i = 0; $i < 20; $i++) {
	$s = stream_socket_client("tcp://127.0.0.1:{$srv->ws}");
	fwrite($s, random_bytes(mt_rand(1, 3000)));
	$hang[] = $s;
}
$bad = TestWsClient::connect($srv->wsUrl());
fwrite($bad->sock, random_bytes(500));
// half-open: handshake started and never finished; a frame header promising more than is sent
$s = stream_socket_client("tcp://127.0.0.1:{$srv->ws}");
fwrite($s, "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n");
$hang[] = $s;
$mid = TestWsClient::connect($srv->wsUrl());
fwrite($mid->sock, substr(TestWsClient::frame(str_repeat('z', 5000)), 0, 1000));
fclose($mid->sock);
// garbage on the Text port, with and without newlines
for ($i = 0; $i < 20; $i++) {
	$s = stream_socket_client($srv->textAddress());
	fwrite($s, random_bytes(mt_rand(1, 5000)) . ($i % 2 ? "\n" : ''));
	$hang[] = $s;
}
// a port scan: connect and drop, on both ports
for ($i = 0; $i < 200; $i++) {
	fclose(stream_socket_client("tcp://127.0.0.1:" . ($i % 2 ? $srv->ws : $srv->text)));
}
// a connect flood: 500 WebSocket connections opened at once, half bound, all dropped
$flood = [];
for ($i = 0; $i < 500; $i++) {
	$c = TestWsClient::connect($srv->wsUrl());
	if ($i % 2) {
		$c->send("flood$i");
	}
	$flood[] = $c;
}
foreach ($flood as $c) {
	fclose($c->sock);
}
echo push_text($srv, '{"uid":"victim","msg":"still here"}'), "\n";
var_dump($victim->recv());
push_wait(fn() => push_status($srv)['connections'] <= 2, 10);
$st = push_status($srv);
echo "uids {$st['uids']}\n";
echo "server alive: ", var_export($srv->running(), true), "\n";
?>
--EXPECT--
ok
string(10) "still here"
uids 1
server alive: true
