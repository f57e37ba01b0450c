--TEST--
Cluster: a broadcast through node B reaches the clients on A and B and counts both; exclusions hold across nodes
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/redis.inc';
$redis = push_redis_start();
// another prefix than the default, on both sides
['a' => $a, 'b' => $b] = push_cluster_start($redis, ['a', 'b'], ['redis_prefix' => 'app1:']);
var_dump($redis->cmd('PUBSUB', 'NUMSUB', 'app1:bus', 'push:bus'));

$x = ws_bind($a, 'x');
$x2 = ws_bind($a, 'x');
$y = ws_bind($b, 'y');
var_dump(push_wait(fn() => push_cmd($b, ['cmd' => 'getAllConnectionCount'])['count'] === 3
	&& push_cmd($a, ['cmd' => 'getAllConnectionCount'])['count'] === 3));

echo "-- broadcast through b\n";
echo json_encode(push_cmd($b, ['cmd' => 'broadcast', 'msg' => 'to all'])), "\n";
var_dump($x->recv(), $x2->recv(), $y->recv());
$cb = new Push\RemoteServer($b->textAddress());
var_dump($cb->broadcast(['to' => 'all']), $x->recv(), $x2->recv(), $y->recv());
var_dump($cb->broadcast('not x', ['x']), $y->recv(), $x->recv(0.3), $x2->recv(0.3));
var_dump($cb->broadcast('not y', ['y']), $x->recv(), $x2->recv(), $y->recv(0.3));

echo "-- broadcast through a\n";
echo json_encode(push_cmd($a, ['cmd' => 'sendToAll', 'msg' => 'from a'])), "\n";
var_dump($x->recv(), $x2->recv(), $y->recv());

echo "-- broadcast through Redis: the count is the push servers reached\n";
var_dump((new Push\RemoteServer($redis->url()))->broadcast('via push:', []));
var_dump($x->recv(0.3), $y->recv(0.3));
$cr = new Push\RemoteServer($redis->url('?prefix=app1:'));
var_dump($cr->broadcast('via redis'), $x->recv(), $x2->recv(), $y->recv());
var_dump($cr->broadcast('via redis, not x', [' x', 'x']), $y->recv(), $x->recv(0.3));
?>
--EXPECT--
array(4) {
  [0]=>
  string(8) "app1:bus"
  [1]=>
  int(2)
  [2]=>
  string(8) "push:bus"
  [3]=>
  int(0)
}
bool(true)
-- broadcast through b
{"ok":true,"count":3}
string(6) "to all"
string(6) "to all"
string(6) "to all"
int(3)
string(12) "{"to":"all"}"
string(12) "{"to":"all"}"
string(12) "{"to":"all"}"
int(1)
string(5) "not x"
NULL
NULL
int(2)
string(5) "not y"
string(5) "not y"
NULL
-- broadcast through a
{"ok":true,"count":3}
string(6) "from a"
string(6) "from a"
string(6) "from a"
-- broadcast through Redis: the count is the push servers reached
int(0)
NULL
NULL
int(2)
string(9) "via redis"
string(9) "via redis"
string(9) "via redis"
int(2)
string(16) "via redis, not x"
NULL
