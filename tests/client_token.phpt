--TEST--
Push\Client::token(): the server accepts the token as the first message; argument checks
--EXTENSIONS--
push
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start(['secret' => 'k3y', 'plain_uid' => false]);
$c = new Push\RemoteServer($srv->textAddress());

$t = Push\Client::token('alice', 60, 'k3y');
var_dump(preg_match('/^[A-Za-z0-9_-]+\.(\d+)\.[A-Za-z0-9_-]{43}$/', $t, $m), abs((int)$m[1] - time() - 60) <= 1);
$a = TestWsClient::connect($srv->wsUrl());
$a->send($t);
var_dump(push_wait(fn() => $c->isUidOnline('alice')), $c->send('alice', 'hello'), $a->recv());

ini_set('push.secret', 'k3y');
$b = TestWsClient::connect($srv->wsUrl());
$b->send(Push\Client::token(42));
var_dump(push_wait(fn() => $c->isUidOnline(42)));

$bad = TestWsClient::connect($srv->wsUrl());
$bad->send(Push\Client::token('mallory', 60, 'other key'));
var_dump($bad->waitClose(3) === Push\Server::CLOSE_BAD_TOKEN, $c->isUidOnline('mallory'));

foreach ([
	fn() => Push\Client::token(''),
	fn() => Push\Client::token(str_repeat('x', 257)),
	fn() => Push\Client::token("a\0b"),
	fn() => Push\Client::token('u', 0),
	fn() => Push\Client::token('u', PHP_INT_MAX),
	fn() => Push\Client::token('u', 60, ''),
	function () { ini_set('push.secret', ''); return Push\Client::token('u'); },
] as $f) {
	try {
		$f();
	} catch (Throwable $e) {
		echo get_class($e), ': ', $e->getMessage(), "\n";
	}
}
var_dump(strlen(Push\Client::token(str_repeat('x', 256), 1, 'k')) > 256);
?>
--EXPECT--
int(1)
bool(true)
bool(true)
bool(true)
string(5) "hello"
bool(true)
bool(true)
bool(false)
ValueError: Push\Client::token(): Argument #1 ($uid) must not be empty
ValueError: Push\Client::token(): Argument #1 ($uid) must be at most 256 bytes long
ValueError: Push\Client::token(): Argument #1 ($uid) must not contain any null bytes
ValueError: Push\Client::token(): Argument #2 ($ttl) must be greater than 0
ValueError: Push\Client::token(): Argument #2 ($ttl) is too large
ValueError: Push\Client::token(): Argument #3 ($secret) must not be empty
Push\Exception: push.secret is not set and no secret was given
bool(true)
