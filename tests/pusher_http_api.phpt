--TEST--
Pusher HTTP API: events, batch_events, channels, channel, users, terminate_connections, signed as the SDKs sign (both query styles), and every refusal (signature, timestamp, auth_key, body_md5, app, sizes, socket_id, method)
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';
require __DIR__ . '/inc/pusher.inc';

function show(string $what, array $r): void
{
	echo "$what: $r[0] $r[1]\n";
}

/* A decoded JSON value with its objects' keys sorted and its lists sorted. */
function sort_deep($v)
{
	if (!is_array($v)) {
		return $v;
	}
	$v = array_map('sort_deep', $v);
	array_is_list($v) ? sort($v) : ksort($v);
	return $v;
}

/* JSON in a set order, for answers whose members come in no particular one. */
function sorted(string $json): string
{
	return json_encode(sort_deep(json_decode($json, true)));
}

$srv = push_server_start(['pusher' => ['apps' => [
	['id' => 'app-id', 'key' => 'app-key', 'secret' => 'app-secret', 'client_events' => true],
	['id' => 'other-id', 'key' => 'other-key', 'secret' => 'other-secret'],
]]]);

[$a, $asid] = pconnect($srv);
[$b, $bsid] = pconnect($srv);
[$c, $csid] = pconnect($srv);
psub($a, $asid, 'news');
psub($b, $bsid, 'news');
psub($a, $asid, 'presence-room', '{"user_id":"7","user_info":{"name":"A"}}');
psub($b, $bsid, 'presence-room', '{"user_id":8}');
var_dump(psignin($c, $csid, '{"id":"u1"}'));

echo "-- events\n";
show('event', papi($srv, 'POST', '/apps/app-id/events', [], '{"name":"greet","channel":"news","data":"hello"}'));
echo pev(pnext($a)), ' / ', pev(pnext($b)), "\n";
show('toOthers', papi($srv, 'POST', '/apps/app-id/events', [],
	json_encode(['name' => 'greet', 'channels' => ['news'], 'data' => 'not for a', 'socket_id' => $asid])));
echo pev(pnext($b)), ' / ', pev(pnext($a, 0.3)), "\n";
show('info (raw query)', papi($srv, 'POST', '/apps/app-id/events', [],
	json_encode(['name' => 'e', 'channels' => ['news', 'presence-room', 'news'], 'data' => '{"x":1}',
		'info' => 'user_count,subscription_count']), ['raw' => true]));
echo pev(pnext($a)), ' / ', pev(pnext($a)), ' / ', pev(pnext($a, 0.3)), "\n";
$b->drain();
$r = papi($srv, 'POST', '/apps/app-id/events', [], json_encode(['name' => 'big', 'channel' => 'news',
	'data' => str_repeat('x', 10240)]));
echo "10240 bytes: $r[0] ", strlen(pnext($a)['data'] ?? ''), "\n";
$b->drain();
show('10241 bytes', papi($srv, 'POST', '/apps/app-id/events', [], json_encode(['name' => 'big', 'channel' => 'news',
	'data' => str_repeat('x', 10241)])));
echo pev(pnext($a, 0.3)), "\n";

echo "-- batch_events\n";
show('batch', papi($srv, 'POST', '/apps/app-id/batch_events', [], json_encode(['batch' => [
	['name' => 'one', 'channel' => 'news', 'data' => '1'],
	['name' => 'two', 'channel' => 'presence-room', 'data' => '2', 'socket_id' => $bsid],
]])));
echo pev(pnext($a)), ' / ', pev(pnext($a)), ' / ', pev(pnext($b)), ' / ', pev(pnext($b, 0.3)), "\n";
show('batch info', papi($srv, 'POST', '/apps/app-id/batch_events', [], json_encode(['batch' => [
	['name' => 'one', 'channel' => 'presence-room', 'data' => '1', 'info' => 'subscription_count,user_count'],
	['name' => 'two', 'channel' => 'news', 'data' => '2'],
]])));
$a->drain();
$b->drain();
show('batch of 11', papi($srv, 'POST', '/apps/app-id/batch_events', [],
	json_encode(['batch' => array_fill(0, 11, ['name' => 'x', 'channel' => 'news', 'data' => 'x'])])));
show('batch, one bad', papi($srv, 'POST', '/apps/app-id/batch_events', [], json_encode(['batch' => [
	['name' => 'ok', 'channel' => 'news', 'data' => 'x'], ['name' => 'bad', 'channel' => 'news', 'data' => 5]]])));
echo pev(pnext($a, 0.3)), "\n";

echo "-- channels\n";
$r = papi($srv, 'GET', '/apps/app-id/channels');
echo "all: $r[0] ", sorted($r[1]), "\n";
$r = papi($srv, 'GET', '/apps/app-id/channels', ['filter_by_prefix' => 'presence-', 'info' => 'user_count']);
echo "presence user_count: $r[0] $r[1]\n";
$r = papi($srv, 'GET', '/apps/app-id/channels', ['filter_by_prefix' => 'presence-', 'info' => 'user_count'],
	null, ['raw' => true]);
echo "the same, raw query: $r[0] $r[1]\n";
show('prefix news', papi($srv, 'GET', '/apps/app-id/channels', ['filter_by_prefix' => 'ne']));
show('user_count without the presence prefix', papi($srv, 'GET', '/apps/app-id/channels', ['info' => 'user_count']));
show('news', papi($srv, 'GET', '/apps/app-id/channels/news', ['info' => 'subscription_count']));
show('news, no info', papi($srv, 'GET', '/apps/app-id/channels/news'));
show('empty', papi($srv, 'GET', '/apps/app-id/channels/nobody-here', ['info' => 'subscription_count']));
show('presence', papi($srv, 'GET', '/apps/app-id/channels/presence-room',
	['info' => 'user_count,subscription_count']));
show('user_count of news', papi($srv, 'GET', '/apps/app-id/channels/news', ['info' => 'user_count']));
show('bad name', papi($srv, 'GET', '/apps/app-id/channels/bad!name'));
$r = papi($srv, 'GET', '/apps/app-id/channels/presence-room/users');
echo "users: $r[0] ", sorted($r[1]), "\n";
show('users of news', papi($srv, 'GET', '/apps/app-id/channels/news/users'));
show('other app', papi($srv, 'GET', '/apps/other-id/channels', [], null, ['key' => 'other-key',
	'secret' => 'other-secret']));

echo "-- terminate_connections\n";
show('terminate', papi($srv, 'POST', '/apps/app-id/users/u1/terminate_connections', [], '{}'));
var_dump($c->waitClose());
show('nobody', papi($srv, 'POST', '/apps/app-id/users/nobody/terminate_connections', [], '{}'));

echo "-- refused\n";
$ok = '{"name":"x","channel":"news","data":"x"}';
show('unknown app', papi($srv, 'POST', '/apps/nope/events', [], $ok));
show('bad signature', papi($srv, 'POST', '/apps/app-id/events', [], $ok, ['sig' => str_repeat('0', 64)]));
show('other secret', papi($srv, 'POST', '/apps/app-id/events', [], $ok, ['secret' => 'other-secret']));
show('other app key', papi($srv, 'POST', '/apps/app-id/events', [], $ok, ['key' => 'other-key']));
show('601 s old', papi($srv, 'POST', '/apps/app-id/events', [], $ok, ['skew' => -601]));
show('601 s ahead', papi($srv, 'POST', '/apps/app-id/events', [], $ok, ['skew' => 601]));
show('590 s old', papi($srv, 'POST', '/apps/app-id/events', [], $ok, ['skew' => -590]));
show('wrong body_md5', papi($srv, 'POST', '/apps/app-id/events', [], $ok, ['md5' => md5('x')]));
show('no body_md5', papi($srv, 'POST', '/apps/app-id/events', [], $ok, ['drop' => ['body_md5']]));
show('no auth_version', papi($srv, 'POST', '/apps/app-id/events', [], $ok, ['drop' => ['auth_version']]));
show('unsigned', hostile_http($srv, 'POST', '/apps/app-id/events?auth_key=app-key', $ok));
show('no query', hostile_http($srv, 'GET', '/apps/app-id/channels', '', ['Authorization' => 'Bearer app-secret']));
show('101 channels', papi($srv, 'POST', '/apps/app-id/events', [], json_encode(['name' => 'x',
	'channels' => array_map(fn($i) => "c$i", range(1, 101)), 'data' => 'x'])));
show('socket_id abc', papi($srv, 'POST', '/apps/app-id/events', [], json_encode(['name' => 'x', 'channel' => 'news',
	'data' => 'x', 'socket_id' => 'abc'])));
show('socket_id 1.2.3', papi($srv, 'POST', '/apps/app-id/events', [], json_encode(['name' => 'x',
	'channel' => 'news', 'data' => 'x', 'socket_id' => '1.2.3'])));
show('bad channel', papi($srv, 'POST', '/apps/app-id/events', [], json_encode(['name' => 'x',
	'channel' => 'two words', 'data' => 'x'])));
show('no channel', papi($srv, 'POST', '/apps/app-id/events', [], '{"name":"x","data":"x"}'));
show('name of 201', papi($srv, 'POST', '/apps/app-id/events', [], json_encode(['name' => str_repeat('n', 201),
	'channel' => 'news', 'data' => 'x'])));
show('data not a string', papi($srv, 'POST', '/apps/app-id/events', [], '{"name":"x","channel":"news","data":{}}'));
show('not JSON', papi($srv, 'POST', '/apps/app-id/events', [], '{"name":'));
show('reserved name', papi($srv, 'POST', '/apps/app-id/events', [], json_encode(['name' => 'pusher_internal:member_added',
	'channel' => 'presence-room', 'data' => '{"user_id":"ghost"}'])));
/* a stranger's request is refused from its head: the 90 KB body it announces is never waited for */
$s = stream_socket_client("tcp://127.0.0.1:{$srv->ws}");
stream_set_timeout($s, 2);
fwrite($s, "POST /apps/app-id/events?auth_key=app-key HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
	. "Content-Length: 90000\r\n\r\n{\"name\":");
echo "unsigned, body not sent: ", trim((string)fgets($s)), "\n";
fclose($s);
show('GET events', papi($srv, 'GET', '/apps/app-id/events'));
show('POST channels', papi($srv, 'POST', '/apps/app-id/channels', [], '{}'));
show('no such path', papi($srv, 'GET', '/apps/app-id/nothing'));
echo pev(pnext($a, 0.3)), "\n";
show('push API still there', hostile_http($srv, 'GET', '/healthz'));

$plain = push_server_start();
show('no Pusher apps', hostile_http($plain, 'GET', '/apps/app-id/channels'));
?>
--EXPECT--
bool(true)
-- events
event: 200 {}
greet news hello / greet news hello
toOthers: 200 {}
greet news not for a / (nothing)
info (raw query): 200 {"channels":{"news":{"subscription_count":2},"presence-room":{"user_count":2,"subscription_count":2}}}
e news {"x":1} / e presence-room {"x":1} / (nothing)
10240 bytes: 200 10240
10241 bytes: 413 {"error":"event data too large (limit 10240 bytes)"}
(nothing)
-- batch_events
batch: 200 {}
one news 1 / two presence-room 2 / one news 1 / (nothing)
batch info: 200 {"batch":[{"user_count":2,"subscription_count":2},{}]}
batch of 11: 400 {"error":"too many events in \"batch\" (limit 10)"}
batch, one bad: 400 {"error":"batch[1]: \"data\" must be a string"}
(nothing)
-- channels
all: 200 {"channels":{"news":[],"presence-room":[]}}
presence user_count: 200 {"channels":{"presence-room":{"user_count":2}}}
the same, raw query: 200 {"channels":{"presence-room":{"user_count":2}}}
prefix news: 200 {"channels":{"news":{}}}
user_count without the presence prefix: 400 {"error":"info=user_count needs filter_by_prefix=presence-"}
news: 200 {"occupied":true,"subscription_count":2}
news, no info: 200 {"occupied":true}
empty: 200 {"occupied":false,"subscription_count":0}
presence: 200 {"occupied":true,"user_count":2,"subscription_count":2}
user_count of news: 400 {"error":"user_count is only available for presence channels"}
bad name: 400 {"error":"invalid channel name"}
users: 200 {"users":[{"id":"7"},{"id":"8"}]}
users of news: 400 {"error":"users are only available for presence channels"}
other app: 200 {"channels":{}}
-- terminate_connections
terminate: 200 {}
int(4009)
nobody: 200 {}
-- refused
unknown app: 404 {"error":"unknown app"}
bad signature: 401 {"error":"invalid signature"}
other secret: 401 {"error":"invalid signature"}
other app key: 401 {"error":"auth_key mismatch"}
601 s old: 401 {"error":"timestamp expired: auth_timestamp not within 600 s of the server's clock"}
601 s ahead: 401 {"error":"timestamp expired: auth_timestamp not within 600 s of the server's clock"}
590 s old: 200 {}
wrong body_md5: 401 {"error":"body_md5 mismatch"}
no body_md5: 401 {"error":"missing body_md5"}
no auth_version: 401 {"error":"missing auth_version"}
unsigned: 401 {"error":"missing auth_signature"}
no query: 401 {"error":"missing auth_signature"}
101 channels: 400 {"error":"too many channels (limit 100)"}
socket_id abc: 400 {"error":"invalid socket_id (digits.digits)"}
socket_id 1.2.3: 400 {"error":"invalid socket_id (digits.digits)"}
bad channel: 400 {"error":"invalid channel name \"two words\""}
no channel: 400 {"error":"missing \"channels\" (or \"channel\")"}
name of 201: 400 {"error":"event name too long (limit 200 bytes)"}
data not a string: 400 {"error":"\"data\" must be a string"}
not JSON: 400 {"error":"invalid JSON: unexpected end of input"}
reserved name: 400 {"error":"event names starting with \"pusher:\" or \"pusher_internal:\" are reserved"}
unsigned, body not sent: HTTP/1.1 401 Unauthorized
GET events: 405 {"error":"method not allowed (POST)"}
POST channels: 405 {"error":"method not allowed (GET)"}
no such path: 404 {"error":"not found"}
x news x
push API still there: 200 ok
no Pusher apps: 404 {"ok":false,"error":"not found"}
