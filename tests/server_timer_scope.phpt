--TEST--
addTimer(): the callable is resolved once, where addTimer() is called: a private method of the caller's class fires on every tick
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';

$setup = <<<'PHP'
final class Ticker
{
	private int $n = 0;
	public function __construct(private Push\Server $server) {}
	public function arm(): void
	{
		$this->server->addTimer(0.02, [$this, 'tick']);
		$this->server->addTimer(0.05, [$this, 'once'], false);
	}
	private function tick(int $id): void
	{
		if (++$this->n === 3) {
			echo "TICK $id x3\n";
		}
	}
	private function once(int $id): void
	{
		echo "ONCE $id\n";
	}
}
(new Ticker($server))->arm();
PHP;
$srv = push_server_start([], $setup);
$ok = push_wait(fn() => str_contains($srv->drainOutput(), 'TICK') && str_contains($srv->output, 'ONCE'), 5.0);
push_server_stop($srv);
preg_match_all('/^(TICK|ONCE) .*$/m', $srv->output, $m);
echo implode("\n", $m[0]), "\n";
var_dump($ok);
?>
--EXPECT--
ONCE 2
TICK 1 x3
bool(true)
