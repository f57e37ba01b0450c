#!/usr/bin/env bash
# tests/browser: headless Chromium driving the demo and push.js (node --test).
. "$(dirname "$0")/lib.sh"
stage "browser tests (headless Chromium)"
if [ ! -f tests/browser/package.json ]; then
	result browser 0 0 1 "no tests/browser"
	exit 0
fi
npm_install
if PUSH_SO="$root/modules/push.so" node --test tests/browser/ > "$log/browser.txt" 2>&1; then :; fi
tail -n 12 "$log/browser.txt"
count_node "$log/browser.txt"
result browser "$passed" "$failed"
