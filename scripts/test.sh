#!/usr/bin/env bash
# The whole test suite: builds push, then runs every stage and prints one
# summary line "N passed, N failed".
#   core unit tests (ASan/UBSan)   tests/core
#   layers                         scripts/layers.sh: the core's files call only downward
#   fuzz smoke run                 fuzz/   (FUZZ_SECONDS, default 10 per target)
#   phpt suite                     tests/*.phpt against real server processes
#   phpt suite, ASan+UBSan build   the extension rebuilt with sanitizers, USE_ZEND_ALLOC=0
#   end-to-end tests under valgrind (server and client processes)
#   soak, 60 s                     bench/soak.sh --seconds 60
#   browser tests                  headless Chromium driving the demo and push.js
#   Pusher protocol                tests/pusher: pusher-js, laravel-echo, the pusher SDK and
#                                  pusher-php-server against the Pusher front end
#   peers                          tests/peers: the recipe on Workerman (when it can be had), examples/laravel, the Pusher SDKs
#   phpt suite on other platforms  Debian chroots (scripts/chroot.sh): Debian 13 (trixie) and
#                                  sid with PHP 8.5 from experimental; root and debootstrap
#                                  needed, else skipped (PUSH_PLATFORMS="" skips them too)
set -uo pipefail
export PATH=$PATH:/usr/sbin:/sbin   # debootstrap, unshare and ss live there
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

passed=0
failed=0
log=$(mktemp -d)

PUSH_SETUP_TEST=1 bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

# the chroots are built (or found cached) in the background while the host stages run:
# debootstrap and apt are mostly waiting for the network and the disk
platforms=${PUSH_PLATFORMS-trixie sid85}
chroot_skip=
if [ -z "$platforms" ]; then
	chroot_skip="PUSH_PLATFORMS is empty"
elif [ "$(id -u)" != 0 ]; then
	chroot_skip="not root"
elif ! command -v debootstrap >/dev/null || ! command -v unshare >/dev/null; then
	chroot_skip="debootstrap (or unshare) is not installed"
else
	for p in $platforms; do
		# at the lowest CPU and I/O priority: the host stages' timing tests run meanwhile
		nice -n 19 ionice -c 3 bash scripts/chroot.sh build "$p" > "$log/chroot-build-$p.txt" 2>&1 &
		echo $! > "$log/chroot-build-$p.pid"
		sleep 1   # each waits for its own lock; staggered so the two debootstraps overlap less
	done
fi

php=$(command -v php)
runtests=/usr/lib/php/$(php-config --phpapi)/build/run-tests.php
[ -f run-tests.php ] && runtests=$root/run-tests.php

stage() { printf '\n=== %s\n' "$*"; }
count_phpt() {
	# adds run-tests.php's counts from its output file ($3: failures not to count, run again)
	local out=$1 p f l
	p=$(sed -n 's/^Tests passed *: *\([0-9]*\).*/\1/p' "$out" | tail -n 1)
	f=$(sed -n 's/^Tests failed *: *\([0-9]*\).*/\1/p' "$out" | tail -n 1)
	l=$(sed -n 's/^Tests leaked *: *\([0-9]*\).*/\1/p' "$out" | tail -n 1)
	p=${p:-0}; f=$(( ${f:-0} + ${l:-0} - ${3:-0} ))
	if [ "$p" = 0 ] && [ "$f" = 0 ]; then f=1; fi   # ran nothing: that is a failure
	passed=$((passed + p)); failed=$((failed + f))
	sed -n '/^FAILED TEST SUMMARY/,/^=====/p; /^LEAKED TEST SUMMARY/,/^=====/p' "$out" | grep -v '^[-=]' || true
	if [ "$f" != 0 ]; then
		# what differed (--show-diff), so a failure on a CI machine can be read from its log
		sed -n '/^========DIFF========/,/^========DONE========/p' "$out" | head -n 120
	fi
	echo "phpt${2:+ on $2}: $p passed, $f failed"
}

stage "core unit tests (ASan/UBSan)"
if make -s -C tests/core > "$log/core.txt" 2>&1; then :; fi
cat "$log/core.txt" | tail -n 3
# one summary line per test program: add them up
p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log/core.txt" | awk '{s += $1} END {print s + 0}')
f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log/core.txt" | awk '{s += $1} END {print s + 0}')
if [ "$p" = 0 ]; then f=$((f + 1)); fi
grep -q '^all unit test programs passed' "$log/core.txt" || [ "$f" != 0 ] || f=1
passed=$((passed + p)); failed=$((failed + f))

stage "layers of ext/core: no upward call, no circle, no .c file over 900 lines (scripts/layers.sh)"
if bash scripts/layers.sh > "$log/layers.txt" 2>&1; then
	passed=$((passed + 1)); tail -n 1 "$log/layers.txt"
else
	failed=$((failed + 1)); tail -n 20 "$log/layers.txt"; echo "layers: FAILED"
fi

stage "fuzz smoke run (${FUZZ_SECONDS:-10} s per target)"
if make -s -C fuzz run SECONDS="${FUZZ_SECONDS:-10}" > "$log/fuzz.txt" 2>&1; then
	passed=$((passed + 1)); echo "fuzz: ok"
else
	failed=$((failed + 1)); tail -n 20 "$log/fuzz.txt"; echo "fuzz: FAILED"
fi

stage "phpt suite"
TEST_PHP_EXECUTABLE=$php $php -n "$runtests" -q -j2 --show-diff \
	-d extension="$root/modules/push.so" tests/ > "$log/phpt.txt" 2>&1
count_phpt "$log/phpt.txt"

stage "phpt suite, extension built with ASan and UBSan (USE_ZEND_ALLOC=0)"
asan=$log/asan-build
mkdir -p "$asan"
cp -a config.m4 config.w32 push.c php_push.h ext stubs "$asan"/
( cd "$asan" && phpize >/dev/null && ./configure --with-push --enable-push-sanitizers >/dev/null && make -j"$(nproc)" >/dev/null ) \
	|| echo "ASan build failed"
if [ -f "$asan/modules/push.so" ] && gcc -shared -fPIC -O1 -o "$log/nodeepbind.so" tests/asan/nodeepbind.c -ldl; then
	asanlib=$(gcc -print-file-name=libasan.so)
	ubsanlib=$(gcc -print-file-name=libubsan.so)
	# no conf.d (opcache is loaded with RTLD_DEEPBIND too); the shim lets the sanitizer build load
	asan_phpt() {
		PHP_INI_SCAN_DIR= USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 PUSH_TEST_SLOWDOWN=3 \
		LD_PRELOAD="$log/nodeepbind.so $asanlib $ubsanlib" \
		ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1:abort_on_error=0:halt_on_error=1:exitcode=99 \
		LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		TEST_PHP_EXECUTABLE=$php $php -n "$runtests" -q -j2 --show-diff \
			-d extension="$asan/modules/push.so" "$@"
	}
	asan_phpt tests/ > "$log/asan.txt" 2>&1
	# LeakSanitizer's own stop-the-world tracer now and then crashes at exit ("Tracer caught
	# signal 11 ... LeakSanitizer has encountered a fatal error": no leak report, no verdict).
	# Only such tests run once more, and that run is their result; any other failure stands.
	again=
	for t in $(sed -n '/^FAILED TEST SUMMARY/,/^=====/s/.*\[\(tests\/[^]]*\.phpt\)\]$/\1/p' "$log/asan.txt"); do
		if grep -q 'LeakSanitizer has encountered a fatal error' "${t%.phpt}.out" 2>/dev/null \
			&& ! grep -q 'ERROR: \(AddressSanitizer\|LeakSanitizer: detected\)\|runtime error:' "${t%.phpt}.out"; then
			again="$again $t"
		fi
	done
	if [ -n "$again" ]; then
		echo "LeakSanitizer's tracer crashed (not a leak report) in:$again; they run again"
		asan_phpt $again > "$log/asan-again.txt" 2>&1
		n=$(echo $again | wc -w)
		# the first run's verdicts without those tests, then theirs from the second run
		count_phpt "$log/asan.txt" "" "$n"
		count_phpt "$log/asan-again.txt" "the second run"
	else
		count_phpt "$log/asan.txt"
	fi
else
	failed=$((failed + 1))
fi

stage "end-to-end tests under valgrind"
# the server processes under valgrind (the harness checks each one's report)...
PUSH_TEST_VALGRIND=1 PUSH_TEST_SLOWDOWN=5 USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 TEST_PHP_EXECUTABLE=$php $php -n "$runtests" -q --show-diff \
	-d extension="$root/modules/push.so" \
	tests/recipe_flow.phpt tests/multi_tab.phpt tests/text_malformed.phpt tests/server_callbacks.phpt \
	tests/groups_text.phpt tests/history_replay.phpt tests/auth_token.phpt tests/ws_long_messages.phpt \
	> "$log/valgrind.txt" 2>&1
count_phpt "$log/valgrind.txt"
# ...and the client side (Push\Client) with every process it starts (PCRE's JIT confuses valgrind)
PUSH_TEST_SLOWDOWN=5 USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 TEST_PHP_EXECUTABLE=$php $php -n "$runtests" -q -m --show-diff \
	-d pcre.jit=0 -d extension="$root/modules/push.so" \
	tests/client_send.phpt tests/client_persistent.phpt tests/client_groups_batch.phpt tests/client_spin.phpt \
	> "$log/valgrind-client.txt" 2>&1
count_phpt "$log/valgrind-client.txt"

stage "soak, 60 s (bench/soak.sh: two nodes, Redis restarted twice, 5,000 users, hostile clients)"
# RSS within 10 %, not 5: 4 s in (1/15 of 60 s) is before history and the cluster mirror are at
# their steady size, and each Redis restart leaves ~1 MB of allocator high-water on a 20 MB node
if bash bench/soak.sh --seconds 60 --rss-pct 10 > "$log/soak.txt" 2>&1; then
	passed=$((passed + 1)); tail -n 2 "$log/soak.txt"
else
	failed=$((failed + 1)); tail -n 25 "$log/soak.txt"; echo "soak: FAILED"
fi

stage "PECL package: package.xml up to date, pecl package, offline pecl install, php --ri push"
pk=$log/pecl
mkdir -p "$pk"
if php scripts/package.php --check && (cd "$pk" && pecl package "$root/package.xml" >/dev/null) \
	&& tgz=$(ls "$pk"/push-*.tgz) && (printf '\n' | pecl install -f "$tgz" > "$pk/install.log" 2>&1) \
	&& ri=$(php -n -d extension=push --ri push) && grep -q 'push support => enabled' <<<"$ri"; then
	passed=$((passed + 1)); echo "pecl: ok ($(basename "$tgz"))"
else
	failed=$((failed + 1)); tail -n 20 "$pk/install.log" 2>/dev/null; echo "pecl: FAILED"
fi
pecl uninstall push >/dev/null 2>&1 || true

if [ -d tests/browser ] && [ -f tests/browser/package.json ]; then
	stage "browser tests (headless Chromium)"
	( cd tests/browser && npm install --no-audit --no-fund --silent >/dev/null 2>&1 )
	if PUSH_SO="$root/modules/push.so" node --test tests/browser/ > "$log/browser.txt" 2>&1; then :; fi
	tail -n 12 "$log/browser.txt"
	p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log/browser.txt" | tail -n 1)
	f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log/browser.txt" | tail -n 1)
	if [ -z "$p" ]; then p=0; f=1; fi
	passed=$((passed + p)); failed=$((failed + f))
fi

if [ -d tests/pusher ] && [ -f tests/pusher/package.json ]; then
	stage "Pusher protocol: pusher-js, laravel-echo, pusher SDK, pusher-php-server (tests/pusher)"
	# the locked versions, from the npm and Composer caches when they hold them
	( cd tests/pusher && npm install --prefer-offline --no-audit --no-fund --silent >/dev/null 2>&1 )
	if command -v composer >/dev/null; then
		( cd tests/pusher/php && COMPOSER_NO_INTERACTION=1 composer install --no-progress --quiet >/dev/null 2>&1 )
	fi
	if PUSH_SO="$root/modules/push.so" node --test --test-concurrency=1 tests/pusher/ > "$log/pusher.txt" 2>&1; then :; fi
	grep -E '^ *not ok ' "$log/pusher.txt" | head -n 40
	tail -n 9 "$log/pusher.txt"
	p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log/pusher.txt" | tail -n 1)
	f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log/pusher.txt" | tail -n 1)
	if [ -z "$p" ]; then p=0; f=1; fi
	if [ "$p" = 0 ] && [ "${f:-0}" = 0 ]; then f=1; fi   # ran nothing: that is a failure
	passed=$((passed + p)); failed=$((failed + f))
fi

stage "peers: the recipe's push.php on Workerman beside push, examples/laravel, the Pusher SDKs (tests/peers)"
bash tests/peers/run.sh > "$log/peers.txt" 2>&1
grep -E '^(SKIP|FAIL|Workerman |Laravel )|DIFFERENT|FAILED' "$log/peers.txt"
l=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log/peers.txt" | tail -n 1)
echo "peers: ${l:-no result line}"
p=$(sed -nE 's/^([0-9]+) passed.*/\1/p' <<<"$l")
f=$(sed -nE 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/p' <<<"$l")
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))

platform_name() {
	case $1 in trixie) echo "Debian 13" ;; sid85) echo "Debian sid, PHP from experimental" ;; *) echo "$1" ;; esac
}
for p in $platforms; do
	stage "phpt suite on $(platform_name "$p") (chroot)"
	if [ -n "$chroot_skip" ]; then
		echo "skipped: $chroot_skip"
		continue
	fi
	wait "$(cat "$log/chroot-build-$p.pid")"
	rc=$?
	cat "$log/chroot-build-$p.txt"
	if [ "$rc" != 0 ]; then
		failed=$((failed + 1)); echo "chroot $p: could not be built"
		continue
	fi
	v=$(bash scripts/chroot.sh versions "$p" 2>/dev/null | sed 's/-unknown//g')
	echo "$v"
	bash scripts/chroot.sh phpt "$p" > "$log/phpt-$p.txt" 2>&1
	# push itself builds without a warning on every platform
	w=$(sed -n 's/^compiler warnings: \([0-9]*\)$/\1/p' "$log/phpt-$p.txt")
	if [ "$w" = 0 ]; then
		passed=$((passed + 1)); echo "build: no compiler warnings"
	else
		failed=$((failed + 1)); grep -m 20 'warning:' "$log/phpt-$p.txt"; echo "build: ${w:-no} compiler warnings (or no build)"
	fi
	count_phpt "$log/phpt-$p.txt" "$(platform_name "$p") ($(sed -E 's/^PHP ([^ ]+) [NZ]TS, libwebsockets ([^,]+),.*/PHP \1, libwebsockets \2/' <<<"$v"))"
done

rm -rf "$log"
echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
