<?php
/*
 * The attacks of findings 2, 3 and 7 of the connection-table round at full scale, against a push
 * server this script starts (the tests reproduce each at a smaller scale and assert its bound):
 *   A  3,000 idle recipe sockets from one address (max_connections 3000)
 *   B  the same with Pusher sockets that never send anything
 *   C  64 partial request heads from each of 47 addresses (the header pool)
 *   D  300 Pusher sockets each holding 61 KB of an unfinished message (default limits)
 * Each prints what it held and how 8 probes from other addresses fared.
 *
 *   TEST_PHP_EXTRA_ARGS="-n -d extension=$PWD/modules/push.so" \
 *     php -n -d extension=$PWD/modules/push.so bench/hostile_attacks.php A|B|C|D
 */
require __DIR__ . '/../tests/inc/server.inc';
require __DIR__ . '/../tests/inc/wsclient.inc';
require __DIR__ . '/../tests/inc/hostile.inc';
function probes($srv, $from) {
	$ok = 0; $lat = [];
	foreach ($from as $i => $a) {
		$t0 = microtime(true);
		try {
			$c = hostile_ws($srv, $a, '/', 2.0);
			$c->send("probe$i");
			if (push_wait(fn() => json_decode(push_text($srv, '{"cmd":"isUidOnline","uid":"probe' . $i . '"}'), true)['online'], 2)) {
				$ok++; $lat[] = microtime(true) - $t0;
			}
			fclose($c->sock);
		} catch (Throwable $e) {}
	}
	return sprintf("%d/%d probes ok, max %.3f s", $ok, count($from), $lat ? max($lat) : 0);
}
$pr = ['127.0.0.49', '127.0.0.50', '127.0.0.49', '127.0.0.50', '127.0.0.49', '127.0.0.50', '127.0.0.49', '127.0.0.50'];
$mode = $argv[1];
if ($mode === 'A' || $mode === 'B') {
	$srv = push_server_start(['max_connections' => 3000, 'pusher' => ['apps' => [['id' => 'a', 'key' => 'app-key', 'secret' => 's']]]]);
	$held = []; $n101 = 0; $n503 = 0; $t0 = microtime(true);
	for ($i = 0; $i < 3000; $i++) {
		$s = hostile_connect($srv->ws, '127.0.0.2', true);
		$path = $mode === 'A' ? '/' : '/app/app-key?protocol=7';
		fwrite($s, "GET $path HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
		$held[] = $s;
	}
	foreach ($held as $s) { stream_set_timeout($s, 2); $l = fgets($s); if (str_contains((string)$l, '101')) $n101++; elseif (str_contains((string)$l, '503')) $n503++; }
	printf("%s: 3000 from one address in %.2f s: %d upgraded, %d got 503\n", $mode, microtime(true) - $t0, $n101, $n503);
	sleep(1);
	$st = push_status($srv);
	printf("connections %d, refused per address %d\n", $st['connections'], $st['refused']['connections_per_address']);
	echo probes($srv, $pr), "\n";
} elseif ($mode === 'C') {
	$srv = push_server_start(['max_connections' => 3000]);
	$held = [];
	for ($a = 2; $a <= 48; $a++) for ($i = 0; $i < 64; $i++) { try { $s = hostile_connect($srv->ws, "127.0.0.$a"); fwrite($s, "GET / HTTP/1.1\r\n"); $held[] = $s; } catch (Throwable $e) {} }
	usleep(500000);
	echo "C: ", count($held), " partial heads from 47 addresses; ", probes($srv, $pr), "\n";
	echo "refused header_pool: ", push_status($srv)['refused']['header_pool'], "\n";
} elseif ($mode === 'D') {
	$srv = push_server_start(['pusher' => ['apps' => [['id' => 'a', 'key' => 'app-key', 'secret' => 's']]]]);
	$rss0 = hostile_rss($srv);
	$frame = substr(hostile_frame(str_repeat('x', 65000)), 0, 61000);
	$socks = []; $t0 = microtime(true);
	for ($i = 0; $i < 300; $i++) {
		$c = hostile_ws($srv, '127.0.0.' . (2 + $i % 4), '/app/app-key?protocol=7');
		fwrite($c->sock, $frame);
		$socks[] = $c->sock;
	}
	sleep(1);
	$st = push_status($srv);
	printf("D: 300 Pusher sockets x 61 KB from 4 addresses: held %d bytes, refused input_per_address %d, RSS +%.1f MB\n", $st['input_bytes'], $st['refused']['input_per_address'], (hostile_rss($srv) - $rss0) / 1e6);
	$n = hostile_closed_all($socks, 15);
	$st = push_status($srv);
	printf("after %.1f s: %d/300 closed, held %d, refused message_timeout %d\n", microtime(true) - $t0, $n, $st['input_bytes'], $st['refused']['message_timeout']);
}
