#!/usr/bin/env bash
# tests/pusher: the Pusher protocol with pusher-js, laravel-echo, the pusher SDK and
# pusher-php-server (tests/pusher/php, Composer) against the Pusher front end.
. "$(dirname "$0")/lib.sh"
stage "Pusher protocol: pusher-js, laravel-echo, pusher SDK, pusher-php-server (tests/pusher)"
if [ ! -f tests/pusher/package.json ]; then
	result pusher 0 0 1 "no tests/pusher"
	exit 0
fi
# the locked versions, from the npm and Composer caches when they hold them
npm_install
if command -v composer >/dev/null; then
	( cd tests/pusher/php && COMPOSER_NO_INTERACTION=1 composer install --no-progress --quiet >/dev/null 2>&1 )
fi
if PUSH_SO="$root/modules/push.so" node --test --test-concurrency=1 tests/pusher/ > "$log/pusher.txt" 2>&1; then :; fi
grep -E '^ *not ok ' "$log/pusher.txt" | head -n 40
tail -n 9 "$log/pusher.txt"
count_node "$log/pusher.txt"
result pusher "$passed" "$failed"
