--TEST--
Hostile: a client that never answers pings gets a 4010 close frame, not just a dropped TCP connection
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start(['ping_interval' => 0.3, 'ping_timeout' => 0.3]);
$z = ws_bind($srv, 'zombie');
$z->autoPong = false;
$alive = ws_bind($srv, 'alive');
push_wait(fn() => push_status($srv)['uids'] === 2);
$deadline = microtime(true) + 3.0;
while ($z->closeCode === null && microtime(true) < $deadline) {
	$z->recv(0.05);          // reads everything, answers no ping
	$alive->recv(0.05);      // answers pings
}
echo "zombie: ", $z->closeCode ?? 'still open', " '", $z->closeReason, "' after ", $z->pings > 0 ? "pings" : "no ping", "\n";
echo "alive: ", push_text($srv, '{"uid":"alive","msg":"y"}'), " ", $alive->recv(), "\n";
echo "heartbeat_timeouts: ", push_status($srv)['heartbeat_timeouts'], "\n";
?>
--EXPECT--
zombie: 4010 'no answer to pings' after pings
alive: ok y
heartbeat_timeouts: 1
