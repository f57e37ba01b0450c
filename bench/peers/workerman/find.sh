#!/usr/bin/env bash
# Prints the Workerman to run the recipe's push.php with, installing it with Composer if needed:
#   WORKERMAN_DIR (a checkout of workerman/workerman, or a Composer project), else this folder's
#   vendor/ (composer install here). Exit 1, with the reason on stderr, when there is none.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -n "${WORKERMAN_DIR:-}" ]; then
	if [ -f "$WORKERMAN_DIR/vendor/autoload.php" ] || [ -f "$WORKERMAN_DIR/Autoloader.php" ] || [ -f "$WORKERMAN_DIR/src/Worker.php" ]; then
		echo "$WORKERMAN_DIR"
		exit 0
	fi
	echo "WORKERMAN_DIR=$WORKERMAN_DIR holds no Workerman" >&2
	exit 1
fi
if [ ! -f "$here/vendor/autoload.php" ]; then
	if ! command -v composer >/dev/null 2>&1; then
		echo "no composer to install workerman/workerman" >&2
		exit 1
	fi
	if ! out=$(cd "$here" && COMPOSER_NO_INTERACTION=1 timeout 300 composer install --no-progress --no-dev 2>&1 \
			|| COMPOSER_NO_INTERACTION=1 timeout 300 composer update --no-progress --no-dev 2>&1); then
		echo "Composer could not install workerman/workerman: $(printf '%s\n' "$out" | grep -m1 -E 'Root composer.json requires|could not be found|Could not' | sed 's/^[ -]*//')" >&2
		exit 1
	fi
fi
echo "$here"
