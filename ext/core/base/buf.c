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

size_t push_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len, i;

	if (c < 0x80) {
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
	} else {
		return 0;
	}
	if (n < len) {
		return 0;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			return 0;
		}
	}
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f)      /* overlong, surrogate */
			|| (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f)) {   /* overlong, over U+10FFFF */
		return 0;
	}
	return len;
}

char *push_utf8_clean(const char *s, size_t max)
{
	size_t n = strlen(s), i = 0, o = 0;
	char *d = malloc((n < max ? n : max) + 1);

	if (!d) {
		return NULL;
	}
	while (i < n) {
		size_t k = push_utf8_seq((const unsigned char *)s + i, n - i);

		if (o + (k ? k : 1) > max) {
			break;
		}
		if (k) {
			memcpy(d + o, s + i, k);
			o += k;
			i += k;
		} else {
			d[o++] = '?';
			i++;
		}
	}
	d[o] = '\0';
	return d;
}

int push_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		size_t k;

		if (*p < 0x80) {
			p++;
			continue;
		}
		if (!(k = push_utf8_seq(p, (size_t)(end - p)))) {
			return 0;
		}
		p += k;
	}
	return 1;
}

/* Bytes that are not UTF-8 come out as U+FFFD: the JSON written is valid whatever was given. */
void push_buf_json_str(push_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	push_buf_put(b, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch >= 0x80) {
			size_t k = push_utf8_seq((const unsigned char *)s + i, n - i);

			if (k) {
				i += k - 1;
				continue;
			}
			push_buf_put(b, s + run, i - run);
			push_buf_put(b, "\\ufffd", 6);
			run = i + 1;
			continue;
		}
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
