--TEST--
Push\Client: Push\ConnectionException when nothing listens, statically and on an instance
--EXTENSIONS--
push
--FILE--
<?php
$s = stream_socket_server('tcp://127.0.0.1:0');
$addr = 'tcp://' . stream_socket_get_name($s, false);
fclose($s);

$c = new Push\RemoteServer($addr, ['timeout' => 2]);
try {
	$c->send('u', 'x');
} catch (Push\ConnectionException $e) {
	echo get_class($e), ': ', str_replace($addr, 'ADDR', $e->getMessage()), "\n";
	var_dump($e instanceof Push\Exception);
}
ini_set('push.client_address', $addr);
foreach (['send' => ['u', 'x'], 'getStats' => [], 'broadcast' => ['x']] as $m => $args) {
	try {
		Push\Client::$m(...$args);
	} catch (Push\ConnectionException $e) {
		echo "$m: ", str_replace($addr, 'ADDR', $e->getMessage()), "\n";
	}
}
$path = 'unix://' . sys_get_temp_dir() . '/push-no-such-' . getmypid() . '.sock';
try {
	(new Push\RemoteServer($path))->getStats();
} catch (Push\ConnectionException $e) {
	echo str_replace($path, 'PATH', $e->getMessage()), "\n";
}
?>
--EXPECT--
Push\ConnectionException: cannot connect to the push server at ADDR: Connection refused
bool(true)
send: cannot connect to the push server at ADDR: Connection refused
getStats: cannot connect to the push server at ADDR: Connection refused
broadcast: cannot connect to the push server at ADDR: Connection refused
cannot connect to the push server at PATH: No such file or directory
