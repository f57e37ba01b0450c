#!/usr/bin/env bash
# tests/peers: the recipe's push.php on Workerman beside push, examples/laravel, the Pusher
# SDKs. A peer that cannot be had is skipped, with its reason (run.sh's SKIP lines), and counted.
. "$(dirname "$0")/lib.sh"
stage "peers: the recipe's push.php on Workerman beside push, examples/laravel, the Pusher SDKs (tests/peers)"
bash tests/peers/run.sh > "$log/peers.txt" 2>&1
grep -E '^(SKIP|FAIL|Workerman |Laravel )|DIFFERENT|FAILED' "$log/peers.txt"
l=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log/peers.txt" | tail -n 1)
echo "peers: ${l:-no result line}"
p=$(sed -nE 's/^([0-9]+) passed.*/\1/p' <<<"$l")
f=$(sed -nE 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/p' <<<"$l")
s=$(sed -nE 's/.*, ([0-9]+) skipped.*/\1/p' <<<"$l")
reasons=$(sed -n 's/^SKIP: *//p' "$log/peers.txt" | paste -sd ';' | sed 's/;/; /g')
n=$(grep -c '^SKIP' "$log/peers.txt")
[ "${s:-0}" -ge "$n" ] || s=$n
result peers "${p:-0}" "${f:-1}" "${s:-0}" "$reasons"
