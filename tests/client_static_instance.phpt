--TEST--
Push\Client: every method works statically (default client) and on an instance, in every call form
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
$c = new Push\Client($dead, ['timeout' => 1]);

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
	public function viaInstance(Push\Client $c) { return $c->send('nobody', 'x'); }
}

$r = [
	who(fn() => Push\Client::send('nobody', 'x')),
	who(fn() => (new Caller)->viaMethod()),
	who(fn() => Caller::viaStatic()),
	who(fn() => call_user_func(['Push\Client', 'send'], 'nobody', 'x')),
	who(fn() => call_user_func('Push\Client::send', 'nobody', 'x')),
	who(fn() => call_user_func_array('Push\Client::sendCount', ['message' => 'x', 'uid' => 'nobody'])),
	who(fn() => array_map('Push\Client::isUidOnline', ['nobody'])[0]),
	who(fn() => (Push\Client::send(...))('nobody', 'x')),
	who(fn() => Closure::fromCallable([Push\Client::class, 'kickUid'])('nobody')),
	who(fn() => Push\Client::send(message: 'x', uid: 'nobody')),
	who(fn() => $c::broadcast('x') * 0),
];
echo "static: ", implode(' ', $r), "\n";
$r = [
	who(fn() => $c->send('nobody', 'x')),
	who(fn() => (new Caller)->viaInstance($c)),
	who(fn() => call_user_func([$c, 'send'], 'nobody', 'x')),
	who(fn() => call_user_func_array([$c, 'sendCount'], ['nobody', 'x'])),
	who(fn() => array_map([$c, 'isUidOnline'], ['nobody'])[0]),
	who(fn() => ($c->send(...))('nobody', 'x')),
	who(fn() => Closure::fromCallable([$c, 'kickUid'])('nobody')),
	who(fn() => (new ReflectionMethod(Push\Client::class, 'status'))->invoke($c)),
	who(fn() => $c->broadcast(message: 'x')),
];
echo "instance: ", implode(' ', $r), "\n";
var_dump(is_callable('Push\Client::send'), is_callable([$c, 'close']), is_callable([$c, 'nope']),
	method_exists(Push\Client::class, 'getUidConnectionCount'), method_exists($c, 'nope'));
foreach ([fn() => $c->nope(), fn() => Push\Client::nope(), fn() => call_user_func('Push\Client::nope')] as $f) {
	try {
		$f();
	} catch (Error $e) {
		echo get_class($e), ': ', $e->getMessage(), "\n";
	}
}
echo "status: ", count(Push\Client::status()) > 5 ? 'array' : 'bad', "\n";
Push\Client::close();
$c->close();
?>
--EXPECT--
static: default default default default default default default default default default default
instance: dead dead dead dead dead dead dead dead dead
bool(true)
bool(true)
bool(false)
bool(true)
bool(false)
Error: Call to undefined method Push\Client::nope()
Error: Call to undefined method Push\Client::nope()
TypeError: call_user_func(): Argument #1 ($callback) must be a valid callback, class Push\Client does not have a method "nope"
status: array
