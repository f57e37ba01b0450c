--TEST--
Text port: many lines written at once are answered in order, one answer per line
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start();
$ws = [];
for ($i = 0; $i < 5; $i++) {
	$ws[$i] = ws_bind($srv, "u$i");
}
push_wait(fn() => push_status($srv)['uids'] === 5);

$lines = '';
$expect = [];
for ($n = 0; $n < 2000; $n++) {
	$u = $n % 7;                     // u5 and u6 are offline
	$lines .= json_encode(['uid' => "u$u", 'msg' => "m$n"]) . "\n";
	$expect[] = $u < 5 ? 'ok' : 'fail';
	if ($n % 500 === 250) {
		$lines .= "not json\n";
		$expect[] = 'error: invalid JSON';
	}
}
$c = stream_socket_client($srv->textAddress());
fwrite($c, $lines);
$got = [];
while (count($got) < count($expect) && ($l = fgets($c)) !== false) {
	$got[] = rtrim($l, "\n");
}
echo $got === $expect ? "answers in order\n" : "WRONG ORDER\n";

// every client got exactly its messages, in order
$ok = true;
for ($i = 0; $i < 5; $i++) {
	$want = [];
	for ($n = $i; $n < 2000; $n += 7) {
		$want[] = "m$n";
	}
	$have = [];
	while (count($have) < count($want) && ($m = $ws[$i]->recv(2)) !== null) {
		$have[] = $m;
	}
	$ok = $ok && $have === $want && $ws[$i]->recv(0.1) === null;
}
echo $ok ? "deliveries exact\n" : "DELIVERIES WRONG\n";
?>
--EXPECT--
answers in order
deliveries exact
