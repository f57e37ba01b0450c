/*
 * url.h - percent-encoding and the parameters of a query string (url.c).
 */
#ifndef PUSH_URL_H
#define PUSH_URL_H

#include <stddef.h>

/* Decodes n bytes of a query ('+' a space, %XX a byte) into out (n bytes are enough); its length, or -1 (bad escape, NUL). */
long push_url_decode(const char *in, size_t n, char *out);

/*
 * The value of parameter name (compared after decoding, case-insensitively) in a raw
 * query, percent-decoded into out (cap bytes, NUL-terminated) with its length in *vlen.
 * Returns 1 when found, 0 when absent, -1 when the query is malformed or the value
 * does not fit.
 */
int push_url_query_get(const char *query, size_t qlen, const char *name, char *out, size_t cap, size_t *vlen);

/*
 * Percent-encodes len bytes into out (room for 3 * len + 1): everything but
 * RFC 3986's unreserved characters. Returns the length written, without the NUL.
 */
size_t push_url_encode(const char *in, size_t len, char *out);

#endif
