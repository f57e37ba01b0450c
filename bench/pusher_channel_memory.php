<?php
/*
 * Memory per Pusher channel: the server's RSS before and after N sockets subscribe to M new
 * public channels each (N x M channels, one subscriber each, the push group and the
 * subscription included).
 *
 *   php -n -d extension=modules/push.so bench/pusher_channel_memory.php [SO] [N] [M]
 *
 * SO defaults to modules/push.so, N to 100 sockets, M to 1,000 channels each (100,000 channels).
 * Prints the channels the server counts, both RSS and the bytes per channel.
 */
$so = $argv[1] ?? __DIR__ . '/../modules/push.so';
$N = (int)($argv[2] ?? 100);
$M = (int)($argv[3] ?? 1000);
putenv('TEST_PHP_EXTRA_ARGS=-n -d extension=' . $so);
require __DIR__ . '/../tests/inc/server.inc';
require __DIR__ . '/../tests/inc/wsclient.inc';
require __DIR__ . '/../tests/inc/hostile.inc';
require __DIR__ . '/../tests/inc/pusher.inc';

$opts = ['pusher' => ['apps' => [['id' => 'app-id', 'key' => 'app-key', 'secret' => 'app-secret']],
	'max_channels_per_connection' => $M]];
try {
	/* every socket comes from 127.0.0.1: lift the address's share where there is one */
	$srv = push_server_start(['pusher' => $opts['pusher'] + ['max_channels_per_address' => 0]]);
} catch (Throwable $e) {
	$srv = push_server_start($opts);
}
$socks = [];
for ($i = 0; $i < $N; $i++) {
	$socks[] = pconnect($srv);
}
usleep(300000);
$before = hostile_rss($srv);
$k = 0;
foreach ($socks as [$c]) {
	$batch = '';
	for ($j = 0; $j < $M; $j++) {
		$batch .= TestWsClient::frame(json_encode(['event' => 'pusher:subscribe',
			'data' => ['channel' => sprintf('room-%07d', $k++)]]));
	}
	fwrite($c->sock, $batch);
	for ($got = 0; $got < $M; $got++) {
		$r = $c->recv(10);
		if ($r === null || !str_contains($r, 'subscription_succeeded')) {
			fwrite(STDERR, 'subscription failed: ' . var_export($r, true) . "\n");
			exit(1);
		}
	}
}
usleep(300000);
$after = hostile_rss($srv);
printf("channels=%d rss_before=%.1fMB rss_after=%.1fMB bytes_per_channel=%.0f\n",
	push_status($srv)['pusher']['channels'], $before / 1048576, $after / 1048576, ($after - $before) / ($N * $M));
