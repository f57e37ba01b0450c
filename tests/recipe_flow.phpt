--TEST--
The recipe end to end: first message binds the uid, the backend snippet pushes $data['percent'] as Workerman does, ok/fail answers
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

// what the recipe's push.php sends for other percent values (read on Workerman 4.2 and 5.2)
foreach (['{"uid":"uid1","percent":88}', '{"uid":"uid1","percent":88.5}', '{"uid":"uid1","percent":1e20}',
		'{"uid":"uid1","percent":true}', '{"uid":"uid1","percent":null}', '{"uid":"uid1"}',
		'{"uid":"uid1","percent":["a/b","é"]}', '{"uid":"uid1","percent":{}}',
		'{"uid":"uid1","percent":"50%","task":"t1"}'] as $line) {
	fwrite($client, $line . "\n");
	echo trim(fread($client, 8192)), ' [', $ws->recv(), "]\n";
}

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
string(3) "88%"
ok [88]
ok [88.5]
ok [1.0E+20]
ok [1]
ok [null]
ok [null]
ok [["a\/b","é"]]
ok [[]]
ok [50%]
fail
ok
string(10) "plain text"
ok
string(11) "{"a":[1,2]}"
