--TEST--
Signals: run() under the CLI SAPI stops gracefully on SIGTERM/SIGINT; with "signals" => false it installs no handler (the host's disposition applies)
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';

foreach ([[[], 15], [[], 2], [['signals' => true], 15], [['signals' => false], 15]] as [$opts, $sig]) {
	$srv = push_server_start($opts);
	$c = ws_bind($srv, 'u');
	push_wait(fn() => push_status($srv)['uids'] === 1);
	$code = push_server_stop($srv, $sig);
	$out = $srv->output;
	printf("%s, signal %d: exit %d, %s, %s, browser close %s\n", json_encode($opts), $sig, $code,
		str_contains($out, "signal $sig: stopping gracefully") ? 'logged' : 'not logged',
		str_contains($out, 'STOPPED') ? 'run() returned' : 'run() did not return',
		var_export($c->waitClose(1.0), true));
}
try {
	new Push\Server(['signals' => 1]);
} catch (TypeError $e) {
	echo $e->getMessage(), "\n";
}
?>
--EXPECT--
[], signal 15: exit 0, logged, run() returned, browser close 1001
[], signal 2: exit 0, logged, run() returned, browser close 1001
{"signals":true}, signal 15: exit 0, logged, run() returned, browser close 1001
{"signals":false}, signal 15: exit -1, not logged, run() did not return, browser close 1006
Push\Server::__construct(): Argument #1 ($options) option "signals" must be of type bool, int given
