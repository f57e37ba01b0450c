--TEST--
Text port secret: the first line must authenticate; wrong or missing secret closes; Push\Client presents it
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start(['text_secret' => 's3cret']);
$ws = ws_bind($srv, 'u');
echo push_text($srv, '{"uid":"u","msg":"no auth"}'), "\n";
$c = stream_socket_client($srv->textAddress());
fwrite($c, "{\"auth\":\"wrong\"}\n{\"uid\":\"u\",\"msg\":\"x\"}\n");
echo fgets($c), var_export(fgets($c), true), "\n";
$c = stream_socket_client($srv->textAddress());
fwrite($c, "{\"auth\":\"s3cret\"}\n{\"uid\":\"u\",\"msg\":\"authed\"}\n");
echo fgets($c), fgets($c);
var_dump($ws->recv());
$client = new Push\RemoteServer($srv->textAddress(), ['secret' => 's3cret']);
var_dump($client->send('u', 'via client'), $ws->recv());
echo push_status_secret($srv)['refused']['text_auth'], "\n";
function push_status_secret($srv) {
	$c = stream_socket_client($srv->textAddress());
	fwrite($c, "{\"auth\":\"s3cret\"}\n{\"cmd\":\"status\"}\n");
	fgets($c);
	return json_decode(fgets($c), true);
}
?>
--EXPECT--
error: unauthorized
error: unauthorized
false
ok
ok
string(6) "authed"
bool(true)
string(10) "via client"
2
