<?php
/*
 * Loop time of group joins and of a group leave: uid "many" joins G groups through the Text port
 * (pipelined), then goes offline; prints the longest loop iteration (CPU seconds, sampled by a
 * 5 ms timer inside the server) of the joins and of the leave. With a second argument of 1,
 * uid "other" joins the same groups first (groups that already exist).
 *
 *   TEST_PHP_EXTRA_ARGS="-n -d extension=$PWD/modules/push.so" \
 *     php -n -d extension=$PWD/modules/push.so bench/group_leave.php 100000 [1]
 */
require __DIR__ . "/../tests/inc/server.inc";
require __DIR__ . "/../tests/inc/wsclient.inc";
$G = (int)($argv[1] ?? 100000);
$second = (int)($argv[2] ?? 0);
$setup = <<<'PHP'
$GLOBALS['lagmax'] = 0.0; $GLOBALS['lagcpu'] = null;
$cpu = function () { $r = getrusage(); return $r['ru_utime.tv_sec'] + $r['ru_utime.tv_usec'] / 1e6 + $r['ru_stime.tv_sec'] + $r['ru_stime.tv_usec'] / 1e6; };
$server->addTimer(0.005, function () use ($cpu) {
	$now = $cpu();
	if ($GLOBALS['lagcpu'] !== null) { $GLOBALS['lagmax'] = max($GLOBALS['lagmax'], $now - $GLOBALS['lagcpu']); }
	$GLOBALS['lagcpu'] = $now;
});
$server->onMessage(function ($c, $data) {
	if ($data === 'lag') { $c->send(sprintf('%.6f', $GLOBALS['lagmax'])); }
	if ($data === 'reset') { $GLOBALS['lagmax'] = 0.0; $c->send('reset'); }
});
PHP;
$srv = push_server_start(['ping_interval' => 0], $setup);
$probe = ws_bind($srv, 'probe');
$many = ws_bind($srv, 'many');
$uids = $second ? ['other', 'many'] : ['many'];
if ($second) { $other = ws_bind($srv, 'other'); }
push_wait(fn() => str_contains(push_text($srv, '{"cmd":"isUidOnline","uid":"many"}'), '"online":true'));
if ($second) push_wait(fn() => str_contains(push_text($srv, '{"cmd":"isUidOnline","uid":"other"}'), '"online":true'));
$t = stream_socket_client($srv->textAddress());
$t0 = microtime(true);
$cpu0 = push_cpu_seconds($srv->pid);
foreach ($uids as $u) {
	for ($i = 0; $i < $G; $i += 5000) {
		$lines = '';
		for ($j = $i; $j < min($G, $i + 5000); $j++) { $lines .= "{\"cmd\":\"joinGroup\",\"group\":\"g$j\",\"uid\":\"$u\"}\n"; }
		fwrite($t, $lines);
		for ($j = $i; $j < min($G, $i + 5000); $j++) { $a = fgets($t); if (!str_contains($a, '"changed":1')) die("bad $a"); }
	}
	printf("joined %s: wall %.3f s cpu %.2f s\n", $u, microtime(true) - $t0, push_cpu_seconds($srv->pid) - $cpu0);
}
$probe->send('lag'); printf("join max iteration cpu %.4f\n", (float)$probe->recv(5));
$probe->send('reset'); $probe->recv(5);
echo push_text($srv, '{"cmd":"getAllGroupCount"}'), "\n";
$cpu0 = push_cpu_seconds($srv->pid); $t0 = microtime(true);
$many->close();
push_wait(fn() => str_contains(push_text($srv, '{"cmd":"isUidOnline","uid":"many"}'), '"online":false'), 600);
printf("leave: wall %.3f s cpu %.2f s\n", microtime(true) - $t0, push_cpu_seconds($srv->pid) - $cpu0);
usleep(50000);
$probe->send('lag'); printf("leave max iteration cpu %.4f\n", (float)$probe->recv(5));
echo push_text($srv, '{"cmd":"getAllGroupCount"}'), "\n";
