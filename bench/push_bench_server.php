<?php
/*
 * The push server under benchmark: the recipe's setup on the driver's ports, with every
 * production limit left at its default (bounded send queues, heartbeat, auth timeout).
 *
 *   php -d extension=modules/push.so bench/push_bench_server.php WS_PORT TEXT_PORT
 */
$ws = (int)($argv[1] ?? getenv('PUSH_BENCH_WS_PORT') ?: 19234);
$text = (int)($argv[2] ?? getenv('PUSH_BENCH_TEXT_PORT') ?: 19678);
$server = new Push\Server([
	'ws'   => "ws://127.0.0.1:$ws",
	'text' => "tcp://127.0.0.1:$text",
]);
$server->run();
