/*
 * str.h - a byte string that points into memory someone else owns.
 */
#ifndef PUSH_STR_H
#define PUSH_STR_H

#include <stddef.h>

typedef struct push_str {
	const char *p;             /* bytes, not necessarily NUL-terminated */
	size_t len;                /* length */
} push_str;

#endif
