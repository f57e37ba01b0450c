<?php
/*
 * The recipe's way to push from PHP: per push, stream_socket_client() to the
 * Text port, fwrite() one JSON line, fread() the answer, fclose().
 *
 * usage: php php_recipe_send.php [--address=tcp://127.0.0.1:5678] [--uid=u0] [--count=10000] [--size=32]
 *
 * Payloads are P<uid index, 7 digits>S<seq, 10 digits> padded with 'x' to --size bytes,
 * seq 0..count-1, so a bound loadgen client (loadgen conns --hold --expect COUNT)
 * can check that each arrived exactly once. Prints one RESULT line.
 */
declare(strict_types=1);

$o = getopt('', ['address:', 'uid:', 'count:', 'size:']);
$address = $o['address'] ?? 'tcp://127.0.0.1:5678';
$uid = $o['uid'] ?? 'u0';
$count = (int)($o['count'] ?? 10000);
$size = (int)($o['size'] ?? 32);
if ($count < 1 || $size < 19 || !preg_match('/^u(\d+)$/', $uid, $m)) {
    fwrite(STDERR, "php_recipe_send: bad arguments\n");
    exit(2);
}
$index = (int)$m[1];

$ok = $fail = $errors = 0;
$t0 = hrtime(true);
for ($i = 0; $i < $count; $i++) {
    $payload = str_pad(sprintf('P%07dS%010d', $index, $i), $size, 'x');
    $fp = @stream_socket_client($address, $errno, $errstr, 5);
    if ($fp === false) {
        $errors++;
        if ($errors <= 3) {
            fwrite(STDERR, "php_recipe_send: connect: $errstr\n");
        }
        continue;
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
    if ($answer === 'ok') {
        $ok++;
    } elseif ($answer === 'fail') {
        $fail++;
    } else {
        $errors++;
    }
}
$secs = (hrtime(true) - $t0) / 1e9;
printf("RESULT script=recipe sends=%d ok=%d fail=%d errors=%d secs=%.4f sends_per_s=%.0f us_per_send=%.2f status=%s\n",
    $count, $ok, $fail, $errors, $secs, $count / $secs, $secs * 1e6 / $count,
    $ok === $count ? 'PASS' : 'FAIL');
exit($ok === $count ? 0 : 1);
