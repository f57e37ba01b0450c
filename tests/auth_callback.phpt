--TEST--
Custom auth: the callback sees the first message and the handshake, returns the uid or refuses (4003)
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start([], <<<'PHP'
$server->onAuth(function (string $first, array $req) {
	fwrite(STDERR, "AUTH path={$req['path']} q={$req['params']['room']} sid={$req['cookies']['sid']} ua={$req['headers']['user-agent']} first=$first\n");
	if ($req['cookies']['sid'] === 'valid-session' && $first === 'hello') {
		return 'user-' . $req['params']['room'];
	}
	return false;
});
PHP);
$ok = TestWsClient::connect($srv->wsUrl('/chat?room=42'), ['Cookie' => 'theme=dark; sid=valid-session', 'User-Agent' => 'test-agent']);
$ok->send('hello');
push_wait(fn() => push_status($srv)['uids'] === 1);
echo push_text($srv, '{"uid":"user-42","msg":"welcome"}'), "\n";
var_dump($ok->recv());
$bad = TestWsClient::connect($srv->wsUrl('/chat?room=42'), ['Cookie' => 'sid=stolen', 'User-Agent' => 'x']);
$bad->send('hello');
var_dump($bad->waitClose(), $bad->closeReason);
push_server_stop($srv);
preg_match_all('/^AUTH .*$/m', $srv->drainOutput(), $m);
echo implode("\n", $m[0]), "\n";
?>
--EXPECT--
ok
string(7) "welcome"
int(4003)
string(7) "refused"
AUTH path=/chat q=42 sid=valid-session ua=test-agent first=hello
AUTH path=/chat q=42 sid=stolen ua=x first=hello
