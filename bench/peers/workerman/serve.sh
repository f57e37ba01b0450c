#!/usr/bin/env bash
# The recipe's push.php on Workerman, for bench/run.sh: serve.sh WS_PORT TEXT_PORT
#   WORKERMAN_DIR (or Composer, see find.sh) says which Workerman; WORKERMAN_PHP_ARGS adds
#   php options, e.g. "-d extension=/path/to/event.so" for the event loop instead of select.
# Runs in the foreground; SIGTERM (or SIGINT) stops the master and its worker.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir=$(bash "$here/find.sh") || exit 1
run="${TMPDIR:-/tmp}/workerman-bench-${1:-1234}"      # pid, status and log files; one per port, reused
mkdir -p "$run"
export WORKERMAN_DIR="$dir" RECIPE_WS_PORT="${1:-1234}" RECIPE_TEXT_PORT="${2:-5678}" RECIPE_RUN_DIR="$run"
# shellcheck disable=SC2086
exec php ${WORKERMAN_PHP_ARGS:-} "$here/push.php" start
