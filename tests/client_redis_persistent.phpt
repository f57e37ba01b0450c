--TEST--
Push\Client with a redis:// address: one kept connection per process, replaced when Redis restarted or dropped it
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/redis.inc';
function attempt(callable $f): void
{
	try {
		var_dump($f());
	} catch (Throwable $e) {
		echo get_class($e), ': ', $e->getMessage(), "\n";
	}
}
/* connections that PUBLISHed last (the harness's own connection ran CLIENT LIST) */
function publishers(PushTestRedis $redis): int
{
	return substr_count($redis->cmd('CLIENT', 'LIST', 'TYPE', 'normal'), 'cmd=publish');
}
$redis = push_redis_start();
$sub = $redis->subscribe('push:bus');
ini_set('push.client_address', $redis->url());

$ok = 0;
for ($i = 0; $i < 50; $i++) {
	$ok += Push\Client::send('u', "m$i");
}
for ($i = 0; $i < 3; $i++) {
	$ok += (new Push\RemoteServer($redis->url()))->send('u', 'from an instance');
}
echo "published: $ok, received: ", count($sub->drain()), ", connections: ", publishers($redis), "\n";

// a non-persistent instance has its own connection, closed with the object
$own = new Push\RemoteServer($redis->url(), ['persistent' => false]);
$own->send('u', 'own');
$sub->next();
echo "connections: ", publishers($redis), "\n";
unset($own);
push_wait(fn() => publishers($redis) === 1);
echo "connections: ", publishers($redis), "\n";

// close() closes the kept connection; the next call opens one
Push\Client::close();
push_wait(fn() => publishers($redis) === 0);
echo "after close(): ", publishers($redis), "\n";
var_dump(Push\Client::send('u', 'reopened'), $sub->next());

// Redis drops the connection: the next call notices and connects again
$redis->cmd('CLIENT', 'KILL', 'TYPE', 'normal');
var_dump(Push\Client::broadcast('after CLIENT KILL'), $sub->next());

// Redis restarts on the same port: the kept connection is dead, a new one is made
$redis->restart();
$sub = $redis->subscribe('push:bus');
var_dump(Push\Client::send('u', 'after restart'), $sub->next());
var_dump(Push\Client::sendBatch([['u', 'b1'], ['u', 'b2']]), count($sub->drain()));
echo "connections: ", publishers($redis), "\n";

// pipelined batches bigger than a chunk
$batch = [];
for ($i = 0; $i < 2500; $i++) {
	$batch[] = ["u$i", "m$i"];
}
$res = Push\Client::sendBatch($batch);
echo count($res), ' sent, ', count(array_filter($res)), ' reached a subscriber, ', count($sub->drain()), " received\n";

// a peer that accepts and never answers
$silent = stream_socket_server('tcp://127.0.0.1:0');
$port = (int)substr(strrchr(stream_socket_get_name($silent, false), ':'), 1);
$t = microtime(true);
attempt(fn() => (new Push\RemoteServer("redis://127.0.0.1:$port", ['timeout' => 0.5]))->send('u', 'x'));
$took = microtime(true) - $t;
echo $took >= 0.4 && $took < 3 ? "timed out in time\n" : "took $took s\n";
?>
--EXPECTF--
published: 53, received: 53, connections: 1
connections: 2
connections: 1
after close(): 0
bool(true)
string(50) "{"t":"push","n":"client","u":["u"],"m":"reopened"}"
int(1)
string(58) "{"t":"bcast","n":"client","m":"after CLIENT KILL","xu":[]}"
bool(true)
string(55) "{"t":"push","n":"client","u":["u"],"m":"after restart"}"
array(2) {
  [0]=>
  bool(true)
  [1]=>
  bool(true)
}
int(2)
connections: 1
2500 sent, 2500 reached a subscriber, 2500 received
Push\ConnectionException: timed out waiting for Redis at redis://127.0.0.1:%d
timed out in time
