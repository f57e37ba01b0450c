--TEST--
Hostile: behind a trusted proxy, a Pusher socket's new channels are charged to its client's address (X-Forwarded-For), not to the proxy's: one client at max_channels_per_address leaves another client of the same proxy its own share
--EXTENSIONS--
push
--SKIPIF--
<?php if (PHP_OS_FAMILY !== 'Linux') die('skip needs 127.0.0.x source addresses'); ?>
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';

/* A Pusher socket through the proxy at 127.0.0.7 for client $client, its connection_established read. */
function via_proxy(PushTestServer $srv, string $client): TestWsClient
{
	$s = hostile_connect($srv->ws, '127.0.0.7', true);
	stream_set_timeout($s, 3);
	stream_set_read_buffer($s, 0);
	fwrite($s, "GET /app/app-key?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		. "Sec-WebSocket-Key: " . base64_encode(random_bytes(16)) . "\r\nSec-WebSocket-Version: 13\r\n"
		. "X-Forwarded-For: $client\r\n\r\n");
	$head = '';
	while (!str_contains($head, "\r\n\r\n") && ($ch = fgetc($s)) !== false) {
		$head .= $ch;
	}
	$c = new TestWsClient();
	$c->sock = $s;
	$m = json_decode((string)$c->recv(3.0 * push_test_slowdown()), true);
	if (($m['event'] ?? '') !== 'pusher:connection_established') {
		throw new RuntimeException("no connection_established for $client: " . strtok($head, "\r\n"));
	}
	return $c;
}

/* Subscribes c to channel ch: the event of the answer (and the error type when refused). */
function subscribe(TestWsClient $c, string $ch): string
{
	$c->send(json_encode(['event' => 'pusher:subscribe', 'data' => ['channel' => $ch]]));
	$m = json_decode((string)$c->recv(3.0 * push_test_slowdown()), true);
	return ($m['event'] ?? '(nothing)') . (isset($m['data']['type']) ? ' ' . $m['data']['type'] : '');
}

$srv = push_server_start([
	'trusted_proxies' => ['127.0.0.7'],
	'pusher' => ['apps' => [['id' => 'app-id', 'key' => 'app-key', 'secret' => 'app-secret']],
		'max_channels_per_address' => 3],
]);
$a = via_proxy($srv, '10.0.0.1');
foreach (['a1', 'a2', 'a3', 'a4'] as $ch) {
	echo "client 10.0.0.1, new channel $ch: ", subscribe($a, $ch), "\n";
}
$b = via_proxy($srv, '10.0.0.2');
foreach (['b1', 'b2'] as $ch) {
	echo "client 10.0.0.2, new channel $ch: ", subscribe($b, $ch), "\n";
}
echo "refused for an address: ", push_status($srv)['pusher']['channels_refused']['address'], "\n";
?>
--EXPECT--
client 10.0.0.1, new channel a1: pusher_internal:subscription_succeeded
client 10.0.0.1, new channel a2: pusher_internal:subscription_succeeded
client 10.0.0.1, new channel a3: pusher_internal:subscription_succeeded
client 10.0.0.1, new channel a4: pusher:subscription_error LimitReached
client 10.0.0.2, new channel b1: pusher_internal:subscription_succeeded
client 10.0.0.2, new channel b2: pusher_internal:subscription_succeeded
refused for an address: 1
