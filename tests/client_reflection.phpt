--TEST--
Push\Client: what Reflection says is how each method is called; the stub's @method tags match it
--EXTENSIONS--
push
--SKIPIF--
<?php if (!is_file(__DIR__ . '/../stubs/push.stub.php')) die('skip needs stubs/push.stub.php beside tests/'); ?>
--FILE--
<?php
function sig(ReflectionMethod $m): string
{
	$p = [];
	foreach ($m->getParameters() as $a) {
		$p[] = $a->getType() . ' $' . $a->getName();
	}
	return $m->getName() . '(' . implode(', ', $p) . '): ' . $m->getReturnType();
}

function flags(ReflectionMethod $m): string
{
	return implode(' ', Reflection::getModifierNames($m->getModifiers()));
}

$rc = new ReflectionClass(Push\Client::class);
$byFlags = [];
foreach ($rc->getMethods() as $m) {
	$byFlags[flags($m)][] = $m->getName();
}
ksort($byFlags);
foreach ($byFlags as $f => $names) {
	echo str_pad($f, 16), ' ', implode(' ', $names), "\n";
}

// the magic methods are real methods: reflection and callables see the same thing
echo sig(new ReflectionMethod(Push\Client::class, '__call')), "\n";
echo sig(new ReflectionMethod(Push\Client::class, '__callStatic')), "\n";
echo sig(new ReflectionMethod(Push\Client::class, 'send')), "\n";

// a protected method: calling it from outside goes through __call or __callStatic
$c = new Push\Client('tcp://127.0.0.1:1', ['timeout' => 0.5]);
var_dump(is_callable([$c, 'send']), is_callable('Push\Client::send'), is_callable([$c, '__call']),
	is_callable([$c, 'nope']), is_callable('Push\Client::nope'));

// the stub's @method tags: every protected method twice (instance and static),
// with the parameters and return type Reflection shows, and nothing else
$stub = file_get_contents(__DIR__ . '/../stubs/push.stub.php');
$doc = substr($stub, strrpos(substr($stub, 0, strpos($stub, 'final class Client')), '/**'));
preg_match_all('/@method (static )?(\S+) (\w+)\(([^)]*)\)/', $doc, $tags, PREG_SET_ORDER);
function type(string $t): string
{
	$parts = explode('|', $t);
	sort($parts);
	return implode('|', $parts);
}

$want = [];
foreach ($rc->getMethods(ReflectionMethod::IS_PROTECTED) as $m) {
	$params = [];
	foreach ($m->getParameters() as $a) {
		$params[] = type((string)$a->getType()) . ' $' . $a->getName()
			. ($a->isOptional() ? ' = ' . json_encode($a->getDefaultValue()) : '');
	}
	$line = type((string)$m->getReturnType()) . ' ' . $m->getName() . '(' . implode(', ', $params) . ')';
	$want[] = $line;
	$want[] = 'static ' . $line;
}
$have = [];
foreach ($tags as $t) {
	$params = [];
	foreach (array_filter(array_map('trim', explode(',', $t[4]))) as $a) {
		preg_match('/^(\S+) (\$\w+)(?: = (.*))?$/', $a, $p);
		$params[] = type($p[1]) . ' ' . $p[2] . (isset($p[3]) ? ' = ' . json_encode(eval("return $p[3];")) : '');
	}
	$have[] = $t[1] . type($t[2]) . ' ' . $t[3] . '(' . implode(', ', $params) . ')';
}
sort($want);
sort($have);
echo count($have), " @method tags, ", count($want), " expected\n";
var_dump(array_values(array_diff($want, $have)), array_values(array_diff($have, $want)));
?>
--EXPECT--
protected        send sendCount broadcast sendBatch joinGroup leaveGroup sendToGroup trigger getGroupConnectionCount getGroupUids getUidGroups getAllConnectionCount getAllUidCount getUidList isUidOnline getUidConnectionCount kickUid status close
public           __construct __call
public static    token __callStatic
__call(string $name, array $arguments): mixed
__callStatic(string $name, array $arguments): mixed
send(array|string|int $uid, array|string $message): bool
bool(true)
bool(true)
bool(true)
bool(false)
bool(false)
38 @method tags, 38 expected
array(0) {
}
array(0) {
}
