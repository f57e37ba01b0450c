--TEST--
Hostile: history ids are per-uid sequences that say nothing of other uids' traffic; resuming still works, and after a uid's history expired nothing is lost in silence
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start(['history' => ['size' => 50, 'ttl' => 3]]);
$a = ws_bind($srv, 'a', '/?seq=1');
$b = ws_bind($srv, 'b', '/?seq=1');
push_wait(fn() => push_status($srv)['uids'] === 2);
$id = fn(?string $m) => $m === null ? null : explode('|', $m, 2)[0];
$seq = fn(?string $i) => $i === null ? 'none' : (int)substr(strrchr($i, '-'), 1);
echo push_text($srv, '{"uid":"a","msg":"a1"}'), "\n";
$first = $id($a->recv());
for ($i = 0; $i < 10; $i++) {
	push_text($srv, '{"uid":"b","msg":"b' . $i . '"}');
	push_text($srv, '{"uid":"nobody-' . $i . '","msg":"q"}');
}
push_text($srv, '{"cmd":"send","uid":["a","b"],"msg":"both"}');
echo push_text($srv, '{"uid":"a","msg":"a2"}'), "\n";
$ids = array_map($id, $a->drain(0.3, 2));
echo "a's ids: ", $seq($first), ' ', implode(' ', array_map($seq, $ids)), "\n";
echo "b's ids: ", implode(' ', array_map(fn($m) => $seq($id($m)), $b->drain(0.3, 11))), "\n";

/* a tab of "a" that saw only a1 resumes (within the 3 s history keeps it): the rest, once, in order */
$t = TestWsClient::connect($srv->wsUrl('/?last=' . $first));
$t->send('a');
echo "resumed: ", implode(' / ', array_map(fn($m) => explode('|', $m, 2)[1], $t->drain(0.3, 2))), "\n";

/* "c" saw c1, left; its history expired; c2 pushed while away must reach it on its return */
$c = ws_bind($srv, 'c', '/?seq=1');
push_wait(fn() => push_status($srv)['uids'] === 3);
push_text($srv, '{"uid":"c","msg":"c1"}');
$cid = $id($c->recv());
$c->close();
push_wait(fn() => push_status($srv)['uids'] === 2);
push_wait(fn() => push_status($srv)['history_messages'] === 0, 10);
echo "c2 while away: ", push_text($srv, '{"uid":"c","msg":"c2"}'), "\n";
$c = TestWsClient::connect($srv->wsUrl('/?last=' . $cid));
$c->send('c');
$got = array_map(fn($m) => str_starts_with($m, '!gap') ? '!gap' : explode('|', $m, 2)[1], $c->drain(0.3));
/* never lost in silence: c2 arrives, or "!gap" tells the page to reload its state */
echo "c back: ", in_array('c2', $got, true) || in_array('!gap', $got, true) ? "c2 or a gap" : "c2 LOST", ' (', implode(' / ', $got), ")\n";
?>
--EXPECTF--
ok
ok
a's ids: 1 2 3
b's ids: 1 2 3 4 5 6 7 8 9 10 11
resumed: both / a2
c2 while away: queued
c back: c2 or a gap (%s)
