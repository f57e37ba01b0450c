--TEST--
One API: the same calls answer the same on Push\Server (in a callback) and on Push\RemoteServer (through the Text port), and push the same bytes
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
// one list of calls, run by the server on itself and by a client against it
$calls = <<<'PHP'
function api_calls($api, string $kick): array
{
	$r = [];
	$r['joinGroup'] = $api->joinGroup('g', ['a', 'b']);
	$r['joinGroup again'] = $api->joinGroup('g', 'a');
	$r['getGroupUids'] = $api->getGroupUids('g');
	sort($r['getGroupUids']);
	$r['getGroupConnectionCount'] = $api->getGroupConnectionCount('g');
	$r['getUidGroups'] = $api->getUidGroups('a');
	$r['getAllGroupCount'] = $api->getAllGroupCount();
	$r['send'] = $api->send('a', ['k' => 'v/é', 'n' => 1.5]);
	$r['send offline'] = $api->send('nobody', 'x');
	$r['sendToUid'] = $api->sendToUid(['a', 'b', 'nobody'], 'to three');
	$r['sendBatch'] = $api->sendBatch([['a', 'batch'], [7, 'nobody']]);
	$r['broadcast'] = $api->broadcast(['all' => true], ['b', 'q']);
	$r['sendToGroup'] = $api->sendToGroup('g', 'group', ['a']);
	$r['isUidOnline'] = [$api->isUidOnline('b'), $api->isUidOnline('nobody')];
	$r['getUidConnectionCount'] = $api->getUidConnectionCount('a');
	$r['getAllConnectionCount'] = $api->getAllConnectionCount();
	$r['getAllUidCount'] = $api->getAllUidCount();
	$list = $api->getUidList(0, 100);
	sort($list['uids']);
	$r['getUidList'] = $list;
	$r['leaveGroup'] = $api->leaveGroup('g', ['a', 'b']);
	$stats = $api->getStats();
	unset($stats['memory']);    // Push\Server's own: this PHP's heap
	$r['getStats keys'] = implode(',', array_keys($stats));
	$r['kickUid'] = $api->kickUid($kick, 'bye');
	return $r;
}
PHP;
eval($calls);
$srv = push_server_start([], $calls . '
$server->onMessage(function (Push\Connection $c, string $data) use ($server) {
	$c->send(json_encode(["results" => api_calls($server, $data)]));
});');
$a1 = ws_bind($srv, 'a');
$a2 = ws_bind($srv, 'a');
$b = ws_bind($srv, 'b');
$k1 = ws_bind($srv, 'k1');
$k2 = ws_bind($srv, 'k2');
$q = ws_bind($srv, 'q');
push_wait(fn() => push_status($srv)['uids'] === 5);

// the server, from its onMessage callback
$q->send('k1');
$fromServer = json_decode($q->recv(10 * push_test_slowdown()), true)['results'];
$got = [$a1->drain(0.3, 4), $a2->drain(0.3, 4), $b->drain(0.3, 2), $k1->waitClose(10 * push_test_slowdown())];

// a client, through the Text port, with k1 back (a new connection) so that the counts are the same
$k1 = ws_bind($srv, 'k1');
push_wait(fn() => push_status($srv)['uids'] === 5);
$remote = new Push\RemoteServer($srv->textAddress());
$fromClient = json_decode(json_encode(api_calls($remote, 'k2')), true);
$got2 = [$a1->drain(0.3, 4), $a2->drain(0.3, 4), $b->drain(0.3, 2), $k2->waitClose(10 * push_test_slowdown())];

foreach ($fromServer as $call => $v) {
	echo str_pad($call, 24), json_encode($v, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES),
		$fromClient[$call] === $v ? '' : '   CLIENT: ' . json_encode($fromClient[$call]), "\n";
}
echo "same pushes: ", json_encode($got === $got2), "\n";
echo json_encode($got, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
?>
--EXPECTF--
joinGroup               true
joinGroup again         false
getGroupUids            ["a","b"]
getGroupConnectionCount 3
getUidGroups            ["g"]
getAllGroupCount        1
send                    true
send offline            false
sendToUid               3
sendBatch               [true,false]
broadcast               4
sendToGroup             1
isUidOnline             [true,false]
getUidConnectionCount   2
getAllConnectionCount   6
getAllUidCount          5
getUidList              {"uids":["a","b","k1","k2","q"],"next":null,"total":5}
leaveGroup              true
getStats keys           %s
kickUid                 1
same pushes: true
[["{\"k\":\"v/é\",\"n\":1.5}","to three","batch","{\"all\":true}"],["{\"k\":\"v/é\",\"n\":1.5}","to three","batch","{\"all\":true}"],["to three","group"],4009]
