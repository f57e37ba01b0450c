--TEST--
Push\Client: a kept connection to a server that restarted on the same port reconnects by itself
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
$srv = push_server_start();
$port = $srv->text;
ini_set('push.client_address', $srv->textAddress());
$inst = new Push\RemoteServer($srv->textAddress(), ['persistent' => false]);
var_dump(Push\Client::send('nobody', 'x'), $inst->send('nobody', 'x'));
$pid1 = Push\Client::getStats()['pid'];

push_server_stop($srv);
$srv = push_server_start(['text' => "tcp://127.0.0.1:$port"]);
var_dump($srv->text === $port);
var_dump(Push\Client::send('nobody', 'x'), $inst->send('nobody', 'y'));
$st = Push\Client::getStats();
var_dump($st['pid'] !== $pid1, $st['text_connections_total']);

// a server killed outright (no goodbye) is handled the same way
push_server_stop($srv, 9);
$srv = push_server_start(['text' => "tcp://127.0.0.1:$port"]);
var_dump(Push\Client::send('nobody', 'x'), $inst->getUidConnectionCount('nobody'));
?>
--EXPECT--
bool(false)
bool(false)
bool(true)
bool(false)
bool(false)
bool(true)
int(2)
bool(false)
int(0)
