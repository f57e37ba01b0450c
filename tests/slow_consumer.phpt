--TEST--
Slow consumers: 100 clients that never read are dropped (4008) at their queue limit; memory stays bounded; readers lose nothing
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$queue = 256 * 1024;
$srv = push_server_start(['send_queue' => $queue, 'max_message_out' => 128 * 1024]);
$sleepers = [];
for ($i = 0; $i < 100; $i++) {
	$sleepers[] = ws_bind($srv, "sleeper$i");
}
$reader = ws_bind($srv, 'reader');
push_wait(fn() => push_status($srv)['uids'] === 101);
$base = push_status($srv)['memory_rss'];

// 64 broadcasts of 64 KiB: 4 MiB to each sleeper, far over its queue limit
$payload = str_repeat('p', 64 * 1024);
$t = stream_socket_client($srv->textAddress());
$received = 0;
$counts = [];
for ($i = 0; $i < 64; $i++) {
	fwrite($t, json_encode(['cmd' => 'broadcast', 'msg' => $i . ':' . $payload]) . "\n");
	$counts[] = json_decode(fgets($t), true)['count'];
	while (($m = $reader->recv(0.001)) !== null) {
		$received++;
	}
}
while ($received < 64 && ($m = $reader->recv(2)) !== null) {
	$received++;
}
// one of them starts reading again: it gets what was on the wire, then the documented close
$sleepers[0]->autoPong = false;
$code = $sleepers[0]->waitClose(5);
push_wait(fn() => push_status($srv)['connections'] === 1, 10);
$st = push_status($srv);
$growth = $st['memory_rss'] - $base;
echo "reader got $received of 64\n";
echo "slow disconnects {$st['slow_disconnects']}\n";
echo "connections left {$st['connections']}\n";
echo "first count {$counts[0]}, last count ", end($counts), "\n";
echo $growth < 100 * 2 * $queue + 16 * 1024 * 1024 ? "memory bounded\n" : "memory grew by $growth\n";
echo "sleeper close code $code\n";
?>
--EXPECT--
reader got 64 of 64
slow disconnects 100
connections left 1
first count 101, last count 1
memory bounded
sleeper close code 4008
