<?php
/*
 * pusher/pusher-php-server against a push server, one call per run:
 *   php sdk.php PORT METHOD '{"args":[...], "app":{"id":..,"key":..,"secret":..}}'
 * calls Pusher\Pusher::METHOD(...args) for the app (the first test app by
 * default) on http://127.0.0.1:PORT and prints {"ok":true,"result":...}, or
 * {"ok":false,"error":class,"message":..,"status":HTTP status} when it throws.
 */
require __DIR__ . '/vendor/autoload.php';

[, $port, $method] = $argv + [null, null, null];
$in = json_decode($argv[3] ?? '{}', true, 512, JSON_THROW_ON_ERROR);
$app = ($in['app'] ?? []) + ['id' => 'app-id', 'key' => 'app-key', 'secret' => 'app-secret'];

$pusher = new Pusher\Pusher($app['key'], $app['secret'], $app['id'], [
	'host' => '127.0.0.1',
	'port' => (int)$port,
	'scheme' => 'http',
	'useTLS' => false,
	'timeout' => 10,
]);

try {
	$result = $pusher->$method(...($in['args'] ?? []));
	echo json_encode(['ok' => true, 'result' => $result], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
} catch (Throwable $e) {
	echo json_encode([
		'ok' => false,
		'error' => get_class($e),
		'message' => $e->getMessage(),
		'status' => $e instanceof Pusher\ApiErrorException ? $e->getCode() : null,
	], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
}
