--TEST--
Hostile: memory stays bounded: Text junk before authentication, oversized first WebSocket messages, 100,000 empty pushes to offline uids with history
--EXTENSIONS--
push
--SKIPIF--
<?php if (getenv('USE_ZEND_ALLOC') === '0') die('skip the sanitizer allocator keeps freed memory by design'); ?>
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';
$mib = fn(int $b) => sprintf('%.1f MiB', $b / 1048576);

/* 200 Text connections, each 64 KiB without a newline, before the secret */
$srv = push_server_start(['text_secret' => 's3cret']);
push_text($srv, '{"auth":"s3cret"}');
$rss0 = hostile_rss($srv);
$junk = [];
for ($i = 0; $i < 200; $i++) {
	$junk[$i] = hostile_connect($srv->text);
	@fwrite($junk[$i], '{"auth":"' . str_repeat('x', 65536));
}
hostile_closed_all($junk, 3.0);
$grown = hostile_rss($srv) - $rss0;
echo "Text junk: ", $grown < 4 << 20 ? "under 4 MiB" : $mib($grown), "\n";
foreach ($junk as $s) {
	fclose($s);
}

/* 300 WebSockets, each most of a 60 KiB first message */
$srv2 = push_server_start(['auth_timeout' => 5]);
TestWsClient::connect($srv2->wsUrl())->send('warm');
$rss0 = hostile_rss($srv2);
$many = [];
for ($i = 0; $i < 300; $i++) {
	$m = TestWsClient::connect($srv2->wsUrl());
	@fwrite($m->sock, substr(TestWsClient::frame(str_repeat('x', 61440)), 0, 61000));
	$many[] = $m;
}
$grown = hostile_rss($srv2) - $rss0;
echo "first messages: ", $grown < 6 << 20 ? "under 6 MiB" : $mib($grown), "\n";
foreach ($many as $m) {
	fclose($m->sock);
}

/* history: 100,000 empty messages to distinct offline uids, bytes = 1 MiB */
$limit = 1 << 20;
$srv3 = push_server_start(['history' => ['size' => 100, 'ttl' => 300, 'bytes' => $limit]]);
$c = hostile_connect($srv3->text, '127.0.0.1', true);
hostile_text_rt($c, '{"uid":"warm","msg":"x"}');
$rss0 = hostile_rss($srv3);
for ($i = 0; $i < 100000; $i += 2000) {
	$buf = '';
	for ($j = $i; $j < $i + 2000; $j++) {
		$buf .= "{\"uid\":\"offline-$j\",\"msg\":\"\"}\n";
	}
	fwrite($c, $buf);
	for ($j = 0; $j < 2000; $j++) {
		fgets($c);
	}
}
$grown = hostile_rss($srv3) - $rss0;
echo "history: ", $grown < $limit + (4 << 20) ? "within bytes + 4 MiB" : $mib($grown), "\n";
?>
--EXPECT--
Text junk: under 4 MiB
first messages: under 6 MiB
history: within bytes + 4 MiB
