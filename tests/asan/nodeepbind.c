/*
 * PHP loads extensions with dlopen(RTLD_DEEPBIND), which the AddressSanitizer
 * runtime refuses. Preloaded ahead of libasan, this shim clears the flag so the
 * sanitizer build of push can be loaded by a stock PHP binary for the tests.
 */
#define _GNU_SOURCE
#include <dlfcn.h>

void *dlopen(const char *file, int flags)
{
	static void *(*next)(const char *, int);

	if (!next) {
		next = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
	}
	return next(file, flags & ~RTLD_DEEPBIND);
}
