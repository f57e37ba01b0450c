/*
 * buf.h - the one growable byte buffer of the core, and its one JSON string
 * writer.
 *
 * A buffer may keep `head` spare bytes before its data (libwebsockets wants
 * LWS_PRE bytes before what it writes). An allocation failure sets `failed`;
 * later appends do nothing, so a caller checks once at the end.
 *
 * JSON strings (push_buf_json_str), one rule set for every answer the core
 * writes (Text port, HTTP API, stats):
 *   "  and  \          ->  \"  and  \\
 *   bytes 0x00-0x1f and 0x7f  ->  \u00XX (lower-case hex)
 *   every other byte, 0x80-0xff included, as it is (uids and names are
 *   UTF-8 as given; push does not validate or re-encode them)
 * Nothing is cut: a caller that needs a bound cuts its input first.
 */
#ifndef PUSH_BUF_H
#define PUSH_BUF_H

#include <stddef.h>

typedef struct push_buf {
	char *mem;                 /* allocation: head spare bytes, then the data */
	size_t len;                /* bytes of data */
	size_t cap;                /* bytes of data that fit */
	size_t head;               /* spare bytes before the data */
	int failed;                /* an allocation failed */
} push_buf;

/* An empty buffer (no allocation yet) with head spare bytes before its data. */
void push_buf_init(push_buf *b, size_t head);
/* Room for more bytes; 0, or -1 (failed set). */
int push_buf_reserve(push_buf *b, size_t more);
/* The data (NUL-terminated when not failed), NULL before the first append. */
static inline char *push_buf_data(const push_buf *b)
{
	return b->mem ? b->mem + b->head : NULL;
}
void push_buf_put(push_buf *b, const void *p, size_t n);
void push_buf_puts(push_buf *b, const char *s);
void push_buf_printf(push_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as a JSON string literal, quotes included (rules above). */
void push_buf_json_str(push_buf *b, const char *s, size_t n);

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlongs, no surrogates, <= U+10FFFF), 0 if none. */
size_t push_utf8_seq(const unsigned char *s, size_t n);
/* A copy of s as UTF-8 (what is not becomes '?'), cut at a character boundary to at most max bytes; NULL: no memory. */
char *push_utf8_clean(const char *s, size_t max);
/* Whether s[0..n) is UTF-8. */
int push_utf8_valid(const char *s, size_t n);
/* Frees the allocation; the buffer is empty again (head kept). */
void push_buf_free(push_buf *b);

#endif
