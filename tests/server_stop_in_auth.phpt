--TEST--
Server: a graceful stop() from inside onAuth closes that connection with 1001 too (it is not bound, onConnect does not run)
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start([], <<<'PHP'
$server->onAuth(function ($first, $req) use ($server) {
	if ($first === 'stop') {
		$server->stop(true);
	}
	return $first;
});
$server->onConnect(function ($c) { echo "CONNECT {$c->uid}\n"; });
PHP);
$a = ws_bind($srv, 'a');
push_wait(fn() => push_status($srv)['uids'] === 1);
$b = TestWsClient::connect($srv->wsUrl());
$b->send('stop');
echo "a: ", $a->waitClose(5), "\n";
echo "b: ", $b->waitClose(5), "\n";
echo "server ended: ", var_export(push_wait(fn() => !$srv->running(), 5), true), "\n";
push_server_stop($srv);
echo "connected: ", implode(' ', array_map(fn($l) => substr($l, 8), preg_grep('/^CONNECT /', explode("\n", $srv->output)))), "\n";
?>
--EXPECT--
a: 1001
b: 1001
server ended: true
connected: a
