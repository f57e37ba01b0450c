--TEST--
Hostile: on wss:// (frames read by libwebsockets) an unfinished client message has message_timeout too (1008), its bytes are counted, and a frame announcing more than max_message_in gets 1009 at once
--EXTENSIONS--
push
openssl
--SKIPIF--
<?php
if (!is_executable('/usr/bin/openssl')) die('skip openssl command missing');
ob_start();
(new ReflectionExtension('push'))->info();
if (preg_match('/libwebsockets version => (\d+)\.(\d+)/', ob_get_clean(), $m) && ($m[1] > 4 || $m[2] >= 3)) {
	die("skip libwebsockets {$m[1]}.{$m[2]}: message_timeout and the unfinished-input bounds do not yet hold on wss:// there (known gap, docs/LIBWEBSOCKETS.md)");
}
?>
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';
$dir = sys_get_temp_dir() . '/push-wss-input-' . getmypid();
@mkdir($dir);
exec('openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost '
	. '-keyout ' . escapeshellarg("$dir/key.pem") . ' -out ' . escapeshellarg("$dir/cert.pem") . ' 2>/dev/null', $o, $rc);
$srv = push_server_start(['ws' => 'wss://127.0.0.1:0', 'tls_cert' => "$dir/cert.pem", 'tls_key' => "$dir/key.pem",
	'message_timeout' => 1, 'pusher' => ['apps' => [['id' => 'app-id', 'key' => 'app-key', 'secret' => 'app-secret']]]]);

/* A bound recipe socket begins a 60,000-byte message and stops; so does a Pusher socket. */
$r = TestWsClient::connect("wss://127.0.0.1:{$srv->ws}/");
$r->send('tls-user');
$p = TestWsClient::connect("wss://127.0.0.1:{$srv->ws}/app/app-key?protocol=7");
$p->recv(2.0);
push_wait(fn() => push_status($srv)['uids'] >= 2, 3);
$frame = hostile_frame(str_repeat('x', 60000));
fwrite($r->sock, substr($frame, 0, 20000));
fwrite($p->sock, substr($frame, 0, 20000));
push_wait(fn() => push_status($srv)['input_bytes'] > 30000, 2);
echo "held: ", push_status($srv)['input_bytes'] > 30000 ? "counted" : "not counted", "\n";
$t0 = microtime(true);
$code = $r->waitClose(5.0 * push_test_slowdown());
$pcode = $p->waitClose(2.0 * push_test_slowdown());
$dt = microtime(true) - $t0;
echo "recipe socket: ", $code === null ? 'still open' : "closed $code", ", Pusher socket: ", $pcode === null ? 'still open' : "closed $pcode",
	$dt < 4.0 * push_test_slowdown() ? '' : sprintf(' (late: %.2f s)', $dt), "\n";
push_wait(fn() => push_status($srv)['input_bytes'] === 0, 2);
$st = push_status($srv);
echo "refused message_timeout: {$st['refused']['message_timeout']}, held now: {$st['input_bytes']}\n";

/* A frame announcing 2^40 bytes: 1009 with the first bytes of its payload, not after 64 KiB. */
$big = TestWsClient::connect("wss://127.0.0.1:{$srv->ws}/");
$big->send('tls-big');
push_wait(fn() => push_status($srv)['uids'] >= 1, 3);
fwrite($big->sock, substr(hostile_frame('', 1, true, true, 0, 1 << 40), 0, 14) . str_repeat('y', 200));
$t0 = microtime(true);
$code = $big->waitClose(3.0 * push_test_slowdown());
echo "2^40-byte frame: ", $code === null ? 'still open' : "closed $code", microtime(true) - $t0 < 2.0 * push_test_slowdown() ? '' : ' late', "\n";
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
held: counted
recipe socket: closed 1008, Pusher socket: closed 1008
refused message_timeout: 2, held now: 0
2^40-byte frame: closed 1009
