--TEST--
Cluster: the uids of a node killed with -9 vanish from the others within 5 s; a clean stop removes them at once
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/redis.inc';
$redis = push_redis_start();
['a' => $a, 'b' => $b, 'c' => $c] = push_cluster_start($redis, ['a', 'b', 'c']);

function online(PushTestServer $srv, string $uid): bool
{
	return push_cmd($srv, ['cmd' => 'isUidOnline', 'uid' => $uid])['online'];
}

$alice = ws_bind($a, 'alice');
$alice2 = ws_bind($a, 'alice');
$bob = ws_bind($b, 'bob');
$carol = ws_bind($c, 'carol');
var_dump(push_wait(fn() => online($b, 'alice') && online($b, 'carol') && online($c, 'bob')));

echo "-- kill -9 a\n";
$t = microtime(true);
push_server_stop($a, 9);
$gone = push_wait(fn() => !online($b, 'alice') && !online($c, 'alice'), 6.0);
$took = microtime(true) - $t;
echo $gone && $took <= 5.0 ? "alice is gone from b and c within 5 s\n" : "alice still there after $took s\n";
echo json_encode(push_cmd($b, ['cmd' => 'getAllUidCount'])), ' ', json_encode(push_cmd($b, ['cmd' => 'getAllConnectionCount'])), "\n";
echo push_text($b, '{"uid":"alice","msg":"x"}'), "\n";
var_dump(push_wait(fn() => push_status($b)['cluster']['nodes'] === 2 && push_status($c)['cluster']['nodes'] === 2));

echo "-- SIGTERM c\n";
$t = microtime(true);
var_dump(push_server_stop($c, 15));
$gone = push_wait(fn() => !online($b, 'carol'), 3.0);
$took = microtime(true) - $t;
echo $gone && $took <= 1.0 ? "carol is gone from b within 1 s\n" : "carol still there after $took s\n";
echo json_encode(push_cmd($b, ['cmd' => 'getAllUidCount'])), ' ', push_status($b)['cluster']['nodes'], "\n";
echo push_text($b, '{"uid":"bob","msg":"still here"}'), ' ', $bob->recv(), "\n";
?>
--EXPECT--
bool(true)
-- kill -9 a
alice is gone from b and c within 5 s
{"ok":true,"count":2} {"ok":true,"count":2}
fail
bool(true)
-- SIGTERM c
int(0)
carol is gone from b within 1 s
{"ok":true,"count":1} 1
ok still here
