<?php
/*
 * Client-to-server messages: the server's CPU per WebSocket message it reads from its clients.
 *
 *   php -d extension=modules/push.so bench/client_messages.php [SO] [RUNS]
 *
 * Starts bench/push_bench_server.php (with the extension SO, default modules/push.so) pinned to
 * CPU 0, opens 1,000 clients that bind a uid each, then runs two loads, RUNS times each (5):
 *   burst   each client writes 200 masked 32-byte text messages in one write (200,000 in all);
 *   single  200 rounds of one message per client, each written by itself (200,000 in all): the
 *           browser case, about one message per read.
 * A load ends when the server's status says it read every message (messages_in). Prints the
 * server's on-CPU time per message (schedstat, ns) and the messages per second, median of RUNS.
 */
$so = $argv[1] ?? __DIR__ . '/../modules/push.so';
$runs = (int)($argv[2] ?? 5);
$clients = 1000;
$ws = 20000 + random_int(0, 9000);
$text = $ws + 1;

$cmd = sprintf('exec taskset -c 0 %s -n -d extension=%s %s %d %d', escapeshellarg(PHP_BINARY), escapeshellarg($so),
	escapeshellarg(__DIR__ . '/push_bench_server.php'), $ws, $text);
$proc = proc_open($cmd, [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
$pid = proc_get_status($proc)['pid'];
for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $text); $i++) {
	usleep(50000);
}

/** The server's on-CPU nanoseconds, all threads. */
function cpu_ns(int $pid): int
{
	$t = 0;
	foreach (glob("/proc/$pid/task/*/schedstat") as $f) {
		$t += (int)explode(' ', (string)@file_get_contents($f))[0];
	}
	return $t;
}

function text_cmd($sock, string $line): array
{
	fwrite($sock, $line . "\n");
	return json_decode((string)fgets($sock), true) ?? [];
}

function frame(string $payload): string
{
	$key = random_bytes(4);
	$len = strlen($payload);
	return "\x81" . chr(0x80 | $len) . $key . ($payload ^ str_repeat($key, intdiv($len, 4) + 1));
}

$t = stream_socket_client("tcp://127.0.0.1:$text");
$socks = [];
for ($i = 0; $i < $clients; $i++) {
	$s = stream_socket_client("tcp://127.0.0.1:$ws");
	fwrite($s, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		. 'Sec-WebSocket-Key: ' . base64_encode(random_bytes(16)) . "\r\nSec-WebSocket-Version: 13\r\n\r\n");
	$head = '';
	while (!str_contains($head, "\r\n\r\n")) {
		$head .= fread($s, 1);
	}
	fwrite($s, frame("u$i"));
	$socks[] = $s;
}
while ((text_cmd($t, '{"cmd":"status"}')['bound_connections'] ?? 0) < $clients) {
	usleep(10000);
}

$msg = str_repeat('m', 32);
$loads = [
	'burst' => function () use ($socks, $msg) {
		foreach ($socks as $s) {
			fwrite($s, str_repeat(frame($msg), 200));
		}
		return count($socks) * 200;
	},
	'single' => function () use ($socks, $msg) {
		$f = frame($msg);
		for ($r = 0; $r < 200; $r++) {
			foreach ($socks as $s) {
				fwrite($s, $f);
			}
		}
		return count($socks) * 200;
	},
];
foreach ($loads as $name => $load) {
	$per = $rates = [];
	for ($run = 0; $run < $runs; $run++) {
		$before = text_cmd($t, '{"cmd":"status"}')['messages_in'];
		$c0 = cpu_ns($pid);
		$w0 = microtime(true);
		$n = $load();
		while (text_cmd($t, '{"cmd":"status"}')['messages_in'] < $before + $n) {
			usleep(1000);
		}
		$wall = microtime(true) - $w0;
		$per[] = (cpu_ns($pid) - $c0) / $n;
		$rates[] = $n / $wall;
	}
	sort($per);
	sort($rates);
	printf("%-7s %7.0f ns server CPU per message (runs: %s)   %8.0f msgs/s\n", $name, $per[intdiv($runs, 2)],
		implode(' ', array_map(fn($x) => round($x), $per)), $rates[intdiv($runs, 2)]);
}
proc_terminate($proc);
proc_close($proc);
