--TEST--
exit() inside a callback ends the process cleanly, shutdown functions run
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

?>
--EXPECT--
exit code 7
exiting
shutdown ran
