#!/usr/bin/env bash
# The soak: two push nodes through Redis, thousands of users coming and going, pushes with
# history, groups, broadcasts, Redis restarted twice, hostile clients alongside (bench/soak.c).
# Prints the curve (RSS, fds, CPU of each node per interval: a minute, or 1/15 of a short run)
# and ends with "SOAK PASS" or "SOAK FAIL: reasons"; exit status 0 or 1.
#
#   bench/soak.sh [--seconds 1800] [--users 5000] [--rate 300] [--hostile 50] [--rss-pct 5]
#
# --seconds 60 is the CI version. Needs redis-server and modules/push.so.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${PUSH_BENCH_BUILD:-/tmp/push-bench-build}
SECONDS_=1800 USERS=5000 RATE=300 HOSTILE=50 RSS_PCT=5
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) SECONDS_=$2; shift 2 ;;
	--users) USERS=$2; shift 2 ;;
	--rate) RATE=$2; shift 2 ;;
	--hostile) HOSTILE=$2; shift 2 ;;
	--rss-pct) RSS_PCT=$2; shift 2 ;;
	*) echo "usage: $0 [--seconds N] [--users N] [--rate N] [--hostile N] [--rss-pct P]" >&2; exit 64 ;;
	esac
done
EXT=$ROOT/modules/push.so
[ -f "$EXT" ] || { echo "SOAK FAIL: build the extension first (bash scripts/setup.sh)"; exit 1; }
command -v redis-server >/dev/null || { echo "SOAK FAIL: needs redis-server"; exit 1; }
mkdir -p "$BUILD"
gcc -O2 -g -Wall -Wextra -o "$BUILD/soak" "$ROOT/bench/soak.c" || { echo "SOAK FAIL: cannot build the driver"; exit 1; }
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# free ports, picked by the kernel
ports=($(php -r 'for ($i = 0; $i < 5; $i++) { $s[] = $x = stream_socket_server("tcp://127.0.0.1:0"); echo substr(strrchr(stream_socket_get_name($x, false), ":"), 1), " "; }'))
RP=${ports[0]} A_WS=${ports[1]} A_TX=${ports[2]} B_WS=${ports[3]} B_TX=${ports[4]}
TTL=$(( SECONDS_ / 30 )); [ "$TTL" -lt 2 ] && TTL=2; [ "$TTL" -gt 60 ] && TTL=60
dir=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	[ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
wait_port() { for _ in $(seq 200); do ss -Hltn "sport = :$1" | grep -q . && return 0; sleep 0.05; done; echo "SOAK FAIL: port $1 never opened"; exit 1; }
redis_start() {
	redis-server --port "$RP" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
		--pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
	wait_port "$RP"
}
redis_start
# the restart the driver asks for, twice: Redis down for 2 s, then up again on the same port
cat > "$dir/restart.sh" <<SH
kill \$(cat "$dir/redis.pid"); sleep 2
redis-server --port $RP --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
SH
for n in A B; do
	ws=A_WS tx=A_TX; [ $n = B ] && ws=B_WS tx=B_TX
	php -n -d extension="$EXT" "$ROOT/bench/soak_server.php" "${!ws}" "${!tx}" "$RP" "soak-$n" "$TTL" \
		> "$dir/node_$n.log" 2>&1 &
	pids+=($!)
	wait_port "${!ws}"
done
sleep 1   # both nodes connected to Redis and heard of each other
echo "soak: ${SECONDS_} s, $USERS users, $RATE pushes/s, $((HOSTILE * 3)) hostile clients, history ttl ${TTL} s; nodes ${pids[0]} ${pids[1]}"
"$BUILD/soak" --ws "$A_WS,$B_WS" --text "$A_TX,$B_TX" --pids "${pids[0]},${pids[1]}" --secret soak-secret \
	--seconds "$SECONDS_" --users "$USERS" --rate "$RATE" --hostile "$HOSTILE" --rss-pct "$RSS_PCT" --redis-restart "bash $dir/restart.sh"
rc=$?
for n in A B; do
	if grep -qiE 'AddressSanitizer|runtime error|segfault|Fatal' "$dir/node_$n.log"; then
		echo "node $n log:"; tail -n 20 "$dir/node_$n.log"; rc=1
	fi
done
[ "$rc" -le 1 ] || echo "SOAK FAIL: the driver stopped (status $rc)"
exit $(( rc != 0 ))
