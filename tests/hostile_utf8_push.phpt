--TEST--
Hostile: pushes that are not UTF-8 are refused (Text error, HTTP 400, Push\Client); close reasons are sanitised
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';
$srv = push_server_start(['api_secret' => 'api', 'history' => ['size' => 10, 'ttl' => 60]], <<<'PHP'
$server->onMessage(function ($c, $data) use ($server) {
	if ($data === 'kick me') {
		$server->kickUid($c->uid, "bye \xff\xfe " . str_repeat('é', 70));
	} elseif ($data === 'close me') {
		$c->close(4000, "so\xc3\x28long");
	}
});
PHP);
$u = ws_bind($srv, 'u', '/?seq=1');
push_wait(fn() => push_status($srv)['uids'] === 1);
$lines = [
	'raw bytes' => "{\"uid\":\"u\",\"msg\":\"a\xff\xfe\"}",
	'inside an object' => "{\"uid\":\"u\",\"msg\":{\"k\":\"\xc3\x28\"}}",
	'recipe form' => "{\"uid\":\"u\",\"percent\":\"\xe2\x82\"}",
	'send command' => "{\"cmd\":\"send\",\"uid\":\"u\",\"msg\":\"\xc0\xaf\"}",
	'broadcast' => "{\"cmd\":\"broadcast\",\"msg\":\"\xff\"}",
	'group send' => "{\"cmd\":\"sendToGroup\",\"group\":\"g\",\"msg\":\"\xff\"}",
];
foreach ($lines as $what => $l) {
	$a = push_text($srv, $l);
	$refused = str_starts_with($a, 'error:') || str_starts_with($a, '{"ok":false');
	echo str_pad($what, 24), $refused ? 'refused' : "accepted ($a)", "\n";
}
$auth = ['Authorization' => 'Bearer api'];
echo str_pad('HTTP push', 24), hostile_http($srv, 'POST', '/api/push', "{\"uid\":\"u\",\"msg\":\"\xff\"}", $auth)[0], "\n";
echo str_pad('HTTP broadcast', 24), hostile_http($srv, 'POST', '/api/broadcast', "{\"msg\":\"\xff\"}", $auth)[0], "\n";
$client = new Push\RemoteServer($srv->textAddress());
try {
	$client->send('u', "bad \xff");
	echo "Push\\Client: accepted\n";
} catch (ValueError | Push\Exception $e) {
	echo "Push\\Client: refused\n";
}
echo "received: ", count($u->drain(0.3)), "\n";
/* an escaped lone surrogate is either refused or arrives as U+FFFD: what arrives is UTF-8 */
push_text($srv, '{"uid":"u","msg":"\ud800"}');
echo "escaped lone surrogate: ", count(array_filter($u->drain(0.3), fn($m) => !hostile_utf8($m))), " not UTF-8\n";
/* nothing of it was kept for replay either */
$back = TestWsClient::connect($srv->wsUrl('/?last=' . urlencode('x-0')));
$back->send('u');
$all = $back->drain(0.3);
echo "replayed: ", count(array_filter($all, fn($m) => !hostile_utf8($m))), " not UTF-8\n";
echo "valid push: ", push_text($srv, '{"uid":"u","msg":"fine ü"}'), " ", explode('|', (string)$u->recv(), 2)[1] ?? '', "\n";

/* kick and close reasons: refused when not UTF-8 on the Text port and the HTTP API... */
$k1 = ws_bind($srv, 'k1');
push_wait(fn() => push_status($srv)['uids'] === 2);
$a = push_text($srv, "{\"cmd\":\"kick\",\"uid\":\"k1\",\"reason\":\"bye \xff\xfe now\"}");
echo "Text kick: ", str_starts_with($a, 'error:') || (json_decode($a, true)['ok'] ?? null) === false ? 'refused' : "done ($a)", "\n";
echo "HTTP kick: ", hostile_http($srv, 'POST', '/api/kick', "{\"uid\":\"k1\",\"reason\":\"\xe2\x82\"}", $auth)[0], "\n";
/* ...and made UTF-8 (and short enough for a close frame) when they come from PHP */
$k1->send('kick me');
$code = $k1->waitClose(2);
echo "kickUid: $code ", hostile_utf8($k1->closeReason) ? "UTF-8 reason" : "reason not UTF-8 (" . bin2hex($k1->closeReason) . ")",
	strlen($k1->closeReason) <= 123 ? '' : ' too long', "\n";
$k2 = ws_bind($srv, 'k2');
push_wait(fn() => push_status($srv)['uids'] === 2);
$k2->send('close me');
$code = $k2->waitClose(2);
echo "Connection::close: $code ", hostile_utf8($k2->closeReason) ? "UTF-8 reason" : "reason not UTF-8", "\n";
?>
--EXPECT--
raw bytes               refused
inside an object        refused
recipe form             refused
send command            refused
broadcast               refused
group send              refused
HTTP push               400
HTTP broadcast          400
Push\Client: refused
received: 0
escaped lone surrogate: 0 not UTF-8
replayed: 0 not UTF-8
valid push: ok fine ü
Text kick: refused
HTTP kick: 400
kickUid: 4009 UTF-8 reason
Connection::close: 4000 UTF-8 reason
