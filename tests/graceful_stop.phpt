--TEST--
SIGTERM drains what was queued (everything answered ok arrives) and closes with 1001
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start(['send_queue' => 8 * 1024 * 1024]);
$ws = ws_bind($srv, 'u');
push_wait(fn() => push_status($srv)['uids'] === 1);
$t = stream_socket_client($srv->textAddress());
$body = str_repeat('b', 1000);
$lines = '';
for ($i = 0; $i < 3000; $i++) {
	$lines .= json_encode(['uid' => 'u', 'msg' => "$i:$body"]) . "\n";
}
fwrite($t, $lines);
$oks = 0;
while ($oks < 3000 && ($l = fgets($t)) === "ok\n") {
	$oks++;
}
posix_kill_compat($srv->pid, 15);        // the client has read nothing yet
$got = 0;
$inOrder = true;
while (($m = $ws->recv(5)) !== null) {
	$inOrder = $inOrder && (int)$m === $got;
	$got++;
}
echo "ok answers $oks, received $got, in order ", var_export($inOrder, true), ", close ", $ws->closeCode, "\n";
push_wait(fn() => !$srv->running());    // it exits by itself after the drain
echo "exit code ", push_server_stop($srv), "\n";
?>
--EXPECT--
ok answers 3000, received 3000, in order true, close 1001
exit code 0
