--TEST--
Push\Client's static methods use the default client and Push\RemoteServer's instance methods their own, in every call form
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
$srv = push_server_start();
ini_set('push.client_address', $srv->textAddress());
$s = stream_socket_server('tcp://127.0.0.1:0');
$dead = 'tcp://' . stream_socket_get_name($s, false);
fclose($s);
// the instance talks to a closed port: "dead" shows the call went to the instance,
// "default" that it went to the default client (the live server)
$c = new Push\RemoteServer($dead, ['timeout' => 1]);

function who(callable $f): string
{
	try {
		$r = $f();
		return $r === false || $r === 0 ? 'default' : 'default:' . json_encode($r);
	} catch (Push\ConnectionException $e) {
		return 'dead';
	}
}

class Caller
{
	public function viaMethod() { return Push\Client::send('nobody', 'x'); }
	public static function viaStatic() { return Push\Client::getUidConnectionCount('nobody'); }
	public function viaInstance(Push\RemoteServer $c) { return $c->send('nobody', 'x'); }
}

$r = [
	who(fn() => Push\Client::send('nobody', 'x')),
	who(fn() => (new Caller)->viaMethod()),
	who(fn() => Caller::viaStatic()),
	who(fn() => call_user_func(['Push\Client', 'send'], 'nobody', 'x')),
	who(fn() => call_user_func('Push\Client::send', 'nobody', 'x')),
	who(fn() => call_user_func_array('Push\Client::sendToUid', ['message' => 'x', 'uid' => 'nobody'])),
	who(fn() => array_map('Push\Client::isUidOnline', ['nobody'])[0]),
	who(fn() => (Push\Client::send(...))('nobody', 'x')),
	who(fn() => Closure::fromCallable([Push\Client::class, 'kickUid'])('nobody')),
	who(fn() => Push\Client::send(message: 'x', uid: 'nobody')),
	who(fn() => Push\Client::instance()->broadcast('x') * 0),
];
echo "static: ", implode(' ', $r), "\n";
$r = [
	who(fn() => $c->send('nobody', 'x')),
	who(fn() => (new Caller)->viaInstance($c)),
	who(fn() => call_user_func([$c, 'send'], 'nobody', 'x')),
	who(fn() => call_user_func_array([$c, 'sendToUid'], ['nobody', 'x'])),
	who(fn() => array_map([$c, 'isUidOnline'], ['nobody'])[0]),
	who(fn() => ($c->send(...))('nobody', 'x')),
	who(fn() => Closure::fromCallable([$c, 'kickUid'])('nobody')),
	who(fn() => (new ReflectionMethod(Push\RemoteServer::class, 'getStats'))->invoke($c)),
	who(fn() => $c->broadcast(message: 'x')),
];
echo "instance: ", implode(' ', $r), "\n";
// the default client is one object per settings, a Push\RemoteServer
var_dump(Push\Client::instance() === Push\Client::instance(), Push\Client::instance() instanceof Push\RemoteServer);
var_dump(is_callable('Push\Client::send'), is_callable([$c, 'close']), is_callable([$c, 'nope']),
	is_callable('Push\RemoteServer::send'), method_exists(Push\Client::class, 'getUidConnectionCount'));
foreach ([fn() => $c->nope(), fn() => Push\Client::nope(), fn() => Push\RemoteServer::send('a', 'b'),
		fn() => new Push\Client(), fn() => call_user_func('Push\Client::nope')] as $f) {
	try {
		$f();
	} catch (Error $e) {
		echo get_class($e), ': ', $e->getMessage(), "\n";
	}
}
echo "getStats: ", count(Push\Client::getStats()) > 5 ? 'array' : 'bad', "\n";
// the 0.x names still work, deprecated
set_error_handler(function ($no, $msg) { echo $no === E_DEPRECATED ? "E_DEPRECATED: $msg\n" : "$msg\n"; return true; });
$st = Push\Client::status();
echo "status: ", count($st) > 5 ? 'array' : 'bad', "\n";
$n = Push\Client::sendCount('nobody', 'x');
echo "sendCount: $n\n";
restore_error_handler();
Push\Client::close();
$c->close();
?>
--EXPECT--
static: default default default default default default default default default default default
instance: dead dead dead dead dead dead dead dead dead
bool(true)
bool(true)
bool(true)
bool(true)
bool(false)
bool(false)
bool(true)
Error: Call to undefined method Push\RemoteServer::nope()
Error: Call to undefined method Push\Client::nope()
Error: Non-static method Push\RemoteServer::send() cannot be called statically
Error: Call to private Push\Client::__construct() from global scope
TypeError: call_user_func(): Argument #1 ($callback) must be a valid callback, class Push\Client does not have a method "nope"
getStats: array
E_DEPRECATED: Method Push\Client::status() is deprecated
status: array
E_DEPRECATED: Method Push\Client::sendCount() is deprecated
sendCount: 0
