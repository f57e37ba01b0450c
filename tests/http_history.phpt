--TEST--
HTTP API with history: a push to an offline uid is kept ("queued") and delivered when it connects
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';

function push_api(PushTestServer $srv, array $body): string
{
	$ctx = stream_context_create(['http' => ['method' => 'POST', 'ignore_errors' => true, 'timeout' => 5,
		'header' => "Authorization: Bearer k\r\nContent-Type: application/json", 'content' => json_encode($body)]]);
	return (string)file_get_contents("http://127.0.0.1:{$srv->ws}/api/push", false, $ctx);
}

$srv = push_server_start(['secret' => 'k', 'plain_uid' => true, 'history' => ['size' => 10, 'ttl' => 60]], '', 60.0);
echo push_api($srv, ['uid' => 'later', 'msg' => 'kept for you']), "\n";
echo push_api($srv, ['uid' => ['later', 'other'], 'msg' => ['n' => 2]]), "\n";
$c = ws_bind($srv, 'later');
var_dump($c->recv(), $c->recv());
echo push_api($srv, ['uid' => 'later', 'msg' => 'live']), "\n";
var_dump($c->recv());
$m = (string)file_get_contents("http://127.0.0.1:{$srv->ws}/metrics", false,
	stream_context_create(['http' => ['header' => 'Authorization: Bearer k']]));
preg_match('/^push_history_messages (\d+)$/m', $m, $h);
preg_match('/^push_replayed_total (\d+)$/m', $m, $r);
echo "kept={$h[1]} replayed={$r[1]}\n";
?>
--EXPECT--
{"ok":true,"count":0,"queued":true}
{"ok":true,"count":0,"queued":true}
string(12) "kept for you"
string(7) "{"n":2}"
{"ok":true,"count":1}
string(4) "live"
kept=4 replayed=2
