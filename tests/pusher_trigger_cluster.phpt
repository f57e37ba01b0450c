--TEST--
Cluster: a Pusher event given to one node's Text port (or Push\Client::trigger) reaches the channel's subscribers on every node; a socket_id on another node is skipped
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/redis.inc';
$redis = push_redis_start();
['a' => $a, 'b' => $b] = push_cluster_start($redis, ['a', 'b'], ['pusher' => ['apps' => [
	['id' => 'app-id', 'key' => 'app-key', 'secret' => 'app-secret'],
]]]);

/** A pusher-js-like connection subscribed to $channel: [client, socket id]. */
function subscriber(PushTestServer $srv, string $channel): array
{
	$c = TestWsClient::connect($srv->wsUrl('/app/app-key?protocol=7&client=js&version=8.4.0'));
	$d = json_decode(json_decode((string)$c->recv(), true)['data'], true);
	$c->send(json_encode(['event' => 'pusher:subscribe', 'data' => ['channel' => $channel]]));
	$ok = json_decode((string)$c->recv(), true);
	if ($ok['event'] !== 'pusher_internal:subscription_succeeded') {
		throw new RuntimeException('not subscribed: ' . json_encode($ok));
	}
	return [$c, $d['socket_id']];
}

/** The events a connection got within $t seconds, as "event:data". */
function events(TestWsClient $c, float $t = 0.3): string
{
	$out = [];
	foreach ($c->drain($t) as $m) {
		$d = json_decode($m, true);
		if (($d['event'] ?? '') !== 'probe') {
			$out[] = $d['channel'] . '/' . $d['event'] . ':' . $d['data'];
		}
	}
	return implode(' | ', $out) ?: '(nothing)';
}

[$x, $xId] = subscriber($a, 'news');
[$y, $yId] = subscriber($b, 'news');

// the nodes learn of each other's subscribers through Redis: probe until b counts both
$line = '{"cmd":"event","channel":"news","event":"probe","data":"p"}';
var_dump(push_wait(fn() => json_decode(push_text($b, $line), true)['count'] === 2, 5.0));
$x->drain(0.3);
$y->drain(0.3);

echo push_text($b, '{"cmd":"event","channels":["news","empty"],"event":"hello","data":{"from":"b"}}'), "\n";
echo "x (a): ", events($x), "\n";
echo "y (b): ", events($y), "\n";

$c = new Push\RemoteServer($a->textAddress());
var_dump($c->trigger('news', 'not-y', 'skip y', $yId));
var_dump($c->trigger('news', 'not-x', 'skip x', $xId));
echo "x (a): ", events($x), "\n";
echo "y (b): ", events($y), "\n";
?>
--EXPECT--
bool(true)
{"ok":true,"count":2}
x (a): news/hello:{"from":"b"}
y (b): news/hello:{"from":"b"}
int(1)
int(1)
x (a): news/not-y:skip y
y (b): news/not-x:skip x
