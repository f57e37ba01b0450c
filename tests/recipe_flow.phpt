--TEST--
The recipe end to end: first message binds the uid, the backend snippet pushes, ok/fail answers
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start();

// browser side: ws.send(uid) on open
$ws = ws_bind($srv, 'uid1');
push_wait(fn() => push_status($srv)['uids'] === 1);

// backend side, exactly as the recipe writes it
$client = stream_socket_client($srv->textAddress(), $errno, $errmsg, 1);
$data = array('uid'=>'uid1', 'percent'=>'88%');
fwrite($client, json_encode($data)."\n");
echo fread($client, 8192);
var_dump($ws->recv());

// an offline uid answers fail
fwrite($client, json_encode(['uid' => 'nobody', 'percent' => '1%'])."\n");
echo fread($client, 8192);

// "msg" is pushed as is when it is a string, JSON otherwise
fwrite($client, '{"uid":"uid1","msg":"plain text"}' . "\n");
echo fread($client, 8192);
var_dump($ws->recv());
fwrite($client, '{"uid":"uid1","msg":{"a":[1,2]}}' . "\n");
echo fread($client, 8192);
var_dump($ws->recv());
?>
--EXPECT--
ok
string(17) "{"percent":"88%"}"
fail
ok
string(10) "plain text"
ok
string(11) "{"a":[1,2]}"
