#!/usr/bin/env bash
# The whole test suite: builds push, then runs every stage (scripts/stages/NAME.sh) and prints
# one summary line "N passed, N failed, N skipped", the skipped stages and why named above it.
#   bash scripts/test.sh                 everything (the README's test command; ~15 min, root)
#   bash scripts/test.sh phpt pusher     only these stages (or: bash scripts/stages/phpt.sh)
#
#   core        core unit tests (ASan/UBSan)       tests/core
#   layers      scripts/layers.sh: the core's files call only downward
#   fuzz        fuzz smoke run                     fuzz/   (FUZZ_SECONDS, default 10 per target)
#   phpt        phpt suite                         tests/*.phpt against real server processes
#   phpt_asan   phpt suite, ASan+UBSan build       the extension rebuilt with sanitizers, USE_ZEND_ALLOC=0
#   valgrind    end-to-end tests under valgrind (server and client processes)
#   soak        soak, 60 s                         bench/soak.sh --seconds 60
#   pecl        package.xml, pecl package, offline pecl install, php --ri push
#   browser     browser tests                      headless Chromium driving the demo and push.js
#   pusher      Pusher protocol                    tests/pusher: pusher-js, laravel-echo, the pusher SDK
#                                                  and pusher-php-server against the Pusher front end
#   peers       tests/peers: the recipe on Workerman (when it can be had), examples/laravel, the Pusher SDKs
#   chroot      phpt suite on other platforms      Debian chroots (scripts/chroot.sh): Debian 13 (trixie)
#                                                  and sid with PHP 8.5 from experimental; root and
#                                                  debootstrap needed, else skipped (PUSH_PLATFORMS=""
#                                                  skips them too); built in the background from the start
#
# Each stage ends with "STAGE name: N passed, N failed, N skipped[ (why skipped)]"; this adds
# them up. A stage that prints no such line counts one failure.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

all="core layers fuzz phpt phpt_asan valgrind soak pecl browser pusher peers chroot"
stages=${*:-$all}
for s in $stages; do
	[ -f "scripts/stages/$s.sh" ] || { echo "no stage '$s' (stages: $all)"; exit 2; }
done

PUSH_TEST_LOG=$(mktemp -d)
export PUSH_TEST_LOG
trap 'rm -rf "$PUSH_TEST_LOG"' EXIT

PUSH_SETUP_TEST=1 bash scripts/setup.sh || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

# the chroots are built (or found cached) in the background while the host stages run:
# debootstrap and apt are mostly waiting for the network and the disk
case " $stages " in *" chroot "*) bash scripts/stages/chroot.sh start ;; esac

results=$PUSH_TEST_LOG/results
: > "$results"
for s in $stages; do
	bash "scripts/stages/$s.sh" | tee "$PUSH_TEST_LOG/stage-$s.txt"
	if ! grep -q '^STAGE ' "$PUSH_TEST_LOG/stage-$s.txt"; then
		echo "STAGE $s: 0 passed, 1 failed, 0 skipped" | tee -a "$PUSH_TEST_LOG/stage-$s.txt"
	fi
	grep '^STAGE ' "$PUSH_TEST_LOG/stage-$s.txt" >> "$results"
done

echo
echo "=== summary"
re='^STAGE ([^:]+): ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped( \((.*)\))?$'
passed=0 failed=0 skipped=0 named=
while IFS= read -r l; do
	echo "$l"
	if [[ $l =~ $re ]]; then
		passed=$((passed + BASH_REMATCH[2])); failed=$((failed + BASH_REMATCH[3]))
		skipped=$((skipped + BASH_REMATCH[4]))
		[ "${BASH_REMATCH[4]}" = 0 ] || named+="skipped: ${BASH_REMATCH[1]} (${BASH_REMATCH[4]}): ${BASH_REMATCH[6]:-no reason given}"$'\n'
	else
		failed=$((failed + 1))
	fi
done < "$results"
echo
printf '%s' "$named"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
