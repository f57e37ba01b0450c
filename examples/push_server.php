<?php
/*
 * The recipe's push.php, on push: browsers connect to the WebSocket port 1234 and
 * send their uid as the first message; the web backend writes one JSON line per push
 * to the Text port 5678 (loopback only) and reads back "ok" or "fail".
 * (PUSH_WS_PORT and PUSH_TEXT_PORT in the environment choose other ports.)
 *
 *   php push_server.php start        serve in the foreground
 *   php push_server.php start -d     serve as a daemon
 *   php push_server.php status | stop | restart | reload
 */
$server = new Push\Server([
	'ws'   => 'ws://0.0.0.0:' . (getenv('PUSH_WS_PORT') ?: 1234),
	'text' => 'tcp://127.0.0.1:' . (getenv('PUSH_TEXT_PORT') ?: 5678),
]);

// Optional hooks; the push path itself never enters PHP.
$server->onConnect(function (Push\Connection $conn) {
	echo "uid {$conn->uid} connected from {$conn->remoteAddress}\n";
});
$server->onClose(function (Push\Connection $conn, int $code) {
	echo "uid {$conn->uid} left ($code)\n";
});

$server->start();
