--TEST--
HTTP API with the curl command line client: Expect: 100-continue, chunked uploads, connection reuse, 413
--EXTENSIONS--
push
--SKIPIF--
<?php
if (trim((string)shell_exec('command -v curl 2>/dev/null')) === '') {
	die('skip the curl command is not installed');
}
?>
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';

/* Runs curl; returns [stdout, verbose stderr]. */
function curl(string $args): array
{
	/* the curl command needs none of the sanitizer preloads the suite may run with */
	$p = proc_open('env -u LD_PRELOAD curl -sS --max-time 10 ' . $args, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
	$out = stream_get_contents($pipes[1]);
	$err = stream_get_contents($pipes[2]);
	proc_close($p);
	return [$out, $err];
}

$srv = push_server_start(['secret' => 'k', 'plain_uid' => true, 'max_message_out' => 4000], '', 60.0);
$base = "http://127.0.0.1:{$srv->ws}";
$auth = "-H 'Authorization: Bearer k' -H 'Content-Type: application/json'";
$ws = ws_bind($srv, 'alice');
push_wait(fn() => push_status($srv)['uids'] === 1);
$file = tempnam(sys_get_temp_dir(), 'pushcurl');

echo "-- simple push\n";
echo curl("$auth -d '{\"uid\":\"alice\",\"msg\":\"from curl\"}' $base/api/push")[0], "\n";
var_dump($ws->recv());

echo "-- Expect: 100-continue\n";
file_put_contents($file, json_encode(['uid' => 'alice', 'msg' => str_repeat('e', 3000)]));
[$out, $err] = curl("-v $auth -H 'Expect: 100-continue' --data-binary @$file $base/api/push");
echo $out, ' ', preg_match('/< HTTP\/1\.1 100 Continue/', $err) ? 'continued' : 'no 100', "\n";
var_dump(strlen((string)$ws->recv()));

echo "-- chunked upload\n";
file_put_contents($file, json_encode(['uid' => 'alice', 'msg' => ['chunked' => str_repeat('c', 2000)]]));
[$out, $err] = curl("-v $auth -H 'Transfer-Encoding: chunked' --data-binary @$file $base/api/push");
echo $out, ' ', preg_match('/> Transfer-Encoding: chunked/i', $err) ? 'sent chunked' : 'not chunked', "\n";
var_dump(strlen((string)$ws->recv()));

echo "-- one connection for several requests, GET then POST\n";
[$out, $err] = curl("-v $auth '$base/api/online?uid=alice' --next $auth -d '{\"uid\":\"alice\",\"msg\":\"second\"}' $base/api/push"
	. " --next $auth -d '{\"uid\":\"alice\",\"msg\":\"third\"}' $base/api/push");
echo $out, "\n", preg_match_all('/Re-?using existing (\w+: )?connection/', $err), " reused\n";
var_dump($ws->recv(), $ws->recv());

echo "-- too large\n";
file_put_contents($file, json_encode(['uid' => 'alice', 'msg' => str_repeat('z', 80000)]));
echo curl("$auth -w ' %{http_code}' --data-binary @$file $base/api/push")[0], "\n";
file_put_contents($file, json_encode(['uid' => 'alice', 'msg' => str_repeat('z', 4001)]));
echo curl("$auth -w ' %{http_code}' --data-binary @$file $base/api/push")[0], "\n";

echo "-- HTTP/1.0, HEAD, 404\n";
echo curl("--http1.0 $auth -d '{\"uid\":\"alice\",\"msg\":\"old\"}' $base/api/push")[0], "\n";
var_dump($ws->recv());
echo trim(curl("-I $base/healthz")[0]) !== '' ? 'head ok' : 'no head', "\n";
echo curl("-w ' %{http_code}' $base/")[0], "\n";
@unlink($file);
?>
--EXPECT--
-- simple push
{"ok":true,"count":1}
string(9) "from curl"
-- Expect: 100-continue
{"ok":true,"count":1} continued
int(3000)
-- chunked upload
{"ok":true,"count":1} sent chunked
int(2014)
-- one connection for several requests, GET then POST
{"ok":true,"online":true,"count":1}{"ok":true,"count":1}{"ok":true,"count":1}
2 reused
string(6) "second"
string(5) "third"
-- too large
{"ok":false,"error":"request body too large (limit 69536 bytes)"} 413
{"ok":false,"error":"message too large (limit 4000 bytes)"} 413
-- HTTP/1.0, HEAD, 404
{"ok":true,"count":1}
string(3) "old"
head ok
{"ok":false,"error":"not found"} 404
