--TEST--
One uid with several connections: all receive, and closing one leaves the others
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start();
$a = ws_bind($srv, 'u42');
$b = ws_bind($srv, 'u42');
$c = ws_bind($srv, 'other');
push_wait(fn() => push_status($srv)['bound_connections'] === 3);
$st = push_status($srv);
echo "uids={$st['uids']} conns={$st['connections']}\n";
echo push_text($srv, '{"uid":"u42","msg":"to both"}'), "\n";
var_dump($a->recv(), $b->recv(), $c->recv(0.3));

$a->close();
push_wait(fn() => push_status($srv)['bound_connections'] === 2);
echo push_text($srv, '{"uid":"u42","msg":"to b"}'), "\n";
var_dump($b->recv());
echo json_decode(push_text($srv, '{"cmd":"count","uid":"u42"}'), true)['count'], "\n";
$b->close();
push_wait(fn() => push_status($srv)['bound_connections'] === 1);
echo push_text($srv, '{"uid":"u42","msg":"nobody"}'), "\n";
echo push_status($srv)['uids'], "\n";
?>
--EXPECT--
uids=2 conns=3
ok
string(7) "to both"
string(7) "to both"
NULL
ok
string(4) "to b"
1
fail
1
