--TEST--
Server options are validated with clear errors; the Text port refuses non-loopback without a secret
--EXTENSIONS--
push
--FILE--
<?php
foreach ([
	['ws' => 'http://x:1'],
	['ws' => 'ws://127.0.0.1'],
	['ws' => 'ws://127.0.0.1:70000'],
	['text' => 'udp://127.0.0.1:5'],
	['nope' => 1],
	['max_connections' => 0],
	['max_connections' => '10'],
	['ping_interval' => 'x'],
	['ws' => 'wss://127.0.0.1:0'],
	['tls_cert' => '/x', 'tls_key' => '/y'],
	['plain_uid' => 1],
	['origins' => 'https://a'],
	[5],
] as $opts) {
	try {
		new Push\Server($opts);
		echo "accepted\n";
	} catch (Throwable $e) {
		echo get_class($e), ': ', $e->getMessage(), "\n";
	}
}
try {
	new Push\Server(['text' => 'tcp://0.0.0.0:5678']);
} catch (Push\ServerException $e) {
	echo "ServerException: ", substr($e->getMessage(), 0, 60), "\n";
}
$s = new Push\Server(['text' => 'tcp://0.0.0.0:0', 'text_secret' => 's3cret']);
echo "with text_secret: ok\n";
$s = new Push\Server(['text' => false, 'ws' => 'ws://[::1]:0']);
echo "no text port: ", $s->getTextPort(), "\n";
try {
	$s = new Push\Server(['ws' => 'ws://10.255.255.1:0']);
	$s->run();
} catch (Push\ServerException $e) {
	echo "ServerException: ", $e->getMessage(), "\n";
}
?>
--EXPECT--
ValueError: WebSocket address "http://x:1" has an unsupported scheme (use ws://)
ValueError: WebSocket address "ws://127.0.0.1" must look like ws://host:port
ValueError: WebSocket address "ws://127.0.0.1:70000" must look like ws://host:port
ValueError: Text address "udp://127.0.0.1:5" has an unsupported scheme (use tcp://)
ValueError: Push\Server::__construct(): Argument #1 ($options) has an unknown option "nope"
ValueError: Push\Server::__construct(): Argument #1 ($options) option "max_connections" must be between 1 and 10000000
TypeError: Push\Server::__construct(): Argument #1 ($options) option "max_connections" must be of type int, string given
TypeError: Push\Server::__construct(): Argument #1 ($options) option "ping_interval" must be a number of seconds, string given
ValueError: Push\Server::__construct(): Argument #1 ($options) a wss:// address needs the "tls_cert" and "tls_key" options
ValueError: Push\Server::__construct(): Argument #1 ($options) "tls_cert" and "tls_key" need a wss:// address
TypeError: Push\Server::__construct(): Argument #1 ($options) option "plain_uid" must be of type bool, int given
TypeError: Push\Server::__construct(): Argument #1 ($options) option "origins" must be of type array, string given
ValueError: Push\Server::__construct(): Argument #1 ($options) options must be an array with string keys
ServerException: refusing to open the Text port on every interface without "t
with text_secret: ok
no text port: -1
ServerException: cannot listen for WebSocket on 10.255.255.1 port 0: Cannot assign requested address
