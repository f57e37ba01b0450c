--TEST--
Tokens: accepted as first message and as ?token=; forged, expired and malformed ones closed with 4001/4002
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$secret = 'k3y-for-tests';
$srv = push_server_start(['secret' => $secret]);

$good = Push\Client::token('alice', 60, $secret);
$c = TestWsClient::connect($srv->wsUrl());
$c->send($good);
push_wait(fn() => push_status($srv)['uids'] === 1);
echo push_text($srv, '{"uid":"alice","msg":"hi alice"}'), "\n";
var_dump($c->recv());

$q = TestWsClient::connect($srv->wsUrl('/?token=' . urlencode(Push\Client::token('bob', 60, $secret))));
push_wait(fn() => push_status($srv)['uids'] === 2);
echo push_text($srv, '{"uid":"bob","msg":"hi bob"}'), "\n";
var_dump($q->recv());

// plain uids are refused once a secret is set
$p = TestWsClient::connect($srv->wsUrl());
$p->send('alice');
var_dump($p->waitClose(), $p->closeReason);

// a token signed with another secret, a tampered uid, an expired one, garbage
$forged = Push\Client::token('alice', 60, 'not-the-secret');
$parts = explode('.', $good);
$tampered = rtrim(strtr(base64_encode('mallory'), '+/', '-_'), '=') . '.' . $parts[1] . '.' . $parts[2];
foreach (['forged' => $forged, 'tampered' => $tampered, 'garbage' => "\x00not a token"] as $what => $tok) {
	$x = TestWsClient::connect($srv->wsUrl());
	$x->send($tok);
	echo "$what: ", $x->waitClose(), ' ', $x->closeReason, "\n";
}
$expired = Push\Client::token('alice', 1, $secret);
sleep(2);
$x = TestWsClient::connect($srv->wsUrl());
$x->send($expired);
echo "expired: ", $x->waitClose(), ' ', $x->closeReason, "\n";
$x = TestWsClient::connect($srv->wsUrl('/?token=' . urlencode($forged)));
echo "forged in query: ", $x->waitClose(), "\n";

// nobody but alice's own connection got alice's pushes
echo push_text($srv, '{"uid":"alice","msg":"second"}'), "\n";
var_dump($c->recv());
$st = push_status($srv);
echo "uids {$st['uids']} refused auth {$st['refused']['auth']}\n";
?>
--EXPECT--
ok
string(8) "hi alice"
ok
string(6) "hi bob"
int(4001)
string(15) "malformed token"
forged: 4001 bad token signature
tampered: 4001 bad token signature
garbage: 4001 malformed token
expired: 4002 token expired
forged in query: 4001
ok
string(6) "second"
uids 2 refused auth 6
