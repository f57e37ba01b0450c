--TEST--
Text port: malformed lines get an error naming the problem and the connection stays usable
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start();
$ws = ws_bind($srv, '7');
push_wait(fn() => push_status($srv)['uids'] === 1);
$c = stream_socket_client($srv->textAddress());
foreach ([
	'{"uid":',
	'[1,2,3]',
	'"just a string"',
	'{"msg":"no uid"}',
	'{"uid":true,"msg":"x"}',
	'{"uid":"","msg":"x"}',
	'{"uid":[],"msg":"x"}',
	'{"uid":"7","msg":"x"} trailing',
	'{"cmd":"nope"}',
	'{"cmd":5}',
	"\x00\xff\xfe",
	str_repeat('[', 100000),
	'{"uid":7,"msg":"integer uid"}',
] as $line) {
	fwrite($c, $line . "\n");
	echo fgets($c);
}
var_dump($ws->recv());
?>
--EXPECT--
error: invalid JSON: unexpected end of line
error: expected a JSON object
error: expected a JSON object
error: missing "uid"
error: "uid" must be a string, an integer or a list of them
error: "uid" must not be empty
error: "uid" list must not be empty
error: invalid JSON: trailing characters
{"ok":false,"error":"unknown command \"nope\""}
error: "cmd" must be a string
error: line is not UTF-8
error: invalid JSON: nested too deeply
ok
string(11) "integer uid"
