--TEST--
Hostile: a uid in 100,000 groups goes offline without stalling the server (the leave costs O(memberships), under 50 ms of loop time), and joining groups that already exist costs the same whatever else the uid is in
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';

/*
 * Loop time is measured by the server itself: a 5 ms timer notes the CPU time
 * the process used since its last tick (getrusage: not inflated when other
 * processes hold the CPU), and keeps the largest gap. One loop iteration that
 * works for long shows as one large gap. "lag" asks for it, "reset" clears it.
 */
/* no heartbeat: the test's clients read only when asked, and the quadratic build stalls for long */
$srv = push_server_start(['ping_interval' => 0], <<<'PHP'
$GLOBALS['lag'] = 0.0;
$GLOBALS['last'] = null;
function lag_cpu(): float {
	$r = getrusage();
	return $r['ru_utime.tv_sec'] + $r['ru_utime.tv_usec'] / 1e6 + $r['ru_stime.tv_sec'] + $r['ru_stime.tv_usec'] / 1e6;
}
$server->addTimer(0.005, function () {
	$now = lag_cpu();
	if ($GLOBALS['last'] !== null) {
		$GLOBALS['lag'] = max($GLOBALS['lag'], $now - $GLOBALS['last']);
	}
	$GLOBALS['last'] = $now;
});
$server->onMessage(function ($c, $data) {
	if ($data === 'reset') {
		$GLOBALS['lag'] = 0.0;
		$GLOBALS['last'] = lag_cpu();
	}
	$c->send(sprintf('%.6f', $GLOBALS['lag']));
});
PHP);

$G = 100000;        /* groups of "many" */
$SHARED = 2000;     /* of them, groups that "other" is in too */
$slow = getenv('PUSH_TEST_SLOWDOWN') !== false && getenv('PUSH_TEST_SLOWDOWN') !== '';
/* sanitizers and valgrind: a looser bound, still far below the quadratic leave (tens of seconds) */
$leaveBound = $slow ? 0.5 * push_test_slowdown() : 0.050;
/* a joins read is up to 256 KiB of lines (~4,000 joins) handled in one iteration */
$joinBound = $slow ? 1.0 * push_test_slowdown() : 0.250;

$probe = ws_bind($srv, 'probe');
$many = ws_bind($srv, 'many');
$other = ws_bind($srv, 'other');
$t = stream_socket_client($srv->textAddress());
stream_set_timeout($t, (int)(120 * push_test_slowdown()));
/* The server's longest loop iteration (CPU seconds) since the last reset; INF without an answer. */
function lag(TestWsClient $probe): float
{
	$probe->send('lag');
	$v = $probe->recv(30 * push_test_slowdown());
	return $v === null ? INF : (float)$v;
}
function cmd($t, array $c): array { fwrite($t, json_encode($c) . "\n"); return json_decode((string)fgets($t), true) ?? []; }
foreach (['probe', 'many', 'other'] as $u) {
	push_wait(fn() => cmd($t, ['cmd' => 'isUidOnline', 'uid' => $u])['online'] ?? false) or print("$u not online\n");
}

/* Joins groups $from..$to-1 for $uid, pipelined; how many answered changed:1. */
function joins($t, string $uid, int $from, int $to): int
{
	$ok = 0;
	for ($i = $from; $i < $to; $i += 5000) {
		$end = min($to, $i + 5000);
		$lines = '';
		for ($j = $i; $j < $end; $j++) {
			$lines .= "{\"cmd\":\"joinGroup\",\"group\":\"g$j\",\"uid\":\"$uid\"}\n";
		}
		fwrite($t, $lines);
		for ($j = $i; $j < $end; $j++) {
			$ok += str_contains((string)fgets($t), '"changed":1');
		}
	}
	return $ok;
}

echo "-- joins\n";
/* "other" is in the last 2,000 groups; "many" joins the 98,000 new ones first, then those */
echo 'other joined: ', joins($t, 'other', $G - $SHARED, $G), "\n";
$probe->send('reset');
$probe->recv(10);
echo 'many joined: ', joins($t, 'many', 0, $G), "\n";
echo 'groups: ', cmd($t, ['cmd' => 'getAllGroupCount'])['count'], "\n";
echo 'groups of many: ', cmd($t, ['cmd' => 'getUidGroups', 'uid' => 'many'])['count'], "\n";
$lag = lag($probe);
echo 'joins: longest loop iteration ', $lag < $joinBound ? 'within bound' : sprintf('%.3f s (bound %.3f s)', $lag, $joinBound), "\n";

echo "-- many goes offline\n";
$probe->send('reset');
$probe->recv(10);
$many->close();
$gone = push_wait(fn() => !(cmd($t, ['cmd' => 'isUidOnline', 'uid' => 'many'])['online'] ?? true), 120);
echo 'offline: ', $gone ? 'yes' : 'no', "\n";
usleep((int)(100000 * push_test_slowdown()));  /* timer ticks after the leave */
$lag = lag($probe);
echo 'leave: longest loop iteration ', $lag < $leaveBound ? 'within bound' : sprintf('%.3f s (bound %.3f s)', $lag, $leaveBound), "\n";
echo 'groups: ', cmd($t, ['cmd' => 'getAllGroupCount'])['count'], "\n";
echo 'groups of other: ', cmd($t, ['cmd' => 'getUidGroups', 'uid' => 'other'])['count'], "\n";
echo 'g99999 reaches other: ', cmd($t, ['cmd' => 'sendToGroup', 'group' => 'g99999', 'msg' => 'hi'])['count'], ' ', $other->recv(5), "\n";
echo 'g0 is gone: ', cmd($t, ['cmd' => 'getGroupConnectionCount', 'group' => 'g0'])['count'], "\n";
echo 'server: ', $srv->running() ? 'running' : 'dead', "\n";
?>
--EXPECT--
-- joins
other joined: 2000
many joined: 100000
groups: 100000
groups of many: 100000
joins: longest loop iteration within bound
-- many goes offline
offline: yes
leave: longest loop iteration within bound
groups: 2000
groups of other: 2000
g99999 reaches other: 1 hi
g0 is gone: 0
server: running
