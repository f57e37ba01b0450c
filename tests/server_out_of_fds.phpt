--TEST--
Out of file descriptors: the listeners rest instead of spinning, say so once per pause, and serve the waiting clients once descriptors free up
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';

/* 64 descriptors: PHP, libev, libwebsockets and the two listeners take some, clients the rest */
$srv = push_server_start([], '', 10.0, 'ulimit -n 64; ');
$pid = push_status($srv)['pid'];
$open = [];
for ($i = 0; $i < 80; $i++) {
	$s = @stream_socket_client("tcp://127.0.0.1:{$srv->ws}", $errno, $errstr, 2);
	if ($s) {
		$open[] = $s;
	}
}
echo "connected at TCP level: ", count($open), "\n";     /* the kernel's backlog takes them all */
usleep(300000);
$cpu0 = push_cpu_seconds($pid);
usleep(1000000);
$busy = push_cpu_seconds($pid) - $cpu0;
echo "server CPU while out of descriptors: ", $busy < 0.3 ? "resting" : "$busy s", "\n";

/* free descriptors: the clients accepted so far leave, and the ones in the backlog get served */
foreach (array_slice($open, 0, 40) as $s) {
	fclose($s);
}
$late = TestWsClient::connect("ws://127.0.0.1:{$srv->ws}/", [], 5.0);
$late->send('late');
echo "a client after the pause: ",
	push_wait(fn() => push_text($srv, '{"uid":"late","msg":"hi"}') === 'ok') ? 'served' : 'not served', "\n";
var_dump($late->recv());
foreach (array_slice($open, 40) as $s) {
	fclose($s);
}
push_server_stop($srv);
$log = $srv->drainOutput();
$n = substr_count($log, 'out of file descriptors');
echo "logged: ", $n >= 1 && $n <= 30 ? "a line per pause" : "$n lines", "\n";
?>
--EXPECT--
connected at TCP level: 80
server CPU while out of descriptors: resting
a client after the pause: served
string(2) "hi"
logged: a line per pause
