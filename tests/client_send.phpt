--TEST--
Push\Client::send(): true when delivered, false when offline; string, array and list uids
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start();
$c = new Push\RemoteServer($srv->textAddress());
$a = ws_bind($srv, 'alice');
$b = ws_bind($srv, '42');
push_wait(fn() => $c->isUidOnline('alice') && $c->isUidOnline(42));

var_dump($c->send('alice', "plain text / ünïcode \"quoted\"\nline2"));
echo $a->recv(), "\n";
var_dump($c->send('alice', ['type' => 'chat', 'text' => 'hi/there', 'n' => [1, 2.5, null, true]]));
echo $a->recv(), "\n";
var_dump($c->send(42, 'by int uid'), $b->recv());
var_dump($c->send('nobody', 'lost'));
var_dump($c->send(['nobody', 'alice', 42], 'to a list'), $a->recv(), $b->recv());
var_dump($c->send(['x', 'y'], 'nobody in the list'));
var_dump($a->drain(0.2), $b->drain(0.2));
?>
--EXPECT--
bool(true)
plain text / ünïcode "quoted"
line2
bool(true)
{"type":"chat","text":"hi/there","n":[1,2.5,null,true]}
bool(true)
string(10) "by int uid"
bool(false)
bool(true)
string(9) "to a list"
string(9) "to a list"
bool(false)
array(0) {
}
array(0) {
}
