--TEST--
Push\Client with a redis:// address: the JSON it publishes, what it returns, what it refuses
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
$redis = push_redis_start();
$c = new Push\RemoteServer($redis->url());

echo "-- nobody subscribed\n";
var_dump($c->send('alice', 'lost'), $c->broadcast('lost'), $c->sendToGroup('g', 'lost'), $c->kickUid('alice'));
var_dump($c->sendBatch([['a', 'x'], ['b', 'y']]));

echo "-- one subscriber on push:bus\n";
$sub = $redis->subscribe('push:bus');
var_dump($redis->cmd('PUBSUB', 'NUMSUB', 'push:bus')[1]);
var_dump($c->send('alice', "plain text / ünïcode \"quoted\"\nline2"));
echo $sub->next(), "\n";
var_dump($c->send(['alice', 42, 'bob'], ['type' => 'chat', 'text' => 'hi/there', 'n' => [1, 2.5, null, true], 'é' => []]));
$m = $sub->next();
echo $m, "\n";
// "m" carries the text a Text-port push would deliver: the compact JSON of the array
echo json_decode($m, true)['m'], "\n";
var_dump($c->send(7, 'by int uid'));
echo $sub->next(), "\n";
var_dump($c->broadcast('to all'));
echo $sub->next(), "\n";
var_dump($c->broadcast(['k' => 'v'], ['alice', 9]));
echo $sub->next(), "\n";
var_dump($c->sendToGroup('room/1', 'to the group', ['bob']));
echo $sub->next(), "\n";
var_dump($c->sendToGroup('room/1', ['a' => 1]));
echo $sub->next(), "\n";
var_dump($c->kickUid('alice'), $sub->next());
var_dump($c->kickUid(42), $sub->next());
var_dump($c->sendBatch([['a', 'one'], [[1, 'b'], ['two' => 2]], [3, 'three']]));
print_r($sub->drain());

echo "-- each PUBLISH counts the subscribers (push servers) that got it\n";
$sub2 = $redis->subscribe('push:bus');
var_dump($c->send('alice', 'twice'), $c->broadcast('twice'));
var_dump(count($sub->drain()), count($sub2->drain()));
$sub2->close();

echo "-- another prefix, and the default client from push.client_address\n";
$other = $redis->subscribe('app:bus');
ini_set('push.client_address', $redis->url('?prefix=app:'));
var_dump(Push\Client::send('u1', 'static'), $other->next(), $sub->next(0.2));
var_dump(Push\Client::broadcast('static all'), $other->next());
ini_set('push.client_address', $redis->url('/0?prefix=app:'));
var_dump(Push\Client::kickUid('u1'), $other->next());

echo "-- argument checks are the same as with a Text address\n";
attempt(fn() => $c->send('', 'x'));
attempt(fn() => $c->send(['a', ''], 'x'));
attempt(fn() => $c->send(1.5, 'x'));
attempt(fn() => $c->send('u', "\xff"));
attempt(fn() => $c->broadcast('x', ['a', []]));
attempt(fn() => $c->sendToGroup('', 'x'));
attempt(fn() => $c->sendBatch([['a']]));
attempt(fn() => $c->sendBatch([]));
var_dump($sub->drain(0.2));

echo "-- everything but the pushes needs a Text address\n";
attempt(fn() => $c->getStats());
attempt(fn() => $c->isUidOnline('alice'));
attempt(fn() => $c->getUidConnectionCount('alice'));
attempt(fn() => $c->sendToUid('alice', 'x'));
attempt(fn() => $c->joinGroup('g', 'alice'));
attempt(fn() => $c->leaveGroup('g', 'alice'));
attempt(fn() => $c->getGroupConnectionCount('g'));
attempt(fn() => $c->getGroupUids('g'));
attempt(fn() => $c->getUidGroups('alice'));
attempt(fn() => $c->getAllConnectionCount());
attempt(fn() => $c->getAllUidCount());
attempt(fn() => $c->getUidList());
attempt(fn() => Push\Client::getStats());
var_dump($sub->drain(0.2));

echo "-- Redis down\n";
$redis->stop();
attempt(fn() => $c->send('alice', 'x'));
attempt(fn() => $c->broadcast('x'));
attempt(fn() => (new Push\RemoteServer($redis->url(), ['persistent' => false]))->sendBatch([['a', 'x']]));
attempt(fn() => Push\Client::send('alice', 'x'));
?>
--EXPECTF--
-- nobody subscribed
bool(false)
int(0)
int(0)
int(0)
array(2) {
  [0]=>
  bool(false)
  [1]=>
  bool(false)
}
-- one subscriber on push:bus
int(1)
bool(true)
{"t":"push","n":"client","u":["alice"],"m":"plain text / ünïcode \"quoted\"\nline2"}
bool(true)
{"t":"push","n":"client","u":["alice","42","bob"],"m":"{\"type\":\"chat\",\"text\":\"hi/there\",\"n\":[1,2.5,null,true],\"é\":[]}"}
{"type":"chat","text":"hi/there","n":[1,2.5,null,true],"é":[]}
bool(true)
{"t":"push","n":"client","u":["7"],"m":"by int uid"}
int(1)
{"t":"bcast","n":"client","m":"to all","xu":[]}
int(1)
{"t":"bcast","n":"client","m":"{\"k\":\"v\"}","xu":["alice","9"]}
int(1)
{"t":"group","n":"client","g":"room/1","m":"to the group","xu":["bob"]}
int(1)
{"t":"group","n":"client","g":"room/1","m":"{\"a\":1}","xu":[]}
int(1)
string(52) "{"t":"kick","n":"client","u":["alice"],"r":"kicked"}"
int(1)
string(49) "{"t":"kick","n":"client","u":["42"],"r":"kicked"}"
array(3) {
  [0]=>
  bool(true)
  [1]=>
  bool(true)
  [2]=>
  bool(true)
}
Array
(
    [0] => {"t":"push","n":"client","u":["a"],"m":"one"}
    [1] => {"t":"push","n":"client","u":["1","b"],"m":"{\"two\":2}"}
    [2] => {"t":"push","n":"client","u":["3"],"m":"three"}
)
-- each PUBLISH counts the subscribers (push servers) that got it
bool(true)
int(2)
int(2)
int(2)
-- another prefix, and the default client from push.client_address
bool(true)
string(49) "{"t":"push","n":"client","u":["u1"],"m":"static"}"
NULL
int(1)
string(51) "{"t":"bcast","n":"client","m":"static all","xu":[]}"
int(1)
string(49) "{"t":"kick","n":"client","u":["u1"],"r":"kicked"}"
-- argument checks are the same as with a Text address
ValueError: Push\RemoteServer::send(): Argument #1 ($uid) must not be empty
ValueError: Push\RemoteServer::send(): Argument #1 ($uid) must not contain empty uids
TypeError: Push\RemoteServer::send(): Argument #1 ($uid) must be of type array|string|int, float given
ValueError: Push\RemoteServer::send(): Argument #2 ($message) cannot be encoded as JSON: malformed UTF-8 characters, possibly incorrectly encoded
TypeError: Push\RemoteServer::broadcast(): Argument #2 ($excludeUids) must contain only strings and integers, array given
ValueError: Push\RemoteServer::sendToGroup(): Argument #1 ($group) must not be empty
ValueError: Push\RemoteServer::sendBatch(): Argument #1 ($messages) must be a list of [uid, message] pairs
array(0) {
}
array(0) {
}
-- everything but the pushes needs a Text address
Push\ProtocolException: getStats() needs a push server's Text address; redis:// only publishes
Push\ProtocolException: isUidOnline() needs a push server's Text address; redis:// only publishes
Push\ProtocolException: getUidConnectionCount() needs a push server's Text address; redis:// only publishes
Push\ProtocolException: sendToUid() needs a push server's Text address; redis:// only publishes
Push\ProtocolException: joinGroup() needs a push server's Text address; redis:// only publishes
Push\ProtocolException: leaveGroup() needs a push server's Text address; redis:// only publishes
Push\ProtocolException: getGroupConnectionCount() needs a push server's Text address; redis:// only publishes
Push\ProtocolException: getGroupUids() needs a push server's Text address; redis:// only publishes
Push\ProtocolException: getUidGroups() needs a push server's Text address; redis:// only publishes
Push\ProtocolException: getAllConnectionCount() needs a push server's Text address; redis:// only publishes
Push\ProtocolException: getAllUidCount() needs a push server's Text address; redis:// only publishes
Push\ProtocolException: getUidList() needs a push server's Text address; redis:// only publishes
Push\ProtocolException: getStats() needs a push server's Text address; redis:// only publishes
array(0) {
}
-- Redis down
Push\ConnectionException: cannot connect to Redis at redis://127.0.0.1:%d: Connection refused
Push\ConnectionException: cannot connect to Redis at redis://127.0.0.1:%d: Connection refused
Push\ConnectionException: cannot connect to Redis at redis://127.0.0.1:%d: Connection refused
Push\ConnectionException: cannot connect to Redis at redis://127.0.0.1:%d/0: Connection refused
