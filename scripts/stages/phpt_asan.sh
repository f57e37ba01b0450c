#!/usr/bin/env bash
# The phpt suite against the extension rebuilt with ASan and UBSan (USE_ZEND_ALLOC=0,
# PUSH_TEST_SLOWDOWN=3).
. "$(dirname "$0")/lib.sh"
stage "phpt suite, extension built with ASan and UBSan (USE_ZEND_ALLOC=0)"
asan=$log/asan-build
mkdir -p "$asan"
cp -a config.m4 config.w32 push.c php_push.h ext stubs "$asan"/
( cd "$asan" && phpize >/dev/null && ./configure --with-push --enable-push-sanitizers >/dev/null && make -j"$(nproc)" >/dev/null ) \
	|| echo "ASan build failed"
if [ -f "$asan/modules/push.so" ] && gcc -shared -fPIC -O1 -o "$log/nodeepbind.so" tests/asan/nodeepbind.c -ldl; then
	asanlib=$(gcc -print-file-name=libasan.so)
	ubsanlib=$(gcc -print-file-name=libubsan.so)
	# no conf.d (opcache is loaded with RTLD_DEEPBIND too); the shim lets the sanitizer build load
	asan_phpt() {
		PHP_INI_SCAN_DIR= USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 PUSH_TEST_SLOWDOWN=3 \
		LD_PRELOAD="$log/nodeepbind.so $asanlib $ubsanlib" \
		ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1:abort_on_error=0:halt_on_error=1:exitcode=99 \
		LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		TEST_PHP_EXECUTABLE=$php $php -n "$runtests" -q -j2 --show-diff \
			-d extension="$asan/modules/push.so" "$@"
	}
	asan_phpt tests/ > "$log/asan.txt" 2>&1
	# LeakSanitizer's own stop-the-world tracer now and then crashes at exit ("Tracer caught
	# signal 11 ... LeakSanitizer has encountered a fatal error": no leak report, no verdict).
	# Only such tests run once more, and that run is their result; any other failure stands.
	again=
	for t in $(sed -n '/^FAILED TEST SUMMARY/,/^=====/s/.*\[\(tests\/[^]]*\.phpt\)\]$/\1/p' "$log/asan.txt"); do
		if grep -q 'LeakSanitizer has encountered a fatal error' "${t%.phpt}.out" 2>/dev/null \
			&& ! grep -q 'ERROR: \(AddressSanitizer\|LeakSanitizer: detected\)\|runtime error:' "${t%.phpt}.out"; then
			again="$again $t"
		fi
	done
	if [ -n "$again" ]; then
		echo "LeakSanitizer's tracer crashed (not a leak report) in:$again; they run again"
		asan_phpt $again > "$log/asan-again.txt" 2>&1
		n=$(echo $again | wc -w)
		# the first run's verdicts without those tests (nor their summary lines and diffs),
		# then theirs from the second run
		count_phpt "$log/asan.txt" "" "$n" "$again"
		count_phpt "$log/asan-again.txt" "the second run"
	else
		count_phpt "$log/asan.txt"
	fi
else
	failed=$((failed + 1))
fi
result phpt_asan "$passed" "$failed"
