/*
 * buf.c - growable byte buffer and JSON string writer (buf.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void push_buf_init(push_buf *b, size_t head)
{
	memset(b, 0, sizeof(*b));
	b->head = head;
}

int push_buf_reserve(push_buf *b, size_t more)
{
	size_t need, cap;
	char *p;

	if (b->failed) {
		return -1;
	}
	if (more > SIZE_MAX / 4 - b->head - b->len) {
		b->failed = 1;
		return -1;
	}
	need = b->len + more + 1;          /* + the NUL kept after the data */
	if (b->mem && need <= b->cap) {
		return 0;
	}
	cap = b->cap ? b->cap : 256;
	while (cap < need) {
		cap *= 2;
	}
	if (!(p = realloc(b->mem, b->head + cap))) {
		b->failed = 1;
		return -1;
	}
	b->mem = p;
	b->cap = cap;
	return 0;
}

void push_buf_put(push_buf *b, const void *p, size_t n)
{
	if (push_buf_reserve(b, n) == 0) {
		if (n) {
			memcpy(b->mem + b->head + b->len, p, n);
		}
		b->len += n;
		b->mem[b->head + b->len] = '\0';
	}
}

void push_buf_puts(push_buf *b, const char *s)
{
	push_buf_put(b, s, strlen(s));
}

void push_buf_printf(push_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || push_buf_reserve(b, (size_t)n) != 0) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->mem + b->head + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void push_buf_json_str(push_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	push_buf_put(b, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\' || ch < 0x20 || ch == 0x7f) {
			char esc[6] = { '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15] };

			push_buf_put(b, s + run, i - run);
			if (ch == '"' || ch == '\\') {
				esc[1] = (char)ch;
				push_buf_put(b, esc, 2);
			} else {
				push_buf_put(b, esc, 6);
			}
			run = i + 1;
		}
	}
	push_buf_put(b, s + run, n - run);
	push_buf_put(b, "\"", 1);
}

void push_buf_free(push_buf *b)
{
	free(b->mem);
	push_buf_init(b, b->head);
}
