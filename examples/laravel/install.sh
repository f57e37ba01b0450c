#!/usr/bin/env bash
# Makes the smallest Laravel app with this folder's controller in DIR: bash install.sh DIR
#   Laravel 12 (laravel/laravel ^12.0: the newest major that runs on PHP 8.2; 13 needs 8.3),
#   from Composer, without dev packages (their newest versions need PHP 8.3 too); then this
#   folder's app/ and routes/ copied over, an .env without database (sessions and cache in
#   arrays) and an app key. A DIR that already holds the app is only updated with our files.
# Exit 1 with the reason on stderr when Composer cannot install it.
set -eu
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir=${1:?usage: install.sh DIR}
export COMPOSER_NO_INTERACTION=1
if [ ! -f "$dir/vendor/laravel/framework/composer.json" ]; then
	rm -rf "$dir"
	mkdir -p "$(dirname "$dir")"
	if ! out=$(timeout 600 composer create-project --no-install --no-scripts --no-progress laravel/laravel "$dir" '^12.0' 2>&1); then
		echo "Composer could not get laravel/laravel ^12.0: $(printf '%s\n' "$out" | grep -m1 -E 'Could not|could not|requires' | sed 's/^[ -]*//')" >&2
		exit 1
	fi
	php -r '$f = $argv[1]; $j = json_decode(file_get_contents($f)); unset($j->{"require-dev"});
		file_put_contents($f, json_encode($j, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");' "$dir/composer.json"
	if ! out=$(cd "$dir" && timeout 900 composer update --no-dev --no-progress --no-scripts 2>&1); then
		echo "Composer could not install Laravel 12: $(printf '%s\n' "$out" | grep -m1 -E 'requires|could not|Could not' | sed 's/^[ -]*//')" >&2
		rm -rf "$dir"
		exit 1
	fi
fi
cp -r "$here/app" "$here/routes" "$dir/"
sed -e 's/^DB_CONNECTION=.*/DB_CONNECTION=null/' -e 's/^SESSION_DRIVER=.*/SESSION_DRIVER=array/' \
	-e 's/^CACHE_STORE=.*/CACHE_STORE=array/' -e 's/^QUEUE_CONNECTION=.*/QUEUE_CONNECTION=sync/' \
	"$dir/.env.example" >"$dir/.env"
(cd "$dir" && php artisan key:generate --force -q)
echo "$dir"
