--TEST--
A callback that throws stops the server and the exception reaches the caller of run()
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start([], <<<'PHP'
$server->onMessage(function ($c, $data) {
	throw new RuntimeException("boom: $data");
});
try {
	$server->run();
} catch (RuntimeException $e) {
	echo "caught ", $e->getMessage(), "\n";
	try {
		$server->getStats();
		echo "ports after stop: open\n";
	} catch (Push\ServerNotRunningException $e) {
		echo "ports after stop: closed\n";
	}
	// the same object can serve again
	$server->onMessage(null);
	$server->onStart(function ($s) { echo "AGAIN\n"; $s->stop(); });
	$server->run();
	echo "second run returned\n";
	exit(0);
}
PHP);
$ws = ws_bind($srv, 'u');
$ws->send('first');
var_dump($ws->waitClose() !== null);
push_wait(fn() => !$srv->running());   // the second run stops by itself
echo "exit code ", push_server_stop($srv), "\n";
preg_match_all('/^(caught|ports|AGAIN|second).*$/m', $srv->drainOutput(), $m);
echo implode("\n", $m[0]), "\n";
?>
--EXPECT--
bool(true)
exit code 0
caught boom: first
ports after stop: closed
AGAIN
second run returned
