#!/usr/bin/env bash
# The Pusher server SDKs against push's Pusher HTTP API: pusher/pusher-php-server (Composer, the
# library Laravel's pusher and reverb broadcasters use) and the pusher npm package, installed into
# a cache that later runs reuse (PUSH_PEERS_CACHE), then tests/peers/pusher_sdk.php drives both.
# An SDK that cannot be installed is skipped with the reason.
#
#   bash tests/peers/pusher_sdk.sh      (PUSH_SO: the extension)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache=${PUSH_PEERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/push-peers}
php_dir=$cache/pusher-php-server
node_dir=$cache/pusher-npm
export PUSH_SO="${PUSH_SO:-$root/modules/push.so}"

if ! command -v composer >/dev/null 2>&1; then
	echo "SKIP: no composer to install pusher/pusher-php-server"
	php_dir=
elif [ ! -f "$php_dir/vendor/pusher/pusher-php-server/composer.json" ]; then
	rm -rf "$php_dir" && mkdir -p "$php_dir"
	if ! out=$(cd "$php_dir" && COMPOSER_NO_INTERACTION=1 timeout 600 composer require --no-progress \
			'pusher/pusher-php-server:^7.2' 2>&1); then
		echo "SKIP: Composer could not install pusher/pusher-php-server: $(printf '%s\n' "$out" \
			| grep -m1 -E 'Could not|could not|requires' | sed 's/^[ -]*//')"
		rm -rf "$php_dir"
		php_dir=
	fi
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
	echo "SKIP: no npm and node to install the pusher npm package"
	node_dir=
elif [ ! -f "$node_dir/node_modules/pusher/package.json" ]; then
	rm -rf "$node_dir" && mkdir -p "$node_dir"
	if ! out=$(cd "$node_dir" && echo '{"private":true}' >package.json \
			&& timeout 600 npm install --no-audit --no-fund 'pusher@^5' 2>&1); then
		echo "SKIP: npm could not install pusher: $(printf '%s\n' "$out" | grep -m1 -i 'err' )"
		rm -rf "$node_dir"
		node_dir=
	fi
fi
php "$root/tests/peers/pusher_sdk.php" "$php_dir" "$node_dir"
