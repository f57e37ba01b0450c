--TEST--
Push\RemoteServer: sendToUid, broadcast, isUidOnline, getUidConnectionCount, getAllGroupCount, kickUid with a reason, getStats
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start();
$c = new Push\RemoteServer($srv->textAddress());
$a1 = ws_bind($srv, 'a');
$a2 = ws_bind($srv, 'a');
$b = ws_bind($srv, 'b');
push_wait(fn() => $c->getUidConnectionCount('a') === 2 && $c->isUidOnline('b'));

echo "online: ", json_encode([$c->isUidOnline('a'), $c->isUidOnline('b'), $c->isUidOnline('zz')]), "\n";
echo "count: ", json_encode([$c->getUidConnectionCount('a'), $c->getUidConnectionCount('b'), $c->getUidConnectionCount(7)]), "\n";
echo "sendToUid: ", $c->sendToUid('a', 'to a'), " ", $c->sendToUid(['a', 'b', 'zz'], ['k' => 'v']), " ", $c->sendToUid('zz', 'x'), "\n";
echo "broadcast: ", $c->broadcast('all'), "\n";
echo "a1 got: ", implode(' | ', $a1->drain(0.2, 3)), "\n";
echo "b got: ", implode(' | ', $b->drain(0.2, 2)), "\n";
$st = $c->getStats();
echo "status: ", json_encode([isset($st['ok']), $st['uids'], $st['bound_connections'], $st['text_port'] === $srv->text]), "\n";
$c->joinGroup('g1', 'a');
$c->joinGroup('g2', ['a', 'b']);
echo "groups: ", $c->getAllGroupCount(), "\n";
echo "kick: ", $c->kickUid('a', 'see you'), " ", $c->kickUid('zz'), "\n";
echo "closed: ", $a1->waitClose(5), " ", $a2->waitClose(5), " ", json_encode($a1->closeReason), "\n";
try {
	$c->kickUid('b', str_repeat('x', 61));
} catch (ValueError $e) {
	echo $e->getMessage(), "\n";
}
echo "after: ", json_encode([$c->isUidOnline('a'), $c->getUidConnectionCount('b')]), "\n";
?>
--EXPECT--
online: [true,true,false]
count: [2,1,0]
sendToUid: 2 3 0
broadcast: 3
a1 got: to a | {"k":"v"} | all
b got: {"k":"v"} | all
status: [false,2,3,true]
groups: 2
kick: 2 0
closed: 4009 4009 "see you"
Push\RemoteServer::kickUid(): Argument #2 ($reason) must be at most 60 bytes without null bytes
after: [false,1]
