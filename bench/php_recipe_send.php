<?php
/*
 * The recipe's way to push from PHP: per push, stream_socket_client() to the
 * Text port, fwrite() one JSON line, fread() the answer, fclose().
 *
 * usage: php php_recipe_send.php [--address=tcp://127.0.0.1:5678] [--uid=u0] [--count=10000] [--size=32]
 *
 * Payloads and the RESULT line: see php_send.inc.
 */
declare(strict_types=1);
require __DIR__ . '/php_send.inc';

$o = send_options('php_recipe_send', ['address:']);
$address = $o['address'] ?? 'tcp://127.0.0.1:5678';

send_loop('php_recipe_send', 'recipe', $o, function (string $uid, string $payload) use ($address) {
    $fp = @stream_socket_client($address, $errno, $errstr, 5);
    if ($fp === false) {
        return "connect: $errstr";
    }
    fwrite($fp, json_encode(['uid' => $uid, 'msg' => $payload, 'percent' => $payload]) . "\n");
    $answer = '';
    while (!str_contains($answer, "\n")) {
        $chunk = fread($fp, 64);
        if ($chunk === false || $chunk === '') {
            break;
        }
        $answer .= $chunk;
    }
    fclose($fp);
    $answer = trim($answer);
    return $answer === 'ok' ? true : ($answer === 'fail' ? false : 'answer: ' . json_encode($answer));
});
