<?php
/*
 * Push from PHP with the extension's client: Push\Client::send($uid, $msg) in a
 * loop. The client keeps its connection to the Text port (push.client_address)
 * open between calls and waits for each answer.
 *
 * usage: php -d extension=push.so -d push.client_address=tcp://127.0.0.1:5678 \
 *            php_client_send.php [--uid=u0] [--count=10000] [--size=32]
 *
 * Payloads and the RESULT line: see php_send.inc.
 */
declare(strict_types=1);
require __DIR__ . '/php_send.inc';

if (!class_exists('Push\Client')) {
    fwrite(STDERR, "php_client_send: class Push\\Client not found (load the push extension)\n");
    exit(2);
}
$o = send_options('php_client_send');

send_loop('php_client_send', 'client', $o, function (string $uid, string $payload) {
    try {
        return (bool)Push\Client::send($uid, $payload);
    } catch (Throwable $e) {
        return get_class($e) . ': ' . $e->getMessage();
    }
});
