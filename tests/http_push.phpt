--TEST--
HTTP API: push, broadcast with exclusions, online, uid pages, kick, stats
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';

/* One HTTP request to the API with PHP streams: [status, headers (lower-case names), body]. */
function api(PushTestServer $srv, string $method, string $path, $body = null, ?string $secret = 'k', array $headers = []): array
{
	if ($secret !== null) {
		$headers[] = "Authorization: Bearer $secret";
	}
	$opts = ['method' => $method, 'ignore_errors' => true, 'timeout' => 5];
	if ($body !== null) {
		$headers[] = 'Content-Type: application/json';
		$opts['content'] = is_string($body) ? $body : json_encode($body);
	}
	$opts['header'] = implode("\r\n", $headers);
	$resp = @file_get_contents("http://127.0.0.1:{$srv->ws}$path", false, stream_context_create(['http' => $opts]));
	$lines = $http_response_header ?? [];
	$status = preg_match('#^HTTP/\S+ (\d{3})#', $lines[0] ?? '', $m) ? (int)$m[1] : 0;
	$hdrs = [];
	foreach (array_slice($lines, 1) as $line) {
		[$k, $v] = explode(':', $line, 2) + [1 => ''];
		$hdrs[strtolower($k)] = trim($v);
	}
	return [$status, $hdrs, $resp === false ? '' : $resp];
}

/* Binds a uid and returns [client, connection id] (the server sends the id first). */
function bind_id(PushTestServer $srv, string $uid): array
{
	$c = ws_bind($srv, $uid);
	$first = $c->recv();
	return [$c, (int)substr((string)$first, 3)];
}

$srv = push_server_start(['secret' => 'k', 'plain_uid' => true],
	'$server->onConnect(function ($c) { $c->send("id:" . $c->id); });', 60.0);
[$a1, $a1id] = bind_id($srv, 'alice');
[$a2, $a2id] = bind_id($srv, 'alice');
[$b, $bid] = bind_id($srv, 'bob');
[$n, $nid] = bind_id($srv, '42');
var_dump($a1id > 0 && $a2id > 0 && $a1id !== $a2id);

echo "-- push\n";
echo api($srv, 'POST', '/api/push', ['uid' => 'alice', 'msg' => 'hello'])[2], "\n";
var_dump($a1->recv(), $a2->recv());
echo api($srv, 'POST', '/api/push', ['uid' => ['bob', 42, 'nobody'], 'msg' => ['k' => [1, 2], 's' => 'é/x']])[2], "\n";
var_dump($b->recv(), $n->recv());
echo api($srv, 'POST', '/api/push', '{"uid":42,"msg":12.5}')[2], "\n";
var_dump($n->recv());
echo api($srv, 'POST', '/api/push', ['uid' => 'nobody', 'msg' => 'lost'])[2], "\n";
[$st, , $body] = api($srv, 'POST', '/api/push', ['uid' => 'bob', 'msg' => str_repeat('x', 5000)]);
echo $st, ' ', strlen($b->recv()), "\n";

echo "-- broadcast\n";
echo api($srv, 'POST', '/api/broadcast', ['msg' => 'all'])[2], "\n";
var_dump($a1->recv(), $a2->recv(), $b->recv(), $n->recv());
echo api($srv, 'POST', '/api/broadcast', ['msg' => 'some', 'exclude_uids' => ['bob'], 'exclude_connections' => [$a2id]])[2], "\n";
var_dump($a1->recv(), $n->recv(), $a2->recv(0.3), $b->recv(0.3));
echo api($srv, 'POST', '/api/broadcast', ['msg' => 'not 42', 'exclude_uids' => 42])[2], "\n";
var_dump(count($a1->drain()), count($a2->drain()), count($b->drain()), count($n->drain()));

echo "-- online\n";
echo api($srv, 'GET', '/api/online?uid=alice')[2], "\n";
echo api($srv, 'GET', '/api/online?uid=42')[2], "\n";
echo api($srv, 'GET', '/api/online?uid=nobody')[2], "\n";
[$st, $h, $body] = api($srv, 'HEAD', '/api/online?uid=alice');
echo "HEAD: $st {$h['content-length']} '$body'\n";

echo "-- uids\n";
$seen = [];
$cursor = 0;
$pages = 0;
do {
	$r = json_decode(api($srv, 'GET', "/api/uids?limit=1&cursor=$cursor")[2], true);
	$seen = array_merge($seen, $r['uids']);
	$cursor = $r['next'];
	$pages++;
} while ($cursor !== null && $pages < 100);
sort($seen);
echo implode(',', array_unique($seen)), " total={$r['total']} paged=", $pages > 1 ? 'yes' : 'no', "\n";
$r = json_decode(api($srv, 'GET', '/api/uids')[2], true);
sort($r['uids']);
echo json_encode($r['uids']), ' ', var_export($r['next'], true), ' ', $r['total'], "\n";

echo "-- kick\n";
echo api($srv, 'POST', '/api/kick', ['uid' => 'alice', 'reason' => 'bye now'])[2], "\n";
var_dump($a1->waitClose(), $a1->closeReason, $a2->waitClose());
echo api($srv, 'POST', '/api/kick', ['uid' => 'bob'])[2], "\n";
var_dump($b->waitClose(), $b->closeReason);
echo api($srv, 'POST', '/api/kick', ['uid' => 'alice'])[2], "\n";
push_wait(fn() => push_status($srv)['uids'] === 1);
echo api($srv, 'GET', '/api/online?uid=alice')[2], "\n";

echo "-- stats\n";
[$st, $h, $body] = api($srv, 'GET', '/api/stats');
$s = json_decode($body, true);
echo "$st {$h['content-type']} ok=", var_export($s['ok'], true), " connections={$s['connections']} uids={$s['uids']} pushes={$s['pushes']}\n";
?>
--EXPECT--
bool(true)
-- push
{"ok":true,"count":2}
string(5) "hello"
string(5) "hello"
{"ok":true,"count":2}
string(22) "{"k":[1,2],"s":"é/x"}"
string(22) "{"k":[1,2],"s":"é/x"}"
{"ok":true,"count":1}
string(4) "12.5"
{"ok":true,"count":0}
200 5000
-- broadcast
{"ok":true,"count":4}
string(3) "all"
string(3) "all"
string(3) "all"
string(3) "all"
{"ok":true,"count":2}
string(4) "some"
string(4) "some"
NULL
NULL
{"ok":true,"count":3}
int(1)
int(1)
int(1)
int(0)
-- online
{"ok":true,"online":true,"count":2}
{"ok":true,"online":true,"count":1}
{"ok":true,"online":false,"count":0}
HEAD: 200 35 ''
-- uids
42,alice,bob total=3 paged=yes
["42","alice","bob"] NULL 3
-- kick
{"ok":true,"count":2}
int(4009)
string(7) "bye now"
int(4009)
{"ok":true,"count":1}
int(4009)
string(6) "kicked"
{"ok":true,"count":0}
{"ok":true,"online":false,"count":0}
-- stats
200 application/json ok=true connections=1 uids=1 pushes=8
