--TEST--
Hostile: RFC 6455 framing: unmasked client frames, control frames over 125 bytes and 64-bit lengths with the top bit set get a 1002 close frame, not a bare TCP drop
--EXTENSIONS--
push
--XFAIL--
libwebsockets parses the frames itself: it does not tell push whether a client frame was masked, and it drops connections with oversized control frames or 64-bit lengths with the top bit set without a close frame. Needs push's own frame reader for established connections.
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';
$srv = push_server_start([], <<<'PHP'
$server->onMessage(function ($c, $data) { $c->send('got ' . bin2hex($data)); });
PHP);

/* each case: a fresh connection, bound unless $bind is false, then the bytes; prints the close code
 * the server sent (1006: the TCP connection dropped without a close frame) */
$n = 0;
function check(PushTestServer $srv, string $what, string $bytes, bool $bind = true): void
{
	global $n;
	$c = TestWsClient::connect($srv->wsUrl());
	if ($bind) {
		$c->send('r' . ++$n);
		push_wait(fn() => json_decode(push_text($srv, "{\"cmd\":\"count\",\"uid\":\"r$n\"}"), true)['count'] === 1, 2);
	}
	fwrite($c->sock, $bytes);
	$code = $c->waitClose(2);
	echo str_pad($what, 40), $code ?? 'open', "\n";
}
check($srv, 'unmasked text frame', hostile_frame('hello', 1, true, false));
check($srv, 'unmasked first message', hostile_frame('uid', 1, true, false), false);
check($srv, 'ping of 126 bytes', hostile_frame(str_repeat('p', 126), 9));
check($srv, 'close of 200 bytes', hostile_frame(pack('n', 1000) . str_repeat('c', 198), 8));
check($srv, '64-bit length, top bit set', "\x81\xff\x80\x00\x00\x00\x00\x00\x00\x05" . random_bytes(4) . 'hello');
?>
--EXPECT--
unmasked text frame                     1002
unmasked first message                  1002
ping of 126 bytes                       1002
close of 200 bytes                      1002
64-bit length, top bit set              1002
