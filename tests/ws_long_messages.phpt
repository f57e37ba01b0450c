--TEST--
Client messages longer than the per-connection receive buffer: in pieces, fragmented, and a 125-byte ping echoed whole
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start([], <<<'PHP'
$server->onMessage(function (Push\Connection $c, string $data, bool $binary = false) {
	$c->send(sprintf("got %d bytes md5 %s", strlen($data), md5($data)));
});
PHP);
/* a long uid, sent as one frame: it arrives in pieces of the receive buffer */
$uid = str_repeat('long-uid-', 13);   /* 117 bytes: max_uid_len is 128 */
$a = TestWsClient::connect("ws://127.0.0.1:{$srv->ws}/");
$a->send($uid);
push_wait(fn() => json_decode(push_text($srv, json_encode(['cmd' => 'count', 'uid' => $uid])), true)['count'] === 1);
echo push_text($srv, json_encode(['uid' => $uid, 'msg' => 'to the long uid'])), "\n";
var_dump($a->recv());

/* a 3,000-byte message in one frame, then the same in three fragments with a ping between */
$big = str_repeat('0123456789abcdef', 187) . 'tail1234';
$want = sprintf("got %d bytes md5 %s", strlen($big), md5($big));
$a->send($big);
echo "one frame: ", ($r = $a->recv()) === $want ? "whole" : $r, "\n";
$p = str_split($big, 1000);
fwrite($a->sock, TestWsClient::frame($p[0], 1, false));
fwrite($a->sock, TestWsClient::frame(str_repeat('P', 125), 9));      /* control frame inside a message */
fwrite($a->sock, TestWsClient::frame($p[1], 0, false));
fwrite($a->sock, TestWsClient::frame($p[2], 0, true));
$f = $a->frameIn();
echo "pong: ", $f[0] === 10 && $f[1] === str_repeat('P', 125) ? "same 125 bytes" : json_encode($f), "\n";
echo "fragments: ", ($r = $a->recv()) === $want ? "whole" : $r, "\n";

/* the connection still works for pushes, and nothing was refused */
echo push_text($srv, json_encode(['uid' => $uid, 'msg' => 'after'])), "\n";
var_dump($a->recv());
$st = push_status($srv);
echo "refused message_too_big ", $st['refused']['message_too_big'], ", messages_in ", $st['messages_in'], "\n";
$a->close();
push_server_stop($srv);
?>
--EXPECT--
ok
string(15) "to the long uid"
one frame: whole
pong: same 125 bytes
fragments: whole
ok
string(5) "after"
refused message_too_big 0, messages_in 3
