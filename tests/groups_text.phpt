--TEST--
Groups over the Text port: join by uid, send with exclusions, counts, reconnects of other tabs, leave on close
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start();
$t = stream_socket_client($srv->textAddress());
function cmd($t, array $c) { fwrite($t, json_encode($c) . "\n"); return json_decode(fgets($t), true); }

$a1 = ws_bind($srv, 'alice');
$a2 = ws_bind($srv, 'alice');
$b = ws_bind($srv, 'bob');
$c = ws_bind($srv, 'carol');
push_wait(fn() => push_status($srv)['uids'] === 3);

echo json_encode(cmd($t, ['cmd' => 'joinGroup', 'group' => 'room7', 'uid' => 'alice'])), "\n";
echo json_encode(cmd($t, ['cmd' => 'joinGroup', 'group' => 'room7', 'uid' => 'alice'])), "\n";
echo json_encode(cmd($t, ['cmd' => 'joinGroup', 'group' => 'room7', 'uid' => ['bob', 'nobody']])), "\n";
echo json_encode(cmd($t, ['cmd' => 'joinGroup', 'group' => 'room7', 'uid' => 'nobody'])), "\n";
echo json_encode(cmd($t, ['cmd' => 'getGroupConnectionCount', 'group' => 'room7'])), "\n";
$u = cmd($t, ['cmd' => 'getGroupUids', 'group' => 'room7']);
sort($u['uids']);
echo json_encode($u), "\n";
echo json_encode(cmd($t, ['cmd' => 'sendToGroup', 'group' => 'room7', 'msg' => 'hello room'])), "\n";
var_dump($a1->recv(), $a2->recv(), $b->recv(), $c->recv(0.2));
echo json_encode(cmd($t, ['cmd' => 'sendToGroup', 'group' => 'room7', 'msg' => 'not bob', 'exclude_uids' => ['bob']])), "\n";
var_dump($a1->recv(), $a2->recv(), $b->recv(0.2));

// a tab of alice reconnects: alice stays in the group, the new tab receives too
$a1->close();
$a3 = ws_bind($srv, 'alice');
push_wait(fn() => cmd($t, ['cmd' => 'getUidConnectionCount', 'uid' => 'alice'])['count'] === 2);
echo json_encode(cmd($t, ['cmd' => 'sendToGroup', 'group' => 'room7', 'msg' => 'after reconnect'])), "\n";
var_dump($a2->recv(), $a3->recv(), $b->recv());
echo json_encode(cmd($t, ['cmd' => 'getUidGroups', 'uid' => 'alice'])), "\n";
echo json_encode(cmd($t, ['cmd' => 'getAllGroupCount'])), "\n";

// all of alice's tabs close: alice leaves; bob leaves by command; the group is gone
$a2->close();
$a3->close();
push_wait(fn() => !cmd($t, ['cmd' => 'isUidOnline', 'uid' => 'alice'])['online']);
echo json_encode(cmd($t, ['cmd' => 'getGroupUids', 'group' => 'room7'])), "\n";
echo json_encode(cmd($t, ['cmd' => 'leaveGroup', 'group' => 'room7', 'uid' => 'bob'])), "\n";
echo json_encode(cmd($t, ['cmd' => 'getAllGroupCount'])), "\n";
echo json_encode(cmd($t, ['cmd' => 'sendToGroup', 'group' => 'room7', 'msg' => 'x'])), "\n";

// broadcast with exclusions, uid list paging
echo json_encode(cmd($t, ['cmd' => 'sendToAll', 'msg' => 'all but carol', 'exclude_uids' => ['carol']])), "\n";
var_dump($b->recv(), $c->recv(0.2));
$uids = [];
$cursor = 0;
do {
	$page = cmd($t, ['cmd' => 'getAllUidList', 'cursor' => $cursor, 'limit' => 1]);
	$uids = array_merge($uids, $page['uids']);
	$cursor = $page['next'];
} while ($cursor !== null);
sort($uids);
echo implode(',', array_unique($uids)), "\n";
echo json_encode(cmd($t, ['cmd' => 'getAllConnectionCount'])), ' ', json_encode(cmd($t, ['cmd' => 'getAllUidCount'])), "\n";
?>
--EXPECT--
{"ok":true,"changed":1}
{"ok":true,"changed":0}
{"ok":true,"changed":1}
{"ok":false,"error":"uid is not online"}
{"ok":true,"count":3}
{"ok":true,"uids":["alice","bob"],"count":2}
{"ok":true,"count":3}
string(10) "hello room"
string(10) "hello room"
string(10) "hello room"
NULL
{"ok":true,"count":2}
string(7) "not bob"
string(7) "not bob"
NULL
{"ok":true,"count":3}
string(15) "after reconnect"
string(15) "after reconnect"
string(15) "after reconnect"
{"ok":true,"groups":["room7"],"count":1}
{"ok":true,"count":1}
{"ok":true,"uids":["bob"],"count":1}
{"ok":true,"changed":1}
{"ok":true,"count":0}
{"ok":true,"count":0}
{"ok":true,"count":1}
string(13) "all but carol"
NULL
bob,carol
{"ok":true,"count":2} {"ok":true,"count":2}
