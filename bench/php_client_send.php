<?php
/*
 * Push from PHP with the extension's client: Push\Client::send($uid, $msg) in a
 * loop. The client keeps its connection to the Text port (push.client_address)
 * open between calls and waits for each answer.
 *
 * usage: php -d extension=push.so -d push.client_address=tcp://127.0.0.1:5678 \
 *            php_client_send.php [--uid=u0] [--count=10000] [--size=32]
 *
 * Payloads are P<uid index, 7 digits>S<seq, 10 digits> padded with 'x' to --size bytes,
 * seq 0..count-1, as in php_recipe_send.php. Prints one RESULT line.
 */
declare(strict_types=1);

if (!class_exists('Push\Client')) {
    fwrite(STDERR, "php_client_send: class Push\\Client not found (load the push extension)\n");
    exit(2);
}
$o = getopt('', ['uid:', 'count:', 'size:']);
$uid = $o['uid'] ?? 'u0';
$count = (int)($o['count'] ?? 10000);
$size = (int)($o['size'] ?? 32);
if ($count < 1 || $size < 19 || !preg_match('/^u(\d+)$/', $uid, $m)) {
    fwrite(STDERR, "php_client_send: bad arguments\n");
    exit(2);
}
$index = (int)$m[1];

$ok = $fail = $errors = 0;
$t0 = hrtime(true);
for ($i = 0; $i < $count; $i++) {
    $payload = str_pad(sprintf('P%07dS%010d', $index, $i), $size, 'x');
    try {
        if (Push\Client::send($uid, $payload)) {
            $ok++;
        } else {
            $fail++;
        }
    } catch (Throwable $e) {
        $errors++;
        if ($errors <= 3) {
            fwrite(STDERR, 'php_client_send: ' . get_class($e) . ': ' . $e->getMessage() . "\n");
        }
    }
}
$secs = (hrtime(true) - $t0) / 1e9;
printf("RESULT script=client sends=%d ok=%d fail=%d errors=%d secs=%.4f sends_per_s=%.0f us_per_send=%.2f status=%s\n",
    $count, $ok, $fail, $errors, $secs, $count / $secs, $secs * 1e6 / $count,
    $ok === $count ? 'PASS' : 'FAIL');
exit($ok === $count ? 0 : 1);
