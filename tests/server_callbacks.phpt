--TEST--
Server callbacks: onConnect, onMessage, onClose get a Push\Connection; send() and sendToUid() from PHP
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start([], <<<'PHP'
$server->onConnect(function (Push\Connection $c) use ($server) {
	fwrite(STDERR, "connect uid={$c->uid} id={$c->id} addr=" . (preg_match('/^127\.0\.0\.1:\d+$/', $c->remoteAddress) ? 'ok' : $c->remoteAddress) . "\n");
	$c->send("welcome {$c->uid}");
});
$server->onMessage(function (Push\Connection $c, string $data) use ($server) {
	if ($data === 'count') {
		$c->send((string)$server->getUidConnectionCount($c->uid));
	} elseif ($data === 'shout') {
		$server->sendToUid($c->uid, "shout from {$c->id}");
	} elseif ($data === 'all') {
		$c->send('broadcast reached ' . $server->broadcast('hello everyone'));
	} elseif ($data === 'bye') {
		$c->close(4321, 'see you');
	} else {
		$c->send("echo $data");
	}
});
$server->onClose(function (Push\Connection $c, int $code) use ($server) {
	fwrite(STDERR, "close uid={$c->uid} code=$code open=" . var_export($c->isOpen(), true) . "\n");
});
PHP);
$a = ws_bind($srv, 'alice');
var_dump($a->recv());
$a->send('hi');
var_dump($a->recv());
$b = ws_bind($srv, 'alice');
var_dump($b->recv());
$a->send('count');
var_dump($a->recv());
$b->send('shout');
var_dump($a->recv(), $b->recv());
$c = ws_bind($srv, 'bob');
$c->recv();
$c->send('all');
var_dump($c->recv(), $c->recv(), $a->recv(), $b->recv());
$a->send('bye');
var_dump($a->waitClose(), $a->closeReason);
$b->close(1000);
usleep(200000);
push_server_stop($srv);
$log = $srv->drainOutput();
preg_match_all('/^(connect|close) .*$/m', $log, $m);
echo implode("\n", array_map(fn($l) => preg_replace('/id=\d+/', 'id=N', $l), $m[0])), "\n";
?>
--EXPECT--
string(13) "welcome alice"
string(7) "echo hi"
string(13) "welcome alice"
string(1) "2"
string(12) "shout from 2"
string(12) "shout from 2"
string(14) "hello everyone"
string(19) "broadcast reached 3"
string(14) "hello everyone"
string(14) "hello everyone"
int(4321)
string(7) "see you"
connect uid=alice id=N addr=ok
connect uid=alice id=N addr=ok
connect uid=bob id=N addr=ok
close uid=alice code=4321 open=false
close uid=alice code=1000 open=false
close uid=bob code=1001 open=false
