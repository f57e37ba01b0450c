--TEST--
HTTP API on raw sockets: keep-alive, pipelining, bodies split across reads, chunked bodies, clients vanishing mid-body
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';

function sock(PushTestServer $srv)
{
	$s = stream_socket_client("tcp://127.0.0.1:{$srv->ws}", $errno, $errstr, 5);
	stream_set_timeout($s, 5);
	return $s;
}

/* Reads one response: "status body", or "EOF" if the server closed first. */
function response($s): string
{
	$head = '';
	while (!str_contains($head, "\r\n\r\n")) {
		$c = fread($s, 1);
		if ($c === '' || $c === false) {
			return 'EOF';
		}
		$head .= $c;
	}
	preg_match('#^HTTP/1\.1 (\d+)#', $head, $m);
	preg_match('#content-length: (\d+)#i', $head, $l);
	$body = '';
	while (strlen($body) < (int)$l[1]) {
		$c = fread($s, (int)$l[1] - strlen($body));
		if ($c === '' || $c === false) {
			break;
		}
		$body .= $c;
	}
	return $m[1] . (preg_match('#connection: close#i', $head) ? ' (close)' : '') . " $body";
}

/* Whether the server closed the connection (EOF within the timeout). */
function closed($s): string
{
	stream_set_timeout($s, 2);
	$c = fread($s, 1);
	return $c === '' || $c === false ? 'closed' : 'open';
}

function post(string $path, string $body, array $extra = []): string
{
	return "POST $path HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer k\r\n" . implode('', array_map(fn($h) => "$h\r\n", $extra))
		. 'Content-Length: ' . strlen($body) . "\r\n\r\n$body";
}

/*
 * libwebsockets 4.3 and later pass the bytes behind a request body (pipelined requests) on
 * as more body; push then answers that request with "connection: close" and the requests
 * behind it are not read (see http_body()). 4.1 cuts the body at Content-Length itself and
 * keeps the connection. Which one is loaded decides what is expected.
 */
ob_start();
(new ReflectionExtension('push'))->info();
preg_match('/libwebsockets version => (\d+\.\d+)/', ob_get_clean(), $m);
$lws_body_overrun = version_compare($m[1], '4.3', '>=');
function answer_before_pipelined(string $r): string
{
	global $lws_body_overrun;
	if (!$lws_body_overrun) {
		return $r;
	}
	return str_starts_with($r, '200 (close) ') ? '200 ' . substr($r, 12) : "unexpected on libwebsockets >= 4.3: $r";
}

$srv = push_server_start(['secret' => 'k', 'plain_uid' => true], '', 60.0);
$ws = ws_bind($srv, 'alice');
push_wait(fn() => push_status($srv)['uids'] === 1);

echo "-- keep-alive: requests one after the other on one socket\n";
$s = sock($srv);
fwrite($s, "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
echo response($s), "\n";
fwrite($s, post('/api/push', '{"uid":"alice","msg":"one"}'));
echo response($s), "\n";
fwrite($s, "GET /api/online?uid=alice HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer k\r\n\r\n");
echo response($s), "\n";
fwrite($s, "GET /api/stats HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer wrong\r\n\r\n");
echo response($s), "\n";
fwrite($s, post('/api/push', '{"uid":"alice","msg":"two"}'));
echo response($s), "\n";
var_dump($ws->recv(), $ws->recv());
echo "a refused request with a body closes: ";
fwrite($s, post('/api/push', '{"uid":"alice","msg":"nope"}', ['Authorization: Bearer wrong']));
echo response($s), ' ', closed($s), "\n";
fclose($s);

echo "-- pipelined: a POST, then requests without a body, in one write\n";
$s = sock($srv);
$rest = "GET /nothing HTTP/1.1\r\nHost: t\r\n\r\n"
	. "GET /api/online?uid=alice HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer k\r\n\r\n" . "HEAD /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
	. "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";
fwrite($s, post('/api/push', '{"uid":"alice","msg":"p1"}') . $rest);
echo answer_before_pipelined(response($s)), "\n";
if ($lws_body_overrun) {
	/* the connection closed after the POST: the client sends the rest again */
	echo closed($s) === 'closed' ? '' : "not closed\n";
	fclose($s);
	$s = sock($srv);
	fwrite($s, $rest);
}
echo response($s), "\n", response($s), "\n";
/* HEAD: headers only */
$head = '';
while (!str_contains($head, "\r\n\r\n")) {
	$head .= fread($s, 1);
}
echo strtok($head, "\r\n"), "\n", response($s), "\n";
var_dump($ws->recv());
fwrite($s, post('/api/push', '{"uid":"alice","msg":"p2"}'));
echo response($s), "\n";
var_dump($ws->recv());
fclose($s);

echo "-- pipelined: a request with a body behind another is refused, the connection closes before it\n";
$s = sock($srv);
fwrite($s, "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n" . post('/api/push', '{"uid":"alice","msg":"never"}')
	. "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
echo response($s), "\n", response($s), "\n";
fclose($s);
$s = sock($srv);
fwrite($s, post('/api/push', '{"uid":"alice","msg":"p3"}') . post('/api/push', '{"uid":"alice","msg":"never"}'));
echo answer_before_pipelined(response($s)), "\n", response($s), "\n";
fclose($s);
var_dump($ws->recv(), $ws->recv(0.3));

echo "-- a body trickling in byte by byte\n";
$s = sock($srv);
$body = '{"uid":"alice","msg":{"slow":true}}';
fwrite($s, "POST /api/push HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer k\r\nContent-Length: " . strlen($body) . "\r\n\r\n");
foreach (str_split($body) as $ch) {
	fwrite($s, $ch);
	usleep(2000);
}
echo response($s), "\n";
var_dump($ws->recv());
fclose($s);

echo "-- chunked body, split across writes, with an extension and a trailer\n";
$s = sock($srv);
fwrite($s, "POST /api/push HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer k\r\nTransfer-Encoding: chunked\r\n\r\n");
$raw = "7;note=x\r\n{\"uid\":\r\n" . dechex(strlen('"alice","msg":"chunked"}')) . "\r\n\"alice\",\"msg\":\"chunked\"}\r\n0\r\nX-Trailer: 1\r\n\r\n";
foreach (str_split($raw, 5) as $piece) {
	fwrite($s, $piece);
	usleep(2000);
}
echo response($s), ' ', closed($s), "\n";
var_dump($ws->recv());
fclose($s);

echo "-- malformed chunked body\n";
$s = sock($srv);
fwrite($s, "POST /api/push HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer k\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n");
echo response($s), "\n";
fclose($s);

echo "-- Content-Length and Transfer-Encoding together\n";
$s = sock($srv);
fwrite($s, "POST /api/push HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer k\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n");
echo response($s), "\n";
fclose($s);

echo "-- a client sending half a body, then vanishing\n";
for ($i = 0; $i < 5; $i++) {
	$s = sock($srv);
	fwrite($s, "POST /api/push HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer k\r\nContent-Length: 1000\r\n\r\n{\"uid\":\"alice\",\"msg\":\"");
	usleep(20000);
	fclose($s);
	$s = sock($srv);
	fwrite($s, "POST /api/push HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer k\r\nTransfer-Encoding: chunked\r\n\r\n100\r\n{\"uid\"");
	usleep(20000);
	fclose($s);
}
$s = sock($srv);
fwrite($s, post('/api/push', '{"uid":"alice","msg":"still here"}'));
echo response($s), "\n";
var_dump($ws->recv(), $ws->recv(0.3));
fclose($s);

echo "-- an oversized body is refused before it is read\n";
$s = sock($srv);
fwrite($s, "POST /api/push HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer k\r\nContent-Length: 99999999\r\n\r\n{\"uid\":");
echo response($s), ' ', closed($s), "\n";
fclose($s);

echo "-- Expect: 100-continue\n";
$s = sock($srv);
$body = '{"uid":"alice","msg":"continued"}';
fwrite($s, "POST /api/push HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer k\r\nExpect: 100-continue\r\nContent-Length: " . strlen($body) . "\r\n\r\n");
echo trim(fgets($s)), '|', trim(fgets($s)), "|\n";
fwrite($s, $body);
echo response($s), "\n";
var_dump($ws->recv());
fclose($s);

echo "-- HTTP/1.0 closes after the answer\n";
$s = sock($srv);
fwrite($s, "GET /healthz HTTP/1.0\r\n\r\n");
echo stream_get_contents($s) === false ? 'fail' : 'read', ' ', closed($s), "\n";
fclose($s);

$st = push_status($srv);
echo "connections={$st['connections']} pushes={$st['pushes']}\n";
?>
--EXPECT--
-- keep-alive: requests one after the other on one socket
200 ok
200 {"ok":true,"count":1}
200 {"ok":true,"online":true,"count":1}
401 {"ok":false,"error":"unauthorized"}
200 {"ok":true,"count":1}
string(3) "one"
string(3) "two"
a refused request with a body closes: 401 (close) {"ok":false,"error":"unauthorized"} closed
-- pipelined: a POST, then requests without a body, in one write
200 {"ok":true,"count":1}
404 {"ok":false,"error":"not found"}
200 {"ok":true,"online":true,"count":1}
HTTP/1.1 200 OK
200 ok
string(2) "p1"
200 {"ok":true,"count":1}
string(2) "p2"
-- pipelined: a request with a body behind another is refused, the connection closes before it
200 ok
EOF
200 {"ok":true,"count":1}
EOF
string(2) "p3"
NULL
-- a body trickling in byte by byte
200 {"ok":true,"count":1}
string(13) "{"slow":true}"
-- chunked body, split across writes, with an extension and a trailer
200 (close) {"ok":true,"count":1} closed
string(7) "chunked"
-- malformed chunked body
400 (close) {"ok":false,"error":"malformed chunked request body"}
-- Content-Length and Transfer-Encoding together
400 (close) {"ok":false,"error":"unsupported Transfer-Encoding (only chunked, without Content-Length)"}
-- a client sending half a body, then vanishing
200 {"ok":true,"count":1}
string(10) "still here"
NULL
-- an oversized body is refused before it is read
413 (close) {"ok":false,"error":"request body too large (limit 1114112 bytes)"} closed
-- Expect: 100-continue
HTTP/1.1 100 Continue||
200 {"ok":true,"count":1}
string(9) "continued"
-- HTTP/1.0 closes after the answer
read closed
connections=1 pushes=9
