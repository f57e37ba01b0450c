--TEST--
Hostile: strict RFC 6455 on input: 1007 for text and close reasons that are not UTF-8, 1002 for bad close frames and framing errors, with a close frame; valid input untouched
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
check($srv, 'text not UTF-8', hostile_frame("bad \xff here"));
check($srv, 'first message text not UTF-8', hostile_frame("u\xc3\x28"), false);
check($srv, 'text: surrogate', hostile_frame("\xed\xa0\x80"));
check($srv, 'text: overlong', hostile_frame("\xc0\xaf"));
check($srv, 'text: truncated at the end', hostile_frame("ok \xe2\x82"));
check($srv, 'fragments: not UTF-8 across', hostile_frame("a\xe2", 1, false) . hostile_frame("\x28\xa1", 0));
check($srv, 'close reason not UTF-8', hostile_frame(pack('n', 1000) . "bye \xff", 8));
check($srv, 'close code 5000', hostile_frame(pack('n', 5000), 8));
check($srv, 'close code 1005', hostile_frame(pack('n', 1005), 8));
check($srv, 'close code 999', hostile_frame(pack('n', 999), 8));
check($srv, 'close code 1004', hostile_frame(pack('n', 1004), 8));
check($srv, 'close code 2999', hostile_frame(pack('n', 2999), 8));
check($srv, 'close payload of 1 byte', hostile_frame("\x03", 8));
check($srv, 'RSV1 without an extension', hostile_frame('hi', 1, true, true, 4));
check($srv, 'fragmented ping', hostile_frame('p', 9, false));
check($srv, 'opcode 3', hostile_frame('x', 3));
check($srv, 'continuation with nothing to continue', hostile_frame('x', 0));
check($srv, 'new message inside a fragmented one', hostile_frame('a', 1, false) . hostile_frame('b', 1));
check($srv, 'close 1000, UTF-8 reason', hostile_frame(pack('n', 1000) . 'fin ü', 8));
check($srv, 'close 3000', hostile_frame(pack('n', 3000), 8));

/* valid input still works: UTF-8 split across fragments and across writes, pings up to 125 bytes */
$c = ws_bind($srv, 'fine');
fwrite($c->sock, hostile_frame("caf\xc3", 1, false));
usleep(50000);
fwrite($c->sock, hostile_frame("\xa9 \xf0\x9f", 0, false) . hostile_frame("\x98\x80", 0));
echo "split UTF-8: ", $c->recv(), "\n";
$f = hostile_frame("\xe2\x82\xac");
fwrite($c->sock, substr($f, 0, 7));
usleep(50000);
fwrite($c->sock, substr($f, 7));
echo "split write: ", $c->recv(), "\n";
$c->send(str_repeat('q', 125), 9);
$f = $c->frameIn(2);
echo "ping 125: ", $f[0] === 10 && strlen($f[1]) === 125 ? "pong" : "no pong", "\n";
$c->send("\xff\x00binary", 2);
echo "binary: ", $c->recv(), "\n";
echo "server alive: ", var_export($srv->running(), true), "\n";
?>
--EXPECT--
text not UTF-8                          1007
first message text not UTF-8            1007
text: surrogate                         1007
text: overlong                          1007
text: truncated at the end              1007
fragments: not UTF-8 across             1007
close reason not UTF-8                  1007
close code 5000                         1002
close code 1005                         1002
close code 999                          1002
close code 1004                         1002
close code 2999                         1002
close payload of 1 byte                 1002
RSV1 without an extension               1002
fragmented ping                         1002
opcode 3                                1002
continuation with nothing to continue   1002
new message inside a fragmented one     1002
close 1000, UTF-8 reason                1000
close 3000                              3000
split UTF-8: got 636166c3a920f09f9880
split write: got e282ac
ping 125: pong
binary: got ff0062696e617279
server alive: true
