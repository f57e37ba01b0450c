--TEST--
Hostile: no recipe verb names a Pusher channel or socket: group names with a NUL (or another control) byte are refused by the Text port (error line), the HTTP API (400), Push\Server, Push\Connection and Push\Client (ValueError); Pusher sockets' internal uids are neither reachable nor listed, and broadcasts pass them by
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';
require __DIR__ . '/inc/pusher.inc';

/*
 * The host's API through a recipe connection: the message is PHP code run on
 * the server, its answer the result as JSON, or the exception's class and message.
 */
$srv = push_server_start(['secret' => 'k', 'plain_uid' => true, 'pusher' => [
	'apps' => [['id' => '1', 'key' => 'app-key', 'secret' => 'app-secret']],
]], <<<'PHP'
$server->onMessage(function (Push\Connection $c, string $data) use ($server) {
	if (!str_starts_with($data, 'php ')) {
		return;
	}
	try {
		$r = (function ($server, $c) use ($data) { return eval('return ' . substr($data, 4) . ';'); })($server, $c);
		$c->send(json_encode($r));
	} catch (Throwable $e) {
		$c->send(get_class($e) . ': ' . $e->getMessage());
	}
});
PHP);

function api(PushTestServer $srv, string $method, string $path, ?array $body = null): string
{
	[$st, $b] = hostile_http($srv, $method, $path, $body === null ? '' : json_encode($body),
		['Authorization' => 'Bearer k'] + ($body === null ? [] : ['Content-Type' => 'application/json']));
	return $st ? "$st $b" : 'closed without an answer';
}

function host(TestWsClient $c, string $code): string
{
	$c->send("php $code");
	return (string)$c->recv(5);
}

/* What $c got that is not the Pusher protocol's own, within a moment. */
function leaked(TestWsClient $c, float $t = 0.3): string
{
	$got = [];
	while (($m = $c->recv($t * push_test_slowdown())) !== null) {
		$j = json_decode($m, true);
		if (!is_array($j) || !str_starts_with($j['event'] ?? '', 'pusher')) {
			$got[] = $m;
		}
	}
	return $got ? json_encode($got) : '(nothing)';
}

$text = stream_socket_client($srv->textAddress());
function text($t, array $line): string { return hostile_text_rt($t, json_encode($line)); }

/* a Pusher socket in the private channel, authorized by the app */
[$p, $sid] = pconnect($srv);
psub($p, $sid, 'private-secret');
$chan = "\0P1\0private-secret";
$sockUid = "\0P1\0s$sid";

$host = ws_bind($srv, 'host');
$eve = ws_bind($srv, 'eve');
push_wait(fn() => str_contains(text($text, ['cmd' => 'isUidOnline', 'uid' => 'eve']), '"online":true'));

echo "-- Text port\n";
echo 'sendToGroup: ', text($text, ['cmd' => 'sendToGroup', 'group' => $chan, 'msg' => 'raw from text']), "\n";
echo 'joinGroup eve: ', text($text, ['cmd' => 'joinGroup', 'group' => $chan, 'uid' => 'eve']), "\n";
echo 'getGroupUids: ', text($text, ['cmd' => 'getGroupUids', 'group' => $chan]), "\n";
echo 'getGroupConnectionCount: ', text($text, ['cmd' => 'getGroupConnectionCount', 'group' => $chan]), "\n";
echo 'leaveGroup: ', text($text, ['cmd' => 'leaveGroup', 'group' => $chan, 'uid' => 'eve']), "\n";
echo 'a tab: ', text($text, ['cmd' => 'sendToGroup', 'group' => "a\tb", 'msg' => 'x']), "\n";
echo 'socket uid getUidGroups: ', text($text, ['cmd' => 'getUidGroups', 'uid' => $sockUid]), "\n";

echo "-- HTTP API\n";
echo '/api/group/send: ', api($srv, 'POST', '/api/group/send', ['group' => $chan, 'msg' => 'raw from http']), "\n";
echo '/api/group/join: ', api($srv, 'POST', '/api/group/join', ['group' => $chan, 'uid' => 'eve']), "\n";
echo '/api/group, a U+0001: ', api($srv, 'GET', '/api/group?group=' . rawurlencode("a\1b")), "\n";
/* %00 in a query: libwebsockets 4.1 closes the connection before any answer, 4.3 passes it on and
 * push answers 400; either way nothing is answered for the internal name */
function refused_query(string $answer): string
{
	return $answer === 'closed without an answer' || str_starts_with($answer, '400 ') ? 'refused' : $answer;
}
echo '/api/group: ', refused_query(api($srv, 'GET', '/api/group?group=' . rawurlencode($chan))), "\n";
echo '/api/uid/groups: ', refused_query(api($srv, 'GET', '/api/uid/groups?uid=' . rawurlencode($sockUid))), "\n";
echo '/api/online: ', refused_query(api($srv, 'GET', '/api/online?uid=' . rawurlencode($sockUid))), "\n";

echo "-- Push\\Server and Push\\Connection\n";
$g = var_export($chan, true);
$u = var_export($sockUid, true);
foreach (["\$server->sendToGroup($g, 'raw from php')", "\$server->joinGroup($g, 'eve')",
		"\$server->leaveGroup($g, 'eve')", "\$server->getGroupUids($g)", "\$server->getGroupConnectionCount($g)",
		"\$c->joinGroup($g)", "\$server->getUidGroups($u)", "\$server->joinGroup('news', $u)",
		"\$server->sendToUid($u, 'raw to the socket')", "\$server->isUidOnline($u)"] as $code) {
	echo str_replace(["\0", $sid], ['\0', '<sid>'], $code), ': ', host($host, $code), "\n";
}

echo "-- Push\\Client\n";
$client = new Push\RemoteServer($srv->textAddress(), ['persistent' => false]);
foreach (['sendToGroup' => [$chan, 'raw from client'], 'joinGroup' => [$chan, 'eve'], 'getGroupUids' => [$chan],
		'getGroupConnectionCount' => [$chan]] as $m => $args) {
	try {
		$r = json_encode($client->$m(...$args));
	} catch (Throwable $e) {
		$r = get_class($e) . ': ' . $e->getMessage();
	}
	echo "$m: $r\n";
}

echo "-- a broadcast reaches the recipe's connections only\n";
echo 'broadcast: ', text($text, ['cmd' => 'broadcast', 'msg' => 'raw broadcast']), ' ', $eve->recv(5), "\n";
echo '/api/broadcast: ', api($srv, 'POST', '/api/broadcast', ['msg' => 'raw broadcast']), ' ', $eve->recv(5), "\n";

echo "-- nothing reached the Pusher socket or gave eve the channel\n";
echo 'the Pusher socket got: ', leaked($p), "\n";
echo 'eve is in: ', text($text, ['cmd' => 'getUidGroups', 'uid' => 'eve']), "\n";
echo 'event to private-secret: ', text($text, ['cmd' => 'event', 'channel' => 'private-secret', 'event' => 'e', 'data' => 'for members']), "\n";
echo 'the Pusher socket got: ', pev(pnext($p)), "\n";
echo 'eve got: ', json_encode($eve->recv(0.3 * push_test_slowdown())), "\n";

echo "-- recipe groups still work\n";
echo 'joinGroup: ', text($text, ['cmd' => 'joinGroup', 'group' => "caf\u{e9} \u{1F600}", 'uid' => 'eve']), "\n";
echo 'getGroupUids: ', text($text, ['cmd' => 'getGroupUids', 'group' => "caf\u{e9} \u{1F600}"]), "\n";
echo 'sendToGroup: ', text($text, ['cmd' => 'sendToGroup', 'group' => "caf\u{e9} \u{1F600}", 'msg' => 'hello']), ' ', $eve->recv(5), "\n";
echo 'server: ', $srv->running() ? 'running' : 'dead', "\n";
?>
--EXPECT--
-- Text port
sendToGroup: {"ok":false,"error":"\"group\" must not contain a control character (U+0000 to U+001F)"}
joinGroup eve: {"ok":false,"error":"\"group\" must not contain a control character (U+0000 to U+001F)"}
getGroupUids: {"ok":false,"error":"\"group\" must not contain a control character (U+0000 to U+001F)"}
getGroupConnectionCount: {"ok":false,"error":"\"group\" must not contain a control character (U+0000 to U+001F)"}
leaveGroup: {"ok":false,"error":"\"group\" must not contain a control character (U+0000 to U+001F)"}
a tab: {"ok":false,"error":"\"group\" must not contain a control character (U+0000 to U+001F)"}
socket uid getUidGroups: error: "uid" must not contain a NUL byte
-- HTTP API
/api/group/send: 400 {"ok":false,"error":"\"group\" must not contain a control character (U+0000 to U+001F)"}
/api/group/join: 400 {"ok":false,"error":"\"group\" must not contain a control character (U+0000 to U+001F)"}
/api/group, a U+0001: 400 {"ok":false,"error":"\"group\" must not contain a control character (U+0000 to U+001F)"}
/api/group: refused
/api/uid/groups: refused
/api/online: refused
-- Push\Server and Push\Connection
$server->sendToGroup('' . "\0" . 'P1' . "\0" . 'private-secret', 'raw from php'): ValueError: Push\Server::sendToGroup(): Argument #1 ($group) must not contain a control character (U+0000 to U+001F)
$server->joinGroup('' . "\0" . 'P1' . "\0" . 'private-secret', 'eve'): ValueError: Push\Server::joinGroup(): Argument #1 ($group) must not contain a control character (U+0000 to U+001F)
$server->leaveGroup('' . "\0" . 'P1' . "\0" . 'private-secret', 'eve'): ValueError: Push\Server::leaveGroup(): Argument #1 ($group) must not contain a control character (U+0000 to U+001F)
$server->getGroupUids('' . "\0" . 'P1' . "\0" . 'private-secret'): ValueError: Push\Server::getGroupUids(): Argument #1 ($group) must not contain a control character (U+0000 to U+001F)
$server->getGroupConnectionCount('' . "\0" . 'P1' . "\0" . 'private-secret'): ValueError: Push\Server::getGroupConnectionCount(): Argument #1 ($group) must not contain a control character (U+0000 to U+001F)
$c->joinGroup('' . "\0" . 'P1' . "\0" . 'private-secret'): ValueError: Push\Connection::joinGroup(): Argument #1 ($group) must not contain a control character (U+0000 to U+001F)
$server->getUidGroups('' . "\0" . 'P1' . "\0" . 's<sid>'): ValueError: Push\Server::getUidGroups(): Argument #1 ($uid) must not contain a NUL byte
$server->joinGroup('news', '' . "\0" . 'P1' . "\0" . 's<sid>'): ValueError: Push\Server::joinGroup(): Argument #2 ($uid) must not contain a NUL byte
$server->sendToUid('' . "\0" . 'P1' . "\0" . 's<sid>', 'raw to the socket'): 0
$server->isUidOnline('' . "\0" . 'P1' . "\0" . 's<sid>'): false
-- Push\Client
sendToGroup: ValueError: Push\RemoteServer::sendToGroup(): Argument #1 ($group) must not contain a control character (U+0000 to U+001F)
joinGroup: ValueError: Push\RemoteServer::joinGroup(): Argument #1 ($group) must not contain a control character (U+0000 to U+001F)
getGroupUids: ValueError: Push\RemoteServer::getGroupUids(): Argument #1 ($group) must not contain a control character (U+0000 to U+001F)
getGroupConnectionCount: ValueError: Push\RemoteServer::getGroupConnectionCount(): Argument #1 ($group) must not contain a control character (U+0000 to U+001F)
-- a broadcast reaches the recipe's connections only
broadcast: {"ok":true,"count":2} raw broadcast
/api/broadcast: 200 {"ok":true,"count":2} raw broadcast
-- nothing reached the Pusher socket or gave eve the channel
the Pusher socket got: (nothing)
eve is in: {"ok":true,"groups":[],"count":0}
event to private-secret: {"ok":true,"count":1}
the Pusher socket got: e private-secret for members
eve got: null
-- recipe groups still work
joinGroup: {"ok":true,"changed":1}
getGroupUids: {"ok":true,"uids":["eve"],"count":1}
sendToGroup: {"ok":true,"count":1} hello
server: running
