/*
 * libFuzzer target for ext/core/base/b64url.c.
 *
 * 1. Decodes the input as base64url text; when accepted, encoding the result must give back
 *    the input exactly (the decoder accepts canonical encodings only).
 * 2. Encodes the input as bytes; the text must use only the alphabet, have the predicted
 *    length, and decode back to the input.
 */
#include "b64url.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The alphabet, independent of the one in b64url.c. */
static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Value 0..63 of c, or -1 if c is not in the alphabet. */
static int value_of(unsigned char c)
{
	const char *p;

	if (c == '\0') {
		return -1;
	}
	p = strchr(ALPHABET, c);
	return p ? (int)(p - ALPHABET) : -1;
}

/* True if c is in the base64url alphabet. */
static int in_alphabet(unsigned char c)
{
	return value_of(c) >= 0;
}

/* Decode arbitrary text; an accepted input must re-encode to itself. */
static void check_decode(const uint8_t *data, size_t size)
{
	size_t cap = push_b64url_decoded_len(size), n, m, i;
	unsigned char *bin;
	char *text;
	int all_alpha = 1;

	for (i = 0; i < size; i++) {
		if (!in_alphabet(data[i])) {
			all_alpha = 0;
		}
	}
	if (cap == (size_t)-1) {
		/* no valid encoding has this length */
		if (push_b64url_decode((const char *)data, size, NULL, 0) != (size_t)-1) {
			abort();
		}
		return;
	}

	/* exact-size buffers so any overrun is caught */
	bin = malloc(cap ? cap : 1);
	if (bin == NULL) {
		return;
	}
	n = push_b64url_decode((const char *)data, size, bin, cap);
	if (n == (size_t)-1) {
		/* only text with a bad character or non-zero trailing bits may be refused */
		if (all_alpha) {
			int v = value_of(data[size - 1]);

			if (!((size % 4 == 2 && (v & 0x0f)) || (size % 4 == 3 && (v & 0x03)))) {
				abort();
			}
		}
		free(bin);
		return;
	}
	if (!all_alpha || n != cap) {
		abort();
	}
	/* one byte too little room must be refused */
	if (cap > 0 && push_b64url_decode((const char *)data, size, bin, cap - 1) != (size_t)-1) {
		abort();
	}

	text = malloc(size + 1);
	if (text == NULL) {
		free(bin);
		return;
	}
	m = push_b64url_encode(bin, n, text, size + 1);
	if (m != size || memcmp(text, data, size) != 0 || text[size] != '\0') {
		abort();
	}
	free(text);
	free(bin);
}

/* Encode arbitrary bytes; the text must decode back to them. */
static void check_encode(const uint8_t *data, size_t size)
{
	size_t elen = push_b64url_encoded_len(size), n, m, i;
	unsigned char *back;
	char *text;

	text = malloc(elen + 1);
	back = malloc(size ? size : 1);
	if (text == NULL || back == NULL) {
		free(text);
		free(back);
		return;
	}
	/* no room for the NUL must be refused */
	if (push_b64url_encode(data, size, text, elen) != (size_t)-1) {
		abort();
	}
	n = push_b64url_encode(data, size, text, elen + 1);
	if (n != elen || text[n] != '\0' || push_b64url_decoded_len(n) != size) {
		abort();
	}
	for (i = 0; i < n; i++) {
		if (!in_alphabet((unsigned char)text[i])) {
			abort();
		}
	}
	m = push_b64url_decode(text, n, back, size);
	if (m != size || memcmp(back, data, size) != 0) {
		abort();
	}
	free(text);
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_decode(data, size);
	check_encode(data, size);
	return 0;
}
