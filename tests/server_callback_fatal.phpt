--TEST--
A fatal error in a callback (memory_limit) ends the process with PHP's message, not a crash
--EXTENSIONS--
push
--SKIPIF--
<?php if (getenv('USE_ZEND_ALLOC') === '0') die('skip memory_limit is only enforced by the Zend allocator'); ?>
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start([], <<<'PHP'
ini_set('memory_limit', '16M');
$server->onMessage(function ($c, $data) {
	$a = [];
	while (true) { $a[] = str_repeat('x', 1 << 20); }
});
PHP);
$ws = ws_bind($srv, 'u');
$ws->send('x');
push_wait(fn() => !$srv->running());
echo "exit code ", push_server_stop($srv), "\n";
echo preg_match('/Allowed memory size of \d+ bytes exhausted/', $srv->drainOutput()) ? "fatal reported\n" : $srv->output;
?>
--EXPECT--
exit code 255
fatal reported
