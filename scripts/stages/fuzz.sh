#!/usr/bin/env bash
# A smoke run of every fuzz target (fuzz/), FUZZ_SECONDS (default 10) each.
. "$(dirname "$0")/lib.sh"
stage "fuzz smoke run (${FUZZ_SECONDS:-10} s per target)"
if make -s -C fuzz run SECONDS="${FUZZ_SECONDS:-10}" > "$log/fuzz.txt" 2>&1; then
	echo "fuzz: ok"
	result fuzz 1 0
else
	tail -n 20 "$log/fuzz.txt"; echo "fuzz: FAILED"
	result fuzz 0 1
fi
