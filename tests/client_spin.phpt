--TEST--
Push\Client: push.client_spin waits awake for an answer, then sleeps; timeouts, late answers and closes are unchanged
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
var_dump(ini_get('push.client_spin'));

/* against the server: every spin setting delivers the same messages, in order */
$srv = push_server_start();
$ws = ws_bind($srv, 'u');
foreach (['0', '100', '5000'] as $spin) {
	ini_set('push.client_spin', $spin);
	$c = new Push\RemoteServer($srv->textAddress(), ['persistent' => false]);
	$ok = 0;
	for ($i = 0; $i < 50; $i++) {
		$ok += $c->send('u', "s$spin-$i");
	}
	$got = $ws->drain(0.3);
	echo "spin $spin: ok $ok, received ", count($got), ", in order ",
		$got === array_map(fn($i) => "s$spin-$i", range(0, 49)) ? 'yes' : 'no', "\n";
	$c->close();
}
push_server_stop($srv);

/* a peer that answers each line 50 ms late: longer than the spin, the answer still arrives */
$code = <<<'PEER'
$l = stream_socket_server('tcp://127.0.0.1:0');
echo stream_socket_get_name($l, false), "\n";
$c = stream_socket_accept($l, 10);
while (($line = fgets($c)) !== false) {
	if (str_contains($line, '"close"')) { fclose($c); $c = stream_socket_accept($l, 10); continue; }
	usleep(50000);
	fwrite($c, "ok\n");
}
PEER;
$peer = proc_open([PHP_BINARY, '-r', $code], [1 => ['pipe', 'w']], $pipes);
$addr = 'tcp://' . trim(fgets($pipes[1]));
ini_set('push.client_spin', '1000');
$c = new Push\RemoteServer($addr, ['persistent' => false, 'timeout' => 2]);
$t = microtime(true);
var_dump($c->send('u', 'late'));
$dt = microtime(true) - $t;
echo "late answer waited for: ", $dt >= 0.045 && $dt < 1.5 ? 'yes' : $dt, "\n";

/* the peer closes instead of answering: the spin ends there, not after its 3 s */
ini_set('push.client_spin', '3000000');
$t = microtime(true);
try {
	$c->send('close', 'x');
	echo "no error\n";
} catch (Push\ConnectionException $e) {
	echo "closed: ", str_contains($e->getMessage(), 'closed') ? 'yes' : $e->getMessage(), "\n";
}
$dt = microtime(true) - $t;
echo "ended at the close: ", $dt < 1.5 ? 'yes' : $dt, "\n";

/* a spin longer than the timeout ends at the timeout */
ini_set('push.client_spin', '3000000');
$c2 = new Push\RemoteServer($addr, ['persistent' => false, 'timeout' => 0.01]);
$t = microtime(true);
try {
	$c2->send('u', 'x');
	echo "no timeout\n";
} catch (Push\ConnectionException $e) {
	echo "timeout: ", str_contains($e->getMessage(), 'timed out') ? 'yes' : $e->getMessage(), "\n";
}
$dt = microtime(true) - $t;
echo "ended before the spin: ", $dt < 2.5 ? 'yes' : $dt, "\n";
proc_terminate($peer);
proc_close($peer);
?>
--EXPECT--
string(3) "100"
spin 0: ok 50, received 50, in order yes
spin 100: ok 50, received 50, in order yes
spin 5000: ok 50, received 50, in order yes
bool(true)
late answer waited for: yes
closed: yes
ended at the close: yes
timeout: yes
ended before the spin: yes
