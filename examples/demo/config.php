<?php
/*
 * Settings shared by the demo's push server and pages. run.sh sets the
 * environment; the defaults are the recipe's ports.
 *
 *   PUSH_DEMO_WS     push server WebSocket address   ws://127.0.0.1:1234
 *   PUSH_DEMO_TEXT   push server Text address        tcp://127.0.0.1:5678
 *   PUSH_SECRET      token secret (else one generated once, in the temp dir)
 *   PUSH_DEMO_PHP    command that runs PHP with push loaded (for task.php)
 */
if (PHP_SAPI !== 'cli' && realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
	http_response_code(404);
	exit;
}

function demo_ws(): string
{
	return getenv('PUSH_DEMO_WS') ?: 'ws://127.0.0.1:1234';
}

function demo_text(): string
{
	return getenv('PUSH_DEMO_TEXT') ?: 'tcp://127.0.0.1:5678';
}

/** The WebSocket port browsers connect to. */
function demo_ws_port(): int
{
	return (int)parse_url(demo_ws(), PHP_URL_PORT);
}

/** The token secret: $PUSH_SECRET, or a random one kept in a private file. */
function demo_secret(): string
{
	$secret = getenv('PUSH_SECRET');
	if ($secret) {
		return $secret;
	}
	$file = sys_get_temp_dir() . '/push-demo-' . getmyuid() . '.secret';
	if (!is_file($file)) {
		$tmp = $file . '.' . getmypid();
		file_put_contents($tmp, bin2hex(random_bytes(32)));
		chmod($tmp, 0600);
		rename($tmp, $file);
	}
	return trim(file_get_contents($file));
}

/** Who this browser is: a random uid kept in the PHP session. */
function demo_uid(): string
{
	if (session_status() !== PHP_SESSION_ACTIVE) {
		session_start();
	}
	if (empty($_SESSION['uid'])) {
		$_SESSION['uid'] = 'user-' . bin2hex(random_bytes(4));
	}
	$uid = $_SESSION['uid'];
	session_write_close();
	return $uid;
}
