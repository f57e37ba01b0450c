--TEST--
Hostile: the Text port before authentication takes one small line, times out, and caps its connections; idle timeout; each refusal counted
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';

/* 1. With text_secret: 50 connections each send 64 KiB without a newline. Each is refused at
 * the first KiB (hostile_memory.phpt checks that the server does not hold their bytes). */
$srv = push_server_start(['text_secret' => 's3cret', 'text_auth_timeout' => 5]);
$ws = ws_bind($srv, 'u');
push_wait(fn() => push_text($srv, "{\"auth\":\"s3cret\"}\n{\"cmd\":\"getAllUidCount\"}") !== '', 2);
$junk = [];
$chunk = str_repeat('{"auth":"', 1) . str_repeat('x', 65536);
for ($i = 0; $i < 50; $i++) {
	$junk[$i] = hostile_connect($srv->text);
	@fwrite($junk[$i], $chunk);
}
$closed = hostile_closed_all($junk, 3.0, $gotAll);
/* each may have read "error: unauthorized" before the close (or lost it to the reset) */
$answers = array_diff(array_unique(array_map('trim', $gotAll)), ['', 'error: unauthorized']);
echo "junk connections closed: $closed of 50\n";
echo "other answers: ", $answers ? implode(', ', $answers) : 'none', "\n";
foreach ($junk as $s) {
	fclose($s);
}
/* a real secret still works, and a long line after authentication is fine */
$c = hostile_connect($srv->text, '127.0.0.1', true);
echo hostile_text_rt($c, '{"auth":"s3cret"}'), ' ', hostile_text_rt($c, json_encode(['uid' => 'u', 'msg' => str_repeat('m', 5000)])), "\n";
echo strlen((string)$ws->recv()), "\n";

/* 2. text_auth_timeout: a connection that never authenticates is closed, even one that
 * trickles an auth line in; an authenticated one is not. */
$srv2 = push_server_start(['text_secret' => 's3cret', 'text_auth_timeout' => 0.5]);
$quiet = hostile_connect($srv2->text);
$trickle = hostile_connect($srv2->text);
$authed = hostile_connect($srv2->text, '127.0.0.1', true);
echo hostile_text_rt($authed, '{"auth":"s3cret"}'), "\n";
$t0 = microtime(true);
$cut = ['quiet' => null, 'trickle' => null];
$line = '{"auth":"wrong-but-slow-' . str_repeat('z', 200);
$p = 0;
while (microtime(true) - $t0 < 3.0 && ($cut['quiet'] === null || $cut['trickle'] === null)) {
	if ($cut['trickle'] === null) {
		@fwrite($trickle, $line[$p++ % strlen($line)]);
	}
	foreach (['quiet' => $quiet, 'trickle' => $trickle] as $k => $s) {
		if ($cut[$k] === null && hostile_closed($s, 0.05)) {
			$cut[$k] = microtime(true) - $t0;
		}
	}
}
foreach ($cut as $k => $t) {
	echo "$k: ", $t === null ? "still open after 3 s" : ($t < 2.0 ? "closed in time" : sprintf("closed late (%.2f s)", $t)), "\n";
}
echo "authenticated: ", hostile_text_rt($authed, '{"cmd":"ping"}'), "\n";
$st = json_decode(hostile_text_rt($authed, '{"cmd":"status"}'), true);
echo "refused text_auth_timeout: ", $st['refused']['text_auth_timeout'] ?? 'missing', "\n";

/* 3. text_idle_timeout: a connection silent for longer is closed; one that talks stays */
$srv3 = push_server_start(['text_idle_timeout' => 0.5]);
$silent = hostile_connect($srv3->text);
$talker = hostile_connect($srv3->text, '127.0.0.1', true);
$t0 = microtime(true);
$silentCut = null;
while (microtime(true) - $t0 < 1.6) {
	hostile_text_rt($talker, '{"cmd":"ping"}');
	if ($silentCut === null && hostile_closed($silent, 0.2)) {
		$silentCut = microtime(true) - $t0;
	}
}
echo "silent: ", $silentCut === null ? "still open" : "closed", "\n";
echo "talker: ", hostile_text_rt($talker, '{"cmd":"ping"}'), "\n";

/* 4. max_text_connections: one over the cap is refused at once; the others keep working */
$srv4 = push_server_start(['max_text_connections' => 5]);
$five = [];
for ($i = 0; $i < 5; $i++) {
	$five[$i] = hostile_connect($srv4->text, '127.0.0.1', true);
	hostile_text_rt($five[$i], '{"cmd":"ping"}');
}
$sixth = hostile_connect($srv4->text);
echo "6th: ", hostile_closed($sixth, 1.0, $got) ? "refused" : "accepted", $got !== '' ? " (" . trim($got) . ")" : '', "\n";
echo "1st: ", hostile_text_rt($five[0], '{"cmd":"ping"}'), "\n";
fclose($five[4]);
usleep(100000);
$again = hostile_connect($srv4->text, '127.0.0.1', true);
echo "after one left: ", hostile_text_rt($again, '{"cmd":"ping"}'), "\n";
$st = json_decode(hostile_text_rt($five[0], '{"cmd":"status"}'), true);
echo "refused text_connections: ", $st['refused']['text_connections'] ?? 'missing', "\n";
?>
--EXPECT--
junk connections closed: 50 of 50
other answers: none
ok ok
5000
ok
quiet: closed in time
trickle: closed in time
authenticated: {"ok":true,"pong":true}
refused text_auth_timeout: 2
silent: closed
talker: {"ok":true,"pong":true}
6th: refused (error: too many connections)
1st: {"ok":true,"pong":true}
after one left: {"ok":true,"pong":true}
refused text_connections: 1
