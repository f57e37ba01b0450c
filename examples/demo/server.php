<?php
/*
 * The demo's push server: token mode (pages get a token from index.php or
 * token.php), missed-message replay on, and an "online" count broadcast to
 * every page when someone comes or goes.
 *
 *   php server.php        (run.sh starts it and the web server together)
 */
require __DIR__ . '/config.php';

$server = new Push\Server([
	'ws'      => demo_ws(),
	'text'    => demo_text(),
	'secret'  => demo_secret(),
	'history' => ['size' => 100, 'ttl' => 300],
]);

$online = function () use ($server) {
	$server->broadcast(json_encode(['online' => $server->getAllUidCount()]));
};
$server->onConnect($online);
$server->onClose($online);
$server->onStart(function (Push\Server $s) {
	echo 'READY ws=', $s->getWsPort(), ' text=', $s->getTextPort(), "\n";
});
$server->run();
