<?php
/*
 * What a ThinkPHP / Yii / Laravel controller does to push: one call.
 * The address comes from php.ini: push.client_address = tcp://127.0.0.1:5678
 * and the connection is reused for every request of the same php-fpm worker.
 *
 *   php backend_push.php uid1 88%
 */
$uid = $argv[1] ?? 'uid1';
$percent = $argv[2] ?? '88%';

try {
	// the browser's e.data is "88%", as with the recipe; send an array to get JSON instead
	$ok = Push\Client::send($uid, $percent);
	echo $ok ? "ok\n" : "fail (uid $uid is not online)\n";
} catch (Push\Exception $e) {
	echo "push server problem: ", $e->getMessage(), "\n";
	exit(1);
}

// The recipe's own snippet keeps working against push, unchanged (the browser gets 88%):
//   $client = stream_socket_client('tcp://127.0.0.1:5678', $errno, $errmsg, 1);
//   fwrite($client, json_encode(['uid' => 'uid1', 'percent' => '88%']) . "\n");
//   echo fread($client, 8192);
