<?php
/* A fresh token for this browser's uid; push.js asks for one on every reconnect. */
require __DIR__ . '/config.php';

header('Content-Type: text/plain');
header('Cache-Control: no-store');
echo Push\Client::token(demo_uid(), 300, demo_secret());
