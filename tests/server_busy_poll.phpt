--TEST--
busy_poll: the server stays awake only while a backend sends line after line, then sleeps again; the option is checked
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';

foreach ([['busy_poll' => -1], ['busy_poll' => 'x'], ['busy_poll' => 100001]] as $bad) {
	try {
		new Push\Server($bad + ['ws' => 'ws://127.0.0.1:0', 'text' => 'tcp://127.0.0.1:0']);
		echo "accepted\n";
	} catch (Throwable $e) {
		echo get_class($e), ": ", $e->getMessage(), "\n";
	}
}

foreach ([100, 0] as $bp) {
	$srv = push_server_start(['busy_poll' => $bp]);
	$ws = ws_bind($srv, 'u');
	$pid = push_status($srv)['pid'];
	$c = new Push\RemoteServer($srv->textAddress(), ['persistent' => false]);
	$ok = 0;
	for ($i = 0; $i < 3000; $i++) {
		$ok += $c->send('u', "m$i");
	}
	echo "busy_poll $bp: ok $ok, received ", count($ws->drain(0.5)), "\n";
	/* idle now: the server must not keep polling */
	$cpu0 = push_cpu_seconds($pid);
	usleep(1000000);
	$idle = push_cpu_seconds($pid) - $cpu0;
	echo "idle CPU over 1 s: ", $idle <= 0.05 ? "asleep" : "$idle s", "\n";
	$c->close();
	push_server_stop($srv);
}
?>
--EXPECT--
ValueError: Push\Server::__construct(): Argument #1 ($options) option "busy_poll" must be between 0 and 100000
TypeError: Push\Server::__construct(): Argument #1 ($options) option "busy_poll" must be of type int, string given
ValueError: Push\Server::__construct(): Argument #1 ($options) option "busy_poll" must be between 0 and 100000
busy_poll 100: ok 3000, received 3000
idle CPU over 1 s: asleep
busy_poll 0: ok 3000, received 3000
idle CPU over 1 s: asleep
