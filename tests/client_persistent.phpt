--TEST--
Push\Client: 100 static sends from one process use one TCP connection
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
require __DIR__ . '/inc/wsclient.inc';
$srv = push_server_start();
ini_set('push.client_address', $srv->textAddress());
var_dump(ini_get('push.client_persistent'));

$ws = ws_bind($srv, 'u');
push_wait(fn() => Push\Client::isUidOnline('u'));
$ok = 0;
for ($i = 0; $i < 100; $i++) {
	$ok += Push\Client::send('u', "m$i");
}
echo "delivered: $ok, received: ", count($ws->drain(0.3)), "\n";

// instances with the same address share the process's persistent connection
for ($i = 0; $i < 3; $i++) {
	$c = new Push\RemoteServer($srv->textAddress());
	$c->send('u', 'from an instance');
}
// the status call itself goes over the same connection
$st = Push\Client::getStats();
echo "text connections: ", $st['text_connections_total'], ", open: ", $st['text_connections'], "\n";

// a non-persistent instance makes its own connection
$own = new Push\RemoteServer($srv->textAddress(), ['persistent' => false]);
$own->send('u', 'own');
echo "text connections: ", Push\Client::getStats()['text_connections_total'], "\n";

// close() really closes the persistent connection; the next call opens a new one
Push\Client::close();
push_wait(fn() => $own->getStats()['text_connections'] === 1);
echo "text connections: ", Push\Client::getStats()['text_connections_total'], "\n";
?>
--EXPECT--
string(1) "1"
delivered: 100, received: 100
text connections: 1, open: 1
text connections: 2
text connections: 3
