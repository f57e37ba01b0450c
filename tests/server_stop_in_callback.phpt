--TEST--
stop() from a callback, a __call trampoline and a closure capturing the server as callbacks, timers
--EXTENSIONS--
push
--FILE--
<?php
$server = new Push\Server(['ws' => 'ws://127.0.0.1:0', 'text' => 'tcp://127.0.0.1:0']);
class Handler {
	public array $seen = [];
	public function __call($name, $args) { $this->seen[] = $name; }
}
$h = new Handler;
$server->onStart([$h, 'started']);
$ticks = 0;
$once = 0;
$server->addTimer(0.01, function (int $id) use (&$ticks, $server) {
	if (++$ticks === 5) {
		var_dump($server->clearTimer($id));
	}
});
$server->addTimer(0.02, function () use (&$once) { $once++; }, false);
$server->addTimer(0.2, function () use ($server) {
	try {
		$server->run();
	} catch (Error $e) {
		echo $e->getMessage(), "\n";
	}
	try {
		$server->onMessage(fn() => 1);
	} catch (Error $e) {
		echo $e->getMessage(), "\n";
	}
	$server->stop();
});
$server->run();
echo "run returned\n";
var_dump($h->seen, $ticks, $once);
try {
	$server->sendToUid('x', 'y');
} catch (Push\ServerNotRunningException $e) {
	echo get_class($e), "\n";
}
unset($server, $h);
gc_collect_cycles();   /* the closures captured $server: collect the cycle before shutdown */
?>
--EXPECT--
bool(true)
Push\Server::run(): the server is already running
Push\Server::onMessage(): cannot be called from inside a server callback
run returned
array(1) {
  [0]=>
  string(7) "started"
}
int(5)
int(1)
Push\ServerNotRunningException
