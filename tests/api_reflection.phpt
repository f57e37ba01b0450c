--TEST--
One API: Push\Server, Push\RemoteServer and Push\Client declare the shared verbs public, with the same parameters and return types; Client's are static, and no __call
--EXTENSIONS--
push
--FILE--
<?php
function sig(ReflectionMethod $m, int $params = PHP_INT_MAX): string
{
	$p = [];
	foreach (array_slice($m->getParameters(), 0, $params) as $a) {
		$t = explode('|', (string)$a->getType());
		sort($t);
		$p[] = implode('|', $t) . ' $' . $a->getName() . ($a->isOptional() ? ' = ' . var_export($a->getDefaultValue(), true) : '');
	}
	return '(' . implode(', ', $p) . '): ' . $m->getReturnType();
}

$server = new ReflectionClass(Push\Server::class);
$remote = new ReflectionClass(Push\RemoteServer::class);
$client = new ReflectionClass(Push\Client::class);

// the verbs every one of them has
$shared = ['send', 'sendToUid', 'sendBatch', 'broadcast', 'sendToGroup', 'joinGroup', 'leaveGroup',
	'getGroupConnectionCount', 'getGroupUids', 'getUidGroups', 'getAllConnectionCount', 'getAllUidCount',
	'getAllGroupCount', 'getUidList', 'isUidOnline', 'getUidConnectionCount', 'kickUid', 'getStats'];
$bad = 0;
foreach ($shared as $verb) {
	$r = $remote->getMethod($verb);
	$c = $client->getMethod($verb);
	$s = $server->getMethod($verb);
	foreach ([$r, $c, $s] as $m) {
		if (!$m->isPublic()) {
			echo $m->class, "::$verb is not public\n";
			$bad++;
		}
	}
	if (!$c->isStatic() || $r->isStatic() || $s->isStatic()) {
		echo "$verb: Client's must be static, the others not\n";
		$bad++;
	}
	// Server may take more (connection ids to exclude), after the shared parameters
	$n = $r->getNumberOfParameters();
	if (sig($r) !== sig($c) || sig($r) !== sig($s, $n)) {
		echo "$verb differs:\n  RemoteServer ", sig($r), "\n  Client       ", sig($c), "\n  Server       ", sig($s), "\n";
		$bad++;
	}
	if ($s->getNumberOfRequiredParameters() > $n) {
		echo "$verb: Server requires more\n";
		$bad++;
	}
}
echo count($shared), " shared verbs, $bad differences\n";
echo "sendToGroup: ", sig($remote->getMethod('sendToGroup')), "\n";
echo "Server extra: ", sig($server->getMethod('sendToGroup')), "\n";

// every public method of RemoteServer (but the constructor) is a static one of Client, the same
$names = [];
foreach ($remote->getMethods() as $m) {
	if ($m->name === '__construct') {
		continue;
	}
	$c = $client->getMethod($m->name);
	if (!$c->isStatic() || !$c->isPublic() || sig($c) !== sig($m)) {
		echo "Client::{$m->name} does not match\n";
	}
	$names[] = $m->name;
}
echo "RemoteServer: ", implode(' ', $names), "\n";
$only = array_diff(array_map(fn($m) => $m->name, $client->getMethods()), $names);
echo "Client only: ", implode(' ', $only), "\n";
echo "Server only: ", implode(' ', array_diff(array_map(fn($m) => $m->name, $server->getMethods()), $names)), "\n";

// what PHP developers call is what Reflection shows: no magic, no protected methods
foreach ([$server, $remote, $client] as $rc) {
	foreach (['__call', '__callStatic'] as $magic) {
		if ($rc->hasMethod($magic)) {
			echo $rc->name, " has $magic\n";
		}
	}
	echo $rc->name, ": ", count($rc->getMethods(ReflectionMethod::IS_PROTECTED)), " protected\n";
}
var_dump($client->isInstantiable(), $remote->isInstantiable(), $client->getMethod('instance')->getReturnType()->getName());
var_dump((new ReflectionClass(Push\ServerNotRunningException::class))->isSubclassOf(Push\Exception::class));
?>
--EXPECT--
18 shared verbs, 0 differences
sendToGroup: (string $group, array|string $message, array $excludeUids = array (
)): int
Server extra: (string $group, array|string $message, array $excludeUids = array (
), array $excludeConnections = array (
)): int
RemoteServer: send sendToUid sendBatch broadcast sendToGroup joinGroup leaveGroup getGroupConnectionCount getGroupUids getUidGroups getAllConnectionCount getAllUidCount getAllGroupCount getUidList isUidOnline getUidConnectionCount kickUid getStats trigger close
Client only: __construct sendCount status token instance
Server only: __construct onStart onConnect onMessage onClose onAuth run start stop addTimer clearTimer getConnection getWsPort getTextPort
Push\Server: 0 protected
Push\RemoteServer: 0 protected
Push\Client: 0 protected
bool(false)
bool(true)
string(17) "Push\RemoteServer"
bool(true)
