<?php
/*
 * The Pusher server SDKs against push's Pusher HTTP API, with Pusher clients (protocol 7)
 * subscribed to what the calls reach: pusher/pusher-php-server (its query values
 * percent-encoded by Guzzle) and the pusher npm package (values sent as they are). Every
 * call of each SDK that Laravel or an application makes: trigger (socket_id, info),
 * triggerBatch, channels, channel info, presence users, sendToUser,
 * terminateUserConnections, and a wrong secret refused. A channel name with ';' goes
 * through the paths. Prints each check and "N passed, N failed[, N skipped]".
 *
 *   php tests/peers/pusher_sdk.php PHP_SDK_DIR NODE_SDK_DIR   (an empty dir: that SDK skipped;
 *                                                             PUSH_SO: the extension)
 */
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/wsclient.inc';
require __DIR__ . '/../inc/hostile.inc';
require __DIR__ . '/../inc/pusher.inc';

$root = dirname(__DIR__, 2);
[$phpDir, $nodeDir] = [$argv[1] ?? '', $argv[2] ?? ''];
$so = getenv('PUSH_SO') ?: "$root/modules/push.so";
putenv('TEST_PHP_EXTRA_ARGS=-d extension=' . $so);
$passed = $failed = $skipped = 0;

function check(string $what, bool $ok, string $detail = ''): void
{
	global $passed, $failed;
	$ok ? $passed++ : $failed++;
	echo $ok ? 'ok   ' : 'FAIL ', $what, $ok || $detail === '' ? '' : ": $detail", "\n";
}

/* A server with subscribers: a on news, private-x;y and presence-room (user 7), b on news and
 * presence-room (user "eight"), signed in as u1 and on its #server-to-user- channel. */
function setup(): array
{
	$srv = push_server_start(['pusher' => ['apps' => [
		['id' => 'app-id', 'key' => 'app-key', 'secret' => 'app-secret'],
	]]]);
	[$a, $asid] = pconnect($srv);
	[$b, $bsid] = pconnect($srv);
	psub($a, $asid, 'news');
	psub($b, $bsid, 'news');
	psub($a, $asid, 'private-x;y');
	psub($a, $asid, 'presence-room', '{"user_id":7,"user_info":{"name":"a"}}');
	psub($b, $bsid, 'presence-room', '{"user_id":"eight"}');
	if (!psignin($b, $bsid, '{"id":"u1"}')) {
		throw new RuntimeException('signin refused');
	}
	psub($b, $bsid, '#server-to-user-u1');
	return [$srv, $a, $asid, $b, $bsid];
}

/* The events a client got within a short while, as "event channel data" joined with " | ". */
function got(TestWsClient $c): string
{
	$out = [];
	while ($m = pnext($c, 0.4)) {
		$out[] = pev($m);
	}
	return implode(' | ', $out);
}

/* The checks both SDKs share; $r maps a call's name to [status, decoded body]. */
function check_calls(string $sdk, array $r, TestWsClient $a, TestWsClient $b): void
{
	$counts = ['news' => ['subscription_count' => 2], 'presence-room' => ['user_count' => 2, 'subscription_count' => 2]];
	check("$sdk trigger", ($r['trigger'] ?? null) === [200, []]);
	check("$sdk trigger with socket_id and info", ($r['trigger info'] ?? null) === [200, ['channels' => $counts]],
		json_encode($r['trigger info'] ?? null));
	check("$sdk triggerBatch", ($r['batch'] ?? null) === [200, []]);
	check("$sdk channels (presence-, user_count)",
		($r['channels'] ?? null) === [200, ['channels' => ['presence-room' => ['user_count' => 2]]]],
		json_encode($r['channels'] ?? null));
	check("$sdk channel info", ($r['channel'] ?? null)
		=== [200, ['occupied' => true, 'user_count' => 2, 'subscription_count' => 2]], json_encode($r['channel'] ?? null));
	check("$sdk channel info, ';' in the name", ($r['channel ;'] ?? null)
		=== [200, ['occupied' => true, 'subscription_count' => 1]], json_encode($r['channel ;'] ?? null));
	$users = $r['users'][1]['users'] ?? [];
	sort($users);
	check("$sdk presence users, ids as strings", ($r['users'][0] ?? 0) === 200
		&& $users === [['id' => '7'], ['id' => 'eight']], json_encode($r['users'] ?? null));
	check("$sdk sendToUser", ($r['sendToUser'] ?? null) === [200, []]);
	check("$sdk terminateUserConnections", ($r['terminate'] ?? null) === [200, []]);
	check("$sdk wrong secret refused", ($r['wrong secret'][0] ?? 0) === 401
		&& ($r['wrong secret'][1]['error'] ?? '') === 'invalid signature', json_encode($r['wrong secret'] ?? null));
	$ga = got($a);
	$gb = got($b);
	check("$sdk events reached a", preg_match('/^greet news .* \| b1 news "?one"? \| b2 private-x;y \{"k":2\}$/', $ga)
		=== 1, $ga);
	check("$sdk events reached b, socket_id skipped a", preg_match('/^greet news .* \| skip news "?x"? \| '
		. 'skip presence-room "?x"? \| b1 news "?one"? \| direct #server-to-user-u1 \{"to":"u1"\}$/', $gb) === 1, $gb);
	check("$sdk terminated u1 (4009)", $b->waitClose(2.0) === 4009);
}

if ($phpDir === '' || !is_file("$phpDir/vendor/autoload.php")) {
	echo "SKIP pusher/pusher-php-server: not installed\n";
	$skipped++;
} else {
	require "$phpDir/vendor/autoload.php";
	[$srv, $a, $asid, $b] = setup();
	$opts = ['host' => '127.0.0.1', 'port' => $srv->ws, 'scheme' => 'http', 'useTLS' => false];
	$p = new Pusher\Pusher('app-key', 'app-secret', 'app-id', $opts);
	$bad = new Pusher\Pusher('app-key', 'wrong-secret', 'app-id', $opts);
	$calls = [
		'trigger' => fn() => $p->trigger('news', 'greet', ['from' => 'php']),
		'trigger info' => fn() => $p->trigger(['news', 'presence-room'], 'skip', 'x',
			['socket_id' => $asid, 'info' => 'user_count,subscription_count']),
		'batch' => fn() => $p->triggerBatch([['channel' => 'news', 'name' => 'b1', 'data' => 'one'],
			['channel' => 'private-x;y', 'name' => 'b2', 'data' => ['k' => 2]]]),
		'channels' => fn() => $p->getChannels(['filter_by_prefix' => 'presence-', 'info' => 'user_count']),
		'channel' => fn() => $p->getChannelInfo('presence-room', ['info' => 'user_count,subscription_count']),
		'channel ;' => fn() => $p->getChannelInfo('private-x;y', ['info' => 'subscription_count']),
		'users' => fn() => $p->getPresenceUsers('presence-room'),
		'sendToUser' => fn() => $p->sendToUser('u1', 'direct', ['to' => 'u1']),
		'terminate' => fn() => $p->terminateUserConnections('u1'),
		'wrong secret' => fn() => $bad->trigger('news', 'x', 'y'),
	];
	$r = [];
	foreach ($calls as $name => $call) {
		try {
			$r[$name] = [200, json_decode(json_encode($call()), true)];
		} catch (Pusher\ApiErrorException $e) {
			$r[$name] = [$e->getCode(), json_decode($e->getMessage(), true)];
		} catch (Throwable $e) {
			$r[$name] = [0, get_class($e) . ': ' . $e->getMessage()];
		}
	}
	echo 'pusher/pusher-php-server ', Pusher\Pusher::$VERSION, "\n";
	check_calls('php', $r, $a, $b);
	push_server_stop($srv);
}

if ($nodeDir === '' || !is_dir("$nodeDir/node_modules/pusher")) {
	echo "SKIP pusher (npm): not installed\n";
	$skipped++;
} else {
	[$srv, $a, $asid, $b] = setup();
	$cmd = 'NODE_PATH=' . escapeshellarg("$nodeDir/node_modules") . ' node ' . escapeshellarg(__DIR__ . '/pusher_sdk.js')
		. ' ' . $srv->ws . ' ' . escapeshellarg($asid) . ' 2>&1';
	$r = [];
	foreach (explode("\n", trim((string)shell_exec($cmd))) as $line) {
		$j = json_decode($line, true);
		if (is_array($j)) {
			$r[$j['what']] = [$j['status'], json_decode($j['body'], true)];
		} else {
			echo "node: $line\n";
		}
	}
	echo 'pusher (npm) ', json_decode((string)file_get_contents("$nodeDir/node_modules/pusher/package.json"), true)['version'], "\n";
	check_calls('node', $r, $a, $b);
	push_server_stop($srv);
}

echo "$passed passed, $failed failed", $skipped ? ", $skipped skipped" : '', "\n";
exit($failed ? 1 : 0);
