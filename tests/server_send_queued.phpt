--TEST--
Push\Server::send() answers as Push\Client::send() does: true when history kept the push for an offline uid (sendBatch too), false when nothing kept it
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$setup = <<<'PHP'
$server->onMessage(function (Push\Connection $c, string $data) use ($server) {
	$c->send(json_encode(match ($data) {
		'send' => $server->send('carol', 'kept'),
		'count' => $server->sendToUid('carol', 'kept'),
		'batch' => $server->sendBatch([['carol', 'kept'], ['bob', 'here']]),
		default => null,
	}));
});
PHP;
$srv = push_server_start(['history' => ['size' => 10, 'ttl' => 60]], $setup);
$plain = push_server_start([], $setup);

function ask(TestWsClient $c, string $what): string
{
	$c->send($what);
	foreach ($c->drain(1.0) as $m) {
		if ($m !== 'here') {
			return $m;
		}
	}
	return '(no answer)';
}

echo "-- history on\n";
$bob = ws_bind($srv, 'bob');
echo 'send: ', ask($bob, 'send'), "\n";
echo 'sendToUid: ', ask($bob, 'count'), "\n";
echo 'sendBatch: ', ask($bob, 'batch'), "\n";
echo 'the Text port: ', push_text($srv, '{"uid":"carol","msg":"kept"}'), "\n";
$carol = ws_bind($srv, 'carol');
echo 'carol got: ', count(array_filter($carol->drain(0.5), fn($m) => $m === 'kept')), "\n";

echo "-- history off\n";
$bob = ws_bind($plain, 'bob');
echo 'send: ', ask($bob, 'send'), "\n";
echo 'sendBatch: ', ask($bob, 'batch'), "\n";
echo 'the Text port: ', push_text($plain, '{"uid":"carol","msg":"kept"}'), "\n";
?>
--EXPECT--
-- history on
send: true
sendToUid: 0
sendBatch: [true,true]
the Text port: queued
carol got: 4
-- history off
send: false
sendBatch: [false,true]
the Text port: fail
