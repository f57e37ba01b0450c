--TEST--
Cluster: a uid on node A joins a group through node B; a group send through node C reaches it; group queries agree
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/redis.inc';
$redis = push_redis_start();
$nodes = push_cluster_start($redis, ['a', 'b', 'c']);
['a' => $a, 'b' => $b, 'c' => $c] = $nodes;

/* Waits (at most 5 s) until every node answers $uids and $count for group G. */
function group_agree(array $nodes, string $group, array $uids, int $count): void
{
	$last = [];
	$ok = push_wait(function () use ($nodes, $group, $uids, $count, &$last) {
		$all = true;
		foreach ($nodes as $id => $srv) {
			$cl = new Push\RemoteServer($srv->textAddress());
			$got = $cl->getGroupUids($group);
			sort($got, SORT_STRING);
			$last[$id] = [$got, $cl->getGroupConnectionCount($group)];
			$all = $all && $last[$id] === [$uids, $count];
		}
		return $all;
	}, 5.0);
	echo $group, ' ', json_encode($uids), " $count: ", $ok ? 'every node agrees' : 'no agreement: ' . json_encode($last), "\n";
}

$alice = ws_bind($a, 'alice');
$bob = ws_bind($b, 'bob');
$carol = ws_bind($c, 'carol');
var_dump(push_wait(fn() => push_cmd($b, ['cmd' => 'getAllUidCount'])['count'] === 3
	&& push_cmd($c, ['cmd' => 'getAllUidCount'])['count'] === 3));

echo "-- alice (on a) joins G through b's Text port\n";
echo json_encode(push_cmd($b, ['cmd' => 'joinGroup', 'group' => 'G', 'uid' => 'alice'])), "\n";
group_agree($nodes, 'G', ['alice'], 1);
echo json_encode(push_cmd($a, ['cmd' => 'getUidGroups', 'uid' => 'alice'])), "\n";

echo "-- a group send through c\n";
$n = push_cmd($c, ['cmd' => 'sendToGroup', 'group' => 'G', 'msg' => 'to G via c']);
var_dump($n['ok'], $alice->recv(), $bob->recv(0.3), $carol->recv(0.3));

echo "-- bob (on b) joins through Push\\Client on c, carol through her own node\n";
var_dump((new Push\RemoteServer($c->textAddress()))->joinGroup('G', 'bob'));
var_dump((new Push\RemoteServer($c->textAddress()))->joinGroup('G', 'carol'));
group_agree($nodes, 'G', ['alice', 'bob', 'carol'], 3);
$cb = new Push\RemoteServer($b->textAddress());
$cb->sendToGroup('G', ['to' => 'G'], ['carol']);
var_dump($alice->recv(), $bob->recv(), $carol->recv(0.3));

echo "-- through Redis\n";
$cr = new Push\RemoteServer($redis->url());
var_dump($cr->sendToGroup('G', 'via redis', ['bob']), $alice->recv(), $carol->recv(), $bob->recv(0.3));

echo "-- alice leaves through c; bob's connection closes\n";
var_dump((new Push\RemoteServer($c->textAddress()))->leaveGroup('G', 'alice'));
$bob->close();
group_agree($nodes, 'G', ['carol'], 1);
push_cmd($a, ['cmd' => 'sendToGroup', 'group' => 'G', 'msg' => 'last']);
var_dump($carol->recv(), $alice->recv(0.3));
?>
--EXPECT--
bool(true)
-- alice (on a) joins G through b's Text port
{"ok":true,"changed":1}
G ["alice"] 1: every node agrees
{"ok":true,"groups":["G"],"count":1}
-- a group send through c
bool(true)
string(10) "to G via c"
NULL
NULL
-- bob (on b) joins through Push\Client on c, carol through her own node
bool(true)
bool(true)
G ["alice","bob","carol"] 3: every node agrees
string(10) "{"to":"G"}"
string(10) "{"to":"G"}"
NULL
-- through Redis
int(3)
string(9) "via redis"
string(9) "via redis"
NULL
-- alice leaves through c; bob's connection closes
bool(true)
G ["carol"] 1: every node agrees
string(4) "last"
NULL
