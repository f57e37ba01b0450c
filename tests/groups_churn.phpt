--TEST--
Counts stay exact under churn: thousands of connections opened and closed in random order, checked against a model
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start([], <<<'PHP'
$server->onMessage(function (Push\Connection $c, string $data) {
	[$op, $g] = explode(' ', $data, 2);
	$op === 'join' ? $c->joinGroup($g) : $c->leaveGroup($g);
	$c->send('done');
});
PHP);
$t = stream_socket_client($srv->textAddress());
function cmd($t, array $c) { fwrite($t, json_encode($c) . "\n"); return json_decode(fgets($t), true); }

mt_srand(20261125);
$open = [];          // id => [client, uid, connection-level groups]
$uidGroups = [];     // uid => [group => true]  (uid-level membership, while online)
$next = 0;
$bad = 0;
for ($step = 0; $step < 2500; $step++) {
	$r = mt_rand(0, 99);
	if ($r < 45 || count($open) < 5) {
		if (count($open) >= 400) {
			continue;
		}
		$uid = 'u' . mt_rand(0, 60);
		$open[$next++] = [ws_bind($srv, $uid), $uid, []];
	} elseif ($r < 80) {
		$k = array_rand($open);
		$open[$k][0]->close();
		$uid = $open[$k][1];
		unset($open[$k]);
		if (!array_filter($open, fn($o) => $o[1] === $uid)) {
			unset($uidGroups[$uid]);     // the uid went offline: its memberships end
		}
	} elseif ($r < 90) {
		$k = array_rand($open);
		$g = 'g' . mt_rand(0, 5);
		$open[$k][0]->send("join $g");
		if ($open[$k][0]->recv() !== 'done') { $bad++; }
		$open[$k][2][$g] = true;
	} else {
		$k = array_rand($open);
		$g = 'g' . mt_rand(0, 5);
		$uid = $open[$k][1];
		// the uid is online (this connection is open): make sure the server has bound it first
		push_wait(fn() => cmd($t, ['cmd' => 'isUidOnline', 'uid' => $uid])['online']);
		$res = cmd($t, ['cmd' => 'joinGroup', 'group' => $g, 'uid' => $uid]);
		$uidGroups[$uid][$g] = true;
	}
	if ($step % 250 === 249) {
		// let closes land, then compare every count with the model
		$conns = count($open);
		push_wait(fn() => cmd($t, ['cmd' => 'getAllConnectionCount'])['count'] === $conns, 10);
		$uids = array_unique(array_column($open, 1));
		$bad += cmd($t, ['cmd' => 'getAllUidCount'])['count'] !== count($uids);
		$bad += cmd($t, ['cmd' => 'getAllConnectionCount'])['count'] !== $conns;
		for ($gi = 0; $gi <= 5; $gi++) {
			$g = "g$gi";
			$members = [];
			$memberUids = [];
			foreach ($open as $id => [$cl, $uid, $groups]) {
				if (isset($groups[$g]) || isset($uidGroups[$uid][$g])) {
					$members[] = $id;
					$memberUids[$uid] = true;
				}
			}
			$count = cmd($t, ['cmd' => 'getGroupConnectionCount', 'group' => $g])['count'];
			$gu = cmd($t, ['cmd' => 'getGroupUids', 'group' => $g])['uids'];
			sort($gu);
			$mu = array_keys($memberUids);
			sort($mu);
			if ($count !== count($members) || $gu !== $mu) {
				echo "step $step group $g: server $count/" . implode(',', $gu) . " model " . count($members) . "/" . implode(',', $mu) . "\n";
				$bad++;
			}
		}
	}
}
echo "mismatches: $bad\n";
foreach ($open as $o) {
	$o[0]->close();
}
push_wait(fn() => cmd($t, ['cmd' => 'getAllConnectionCount'])['count'] === 0, 10);
$st = push_status($srv);
echo "after all closed: connections={$st['connections']} uids={$st['uids']} groups=", cmd($t, ['cmd' => 'getAllGroupCount'])['count'], "\n";
?>
--EXPECT--
mismatches: 0
after all closed: connections=0 uids=0 groups=0
