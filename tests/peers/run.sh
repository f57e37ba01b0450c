#!/usr/bin/env bash
# Tests of push against what it replaces and what it serves, with real peers installed on demand:
#   recipe_diff.php   the recipe's push.php on Workerman beside examples/push_server.php on push
#   laravel.sh        examples/laravel: a Laravel controller calling Push\Client::send
#   pusher_sdk.sh     the Pusher HTTP API through pusher/pusher-php-server and the pusher npm SDK
# Each prints its checks and "N passed, N failed"; one that cannot get its peer (Composer's
# registry lacks the package and no local copy is given) says why and counts as skipped.
# Ends with the sum: "N passed, N failed, N skipped". Exit 1 when a check failed.
#
#   bash tests/peers/run.sh     (PUSH_SO=modules/push.so; WORKERMAN_DIR=<a Workerman checkout>)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PUSH_SO="${PUSH_SO:-$root/modules/push.so}"
pass=0 fail=0 skip=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

count() {   # adds the "N passed, N failed[, N skipped]" line of $log
	local line p f s
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "  (no result line: counted as one failure)"
		fail=$((fail + 1))
		return
	fi
	p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
	s=$(sed -nE 's/.*, ([0-9]+) skipped.*/\1/p' <<<"$line")
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + ${s:-0}))
}

echo "== the recipe on Workerman against push (tests/peers/recipe_diff.php)"
if wm=$(bash "$root/bench/peers/workerman/find.sh" 2>"$log.err"); then
	WORKERMAN_DIR="$wm" php "$root/tests/peers/recipe_diff.php" >"$log" 2>&1
	cat "$log"
	count
else
	echo "SKIP: $(cat "$log.err") (set WORKERMAN_DIR to a checkout of workerman/workerman to run it)"
	skip=$((skip + 1))
fi
rm -f "$log.err"

if [ -f "$root/tests/peers/laravel.sh" ]; then
	echo
	echo "== examples/laravel end to end (tests/peers/laravel.sh)"
	bash "$root/tests/peers/laravel.sh" >"$log" 2>&1
	cat "$log"
	count
fi

if [ -f "$root/tests/peers/pusher_sdk.sh" ]; then
	echo
	echo "== the Pusher HTTP API through pusher/pusher-php-server and the pusher npm SDK (tests/peers/pusher_sdk.sh)"
	bash "$root/tests/peers/pusher_sdk.sh" >"$log" 2>&1
	cat "$log"
	count
fi

echo
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
