--TEST--
The "pusher" option: apps and limits validated with clear errors; defaults and bounds accepted; status shows ids and keys, never secrets
--EXTENSIONS--
push
--FILE--
<?php
require __DIR__ . '/inc/server.inc';

$app = ['id' => 'app-id', 'key' => 'app-key', 'secret' => 'app-secret'];
$try = function (array $opts): void {
	try {
		new Push\Server($opts);
		echo "accepted\n";
	} catch (Throwable $e) {
		/* the prefix every option message shares, once */
		echo get_class($e), ': ', str_replace('Push\Server::__construct(): Argument #1 ($options) ', '', $e->getMessage()), "\n";
	}
};

echo "-- refused\n";
foreach ([
	['pusher' => 1],
	['pusher' => 'app-key'],
	['pusher' => []],
	['pusher' => ['max_payload' => 100]],
	['pusher' => ['apps' => []]],
	['pusher' => ['apps' => 'x']],
	['pusher' => ['apps' => ['a' => $app]]],
	['pusher' => ['apps' => [1 => $app]]],
	['pusher' => ['apps' => [5]]],
	['pusher' => ['apps' => [['key' => 'k', 'secret' => 's']]]],
	['pusher' => ['apps' => [['id' => 'i', 'secret' => 's']]]],
	['pusher' => ['apps' => [['id' => 'i', 'key' => 'k']]]],
	['pusher' => ['apps' => [['id' => '', 'key' => 'k', 'secret' => 's']]]],
	['pusher' => ['apps' => [['id' => 'a b', 'key' => 'k', 'secret' => 's']]]],
	['pusher' => ['apps' => [['id' => "a\0b", 'key' => 'k', 'secret' => 's']]]],
	['pusher' => ['apps' => [['id' => str_repeat('i', 65), 'key' => 'k', 'secret' => 's']]]],
	['pusher' => ['apps' => [['id' => 1.5, 'key' => 'k', 'secret' => 's']]]],
	['pusher' => ['apps' => [['id' => null, 'key' => 'k', 'secret' => 's']]]],
	['pusher' => ['apps' => [['id' => 'i', 'key' => 5, 'secret' => 's']]]],
	['pusher' => ['apps' => [['id' => 'i', 'key' => 'k/', 'secret' => 's']]]],
	['pusher' => ['apps' => [['id' => 'i', 'key' => 'é', 'secret' => 's']]]],
	['pusher' => ['apps' => [['id' => 'i', 'key' => '', 'secret' => 's']]]],
	['pusher' => ['apps' => [['id' => 'i', 'key' => 'k', 'secret' => '']]]],
	['pusher' => ['apps' => [['id' => 'i', 'key' => 'k', 'secret' => "a\0b"]]]],
	['pusher' => ['apps' => [['id' => 'i', 'key' => 'k', 'secret' => 42]]]],
	['pusher' => ['apps' => [$app + ['client_events' => 1]]]],
	['pusher' => ['apps' => [$app + ['client_events' => 'yes']]]],
	['pusher' => ['apps' => [$app + ['webhook_url' => 5]]]],
	['pusher' => ['apps' => [$app + ['webhook_url' => 'ftp://x/']]]],
	['pusher' => ['apps' => [$app + ['webhook_url' => 'http://']]]],
	['pusher' => ['apps' => [$app + ['webhook_url' => 'http://a b/']]]],
	['pusher' => ['apps' => [$app + ['nope' => 5]]]],
	['pusher' => ['apps' => [$app + [7 => 5]]]],
	['pusher' => ['apps' => [$app, $app]]],
	['pusher' => ['apps' => [$app, ['id' => 'other'] + $app]]],
	['pusher' => ['apps' => [['id' => 7] + $app, ['id' => '7', 'key' => 'k2'] + $app]]],
	['pusher' => ['apps' => [$app], 'wat' => 1]],
	['pusher' => ['apps' => [$app], 5 => 1]],
	['pusher' => ['apps' => [$app], 'max_payload' => 1048577]],
	['pusher' => ['apps' => [$app], 'max_payload' => 5000], 'max_message_out' => 4999],
] as $opts) {
	$try($opts);
}

echo "-- limits\n";
$limits = [
	'activity_timeout' => [1, 3600],
	'max_channel_name_length' => [1, 189],
	'max_event_name_length' => [1, 4096],
	'max_payload' => [1, 64 * 1024 * 1024],
	'max_channels_per_connection' => [1, 100000],
	'max_presence_members' => [1, 1000000],
	'max_member_info' => [1, 1024 * 1024],
	'client_event_rate' => [1, 100000],
	'max_batch_events' => [1, 10000],
	'max_trigger_channels' => [1, 100000],
];
foreach ($limits as $name => [$min, $max]) {
	$try(['pusher' => ['apps' => [$app], $name => $min - 1]]);
	$try(['pusher' => ['apps' => [$app], $name => $max + 1]]);
	$try(['pusher' => ['apps' => [$app], $name => (string)$min]]);
	$try(['pusher' => ['apps' => [$app], $name => $min]]);
	$try(['pusher' => ['apps' => [$app], $name => $max], 'max_message_out' => 64 * 1024 * 1024]);
}

echo "-- accepted\n";
foreach ([
	['pusher' => ['apps' => [$app]]],
	['pusher' => null],
	['pusher' => false],
	// Pusher's app ids are numbers; a null or empty webhook_url (an unset env variable) is none
	['pusher' => ['apps' => [['id' => 123456, 'key' => 'k', 'secret' => 's', 'webhook_url' => null]]]],
	['pusher' => ['apps' => [$app + ['webhook_url' => '']]]],
	['pusher' => ['apps' => [['id' => str_repeat('i', 64), 'key' => 'A-Za-z0-9_.', 'secret' => "any\xffbytes"]]]],
	// the README's example: every key, each limit at its default
	['pusher' => [
		'apps' => [
			['id' => 'app-id', 'key' => 'app-key', 'secret' => 'app-secret', 'client_events' => true, 'webhook_url' => 'http://127.0.0.1:8000/pusher/webhook'],
			['id' => 'app-2', 'key' => 'key-2', 'secret' => 'app-secret', 'client_events' => false],
		],
		'activity_timeout' => 120, 'max_channel_name_length' => 164, 'max_event_name_length' => 200,
		'max_payload' => 10240, 'max_channels_per_connection' => 100, 'max_presence_members' => 100,
		'max_member_info' => 1024, 'client_event_rate' => 10, 'max_batch_events' => 10, 'max_trigger_channels' => 100,
	]],
	['pusher' => ['apps' => [$app], 'max_payload' => 5000], 'max_message_out' => 5000],
] as $opts) {
	$try($opts);
}

echo "-- channel shares\n";
foreach ([
	['pusher' => ['apps' => [$app + ['max_channels' => 0]]]],
	['pusher' => ['apps' => [$app + ['max_channels' => 1000001]]]],
	['pusher' => ['apps' => [$app + ['max_channels' => '5']]]],
	['pusher' => ['apps' => [$app + ['max_channels' => 1]]]],
	['pusher' => ['apps' => [$app + ['max_channels' => null]]]],
	['pusher' => ['apps' => [$app], 'max_channels_per_address' => -1]],
	['pusher' => ['apps' => [$app], 'max_channels_per_address' => 1000001]],
	['pusher' => ['apps' => [$app], 'max_channels_per_address' => 0]],
	['pusher' => ['apps' => [$app], 'max_channels_per_address' => 20000]],
] as $opts) {
	$try($opts);
}

echo "-- status\n";
$dir = sys_get_temp_dir() . '/push-pusher-opt-' . getmypid();
@mkdir($dir);
$text = push_free_port();
$script = push_cli_script([
	'ws' => 'ws://127.0.0.1:' . push_free_port(), 'text' => "tcp://127.0.0.1:$text",
	'pid_file' => "$dir/push.pid", 'log_file' => "$dir/push.log",
	'pusher' => ['apps' => [
		['id' => 4242, 'key' => 'key-one', 'secret' => 'secret-one'],
		['id' => 'two', 'key' => 'key-two', 'secret' => 'secret-two'],
	]],
]);
[$code, $out] = push_cli($script, 'start -d');
echo $code, ' ', str_contains($out, 'daemon mode') ? "started\n" : $out;
[$code, $out] = push_cli($script, 'status');
echo $code, ' ', preg_match('/^  pusher apps\s+4242 \(key key-one\), two \(key key-two\)$/m', $out) ? "apps shown\n" : $out;
var_dump(str_contains($out, 'secret'));
[$code, $out] = push_cli($script, 'stop');
echo $code, ' ', str_contains($out, 'push server stopped') ? "stopped\n" : $out;
@unlink("$dir/push.log");
@rmdir($dir);
?>
--EXPECT--
-- refused
TypeError: option "pusher" must be an array like ['apps' => [['id' => .., 'key' => .., 'secret' => ..]]], int given
TypeError: option "pusher" must be an array like ['apps' => [['id' => .., 'key' => .., 'secret' => ..]]], string given
ValueError: option "pusher" needs "apps", a list like [['id' => .., 'key' => .., 'secret' => ..]]
ValueError: option "pusher" needs "apps", a list like [['id' => .., 'key' => .., 'secret' => ..]]
ValueError: option "pusher.apps" must be a non-empty list of apps
TypeError: option "pusher.apps" must be a list of apps, string given
ValueError: option "pusher.apps" must be a non-empty list of apps
ValueError: option "pusher.apps" must be a non-empty list of apps
TypeError: option "pusher.apps[0]" must be an array like ['id' => .., 'key' => .., 'secret' => ..], int given
ValueError: option "pusher.apps[0]" needs "id"
ValueError: option "pusher.apps[0]" needs "key"
ValueError: option "pusher.apps[0]" needs "secret"
ValueError: option "pusher.apps[0].id" must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' and '-'
ValueError: option "pusher.apps[0].id" must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' and '-'
ValueError: option "pusher.apps[0].id" must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' and '-'
ValueError: option "pusher.apps[0].id" must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' and '-'
TypeError: option "pusher.apps[0].id" must be of type string|int, float given
TypeError: option "pusher.apps[0].id" must be of type string|int, null given
TypeError: option "pusher.apps[0].key" must be of type string, int given
ValueError: option "pusher.apps[0].key" must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' and '-'
ValueError: option "pusher.apps[0].key" must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' and '-'
ValueError: option "pusher.apps[0].key" must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' and '-'
ValueError: option "pusher.apps[0].secret" must be a non-empty string without null bytes
ValueError: option "pusher.apps[0].secret" must be a non-empty string without null bytes
TypeError: option "pusher.apps[0].secret" must be of type string, int given
TypeError: option "pusher.apps[0].client_events" must be of type bool, int given
TypeError: option "pusher.apps[0].client_events" must be of type bool, string given
TypeError: option "pusher.apps[0].webhook_url" must be of type ?string, int given
ValueError: option "pusher.apps[0].webhook_url" must look like http://host:port/path
ValueError: option "pusher.apps[0].webhook_url" must look like http://host:port/path
ValueError: option "pusher.apps[0].webhook_url" must look like http://host:port/path
ValueError: option "pusher.apps[0]" has an unknown key "nope" (id, key, secret, client_events, webhook_url, max_channels)
ValueError: option "pusher.apps[0]" has an unknown key "7" (id, key, secret, client_events, webhook_url, max_channels)
ValueError: option "pusher.apps" has two apps with the id "app-id"
ValueError: option "pusher.apps" has two apps with the key "app-key"
ValueError: option "pusher.apps" has two apps with the id "7"
ValueError: option "pusher" has an unknown key "wat" (apps, activity_timeout, max_channel_name_length, max_event_name_length, max_payload, max_channels_per_connection, max_channels_per_address, max_presence_members, max_member_info, client_event_rate, max_batch_events, max_trigger_channels)
ValueError: option "pusher" has an unknown key "5" (apps, activity_timeout, max_channel_name_length, max_event_name_length, max_payload, max_channels_per_connection, max_channels_per_address, max_presence_members, max_member_info, client_event_rate, max_batch_events, max_trigger_channels)
ValueError: option "pusher.max_payload" must not be over "max_message_out" (1048576 bytes); raise both
ValueError: option "pusher.max_payload" must not be over "max_message_out" (4999 bytes); raise both
-- limits
ValueError: option "pusher.activity_timeout" must be between 1 and 3600
ValueError: option "pusher.activity_timeout" must be between 1 and 3600
TypeError: option "pusher.activity_timeout" must be of type int, string given
accepted
accepted
ValueError: option "pusher.max_channel_name_length" must be between 1 and 189
ValueError: option "pusher.max_channel_name_length" must be between 1 and 189
TypeError: option "pusher.max_channel_name_length" must be of type int, string given
accepted
accepted
ValueError: option "pusher.max_event_name_length" must be between 1 and 4096
ValueError: option "pusher.max_event_name_length" must be between 1 and 4096
TypeError: option "pusher.max_event_name_length" must be of type int, string given
accepted
accepted
ValueError: option "pusher.max_payload" must be between 1 and 67108864
ValueError: option "pusher.max_payload" must be between 1 and 67108864
TypeError: option "pusher.max_payload" must be of type int, string given
accepted
accepted
ValueError: option "pusher.max_channels_per_connection" must be between 1 and 100000
ValueError: option "pusher.max_channels_per_connection" must be between 1 and 100000
TypeError: option "pusher.max_channels_per_connection" must be of type int, string given
accepted
accepted
ValueError: option "pusher.max_presence_members" must be between 1 and 1000000
ValueError: option "pusher.max_presence_members" must be between 1 and 1000000
TypeError: option "pusher.max_presence_members" must be of type int, string given
accepted
accepted
ValueError: option "pusher.max_member_info" must be between 1 and 1048576
ValueError: option "pusher.max_member_info" must be between 1 and 1048576
TypeError: option "pusher.max_member_info" must be of type int, string given
accepted
accepted
ValueError: option "pusher.client_event_rate" must be between 1 and 100000
ValueError: option "pusher.client_event_rate" must be between 1 and 100000
TypeError: option "pusher.client_event_rate" must be of type int, string given
accepted
accepted
ValueError: option "pusher.max_batch_events" must be between 1 and 10000
ValueError: option "pusher.max_batch_events" must be between 1 and 10000
TypeError: option "pusher.max_batch_events" must be of type int, string given
accepted
accepted
ValueError: option "pusher.max_trigger_channels" must be between 1 and 100000
ValueError: option "pusher.max_trigger_channels" must be between 1 and 100000
TypeError: option "pusher.max_trigger_channels" must be of type int, string given
accepted
accepted
-- accepted
accepted
accepted
accepted
accepted
accepted
accepted
accepted
accepted
-- channel shares
ValueError: option "pusher.apps[0].max_channels" must be between 1 and 1000000
ValueError: option "pusher.apps[0].max_channels" must be between 1 and 1000000
TypeError: option "pusher.apps[0].max_channels" must be of type int, string given
accepted
accepted
ValueError: option "pusher.max_channels_per_address" must be between 0 and 1000000
ValueError: option "pusher.max_channels_per_address" must be between 0 and 1000000
accepted
accepted
-- status
0 started
0 apps shown
bool(false)
0 stopped
