--TEST--
Hostile: RFC 6455 framing: unmasked client frames, control frames over 125 bytes, 64-bit lengths with the top bit set, RSV bits and unknown opcodes get a 1002 close frame, not a bare TCP drop; valid framing (split anywhere, pings inside fragments, frames sent with the request head) still works
--EXTENSIONS--
push
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
check($srv, '64-bit length, top bit set, first message', "\x81\xff\xff\xff\xff\xff\xff\xff\xff\xff" . random_bytes(4), false);
check($srv, 'unmasked ping', hostile_frame('p', 9, true, false));
check($srv, 'unmasked close', hostile_frame(pack('n', 1000), 8, true, false));
check($srv, 'pong of 126 bytes', hostile_frame(str_repeat('p', 126), 10));
check($srv, 'fragmented close', hostile_frame(pack('n', 1000), 8, false));
check($srv, 'RSV2', hostile_frame('hi', 1, true, true, 2));
check($srv, 'RSV3 on a continuation', hostile_frame('a', 1, false) . hostile_frame('b', 0, true, true, 1));
foreach ([4, 7, 11, 15] as $op) {
	check($srv, "opcode $op", hostile_frame('x', $op));
}
check($srv, 'bad header after a good frame', hostile_frame('fine') . hostile_frame('bad', 1, true, false));

/* what is allowed still works, however the bytes are cut */
$c = ws_bind($srv, 'ok1');
$all = hostile_frame('a', 1, false) . hostile_frame(str_repeat('q', 125), 9) . hostile_frame('b', 0, false)
	. hostile_frame('', 10) . hostile_frame('c', 0) . hostile_frame(str_repeat('z', 20000), 2);
foreach (str_split($all, 3) as $i => $piece) {
	fwrite($c->sock, $piece);
	if ($i % 50 === 0) {
		usleep(2000);
	}
}
$f = $c->frameIn(2);
echo "ping inside a fragmented message: ", $f[0] === 10 && $f[1] === str_repeat('q', 125) ? 'pong' : 'no pong', "\n";
echo "fragmented message: ", $c->recv(2), "\n";
echo "20000 bytes, 3 at a time: ", $c->recv(5) === 'got ' . bin2hex(str_repeat('z', 20000)) ? 'ok' : 'wrong', "\n";
fwrite($c->sock, hostile_frame(''));
echo "empty message: ", var_export($c->recv(2), true), "\n";
fwrite($c->sock, hostile_frame(pack('n', 4000) . 'bye', 8));
echo "client close echoed: ", $c->waitClose(2), "\n";

/* a client that sends its first frames with the request head, before the 101 (RFC 6455 4.1 forbids
 * it, browsers never do it): they are read as before, and the connection works */
$s = hostile_connect($srv->ws, '127.0.0.1', true);
fwrite($s, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	. 'Sec-WebSocket-Key: ' . base64_encode(random_bytes(16)) . "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	. hostile_frame('early') . hostile_frame('hello'));
$head = '';
while (!str_contains($head, "\r\n\r\n") && ($ch = fgetc($s)) !== false) {
	$head .= $ch;
}
$c = new TestWsClient();
$c->sock = $s;
echo "frames with the head: ", $c->recv(2), "\n";
fwrite($s, hostile_frame('later'));
echo "and after: ", $c->recv(2), "\n";

/* the same after an HTTP request on the connection (keep-alive): the upgrade's head is not the first */
$s = hostile_connect($srv->ws, '127.0.0.1', true);
fwrite($s, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
$head = '';
while (!str_contains($head, "\r\n\r\n") && ($ch = fgetc($s)) !== false) {
	$head .= $ch;
}
preg_match('/content-length: *(\d+)/i', $head, $m);
fread($s, (int)($m[1] ?? 0));
fwrite($s, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	. 'Sec-WebSocket-Key: ' . base64_encode(random_bytes(16)) . "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	. hostile_frame('early') . hostile_frame('hello'));
$head = '';
while (!str_contains($head, "\r\n\r\n") && ($ch = fgetc($s)) !== false) {
	$head .= $ch;
}
$c = new TestWsClient();
$c->sock = $s;
echo "after keep-alive HTTP, frames with the head: ", $c->recv(2), "\n";

/* a client that sends its close frame (or a bad frame) and at once the end of its stream still
 * gets the close frame back (RFC 6455 5.5.1), every time */
$echoed = $failed = 0;
for ($i = 0; $i < 15; $i++) {
	$c = ws_bind($srv, "fin$i");
	push_wait(fn() => json_decode(push_text($srv, "{\"cmd\":\"count\",\"uid\":\"fin$i\"}"), true)['count'] === 1, 2);
	fwrite($c->sock, hostile_frame(pack('n', 1000), 8));
	stream_socket_shutdown($c->sock, STREAM_SHUT_WR);
	$echoed += $c->waitClose(2) === 1000;
	$c = ws_bind($srv, "bad$i");
	push_wait(fn() => json_decode(push_text($srv, "{\"cmd\":\"count\",\"uid\":\"bad$i\"}"), true)['count'] === 1, 2);
	fwrite($c->sock, hostile_frame('x', 1, true, false));
	stream_socket_shutdown($c->sock, STREAM_SHUT_WR);
	$failed += $c->waitClose(2) === 1002;
}
echo "close then FIN: $echoed of 15 echoed; unmasked then FIN: $failed of 15 got 1002\n";
echo "server alive: ", var_export($srv->running(), true), "\n";
?>
--EXPECT--
unmasked text frame                     1002
unmasked first message                  1002
ping of 126 bytes                       1002
close of 200 bytes                      1002
64-bit length, top bit set              1002
64-bit length, top bit set, first message1002
unmasked ping                           1002
unmasked close                          1002
pong of 126 bytes                       1002
fragmented close                        1002
RSV2                                    1002
RSV3 on a continuation                  1002
opcode 4                                1002
opcode 7                                1002
opcode 11                               1002
opcode 15                               1002
bad header after a good frame           1002
ping inside a fragmented message: pong
fragmented message: got 616263
20000 bytes, 3 at a time: ok
empty message: 'got '
client close echoed: 4000
frames with the head: got 68656c6c6f
and after: got 6c61746572
after keep-alive HTTP, frames with the head: got 68656c6c6f
close then FIN: 15 of 15 echoed; unmasked then FIN: 15 of 15 got 1002
server alive: true
