--TEST--
Hostile: one address cannot take every connection slot (max_connections_per_address counts established connections); refusals get HTTP 503 before the upgrade or Pusher's 4100; over max_connections too; trusted_proxies believes X-Forwarded-For
--EXTENSIONS--
push
--SKIPIF--
<?php if (PHP_OS_FAMILY !== 'Linux') die('skip needs 127.0.0.x source addresses'); ?>
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';
require __DIR__ . '/inc/pusher.inc';

/* A raw upgrade from $from (with extra headers): the status line of the answer, and the socket. */
function upgrade(PushTestServer $srv, string $from, string $path = '/', string $extra = ''): array
{
	$s = hostile_connect($srv->ws, $from, true);
	stream_set_timeout($s, 3);
	fwrite($s, "GET $path HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		. "Sec-WebSocket-Key: " . base64_encode(random_bytes(16)) . "\r\nSec-WebSocket-Version: 13\r\n$extra\r\n");
	$head = '';
	while (!str_contains($head, "\r\n\r\n") && ($c = fgetc($s)) !== false) {
		$head .= $c;
	}
	return [$head === '' ? '(closed)' : strtok($head, "\r\n"), $s];
}

/* The first frame's payload and the close code a Pusher socket got after its 101. */
function pusher_answer($s): string
{
	$c = new TestWsClient();
	$c->sock = $s;
	$m = json_decode((string)$c->recv(2.0 * push_test_slowdown()), true);
	$code = $c->waitClose(3.0 * push_test_slowdown());
	return ($m['event'] ?? '(nothing)') . ' ' . json_encode($m['data']['code'] ?? null) . ' ' . ($m['data']['message'] ?? '')
		. ", close $code";
}

$pusher = ['apps' => [['id' => 'app-id', 'key' => 'app-key', 'secret' => 'app-secret']]];

/* 1. One address opens connections that never authenticate, and Pusher sockets that never send:
 * 20 are let in, the next gets 503 (recipe) or 4100 (Pusher); another address is served at once. */
$srv = push_server_start(['max_connections' => 60, 'max_connections_per_address' => 20, 'auth_timeout' => 30,
	'metrics_public' => true, 'pusher' => $pusher]);
$held = [];
for ($i = 0; $i < 12; $i++) {
	[$line, $held[]] = upgrade($srv, '127.0.0.2');
}
for ($i = 0; $i < 8; $i++) {
	[$line, $held[]] = upgrade($srv, '127.0.0.2', '/app/app-key?protocol=7');
}
echo "20 from one address: $line\n";
[$line, $s] = upgrade($srv, '127.0.0.2');
echo "21st (recipe): $line\n";
[$line, $s] = upgrade($srv, '127.0.0.2', '/app/app-key?protocol=7');
echo "21st (Pusher): $line, ", pusher_answer($s), "\n";
$t0 = microtime(true);
$other = hostile_ws($srv, '127.0.0.3');
$other->send('other');
[$po, $sid] = pconnect($srv);
$dt = microtime(true) - $t0;
echo "another address: ", push_wait(fn() => push_status($srv)['uids'] >= 1, 2) && $dt < 1.0 * push_test_slowdown() ? "served in time" : sprintf("not served (%.2f s)", $dt), "\n";
/* one of the address's connections goes: one more may come */
fclose(array_pop($held));
push_wait(fn() => push_status($srv)['connections'] < 22, 2);
[$line, $held[]] = upgrade($srv, '127.0.0.2');
echo "after one left: $line\n";
$st = push_status($srv);
echo "refused connections_per_address: ", $st['refused']['connections_per_address'] ?? 'missing', "\n";
[, $metrics] = hostile_http($srv, 'GET', '/metrics');
echo preg_match('/^push_refused_total\{reason="connections_per_address"\} 2$/m', $metrics) ? "metrics count it" : "metrics do not count it", "\n";

/* 2. Over max_connections: the protocol's answer rather than a dropped connection. */
for ($i = 0; $i < 20; $i++) {
	[$line, $held[]] = upgrade($srv, '127.0.0.4');
}
for ($i = 0; $i < 18; $i++) {
	[$line, $held[]] = upgrade($srv, '127.0.0.5');
}
echo "60 in all: $line\n";
[$line, $s] = upgrade($srv, '127.0.0.6');
echo "over max_connections (recipe): $line\n";
[$line, $s] = upgrade($srv, '127.0.0.6', '/app/app-key?protocol=7');
echo "over max_connections (Pusher): $line, ", pusher_answer($s), "\n";
echo "refused max_connections: ", push_status($srv)['refused']['max_connections'], "\n";
foreach ($held as $s) {
	fclose($s);
}

/* 3. trusted_proxies: behind the proxy at 127.0.0.7 the client is X-Forwarded-For's last untrusted
 * hop; from an address that is not trusted the header is not believed. */
$srv2 = push_server_start(['max_connections_per_address' => 2, 'max_handshakes_per_address' => 1,
	'trusted_proxies' => ['127.0.0.7', '10.9.0.0/16']]);
$keep = [];
foreach (['10.0.0.1', '10.0.0.1', '10.0.0.1', '10.0.0.2', '192.0.2.1, 10.0.0.1, 10.9.3.4', '10.0.0.3, 10.9.3.4'] as $xff) {
	[$line, $keep[]] = upgrade($srv2, '127.0.0.7', '/', "X-Forwarded-For: $xff\r\n");
	echo "via proxy, X-Forwarded-For $xff: $line\n";
}
[$line, $keep[]] = upgrade($srv2, '127.0.0.8', '/', "X-Forwarded-For: 10.0.0.4\r\n");
[$line, $keep[]] = upgrade($srv2, '127.0.0.8', '/', "X-Forwarded-For: 10.0.0.5\r\n");
[$line, $keep[]] = upgrade($srv2, '127.0.0.8', '/', "X-Forwarded-For: 10.0.0.6\r\n");
echo "not a trusted proxy, 3rd: $line\n";
/* the proxy carries many heads at once: the per-address handshake cap does not apply to it */
$heads = [];
for ($i = 0; $i < 5; $i++) {
	$heads[$i] = hostile_connect($srv2->ws, '127.0.0.7');
	fwrite($heads[$i], "GET / HT");
}
echo "5 unfinished heads from the proxy: ", hostile_closed_all($heads, 0.5), " closed\n";
try {
	push_server_start(['trusted_proxies' => ['10.0.0.0/33']]);
} catch (RuntimeException $e) {
	echo "bad CIDR: ", str_contains($e->getMessage(), 'trusted_proxies') ? "refused at start" : $e->getMessage(), "\n";
}
?>
--EXPECT--
20 from one address: HTTP/1.1 101 Switching Protocols
21st (recipe): HTTP/1.1 503 Service Unavailable
21st (Pusher): HTTP/1.1 101 Switching Protocols, pusher:error 4100 over capacity, close 4100
another address: served in time
after one left: HTTP/1.1 101 Switching Protocols
refused connections_per_address: 2
metrics count it
60 in all: HTTP/1.1 101 Switching Protocols
over max_connections (recipe): HTTP/1.1 503 Service Unavailable
over max_connections (Pusher): HTTP/1.1 101 Switching Protocols, pusher:error 4100 over capacity, close 4100
refused max_connections: 2
via proxy, X-Forwarded-For 10.0.0.1: HTTP/1.1 101 Switching Protocols
via proxy, X-Forwarded-For 10.0.0.1: HTTP/1.1 101 Switching Protocols
via proxy, X-Forwarded-For 10.0.0.1: HTTP/1.1 503 Service Unavailable
via proxy, X-Forwarded-For 10.0.0.2: HTTP/1.1 101 Switching Protocols
via proxy, X-Forwarded-For 192.0.2.1, 10.0.0.1, 10.9.3.4: HTTP/1.1 503 Service Unavailable
via proxy, X-Forwarded-For 10.0.0.3, 10.9.3.4: HTTP/1.1 101 Switching Protocols
not a trusted proxy, 3rd: HTTP/1.1 503 Service Unavailable
5 unfinished heads from the proxy: 0 closed
bad CIDR: refused at start
