--TEST--
Memory: once thousands of clients left, the server gives its heap back (RSS near where it started)
--EXTENSIONS--
push
--SKIPIF--
<?php if (getenv('USE_ZEND_ALLOC') === '0') die('skip the sanitizer allocator keeps freed memory by design'); ?>
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
/* 3,000 clients from one address: no per-address cap */
$srv = push_server_start(['max_connections_per_address' => 0]);
$rss = fn() => push_status($srv)['memory_rss'];
$base = $rss();
$n = 3000;
$clients = [];
for ($i = 0; $i < $n; $i++) {
	$c = TestWsClient::connect("ws://127.0.0.1:{$srv->ws}/");
	$c->send("u$i");
	$clients[] = $c;
}
push_wait(fn() => push_status($srv)['uids'] === $n, 20);
/* one push to each, so that send buffers were in use too */
$t = stream_socket_client($srv->textAddress());
$lines = '';
for ($i = 0; $i < $n; $i++) {
	$lines .= json_encode(['uid' => "u$i", 'msg' => str_repeat('m', 100)]) . "\n";
}
fwrite($t, $lines);
$ok = 0;
while ($ok < $n && ($a = fgets($t)) !== false) {
	$ok += trim($a) === 'ok';
}
$peak = $rss();
echo "bound $n, pushed $ok, grew by more than 1 KB per client: ", $peak - $base > $n * 1024 ? 'yes' : ($peak - $base), "\n";
foreach ($clients as $c) {
	fclose($c->sock);
}
$clients = [];
push_wait(fn() => push_status($srv)['connections'] === 0, 20);
usleep(700000);   /* the sweep (every 0.25 s) trims the heap */
$left = $rss() - $base;
echo "kept after all left: ", $left < ($peak - $base) / 3 ? 'under a third of the growth' : "$left of " . ($peak - $base), "\n";
fclose($t);
push_server_stop($srv);
?>
--EXPECT--
bound 3000, pushed 3000, grew by more than 1 KB per client: yes
kept after all left: under a third of the growth
