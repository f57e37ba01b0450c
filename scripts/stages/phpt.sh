#!/usr/bin/env bash
# The phpt suite (tests/*.phpt) against real server processes.
. "$(dirname "$0")/lib.sh"
stage "phpt suite"
TEST_PHP_EXECUTABLE=$php $php -n "$runtests" -q -j2 --show-diff \
	-d extension="$root/modules/push.so" tests/ > "$log/phpt.txt" 2>&1
count_phpt "$log/phpt.txt"
result phpt "$passed" "$failed"
