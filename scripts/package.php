<?php
/*
 * Writes package.xml from the files git tracks, so the PECL package lists every
 * file it needs and nothing else.
 *
 *   php scripts/package.php            rewrite package.xml
 *   php scripts/package.php --check    exit 1 if package.xml is out of date
 */
$root = dirname(__DIR__);
chdir($root);
$version = null;
if (preg_match('/#define PHP_PUSH_VERSION "([^"]+)"/', file_get_contents('php_push.h'), $m)) {
	$version = $m[1];
}
exec('git ls-files', $files, $rc);
if ($rc !== 0) {
	fwrite(STDERR, "git ls-files failed\n");
	exit(2);
}
$roles = [];
foreach ($files as $f) {
	if (preg_match('#^(config\.m4|config\.w32|push\.c|php_push\.h|ext/.*\.[ch]|stubs/push_arginfo\.h|stubs/push\.stub\.php)$#', $f)) {
		$roles[$f] = 'src';
	} elseif (preg_match('#^tests/([a-z0-9_]+\.phpt|inc/.*\.inc)$#', $f)) {
		$roles[$f] = 'test';
	} elseif (preg_match('#^(README\.md|LICENSE|docs/.*\.md|examples/[^/]+\.(php|html))$#', $f)) {
		$roles[$f] = 'doc';
	}
}
ksort($roles);
$contents = '';
foreach ($roles as $f => $role) {
	$contents .= sprintf("   <file name=\"%s\" role=\"%s\"/>\n", htmlspecialchars($f), $role);
}
$date = date('Y-m-d');
$xml = <<<XML
<?xml version="1.0" encoding="UTF-8"?>
<package packagerversion="1.10.13" version="2.0" xmlns="http://pear.php.net/dtd/package-2.0" xmlns:tasks="http://pear.php.net/dtd/tasks-1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://pear.php.net/dtd/tasks-1.0 http://pear.php.net/dtd/tasks-1.0.xsd http://pear.php.net/dtd/package-2.0 http://pear.php.net/dtd/package-2.0.xsd">
 <name>push</name>
 <channel>pecl.php.net</channel>
 <summary>A real-time WebSocket push server inside PHP, on libwebsockets</summary>
 <description>push runs a WebSocket listener and a newline-JSON Text listener in-process on libwebsockets: a uid to connections registry, groups, presence, signed tokens, heartbeats, bounded queues, missed-message replay and an HTTP API, with the push path in C. Push\\Client::send() pushes from php-fpm over one persistent connection per worker. It is a drop-in for the Workerman push recipe: the recipe's browser code and backend snippet work unchanged.</description>
 <lead>
  <name>push maintainers</name>
  <user>push</user>
  <email>push@php.net</email>
  <active>yes</active>
 </lead>
 <date>$date</date>
 <version>
  <release>$version</release>
  <api>$version</api>
 </version>
 <stability>
  <release>beta</release>
  <api>beta</api>
 </stability>
 <license uri="https://opensource.org/licenses/MIT">MIT</license>
 <notes>
First release: Push\\Server, Push\\Client, Push\\Connection; Workerman-style CLI; tokens; groups; history; HTTP API and metrics.
 </notes>
 <contents>
  <dir name="/">
$contents  </dir>
 </contents>
 <dependencies>
  <required>
   <php>
    <min>8.1.0</min>
    <max>8.5.99</max>
   </php>
   <pearinstaller>
    <min>1.10.0</min>
   </pearinstaller>
  </required>
 </dependencies>
 <providesextension>push</providesextension>
 <extsrcrelease>
  <configureoption name="with-push" default="yes" prompt="Enable push (needs libwebsockets, libev and json-c development files)"/>
 </extsrcrelease>
</package>

XML;
if (in_array('--check', $argv, true)) {
	$old = @file_get_contents('package.xml');
	$strip = fn($s) => preg_replace('#<date>[^<]*</date>#', '', (string)$s);
	if ($strip($old) !== $strip($xml)) {
		fwrite(STDERR, "package.xml is out of date: run php scripts/package.php\n");
		exit(1);
	}
	exit(0);
}
file_put_contents('package.xml', $xml);
echo "package.xml: ", count($roles), " files, version $version\n";
