<?php
/*
 * Push\Client in a thread-safe PHP: runs embed_threads (THREADS threads, each running
 * REQUESTS PHP requests of SENDS Push\Client::send() calls) against a push server started
 * here in another process, with one WebSocket receiver bound to each thread's uid.
 *
 *   php -n -d extension=PUSH_SO tests/zts/run.php EMBED_THREADS PUSH_SO [THREADS REQUESTS SENDS]
 *
 * Passes when every push arrived exactly once at the receiver of its uid (counted at
 * the receivers), nothing else arrived, and the server saw exactly THREADS backend
 * connections: the program holds THREADS established connections to the Text port once
 * every thread is done (counted with ss), and the server counted THREADS Text
 * connections for the run (its status, less the ones this script made to ask).
 * Prints one summary line and "embed: N passed, N failed".
 */
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/wsclient.inc';

if ($argc < 3) {
	fwrite(STDERR, "usage: php run.php EMBED_THREADS PUSH_SO [THREADS REQUESTS SENDS]\n");
	exit(2);
}
[, $bin, $so] = $argv;
$threads = (int)($argv[3] ?? 8);
$requests = (int)($argv[4] ?? 20);
$sends = (int)($argv[5] ?? 50);
$checks = [];
$check = function (string $what, bool $ok, string $detail) use (&$checks) {
	$checks[] = $ok;
	printf("%s %s: %s\n", $ok ? 'ok  ' : 'FAIL', $what, $detail);
};

putenv('TEST_PHP_EXTRA_ARGS=-n -d extension=' . $so);
$srv = push_server_start();
$statusCalls = 0;
$status = function () use ($srv, &$statusCalls) {
	$statusCalls++;
	return push_status($srv);
};
$recv = [];
for ($t = 0; $t < $threads; $t++) {
	$recv[$t] = ws_bind($srv, "zt$t");
}
push_wait(fn() => $status()['uids'] === $threads, 10);
$before = $status();
$callsBefore = $statusCalls;

$ini = tempnam(sys_get_temp_dir(), 'pushzts');
file_put_contents($ini, "extension=$so\npush.client_address=" . $srv->textAddress()
	. "\npush.client_persistent=1\npush.client_timeout=10\n");
$proc = proc_open([$bin, $ini, (string)$threads, (string)$requests, (string)$sends],
	[0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
if (!$proc) {
	fwrite(STDERR, "cannot run $bin\n");
	exit(1);
}
$pid = proc_get_status($proc)['pid'];
/* proc_get_status() tells the exit code once, when it first sees the end: keep that answer */
$final = null;
$running = function () use ($proc, &$final) {
	if ($final === null && !($st = proc_get_status($proc))['running']) {
		$final = $st['signaled'] ? 'signal ' . $st['termsig'] : $st['exitcode'];
	}
	return $final === null;
};
stream_set_blocking($pipes[1], false);
stream_set_blocking($pipes[2], false);

/* the receivers read while the threads send */
$got = array_fill(0, $threads, []);
$foreign = 0;
$receive = function (float $quiet) use (&$recv, &$got, &$foreign) {
	$any = false;
	foreach ($recv as $t => $c) {
		while (($m = $c->recv($quiet)) !== null) {
			$any = true;
			if (preg_match('/^(\d+):(\d+):(\d+)$/', $m, $p) && (int)$p[1] === $t) {
				$got[$t][$m] = ($got[$t][$m] ?? 0) + 1;
			} else {
				$foreign++;
			}
			$quiet = 0.0;
		}
	}
	return $any;
};
$out = '';
$err = '';
$deadline = microtime(true) + 300;
$started = microtime(true);
while (!str_contains($out, "DONE") && microtime(true) < $deadline && $running()) {
	$out .= (string)stream_get_contents($pipes[1]);
	$err .= (string)stream_get_contents($pipes[2]);
	if (!$receive(0.0)) {
		usleep(5000);
	}
}
$elapsed = microtime(true) - $started;
$out .= (string)stream_get_contents($pipes[1]);

/* every thread is done and still holds its PHP state: count its connections to the Text port */
exec('ss -tnpH state established ' . escapeshellarg("dst 127.0.0.1:{$srv->text}"), $ss);
$held = count(array_filter($ss, fn($l) => str_contains($l, "pid=$pid,")));
$during = $status();
$callsDuring = $statusCalls;

fwrite($pipes[0], "\n");
fclose($pipes[0]);
$wait = microtime(true) + 30;
while ($running() && microtime(true) < $wait) {
	$out .= (string)stream_get_contents($pipes[1]);
	usleep(10000);
}
$exit = $final ?? 'still running';
$out .= (string)stream_get_contents($pipes[1]);
$err .= (string)stream_get_contents($pipes[2]);
proc_close($proc);
@unlink($ini);

/* the rest of the pushes, then a quiet spell: nothing more may come */
$want = $requests * $sends;
$until = microtime(true) + 30;
while (microtime(true) < $until && array_sum(array_map('count', $got)) < $threads * $want) {
	$receive(0.05);
}
$receive(0.5);

preg_match('/DONE sent (\d+) failed (\d+)/', $out, $d);
$sent = (int)($d[1] ?? -1);
$check('program', $exit === 0 && isset($d[0]), "exit $exit, " . ($d[0] ?? 'no DONE line')
	. ($err !== '' ? ', stderr: ' . substr(trim($err), 0, 300) : ''));
$check('sent', $sent === $threads * $want, "$sent of " . ($threads * $want) . " Push\\Client::send() calls returned true");
$dupes = 0;
$missing = 0;
foreach ($got as $t => $msgs) {
	foreach ($msgs as $n) {
		$dupes += $n > 1 ? $n - 1 : 0;
	}
	for ($r = 0; $r < $requests; $r++) {
		for ($k = 0; $k < $sends; $k++) {
			$missing += isset($msgs["$t:$r:$k"]) ? 0 : 1;
		}
	}
}
$received = array_sum(array_map('array_sum', $got));
$check('received', $missing === 0 && $dupes === 0 && $foreign === 0,
	"$received pushes at $threads receivers, $missing missing, $dupes duplicates, $foreign foreign");
$check('connections held', $held === $threads, "the program holds $held connections to the Text port (ss)");
/* the status calls after $before, $during's own included, were Text connections too */
$made = $during['text_connections_total'] - $before['text_connections_total'] - ($callsDuring - $callsBefore);
$check('connections made', $made === $threads, "the server accepted $made Text connections from the program");
$failed = count(array_filter($checks, fn($ok) => !$ok));
printf("ZTS embed: %d threads x %d requests x %d sends = %d pushes in %.1f s, %d received once each, %d backend connections\n",
	$threads, $requests, $sends, $threads * $want, $elapsed, $received - $dupes, $held);
if ($failed) {
	echo "program output:\n", substr($out, 0, 3000), "\n";
}
printf("embed: %d passed, %d failed\n", count($checks) - $failed, $failed);
push_server_stop($srv);
exit($failed ? 1 : 0);
