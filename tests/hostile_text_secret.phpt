--TEST--
Hostile: the Text secret accepts exactly the secret: prefixes, extensions, same-length guesses, NUL bytes and empty ones are refused
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';
$srv = push_server_start(['text_secret' => 's3cret-Secret']);
$tries = [
	'the secret' => 's3cret-Secret',
	'escaped the same' => '\u0073\u0033cret-Secret',
	'prefix' => 's3cret-Secre',
	'longer' => 's3cret-Secrets',
	'same length, last byte' => 's3cret-Secreu',
	'same length, first byte' => 't3cret-Secret',
	'NUL inside' => 's3cret-Secret\u0000',
	'empty' => '',
];
foreach ($tries as $what => $secret) {
	$c = stream_socket_client($srv->textAddress());
	fwrite($c, "{\"auth\":\"$secret\"}\n{\"cmd\":\"ping\"}\n");
	echo str_pad($what, 26), trim((string)fgets($c)), ' / ', var_export(fgets($c) !== false, true), "\n";
}
$c = stream_socket_client($srv->textAddress());
fwrite($c, "{\"auth\":\"s3cret-Secret\"}\n{\"cmd\":\"status\"}\n");
fgets($c);
echo "refused text_auth: ", json_decode(fgets($c), true)['refused']['text_auth'], "\n";
?>
--EXPECT--
the secret                ok / true
escaped the same          ok / true
prefix                    error: unauthorized / false
longer                    error: unauthorized / false
same length, last byte    error: unauthorized / false
same length, first byte   error: unauthorized / false
NUL inside                error: unauthorized / false
empty                     error: unauthorized / false
refused text_auth: 6
