--TEST--
Push\Client: a kept connection that closes before answering is replaced once; a new one is not
--EXTENSIONS--
push
--FILE--
<?php
// A peer speaking the Text protocol by hand, in its own process: it answers the first
// line, then drops the connection when the second line arrives, unanswered.
$sock = sys_get_temp_dir() . '/push-retry-' . getmypid() . '.sock';
@unlink($sock);
$code = <<<'PHP'
$srv = stream_socket_server($argv[1]);
echo "listening\n";
$seen = [];
$c1 = stream_socket_accept($srv, 5);
$seen[] = 'c1:' . trim(fgets($c1));
fwrite($c1, "ok\n");
$seen[] = 'c1:' . trim(fgets($c1));
fclose($c1);
$c2 = stream_socket_accept($srv, 5);
$seen[] = 'c2:' . trim(fgets($c2));
fwrite($c2, "ok\n");
fclose($c2);
$c3 = stream_socket_accept($srv, 5);
$seen[] = 'c3:' . trim(fgets($c3));
fclose($c3);
$seen[] = @stream_socket_accept($srv, 1) ? 'c4' : 'no c4';
echo implode("\n", $seen), "\n";
PHP;
$php = getenv('TEST_PHP_EXECUTABLE') ?: PHP_BINARY;
$proc = proc_open([$php, '-n', '-r', $code, "unix://$sock"], [1 => ['pipe', 'w']], $pipes);
fgets($pipes[1]);

$c = new Push\RemoteServer("unix://$sock", ['persistent' => false]);
var_dump($c->send('u', 'one'));
var_dump($c->send('u', 'two'));
try {
	(new Push\RemoteServer("unix://$sock", ['persistent' => false]))->send('u', 'three');
} catch (Push\ConnectionException $e) {
	echo str_replace("unix://$sock", 'ADDR', $e->getMessage()), "\n";
}
echo stream_get_contents($pipes[1]);
proc_close($proc);
@unlink($sock);
?>
--EXPECT--
bool(true)
bool(true)
the push server at ADDR closed the connection
c1:{"uid":"u","msg":"one"}
c1:{"uid":"u","msg":"two"}
c2:{"uid":"u","msg":"two"}
c3:{"uid":"u","msg":"three"}
no c4
