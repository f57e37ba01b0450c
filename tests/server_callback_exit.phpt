--TEST--
exit() inside a callback ends the process cleanly; a fatal error in a callback does not crash
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start([], <<<'PHP'
$server->onMessage(function ($c, $data) {
	echo "exiting\n";
	exit(7);
});
register_shutdown_function(function () { echo "shutdown ran\n"; });
PHP);
$ws = ws_bind($srv, 'u');
$ws->send('x');
push_wait(fn() => !$srv->running());
echo "exit code ", push_server_stop($srv), "\n";
preg_match_all('/^(exiting|shutdown ran|STOPPED)$/m', $srv->drainOutput(), $m);
echo implode("\n", $m[0]), "\n";

$srv = push_server_start([], <<<'PHP'
ini_set('memory_limit', '16M');
$server->onMessage(function ($c, $data) {
	$a = [];
	while (true) { $a[] = str_repeat('x', 1 << 20); }
});
PHP);
$ws = ws_bind($srv, 'u');
$ws->send('x');
push_wait(fn() => !$srv->running());
echo "exit code ", push_server_stop($srv), "\n";
echo preg_match('/Allowed memory size of \d+ bytes exhausted/', $srv->drainOutput()) ? "fatal reported\n" : $srv->output;
?>
--EXPECT--
exit code 7
exiting
shutdown ran
exit code 255
fatal reported
