--TEST--
Text port: an over-long line gets an error and the connection is closed; others are unaffected
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start(['max_line' => 1024]);
$ws = ws_bind($srv, 'u');
push_wait(fn() => push_status($srv)['uids'] === 1);
$c = stream_socket_client($srv->textAddress());
fwrite($c, '{"uid":"u","msg":"' . str_repeat('x', 900) . '"}' . "\n");
echo fgets($c);
// a long line arriving in pieces, never ending
fwrite($c, '{"uid":"u","msg":"' . str_repeat('y', 600));
usleep(50000);
fwrite($c, str_repeat('y', 600));
echo fgets($c);
var_dump(fgets($c));   // closed by the server
var_dump(strlen($ws->recv()));
echo push_text($srv, '{"uid":"u","msg":"still fine"}'), "\n";
var_dump($ws->recv());
echo push_status($srv)['refused']['line_too_long'], "\n";
?>
--EXPECT--
ok
error: line too long (limit 1024 bytes)
bool(false)
int(900)
ok
string(10) "still fine"
1
