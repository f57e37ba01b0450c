--TEST--
Cluster: a push through node B's Text port, or through Redis, reaches a uid connected to node A
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/redis.inc';
$redis = push_redis_start();
['a' => $a, 'b' => $b] = push_cluster_start($redis, ['a', 'b']);

$alice = ws_bind($a, 'alice');
$seven = ws_bind($a, '7');
var_dump(push_wait(fn() => push_cmd($b, ['cmd' => 'isUidOnline', 'uid' => 'alice'])['online']
	&& push_cmd($b, ['cmd' => 'isUidOnline', 'uid' => 7])['online']));

echo "-- B's Text port, the recipe's lines\n";
echo push_text($b, '{"uid":"alice","msg":"via B"}'), "\n";
echo $alice->recv(), "\n";
echo push_text($b, '{"uid":"alice","msg":{"a":"x/y","n":[1,2.5]}}'), "\n";
echo $alice->recv(), "\n";
echo push_text($b, '{"uid":["alice",7,"nobody"],"msg":"to a list"}'), "\n";
echo $alice->recv(), ' ', $seven->recv(), "\n";
echo "-- B's Text port, commands and Push\\Client\n";
echo json_encode(push_cmd($b, ['cmd' => 'send', 'uid' => 'alice', 'msg' => 'cmd send'])), "\n";
echo $alice->recv(), "\n";
$cb = new Push\RemoteServer($b->textAddress());
var_dump($cb->send('alice', 'client via B'), $alice->recv());
var_dump($cb->sendToUid(7, ['k' => 'v']), $seven->recv());
var_dump($cb->sendBatch([['alice', 'b1'], ['nobody', 'b2'], [7, 'b3']]), $alice->recv(), $seven->recv());

echo "-- a uid online nowhere\n";
echo push_text($b, '{"uid":"nobody","msg":"lost"}'), "\n";
echo json_encode(push_cmd($b, ['cmd' => 'send', 'uid' => 'nobody', 'msg' => 'lost'])), "\n";
var_dump($cb->send('nobody', 'lost'));

echo "-- Push\\Client with the redis:// address: every node gets it, A delivers\n";
$cr = new Push\RemoteServer($redis->url());
var_dump($cr->send('alice', 'via redis'), $alice->recv());
var_dump($cr->send(['alice', 7], ['via' => 'redis']), $alice->recv(), $seven->recv());
var_dump($cr->sendBatch([['alice', 'r1'], [7, 'r2']]), $alice->recv(), $seven->recv());
// true means a push server got it, not that the uid is online
var_dump($cr->send('nobody', 'lost'));
var_dump($cr->kickUid(7), $seven->waitClose(), $alice->drain(0.3));
var_dump(push_wait(fn() => !push_cmd($b, ['cmd' => 'isUidOnline', 'uid' => 7])['online']));
?>
--EXPECT--
bool(true)
-- B's Text port, the recipe's lines
ok
via B
ok
{"a":"x/y","n":[1,2.5]}
ok
to a list to a list
-- B's Text port, commands and Push\Client
{"ok":true,"count":1}
cmd send
bool(true)
string(12) "client via B"
int(1)
string(9) "{"k":"v"}"
array(3) {
  [0]=>
  bool(true)
  [1]=>
  bool(false)
  [2]=>
  bool(true)
}
string(2) "b1"
string(2) "b3"
-- a uid online nowhere
fail
{"ok":true,"count":0}
bool(false)
-- Push\Client with the redis:// address: every node gets it, A delivers
bool(true)
string(9) "via redis"
bool(true)
string(15) "{"via":"redis"}"
string(15) "{"via":"redis"}"
array(2) {
  [0]=>
  bool(true)
  [1]=>
  bool(true)
}
string(2) "r1"
string(2) "r2"
bool(true)
int(2)
int(4009)
array(0) {
}
bool(true)
