--TEST--
wss://: TLS with a self-signed certificate made by the test; plain ws to a TLS port fails; bad key paths fail clearly
--EXTENSIONS--
push
openssl
--SKIPIF--
<?php if (!is_executable('/usr/bin/openssl')) die('skip openssl command missing'); ?>
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$dir = sys_get_temp_dir() . '/push-wss-' . getmypid();
@mkdir($dir);
exec('openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost '
	. '-keyout ' . escapeshellarg("$dir/key.pem") . ' -out ' . escapeshellarg("$dir/cert.pem") . ' 2>/dev/null', $o, $rc);
echo "certificate: ", $rc === 0 ? "made" : "failed", "\n";
$srv = push_server_start(['ws' => 'wss://127.0.0.1:0', 'tls_cert' => "$dir/cert.pem", 'tls_key' => "$dir/key.pem"]);
$c = TestWsClient::connect("wss://127.0.0.1:{$srv->ws}/");
$c->send('secure-user');
push_wait(fn() => push_status($srv)['uids'] === 1);
echo push_text($srv, '{"uid":"secure-user","msg":"over tls"}'), "\n";
var_dump($c->recv());
$big = str_repeat('t', 200000);
echo push_text($srv, json_encode(['uid' => 'secure-user', 'msg' => $big])), "\n";
var_dump($c->recv() === $big);
try {
	$plain = TestWsClient::connect("ws://127.0.0.1:{$srv->ws}/", [], 2);
	echo "plain accepted\n";
} catch (RuntimeException $e) {
	echo "plain refused\n";
}
try {
	(new Push\Server(['ws' => 'wss://127.0.0.1:0', 'text' => false, 'tls_cert' => "$dir/missing.pem", 'tls_key' => "$dir/key.pem"]))->run();
} catch (Push\ServerException $e) {
	echo get_class($e), ": ", $e->getMessage(), "\n";
}
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECTF--
certificate: made
ok
string(8) "over tls"
ok
bool(true)
plain refused
Push\ServerException: cannot read TLS certificate file %s/missing.pem: No such file or directory
