/*
 * Minimal assertion helper for the core unit tests.
 *
 *   static void test_something(void) { CHECK(1 + 1 == 2); }
 *   int main(void) { RUN(test_something); return TEST_SUMMARY(); }
 *
 * Each RUN prints one line; TEST_SUMMARY prints "N passed, N failed" and
 * returns the process exit status.
 */
#ifndef PUSH_TESTS_TEST_H
#define PUSH_TESTS_TEST_H

#include <stdio.h>
#include <string.h>

static int test_passed;       /* tests that ran without a failed check */
static int test_failed;       /* tests with at least one failed check */
static int test_cur_failures; /* failed checks in the running test */
static int test_cur_checks;   /* checks evaluated in the running test */

/* Records a check; on failure prints where and what, and the test continues. */
#define CHECK(cond) do { \
	test_cur_checks++; \
	if (!(cond)) { \
		test_cur_failures++; \
		fprintf(stderr, "    %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

/* Checks two integer expressions for equality and prints both values on failure. */
#define CHECK_EQ_INT(a, b) do { \
	long long test_a_ = (long long)(a), test_b_ = (long long)(b); \
	test_cur_checks++; \
	if (test_a_ != test_b_) { \
		test_cur_failures++; \
		fprintf(stderr, "    %s:%d: check failed: %s == %s (%lld != %lld)\n", \
			__FILE__, __LINE__, #a, #b, test_a_, test_b_); \
	} \
} while (0)

/* Checks two NUL-terminated strings for equality and prints both on failure. */
#define CHECK_STR(a, b) do { \
	const char *test_a_ = (a), *test_b_ = (b); \
	test_cur_checks++; \
	if (test_a_ == NULL || test_b_ == NULL || strcmp(test_a_, test_b_) != 0) { \
		test_cur_failures++; \
		fprintf(stderr, "    %s:%d: check failed: %s == %s (\"%s\" != \"%s\")\n", __FILE__, __LINE__, \
			#a, #b, test_a_ ? test_a_ : "(null)", test_b_ ? test_b_ : "(null)"); \
	} \
} while (0)

/* Runs one test function and prints its result line. */
#define RUN(fn) do { \
	test_cur_failures = 0; \
	test_cur_checks = 0; \
	fn(); \
	if (test_cur_failures == 0) { \
		test_passed++; \
		printf("ok   %s (%d checks)\n", #fn, test_cur_checks); \
	} else { \
		test_failed++; \
		printf("FAIL %s (%d of %d checks failed)\n", #fn, test_cur_failures, test_cur_checks); \
	} \
	fflush(stdout); \
} while (0)

/* Prints the summary line; evaluates to the exit status. */
#define TEST_SUMMARY() \
	(printf("%d passed, %d failed\n", test_passed, test_failed), test_failed == 0 ? 0 : 1)

#endif /* PUSH_TESTS_TEST_H */
