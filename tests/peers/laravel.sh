#!/usr/bin/env bash
# examples/laravel end to end: installs the app with Composer (examples/laravel/install.sh) into
# LARAVEL_APP_DIR (default: a cache that later runs reuse), then runs laravel_e2e.php.
# Skipped, with the reason, when Composer cannot install Laravel.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
app=${LARAVEL_APP_DIR:-${PUSH_PEERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/push-peers}/laravel12}
if ! command -v composer >/dev/null 2>&1; then
	echo "SKIP: no composer to install laravel/laravel"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
if ! err=$(bash "$root/examples/laravel/install.sh" "$app" 2>&1 >/dev/null); then
	echo "SKIP: $err"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
echo "Laravel $(cd "$app" && php artisan --version 2>/dev/null | sed 's/^Laravel Framework //') in $app"
php "$root/tests/peers/laravel_e2e.php" "$app"
