<?php
/*
 * The recipe's push.php on real Workerman, and examples/push_server.php on push, side by side:
 * the same scripted traffic goes to both, and every Text answer and every frame (opcode and
 * payload) each browser connection receives is compared. Where push differs on purpose (the
 * README's "From the recipe to push" table), the step asserts push's documented behaviour and
 * shows what Workerman did.
 *
 *   php tests/peers/recipe_diff.php         (PUSH_SO: the extension; WORKERMAN_DIR: a Workerman)
 *
 * Prints every input it tried with its outcome, then "N passed, N failed" (", 1 skipped" and
 * the reason when no Workerman is at hand). Exit status 1 when a check failed.
 */
require __DIR__ . '/../inc/wsclient.inc';

$root = dirname(__DIR__, 2);
$pushSo = getenv('PUSH_SO') ?: "$root/modules/push.so";
$wmDir = getenv('WORKERMAN_DIR') ?: '';

if ($wmDir === '' || (!is_file("$wmDir/vendor/autoload.php") && !is_file("$wmDir/Autoloader.php") && !is_file("$wmDir/src/Worker.php"))) {
	echo "SKIP: no Workerman: " . ($wmDir === '' ? 'WORKERMAN_DIR is not set' : "nothing loadable in WORKERMAN_DIR=$wmDir")
		. " (the Composer registry here has no workerman/workerman; point WORKERMAN_DIR at a checkout or a Composer project)\n";
	echo "0 passed, 0 failed, 1 skipped\n";
	exit(0);
}
if (!is_file($pushSo)) {
	echo "push.so not found at $pushSo (build it, or set PUSH_SO)\n0 passed, 1 failed\n";
	exit(1);
}

function free_port(): int
{
	$s = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
	$port = (int)substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
	fclose($s);
	return $port;
}

/** Starts a server process; returns [proc, ws port, text port, name]. */
function start_server(string $name, array $cmd, array $env, int $ws, int $text): array
{
	$log = sys_get_temp_dir() . "/recipe-diff-$name-" . getmypid() . '.log';
	$proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'w'], 2 => ['file', $log, 'a']], $pipes, null, $env + getenv());
	$deadline = microtime(true) + 15;
	while (microtime(true) < $deadline) {
		$c = @stream_socket_client("tcp://127.0.0.1:$text", $e1, $e2, 0.5);
		$w = @stream_socket_client("tcp://127.0.0.1:$ws", $e1, $e2, 0.5);
		if ($c && $w) {
			fclose($c);
			fclose($w);
			return $GLOBALS['started'][] = ['proc' => $proc, 'ws' => $ws, 'text' => $text, 'name' => $name, 'log' => $log];
		}
		usleep(100000);
	}
	echo "$name did not start:\n", @file_get_contents($log), "\n0 passed, 1 failed\n";
	$GLOBALS['started'][] = ['proc' => $proc, 'log' => $log];
	exit(1);
}

function stop_server(array $s): void
{
	$st = proc_get_status($s['proc']);
	if ($st['running']) {
		proc_terminate($s['proc'], 2);     // SIGINT: both stop cleanly
		for ($i = 0; $i < 100 && proc_get_status($s['proc'])['running']; $i++) {
			usleep(50000);
		}
		if (proc_get_status($s['proc'])['running']) {
			proc_terminate($s['proc'], 9);
		}
	}
	proc_close($s['proc']);
	@unlink($s['log']);
}

/** One side of the comparison: its browsers and its Text connections, and what they received. */
final class Side
{
	public array $browsers = [];   // name => TestWsClient
	public array $texts = [];      // name => stream
	public array $got = [];        // name => list of events since the last collect()

	public function __construct(public array $srv)
	{
	}

	public function open(string $name, ?string $first): void
	{
		$deadline = microtime(true) + 10;
		for (;;) {
			try {
				$c = TestWsClient::connect("ws://127.0.0.1:{$this->srv['ws']}/");
				break;
			} catch (Throwable $e) {
				if (microtime(true) > $deadline) {
					throw $e;
				}
				usleep(100000);     // a Workerman worker that stopped is restarted by its master
			}
		}
		$this->browsers[$name] = $c;
		if ($first !== null) {
			$c->send($first);
		}
	}

	public function close(string $name): void
	{
		if (isset($this->browsers[$name])) {
			$this->browsers[$name]->close();
			unset($this->browsers[$name]);
		}
	}

	public function write(string $conn, string $bytes): void
	{
		if (!isset($this->texts[$conn])) {
			$this->texts[$conn] = stream_socket_client("tcp://127.0.0.1:{$this->srv['text']}", $errno, $errstr, 5);
			stream_set_blocking($this->texts[$conn], false);
		}
		fwrite($this->texts[$conn], $bytes);
	}

	public function closeText(string $conn): void
	{
		if (isset($this->texts[$conn])) {
			fclose($this->texts[$conn]);
			unset($this->texts[$conn]);
		}
	}

	/** Reads until nothing came for $quiet seconds; returns name => events. */
	public static function collect(array $sides, float $quiet = 0.25): void
	{
		$last = microtime(true);
		while (microtime(true) - $last < $quiet) {
			$r = [];
			foreach ($sides as $si => $side) {
				foreach ($side->browsers as $n => $b) {
					if ($b->closeCode === null) {
						$r["$si b $n"] = $b->sock;
					}
				}
				foreach ($side->texts as $n => $t) {
					if (!feof($t)) {
						$r["$si t $n"] = $t;
					}
				}
			}
			$w = $e = null;
			$ready = $r;
			if (!$r) {
				usleep((int)($quiet * 1e6));
				break;
			}
			if (@stream_select($ready, $w, $e, 0, 50000) < 1) {
				continue;
			}
			foreach ($ready as $sock) {
				$key = array_search($sock, $r, true);
				[$si, $kind, $n] = explode(' ', $key, 3);
				$side = $sides[$si];
				if ($kind === 't') {
					$d = fread($sock, 65536);
					if ($d === '' && feof($sock)) {
						$side->got["text $n"][] = 'closed';
					} elseif ($d !== '' && $d !== false) {
						$side->got["text $n"][] = $d;
						$last = microtime(true);
					}
					continue;
				}
				$b = $side->browsers[$n];
				while (($f = $b->frameIn(0.02)) !== null) {
					[$op, $payload] = $f;
					$last = microtime(true);
					if ($op === 9) {
						$b->send($payload, 10);
						continue;       // heartbeats are not part of the comparison
					}
					if ($op === 8) {
						$b->closeCode = strlen($payload) >= 2 ? unpack('n', $payload)[1] : 1005;
						$side->got["browser $n"][] = "close {$b->closeCode}";
						break;
					}
					$side->got["browser $n"][] = [$op, $payload];
				}
				if ($b->closeCode === 1006) {
					$side->got["browser $n"][] = 'dropped';
					$last = microtime(true);
				}
			}
		}
	}

	public function take(): array
	{
		$g = $this->got;
		$this->got = [];
		ksort($g);
		return $g;
	}
}

function show(array $events): string
{
	if (!$events) {
		return 'nothing';
	}
	$out = [];
	foreach ($events as $who => $list) {
		$parts = [];
		foreach ($list as $ev) {
			$parts[] = is_array($ev) ? ($ev[0] === 1 ? 'text ' : "op{$ev[0]} ") . json_encode($ev[1], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES) : (str_starts_with($who, 'text') && !in_array($ev, ['closed'], true) ? json_encode($ev) : $ev);
		}
		$out[] = "$who: " . implode(', ', $parts);
	}
	return implode('; ', $out);
}

$wmWs = free_port();
$wmText = free_port();
$pWs = free_port();
$pText = free_port();
$run = sys_get_temp_dir() . '/recipe-diff-run-' . getmypid();
@mkdir($run);
$started = [];
register_shutdown_function(function () use ($run) {
	foreach ($GLOBALS['started'] as $s) {
		stop_server($s);
	}
	array_map('unlink', glob("$run/*") ?: []);
	@rmdir($run);
});
$php = PHP_BINARY;
$wm = start_server('workerman', [$php, "$root/bench/peers/workerman/push.php", 'start'],
	['WORKERMAN_DIR' => $wmDir, 'RECIPE_WS_PORT' => (string)$wmWs, 'RECIPE_TEXT_PORT' => (string)$wmText, 'RECIPE_RUN_DIR' => $run], $wmWs, $wmText);
// a copy of examples/push_server.php of its own: the CLI's pid file is named after the script's path
copy("$root/examples/push_server.php", "$run/push_server.php");
$push = start_server('push', [$php, '-n', '-d', "extension=$pushSo", "$run/push_server.php", 'start'],
	['PUSH_WS_PORT' => (string)$pWs, 'PUSH_TEXT_PORT' => (string)$pText], $pWs, $pText);
$wmVersion = trim((string)shell_exec(escapeshellarg($php) . ' -r ' . escapeshellarg(
	'putenv("WORKERMAN_DIR=' . addslashes($wmDir) . '"); require "' . $root . '/bench/peers/workerman/autoload.php"; echo Workerman\Worker::VERSION;')));
echo "Workerman $wmVersion (", $wmDir, ") against push (", $pushSo, "), PHP ", PHP_VERSION, "\n\n";

$W = new Side($wm);
$P = new Side($push);
$passed = $failed = 0;
$n = 0;

/**
 * One step, done on both sides. $differs: null when both must match; otherwise
 * [reason, what push must show] and Workerman's outcome is printed beside it.
 */
function step(string $what, callable $do, ?array $differs = null): void
{
	global $W, $P, $passed, $failed, $n;
	$n++;
	$do($W);
	$do($P);
	Side::collect([$W, $P]);
	$w = $W->take();
	$p = $P->take();
	if ($differs === null) {
		$ok = $w === $p;
		printf("%2d. %s\n    %s: %s\n", $n, $what, $ok ? 'same' : 'DIFFERENT', show($p));
		if (!$ok) {
			printf("    workerman: %s\n    push:      %s\n", show($w), show($p));
		}
	} else {
		[$reason, $want] = $differs;
		ksort($want);
		$ok = $p === $want;
		printf("%2d. %s\n    differs on purpose (%s)\n    workerman: %s\n    push:      %s%s\n", $n, $what, $reason, show($w), show($p),
			$ok ? '' : "\n    FAILED, push should show: " . show($want));
	}
	$ok ? $passed++ : $failed++;
}

/** A browser bound with the recipe's first message, on both sides. */
function bind(string $name, string $uid, ?array $differs = null): void
{
	step('browser ' . $name . ' connects and sends its uid ' . json_encode($uid, JSON_UNESCAPED_UNICODE) . ' (' . strlen($uid) . ' bytes)',
		function (Side $s) use ($name, $uid) {
			$s->open($name, $uid);
		}, $differs);
}

/** A line (or raw bytes) written to a Text connection. */
function line(string $bytes, string $conn = 'T1', ?array $differs = null, string $what = ''): void
{
	step(($what ? "$what: " : '') . "backend writes " . json_encode($bytes, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES) . " on $conn",
		function (Side $s) use ($bytes, $conn) {
			$s->write($conn, $bytes);
		}, $differs);
}

$ok = fn(string $conn = 'T1') => ["text $conn" => ["ok\n"]];

echo "== browsers bind their uids\n";
bind('A', 'uid1');
bind('U', '用户一');
bind('N', '42');
bind('L', str_repeat('x', 200), ['push refuses a uid over max_uid_length (128 bytes by default): close 4005', ['browser L' => ['close 4005']]]);
bind('E', '', ['push refuses an empty uid: close 4005', ['browser E' => ['close 4005']]]);

echo "\n== the recipe's backend lines\n";
line("{\"uid\":\"uid1\",\"percent\":\"88%\"}\n", 'T1', null, 'the recipe\'s own line');
line(json_encode(['uid' => '用户一', 'percent' => '进度 50%'], JSON_UNESCAPED_UNICODE) . "\n", 'T1', null, 'UTF-8 uid, raw');
line(json_encode(['uid' => '用户一', 'percent' => 'é']) . "\n", 'T1', null, 'UTF-8 uid, \\u-escaped (PHP\'s json_encode default)');
line("{\"uid\":42,\"percent\":\"n\"}\n", 'T1', null, 'uid as a JSON number');
line("{\"uid\":\"42\",\"percent\":\"s\"}\n", 'T1', null, 'numeric uid as a string');
line(json_encode(['uid' => str_repeat('x', 200), 'percent' => 'long']) . "\n", 'T1',
	['the 200-byte uid was refused at connect, so it is offline', ['text T1' => ["fail\n"]]], '200-byte uid');
line("{\"uid\":\"\",\"percent\":\"empty\"}\n", 'T1',
	['an empty uid is refused on the Text port too', ['text T1' => ["error: \"uid\" must not be empty\n"]]], 'empty uid');
line("{\"percent\":\"no uid\"}\n", 'T1',
	['a line without uid is refused; in PHP the missing uid is null, which finds the connection bound to ""', ['text T1' => ["error: missing \"uid\"\n"]]], 'no uid while "" is bound');
step('browser E closes (Workerman had bound the empty uid)', fn(Side $s) => $s->close('E'));
line("{\"uid\":\"nobody\",\"percent\":\"x\"}\n", 'T1', null, 'offline uid');
line("{\"uid\":\"uid1\",\"percent\":\"50%\",\"task\":\"t1\",\"extra\":[1,2]}\n", 'T1', null, 'extra fields');
line("{\"uid\":\"uid1\",\"percent\":\"crlf\"}\r\n", 'T1', null, '\\r\\n ending');
line("{\"uid\":\"uid1\",\"percent\":\"one\"}\n{\"uid\":\"42\",\"percent\":\"two\"}\n", 'T1', null, 'two lines in one write');
step('one line split across two writes, 150 ms apart', function (Side $s) {
	$s->write('T1', '{"uid":"uid1","perc');
	usleep(150000);
	$s->write('T1', "ent\":\"split\"}\n");
});
line("{\"uid\":\"uid1\",\"percent\":\"fresh\"}\n", 'T2', null, 'a second backend connection');
line("{\"uid\":\"uid1\",\"percent\":\"88%\"}", 'T3', null, 'no newline yet: nothing happens');
line("\n", 'T3', null, 'the newline arrives');
line("{\"percent\":\"88%\"}\n", 'T1',
	['push names the problem; Workerman warns "Undefined array key" in its log and answers fail', ['text T1' => ["error: missing \"uid\"\n"]]], 'no uid');
line("{\"uid\":\"uid1\",\n", 'T1',
	['push names the problem; Workerman warns in its log and answers fail', ['text T1' => ["error: invalid JSON: unexpected end of line\n"]]], 'malformed JSON');
line("hello\n", 'T1',
	['push names the problem; Workerman answers fail', ['text T1' => ["error: invalid JSON\n"]]], 'not JSON');
line("\n", 'T1', ['a blank line is a keep-alive for push, no answer; Workerman answers fail', []], 'blank line');
step('browser A sends a second message (ignored by both)', fn(Side $s) => $s->browsers['A']->send('again'));
line("{\"uid\":\"uid1\",\"percent\":\"still\"}\n", 'T1', null, 'the binding is unchanged');

echo "\n== several tabs for one uid\n";
bind('T_a', 'tab');
bind('T_b', 'tab');
line("{\"uid\":\"tab\",\"percent\":\"both?\"}\n", 'T1',
	['push keeps every tab of a uid; the recipe keeps the last', ['text T1' => ["ok\n"], 'browser T_a' => [[1, 'both?']], 'browser T_b' => [[1, 'both?']]]], 'two tabs');
step('tab T_b closes', fn(Side $s) => $s->close('T_b'));
line("{\"uid\":\"tab\",\"percent\":\"left\"}\n", 'T1',
	['the recipe forgets the uid when any of its tabs closes; push still has T_a', ['text T1' => ["ok\n"], 'browser T_a' => [[1, 'left']]]], 'after one tab closed');
step('browsers A, U, N and T_a close', function (Side $s) {
	foreach (['A', 'U', 'N', 'T_a', 'L'] as $b) {
		$s->close($b);
	}
});
line("{\"uid\":\"uid1\",\"percent\":\"gone\"}\n", 'T1', null, 'uid1 is offline now');

/*
 * What the browser gets for each kind of "percent". Some of these stop the Workerman worker
 * (4.x: non-scalars; 5.x: numbers and booleans, strict_types): then every browser of that
 * server is dropped and the master starts a new worker. Each runs on its own browser, and
 * push must show the documented value; where Workerman did not stop, the two must match.
 */
echo "\n== what reaches the browser for each kind of percent\n";
$kinds = [
	['"88%"', '88%'], ['"进度"', '进度'], ['"a\\"b\\\\c\\/d\\u00e9"', "a\"b\\c/d\u{e9}"], ['""', ''],
	['88', '88'], ['-5', '-5'], ['88.5', '88.5'], ['1.0', '1'], ['1e20', '1.0E+20'], ['0.30000000000000004', '0.3'],
	['true', '1'], ['false', ''], ['null', 'null'], [null, 'null'],
	['[1,"a/b","é"]', '[1,"a\\/b","é"]'], ['{"a":1,"b":"x/y"}', '{"a":1,"b":"x\\/y"}'], ['{}', '[]'], ['[]', '[]'],
];
foreach ($kinds as $i => [$json, $want]) {
	$uid = "p$i";
	$lineText = $json === null ? "{\"uid\":\"$uid\"}" : "{\"uid\":\"$uid\",\"percent\":$json}";
	$n++;
	foreach ([$W, $P] as $s) {
		$s->open('B', $uid);
	}
	Side::collect([$W, $P], 0.15);
	$W->take();
	$P->take();
	foreach ([$W, $P] as $s) {
		$s->write("K$i", $lineText . "\n");
	}
	Side::collect([$W, $P], 0.4);
	$w = $W->take();
	$p = $P->take();
	$wantP = ['browser B' => [[1, $want]], "text K$i" => ["ok\n"]];
	$stopped = ($w["browser B"] ?? null) === ['dropped'];
	$ok = $p === $wantP && ($stopped || $w === $p);
	printf("%2d. percent %s\n    %s%s\n", $n, $json ?? '(missing)', $stopped
		? 'Workerman ' . $wmVersion . ' stopped its worker (browser dropped, no answer); push: ' . show($p)
		: ($w === $p ? 'same: ' . show($p) : 'DIFFERENT: workerman ' . show($w) . ' / push ' . show($p)),
		$p === $wantP ? '' : "\n    FAILED, push should show: " . show($wantP));
	$ok ? $passed++ : $failed++;
	foreach ([$W, $P] as $s) {
		$s->close('B');
		$s->closeText("K$i");
	}
}

echo "\n== lines that differ from the recipe on purpose, on their own browser\n";
$own = [
	['{"uid":"q1","msg":"hello"}', 'q1', 'push pushes "msg" as is; the recipe ignores it and pushes $data[\'percent\'] (null)', [[1, 'hello']]],
	['{"uid":["q2"],"percent":"list"}', 'q2', 'push takes a list of uids; the recipe\'s isset() throws on an array key', [[1, 'list']]],
	['{"uid":"q3","percent":[1e2,0.50]}', 'q3', 'numbers inside an array are pushed as the line wrote them; json_encode() rewrites them', [[1, '[1e2,0.50]']]],
	['{"uid":"q4","percent":{"0":"a","1":"b"}}', 'q4', 'an object stays an object; json_decode(..., true) then json_encode() make a list of it', [[1, '{"0":"a","1":"b"}']]],
	['{"uid":"q5","percent":99999999999999999999}', 'q5', 'push cannot give back a number past 64 bits exactly and refuses it; PHP makes it a float', null],
];
foreach ($own as $i => [$lineText, $uid, $reason, $frames]) {
	$n++;
	foreach ([$W, $P] as $s) {
		$s->open('B', $uid);
	}
	Side::collect([$W, $P], 0.15);
	$W->take();
	$P->take();
	foreach ([$W, $P] as $s) {
		$s->write("O$i", $lineText . "\n");
	}
	Side::collect([$W, $P], 0.4);
	$w = $W->take();
	$p = $P->take();
	$wantP = $frames === null ? ["text O$i" => ["error: \"percent\" number out of range: send it as a string\n"]]
		: ['browser B' => $frames, "text O$i" => ["ok\n"]];
	$ok = $p === $wantP;
	printf("%2d. %s\n    differs on purpose (%s)\n    workerman: %s\n    push:      %s%s\n", $n, $lineText, $reason, show($w), show($p),
		$ok ? '' : "\n    FAILED, push should show: " . show($wantP));
	$ok ? $passed++ : $failed++;
	foreach ([$W, $P] as $s) {
		$s->close('B');
		$s->closeText("O$i");
	}
}

echo "\n$passed passed, $failed failed\n";
exit($failed ? 1 : 0);
