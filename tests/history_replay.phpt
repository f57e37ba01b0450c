--TEST--
History: ids for opted-in connections, replay after "last", queued for offline uids, gap when too old
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start(['history' => ['size' => 3, 'ttl' => 60]]);

// offline uid: kept, answer "queued"; the first connection gets them, the recipe way (plain payloads)
echo push_text($srv, '{"uid":"u1","msg":"while away 1"}'), "\n";
echo push_text($srv, '{"uid":"u1","msg":"while away 2"}'), "\n";
$plain = ws_bind($srv, 'u1');
var_dump($plain->recv(), $plain->recv());

// an opted-in connection sees ids "E-S|payload"; nothing is replayed without "last"
$seq = TestWsClient::connect($srv->wsUrl('/?seq=1'));
$seq->send('u1');
push_wait(fn() => json_decode(push_text($srv, '{"cmd":"count","uid":"u1"}'), true)['count'] === 2);
var_dump($seq->recv(0.2));
echo push_text($srv, '{"uid":"u1","msg":"live"}'), "\n";
var_dump($plain->recv());
$live = $seq->recv();
[$id, $payload] = explode('|', $live, 2);
echo preg_match('/^[0-9a-z]+-\d+$/', $id) ? "id ok" : "bad id $id", " $payload\n";
echo push_text($srv, '{"cmd":"broadcast","msg":"to all"}'), "\n";
var_dump($seq->recv(), $plain->recv());

// resume after $id: the two pushed while it was away, in order, once
$seq->close();
usleep(100000);
echo push_text($srv, '{"uid":"u1","msg":"missed A"}'), "\n";
echo push_text($srv, '{"uid":"u1","msg":"missed B"}'), "\n";
$plain->drain(0.2);
$back = TestWsClient::connect($srv->wsUrl("/?last=$id"));
$back->send('u1');
$got = $back->drain(0.3);
echo implode(' / ', array_map(fn($m) => explode('|', $m, 2)[1], $got)), "\n";

// two tabs resuming at different points each get their own part
[$idA] = explode('|', $got[0], 2);
$t2 = TestWsClient::connect($srv->wsUrl("/?last=$idA"));
$t2->send('u1');
echo implode(' / ', array_map(fn($m) => explode('|', $m, 2)[1], $t2->drain(0.3))), "\n";

// too old: history keeps 3 per uid; resuming from the first id is a gap
$old = TestWsClient::connect($srv->wsUrl("/?last=" . preg_replace('/-\d+$/', '-1', $id)));
$old->send('u1');
echo preg_replace('/ \S+$/', ' E-S', $old->recv()), "\n";
var_dump($old->recv(0.2));

// another epoch (server restarted): all kept messages are new to it... but some were dropped: gap
$other = TestWsClient::connect($srv->wsUrl("/?last=zzzz-5"));
$other->send('u1');
echo preg_replace('/ \S+$/', ' E-S', $other->recv()), "\n";
$st = push_status($srv);
echo "kept {$st['history_messages']} replayed {$st['replayed']} gaps {$st['replay_gaps']}\n";
?>
--EXPECT--
queued
queued
string(12) "while away 1"
string(12) "while away 2"
NULL
ok
string(4) "live"
id ok live
{"ok":true,"count":2}
string(7) "|to all"
string(6) "to all"
ok
ok
missed A / missed B
missed B
!gap E-S
NULL
!gap E-S
kept 3 replayed 5 gaps 2
