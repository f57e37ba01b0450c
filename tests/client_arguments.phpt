--TEST--
Push\Client: constructor options and argument checks
--EXTENSIONS--
push
--FILE--
<?php
function attempt(callable $f): void
{
	try {
		$f();
		echo "ok\n";
	} catch (Throwable $e) {
		echo get_class($e), ': ', $e->getMessage(), "\n";
	}
}
attempt(fn() => new Push\RemoteServer('tcp://127.0.0.1:1', ['timeout' => 1, 'secret' => null, 'persistent' => false]));
attempt(fn() => new Push\RemoteServer('unix:///run/push.sock', ['timeout' => 0.5, 'secret' => 'x']));
attempt(fn() => new Push\RemoteServer('127.0.0.1:5678'));
attempt(fn() => new Push\RemoteServer());
attempt(fn() => new Push\RemoteServer('udp://127.0.0.1:1'));
attempt(fn() => new Push\RemoteServer(''));
attempt(fn() => new Push\RemoteServer('tcp://'));
attempt(fn() => new Push\RemoteServer(null, ['timeot' => 1]));
attempt(fn() => new Push\RemoteServer(null, [1]));
attempt(fn() => new Push\RemoteServer(null, ['timeout' => '1']));
attempt(fn() => new Push\RemoteServer(null, ['timeout' => 0]));
attempt(fn() => new Push\RemoteServer(null, ['timeout' => 3601]));
attempt(fn() => new Push\RemoteServer(null, ['secret' => 5]));
attempt(fn() => new Push\RemoteServer(null, ['secret' => "\xff"]));
attempt(fn() => new Push\RemoteServer(null, ['persistent' => 1]));

// checked before any connection is made (nothing listens on port 1)
$c = new Push\RemoteServer('tcp://127.0.0.1:1');
json_decode('{');
attempt(fn() => $c->send(1.5, 'x'));
attempt(fn() => $c->send('', 'x'));
attempt(fn() => $c->send([], 'x'));
attempt(fn() => $c->send(['a', ['b']], 'x'));
attempt(fn() => $c->send(['a', ''], 'x'));
attempt(fn() => $c->send("\xfe", 'x'));
attempt(fn() => $c->send('u', "\xff"));
attempt(fn() => $c->broadcast(['x' => NAN]));
attempt(fn() => $c->isUidOnline(''));
var_dump(json_last_error() === JSON_ERROR_SYNTAX);
attempt(fn() => clone $c);
ini_set('push.client_address', 'udp://127.0.0.1:1');
attempt(fn() => Push\Client::send('u', 'x'));
attempt(fn() => Push\Client::close());
?>
--EXPECTF--
ok
ok
ok
ok
ValueError: Push\RemoteServer::__construct(): Argument #1 ($address) must be a tcp:// or unix:// address
ValueError: Push\RemoteServer::__construct(): Argument #1 ($address) must not be empty
ValueError: Push\RemoteServer::__construct(): Argument #1 ($address) must name a host and port, or a socket path
ValueError: Push\RemoteServer::__construct(): Argument #2 ($options) has an unknown option "timeot"
ValueError: Push\RemoteServer::__construct(): Argument #2 ($options) options must be an array with string keys
TypeError: Push\RemoteServer::__construct(): Argument #2 ($options) option "timeout" must be of type float, string given
ValueError: Push\RemoteServer::__construct(): Argument #2 ($options) option "timeout" must be greater than 0 and at most 3600 seconds
ValueError: Push\RemoteServer::__construct(): Argument #2 ($options) option "timeout" must be greater than 0 and at most 3600 seconds
TypeError: Push\RemoteServer::__construct(): Argument #2 ($options) option "secret" must be of type ?string, int given
ValueError: Push\RemoteServer::__construct(): Argument #2 ($options) option "secret" must be valid UTF-8
TypeError: Push\RemoteServer::__construct(): Argument #2 ($options) option "persistent" must be of type bool, int given
TypeError: Push\RemoteServer::send(): Argument #1 ($uid) must be of type array|string|int, float given
ValueError: Push\RemoteServer::send(): Argument #1 ($uid) must not be empty
ValueError: Push\RemoteServer::send(): Argument #1 ($uid) must not be empty
TypeError: Push\RemoteServer::send(): Argument #1 ($uid) must contain only strings and integers, array given
ValueError: Push\RemoteServer::send(): Argument #1 ($uid) must not contain empty uids
ValueError: Push\RemoteServer::send(): Argument #1 ($uid) cannot be encoded as JSON: malformed UTF-8 characters, possibly incorrectly encoded
ValueError: Push\RemoteServer::send(): Argument #2 ($message) cannot be encoded as JSON: malformed UTF-8 characters, possibly incorrectly encoded
ValueError: Push\RemoteServer::broadcast(): Argument #1 ($message) cannot be encoded as JSON: INF and NAN cannot be encoded
ValueError: Push\RemoteServer::isUidOnline(): Argument #1 ($uid) must not be empty
bool(true)
Error: Trying to clone an uncloneable object of class Push\RemoteServer
Push\Exception: push.client_address must be a tcp:// or unix:// address
ok
