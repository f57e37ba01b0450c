#!/usr/bin/env bash
# Cross-node pushes in cluster mode: clients on node A, pipelined pushes written to
# node B's Text port, carried by Redis. Prints loadgen's RESULT line per run and
# the median delivered msgs/s.
#
#   bench/cross_node.sh [--runs 3] [--clients 1000] [--pushes 100000]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${PUSH_BENCH_BUILD:-/tmp/push-bench-build}
RUNS=3 CLIENTS=1000 PUSHES=100000
while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=$2; shift 2 ;;
	--clients) CLIENTS=$2; shift 2 ;;
	--pushes) PUSHES=$2; shift 2 ;;
	*) echo "usage: $0 [--runs N] [--clients N] [--pushes N]" >&2; exit 64 ;;
	esac
done
make -s -C "$ROOT/bench" O="$BUILD" >/dev/null
EXT=$ROOT/modules/push.so
[ -f "$EXT" ] || { echo "build the extension first (bash scripts/setup.sh)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "needs redis-server (apt-get install redis-server)" >&2; exit 1; }

RP=29379 A_WS=29234 A_TX=29678 B_WS=29235 B_TX=29679
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
wait_port() { for _ in $(seq 100); do ss -Hltn "sport = :$1" | grep -q . && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; exit 1; }

node() { # ws text id
	cat > "$BUILD/node_$3.php" <<PHP
<?php
\$s = new Push\\Server(['ws' => 'ws://127.0.0.1:$1', 'text' => 'tcp://127.0.0.1:$2', 'redis' => 'redis://127.0.0.1:$RP', 'node_id' => '$3']);
\$s->run();
PHP
	taskset -c 0 php -d extension="$EXT" "$BUILD/node_$3.php" >"$BUILD/node_$3.log" 2>&1 &
	pids+=($!)
	wait_port "$1"
}

rates=()
for run in $(seq "$RUNS"); do
	redis-server --port $RP --bind 127.0.0.1 --save "" --appendonly no >/dev/null 2>&1 &
	pids+=($!)
	wait_port $RP
	node $A_WS $A_TX A
	node $B_WS $B_TX B
	out=$(taskset -c 1 "$BUILD/loadgen" unicast --ws 127.0.0.1:$A_WS --text 127.0.0.1:$B_TX \
		--clients "$CLIENTS" --pushes "$PUSHES" --label "cross-node-$run" 2>/dev/null | grep '^RESULT')
	echo "$out"
	rates+=("$(sed -n 's/.* msgs_per_s=\([0-9.]*\).*/\1/p' <<<"$out")")
	cleanup
	pids=()
	sleep 0.5
done
printf '%s\n' "${rates[@]}" | sort -n | awk '{v[NR]=$1} END {printf "cross-node unicast (%d clients on A, pushes through B): median %.0f msgs/s over %d runs (min %.0f, max %.0f)\n", '"$CLIENTS"', v[int((NR+1)/2)], NR, v[1], v[NR]}'
