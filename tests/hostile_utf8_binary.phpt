--TEST--
Hostile: with invalid_utf8 => 'binary', pushes that are not UTF-8 go out as binary frames; UTF-8 ones stay text
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start(['invalid_utf8' => 'binary']);
$b = ws_bind($srv, 'b');
push_wait(fn() => push_status($srv)['uids'] === 1);
echo push_text($srv, "{\"uid\":\"b\",\"msg\":\"\xff\xfe\"}"), " ", push_text($srv, '{"uid":"b","msg":"text ü"}'), "\n";
foreach ([1, 2] as $_) {
	$f = $b->frameIn(2);
	echo $f ? ($f[0] === 2 ? 'binary ' : 'text ') . bin2hex($f[1]) : 'nothing', "\n";
}
?>
--EXPECT--
ok ok
binary fffe
text 7465787420c3bc
