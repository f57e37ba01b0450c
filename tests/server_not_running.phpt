--TEST--
Push\Server: the shared verbs throw Push\ServerNotRunningException before run() and after it returned, and answer while it runs
--EXTENSIONS--
push
--FILE--
<?php
$server = new Push\Server(['ws' => 'ws://127.0.0.1:0', 'text' => false, 'signals' => false]);
$calls = [
	'send' => ['u', 'm'], 'sendToUid' => [['u', 'v'], ['k' => 1]], 'sendBatch' => [[['u', 'm']]],
	'broadcast' => ['m'], 'sendToGroup' => ['g', 'm'], 'joinGroup' => ['g', 'u'], 'leaveGroup' => ['g', ['u']],
	'getGroupConnectionCount' => ['g'], 'getGroupUids' => ['g'], 'getUidGroups' => ['u'],
	'getAllConnectionCount' => [], 'getAllUidCount' => [], 'getAllGroupCount' => [], 'getUidList' => [],
	'isUidOnline' => ['u'], 'getUidConnectionCount' => [7], 'kickUid' => ['u', 'bye'], 'getStats' => [],
];

function each_call(Push\Server $server, array $calls): array
{
	$out = [];
	foreach ($calls as $verb => $args) {
		try {
			$r = $server->$verb(...$args);
			$out[] = "$verb: " . (is_array($r) ? 'array' : json_encode($r));
		} catch (Push\ServerNotRunningException $e) {
			$out[] = "$verb: " . get_class($e);
		}
	}
	return $out;
}

echo "before run():\n  ", implode("\n  ", each_call($server, $calls)), "\n";
try {
	$server->send('u', 'm');
} catch (Push\Exception $e) {
	echo $e->getMessage(), "\n";
}
// arguments are still checked first
try {
	$server->sendToUid(1.5, 'm');
} catch (TypeError $e) {
	echo get_class($e), ": ", $e->getMessage(), "\n";
}

$server->onStart(function (Push\Server $s) use ($calls) {
	echo "while it runs:\n  ", implode("\n  ", each_call($s, $calls)), "\n";
	$list = $s->getUidList();
	echo "getUidList keys: ", implode(' ', array_keys($list)), "\n";
	echo "getStats has ok: ", json_encode(array_key_exists('ok', $s->getStats())), "\n";
	$s->stop(false);
});
$server->run();
echo "after run():\n  ", implode("\n  ", each_call($server, ['getAllUidCount' => [], 'broadcast' => ['m']])), "\n";
?>
--EXPECT--
before run():
  send: Push\ServerNotRunningException
  sendToUid: Push\ServerNotRunningException
  sendBatch: Push\ServerNotRunningException
  broadcast: Push\ServerNotRunningException
  sendToGroup: Push\ServerNotRunningException
  joinGroup: Push\ServerNotRunningException
  leaveGroup: Push\ServerNotRunningException
  getGroupConnectionCount: Push\ServerNotRunningException
  getGroupUids: Push\ServerNotRunningException
  getUidGroups: Push\ServerNotRunningException
  getAllConnectionCount: Push\ServerNotRunningException
  getAllUidCount: Push\ServerNotRunningException
  getAllGroupCount: Push\ServerNotRunningException
  getUidList: Push\ServerNotRunningException
  isUidOnline: Push\ServerNotRunningException
  getUidConnectionCount: Push\ServerNotRunningException
  kickUid: Push\ServerNotRunningException
  getStats: Push\ServerNotRunningException
Push\Server::send() needs the running server: call it once run() or start() serves (from a callback or a timer)
TypeError: Push\Server::sendToUid(): Argument #1 ($uid) must be of type string|int|array, float given
while it runs:
  send: false
  sendToUid: 0
  sendBatch: array
  broadcast: 0
  sendToGroup: 0
  joinGroup: false
  leaveGroup: false
  getGroupConnectionCount: 0
  getGroupUids: array
  getUidGroups: array
  getAllConnectionCount: 0
  getAllUidCount: 0
  getAllGroupCount: 0
  getUidList: array
  isUidOnline: false
  getUidConnectionCount: 0
  kickUid: 0
  getStats: array
getUidList keys: uids next total
getStats has ok: false
after run():
  getAllUidCount: Push\ServerNotRunningException
  broadcast: Push\ServerNotRunningException
