#!/usr/bin/env bash
# The PECL package: package.xml up to date, pecl package, an offline pecl install of the
# package, php --ri push; then pecl uninstall.
. "$(dirname "$0")/lib.sh"
stage "PECL package: package.xml up to date, pecl package, offline pecl install, php --ri push"
pk=$log/pecl
mkdir -p "$pk"
if php scripts/package.php --check && (cd "$pk" && pecl package "$root/package.xml" >/dev/null) \
	&& tgz=$(ls "$pk"/push-*.tgz) && (printf '\n' | pecl install -f "$tgz" > "$pk/install.log" 2>&1) \
	&& ri=$(php -n -d extension=push --ri push) && grep -q 'push support => enabled' <<<"$ri"; then
	echo "pecl: ok ($(basename "$tgz"))"
	p=1 f=0
else
	tail -n 20 "$pk/install.log" 2>/dev/null; echo "pecl: FAILED"
	p=0 f=1
fi
pecl uninstall push >/dev/null 2>&1 || true
result pecl "$p" "$f"
