#!/usr/bin/env bash
# Starts the demo: the push server (server.php) and PHP's built-in web server
# for this folder, prints the address to open, and stops both on Ctrl-C.
#
#   bash examples/demo/run.sh
#
# Environment: HTTP_PORT (8080), WS_PORT (1234), TEXT_PORT (5678; 0 picks free
# ports), HOST (127.0.0.1), PHP (php), PUSH_SECRET (else generated once).
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$dir/../.." && pwd)
host=${HOST:-127.0.0.1}
php=${PHP:-php}

# load the extension from the build tree unless PHP already has it
phpcmd=("$php")
if ! "$php" -m 2>/dev/null | grep -qx push; then
	so=${PUSH_SO:-$root/modules/push.so}
	if [ ! -f "$so" ]; then
		echo "push is not built: run 'bash scripts/setup.sh' (or phpize && ./configure && make) first" >&2
		exit 1
	fi
	phpcmd+=(-d "extension=$so")
fi

export PUSH_SECRET=${PUSH_SECRET:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export PUSH_DEMO_WS="ws://$host:${WS_PORT:-1234}"
export PUSH_DEMO_TEXT="tcp://127.0.0.1:${TEXT_PORT:-5678}"

# each child in its own process group: Ctrl-C reaches only this script, which
# then stops each of them once
set -m
pids=()
out=$(mktemp)
push_pid=
stop() {
	local rc=0
	trap - INT TERM EXIT
	if [ "${#pids[@]}" -gt 0 ]; then
		kill "${pids[@]}" 2>/dev/null || true
		[ -z "$push_pid" ] || wait "$push_pid" 2>/dev/null || rc=$?
		wait "${pids[@]}" 2>/dev/null || true
	fi
	rm -f "$out"
	if [ "$rc" != 0 ]; then
		echo "the push server exited with status $rc" >&2
	fi
	echo "stopped"
}
trap stop INT TERM EXIT

"${phpcmd[@]}" "$dir/server.php" > "$out" 2>&1 &
push_pid=$!
pids+=("$push_pid")
for _ in $(seq 100); do
	grep -q '^READY' "$out" && break
	kill -0 "$push_pid" 2>/dev/null || { cat "$out" >&2; exit 1; }
	sleep 0.1
done
ready=$(grep -m1 '^READY' "$out") || { cat "$out" >&2; echo "the push server did not start" >&2; exit 1; }
ws_port=${ready#*ws=}; ws_port=${ws_port%% *}
text_port=${ready##*text=}
export PUSH_DEMO_WS="ws://$host:$ws_port" PUSH_DEMO_TEXT="tcp://127.0.0.1:$text_port"
export PUSH_DEMO_PHP="$(printf '%q ' "${phpcmd[@]}")"
tail -n +2 -f "$out" &   # the push server's log
pids+=("$!")

"${phpcmd[@]}" -S "$host:${HTTP_PORT:-8080}" -t "$dir" > /dev/null 2>&1 &
web_pid=$!
pids+=("$web_pid")
for _ in $(seq 50); do
	(exec 3<>"/dev/tcp/$host/${HTTP_PORT:-8080}") 2>/dev/null && break
	kill -0 "$web_pid" 2>/dev/null || { echo "the web server did not start (is port ${HTTP_PORT:-8080} free?)" >&2; exit 1; }
	sleep 0.1
done

echo "push server: $PUSH_DEMO_WS (WebSocket), $PUSH_DEMO_TEXT (Text)"
echo "open http://$host:${HTTP_PORT:-8080}/ and press \"Start task\"; Ctrl-C stops"
wait -n "$push_pid" "$web_pid" || true   # until Ctrl-C, or one of them ends
