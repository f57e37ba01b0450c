--TEST--
The stub says the truth: every method stubs/push.stub.php declares for Push\Server, Push\RemoteServer, Push\Client and Push\Connection is what Reflection shows (visibility, static, parameters, return type), and nothing more
--EXTENSIONS--
push
--SKIPIF--
<?php if (!is_file(__DIR__ . '/../stubs/push.stub.php')) die('skip needs stubs/push.stub.php beside tests/'); ?>
--FILE--
<?php
function norm(string $t): string
{
	$t = ltrim(str_replace(['\\Push\\', 'Push\\'], '', $t), '\\');
	if ($t !== '' && $t[0] === '?') {
		$t = substr($t, 1) . '|null';
	}
	$parts = explode('|', $t);
	sort($parts);
	return implode('|', $parts);
}

function reflected(ReflectionMethod $m): string
{
	$p = [];
	foreach ($m->getParameters() as $a) {
		$p[] = norm((string)$a->getType()) . ' $' . $a->getName() . ($a->isOptional() ? ' = ' . json_encode($a->getDefaultValue()) : '');
	}
	$mods = implode(' ', Reflection::getModifierNames($m->getModifiers() & ~ReflectionMethod::IS_FINAL));
	return "$mods {$m->name}(" . implode(', ', $p) . '): ' . norm((string)$m->getReturnType());
}

$stub = file_get_contents(__DIR__ . '/../stubs/push.stub.php');
$bad = 0;
foreach (['Server', 'RemoteServer', 'Client', 'Connection'] as $class) {
	// the class body: from "class X" to the next line that is a lone "}"
	preg_match('/^(?:final )?class ' . $class . '\b.*?^}$/ms', $stub, $body);
	preg_match_all('/^    (public|protected|private)( static)? function (\w+)\(([^)]*)\)(?:: (\S+))? \{\}$/m', $body[0], $decls, PREG_SET_ORDER);
	$want = [];
	foreach ($decls as $d) {
		[, $vis, $static, $name, $params] = $d;
		$ret = $d[5] ?? "";
		$p = [];
		foreach (array_filter(array_map('trim', explode(',', $params))) as $param) {
			preg_match('/^(\S+) \$(\w+)(?: = (.+))?$/', $param, $pm);
			$def = isset($pm[3]) ? json_encode(eval('return ' . $pm[3] . ';')) : null;
			$p[] = norm($pm[1]) . ' $' . $pm[2] . ($def !== null ? " = $def" : '');
		}
		$want[$name] = "$vis" . ($static ? ' static' : '') . " $name(" . implode(', ', $p) . '): ' . norm($ret);
	}
	$rc = new ReflectionClass("Push\\$class");
	$got = [];
	foreach ($rc->getMethods() as $m) {
		$got[$m->name] = reflected($m);
	}
	foreach ($want + $got as $name => $_) {
		$w = $want[$name] ?? '(not in the stub)';
		$g = $got[$name] ?? '(not in Reflection)';
		// a constructor has no return type
		if ($name === '__construct') {
			$w = rtrim($w, ': ');
			$g = rtrim($g, ': ');
		}
		if ($w !== $g) {
			echo "$class::$name\n  stub:       $w\n  reflection: $g\n";
			$bad++;
		}
	}
	echo "$class: ", count($got), " methods\n";
}
echo "$bad differences\n";
echo reflected(new ReflectionMethod(Push\Client::class, 'send')), "\n";
echo reflected(new ReflectionMethod(Push\RemoteServer::class, 'send')), "\n";
echo reflected(new ReflectionMethod(Push\Server::class, 'send')), "\n";
?>
--EXPECT--
Server: 32 methods
RemoteServer: 21 methods
Client: 25 methods
Connection: 6 methods
0 differences
public static send(array|int|string $uid, array|string $message): bool
public send(array|int|string $uid, array|string $message): bool
public send(array|int|string $uid, array|string $message): bool
