--TEST--
Push\Client: sendCount, broadcast, isUidOnline, getUidConnectionCount, kickUid, status
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start();
$c = new Push\Client($srv->textAddress());
$a1 = ws_bind($srv, 'a');
$a2 = ws_bind($srv, 'a');
$b = ws_bind($srv, 'b');
push_wait(fn() => $c->getUidConnectionCount('a') === 2 && $c->isUidOnline('b'));

echo "online: ", json_encode([$c->isUidOnline('a'), $c->isUidOnline('b'), $c->isUidOnline('zz')]), "\n";
echo "count: ", json_encode([$c->getUidConnectionCount('a'), $c->getUidConnectionCount('b'), $c->getUidConnectionCount(7)]), "\n";
echo "sendCount: ", $c->sendCount('a', 'to a'), " ", $c->sendCount(['a', 'b', 'zz'], ['k' => 'v']), " ", $c->sendCount('zz', 'x'), "\n";
echo "broadcast: ", $c->broadcast('all'), "\n";
echo "a1 got: ", implode(' | ', $a1->drain(0.2, 3)), "\n";
echo "b got: ", implode(' | ', $b->drain(0.2, 2)), "\n";
$st = $c->status();
echo "status: ", json_encode([isset($st['ok']), $st['uids'], $st['bound_connections'], $st['text_port'] === $srv->text]), "\n";
echo "kick: ", $c->kickUid('a'), " ", $c->kickUid('zz'), "\n";
echo "closed: ", $a1->waitClose(5), " ", $a2->waitClose(5), "\n";
echo "after: ", json_encode([$c->isUidOnline('a'), $c->getUidConnectionCount('b')]), "\n";
?>
--EXPECT--
online: [true,true,false]
count: [2,1,0]
sendCount: 2 3 0
broadcast: 3
a1 got: to a | {"k":"v"} | all
b got: {"k":"v"} | all
status: [false,2,3,true]
kick: 2 0
closed: 4009 4009
after: [false,1]
