#!/usr/bin/env bash
# End-to-end tests under valgrind: the server processes (the harness checks each one's report),
# then the client side (Push\Client) with every process it starts (run-tests.php -m).
. "$(dirname "$0")/lib.sh"
stage "end-to-end tests under valgrind"
PUSH_TEST_VALGRIND=1 PUSH_TEST_SLOWDOWN=5 USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 TEST_PHP_EXECUTABLE=$php $php -n "$runtests" -q --show-diff \
	-d extension="$root/modules/push.so" \
	tests/recipe_flow.phpt tests/multi_tab.phpt tests/text_malformed.phpt tests/server_callbacks.phpt \
	tests/groups_text.phpt tests/history_replay.phpt tests/auth_token.phpt tests/ws_long_messages.phpt \
	> "$log/valgrind.txt" 2>&1
count_phpt "$log/valgrind.txt"
# PCRE's JIT confuses valgrind
PUSH_TEST_SLOWDOWN=5 USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 TEST_PHP_EXECUTABLE=$php $php -n "$runtests" -q -m --show-diff \
	-d pcre.jit=0 -d extension="$root/modules/push.so" \
	tests/client_send.phpt tests/client_persistent.phpt tests/client_groups_batch.phpt tests/client_spin.phpt \
	> "$log/valgrind-client.txt" 2>&1
count_phpt "$log/valgrind-client.txt"
result valgrind "$passed" "$failed"
