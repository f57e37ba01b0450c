--TEST--
Hostile: slow and idle request heads cannot starve new clients; handshake_timeout cuts them; a per-address cap on unfinished heads; each refusal counted
--EXTENSIONS--
push
--SKIPIF--
<?php if (PHP_OS_FAMILY !== 'Linux') die('skip needs 127.0.0.2 as a source address'); ?>
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';

/* 1. No cap: 300 slow heads (one byte at a time) and 300 idle connects from other addresses.
 * A new client must still be served at once. */
$srv = push_server_start(['max_handshakes_per_address' => 0, 'auth_timeout' => 5]);
$head = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Pad: " . str_repeat('a', 2000);
$slow = [];
$pos = [];
for ($i = 0; $i < 300; $i++) {
	$slow[$i] = hostile_connect($srv->ws, '127.0.0.2');
	$pos[$i] = 0;
}
$idle = [];
for ($i = 0; $i < 300; $i++) {
	$idle[] = hostile_connect($srv->ws, '127.0.0.3');
}
$drip = function () use (&$slow, &$pos, $head) {
	foreach ($slow as $i => $s) {
		if (@fwrite($s, $head[$pos[$i]]) === 1) {
			$pos[$i]++;
		}
	}
};
for ($round = 0; $round < 3; $round++) {
	$drip();
	usleep(100000);
}
$t0 = microtime(true);
try {
	$fresh = TestWsClient::connect($srv->wsUrl(), [], 3.0);
	$fresh->send('fresh');
	$dt = microtime(true) - $t0;
	echo "fresh client: ", $dt < 1.0 ? "served in time" : sprintf("served late (%.2f s)", $dt), "\n";
} catch (RuntimeException $e) {
	printf("fresh client: not served after %.2f s (%s)\n", microtime(true) - $t0, $e->getMessage());
}
$drip();
$t0 = microtime(true);
[$code, $body] = hostile_http($srv, 'GET', '/healthz', '', [], 3.0);
$dt = microtime(true) - $t0;
echo "healthz: $code ", $dt < 1.0 ? "in time" : sprintf("late (%.2f s)", $dt), "\n";
foreach (array_merge($slow, $idle) as $s) {
	fclose($s);
}

/* 2. handshake_timeout: an idle connect and a head dripping in are both cut at the deadline,
 * however often the drip comes; a finished handshake is not. */
$srv2 = push_server_start(['handshake_timeout' => 0.5, 'auth_timeout' => 5]);
$quiet = hostile_connect($srv2->ws);
$drop = hostile_connect($srv2->ws);
$done = TestWsClient::connect($srv2->wsUrl());
$t0 = microtime(true);
$cut = ['quiet' => null, 'drip' => null];
$p = 0;
while (microtime(true) - $t0 < 3.0 && ($cut['quiet'] === null || $cut['drip'] === null)) {
	if ($cut['drip'] === null) {
		@fwrite($drop, $head[$p++]);
	}
	foreach (['quiet' => $quiet, 'drip' => $drop] as $k => $s) {
		if ($cut[$k] === null && hostile_closed($s, 0.05)) {
			$cut[$k] = microtime(true) - $t0;
		}
	}
}
foreach ($cut as $k => $t) {
	echo "$k head: ", $t === null ? "still open after 3 s" : ($t < 2.0 ? "cut in time" : sprintf("cut late (%.2f s)", $t)), "\n";
}
$done->send('upgraded');
usleep(300000);
echo "upgraded connection: ", json_decode(push_text($srv2, '{"cmd":"isUidOnline","uid":"upgraded"}'), true)['online'] ? "kept" : "cut", "\n";
$st = push_status($srv2);
echo "refused handshake_timeout: ", $st['refused']['handshake_timeout'] ?? 'missing', "\n";

/* 3. The cap: 8 unfinished heads per address; the 9th from that address is closed at once,
 * other addresses are not affected, and upgraded connections do not count. */
$srv3 = push_server_start(['max_handshakes_per_address' => 8]);
$held = [];
for ($i = 0; $i < 8; $i++) {
	$held[] = hostile_connect($srv3->ws, '127.0.0.2');
	fwrite($held[$i], 'GET / HT');
}
usleep(200000);
$ninth = hostile_connect($srv3->ws, '127.0.0.2');
echo "9th from the same address: ", hostile_closed($ninth, 1.0) ? "closed" : "kept", "\n";
$open = 0;
foreach ($held as $s) {
	$open += hostile_closed($s, 0.01) ? 0 : 1;
}
echo "first 8: $open open\n";
$other = hostile_ws($srv3, '127.0.0.3');
$other->send('other');
echo "another address: ", $other->recv(0.3) === null && $other->closeCode === null ? "served" : "refused", "\n";
foreach ($held as $s) {
	fclose($s);
}
usleep(200000);
$up = [];
for ($i = 0; $i < 12; $i++) {
	$up[$i] = hostile_ws($srv3, '127.0.0.2');
	$up[$i]->send("up$i");
}
push_wait(fn() => push_status($srv3)['uids'] === 13, 3);
echo "12 upgraded from one address: ", push_status($srv3)['uids'] - 1, " bound\n";
$st = push_status($srv3);
echo "refused handshakes_per_address: ", $st['refused']['handshakes_per_address'] ?? 'missing', "\n";
$srv4 = push_server_start(['metrics_public' => true, 'max_handshakes_per_address' => 1]);
$a = hostile_connect($srv4->ws, '127.0.0.2');
usleep(100000);
$b = hostile_connect($srv4->ws, '127.0.0.2');
hostile_closed($b, 1.0);
[, $metrics] = hostile_http($srv4, 'GET', '/metrics');
echo preg_match('/^push_refused_total\{reason="handshakes_per_address"\} 1$/m', $metrics) ? "metrics count it" : "metrics do not count it", "\n";
echo preg_match('/^push_refused_total\{reason="handshake_timeout"\} 0$/m', $metrics) ? "metrics have handshake_timeout" : "metrics lack handshake_timeout", "\n";
?>
--EXPECT--
fresh client: served in time
healthz: 200 in time
quiet head: cut in time
drip head: cut in time
upgraded connection: kept
refused handshake_timeout: 2
9th from the same address: closed
first 8: 8 open
another address: served
12 upgraded from one address: 12 bound
refused handshakes_per_address: 1
metrics count it
metrics have handshake_timeout
