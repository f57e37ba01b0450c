--TEST--
Push\Client: groups, presence queries, exclusions and pipelined batches, statically and on an instance
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start();
ini_set('push.client_address', $srv->textAddress());
$c = new Push\RemoteServer($srv->textAddress());
$ws = [];
foreach (['u1', 'u2', 'u3'] as $u) {
	$ws[$u] = ws_bind($srv, $u);
}
push_wait(fn() => Push\Client::getAllUidCount() === 3);
var_dump(Push\Client::joinGroup('room', ['u1', 'u2']), $c->joinGroup('room', 'u1'));
var_dump($c->getGroupConnectionCount('room'));
$uids = Push\Client::getGroupUids('room');
sort($uids);
echo implode(',', $uids), ' / ', implode(',', $c->getUidGroups('u1')), "\n";
var_dump($c->sendToGroup('room', ['hello' => 'room'], ['u2']));
var_dump($ws['u1']->recv(), $ws['u2']->recv(0.2));
var_dump(Push\Client::broadcast('all but u3', ['u3']), $ws['u3']->recv(0.2));
$ws['u1']->drain(0.1);
$ws['u2']->drain(0.1);
var_dump($c->leaveGroup('room', 'u2'), $c->leaveGroup('room', 'u2'));
try {
	$c->joinGroup('room', 'offline-user');
} catch (Push\ProtocolException $e) {
	echo get_class($e), ': ', $e->getMessage(), "\n";
}
$page = $c->getUidList(0, 1000);
sort($page['uids']);
echo implode(',', $page['uids']), ' next=', var_export($page['next'], true), ' total=', $page['total'], "\n";
var_dump(Push\Client::getAllConnectionCount());

// 5,000 users notified in a few round trips; answers in order
$batch = [];
for ($i = 0; $i < 5000; $i++) {
	$batch[] = [$i % 2 ? 'u1' : "offline$i", "n$i"];
}
$before = $c->getStats()['text_connections_total'];
$res = $c->sendBatch($batch);
echo count($res), ' ', count(array_filter($res)), ' ', $res[1] && !$res[0] ? 'ordered' : 'wrong', "\n";
$got = 0;
while ($got < 2500 && $ws['u1']->recv(2) !== null) {
	$got++;
}
echo "u1 received $got\n";
echo "connections used: ", $c->getStats()['text_connections_total'] - $before, "\n";
try {
	$c->sendBatch([['u1']]);
} catch (ValueError $e) {
	echo $e->getMessage(), "\n";
}
?>
--EXPECT--
bool(true)
bool(false)
int(2)
u1,u2 / room
int(1)
string(16) "{"hello":"room"}"
NULL
int(2)
NULL
bool(true)
bool(false)
Push\ProtocolException: uid is not online
u1,u2,u3 next=NULL total=3
int(3)
5000 2500 ordered
u1 received 2500
connections used: 0
Push\RemoteServer::sendBatch(): Argument #1 ($messages) must be a list of [uid, message] pairs
