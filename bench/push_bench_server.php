<?php
/*
 * The push server under benchmark: the recipe's setup on the driver's ports, with every
 * production limit left at its default (bounded send queues, heartbeat, auth timeout).
 *
 *   php -d extension=modules/push.so bench/push_bench_server.php WS_PORT TEXT_PORT
 *
 * With PUSH_BENCH_PUSHER=1 in the environment it also speaks the Pusher protocol, for the
 * pusher scenario: one app, id "app-id", key "app-key", secret "app-secret" (loadgen's
 * defaults), on the WebSocket port (/app/app-key) and its HTTP API (/apps/app-id/events).
 */
$ws = (int)($argv[1] ?? getenv('PUSH_BENCH_WS_PORT') ?: 19234);
$text = (int)($argv[2] ?? getenv('PUSH_BENCH_TEXT_PORT') ?: 19678);
$options = [
	'ws'   => "ws://127.0.0.1:$ws",
	'text' => "tcp://127.0.0.1:$text",
	/* the load generator's thousands of clients all come from 127.0.0.1 */
	'max_connections_per_address' => 0,
];
if (getenv('PUSH_BENCH_PUSHER') === '1') {
	$options['pusher'] = ['apps' => [['id' => 'app-id', 'key' => 'app-key', 'secret' => 'app-secret']]];
}
$server = new Push\Server($options);
$server->run();
