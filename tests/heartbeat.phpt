--TEST--
Heartbeat: a connection that does not answer pings is closed and leaves its uid; one that answers stays
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start(['ping_interval' => 0.3, 'ping_timeout' => 0.3]);
$alive = ws_bind($srv, 'alive');
$zombie = ws_bind($srv, 'zombie');
$zombie->autoPong = false;
push_wait(fn() => push_status($srv)['uids'] === 2);
$deadline = microtime(true) + 2.0;
while (microtime(true) < $deadline) {
	$alive->recv(0.05);            // answers pings
	$zombie->frameIn(0.05);        // reads, never answers
}
$st = push_status($srv);
echo "uids {$st['uids']} heartbeat_timeouts {$st['heartbeat_timeouts']}\n";
echo "pings answered: ", $alive->pings > 2 ? "several" : $alive->pings, "\n";
echo push_text($srv, '{"uid":"zombie","msg":"x"}'), ' ', push_text($srv, '{"uid":"alive","msg":"y"}'), "\n";
var_dump($alive->recv());
?>
--EXPECT--
uids 1 heartbeat_timeouts 1
pings answered: several
fail ok
string(1) "y"
