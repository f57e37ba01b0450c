--TEST--
Cluster: a uid with a tab on node A and a tab on node B gets every push on both, counted twice (Redis with a password)
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/redis.inc';
$redis = push_redis_start(['--requirepass', 'clusterpw']);
['a' => $a, 'b' => $b] = push_cluster_start($redis, ['a', 'b']);

$tabA = ws_bind($a, 'u1');
$tabB = ws_bind($b, 'u1');
var_dump(push_wait(fn() => push_cmd($a, ['cmd' => 'count', 'uid' => 'u1'])['count'] === 2
	&& push_cmd($b, ['cmd' => 'count', 'uid' => 'u1'])['count'] === 2));

foreach (['a' => $a, 'b' => $b] as $id => $node) {
	echo "-- through $id\n";
	echo push_text($node, json_encode(['uid' => 'u1', 'msg' => "line via $id"])), "\n";
	var_dump($tabA->recv(), $tabB->recv());
	echo json_encode(push_cmd($node, ['cmd' => 'send', 'uid' => 'u1', 'msg' => "cmd via $id"])), "\n";
	var_dump($tabA->recv(), $tabB->recv());
	$c = new Push\RemoteServer($node->textAddress());
	var_dump($c->sendToUid('u1', ['via' => $id]), $tabA->recv(), $tabB->recv());
	var_dump($c->getUidConnectionCount('u1'), $c->isUidOnline('u1'));
}

echo "-- through Redis\n";
$cr = new Push\RemoteServer($redis->url('', true));
var_dump($cr->send('u1', 'via redis'), $tabA->recv(), $tabB->recv());

echo "-- the tab on B closes\n";
$tabB->close();
var_dump(push_wait(fn() => push_cmd($a, ['cmd' => 'count', 'uid' => 'u1'])['count'] === 1
	&& push_cmd($b, ['cmd' => 'count', 'uid' => 'u1'])['count'] === 1));
echo json_encode(push_cmd($b, ['cmd' => 'send', 'uid' => 'u1', 'msg' => 'one left'])), "\n";
var_dump($tabA->recv(), $tabA->drain(0.3));
?>
--EXPECT--
bool(true)
-- through a
ok
string(10) "line via a"
string(10) "line via a"
{"ok":true,"count":2}
string(9) "cmd via a"
string(9) "cmd via a"
int(2)
string(11) "{"via":"a"}"
string(11) "{"via":"a"}"
int(2)
bool(true)
-- through b
ok
string(10) "line via b"
string(10) "line via b"
{"ok":true,"count":2}
string(9) "cmd via b"
string(9) "cmd via b"
int(2)
string(11) "{"via":"b"}"
string(11) "{"via":"b"}"
int(2)
bool(true)
-- through Redis
bool(true)
string(9) "via redis"
string(9) "via redis"
-- the tab on B closes
bool(true)
{"ok":true,"count":1}
string(8) "one left"
array(0) {
}
