# Sourced by every stage script (scripts/stages/*.sh). A stage prints what it did and ends
# with one result line, the only line scripts/test.sh reads from it:
#   STAGE name: N passed, N failed, N skipped
#   STAGE name: 0 passed, 0 failed, 1 skipped (the reason)
# A stage that ran nothing counts one failure, unless it says why it skipped.
#
# From scripts/test.sh: PUSH_TEST_LOG is the run's log folder and push.so is built.
# Run alone (bash scripts/stages/NAME.sh), a stage builds push itself (scripts/setup.sh) and
# keeps its logs in a temporary folder removed when it ends.
set -uo pipefail
export PATH=$PATH:/usr/sbin:/sbin   # debootstrap, unshare and ss live there
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

if [ -z "${PUSH_TEST_LOG:-}" ]; then
	PUSH_TEST_LOG=$(mktemp -d)
	export PUSH_TEST_LOG
	trap 'rm -rf "$PUSH_TEST_LOG"' EXIT
	PUSH_SETUP_TEST=1 bash scripts/setup.sh >/dev/null || {
		echo "scripts/setup.sh failed"; echo "STAGE $(basename "$0" .sh): 0 passed, 1 failed, 0 skipped"; exit 1; }
fi
log=$PUSH_TEST_LOG

php=$(command -v php)
runtests=/usr/lib/php/$(php-config --phpapi)/build/run-tests.php
[ -f run-tests.php ] && runtests=$root/run-tests.php

stage() { printf '\n=== %s\n' "$*"; }

# the result line; $5: why something was skipped
result() {
	printf 'STAGE %s: %d passed, %d failed, %d skipped%s\n' "$1" "$2" "$3" "${4:-0}" "${5:+ ($5)}"
	[ "$3" = 0 ]
}

# run-tests.php's counts from its output file $1 into $passed and $failed
#   $2: where it ran (for the line it prints), $3: failures not to count (they run again),
#   $4: those tests (their lines are left out of the FAILED TEST SUMMARY and of the diffs)
passed=0
failed=0
count_phpt() {
	local out=$1 p f l s
	p=$(sed -n 's/^Tests passed *: *\([0-9]*\).*/\1/p' "$out" | tail -n 1)
	f=$(sed -n 's/^Tests failed *: *\([0-9]*\).*/\1/p' "$out" | tail -n 1)
	l=$(sed -n 's/^Tests leaked *: *\([0-9]*\).*/\1/p' "$out" | tail -n 1)
	s=$(sed -n 's/^Tests skipped *: *\([0-9]*\).*/\1/p' "$out" | tail -n 1)
	p=${p:-0}; f=$(( ${f:-0} + ${l:-0} - ${3:-0} ))
	if [ "$p" = 0 ] && [ "$f" = 0 ]; then f=1; fi   # ran nothing: that is a failure
	passed=$((passed + p)); failed=$((failed + f))
	# the summaries of the failures that stand
	awk -v skip=" ${4:-} " '
		/^(FAILED|LEAKED) TEST SUMMARY/ { inside = 1; head = $0; n = 0; next }
		inside && /^=====/ { if (n) { print head; for (i = 1; i <= n; i++) print line[i] } inside = 0; next }
		inside && !/^-/ {
			if (match($0, /\[tests\/[^]]*\.phpt\]$/) && index(skip, " " substr($0, RSTART + 1, RLENGTH - 2) " ")) next
			line[++n] = $0
		}' "$out"
	if [ "$f" != 0 ]; then
		# what differed (--show-diff), so a failure on a CI machine can be read from its log;
		# a diff is followed by its test's FAIL line: the diffs of the tests in $4 are left out
		awk -v skip=" ${4:-} " '
			/^========DIFF========/ { inside = 1; n = 0 }
			inside { block[++n] = $0; if (/^========DONE========/) { inside = 0; pending = 1 } next }
			pending && /\[[^][]*\.phpt\]/ {
				match($0, /\[[^][]*\.phpt\]/)
				if (!index(skip, " " substr($0, RSTART + 1, RLENGTH - 2) " ")) for (i = 1; i <= n; i++) print block[i]
				pending = 0
			}
			END { if (pending) for (i = 1; i <= n; i++) print block[i] }' "$out" | head -n 120
	fi
	[ "${s:-0}" = 0 ] && s= 
	echo "phpt${2:+ on $2}: $p passed, $f failed${s:+, $s skipped by their SKIPIF}"
}

# the JavaScript suites (tests/browser, tests/pusher) are one npm workspace: tests/package.json
# and one lockfile; one install per run, from the npm cache when it holds the locked versions
npm_install() {
	[ -f "$log/npm-installed" ] && return 0
	( cd tests && npm install --prefer-offline --no-audit --no-fund --silent >"$log/npm-install.txt" 2>&1 ) \
		&& touch "$log/npm-installed" || { tail -n 5 "$log/npm-install.txt"; return 1; }
}

# node --test's "# pass N" and "# fail N" from $1 into $passed and $failed (no count: a failure)
count_node() {
	local p f
	p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$1" | tail -n 1)
	f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$1" | tail -n 1)
	if [ -z "$p" ]; then p=0; f=1; fi
	if [ "$p" = 0 ] && [ "${f:-0}" = 0 ]; then f=1; fi   # ran nothing: that is a failure
	passed=$((passed + p)); failed=$((failed + ${f:-0}))
}
