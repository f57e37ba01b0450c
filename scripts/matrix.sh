#!/usr/bin/env bash
# Builds PHP from a source tree (outside this repository), builds push against it and
# runs the phpt suite; for a thread-safe build also the embed test of tests/zts (8 threads
# of Push\Client::send() in one process, as FrankenPHP runs PHP). Not part of CI: the PHP
# source is not reachable there.
#
#   bash scripts/matrix.sh PHP_SOURCE_TREE nts|zts
#
# PHP_SOURCE_TREE is a php-src checkout or export (a release tag, e.g. php-8.1.2). PHP is
# built once into $PUSH_MATRIX_DIR/<version>-<nts|zts> (default /var/cache/push-php) and
# reused; PUSH_MATRIX_REBUILD=1 builds it again. JOBS (default 2) is make's -j.
# The last line is the result, for the README's "Tested on" table:
#   PHP 8.1.2 ZTS, libwebsockets 4.1.6: phpt 63 passed, 0 failed; embed 5 passed, 0 failed
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src=${1:-}
kind=${2:-nts}
jobs=${JOBS:-2}
dir=${PUSH_MATRIX_DIR:-/var/cache/push-php}

die() { echo "matrix: $*" >&2; exit 1; }
[ -n "$src" ] && [ -f "$src/main/php_version.h" ] || die "usage: $0 PHP_SOURCE_TREE nts|zts (no main/php_version.h in '${src}')"
case "$kind" in nts|zts) ;; *) die "the second argument is nts or zts, not '$kind'" ;; esac
src=$(cd "$src" && pwd)
version=$(sed -n 's/^#define PHP_VERSION "\(.*\)"/\1/p' "$src/main/php_version.h")
[ -n "$version" ] || die "no PHP_VERSION in $src/main/php_version.h"
prefix=$dir/$version-$kind
build=$dir/build-$version-$kind
pushdir=$dir/push-$version-$kind
KIND=$(echo "$kind" | tr a-z A-Z)
mkdir -p "$dir" || die "cannot create $dir"

# ---------------------------------------------------------------- PHP ---
# what the phpt suite uses: posix and pcntl (signals to servers), sockets, openssl (wss://)
php_options="--prefix=$prefix --disable-all --enable-cli --disable-cgi --disable-phpdbg --without-pear
	--enable-posix --enable-pcntl --enable-sockets --with-openssl --enable-ctype --enable-tokenizer"
[ "$kind" = zts ] && php_options="$php_options --enable-zts --enable-embed"

if [ ! -x "$prefix/bin/php" ] || [ -n "${PUSH_MATRIX_REBUILD:-}" ]; then
	echo "== building PHP $version $KIND in $build (log: $build/build.log)"
	rm -rf "$build" "$prefix"
	mkdir -p "$build"
	(cd "$src" && tar --exclude=.git -cf - .) | (cd "$build" && tar -xf -) || die "cannot copy $src"
	# a git export has no generated parsers and scanners (a release tarball has them)
	if [ ! -f "$build/Zend/zend_language_parser.c" ] || [ ! -f "$build/Zend/zend_language_scanner.c" ]; then
		for tool in bison re2c; do
			command -v "$tool" >/dev/null || die "$src is not a release tarball (no generated Zend parser): install $tool (apt-get install bison re2c)"
		done
	fi
	if [ ! -f "$build/ext/date/lib/timezonedb.h" ]; then
		# repository snapshots may lack this generated 4 MB file: build the zone
		# database from the system's TZif files instead (no countries or comments)
		echo "   ext/date/lib/timezonedb.h is missing: made from /usr/share/zoneinfo"
		python3 - /usr/share/zoneinfo > "$build/ext/date/lib/timezonedb.h" <<'PY' || die "cannot make timezonedb.h"
import os, sys
root = sys.argv[1]
names = []
for d, _, files in os.walk(root):
    rel = os.path.relpath(d, root)
    if rel.split(os.sep)[0] in ('posix', 'right'):
        continue
    for f in files:
        name = f if rel == '.' else os.path.join(rel, f)
        with open(os.path.join(root, name), 'rb') as fh:
            head = fh.read(5)
        if head[:4] == b'TZif' and head[4:5] in (b'2', b'3', b'4'):
            names.append(name)
names.sort(key=str.lower)   # timelib looks zones up by case-insensitive binary search
data = bytearray()
out = sys.stdout
out.write('/* made by scripts/matrix.sh from %s */\n' % root)
out.write('const timelib_tzdb_index_entry timezonedb_idx_builtin[%d] = {\n' % len(names))
for n in names:
    out.write('\t{ (char*) "%s", 0x%06X },\n' % (n, len(data)))
    with open(os.path.join(root, n), 'rb') as fh:
        tzif = fh.read()
    # PHP's own entry: "PHP" + version, a listed-zone flag, a country code, 13 spare bytes
    # (in place of TZif's 20-byte header), the TZif data, then latitude, longitude and
    # comment length (0, 0 and none)
    data += b'PHP' + tzif[4:5] + b'\x01??' + bytes(13) + tzif[20:]
    data += (90 * 100000).to_bytes(4, 'big') + (180 * 100000).to_bytes(4, 'big') + bytes(4)
out.write('};\n\nconst unsigned char timelib_timezone_db_data_builtin[%d] = {\n' % len(data))
for i in range(0, len(data), 16):
    out.write(','.join('0x%02X' % b for b in data[i:i + 16]) + ',\n')
out.write('};\n\nconst timelib_tzdb timezonedb_builtin = { "0.system", %d, timezonedb_idx_builtin, '
          'timelib_timezone_db_data_builtin };\n' % len(names))
PY
	fi
	(
		cd "$build" || exit 1
		[ -x configure ] || ./buildconf --force || exit 1
		# shellcheck disable=SC2086
		./configure $php_options && make -j"$jobs" && make install
	) > "$build/build.log" 2>&1 || { tail -n 30 "$build/build.log"; die "PHP $version $KIND did not build"; }
fi
php=$prefix/bin/php
"$php" -v | head -n 1

# --------------------------------------------------------------- push ---
echo "== building push against PHP $version $KIND in $pushdir"
rm -rf "$pushdir"
mkdir -p "$pushdir"
(cd "$root" && git ls-files -z | xargs -0 tar -cf -) | (cd "$pushdir" && tar -xf -) || die "cannot copy push"
(
	cd "$pushdir" || exit 1
	"$prefix/bin/phpize" && ./configure --with-php-config="$prefix/bin/php-config" --with-push && make -j"$jobs"
) > "$pushdir/build.log" 2>&1 || { tail -n 30 "$pushdir/build.log"; die "push did not build against PHP $version $KIND"; }
grep -E '^[^ ]+\.[ch]:[0-9]+:[0-9]+: warning' "$pushdir/build.log" | head -n 20
so=$pushdir/modules/push.so
lws=$(pkg-config --modversion libwebsockets 2>/dev/null | sed "s/-$//" || echo unknown)

# --------------------------------------------------------------- phpt ---
echo "== phpt suite"
log=$pushdir/phpt.txt
(cd "$pushdir" && TEST_PHP_EXECUTABLE="$php" "$php" -n "$src/run-tests.php" -q -j"$jobs" --show-diff \
	-d extension="$so" tests/) > "$log" 2>&1
p=$(sed -n 's/^Tests passed *: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
f=$(sed -n 's/^Tests failed *: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
l=$(sed -n 's/^Tests leaked *: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
p=${p:-0}; f=$(( ${f:-0} + ${l:-0} ))
[ "$p" = 0 ] && [ "$f" = 0 ] && f=1
sed -n '/^FAILED TEST SUMMARY/,/^=====/p' "$log" | grep -v '^[-=]'
result="PHP $version $KIND, libwebsockets $lws: phpt $p passed, $f failed"
status=0
[ "$f" = 0 ] || status=1

# --------------------------------------------------------- embed (ZTS) ---
if [ "$kind" = zts ]; then
	echo "== embed test: ${ZTS_THREADS:-8} threads of Push\\Client::send() in one process"
	cc -g -O1 -Wall -o "$pushdir/embed_threads" "$root/tests/zts/embed_threads.c" \
		$("$prefix/bin/php-config" --includes) -L"$prefix/lib" -lphp -lpthread -Wl,-rpath,"$prefix/lib" \
		|| die "tests/zts/embed_threads.c did not build"
	"$php" -n -d extension="$so" "$root/tests/zts/run.php" "$pushdir/embed_threads" "$so" \
		"${ZTS_THREADS:-8}" "${ZTS_REQUESTS:-20}" "${ZTS_SENDS:-50}" | tee "$pushdir/embed.txt"
	ep=$(sed -n 's/^embed: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$pushdir/embed.txt")
	ef=$(sed -n 's/^embed: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$pushdir/embed.txt")
	[ -n "$ep" ] || { ep=0; ef=1; }
	result="$result; embed $ep passed, $ef failed"
	[ "$ef" = 0 ] || status=1
fi
echo "$result"
exit $status
