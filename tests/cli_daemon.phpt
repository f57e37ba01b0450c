--TEST--
CLI: start -d, status, already running, reload, stop (1001 to browsers), not running, stale pid file
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$ws = push_free_port();
$text = push_free_port();
$dir = sys_get_temp_dir() . '/push-cli-' . getmypid();
@mkdir($dir);
$script = push_cli_script([
	'ws' => "ws://127.0.0.1:$ws", 'text' => "tcp://127.0.0.1:$text",
	'pid_file' => "$dir/push.pid", 'log_file' => "$dir/push.log",
]);

[$code, $out] = push_cli($script, 'start -d');
echo $code, ' ', preg_match('/started in daemon mode \(pid (\d+)\)/', $out, $m) ? "started\n" : $out;
$pid = (int)$m[1];
var_dump((int)file_get_contents("$dir/push.pid") === $pid);

$srv = new PushTestServer();
$srv->ws = $ws;
$srv->text = $text;
$c = ws_bind($srv, 'u1');
push_wait(fn() => push_status($srv)['uids'] === 1);
echo push_text($srv, '{"uid":"u1","msg":"from daemon"}'), "\n";
var_dump($c->recv());

[$code, $out] = push_cli($script, 'status');
echo $code, ' ', preg_match('/running \(pid \d+\).*connections\s+1.*distinct uids\s+1.*messages pushed\s+1/s', $out) ? "status ok\n" : $out;

[$code, $out] = push_cli($script, 'start -d');
echo $code, ' ', str_contains($out, "already running (pid $pid)") ? "already running\n" : $out;

[$code, $out] = push_cli($script, 'reload');
echo $code, ' ', str_contains($out, 'reopens its log file') ? "reloaded\n" : $out;

[$code, $out] = push_cli($script, 'stop');
echo $code, ' ', str_contains($out, 'push server stopped') ? "stopped\n" : $out;
var_dump($c->waitClose(), file_exists("$dir/push.pid"));

[$code, $out] = push_cli($script, 'stop');
echo $code, ' ', str_contains($out, 'not running') ? "not running\n" : $out;

// a pid file left by a killed server does not block the next start
file_put_contents("$dir/push.pid", "999999\n");
[$code, $out] = push_cli($script, 'start -d');
echo $code, ' ', str_contains($out, 'removed stale pid file') && str_contains($out, 'daemon mode') ? "stale pid handled\n" : $out;

// a port in use is said clearly
$s2 = push_cli_script(['ws' => "ws://127.0.0.1:$ws", 'text' => "tcp://127.0.0.1:" . push_free_port(), 'pid_file' => "$dir/other.pid", 'log_file' => "$dir/other.log"]);
[$code, $out] = push_cli($s2, 'start -d');
echo $code, ' ', str_contains($out, "WebSocket port $ws is already in use") ? "port in use\n" : $out;

[$code, $out] = push_cli($script, 'restart -d');
echo $code, ' ', str_contains($out, 'push server stopped') && str_contains($out, 'daemon mode') ? "restarted\n" : $out;
[$code, $out] = push_cli($script, 'stop');
echo $code, "\n";
echo str_contains(file_get_contents("$dir/push.log"), 'reload: log file reopened') ? "log ok\n" : "log missing\n";
[$code, $out] = push_cli($script, 'bogus');
echo $code, ' ', str_contains($out, 'unknown command "bogus"') ? "usage\n" : $out;
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
0 started
bool(true)
ok
string(11) "from daemon"
0 status ok
1 already running
0 reloaded
0 stopped
int(1001)
bool(false)
1 not running
0 stale pid handled
1 port in use
0 restarted
0
log ok
64 usage
