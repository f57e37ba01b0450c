--TEST--
Pusher events from the backend: the Text port's "event" command and Push\Client::trigger() reach subscribers of public channels
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';

/** A pusher-js-like connection to app $key: [client, socket id, activity timeout]. */
function pusher_connect(PushTestServer $srv, string $key): array
{
	$c = TestWsClient::connect($srv->wsUrl("/app/$key?protocol=7&client=js&version=8.4.0&flash=false"));
	$m = json_decode((string)$c->recv(), true);
	if (($m['event'] ?? '') !== 'pusher:connection_established') {
		throw new RuntimeException('no connection_established: ' . json_encode($m));
	}
	$d = json_decode($m['data'], true);
	return [$c, $d['socket_id'], $d['activity_timeout']];
}

/** Subscribes to a public channel; returns the answer, decoded. */
function pusher_subscribe(TestWsClient $c, string $channel): array
{
	$c->send(json_encode(['event' => 'pusher:subscribe', 'data' => ['channel' => $channel]]));
	return json_decode((string)$c->recv(), true);
}

/** What a connection got within $t seconds, each message decoded with its keys sorted. */
function got(TestWsClient $c, float $t = 0.3): string
{
	$out = [];
	foreach ($c->drain($t) as $m) {
		$d = json_decode($m, true);
		if (is_array($d)) {
			ksort($d);
		}
		$out[] = json_encode($d, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
	}
	return implode(' | ', $out) ?: '(nothing)';
}

$one = push_server_start(['pusher' => [
	'apps' => [['id' => 'app-id', 'key' => 'app-key', 'secret' => 'app-secret']],
	'max_payload' => 64, 'max_event_name_length' => 10, 'max_trigger_channels' => 3, 'max_channel_name_length' => 20,
]]);
$two = push_server_start(['pusher' => [
	'apps' => [
		['id' => 1001, 'key' => 'key-one', 'secret' => 's1'],
		['id' => 'app-2', 'key' => 'key-two', 'secret' => 's2'],
	],
	'activity_timeout' => 30,
]]);
$none = push_server_start();

echo "-- subscribe\n";
[$a, $aId, $timeout] = pusher_connect($one, 'app-key');
[$b, $bId] = pusher_connect($one, 'app-key');
var_dump((bool)preg_match('/^\d+\.\d+$/', $aId), $aId !== $bId, $timeout);
foreach ([[$a, 'news'], [$b, 'news'], [$b, 'sport']] as [$c, $ch]) {
	$r = pusher_subscribe($c, $ch);
	echo $r['event'], ' ', $r['channel'], ' ', $r['data'], "\n";
}

echo "-- Text port\n";
$lines = [
	// app may be left out with one app
	'{"cmd":"event","channel":"news","event":"greet","data":"hello"}',
	'{"cmd":"event","app":"app-id","channels":["news","sport"],"event":"score","data":{"home":2,"away":[1,"x/y"]}}',
	'{"cmd":"event","channel":"sport","event":"n","data":42}',
	'{"cmd":"event","channel":"news","event":"quiet","data":"","socket_id":"' . $aId . '"}',
	'{"cmd":"event","channel":"empty-channel","event":"e","data":"x"}',
	'{"cmd":"event","channel":"news","event":"nul","data":null}',
	// a channel named twice: once
	'{"cmd":"event","channels":["sport","sport"],"event":"twice","data":"1"}',
];
foreach ($lines as $l) {
	echo push_text($one, $l), "\n";
}
echo "a: ", got($a), "\n";
echo "b: ", got($b), "\n";

echo "-- refused\n";
foreach ([
	'{"cmd":"event","app":"nope","channel":"news","event":"e","data":"x"}',
	'{"cmd":"event","app":["app-id"],"channel":"news","event":"e","data":"x"}',
	'{"cmd":"event","event":"e","data":"x"}',
	'{"cmd":"event","channel":"news","channels":["news"],"event":"e","data":"x"}',
	'{"cmd":"event","channel":5,"event":"e","data":"x"}',
	'{"cmd":"event","channels":"news","event":"e","data":"x"}',
	'{"cmd":"event","channels":[],"event":"e","data":"x"}',
	'{"cmd":"event","channels":["news",7],"event":"e","data":"x"}',
	'{"cmd":"event","channels":["a","b","c","d"],"event":"e","data":"x"}',
	'{"cmd":"event","channel":"news feed","event":"e","data":"x"}',
	'{"cmd":"event","channel":"news\u0000","event":"e","data":"x"}',
	'{"cmd":"event","channel":"' . str_repeat('c', 21) . '","event":"e","data":"x"}',
	'{"cmd":"event","channel":"news","data":"x"}',
	'{"cmd":"event","channel":"news","event":"","data":"x"}',
	'{"cmd":"event","channel":"news","event":5,"data":"x"}',
	'{"cmd":"event","channel":"news","event":"elevenchars","data":"x"}',
	'{"cmd":"event","channel":"news","event":"pusher:subscribe","data":"x"}',
	'{"cmd":"event","channel":"news","event":"pusher_internal:x","data":"x"}',
	'{"cmd":"event","channel":"news","event":"e"}',
	'{"cmd":"event","channel":"news","event":"e","data":"' . str_repeat('d', 65) . '"}',
	'{"cmd":"event","channel":"news","event":"e","data":{"k":"' . str_repeat('d', 57) . '"}}',
	'{"cmd":"event","channel":"news","event":"e","data":[123456789012345678901234567890]}',
	'{"cmd":"event","channel":"news","event":"e","data":"x","socket_id":"abc"}',
	'{"cmd":"event","channel":"news","event":"e","data":"x","socket_id":"1.2.3"}',
	'{"cmd":"event","channel":"news","event":"e","data":"x","socket_id":12.5}',
] as $l) {
	echo push_text($one, $l), "\n";
}
// the limits count bytes: 64 bytes of data pass, 10 bytes of event name pass
echo push_text($one, '{"cmd":"event","channel":"news","event":"' . str_repeat('e', 10) . '","data":"' . str_repeat('d', 64) . '"}'), "\n";
echo "a: ", got($a), "\n";
echo "b: ", got($b), "\n";

echo "-- apps\n";
[$k1] = pusher_connect($two, 'key-one');
[$k2, , $timeout2] = pusher_connect($two, 'key-two');
echo "activity_timeout ", $timeout2, "\n";
pusher_subscribe($k1, 'news');
pusher_subscribe($k2, 'news');
foreach ([
	'{"cmd":"event","channel":"news","event":"e","data":"x"}',
	'{"cmd":"event","app":"1001","channel":"news","event":"to-one","data":"1"}',
	'{"cmd":"event","app":1001,"channel":"news","event":"int-id","data":"1"}',
	'{"cmd":"event","app":"app-2","channel":"news","event":"to-two","data":"2"}',
] as $l) {
	echo push_text($two, $l), "\n";
}
echo "key-one: ", got($k1), "\n";
echo "key-two: ", got($k2), "\n";
echo push_text($none, '{"cmd":"event","channel":"news","event":"e","data":"x"}'), "\n";

echo "-- Push\\Client::trigger\n";
$c = new Push\RemoteServer($one->textAddress());
var_dump($c->trigger('news', 'from-php', ['list' => [1, 2], 'url' => 'https://example.com/é']));
var_dump($c->trigger(['news', 'sport'], 'multi', 'plain string'));
var_dump($c->trigger('news', 'others', 'x', $aId));
var_dump($c->trigger('news', 'others', 'x', ''));
var_dump($c->trigger('news', 'by-app', 7, null, 'app-id'));
var_dump($c->trigger(channels: 'nobody-here', event: 'e', data: true));
ini_set('push.client_address', $one->textAddress());
var_dump(Push\Client::trigger('sport', 'static', 1.5));
echo "a: ", got($a), "\n";
echo "b: ", got($b), "\n";
$c2 = new Push\RemoteServer($two->textAddress());
var_dump($c2->trigger('news', 'from-php', 'x', null, 'app-2'));
echo "key-one: ", got($k1), "\n";
echo "key-two: ", got($k2), "\n";

foreach ([
	fn() => $c->trigger('news', 'e', 'x', null, 'nope'),
	fn() => $c2->trigger('news', 'e', 'x'),
	fn() => $c->trigger('bad channel', 'e', 'x'),
	fn() => $c->trigger('news', 'e', str_repeat('d', 65)),
	fn() => $c->trigger('', 'e', 'x'),
	fn() => $c->trigger([], 'e', 'x'),
	fn() => $c->trigger(['news', 5], 'e', 'x'),
	fn() => $c->trigger(['news', ''], 'e', 'x'),
	fn() => $c->trigger('news', '', 'x'),
	fn() => $c->trigger('news', 'e', "\xff"),
	fn() => $c->trigger('news', 'e', 'x', null, ''),
	fn() => $c->trigger('news', 'e'),
	fn() => (new Push\RemoteServer('redis://127.0.0.1:1'))->trigger('news', 'e', 'x'),
] as $f) {
	try {
		var_dump($f());
	} catch (Throwable $e) {
		echo get_class($e), ': ', $e->getMessage(), "\n";
	}
}
echo "a: ", got($a, 0.1), "\n";
?>
--EXPECTF--
-- subscribe
bool(true)
bool(true)
int(120)
pusher_internal:subscription_succeeded news {}
pusher_internal:subscription_succeeded news {}
pusher_internal:subscription_succeeded sport {}
-- Text port
{"ok":true,"count":2}
{"ok":true,"count":3}
{"ok":true,"count":1}
{"ok":true,"count":1}
{"ok":true,"count":0}
{"ok":true,"count":2}
{"ok":true,"count":1}
a: {"channel":"news","data":"hello","event":"greet"} | {"channel":"news","data":"{\"home\":2,\"away\":[1,\"x/y\"]}","event":"score"} | {"channel":"news","data":"null","event":"nul"}
b: {"channel":"news","data":"hello","event":"greet"} | {"channel":"news","data":"{\"home\":2,\"away\":[1,\"x/y\"]}","event":"score"} | {"channel":"sport","data":"{\"home\":2,\"away\":[1,\"x/y\"]}","event":"score"} | {"channel":"sport","data":"42","event":"n"} | {"channel":"news","data":"","event":"quiet"} | {"channel":"news","data":"null","event":"nul"} | {"channel":"sport","data":"1","event":"twice"}
-- refused
{"ok":false,"error":"unknown app \"nope\""}
{"ok":false,"error":"\"app\" must be the app id, a string or an integer"}
{"ok":false,"error":"event needs \"channel\" or \"channels\""}
{"ok":false,"error":"event takes \"channel\" or \"channels\", not both"}
{"ok":false,"error":"\"channel\" must be a string"}
{"ok":false,"error":"\"channels\" must be a list of strings"}
{"ok":false,"error":"\"channels\" must not be empty"}
{"ok":false,"error":"\"channels\" must be a list of strings"}
{"ok":false,"error":"too many channels (limit 3)"}
{"ok":false,"error":"invalid channel name \"news feed\""}
{"ok":false,"error":"invalid channel name \"news\u0000\""}
{"ok":false,"error":"channel name too long (limit 20 bytes)"}
{"ok":false,"error":"event needs \"event\", the event name (a string)"}
{"ok":false,"error":"event needs \"event\", the event name (a string)"}
{"ok":false,"error":"event needs \"event\", the event name (a string)"}
{"ok":false,"error":"event name too long (limit 10 bytes)"}
{"ok":false,"error":"event names starting with \"pusher:\" or \"pusher_internal:\" are reserved"}
{"ok":false,"error":"event names starting with \"pusher:\" or \"pusher_internal:\" are reserved"}
{"ok":false,"error":"event needs \"data\""}
{"ok":false,"error":"data too large (limit 64 bytes)"}
{"ok":false,"error":"data too large (limit 64 bytes)"}
{"ok":false,"error":"\"data\" has an integer out of range: send it as a string"}
{"ok":false,"error":"\"socket_id\" must be a socket id like \"1234.5678\""}
{"ok":false,"error":"\"socket_id\" must be a socket id like \"1234.5678\""}
{"ok":false,"error":"\"socket_id\" must be a socket id like \"1234.5678\""}
{"ok":true,"count":2}
a: {"channel":"news","data":"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd","event":"eeeeeeeeee"}
b: {"channel":"news","data":"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd","event":"eeeeeeeeee"}
-- apps
activity_timeout 30
{"ok":false,"error":"event needs \"app\": several apps are configured"}
{"ok":true,"count":1}
{"ok":true,"count":1}
{"ok":true,"count":1}
key-one: {"channel":"news","data":"1","event":"to-one"} | {"channel":"news","data":"1","event":"int-id"}
key-two: {"channel":"news","data":"2","event":"to-two"}
{"ok":false,"error":"the Pusher protocol is off: no apps are configured (option \"pusher\")"}
-- Push\Client::trigger
int(2)
int(3)
int(1)
int(2)
int(2)
int(0)
int(1)
a: {"channel":"news","data":"{\"list\":[1,2],\"url\":\"https://example.com/é\"}","event":"from-php"} | {"channel":"news","data":"plain string","event":"multi"} | {"channel":"news","data":"x","event":"others"} | {"channel":"news","data":"7","event":"by-app"}
b: {"channel":"news","data":"{\"list\":[1,2],\"url\":\"https://example.com/é\"}","event":"from-php"} | {"channel":"news","data":"plain string","event":"multi"} | {"channel":"sport","data":"plain string","event":"multi"} | {"channel":"news","data":"x","event":"others"} | {"channel":"news","data":"x","event":"others"} | {"channel":"news","data":"7","event":"by-app"} | {"channel":"sport","data":"1.5","event":"static"}
int(1)
key-one: (nothing)
key-two: {"channel":"news","data":"x","event":"from-php"}
Push\ProtocolException: unknown app "nope"
Push\ProtocolException: event needs "app": several apps are configured
Push\ProtocolException: invalid channel name "bad channel"
Push\ProtocolException: data too large (limit 64 bytes)
ValueError: Push\RemoteServer::trigger(): Argument #1 ($channels) must not be empty
ValueError: Push\RemoteServer::trigger(): Argument #1 ($channels) must not be empty
TypeError: Push\RemoteServer::trigger(): Argument #1 ($channels) must contain only strings, int given
ValueError: Push\RemoteServer::trigger(): Argument #1 ($channels) must not contain empty channel names
ValueError: Push\RemoteServer::trigger(): Argument #2 ($event) must not be empty
ValueError: Push\RemoteServer::trigger(): Argument #3 ($data) cannot be encoded as JSON: malformed UTF-8 characters, possibly incorrectly encoded
ValueError: Push\RemoteServer::trigger(): Argument #5 ($app) must not be empty
ArgumentCountError: Push\RemoteServer::trigger() expects at least 3 arguments, 2 given
Push\ProtocolException: trigger() needs a push server's Text address; redis:// only publishes
a: (nothing)
