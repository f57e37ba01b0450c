--TEST--
Push\Client: the Text secret; a wrong or missing secret is refused
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
$srv = push_server_start(['text_secret' => 's3cret']);
$addr = $srv->textAddress();
function attempt(callable $f): void
{
	try {
		var_dump($f());
	} catch (Push\Exception $e) {
		echo get_class($e), ': ', $e->getMessage(), "\n";
	}
}
attempt(fn() => (new Push\RemoteServer($addr, ['secret' => 'wrong']))->send('u', 'x'));
attempt(fn() => (new Push\RemoteServer($addr))->send('u', 'x'));
$good = new Push\RemoteServer($addr, ['secret' => 's3cret']);
attempt(fn() => $good->send('u', 'x'));
attempt(fn() => $good->getUidConnectionCount('u'));

ini_set('push.client_address', $addr);
ini_set('push.client_secret', 's3cret');
attempt(fn() => Push\Client::send('u', 'x'));
ini_set('push.client_secret', 'nope');
attempt(fn() => Push\Client::isUidOnline('u'));
ini_set('push.client_secret', 's3cret');
attempt(fn() => Push\Client::isUidOnline('u'));
echo "refused: ", $good->getStats()['refused']['text_auth'], "\n";
?>
--EXPECT--
Push\ProtocolException: push server: unauthorized
Push\ProtocolException: push server: unauthorized
bool(false)
int(0)
bool(false)
Push\ProtocolException: push server: unauthorized
bool(false)
refused: 3
