#!/bin/sh
# Regenerates stubs/push_arginfo.h from stubs/push.stub.php with the gen_stub.php
# that php-dev ships, using Debian's php-parser package instead of a download.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
gen=$(php-config --extension-dir | sed 's|/[^/]*$||')/$(php-config --phpapi)/build/gen_stub.php
[ -f "$gen" ] || gen=/usr/lib/php/$(php-config --phpapi)/build/gen_stub.php
[ -d /usr/share/php/PhpParser ] || { echo "needs Debian's php-parser: apt-get install php-parser" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$gen" "$tmp/gen_stub.php"
version=$(sed -n 's/.*\$version = "\([0-9.]*\)";.*/\1/p' "$gen" | head -n 1)
mkdir -p "$tmp/PHP-Parser-$version/lib"
ln -s /usr/share/php/PhpParser "$tmp/PHP-Parser-$version/lib/PhpParser"
php "$tmp/gen_stub.php" -f "$here/push.stub.php"
