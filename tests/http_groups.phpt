--TEST--
HTTP API: group join/leave, send with exclusions, group members, a uid's groups
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

function members(PushTestServer $srv, string $group): string
{
	$r = json_decode(api($srv, 'GET', '/api/group?group=' . rawurlencode($group))[2], true);
	sort($r['uids']);
	return "count={$r['count']} uids=" . implode(',', $r['uids']);
}

function groups_of(PushTestServer $srv, string $uid): string
{
	$r = json_decode(api($srv, 'GET', '/api/uid/groups?uid=' . rawurlencode($uid))[2], true);
	sort($r['groups']);
	return implode(',', $r['groups']);
}

$srv = push_server_start(['secret' => 'k', 'plain_uid' => true],
	'$server->onConnect(function ($c) { $c->send("id:" . $c->id); });', 60.0);
$a1 = ws_bind($srv, 'alice');
$a1id = (int)substr($a1->recv(), 3);
$a2 = ws_bind($srv, 'alice');
$a2->recv();
$b = ws_bind($srv, 'bob');
$b->recv();
push_wait(fn() => push_status($srv)['uids'] === 2);

echo "-- join\n";
echo api($srv, 'POST', '/api/group/join', ['group' => 'room 1', 'uid' => 'alice'])[2], "\n";
echo api($srv, 'POST', '/api/group/join', ['group' => 'room 1', 'uid' => 'alice'])[2], "\n";
echo api($srv, 'POST', '/api/group/join', ['group' => 'room 1', 'uid' => 'bob'])[2], "\n";
echo api($srv, 'POST', '/api/group/join', ['group' => 'lobby', 'uid' => 'alice'])[2], "\n";
[$st, , $body] = api($srv, 'POST', '/api/group/join', ['group' => 'room 1', 'uid' => 'nobody']);
echo "$st $body\n";
echo members($srv, 'room 1'), "\n";
echo members($srv, 'lobby'), "\n";
echo members($srv, 'empty'), "\n";
echo groups_of($srv, 'alice'), ' / ', groups_of($srv, 'bob'), ' / [', groups_of($srv, 'nobody'), "]\n";

echo "-- send\n";
echo api($srv, 'POST', '/api/group/send', ['group' => 'room 1', 'msg' => 'to room'])[2], "\n";
var_dump($a1->recv(), $a2->recv(), $b->recv());
echo api($srv, 'POST', '/api/group/send', ['group' => 'room 1', 'msg' => ['n' => 1], 'exclude_uids' => ['bob'], 'exclude_connections' => [$a1id]])[2], "\n";
var_dump($a2->recv(), $a1->recv(0.3), $b->recv(0.3));
echo api($srv, 'POST', '/api/group/send', ['group' => 'lobby', 'msg' => 'lobby'])[2], "\n";
var_dump($a1->recv(), $a2->recv(), $b->recv(0.3));
echo api($srv, 'POST', '/api/group/send', ['group' => 'nobody here', 'msg' => 'x'])[2], "\n";

echo "-- leave\n";
echo api($srv, 'POST', '/api/group/leave', ['group' => 'room 1', 'uid' => 'bob'])[2], "\n";
echo api($srv, 'POST', '/api/group/leave', ['group' => 'room 1', 'uid' => 'bob'])[2], "\n";
[$st, , $body] = api($srv, 'POST', '/api/group/leave', ['group' => 'room 1', 'uid' => 'nobody']);
echo "$st $body\n";
echo members($srv, 'room 1'), "\n";
echo api($srv, 'POST', '/api/group/send', ['group' => 'room 1', 'msg' => 'after'])[2], "\n";
var_dump($b->recv(0.3));

echo "-- a uid going offline leaves its groups\n";
$a1->close();
$a2->close();
push_wait(fn() => push_status($srv)['uids'] === 1);
echo members($srv, 'room 1'), ' / ', members($srv, 'lobby'), "\n";

echo "-- bad requests\n";
foreach ([
	['/api/group/join', ['uid' => 'bob']],
	['/api/group/join', ['group' => 'g']],
	['/api/group/join', ['group' => true, 'uid' => 'bob']],
	['/api/group/join', ['group' => '', 'uid' => 'bob']],
	['/api/group/send', ['group' => 'g']],
	['/api/group/send', ['msg' => 'x']],
	['/api/group/send', ['group' => 'g', 'msg' => 'x', 'exclude_connections' => ['1']]],
] as [$path, $body]) {
	[$st, , $b2] = api($srv, 'POST', $path, $body);
	echo "$st $b2\n";
}
[$st, , $body] = api($srv, 'GET', '/api/group');
echo "$st $body\n";
[$st, , $body] = api($srv, 'GET', '/api/uid/groups?uid=');
echo "$st $body\n";
?>
--EXPECT--
-- join
{"ok":true,"changed":true}
{"ok":true,"changed":false}
{"ok":true,"changed":true}
{"ok":true,"changed":true}
409 {"ok":false,"error":"uid is not online"}
count=3 uids=alice,bob
count=2 uids=alice
count=0 uids=
lobby,room 1 / room 1 / []
-- send
{"ok":true,"count":3}
string(7) "to room"
string(7) "to room"
string(7) "to room"
{"ok":true,"count":1}
string(7) "{"n":1}"
NULL
NULL
{"ok":true,"count":2}
string(5) "lobby"
string(5) "lobby"
NULL
{"ok":true,"count":0}
-- leave
{"ok":true,"changed":true}
{"ok":true,"changed":false}
409 {"ok":false,"error":"uid is not online"}
count=2 uids=alice
{"ok":true,"count":2}
NULL
-- a uid going offline leaves its groups
count=0 uids= / count=0 uids=
-- bad requests
400 {"ok":false,"error":"missing \"group\""}
400 {"ok":false,"error":"missing \"uid\""}
400 {"ok":false,"error":"\"group\" must be a string or an integer"}
400 {"ok":false,"error":"\"group\" must not be empty"}
400 {"ok":false,"error":"missing \"msg\""}
400 {"ok":false,"error":"missing \"group\""}
400 {"ok":false,"error":"\"exclude_connections\" must be a list of connection ids"}
400 {"ok":false,"error":"missing query argument \"group\""}
400 {"ok":false,"error":"missing query argument \"uid\""}
