--TEST--
Push\Client with a redis:// address: AUTH (password, user and password), SELECT, address checks
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
$pw = 'p@ss/w:rd?';
$redis = push_redis_start(['--requirepass', $pw]);
$sub = $redis->subscribe('push:bus');
$p = $redis->port;

echo "-- the right password\n";
// taken as written: '@', '/', ':' and '?' in the password need no escapes
attempt(fn() => (new Push\RemoteServer("redis://:$pw@127.0.0.1:$p"))->send('a', 'as it is'));
attempt(fn() => (new Push\RemoteServer("redis://default:$pw@127.0.0.1:$p/1"))->send('a', 'user default, db 1'));
attempt(fn() => (new Push\RemoteServer("redis://:$pw@127.0.0.1:$p/2", ['persistent' => false]))->broadcast('db 2'));
foreach ($sub->drain() as $m) {
	echo json_decode($m, true)['m'], "\n";
}
// the password is not in messages
attempt(fn() => (new Push\RemoteServer("redis://:$pw@127.0.0.1:1"))->send('a', 'x'));

echo "-- refused\n";
attempt(fn() => (new Push\RemoteServer("redis://:wrong@127.0.0.1:$p"))->send('a', 'x'));
attempt(fn() => (new Push\RemoteServer('redis://:' . rawurlencode($pw) . "@127.0.0.1:$p"))->send('a', 'x'));
attempt(fn() => (new Push\RemoteServer("redis://nobody:$pw@127.0.0.1:$p"))->send('a', 'x'));
attempt(fn() => (new Push\RemoteServer("redis://127.0.0.1:$p"))->send('a', 'x'));
attempt(fn() => (new Push\RemoteServer("redis://127.0.0.1:$p", ['persistent' => false]))->sendBatch([['a', 'x'], ['b', 'y']]));
attempt(fn() => (new Push\RemoteServer("redis://:$pw@127.0.0.1:$p/100000"))->kickUid('a'));
ini_set('push.client_address', "redis://:wrong@127.0.0.1:$p");
attempt(fn() => Push\Client::send('a', 'x'));
// the right one again after a refusal: nothing was kept from the refused connection
ini_set('push.client_address', "redis://:$pw@127.0.0.1:$p");
attempt(fn() => Push\Client::send('a', 'static'));
var_dump($sub->next());
var_dump($sub->drain(0.2));

echo "-- a server without a password\n";
$open = push_redis_start();
attempt(fn() => (new Push\RemoteServer($open->url()))->send('a', 'x'));
attempt(fn() => (new Push\RemoteServer("redis://:$pw@127.0.0.1:{$open->port}"))->send('a', 'x'));
// redis://password@host: the password without a colon
$open->cmd('CONFIG', 'SET', 'requirepass', 'simple');
attempt(fn() => (new Push\RemoteServer("redis://simple@127.0.0.1:{$open->port}"))->broadcast('x'));
attempt(fn() => (new Push\RemoteServer("redis://other@127.0.0.1:{$open->port}"))->broadcast('x'));

echo "-- addresses\n";
foreach (['redis://', 'redis://:6379', 'redis://[::1', 'redis://h:0', 'redis://h:65536', 'redis://h:x',
		'redis://h:6379/x', 'redis://h:6379/1234567890', 'redis://h?foo=1', 'redis://h?prefix=a&db=1',
		'redis://h', 'REDIS://h:1/', 'redis://[::1]:6379/15?prefix=', 'redis://u:p@h:1/0?prefix=a%3Ab:'] as $a) {
	echo str_pad($a, 40), ' ';
	attempt(fn() => (bool)new Push\RemoteServer($a));
}
ini_set('push.client_address', 'redis://h:0');
attempt(fn() => Push\Client::send('a', 'x'));
?>
--EXPECTF--
-- the right password
bool(true)
bool(true)
int(1)
as it is
user default, db 1
db 2
Push\ConnectionException: cannot connect to Redis at redis://127.0.0.1:1: Connection refused
-- refused
Push\ProtocolException: redis: WRONGPASS %s
Push\ProtocolException: redis: WRONGPASS %s
Push\ProtocolException: redis: WRONGPASS %s
Push\ProtocolException: redis: NOAUTH %s
Push\ProtocolException: redis: NOAUTH %s
Push\ProtocolException: redis: ERR DB index is out of range
Push\ProtocolException: redis: WRONGPASS %s
bool(true)
string(48) "{"t":"push","n":"client","u":["a"],"m":"static"}"
array(0) {
}
-- a server without a password
bool(false)
Push\ProtocolException: redis: ERR %s
int(0)
Push\ProtocolException: redis: WRONGPASS %s
-- addresses
redis://                                 ValueError: Push\RemoteServer::__construct(): Argument #1 ($address) must name a Redis host, as in redis://127.0.0.1:6379
redis://:6379                            ValueError: Push\RemoteServer::__construct(): Argument #1 ($address) must name a Redis host, as in redis://127.0.0.1:6379
redis://[::1                             ValueError: Push\RemoteServer::__construct(): Argument #1 ($address) must name a Redis host, as in redis://127.0.0.1:6379
redis://h:0                              ValueError: Push\RemoteServer::__construct(): Argument #1 ($address) must have a Redis port between 1 and 65535
redis://h:65536                          ValueError: Push\RemoteServer::__construct(): Argument #1 ($address) must have a Redis port between 1 and 65535
redis://h:x                              ValueError: Push\RemoteServer::__construct(): Argument #1 ($address) must have a Redis port between 1 and 65535
redis://h:6379/x                         ValueError: Push\RemoteServer::__construct(): Argument #1 ($address) must have a database number after the host, as in redis://127.0.0.1:6379/0
redis://h:6379/1234567890                ValueError: Push\RemoteServer::__construct(): Argument #1 ($address) must have a database number after the host, as in redis://127.0.0.1:6379/0
redis://h?foo=1                          ValueError: Push\RemoteServer::__construct(): Argument #1 ($address) may have no parameter but prefix=
redis://h?prefix=a&db=1                  ValueError: Push\RemoteServer::__construct(): Argument #1 ($address) may have no parameter but prefix=
redis://h                                bool(true)
REDIS://h:1/                             bool(true)
redis://[::1]:6379/15?prefix=            bool(true)
redis://u:p@h:1/0?prefix=a%3Ab:          bool(true)
Push\Exception: push.client_address must have a Redis port between 1 and 65535
