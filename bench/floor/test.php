<?php
/*
 * The floor server's wire behaviour, checked from outside over real sockets: what a browser
 * receives for what the backend writes (byte for byte as the recipe sends it), the answers of
 * the Text port, the uid table, and the WebSocket control frames.
 *
 *   php bench/floor/test.php build/floor       (or: make -C bench floortest)
 *
 * Starts the server on two free ports, prints one line per failed check, and "floortest: PASS"
 * or "floortest: FAIL (n)" last; exit status 0 or 1.
 */
declare(strict_types=1);

$bin = $argv[1] ?? __DIR__ . '/../build/floor';
if (!is_executable($bin)) {
    fwrite(STDERR, "floortest: $bin is not an executable (make -C bench first)\n");
    exit(2);
}

function free_port(): int
{
    $s = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int)substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
    fclose($s);
    return $port;
}

$wsPort = free_port();
$textPort = free_port();
$proc = proc_open([$bin, (string)$wsPort, (string)$textPort], [0 => ['file', '/dev/null', 'r'], 1 => STDOUT, 2 => STDERR], $pipes);
register_shutdown_function(function () use ($proc) {
    proc_terminate($proc);
    proc_close($proc);
});
for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $textPort); $i++) {
    usleep(50000);
}

$failed = 0;
function check(bool $ok, string $what): void
{
    global $failed;
    if (!$ok) {
        $failed++;
        echo "floortest: FAILED: $what\n";
    }
}

function read_exactly($s, int $n): string
{
    $d = '';
    while (strlen($d) < $n) {
        $chunk = fread($s, $n - strlen($d));
        if ($chunk === false || $chunk === '') {
            break;
        }
        $d .= $chunk;
    }
    return $d;
}

/* a client frame: masked, with a 7-, 16- or 64-bit length */
function frame(int $opcode, string $payload, bool $fin = true): string
{
    $n = strlen($payload);
    $h = chr(($fin ? 0x80 : 0) | $opcode);
    if ($n < 126) {
        $h .= chr(0x80 | $n);
    } elseif ($n < 65536) {
        $h .= chr(0x80 | 126) . pack('n', $n);
    } else {
        $h .= chr(0x80 | 127) . pack('J', $n);
    }
    $mask = random_bytes(4);
    $masked = '';
    for ($i = 0; $i < $n; $i++) {
        $masked .= $payload[$i] ^ $mask[$i & 3];
    }
    return $h . $mask . $masked;
}

/* the next server frame: [opcode, payload], or null when the connection closed or nothing came */
function next_frame($s): ?array
{
    $h = read_exactly($s, 2);
    if (strlen($h) < 2) {
        return null;
    }
    $n = ord($h[1]) & 0x7f;
    if ($n === 126) {
        $n = unpack('n', read_exactly($s, 2))[1];
    } elseif ($n === 127) {
        $n = unpack('J', read_exactly($s, 8))[1];
    }
    return [ord($h[0]), read_exactly($s, $n)];
}

function ws_open(?string $uid, string $key = 'dGhlIHNhbXBsZSBub25jZQ==')
{
    global $wsPort;
    $s = stream_socket_client("tcp://127.0.0.1:$wsPort", $errno, $errstr, 5);
    stream_set_timeout($s, 2);
    fwrite($s, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        . "sec-websocket-key: $key\r\nSec-WebSocket-Version: 13\r\n\r\n");
    $head = '';
    while (!str_contains($head, "\r\n\r\n") && ($c = fread($s, 1)) !== false && $c !== '') {
        $head .= $c;
    }
    check(str_starts_with($head, "HTTP/1.1 101 "), "handshake answered 101: $head");
    check(str_contains($head, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), 'the accept key of RFC 6455');
    if ($uid !== null) {
        fwrite($s, frame(0x1, $uid));
    }
    return $s;
}

/* writes lines to the Text port on one connection, returns the answer lines */
function push(string ...$lines): array
{
    global $textPort;
    usleep(50000); /* let the WebSocket clients' uids arrive first */
    $s = stream_socket_client("tcp://127.0.0.1:$textPort", $errno, $errstr, 5);
    stream_set_timeout($s, 2);
    fwrite($s, implode('', array_map(fn ($l) => "$l\n", $lines)));
    $answers = [];
    while (count($answers) < count($lines) && ($l = fgets($s)) !== false) {
        $answers[] = $l;
    }
    fclose($s);
    return $answers;
}

function no_frame($s): bool
{
    stream_set_timeout($s, 0, 200000);
    $r = fread($s, 1);
    stream_set_timeout($s, 2);
    return $r === '' || $r === false;
}

/* the recipe's exchange */
$a = ws_open('uid1');
check(push(json_encode(['uid' => 'uid1', 'percent' => '88%'])) === ["ok\n"], 'a bound uid: ok');
check(next_frame($a) === [0x81, '88%'], 'the browser receives the percent value as one text frame');
check(push('{"uid":"nobody","percent":"1"}') === ["fail\n"], 'an unknown uid: fail');

/* the value as json_decode gives it, byte for byte */
$cases = [
    '"a\\"b\\\\c\\/d\\n\\t"' => "a\"b\\c/d\n\t",
    '"\\u00e9\\u20ac\\ud83d\\ude00"' => "é€😀",
    '"é€😀"' => "é€😀",
    '""' => '',
    '42' => '42',
    '-7' => '-7',
];
foreach ($cases as $json => $bytes) {
    check(push("{\"uid\":\"uid1\",\"percent\":$json}") === ["ok\n"], "percent $json: ok");
    check(next_frame($a) === [0x81, $bytes], "percent $json arrives as json_decode gives it");
}
$big = str_repeat('x', 70000);
check(push(json_encode(['uid' => 'uid1', 'percent' => $big])) === ["ok\n"], 'a 70,000-byte value: ok');
check(next_frame($a) === [0x81, $big], 'a 70,000-byte value arrives in a frame with a 64-bit length');

/* lines json_decode refuses, and values that are not strings or integers: fail, nothing sent */
foreach (['{"uid":"uid1","percent":"x"', '{"uid":"uid1","percent":"x"} x', 'not json', '',
          "{\"uid\":\"uid1\",\"percent\":\"\xff\"}", '{"uid":"uid1","percent":"\\ud800"}',
          '{"uid":"uid1","percent":"\\q"}', "{\"uid\":\"uid1\",\"percent\":\"a\tb\"}",
          '{"uid":"uid1","percent":1.5}', '{"uid":"uid1","percent":[1]}', '{"uid":"uid1"}',
          '{"uid":["uid1"],"percent":"x"}', '[{"uid":"uid1","percent":"x"}]'] as $line) {
    check(push($line) === ["fail\n"], 'fail for ' . json_encode($line));
}
check(no_frame($a), 'nothing pushed for refused lines');

/* other members are ignored (nested values included); "msg" when there is no "percent" */
check(push('{"cmd":{"a":[1,{"b":"}"}]},"uid":"uid1","percent":"p","msg":"m"} ') === ["ok\n"], 'other members: ok');
check(next_frame($a) === [0x81, 'p'], 'percent before msg');
check(push('{"uid":"uid1","msg":"m"}') === ["ok\n"], 'msg without percent: ok');
check(next_frame($a) === [0x81, 'm'], 'msg pushed without percent');
check(push('{"uid":"uid1","percent":"first","percent":"last"}') === ["ok\n"] && next_frame($a) === [0x81, 'last'],
    'a repeated member: the last counts, as in json_decode');

/* pipelined lines, answered in order, split across writes */
$lines = [];
$want = [];
for ($i = 0; $i < 500; $i++) {
    $lines[] = $i % 7 === 3 ? '{"uid":"x","percent":"n"}' : json_encode(['uid' => 'uid1', 'percent' => "m$i"]);
    $want[] = $i % 7 === 3 ? "fail\n" : "ok\n";
}
check(push(...$lines) === $want, '500 pipelined lines answered in order');
$got = [];
for ($i = 0; $i < 500; $i++) {
    if ($i % 7 !== 3) {
        $got[] = next_frame($a)[1] ?? null;
    }
}
check($got === array_values(array_map(fn ($i) => "m$i", array_filter(range(0, 499), fn ($i) => $i % 7 !== 3))),
    'the pipelined pushes arrive in order');

/* an integer uid is the same key as its digits, as in a PHP array */
$n = ws_open('17');
check(push('{"uid":17,"percent":"int"}') === ["ok\n"] && next_frame($n) === [0x81, 'int'], 'integer uid 17 reaches "17"');

/* the first message is the uid, later ones change nothing; a later connection takes a uid over,
 * and the first one closing does not remove it */
fwrite($a, frame(0x1, 'other'));
check(push('{"uid":"other","percent":"x"}') === ["fail\n"], 'a second message does not bind');
$b = ws_open('uid1');
check(push('{"uid":"uid1","percent":"to b"}') === ["ok\n"] && next_frame($b) === [0x81, 'to b'], 'the newest connection of a uid gets its pushes');
check(no_frame($a), 'the older one gets nothing');
fclose($a);
check(push('{"uid":"uid1","percent":"still b"}') === ["ok\n"] && next_frame($b) === [0x81, 'still b'], 'closing the older one keeps the newer bound');
fclose($b);
check(push('{"uid":"uid1","percent":"x"}') === ["fail\n"], 'closing the newer one unbinds the uid');

/* many uids: the table grows and entries removed in any order stay consistent */
$many = [];
for ($i = 0; $i < 800; $i++) {
    $many[$i] = ws_open("m$i");
}
for ($i = 0; $i < 800; $i += 2) {
    fclose($many[$i]);
}
$lines = $want = [];
for ($i = 0; $i < 800; $i++) {
    $lines[] = "{\"uid\":\"m$i\",\"percent\":\"$i\"}";
    $want[] = $i % 2 ? "ok\n" : "fail\n";
}
check(push(...$lines) === $want, '800 uids, half of them gone: the right ones answer ok');
$right = true;
for ($i = 1; $i < 800; $i += 2) {
    $right = $right && next_frame($many[$i]) === [0x81, (string)$i];
    fclose($many[$i]);
}
check($right, 'each of the 400 remaining uids receives its own push');

/* control frames: ping answered by pong, close answered by close; a uid in a 16-bit frame */
$c = ws_open(null);
fwrite($c, frame(0x9, 'hi'));
check(next_frame($c) === [0x8A, 'hi'], 'ping answered by pong with its payload');
$long = str_repeat('u', 300);
fwrite($c, frame(0x1, $long));
check(push(json_encode(['uid' => $long, 'percent' => 'long'])) === ["ok\n"] && next_frame($c) === [0x81, 'long'], 'a 300-byte uid');
fwrite($c, frame(0x8, pack('n', 1000)));
check(next_frame($c) === [0x88, pack('n', 1000)], 'close answered by close with its status');
check(next_frame($c) === null, 'then the connection closes');

/* refused: no key, unmasked and fragmented client frames */
$s = stream_socket_client("tcp://127.0.0.1:$wsPort");
stream_set_timeout($s, 2);
fwrite($s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
check(str_starts_with((string)fgets($s), 'HTTP/1.1 400 '), 'a request without Sec-WebSocket-Key: 400');
$d = ws_open(null);
fwrite($d, "\x81\x02hi");
check(next_frame($d) === null, 'an unmasked client frame closes the connection');
$d = ws_open(null);
fwrite($d, frame(0x1, 'u', false));
check(next_frame($d) === null, 'a fragmented client message closes the connection');

echo $failed ? "floortest: FAIL ($failed)\n" : "floortest: PASS\n";
exit($failed ? 1 : 0);
