#!/usr/bin/env bash
# The core's unit tests, built with ASan and UBSan (tests/core): one "N passed, N failed" line
# per test program, added up.
. "$(dirname "$0")/lib.sh"
stage "core unit tests (ASan/UBSan)"
if make -s -C tests/core > "$log/core.txt" 2>&1; then :; fi
tail -n 3 "$log/core.txt"
p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log/core.txt" | awk '{s += $1} END {print s + 0}')
f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log/core.txt" | awk '{s += $1} END {print s + 0}')
if [ "$p" = 0 ]; then f=$((f + 1)); fi   # ran nothing: that is a failure
grep -q '^all unit test programs passed' "$log/core.txt" || [ "$f" != 0 ] || f=1
result core "$p" "$f"
