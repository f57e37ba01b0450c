<?php
/*
 * examples/laravel end to end: push's example server, the Laravel app (installed by
 * examples/laravel/install.sh) served by php -S with the push extension, a browser bound to a
 * uid, the controller action requested with curl. Prints each check and "N passed, N failed".
 *
 *   php tests/peers/laravel_e2e.php APP_DIR      (PUSH_SO: the extension)
 */
require __DIR__ . '/../inc/wsclient.inc';

$root = dirname(__DIR__, 2);
$app = $argv[1] ?? '';
$so = getenv('PUSH_SO') ?: "$root/modules/push.so";
if (!is_file("$app/public/index.php") || !is_file($so)) {
	echo "usage: laravel_e2e.php APP_DIR (with PUSH_SO set)\n0 passed, 1 failed\n";
	exit(1);
}

function free_port(): int
{
	$s = stream_socket_server('tcp://127.0.0.1:0');
	$p = (int)substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
	fclose($s);
	return $p;
}

function wait_port(int $port): bool
{
	for ($i = 0; $i < 150; $i++) {
		if ($c = @stream_socket_client("tcp://127.0.0.1:$port", $e1, $e2, 0.2)) {
			fclose($c);
			return true;
		}
		usleep(100000);
	}
	return false;
}

function stop($proc): void
{
	if (is_resource($proc)) {
		proc_terminate($proc, 15);
		for ($i = 0; $i < 100 && proc_get_status($proc)['running']; $i++) {
			usleep(50000);
		}
		if (proc_get_status($proc)['running']) {
			proc_terminate($proc, 9);
		}
		proc_close($proc);
	}
}

function curl_get(string $url): array
{
	$out = (string)shell_exec('curl -s -m 20 -w "\n%{http_code}" ' . escapeshellarg($url));
	$pos = strrpos($out, "\n");
	return [(int)substr($out, $pos + 1), substr($out, 0, $pos)];
}

$passed = $failed = 0;
function check(string $what, bool $ok, string $detail = ''): void
{
	global $passed, $failed;
	$ok ? $passed++ : $failed++;
	echo ($ok ? 'ok   ' : 'FAIL ') . $what . ($detail !== '' ? "  ($detail)" : '') . "\n";
}

$ws = free_port();
$text = free_port();
$http = free_port();
$log = sys_get_temp_dir() . '/laravel-e2e-' . getmypid();
// a copy of examples/push_server.php of its own: the CLI's pid file is named after the script's path
@mkdir("$log.d");
copy("$root/examples/push_server.php", "$log.d/push_server.php");
$push = proc_open([PHP_BINARY, '-n', '-d', "extension=$so", "$log.d/push_server.php", 'start'],
	[0 => ['file', '/dev/null', 'r'], 1 => ['file', "$log.push", 'w'], 2 => ['file', "$log.push", 'a']], $p1, null,
	['PUSH_WS_PORT' => (string)$ws, 'PUSH_TEXT_PORT' => (string)$text] + getenv());
// php -S as the site's PHP: the php.ini lines of examples/laravel/php.ini, with this test's port
$site = proc_open([PHP_BINARY, '-d', "extension=$so", '-d', "push.client_address=tcp://127.0.0.1:$text",
		'-S', "127.0.0.1:$http", "$app/vendor/laravel/framework/src/Illuminate/Foundation/resources/server.php"],
	[0 => ['file', '/dev/null', 'r'], 1 => ['file', "$log.site", 'w'], 2 => ['file', "$log.site", 'a']], $p2, "$app/public");
register_shutdown_function(function () use (&$push, $site, $log) {
	stop($push);
	stop($site);
	@unlink("$log.push");
	@unlink("$log.d/push_server.php");
	@rmdir("$log.d");
	@unlink("$log.site");
});
$up = wait_port($ws) && wait_port($text);
check('push server listening', $up, $up ? '' : trim((string)@file_get_contents("$log.push")));
check('Laravel app served by php -S', wait_port($http));

// the browser: the recipe's page binds uid u42 with its first message
$b = TestWsClient::connect("ws://127.0.0.1:$ws/");
$b->send('u42');
$t = stream_socket_client("tcp://127.0.0.1:$text");
for ($i = 0; $i < 50; $i++) {
	fwrite($t, "{\"cmd\":\"isUidOnline\",\"uid\":\"u42\"}\n");
	if (json_decode(fgets($t), true)['online'] ?? false) {
		break;
	}
	usleep(100000);
}

[$code, $body] = curl_get("http://127.0.0.1:$http/push/u42?percent=73");
check('GET /push/u42?percent=73 answers 200 {"uid":"u42","sent":true}', $code === 200 && $body === '{"uid":"u42","sent":true}', "$code $body");
$got = $b->recv(5);
check('the browser bound to u42 received {"percent":73}', $got === '{"percent":73}', var_export($got, true));

[$code, $body] = curl_get("http://127.0.0.1:$http/push/nobody");
check('GET /push/nobody answers {"uid":"nobody","sent":false}', $code === 200 && $body === '{"uid":"nobody","sent":false}', "$code $body");
check('nothing else reached u42', $b->recv(0.3) === null);

for ($n = 1; $n <= 3; $n++) {
	[$code, $body] = curl_get("http://127.0.0.1:$http/push/u42?percent=" . (80 + $n));
	$got = $b->recv(5);
	check("request $n more: sent, and the browser got {\"percent\":" . (80 + $n) . "}", $body === '{"uid":"u42","sent":true}' && $got === '{"percent":' . (80 + $n) . '}', "$body / " . var_export($got, true));
}

// the push server goes away: the action reports Push\Client's exception
stop($push);
$push = null;
[$code, $body] = curl_get("http://127.0.0.1:$http/push/u42");
$j = json_decode($body, true);
check('push server stopped: 503 with the client\'s error', $code === 503 && isset($j['error']), "$code $body");

echo "\n$passed passed, $failed failed\n";
exit($failed ? 1 : 0);
