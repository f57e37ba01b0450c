<?php
/*
 * A long backend job that reports its progress to one user, like the
 * recipe's percent example: php task.php <uid> [task id]
 */
require __DIR__ . '/config.php';

$uid = $argv[1] ?? exit("usage: php task.php <uid> [task]\n");
$task = $argv[2] ?? bin2hex(random_bytes(4));
$step = (int)(getenv('PUSH_DEMO_STEP_MS') ?: 80);

$push = new Push\RemoteServer(demo_text());
for ($percent = 0; $percent <= 100; $percent++) {
	usleep($step * 1000);            // the "work"
	$push->send($uid, ['task' => $task, 'percent' => $percent]);
}
