--TEST--
Hostile: an unfinished client message has message_timeout on every connection, bound or not (recipe and Pusher); unfinished input is bounded per address and in all (1008); a frame announcing 2^40 bytes gets 1009 at once; each counted in status and /metrics
--EXTENSIONS--
push
--SKIPIF--
<?php if (PHP_OS_FAMILY !== 'Linux') die('skip needs 127.0.0.x source addresses'); ?>
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';

/* A bound recipe socket from $from. */
function bound(PushTestServer $srv, string $from, string $uid): TestWsClient
{
	$c = hostile_ws($srv, $from);
	$c->send($uid);
	return $c;
}

/* A Pusher socket from $from, its connection_established read. */
function psock(PushTestServer $srv, string $from): TestWsClient
{
	$c = hostile_ws($srv, $from, '/app/app-key?protocol=7');
	$m = json_decode((string)$c->recv(2.0), true);
	if (($m['event'] ?? '') !== 'pusher:connection_established') {
		throw new RuntimeException('no connection_established');
	}
	return $c;
}

/* The first $have bytes of a masked text frame announcing $len bytes. */
function partial(int $len, int $have): string
{
	return substr(hostile_frame(str_repeat('x', $len)), 0, strlen(hostile_frame(str_repeat('x', $len))) - $len + $have);
}

/* How c ended within $t seconds (stretched under sanitizers and valgrind): "closed <code> in time" or what happened. */
function ended(TestWsClient $c, float $t, float $limit): string
{
	$t *= push_test_slowdown();
	$limit *= push_test_slowdown();
	$t0 = microtime(true);
	$code = $c->waitClose($t);
	$dt = microtime(true) - $t0;
	return $code === null ? sprintf('still open after %.1f s', $t) : ($dt < $limit ? "closed $code in time" : sprintf("closed $code late (%.2f s)", $dt));
}

$pusher = ['apps' => [['id' => 'app-id', 'key' => 'app-key', 'secret' => 'app-secret']]];

/* 1. message_timeout: a bound recipe socket and a Pusher socket each begin a 60,000-byte message and
 * stop; a client that sends its message slowly but within the deadline is not touched. */
$srv = push_server_start(['message_timeout' => 1, 'metrics_public' => true, 'pusher' => $pusher]);
$r = bound($srv, '127.0.0.10', 'slowpoke');
$p = psock($srv, '127.0.0.10');
$ok = bound($srv, '127.0.0.11', 'patient');
push_wait(fn() => push_status($srv)['uids'] >= 3, 2);
fwrite($r->sock, partial(60000, 20000));
fwrite($p->sock, partial(60000, 20000));
$frame = hostile_frame('{"event":"pusher:ping","data":{}}' . str_repeat(' ', 3000));
$parts = str_split($frame, intdiv(strlen($frame), 3) + 1);
foreach ($parts as $part) {
	fwrite($ok->sock, $part);
	usleep(150000);
}
push_wait(fn() => push_status($srv)['input_bytes'] >= 40000, 1);
echo "held: ", push_status($srv)['input_bytes'], " bytes\n";
echo "recipe socket: ", ended($r, 4.0, 3.0), "\n";
echo "Pusher socket: ", ended($p, 1.0, 1.0), "\n";
$before = push_status($srv)['messages_in'];
$ok->send('again');
push_wait(fn() => push_status($srv)['messages_in'] > $before, 2);
echo "patient client: ", $ok->closeCode === null && push_status($srv)['messages_in'] > $before ? "kept" : "closed", "\n";
$st = push_status($srv);
echo "refused message_timeout: {$st['refused']['message_timeout']}, held now: {$st['input_bytes']}\n";
[, $metrics] = hostile_http($srv, 'GET', '/metrics');
echo preg_match('/^push_refused_total\{reason="message_timeout"\} 2$/m', $metrics)
	&& preg_match('/^push_input_bytes 0$/m', $metrics) ? "metrics count it" : "metrics do not count it", "\n";

/* 2. A bound socket announcing 2^40 bytes: 1009 at once, without waiting for more bytes. */
$big = bound($srv, '127.0.0.12', 'huge');
push_wait(fn() => push_status($srv)['uids'] >= 2, 2);
fwrite($big->sock, substr(hostile_frame('', 1, true, true, 0, 1 << 40), 0, 14));
echo "2^40-byte frame: ", ended($big, 2.0, 1.0), "\n";
$pend = hostile_ws($srv, '127.0.0.12');
fwrite($pend->sock, substr(hostile_frame('', 1, true, true, 0, 1 << 40), 0, 14));
echo "2^40-byte first message: ", ended($pend, 2.0, 1.0), "\n";

/* 3. Per address: 3 sockets of one address each hold 40,000 bytes of a message; the third passes
 * max_input_per_address (100,000) and is closed with 1008; another address is not affected. */
$srv2 = push_server_start(['max_input_per_address' => 100000, 'max_input_total' => 150000, 'message_timeout' => 30]);
$a = [];
for ($i = 0; $i < 3; $i++) {
	$a[$i] = bound($srv2, '127.0.0.13', "a$i");
}
$b = bound($srv2, '127.0.0.14', 'b');
push_wait(fn() => push_status($srv2)['uids'] >= 4, 2);
for ($i = 0; $i < 3; $i++) {
	fwrite($a[$i]->sock, partial(60000, 40000));
	push_wait(fn() => push_status($srv2)['input_bytes'] >= 40000 * min($i + 1, 2), 1);
}
echo "3rd socket of one address: ", ended($a[2], 2.0, 2.0), "\n";
echo "the first two: ", $a[0]->waitClose(0.2) === null && $a[1]->waitClose(0.2) === null ? "kept" : "closed", "\n";
/* 4. In all: the other address passes max_input_total (150,000) and is closed with 1008 */
fwrite($b->sock, partial(60000, 40000));
push_wait(fn() => push_status($srv2)['input_bytes'] >= 120000, 1);
$b2 = bound($srv2, '127.0.0.15', 'b2');
push_wait(fn() => push_status($srv2)['uids'] >= 4, 2);
fwrite($b2->sock, partial(60000, 40000));
echo "past max_input_total: ", ended($b2, 2.0, 2.0), "\n";
/* while the server holds all the unfinished input it takes, a new client from another address is served */
$t0 = microtime(true);
$probe = bound($srv2, '127.0.0.16', 'probe');
push_wait(fn() => push_status($srv2)['uids'] >= 4, 2);
$answer = push_text($srv2, '{"uid":"probe","percent":"7%"}');
$got = $probe->recv(2.0);
$dt = microtime(true) - $t0;
echo "a new client meanwhile: ", $answer === 'ok' && $got === '7%' && $dt < 1.0 * push_test_slowdown()
	? "served in time" : sprintf("not served (%s, %s, %.2f s)", $answer, var_export($got, true), $dt), "\n";
$probe->close();
push_wait(fn() => push_status($srv2)['uids'] <= 3, 2);
$st = push_status($srv2);
echo "held: {$st['input_bytes']}, refused input_per_address: {$st['refused']['input_per_address']}, input_total: {$st['refused']['input_total']}\n";
/* the held messages complete: delivered, and the memory is let go */
$before = $st['messages_in'];
foreach ([$a[0], $a[1], $b] as $c) {
	fwrite($c->sock, substr(hostile_frame(str_repeat('x', 60000)), -20000));
}
push_wait(fn() => push_status($srv2)['input_bytes'] === 0, 2);
$st = push_status($srv2);
echo "completed: ", $st['messages_in'] - $before, " messages, held {$st['input_bytes']}\n";
?>
--EXPECT--
held: 40000 bytes
recipe socket: closed 1008 in time
Pusher socket: closed 1008 in time
patient client: kept
refused message_timeout: 2, held now: 0
metrics count it
2^40-byte frame: closed 1009 in time
2^40-byte first message: closed 1009 in time
3rd socket of one address: closed 1008 in time
the first two: kept
past max_input_total: closed 1008 in time
a new client meanwhile: served in time
held: 120000, refused input_per_address: 1, input_total: 1
completed: 3 messages, held 0
