#!/usr/bin/env bash
# Installs what is missing, builds push, then starts the push server and the
# demo site (a page whose progress bar moves as the backend pushes).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
exec bash "$root/examples/demo/run.sh"
