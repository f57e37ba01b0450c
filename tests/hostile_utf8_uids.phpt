--TEST--
Hostile: uids and group names must be UTF-8 (close 4005, Text error, HTTP 400); every listing stays valid JSON whatever bytes were sent
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';
$srv = push_server_start(['api_secret' => 'api'], <<<'PHP'
$server->onMessage(function ($c, $data) {
	try {
		$c->send(var_export($c->joinGroup($data), true));
	} catch (ValueError $e) {
		$c->send(get_class($e) . ': ' . $e->getMessage());
	}
});
PHP);
$good = ws_bind($srv, 'good-ü');
push_wait(fn() => push_status($srv)['uids'] === 1);
echo push_text($srv, '{"cmd":"joinGroup","group":"g","uid":"good-ü"}'), "\n";

/* binary first messages that are not UTF-8, as plain uids */
foreach (["\xff\xfe", "ok\xc3\x28", "\xed\xa0\x80", "\xc0\xaf"] as $bad) {
	$c = TestWsClient::connect($srv->wsUrl());
	$c->send($bad, 2);
	echo bin2hex($bad), ": ", $c->waitClose(2), "\n";
}
/* the Text port: a uid or a group name with raw bytes that are not UTF-8 */
$refused = fn(string $a) => str_starts_with($a, 'error:') || (json_decode($a, true)['ok'] ?? null) === false;
echo push_text($srv, "{\"uid\":\"\xff\xfe\",\"msg\":\"x\"}") === 'fail' ? 'push: fail' : 'push: refused', "\n";
echo $refused(push_text($srv, "{\"cmd\":\"joinGroup\",\"group\":\"\xff\xfe\",\"uid\":\"good-ü\"}")) ? 'group join: refused' : 'group join: done', "\n";
echo $refused(push_text($srv, "{\"cmd\":\"joinGroup\",\"group\":\"g\",\"uid\":\"\xff\xfe\"}")) ? 'uid join: refused' : 'uid join: done', "\n";
/* a connection joining a group by itself */
$good->send("room\xff", 2);
echo "Connection::joinGroup: ", $good->recv(), "\n";
/* the HTTP API */
$auth = ['Authorization' => 'Bearer api'];
echo "HTTP push: ", hostile_http($srv, 'POST', '/api/push', "{\"uid\":\"\xc3\x28\",\"msg\":\"x\"}", $auth)[0], "\n";
echo "HTTP group join: ", hostile_http($srv, 'POST', '/api/group/join', "{\"group\":\"\xc3\x28\",\"uid\":\"good-ü\"}", $auth)[0], "\n";

/* every listing is valid JSON */
$lines = [
	'{"cmd":"getAllUidList"}', '{"cmd":"getGroupUids","group":"g"}', '{"cmd":"getUidGroups","uid":"good-ü"}',
	'{"cmd":"status"}',
];
foreach ($lines as $l) {
	$a = push_text($srv, $l);
	echo $l, ": ", json_decode($a) !== null ? "valid JSON" : "INVALID JSON " . bin2hex($a), "\n";
}
foreach (['/api/uids', '/api/group?group=g', '/api/uid/groups?uid=good-%C3%BC', '/api/stats'] as $p) {
	[$code, $body] = hostile_http($srv, 'GET', $p, '', $auth);
	echo $p, ": $code ", json_decode($body) !== null ? "valid JSON" : "INVALID JSON", "\n";
}
$client = new Push\RemoteServer($srv->textAddress());
try {
	echo "getUidList: ", json_encode($client->getUidList()['uids']), "\n";
	echo "getGroupUids: ", json_encode($client->getGroupUids('g')), "\n";
	echo "getUidGroups: ", json_encode($client->getUidGroups('good-ü')), "\n";
} catch (Push\Exception $e) {
	echo get_class($e), ": ", $e->getMessage(), "\n";
}

/* a token signed for a uid that is not UTF-8, and onAuth answering one */
$srv2 = push_server_start(['secret' => 'k']);
$c = TestWsClient::connect($srv2->wsUrl());
$c->send(Push\Client::token("\xff\xfe", 3600, 'k'));
echo "token for ff fe: ", $c->waitClose(2), "\n";
$srv3 = push_server_start(['plain_uid' => false], <<<'PHP'
$server->onAuth(fn($first, $req) => $first === 'bad' ? "u\xff" : $first);
PHP);
$c = TestWsClient::connect($srv3->wsUrl());
$c->send('bad');
echo "onAuth answering u ff: ", $c->waitClose(2), "\n";
echo "refused auth: ", push_status($srv3)['refused']['auth'], "\n";
?>
--EXPECT--
{"ok":true,"changed":1}
fffe: 4005
6f6bc328: 4005
eda080: 4005
c0af: 4005
push: refused
group join: refused
uid join: refused
Connection::joinGroup: ValueError: Push\Connection::joinGroup(): Argument #1 ($group) must be valid UTF-8
HTTP push: 400
HTTP group join: 400
{"cmd":"getAllUidList"}: valid JSON
{"cmd":"getGroupUids","group":"g"}: valid JSON
{"cmd":"getUidGroups","uid":"good-ü"}: valid JSON
{"cmd":"status"}: valid JSON
/api/uids: 200 valid JSON
/api/group?group=g: 200 valid JSON
/api/uid/groups?uid=good-%C3%BC: 200 valid JSON
/api/stats: 200 valid JSON
getUidList: ["good-\u00fc"]
getGroupUids: ["good-\u00fc"]
getUidGroups: ["g"]
token for ff fe: 4005
onAuth answering u ff: 4005
refused auth: 1
