--TEST--
Hostile: history's "bytes" bounds all it keeps (records and uid entries too, not just payloads), shown as history_bytes
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
require __DIR__ . '/inc/hostile.inc';
$limit = 256 << 10;
$srv = push_server_start(['history' => ['size' => 100, 'ttl' => 300, 'bytes' => $limit]]);
/* warm up the Text path, then measure */
$c = hostile_connect($srv->text, '127.0.0.1', true);
echo hostile_text_rt($c, '{"uid":"warm","msg":"x"}'), "\n";

/* 30,000 empty messages, each to a different offline uid, pipelined (hostile_memory.phpt: RSS) */
$n = 30000;
$batch = 2000;
$answers = [];
for ($i = 0; $i < $n; $i += $batch) {
	$buf = '';
	for ($j = $i; $j < $i + $batch; $j++) {
		$buf .= "{\"uid\":\"offline-$j\",\"msg\":\"\"}\n";
	}
	fwrite($c, $buf);
	for ($j = 0; $j < $batch; $j++) {
		$a = rtrim((string)fgets($c), "\n");
		$answers[$a] = ($answers[$a] ?? 0) + 1;
	}
}
echo json_encode($answers), "\n";
$st = json_decode(hostile_text_rt($c, '{"cmd":"status"}'), true);
echo "history_bytes: ", $st['history_bytes'] > $limit ? "over the limit ({$st['history_bytes']})"
	: ($st['history_bytes'] > $limit / 2 ? "counted, within the limit" : "hardly counted ({$st['history_bytes']})"), "\n";
echo "history_messages: ", $st['history_messages'] < $n ? "fewer than pushed" : "all $n kept", "\n";

/* what is kept is the newest: the last uid still gets its message, the first one's is gone */
$last = TestWsClient::connect($srv->wsUrl());
$last->send('offline-' . ($n - 1));
$oldest = TestWsClient::connect($srv->wsUrl());
$oldest->send('offline-0');
echo "newest kept: ", var_export($last->recv(2), true), ", oldest dropped: ", var_export($oldest->recv(0.3), true), "\n";
?>
--EXPECT--
queued
{"queued":30000}
history_bytes: counted, within the limit
history_messages: fewer than pushed
newest kept: '', oldest dropped: NULL
