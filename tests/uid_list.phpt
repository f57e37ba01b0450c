--TEST--
Text port: "uid" may be a list; ok when at least one of them is online
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start();
$a = ws_bind($srv, 'a');
$b = ws_bind($srv, 'b');
push_wait(fn() => push_status($srv)['uids'] === 2);
echo push_text($srv, '{"uid":["a","b","zzz"],"msg":"hi all"}'), "\n";
var_dump($a->recv(), $b->recv());
echo push_text($srv, '{"uid":["x","y"],"msg":"nobody"}'), "\n";
echo push_text($srv, '{"cmd":"send","uid":["a","b","a"],"msg":"counted"}'), "\n";
echo push_text($srv, '{"cmd":"broadcast","msg":"everyone"}'), "\n";
var_dump(count($a->drain()), count($b->drain()));
?>
--EXPECT--
ok
string(6) "hi all"
string(6) "hi all"
fail
{"ok":true,"count":3}
{"ok":true,"count":2}
int(3)
int(2)
