#!/usr/bin/env bash
# Benchmarks of push against the floor server (and peers), on this machine.
#
# For every scenario and run, each server under test is started fresh, pinned to
# one core, and driven by bench/loadgen pinned to the other core; the table
# shows the median and the spread (min-max) of each metric over the runs, and
# the ratios of the medians to the floor server's (ref), measured in the same run.
#
# usage: bench/run.sh [--scenarios LIST] [--servers LIST] [--runs N] [--quick] ...
#        bench/run.sh --help
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
BUILD=${PUSH_BENCH_BUILD:-${TMPDIR:-/tmp}/push-bench-build}
WS_PORT=${PUSH_BENCH_WS_PORT:-19234}
TEXT_PORT=${PUSH_BENCH_TEXT_PORT:-19678}
PUSH_EXT=${PUSH_BENCH_EXT:-$ROOT/modules/push.so}
PUSH_CMD=${PUSH_BENCH_PUSH_CMD:-}
SERVER_CPU=${PUSH_BENCH_SERVER_CPU:-0}
GEN_CPU=${PUSH_BENCH_GEN_CPU:-1}
RUNS=5
RUNS_SET=0
SCENARIOS=conns,unicast,cpp,paced,broadcast,php-client,pusher
SERVERS=ref,node,push
QUICK=0
MAX_CONNS=${PUSH_BENCH_MAX_CONNS:-}
QUIET_WAIT=${PUSH_BENCH_QUIET_WAIT:-}      # seconds, whole session, spent waiting for an idle machine
VERBOSE=0
TABLE_FROM=
LG_EXTRA=${PUSH_BENCH_LOADGEN_ARGS:-}
BUSY_PCT=${PUSH_BENCH_BUSY_PCT:-15}        # a run during which others used more CPU (% of a core) ...
BUSY_RETRIES=${PUSH_BENCH_BUSY_RETRIES:-}  # ... is discarded and run again, this many times at most

usage() {
	cat <<EOF
usage: bench/run.sh [options]

  --scenarios LIST   comma-separated; groups: conns (conns-1k,conns-10k,conns-max),
                     unicast (unicast-1k,unicast-10k); others: cpp, paced, broadcast,
                     php-client, pusher (the Pusher protocol: push only)
                     (default: $SCENARIOS)
  --servers LIST     ref, node, workerman, push   (default: $SERVERS)
                     ref: bench/floor, the recipe in minimal C (the floor of the ratios)
                     workerman: the recipe's push.php (bench/peers/workerman; WORKERMAN_DIR
                     or Composer; WORKERMAN_PHP_ARGS="-d extension=.../event.so" for ext-event)
  --runs N           runs per scenario and server (default 5; 1 with --quick)
  --quick            small sizes, for a smoke run
  --max-conns N      client count of conns-max (default: open-file limit - 1000)
  --push-cmd CMD     command starting the push server; WS_PORT and TEXT_PORT are
                     appended as arguments and exported as PUSH_BENCH_WS_PORT and
                     PUSH_BENCH_TEXT_PORT
                     (default: php -d extension=\$ROOT/modules/push.so \$ROOT/bench/push_bench_server.php)
  --ws-port P        WebSocket port (default $WS_PORT)
  --text-port P      Text port (default $TEXT_PORT)
  --build DIR        where loadgen, floor and results go (default $BUILD)
  --quiet-wait S     seconds in all to wait for other processes to go idle (default 120; 0 with --quick)
  --busy-pct P       a run during which other processes used more than P% of a core
                     is marked discarded=busy and run again (default $BUSY_PCT) ...
  --busy-retries N   ... at most N times (default 2; 0 with --quick: keep every run)
  --loadgen-args A   extra loadgen options for every scenario, e.g. "--spin" or "-c 512"
  --table FILE       only print the table of an earlier run's results.txt
  -v, --verbose      show loadgen's own output
  -h, --help

Environment: PUSH_BENCH_BUILD, PUSH_BENCH_WS_PORT, PUSH_BENCH_TEXT_PORT, PUSH_BENCH_PUSH_CMD,
PUSH_BENCH_EXT (push.so for php-client), PUSH_BENCH_MAX_CONNS, PUSH_BENCH_SERVER_CPU,
PUSH_BENCH_GEN_CPU, PUSH_BENCH_QUIET_WAIT, PUSH_BENCH_LOADGEN_ARGS, PUSH_BENCH_BUSY_PCT,
PUSH_BENCH_BUSY_RETRIES.
EOF
}

die() { echo "run.sh: $*" >&2; exit 2; }
note() { echo "run.sh: $*" >&2; }

while [ $# -gt 0 ]; do
	case $1 in
	--scenarios) SCENARIOS=$2; shift 2 ;;
	--scenarios=*) SCENARIOS=${1#*=}; shift ;;
	--servers) SERVERS=$2; shift 2 ;;
	--servers=*) SERVERS=${1#*=}; shift ;;
	--runs) RUNS=$2; RUNS_SET=1; shift 2 ;;
	--runs=*) RUNS=${1#*=}; RUNS_SET=1; shift ;;
	--quick) QUICK=1; shift ;;
	--max-conns) MAX_CONNS=$2; shift 2 ;;
	--max-conns=*) MAX_CONNS=${1#*=}; shift ;;
	--push-cmd) PUSH_CMD=$2; shift 2 ;;
	--push-cmd=*) PUSH_CMD=${1#*=}; shift ;;
	--ws-port) WS_PORT=$2; shift 2 ;;
	--text-port) TEXT_PORT=$2; shift 2 ;;
	--build) BUILD=$2; shift 2 ;;
	--quiet-wait) QUIET_WAIT=$2; shift 2 ;;
	--busy-pct) BUSY_PCT=$2; shift 2 ;;
	--busy-retries) BUSY_RETRIES=$2; shift 2 ;;
	--table) TABLE_FROM=$2; shift 2 ;;
	--loadgen-args) LG_EXTRA=$2; shift 2 ;;
	-v | --verbose) VERBOSE=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown option '$1'" ;;
	esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs wants a positive number"
[ $QUICK = 1 ] && [ $RUNS_SET = 0 ] && RUNS=1
# a smoke run does not wait for an idle machine nor repeat disturbed runs, unless told to
[ -z "$QUIET_WAIT" ] && QUIET_WAIT=$((QUICK ? 0 : 120))
[ -z "$BUSY_RETRIES" ] && BUSY_RETRIES=$((QUICK ? 0 : 2))
[[ $QUIET_WAIT =~ ^[0-9]+$ && $BUSY_RETRIES =~ ^[0-9]+$ && $BUSY_PCT =~ ^[0-9]+$ ]] ||
	die "--quiet-wait, --busy-retries and --busy-pct want whole numbers"

# metrics shown per scenario: key:label, comma-separated
metrics_for() {
	case $1 in
	conns-*) echo "conn_rate:connect rate (conns/s),cpu_us_per_conn:server CPU per conn (us),rss_kb_per_conn:server RSS per conn (KB),rss_probed_kb_per_conn:... after one push each (KB),rss_left_kb:RSS left after all left (KB)" ;;
	unicast-*) echo "msgs_per_s:delivered (msgs/s),cpu_us_per_msg:server CPU per msg (us)" ;;
	cpp) echo "pushes_per_s:pushes/s,cpu_us_per_push:server CPU per push (us)" ;;
	paced) echo "p50_us:latency p50 (us),p99_us:latency p99 (us),max_us:latency max (us),cpu_us_per_msg:server CPU per msg (us),srv_cpu_pct:server CPU (% of a core)" ;;
	broadcast) echo "deliveries_per_s:deliveries/s,fanout_p50_ms:fan-out time p50 (ms),cpu_us_per_delivery:server CPU per delivery (us)" ;;
	php-client) echo "recipe_sends_per_s:recipe sends/s (conn per push),client_sends_per_s:Push Client send calls/s" ;;
	pusher) echo "deliveries_per_s:deliveries/s,events_per_s:events/s (HTTP API),fanout_p50_ms:event fan-out p50 (ms),api_p50_ms:HTTP API answer p50 (ms),cpu_us_per_delivery:server CPU per delivery (us),cpu_us_per_event:server CPU per event (us),subscribe_s:connect + subscribe all (s)" ;;
	esac
}

# --- table --------------------------------------------------------------------------
print_table() { # results.txt
	local METRICS_SPEC="" bench
	for bench in $(sed -n 's/.* bench=\([^ ]*\).*/\1/p' "$1" | awk '!seen[$0]++'); do
		METRICS_SPEC+="$bench|$(metrics_for "$bench");"
	done
	local servers runs
	servers=$(for s in ref node workerman push; do grep -q "^server=$s " "$1" && printf '%s ' $s; done)
	runs=$(sed -n 's/.* run=\([0-9]*\).*/\1/p' "$1" | sort -n | tail -n 1)

	awk -v spec="$METRICS_SPEC" -v servers="$servers" -v runs="$runs" -v quick="$QUICK" '
function median(arr, n,   i, j, t, a) {
	for (i = 1; i <= n; i++) a[i] = arr[i]
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	MIN = a[1]; MAX = a[n]
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function fmt(v) {
	if (v == "") return "-"
	if (v >= 1000) return sprintf("%.0f", v)
	if (v >= 100) return sprintf("%.1f", v)
	return sprintf("%.2f", v)
}
/discarded=/ { next }
{
	srv = ""; b = ""
	for (i = 1; i <= NF; i++) {
		k = $i; sub(/=.*/, "", k); v = $i; sub(/^[^=]*=/, "", v)
		if (k == "server") srv = v
		else if (k == "bench") b = v
		F[k] = v
	}
	runs_seen[b, srv]++
	if (F["status"] != "PASS") fails[b, srv]++
	# medians and spreads only of runs that passed every check
	if (F["status"] == "PASS") for (k in F) {
		if (F[k] ~ /^-?[0-9.]+$/) { n = ++cnt[b, srv, k]; val[b, srv, k, n] = F[k] + 0 }
	}
	if (F["others_pct"] != "" && (others[b, srv] == "" || F["others_pct"] + 0 > others[b, srv])) others[b, srv] = F["others_pct"] + 0
	if (F["steal_pct"] != "" && (steal[b, srv] == "" || F["steal_pct"] + 0 > steal[b, srv])) steal[b, srv] = F["steal_pct"] + 0
	if (F["gen_cpu_pct"] != "" && (gen[b, srv] == "" || F["gen_cpu_pct"] + 0 > gen[b, srv])) gen[b, srv] = F["gen_cpu_pct"] + 0
	if (F["clients"] != "") clients[b] = F["clients"]
	delete F
}
END {
	ns = split(servers, S, " ")
	hasref = 0
	for (i = 1; i <= ns; i++) if (S[i] == "ref") hasref = 1
	printf("push benchmarks: median (min-max) of %d run%s per cell%s\n\n", runs, (runs > 1 ? "s" : ""), (quick ? ", QUICK sizes" : ""))
	hdr = sprintf("%-12s %-34s", "scenario", "metric")
	for (i = 1; i <= ns; i++) hdr = hdr sprintf(" %-28s", S[i])
	if (hasref) for (i = 1; i <= ns; i++) if (S[i] != "ref") hdr = hdr sprintf(" %9s", S[i] "/ref")
	print hdr
	line = hdr; gsub(/./, "-", line); print line
	nb = split(spec, B, ";")
	for (bi = 1; bi <= nb; bi++) {
		if (B[bi] == "") continue
		split(B[bi], P, "|"); b = P[1]
		nm = split(P[2], M, ",")
		first = 1
		for (mi = 1; mi <= nm; mi++) {
			split(M[mi], Q, ":"); key = Q[1]; label = Q[2]
			row = sprintf("%-12s %-34s", first ? b : "", label)
			first = 0
			for (i = 1; i <= ns; i++) {
				s = S[i]; n = cnt[b, s, key]
				if (n > 0) {
					for (j = 1; j <= n; j++) tmp[j] = val[b, s, key, j]
					med[s] = median(tmp, n)
					cell = fmt(med[s]) (n > 1 ? " (" fmt(MIN) "-" fmt(MAX) ")" : "")
				} else { med[s] = ""; cell = "-" }
				row = row sprintf(" %-28s", cell)
			}
			if (hasref) for (i = 1; i <= ns; i++) {
				s = S[i]; if (s == "ref") continue
				r = (med[s] != "" && med["ref"] != "" && med["ref"] > 0) ? sprintf("%.2fx", med[s] / med["ref"]) : "-"
				row = row sprintf(" %9s", r)
			}
			print row
		}
		row = sprintf("%-12s %-34s", "", "PASS runs; max gen/oth/steal CPU")
		for (i = 1; i <= ns; i++) {
			s = S[i]
			if (runs_seen[b, s] == 0) { row = row sprintf(" %-28s", "-"); continue }
			cell = sprintf("%d/%d", runs_seen[b, s] - fails[b, s], runs_seen[b, s])
			if (gen[b, s] != "") cell = cell sprintf(" gen %.0f%%", gen[b, s])
			if (others[b, s] != "") cell = cell sprintf(" oth %.0f%%", others[b, s])
			if (steal[b, s] != "") cell = cell sprintf(" st %.0f%%", steal[b, s])
			row = row sprintf(" %-28s", cell)
		}
		print row
	}
	print ""
	print "cells use only the runs that passed every check; \"-\" where none did."
	print "ratios are a server median / the ref median; for CPU, RSS and latency rows lower is better."
	print "gen: loadgen CPU (% of its core, max over runs); near 100% the generator, not the server, set the pace."
	print "oth: CPU used by other processes while measuring (% of a core, max over runs); above ~10% numbers are skewed."
	print "st: CPU time the hypervisor gave to other guests (steal, % of a core, max over runs); high steal widens latency tails."
}' "$1"
}


if [ -n "$TABLE_FROM" ]; then
	[ -f "$TABLE_FROM" ] || die "no such file: $TABLE_FROM"
	print_table "$TABLE_FROM"
	exit 0
fi

# --- limits -------------------------------------------------------------------
# The generator holds every client socket itself and the server holds the other
# end, each under the same per-process open-file limit; leave a margin for the
# server's own descriptors (listeners, event loop, PHP/Node internals).
NOFILE=$(ulimit -Hn)
[ "$NOFILE" = unlimited ] && NOFILE=1048576
ulimit -n "$NOFILE" 2>/dev/null || true
if [ -z "$MAX_CONNS" ]; then
	MAX_CONNS=$((NOFILE - 1000))
	[ $MAX_CONNS -gt 100000 ] && MAX_CONNS=100000
fi
[ $QUICK = 1 ] && MAX_CONNS=$((MAX_CONNS < 2000 ? MAX_CONNS : 2000))

# --- build ----------------------------------------------------------------------
mkdir -p "$BUILD" || die "cannot create $BUILD"
make -s -C "$BENCH" O="$BUILD" "$BUILD/loadgen" >&2 || die "building loadgen failed"
LOADGEN=$BUILD/loadgen
"$LOADGEN" selftest >/dev/null 2>&1 || die "loadgen selftest failed"

STAMP=$(date +%Y%m%d-%H%M%S)
OUT=$BUILD/results/$STAMP
mkdir -p "$OUT/logs"
RAW=$OUT/results.txt
: >"$RAW"

# --- servers --------------------------------------------------------------------
declare -A CMD
SERVER_LIST=()
IFS=, read -ra want_servers <<<"$SERVERS"
for s in "${want_servers[@]}"; do
	case $s in
	ref)
		make -s -C "$BENCH" O="$BUILD" "$BUILD/floor" >&2 || die "building the floor server failed"
		CMD[ref]="$BUILD/floor"
		SERVER_LIST+=(ref)
		;;
	node)
		if ! command -v node >/dev/null; then
			note "skipping node: node is not installed (apt-get install nodejs npm)"
			continue
		fi
		if [ ! -d "$BENCH/peers/node-ws/node_modules/ws" ]; then
			note "skipping node: the ws package is not installed (cd bench/peers/node-ws && npm install)"
			continue
		fi
		CMD[node]="node $BENCH/peers/node-ws/server.js"
		SERVER_LIST+=(node)
		;;
	workerman)
		if ! wm_err=$(bash "$BENCH/peers/workerman/find.sh" 2>&1 >/dev/null); then
			note "skipping workerman: $wm_err (set WORKERMAN_DIR to a checkout of workerman/workerman)"
			continue
		fi
		CMD[workerman]="bash $BENCH/peers/workerman/serve.sh"
		note "workerman: event loop $(php ${WORKERMAN_PHP_ARGS:-} -r 'echo extension_loaded("event") ? "event (ext-event)" : (extension_loaded("ev") ? "ev" : "select (stream_select: 1,024 descriptors at most)");')"
		SERVER_LIST+=(workerman)
		;;
	push)
		if [ -n "$PUSH_CMD" ]; then
			CMD[push]=$PUSH_CMD
		elif [ ! -f "$PUSH_EXT" ]; then
			note "skipping push: $PUSH_EXT does not exist yet (build the extension: bash scripts/setup.sh)"
			continue
		elif [ ! -f "$BENCH/push_bench_server.php" ]; then
			note "skipping push: $BENCH/push_bench_server.php does not exist"
			continue
		else
			CMD[push]="php -d extension=$PUSH_EXT $BENCH/push_bench_server.php"
		fi
		SERVER_LIST+=(push)
		;;
	*) die "unknown server '$s' (ref, node, workerman, push)" ;;
	esac
done
note "Swoole is not benchmarked: it is not packaged in Debian 12."
[ ${#SERVER_LIST[@]} -gt 0 ] || die "no server to benchmark"

alive() { # pid: running, not a zombie
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${st:0:1}" != Z ]
}

port_listening() {
	ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

SRV_PID=
SRV_PUSHER=0 # 1: the server also speaks the Pusher protocol (app-id, app-key, app-secret)
start_server() { # name logfile
	local name=$1 log=$2 cmd
	for p in $WS_PORT $TEXT_PORT; do
		local i=0
		while port_listening $p; do
			[ $i -ge 50 ] && { note "port $p is in use by another process"; return 1; }
			sleep 0.1
			i=$((i + 1))
		done
	done
	eval "cmd=(${CMD[$name]})"
	PUSH_BENCH_WS_PORT=$WS_PORT PUSH_BENCH_TEXT_PORT=$TEXT_PORT PUSH_BENCH_PUSHER=$SRV_PUSHER \
		taskset -c "$SERVER_CPU" "${cmd[@]}" "$WS_PORT" "$TEXT_PORT" </dev/null >"$log" 2>&1 &
	SRV_PID=$!
	local i=0
	while ! { port_listening $WS_PORT && port_listening $TEXT_PORT; }; do
		if ! alive $SRV_PID; then
			note "$name exited at start-up; its output:"
			tail -n 20 "$log" >&2
			SRV_PID=
			return 1
		fi
		[ $i -ge 200 ] && { note "$name did not listen on $WS_PORT and $TEXT_PORT within 20 s"; stop_server; return 1; }
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.2 # let start-up work finish before measuring from idle
	return 0
}

stop_server() {
	[ -n "$SRV_PID" ] || return 0
	kill -TERM $SRV_PID 2>/dev/null
	local i=0
	while kill -0 $SRV_PID 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL $SRV_PID 2>/dev/null
	wait $SRV_PID 2>/dev/null
	SRV_PID=
}

cleanup() {
	stop_server
	[ -n "${HOLD_PID:-}" ] && kill -TERM $HOLD_PID 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# CPU busy time (all CPUs, without steal) in clock ticks
busy_ticks() {
	awk '/^cpu /{print $2+$3+$4+$7+$8; exit}' /proc/stat
}

# wait, within the session's budget, until other processes leave the CPUs idle
QUIET_LEFT=$QUIET_WAIT
BUSY_NOTED=0
wait_quiet() {
	local hz
	hz=$(getconf CLK_TCK)
	while :; do
		local a b pct
		a=$(busy_ticks)
		sleep 0.5
		b=$(busy_ticks)
		pct=$(((b - a) * 100 * 2 / hz)) # % of one core
		[ $pct -lt 10 ] && return 0
		if [ $QUIET_LEFT -le 0 ]; then
			[ $BUSY_NOTED = 0 ] && note "warning: other processes keep the CPUs busy (${pct}% of a core); results are skewed (see others_pct)"
			BUSY_NOTED=1
			return 0
		fi
		[ $BUSY_NOTED = 0 ] && note "waiting for other processes to leave the CPUs idle (${pct}% of a core busy)"
		BUSY_NOTED=1
		sleep 2
		QUIET_LEFT=$((QUIET_LEFT - 3))
	done
}

# --- scenarios -------------------------------------------------------------------
expand_scenarios() {
	local s out=()
	IFS=, read -ra list <<<"$SCENARIOS"
	for s in "${list[@]}"; do
		case $s in
		conns) out+=(conns-1k conns-10k conns-max) ;;
		unicast) out+=(unicast-1k unicast-10k) ;;
		conns-1k | conns-10k | conns-max | unicast-1k | unicast-10k | cpp | paced | broadcast | php-client | pusher) out+=("$s") ;;
		*) die "unknown scenario '$s'" ;;
		esac
	done
	echo "${out[@]}"
}
read -ra BENCHES <<<"$(expand_scenarios)"

# loadgen arguments per scenario; "F/Q" picks F in a full run, Q with --quick
args_for() {
	local a
	case $1 in
	conns-1k) a="conns -n 1000/200" ;;
	conns-10k) a="conns -n 10000/1000" ;;
	conns-max) a="conns -n $MAX_CONNS" ;;
	unicast-1k) a="unicast -n 1000/200 -m 200000/20000 -w 4000" ;;
	unicast-10k) a="unicast -n 10000/1000 -m 200000/20000 -w 4000" ;;
	cpp) a="cpp -n 1000/100 -P 4 -m 20000/2000 -d 30/10" ;;
	paced) a="paced -n 1000/200 -r 5000/2000 -d 5/1" ;;
	broadcast) a="broadcast -n 10000/1000 -k 10/5" ;;
	php-client) a="10000/1000" ;;
	pusher) a="pusher -n 10000/1000 --channels 100 -m 20000/2000 -P 8/4" ;;
	esac
	if [ $QUICK = 0 ]; then
		sed -E 's#([0-9]+)/[0-9]+#\1#g' <<<"$a"
	else
		sed -E 's#[0-9]+/([0-9]+)#\1#g' <<<"$a"
	fi
}

LG_COMMON=(--ws "127.0.0.1:$WS_PORT" --text "127.0.0.1:$TEXT_PORT")

record() { # server bench run "key=value ..."
	echo "server=$1 bench=$2 run=$3 $4" >>"$RAW"
}

run_loadgen() { # server bench run log
	local server=$1 bench=$2 run=$3 log=$4 args line
	args=$(args_for "$bench")
	local limit=150
	[ "$bench" = cpp ] && limit=60
	# shellcheck disable=SC2086
	line=$(timeout -k 5 $limit taskset -c "$GEN_CPU" "$LOADGEN" $args $LG_EXTRA "${LG_COMMON[@]}" \
		--server-pid "$SRV_PID" --timeout $((limit - 15)) 2>>"$log" | grep '^RESULT ' | tail -n 1)
	[ $VERBOSE = 1 ] && sed 's/^/    /' "$log" >&2
	if [ -z "$line" ]; then
		record "$server" "$bench" "$run" "status=FAIL error=no-result"
		return 1
	fi
	record "$server" "$bench" "$run" "${line#RESULT }"
}

HOLD_PID=
hold_start() { # count outfile log
	: >"$2"
	taskset -c "$GEN_CPU" "$LOADGEN" conns -n 1 --hold --expect "$1" "${LG_COMMON[@]}" \
		--server-pid "$SRV_PID" --timeout 300 >"$2" 2>>"$3" &
	HOLD_PID=$!
	local i=0
	while ! grep -q '^READY' "$2"; do
		alive $HOLD_PID || { wait $HOLD_PID 2>/dev/null; HOLD_PID=; return 1; }
		[ $i -ge 100 ] && { hold_stop >/dev/null; return 1; }
		sleep 0.1
		i=$((i + 1))
	done
}

hold_stop() { # prints the loadgen RESULT line
	[ -n "$HOLD_PID" ] || return 0
	kill -TERM $HOLD_PID 2>/dev/null
	wait $HOLD_PID 2>/dev/null
	HOLD_PID=
}

get() { # key line
	sed -n "s/.*[[:space:]]$1=\\([^[:space:]]*\\).*/\\1/p" <<<" $2"
}

# one bound client held while a PHP script pushes count messages to it; adds NAME_* fields
php_sends() { # name count log php-arguments...
	local name=$1 count=$2 log=$3 out=$OUT/logs/hold.out r v
	shift 3
	if ! hold_start "$count" "$out" "$log"; then
		fields+=" ${name}_status=FAIL"
		status=FAIL
		return
	fi
	r=$(timeout -k 5 300 taskset -c "$GEN_CPU" php "$@" --uid=u0 --count="$count" 2>>"$log" |
		grep '^RESULT' | tail -n 1)
	hold_stop
	v=$(grep '^RESULT' "$out" | tail -n 1)
	fields+=" ${name}_sends_per_s=$(get sends_per_s "$r") ${name}_status=$(get status "$r") ${name}_lost=$(get lost "$v") ${name}_dup=$(get dup "$v")"
	[ "$(get status "$r")" = PASS ] && [ "$(get status "$v")" = PASS ] || status=FAIL
	echo "$name: $r / $v" >>"$log"
}

run_php_client() { # server bench run log
	local server=$1 bench=$2 run=$3 log=$4 count status=PASS fields=""
	count=$(args_for "$bench")
	# the recipe: connect / write / read / close per push
	php_sends recipe "$count" "$log" "$BENCH/php_recipe_send.php" --address="tcp://127.0.0.1:$TEXT_PORT"
	# Push\Client::send, only with the push extension
	if [ "$server" = push ] && [ -f "$PUSH_EXT" ]; then
		php_sends client "$count" "$log" -d "extension=$PUSH_EXT" \
			-d "push.client_address=tcp://127.0.0.1:$TEXT_PORT" "$BENCH/php_client_send.php"
	fi
	record "$server" "$bench" "$run" "sends=$count$fields status=$status"
}

# --- run --------------------------------------------------------------------------
note "servers: ${SERVER_LIST[*]}; scenarios: ${BENCHES[*]}; runs: $RUNS; conns-max: $MAX_CONNS clients"
note "server on CPU $SERVER_CPU, loadgen on CPU $GEN_CPU; ports $WS_PORT/$TEXT_PORT; raw results: $RAW"
T0=$(date +%s)
for bench in "${BENCHES[@]}"; do
	SRV_PUSHER=0
	if [ "$bench" = pusher ]; then
		# only servers that speak the Pusher protocol
		list=()
		for s in "${SERVER_LIST[@]}"; do
			case $s in
			push) list+=("$s") ;;
			*) note "pusher: skipped for $s (it does not speak the Pusher protocol)" ;;
			esac
		done
		SRV_PUSHER=1
	elif [ "$bench" = broadcast ]; then
		list=()
		for s in "${SERVER_LIST[@]}"; do
			[ "$s" = ref ] && { note "broadcast: skipped for ref (it has no broadcast command)"; continue; }
			[ "$s" = workerman ] && { note "broadcast: skipped for workerman (the recipe's Text port has no broadcast)"; continue; }
			list+=("$s")
		done
	else
		list=("${SERVER_LIST[@]}")
	fi
	for run in $(seq 1 "$RUNS"); do
		# servers interleaved run by run, so a drifting machine hits all alike
		for server in "${list[@]}"; do
			for attempt in $(seq 0 "$BUSY_RETRIES"); do
				log=$OUT/logs/$bench.$server.$run.$attempt.log
				wait_quiet
				if ! start_server "$server" "$OUT/logs/$bench.$server.$run.$attempt.server.log"; then
					record "$server" "$bench" "$run" "status=FAIL error=server-start"
					break
				fi
				if [ "$bench" = php-client ]; then
					run_php_client "$server" "$bench" "$run" "$log"
				else
					run_loadgen "$server" "$bench" "$run" "$log"
				fi
				if ! alive "$SRV_PID"; then
					note "$server died during $bench (run $run); see $OUT/logs/$bench.$server.$run.$attempt.server.log"
				fi
				stop_server
				last=$(tail -n 1 "$RAW")
				st=$(get status "$last")
				oth=$(get others_pct "$last")
				oth=${oth%.*}
				if [ -n "$oth" ] && [ "$oth" -gt "$BUSY_PCT" ] && [ "$attempt" -lt "$BUSY_RETRIES" ]; then
					# other processes used the CPUs meanwhile: keep the line, marked, and run again
					sed -i '$ s/$/ discarded=busy/' "$RAW"
					printf 'run.sh: %-12s %-5s run %d/%d  %s, discarded: other processes used %s%% of a core\n' \
						"$bench" "$server" "$run" "$RUNS" "$st" "$oth" >&2
					continue
				fi
				printf 'run.sh: %-12s %-5s run %d/%d  %s\n' "$bench" "$server" "$run" "$RUNS" "$st" >&2
				break
			done
		done
	done
done
note "done in $(($(date +%s) - T0)) s"

print_table "$RAW" | tee "$OUT/table.txt"
grep -v 'discarded=' "$RAW" | grep -q 'status=FAIL' && { note "some runs FAILED (lost/duplicated/misrouted messages or errors): see $RAW and $OUT/logs"; exit 1; }
exit 0
