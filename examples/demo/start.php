<?php
/*
 * POST: starts task.php for this browser's uid in the background and
 * answers at once with the task id; the progress arrives over push.
 */
require __DIR__ . '/config.php';

if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
	http_response_code(405);
	exit;
}
$uid = demo_uid();
$task = bin2hex(random_bytes(4));
$php = getenv('PUSH_DEMO_PHP') ?: escapeshellarg(PHP_BINARY);
exec(sprintf('%s %s %s %s > /dev/null 2>&1 &', $php,
	escapeshellarg(__DIR__ . '/task.php'), escapeshellarg($uid), escapeshellarg($task)));
header('Content-Type: application/json');
echo json_encode(['task' => $task]);
