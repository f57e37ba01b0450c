--TEST--
Push\Client: a peer that never answers gives Push\ConnectionException after the timeout
--EXTENSIONS--
push
--FILE--
<?php
// a plain listening socket: the kernel accepts the connection, nothing ever answers
$peer = stream_socket_server('tcp://127.0.0.1:0');
$addr = 'tcp://' . stream_socket_get_name($peer, false);

$c = new Push\RemoteServer($addr, ['timeout' => 0.3, 'persistent' => false]);
$t = microtime(true);
try {
	$c->send('u', 'x');
} catch (Push\ConnectionException $e) {
	echo str_replace($addr, 'ADDR', $e->getMessage()), "\n";
}
$dt = microtime(true) - $t;
var_dump($dt >= 0.25 && $dt < 2.0);

// the timed-out connection was dropped: the next call opens a new one
$c->close();
ini_set('push.client_address', $addr);
ini_set('push.client_timeout', '0.2');
$t = microtime(true);
try {
	Push\Client::isUidOnline('u');
} catch (Push\ConnectionException $e) {
	echo str_replace($addr, 'ADDR', $e->getMessage()), "\n";
}
$dt = microtime(true) - $t;
var_dump($dt >= 0.15 && $dt < 2.0);
$n = 0;
while (($conn = @stream_socket_accept($peer, 0.2)) !== false) {
	$n++;
}
echo "connections: $n\n";
?>
--EXPECT--
timed out waiting for the push server at ADDR
bool(true)
timed out waiting for the push server at ADDR
bool(true)
connections: 2
