--TEST--
Cluster: Redis restarts mid-run; cross-node pushes work again without restarting a node, and never answer ok while Redis is down
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/redis.inc';
$redis = push_redis_start();
['a' => $a, 'b' => $b] = push_cluster_start($redis, ['a', 'b']);

function redis_state(PushTestServer $srv): string
{
	return push_status($srv)['cluster']['redis'] ?? 'no cluster in status';
}

/* Pushes through b to alice (on a) until she gets one; false after $timeout seconds. */
function pushes_again(PushTestServer $b, TestWsClient $alice, float $timeout = 10.0): bool
{
	return push_wait(function () use ($b, $alice) {
		return push_text($b, '{"uid":"alice","msg":"again"}') === 'ok' && $alice->recv(1.0) === 'again';
	}, $timeout);
}

$alice = ws_bind($a, 'alice');
$bob = ws_bind($b, 'bob');
var_dump(push_wait(fn() => push_cmd($b, ['cmd' => 'isUidOnline', 'uid' => 'alice'])['online']));
echo push_text($b, '{"uid":"alice","msg":"before"}'), ' ', $alice->recv(), "\n";
echo redis_state($a), ' ', redis_state($b), "\n";

echo "-- restart\n";
$redis->restart();
$t = microtime(true);
$ok = pushes_again($b, $alice);
echo $ok ? 'cross-node pushes work again within 10 s' : 'no cross-node push after ' . round(microtime(true) - $t, 1) . ' s', "\n";
$alice->drain(0.3);
var_dump(push_wait(fn() => redis_state($a) === 'connected' && redis_state($b) === 'connected'));
$cr = new Push\RemoteServer($redis->url());
var_dump(push_wait(fn() => $cr->send('alice', 'via redis') && $alice->recv(1.0) === 'via redis', 5.0));
$alice->drain(0.3);

echo "-- down\n";
$redis->stop();
var_dump(push_wait(fn() => redis_state($b) === 'disconnected', 5.0));
$answers = [];
for ($i = 0; $i < 5; $i++) {
	$line = push_text($b, '{"uid":"alice","msg":"while down"}');
	$answers[preg_replace('/^error: .*/', 'error: ...', $line)] = true;
	usleep(100000);
}
$answers = array_keys($answers);
sort($answers);
echo 'answers while down: ', implode(', ', $answers), "\n";
echo in_array('ok', $answers, true) ? "ok while Redis was down\n" : "never ok\n";
var_dump($alice->drain(0.3));
// each node still serves its own connections
echo push_text($b, '{"uid":"bob","msg":"local"}'), ' ', $bob->recv(), "\n";
echo push_text($a, '{"uid":"alice","msg":"local"}'), ' ', $alice->recv(), "\n";
try {
	$cr->send('alice', 'x');
} catch (Push\ConnectionException $e) {
	echo "Push\\ConnectionException\n";
}

echo "-- up again\n";
$redis->restart();
$t = microtime(true);
$ok = pushes_again($b, $alice);
echo $ok ? 'cross-node pushes work again within 10 s' : 'no cross-node push after ' . round(microtime(true) - $t, 1) . ' s', "\n";
var_dump(push_wait(fn() => redis_state($a) === 'connected' && redis_state($b) === 'connected'));
$st = push_status($b)['cluster'];
echo $st['node'], ' ', $st['nodes'], ' ', $st['reconnects'] >= 2 ? 'reconnected' : "reconnects: {$st['reconnects']}", "\n";
var_dump($a->running(), $b->running());
?>
--EXPECTF--
bool(true)
ok before
connected connected
-- restart
cross-node pushes work again within 10 s
bool(true)
bool(true)
-- down
bool(true)
answers while down: %s
never ok
array(0) {
}
ok local
ok local
Push\ConnectionException
-- up again
cross-node pushes work again within 10 s
bool(true)
b 2 reconnected
bool(true)
bool(true)
