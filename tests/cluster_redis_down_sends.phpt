--TEST--
Cluster: with Redis down, broadcasts, group sends and Pusher events answer an error on every front end (Text commands, HTTP API, Pusher HTTP API, Push\RemoteServer (Push\Client), Push\Server in-process), as a unicast push does, saying how many local connections got it
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/redis.inc';
require __DIR__ . '/inc/hostile.inc';
require __DIR__ . '/inc/pusher.inc';
$redis = push_redis_start();
$setup = <<<'PHP'
$server->onMessage(function (Push\Connection $c, string $data) use ($server) {
	if (!str_starts_with($data, 'srv-')) {
		return;
	}
	try {
		$n = match ($data) {
			'srv-broadcast' => $server->broadcast('from server'),
			'srv-group' => $server->sendToGroup('G', 'from server'),
			'srv-send' => $server->send('alice', 'from server'),
			'srv-count' => $server->sendToUid('alice', 'from server'),
		};
		$c->send('answer ' . json_encode($n));
	} catch (Throwable $e) {
		$c->send('answer ' . get_class($e) . ' (' . $e->getCode() . ') ' . $e->getMessage());
	}
});
PHP;
['a' => $a, 'b' => $b] = push_cluster_start($redis, ['a', 'b'], ['api_secret' => 'k', 'pusher' => ['apps' => [
	['id' => 'app-id', 'key' => 'app-key', 'secret' => 'app-secret'],
]]], $setup);

/* One HTTP API request to a node: "status body". */
function api(PushTestServer $srv, string $path, array $body): string
{
	[$status, $b] = hostile_http($srv, 'POST', $path, json_encode($body),
		['Authorization' => 'Bearer k', 'Content-Type' => 'application/json']);
	return "$status $b";
}

/* What an in-process Push\Server call answered, asked over bob's connection. */
function srv(TestWsClient $bob, string $op): string
{
	$bob->send("srv-$op");
	foreach ($bob->drain(1.0) as $m) {
		if (str_starts_with($m, 'answer ')) {
			return substr($m, 7);
		}
	}
	return '(no answer)';
}

/* A Push\RemoteServer call: its return value or its exception. */
function client(callable $f): string
{
	try {
		return json_encode($f());
	} catch (Throwable $e) {
		return get_class($e) . ' (' . $e->getCode() . ') ' . $e->getMessage();
	}
}

function sub(PushTestServer $srv): TestWsClient
{
	[$c, $sid] = pconnect($srv);
	psub($c, $sid, 'news');
	pwait($c, 'pusher_internal:subscription_succeeded');
	return $c;
}

$alice = ws_bind($a, 'alice');
$bob = ws_bind($b, 'bob');
$pa = sub($a);
$pb = sub($b);
var_dump(push_wait(fn() => push_cmd($b, ['cmd' => 'isUidOnline', 'uid' => 'alice'])['online']));
echo json_encode(push_cmd($b, ['cmd' => 'joinGroup', 'group' => 'G', 'uid' => 'alice'])), "\n";
echo json_encode(push_cmd($b, ['cmd' => 'joinGroup', 'group' => 'G', 'uid' => 'bob'])), "\n";
var_dump(push_wait(fn() => push_cmd($b, ['cmd' => 'getGroupConnectionCount', 'group' => 'G'])['count'] === 2));
$cl = new Push\RemoteServer($b->textAddress());

echo "-- Redis up\n";
echo json_encode(push_cmd($b, ['cmd' => 'broadcast', 'msg' => 'up'])), "\n";
echo api($b, '/api/group/send', ['group' => 'G', 'msg' => 'up']), "\n";
echo srv($bob, 'broadcast'), "\n";
echo client(fn() => $cl->sendToGroup('G', 'up')), "\n";
$alice->drain(0.3);
$bob->drain(0.3);

echo "-- Redis down\n";
$redis->stop();
var_dump(push_wait(fn() => (push_status($b)['cluster']['redis'] ?? '') === 'disconnected', 5.0));
echo "Text broadcast: ", json_encode(push_cmd($b, ['cmd' => 'broadcast', 'msg' => 'down'])), "\n";
echo "Text sendToAll: ", json_encode(push_cmd($b, ['cmd' => 'sendToAll', 'msg' => 'down'])), "\n";
echo "Text sendToGroup: ", json_encode(push_cmd($b, ['cmd' => 'sendToGroup', 'group' => 'G', 'msg' => 'down'])), "\n";
echo "Text send (unicast): ", json_encode(push_cmd($b, ['cmd' => 'send', 'uid' => 'alice', 'msg' => 'down'])), "\n";
echo "Text push line (unicast): ", push_text($b, '{"uid":"alice","msg":"down"}'), "\n";
echo "Text event: ", json_encode(push_cmd($b, ['cmd' => 'event', 'channel' => 'news', 'event' => 'e', 'data' => 'down'])), "\n";
echo "HTTP broadcast: ", api($b, '/api/broadcast', ['msg' => 'down']), "\n";
echo "HTTP group send: ", api($b, '/api/group/send', ['group' => 'G', 'msg' => 'down']), "\n";
echo "HTTP push (unicast): ", api($b, '/api/push', ['uid' => 'alice', 'msg' => 'down']), "\n";
$r = papi($b, 'POST', '/apps/app-id/events', [], json_encode(['name' => 'e', 'channel' => 'news', 'data' => 'down']));
echo "Pusher events: $r[0] $r[1]\n";
$r = papi($b, 'POST', '/apps/app-id/batch_events', [], json_encode(['batch' => [
	['name' => 'e', 'channel' => 'news', 'data' => 'down']]]));
echo "Pusher batch_events: $r[0] $r[1]\n";
echo "RemoteServer broadcast: ", client(fn() => $cl->broadcast('down')), "\n";
echo "RemoteServer sendToGroup: ", client(fn() => $cl->sendToGroup('G', 'down')), "\n";
echo "RemoteServer trigger: ", client(fn() => $cl->trigger('news', 'e', 'down')), "\n";
echo "RemoteServer send (unicast): ", client(fn() => $cl->send('alice', 'down')), "\n";
echo "Server broadcast: ", srv($bob, 'broadcast'), "\n";
echo "Server sendToGroup: ", srv($bob, 'group'), "\n";
echo "Server send (unicast): ", srv($bob, 'send'), "\n";
echo "Server sendToUid (unicast): ", srv($bob, 'count'), "\n";

echo "-- Redis still down, node a forgotten (no heartbeat)\n";
var_dump(push_wait(fn() => push_status($b)['cluster']['nodes'] === 1, 15.0));
echo "Text broadcast: ", json_encode(push_cmd($b, ['cmd' => 'broadcast', 'msg' => 'down'])), "\n";
echo "Text push line (unicast): ", push_text($b, '{"uid":"alice","msg":"down"}'), "\n";
echo "Text push line (local uid): ", push_text($b, '{"uid":"bob","msg":"local"}'), "\n";
echo "HTTP group send: ", api($b, '/api/group/send', ['group' => 'G', 'msg' => 'down']), "\n";
$r = papi($b, 'POST', '/apps/app-id/events', [], json_encode(['name' => 'e', 'channel' => 'news', 'data' => 'down']));
echo "Pusher events: $r[0] $r[1]\n";
echo "Server sendToGroup: ", srv($bob, 'group'), "\n";
echo "Server send (unicast): ", srv($bob, 'send'), "\n";
echo "alice got: ", count($alice->drain(0.3)), "\n";
echo "the Pusher subscriber on b got events: ", count(array_filter($pb->drain(0.3),
	fn($m) => (json_decode($m, true)['event'] ?? '') === 'e')), "\n";
var_dump($a->running(), $b->running());
?>
--EXPECTF--
bool(true)
{"ok":true,"changed":1}
{"ok":true,"changed":1}
bool(true)
-- Redis up
{"ok":true,"count":3}
200 {"ok":true,"count":2}
3
2
-- Redis down
bool(true)
Text broadcast: {"ok":false,"error":"cluster unavailable: not delivered to other nodes","count":1}
Text sendToAll: {"ok":false,"error":"cluster unavailable: not delivered to other nodes","count":1}
Text sendToGroup: {"ok":false,"error":"cluster unavailable: not delivered to other nodes","count":1}
Text send (unicast): {"ok":false,"error":"cluster unavailable: not delivered to other nodes","count":0}
Text push line (unicast): error: cluster unavailable: not delivered to other nodes
Text event: {"ok":false,"error":"cluster unavailable: not delivered to other nodes","count":1}
HTTP broadcast: 503 {"ok":false,"error":"cluster unavailable: redis is unreachable, not delivered to other nodes","count":1}
HTTP group send: 503 {"ok":false,"error":"cluster unavailable: redis is unreachable, not delivered to other nodes","count":1}
HTTP push (unicast): 503 {"ok":false,"error":"cluster unavailable: redis is unreachable, not delivered to other nodes","count":0}
Pusher events: 503 {"error":"cluster unavailable: redis is unreachable, not delivered to other nodes","count":1}
Pusher batch_events: 503 {"error":"cluster unavailable: redis is unreachable, not delivered to other nodes","count":1}
RemoteServer broadcast: Push\ProtocolException (1) cluster unavailable: not delivered to other nodes (1 connection of that node got it)
RemoteServer sendToGroup: Push\ProtocolException (1) cluster unavailable: not delivered to other nodes (1 connection of that node got it)
RemoteServer trigger: Push\ProtocolException (1) cluster unavailable: not delivered to other nodes (1 connection of that node got it)
RemoteServer send (unicast): Push\ProtocolException (0) push server: cluster unavailable: not delivered to other nodes
Server broadcast: Push\ProtocolException (1) push server: cluster unavailable: not delivered to other nodes (1 connection of this node got it)
Server sendToGroup: Push\ProtocolException (1) push server: cluster unavailable: not delivered to other nodes (1 connection of this node got it)
Server send (unicast): Push\ProtocolException (0) push server: cluster unavailable: not delivered to other nodes (0 connections of this node got it)
Server sendToUid (unicast): Push\ProtocolException (0) push server: cluster unavailable: not delivered to other nodes (0 connections of this node got it)
-- Redis still down, node a forgotten (no heartbeat)
bool(true)
Text broadcast: {"ok":false,"error":"cluster unavailable: not delivered to other nodes","count":1}
Text push line (unicast): error: cluster unavailable: not delivered to other nodes
Text push line (local uid): ok
HTTP group send: 503 {"ok":false,"error":"cluster unavailable: redis is unreachable, not delivered to other nodes","count":1}
Pusher events: 503 {"error":"cluster unavailable: redis is unreachable, not delivered to other nodes","count":1}
Server sendToGroup: Push\ProtocolException (1) push server: cluster unavailable: not delivered to other nodes (1 connection of this node got it)
Server send (unicast): Push\ProtocolException (0) push server: cluster unavailable: not delivered to other nodes (0 connections of this node got it)
alice got: 0
the Pusher subscriber on b got events: 5
bool(true)
bool(true)
