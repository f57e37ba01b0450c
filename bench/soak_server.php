<?php
/*
 * A node of the soak (bench/soak.sh): production defaults, a Text secret, history on, cluster
 * through Redis; a client's "join:G" / "leave:G" message puts it in group G / takes it out.
 *
 *   php soak_server.php WS_PORT TEXT_PORT REDIS_PORT NODE_ID HISTORY_TTL
 */
[, $ws, $text, $redis, $node, $ttl] = $argv;
$server = new Push\Server([
	'ws' => "ws://127.0.0.1:$ws",
	'text' => "tcp://127.0.0.1:$text",
	'text_secret' => 'soak-secret',
	'max_connections_per_address' => 0,   /* every soak client comes from 127.0.0.1 */
	'redis' => "redis://127.0.0.1:$redis",
	'node_id' => $node,
	'history' => ['size' => 100, 'ttl' => (int)$ttl],
]);
$server->onMessage(function (Push\Connection $c, string $data) {
	if (str_starts_with($data, 'join:')) {
		$c->joinGroup(substr($data, 5));
	} elseif (str_starts_with($data, 'leave:')) {
		$c->leaveGroup(substr($data, 6));
	}
});
$server->run();
