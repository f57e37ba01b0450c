--TEST--
Hostile: credential-less Pusher sockets filling the channel table; one address gets its share of an app (max_channels_per_address), an app its share of the node (max_channels): a client from another address on the same app, and on another app, still subscribes and gets an event in under 1 s while the attack runs; refusals are counted
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';
require __DIR__ . '/inc/pusher.inc';

/* The attack at a small scale: each socket subscribes to $per new public channels and never reads. */
function attack(PushTestServer $srv, string $from, int $sockets, int $per, string $tag): array
{
	$socks = [];
	for ($i = 0; $i < $sockets; $i++) {
		$c = hostile_ws($srv, $from, '/app/app-key?protocol=7');
		$batch = '';
		for ($j = 0; $j < $per; $j++) {
			$batch .= TestWsClient::frame(json_encode(['event' => 'pusher:subscribe',
				'data' => ['channel' => "flood-$tag-$i-$j"]]));
		}
		fwrite($c->sock, $batch);
		$socks[] = $c;
	}
	return $socks;
}

/* A client from $from on an app: subscribes to a new channel and waits for an event triggered through the backend (the Text port);
 * the time it all took, or why it failed. */
function legit(PushTestServer $srv, string $from, string $key, string $appId, string $ch): string
{
	$t0 = microtime(true);
	$c = hostile_ws($srv, $from, "/app/$key?protocol=7");
	$m = json_decode((string)$c->recv(3), true);
	if (($m['event'] ?? '') !== 'pusher:connection_established') {
		return 'no connection_established';
	}
	$c->send(json_encode(['event' => 'pusher:subscribe', 'data' => ['channel' => $ch]]));
	$raw = $c->recv(3);
	$m = json_decode((string)$raw, true);
	if (($m['event'] ?? '') !== 'pusher_internal:subscription_succeeded') {
		return "subscribe: $raw";
	}
	$answer = push_text($srv, json_encode(['cmd' => 'event', 'app' => $appId, 'channel' => $ch, 'event' => 'hello',
		'data' => 'hi']));
	$ev = pnext($c, 3);
	$dt = microtime(true) - $t0;
	$c->close();
	if (($ev['event'] ?? '') !== 'hello') {
		return "trigger $answer, got " . json_encode($ev);
	}
	return $dt < 1.0 * push_test_slowdown() ? 'served in < 1 s' : sprintf('served, but in %.2f s', $dt);
}

$srv = push_server_start(['metrics_public' => true, 'pusher' => [
	'apps' => [
		['id' => 'app-id', 'key' => 'app-key', 'secret' => 'app-secret', 'max_channels' => 250],
		['id' => 'app2', 'key' => 'key2', 'secret' => 'secret2', 'max_channels' => 250],
	],
	'max_channels_per_connection' => 20, 'max_channels_per_address' => 100,
]]);

echo "-- one address: 20 sockets x 20 new channels\n";
$keep = attack($srv, '127.0.0.1', 20, 20, 'a');
$ok = push_wait(fn() => push_status($srv)['pusher']['channels_refused']['address'] >= 300, 10);
$p = push_status($srv)['pusher'];
printf("channels %d, refused for the address %d\n", $p['channels'], $p['channels_refused']['address']);
echo 'same app, another address: ', legit($srv, '127.0.0.2', 'app-key', 'app-id', 'mine'), "\n";
echo 'another app: ', legit($srv, '127.0.0.2', 'key2', 'app2', 'mine'), "\n";

echo "-- four addresses: the app is full, the other app is not\n";
foreach (['127.0.0.3', '127.0.0.4', '127.0.0.5'] as $i => $from) {
	$keep = array_merge($keep, attack($srv, $from, 10, 20, "b$i"));
}
push_wait(fn() => push_status($srv)['pusher']['channels_refused']['app'] >= 300, 10);
$p = push_status($srv)['pusher'];
printf("channels %d (the app's max_channels), refused for the app %s\n", $p['channels'],
	$p['channels_refused']['app'] >= 300 ? 'yes' : $p['channels_refused']['app']);
echo 'another app: ', legit($srv, '127.0.0.2', 'key2', 'app2', 'mine-2'), "\n";
$c = hostile_ws($srv, '127.0.0.2', '/app/app-key?protocol=7');
$c->recv(3);
$c->send(json_encode(['event' => 'pusher:subscribe', 'data' => ['channel' => 'one-more']]));
$m = json_decode((string)$c->recv(3), true);
echo 'a new channel of the full app: ', $m['event'], ' ', json_encode($m['data'] ?? null), "\n";
$c->send(json_encode(['event' => 'pusher:subscribe', 'data' => ['channel' => 'flood-a-0-0']]));
$m = json_decode((string)$c->recv(3), true);
echo 'a channel it already has: ', $m['event'], "\n";

echo "-- counted\n";
[$code, $body] = hostile_http($srv, 'GET', '/metrics');
preg_match_all('/^push_pusher_channels_refused_total\{limit="(\w+)"\} (\d+)$/m', $body, $mm, PREG_SET_ORDER);
foreach ($mm as [, $limit, $n]) {
	echo "refused $limit: ", $n > 0 ? 'some' : 'none', "\n";
}

echo "-- the attack ends: the table empties\n";
foreach ($keep as $c) {
	fclose($c->sock);
}
push_wait(fn() => push_status($srv)['pusher']['channels'] === 0, 10);
echo 'channels ', push_status($srv)['pusher']['channels'], "\n";
echo 'same app: ', legit($srv, '127.0.0.2', 'app-key', 'app-id', 'after'), "\n";
echo "done\n";
?>
--EXPECT--
-- one address: 20 sockets x 20 new channels
channels 100, refused for the address 300
same app, another address: served in < 1 s
another app: served in < 1 s
-- four addresses: the app is full, the other app is not
channels 250 (the app's max_channels), refused for the app yes
another app: served in < 1 s
a new channel of the full app: pusher:subscription_error {"type":"LimitReached","error":"this app has too many channels","status":403}
a channel it already has: pusher_internal:subscription_succeeded
-- counted
refused connection: none
refused address: some
refused app: some
refused node: none
-- the attack ends: the table empties
channels 0
same app: served in < 1 s
done
