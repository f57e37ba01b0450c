--TEST--
Push\Client: the persistent connection outlives the request (one connection for many requests of one process)
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
$srv = push_server_start();
// the CLI web server runs every request in the same process, one after another, as a php-fpm worker does
$dir = sys_get_temp_dir() . '/push-req-' . getmypid();
@mkdir($dir);
file_put_contents("$dir/index.php", <<<'PHP'
<?php
$ok = Push\Client::send('nobody', 'x') === false;
if (isset($_GET['own'])) {
	$c = new Push\RemoteServer(ini_get('push.client_address'), ['persistent' => false]);
	$c->send('nobody', 'x');
}
echo $ok ? 'ok' : 'bad', ' ', getmypid(), ' ', Push\Client::getStats()['text_connections_total'];
PHP);
$http = '127.0.0.1:' . push_free_port();
$cmd = 'exec ' . push_php_cmd() . ' -d ' . escapeshellarg('push.client_address=' . $srv->textAddress())
	. ' -S ' . $http . ' -t ' . escapeshellarg($dir);
$web = proc_open($cmd, [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
push_wait(fn() => @fsockopen('127.0.0.1', (int)explode(':', $http)[1]) !== false);

$pids = [];
foreach (['', '', '?own=1', '', ''] as $q) {
	[$ok, $pid, $total] = explode(' ', file_get_contents("http://$http/index.php$q"));
	$pids[$pid] = true;
	echo "$ok $total\n";
}
echo count($pids), " process\n";
proc_terminate($web);
proc_close($web);
unlink("$dir/index.php");
rmdir($dir);
?>
--EXPECT--
ok 1
ok 1
ok 2
ok 2
ok 2
1 process
