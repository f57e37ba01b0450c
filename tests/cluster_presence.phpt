--TEST--
Cluster: presence queries (isUidOnline, counts, uid list) agree on every node, also on one that joins late
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

/* What a node answers, through Push\Client on its Text port. */
function presence(PushTestServer $srv, array $uids): array
{
	$cl = new Push\RemoteServer($srv->textAddress());
	$p = ['online' => [], 'count' => []];
	foreach ($uids as $u) {
		$p['online'][$u] = $cl->isUidOnline($u);
		$p['count'][$u] = $cl->getUidConnectionCount($u);
	}
	$p['uids'] = $cl->getAllUidCount();
	$p['connections'] = $cl->getAllConnectionCount();
	// the whole list, two at a time
	$list = [];
	$cursor = 0;
	do {
		$page = $cl->getUidList($cursor, 2);
		array_push($list, ...$page['uids']);
		$cursor = $page['next'];
	} while ($cursor !== null);
	sort($list, SORT_STRING);
	$p['list'] = array_values(array_unique($list));
	return $p;
}

/* Waits (at most 5 s) until every node answers $expected; prints the phase's outcome. */
function agree(string $phase, array $nodes, array $uids, array $expected): void
{
	$last = [];
	$ok = push_wait(function () use ($nodes, $uids, $expected, &$last) {
		foreach ($nodes as $id => $srv) {
			$last[$id] = presence($srv, $uids);
		}
		foreach ($last as $p) {
			if ($p !== $expected) {
				return false;
			}
		}
		return true;
	}, 5.0);
	echo $phase, ': ', $ok ? 'all of ' . implode(', ', array_keys($nodes)) . ' agree' : 'no agreement: '
		. json_encode($last), "\n";
}

$uids = ['u1', 'u2', 'u3', '42', 'nobody'];
$tabs = [
	'u1 on a' => ws_bind($a, 'u1'),
	'u1 on a again' => ws_bind($a, 'u1'),
	'u2 on b' => ws_bind($b, 'u2'),
	'u3 on a' => ws_bind($a, 'u3'),
	'u3 on c' => ws_bind($c, 'u3'),
	'42 on c' => ws_bind($c, '42'),
];
agree('six connections', $nodes, $uids, [
	'online' => ['u1' => true, 'u2' => true, 'u3' => true, '42' => true, 'nobody' => false],
	'count' => ['u1' => 2, 'u2' => 1, 'u3' => 2, '42' => 1, 'nobody' => 0],
	'uids' => 4,
	'connections' => 6,
	'list' => ['42', 'u1', 'u2', 'u3'],
]);

$tabs['u3 on c']->close();
$tabs['u2 on b']->close();
$tabs['u1 on a again']->close();
$after = [
	'online' => ['u1' => true, 'u2' => false, 'u3' => true, '42' => true, 'nobody' => false],
	'count' => ['u1' => 1, 'u2' => 0, 'u3' => 1, '42' => 1, 'nobody' => 0],
	'uids' => 3,
	'connections' => 3,
	'list' => ['42', 'u1', 'u3'],
];
agree('three closed', $nodes, $uids, $after);

// a node that starts now learns what the others have
$nodes['d'] = push_server_start(['redis' => $redis->url(), 'node_id' => 'd']);
agree('node d joined', $nodes, $uids, $after);
$tabs['u2 on d'] = ws_bind($nodes['d'], 'u2');
$after['online']['u2'] = true;
$after['count']['u2'] = 1;
$after['uids'] = 4;
$after['connections'] = 4;
$after['list'] = ['42', 'u1', 'u2', 'u3'];
agree('u2 on d', $nodes, $uids, $after);
// every node counts four nodes (one that has no uid is known from its heartbeats)
$counts = [];
push_wait(function () use ($nodes, &$counts) {
	$counts = array_map(fn($s) => push_status($s)['cluster']['nodes'], $nodes);
	return array_unique($counts) === ['a' => 4];
}, 5.0);
echo json_encode($counts), "\n";
?>
--EXPECT--
six connections: all of a, b, c agree
three closed: all of a, b, c agree
node d joined: all of a, b, c, d agree
u2 on d: all of a, b, c, d agree
{"a":4,"b":4,"c":4,"d":4}
