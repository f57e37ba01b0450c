--TEST--
Hostile: many addresses each holding their share of unfinished request heads cannot fill libwebsockets' header pool for a client of another address; on a quiet server a connect without its head is closed at handshake_timeout
--EXTENSIONS--
push
--SKIPIF--
<?php if (PHP_OS_FAMILY !== 'Linux') die('skip needs 127.0.0.x source addresses'); ?>
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';

/* 1. max_connections 300 sizes the pool at 300 header tables; 6 addresses × 64 unfinished heads
 * (the per-address cap) would hold them all for handshake_timeout. */
$srv = push_server_start(['max_connections' => 300, 'handshake_timeout' => 30, 'metrics_public' => true]);
$heads = [];
for ($a = 20; $a < 26; $a++) {
	for ($i = 0; $i < 64; $i++) {
		$s = hostile_connect($srv->ws, "127.0.0.$a");
		fwrite($s, "GET / HTTP/1.1\r\nHost: x\r\n");
		$heads[] = $s;
	}
	usleep(50000);
}
usleep(300000);
$t0 = microtime(true);
try {
	$c = hostile_ws($srv, '127.0.0.30', '/', 3.0);
	$c->send('fresh');
	$ok = push_wait(fn() => json_decode(push_text($srv, '{"cmd":"isUidOnline","uid":"fresh"}'), true)['online'], 3);
	$dt = microtime(true) - $t0;
	echo "client of another address: ", $ok && $dt < 1.0 * push_test_slowdown() ? "served in time" : sprintf("served late (%.2f s)", $dt), "\n";
} catch (RuntimeException $e) {
	printf("client of another address: not served after %.2f s (%s)\n", microtime(true) - $t0, $e->getMessage());
}
$open = count($heads) - hostile_closed_all($heads, 0.3);
echo "unfinished heads still open: ", $open >= 200 && $open < 384 ? "most, not all" : $open, "\n";
$st = push_status($srv);
echo "refused header_pool: ", ($st['refused']['header_pool'] ?? 0) > 0 ? "counted" : "not counted", "\n";
foreach ($heads as $s) {
	fclose($s);
}

/* 2. A quiet server: a connect that sends nothing is closed at handshake_timeout, not at some later
 * pass of libwebsockets' timers. */
$srv2 = push_server_start(['handshake_timeout' => 1]);
usleep(500000);
$t0 = microtime(true);
$q = hostile_connect($srv2->ws, '127.0.0.31');
$closed = hostile_closed($q, 6.0 * push_test_slowdown());
$dt = microtime(true) - $t0;
echo "idle connect: ", $closed ? ($dt < 3.0 * push_test_slowdown() ? "closed at the deadline" : sprintf("closed late (%.2f s)", $dt)) : "still open after 6 s", "\n";
echo "refused handshake_timeout: ", push_status($srv2)['refused']['handshake_timeout'], "\n";
?>
--EXPECT--
client of another address: served in time
unfinished heads still open: most, not all
refused header_pool: counted
idle connect: closed at the deadline
refused handshake_timeout: 1
