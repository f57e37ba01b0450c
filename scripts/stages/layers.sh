#!/usr/bin/env bash
# scripts/layers.sh: the core's files call only downward, no circle, no .c file over 900 lines.
. "$(dirname "$0")/lib.sh"
stage "layers of ext/core: no upward call, no circle, no .c file over 900 lines (scripts/layers.sh)"
if bash scripts/layers.sh > "$log/layers.txt" 2>&1; then
	tail -n 1 "$log/layers.txt"
	result layers 1 0
else
	tail -n 20 "$log/layers.txt"; echo "layers: FAILED"
	result layers 0 1
fi
