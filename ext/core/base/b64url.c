/*
 * base64url (RFC 4648, section 5) without padding.
 */
#include "b64url.h"

#include <stdint.h>

/* The URL- and filename-safe alphabet. */
static const char ALPHABET[64] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Value 0..63 of an alphabet character, or -1 for any other byte. */
static int b64url_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z') {
		return c - 'A';
	}
	if (c >= 'a' && c <= 'z') {
		return c - 'a' + 26;
	}
	if (c >= '0' && c <= '9') {
		return c - '0' + 52;
	}
	if (c == '-') {
		return 62;
	}
	if (c == '_') {
		return 63;
	}
	return -1;
}

size_t push_b64url_encoded_len(size_t n)
{
	return PUSH_B64URL_ENC_LEN(n);
}

size_t push_b64url_decoded_len(size_t n)
{
	switch (n % 4) {
		case 1:
			return (size_t)-1;
		case 0:
			return n / 4 * 3;
		default:
			return n / 4 * 3 + (n % 4) - 1;
	}
}

size_t push_b64url_encode(const void *in, size_t in_len, char *out, size_t out_cap)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t need, i, o = 0;
	uint32_t v;

	if (in_len > SIZE_MAX / 4 * 3 - 3) {
		return (size_t)-1;
	}
	need = push_b64url_encoded_len(in_len);
	if (out == NULL || out_cap < need + 1) {
		return (size_t)-1;
	}

	for (i = 0; i + 3 <= in_len; i += 3) {
		v = ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8) | (uint32_t)p[i + 2];
		out[o++] = ALPHABET[(v >> 18) & 63];
		out[o++] = ALPHABET[(v >> 12) & 63];
		out[o++] = ALPHABET[(v >> 6) & 63];
		out[o++] = ALPHABET[v & 63];
	}
	switch (in_len - i) {
		case 1:
			v = (uint32_t)p[i] << 16;
			out[o++] = ALPHABET[(v >> 18) & 63];
			out[o++] = ALPHABET[(v >> 12) & 63];
			break;
		case 2:
			v = ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8);
			out[o++] = ALPHABET[(v >> 18) & 63];
			out[o++] = ALPHABET[(v >> 12) & 63];
			out[o++] = ALPHABET[(v >> 6) & 63];
			break;
		default:
			break;
	}
	out[o] = '\0';
	return o;
}

size_t push_b64url_decode(const char *in, size_t in_len, unsigned char *out, size_t out_cap)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t need, i, o = 0, rem;
	int a, b, c, d;
	uint32_t v;

	need = push_b64url_decoded_len(in_len);
	if (need == (size_t)-1 || out_cap < need) {
		return (size_t)-1;
	}
	if (in_len == 0) {
		return 0;
	}
	if (in == NULL || out == NULL) {
		return (size_t)-1;
	}

	for (i = 0; i + 4 <= in_len; i += 4) {
		a = b64url_value(p[i]);
		b = b64url_value(p[i + 1]);
		c = b64url_value(p[i + 2]);
		d = b64url_value(p[i + 3]);
		if ((a | b | c | d) < 0) {
			return (size_t)-1;
		}
		v = ((uint32_t)a << 18) | ((uint32_t)b << 12) | ((uint32_t)c << 6) | (uint32_t)d;
		out[o++] = (unsigned char)(v >> 16);
		out[o++] = (unsigned char)(v >> 8);
		out[o++] = (unsigned char)v;
	}

	rem = in_len - i;
	if (rem == 2) {
		a = b64url_value(p[i]);
		b = b64url_value(p[i + 1]);
		/* the low 4 bits of the last character carry no data and must be zero */
		if ((a | b) < 0 || (b & 0x0f) != 0) {
			return (size_t)-1;
		}
		out[o++] = (unsigned char)((a << 2) | (b >> 4));
	} else if (rem == 3) {
		a = b64url_value(p[i]);
		b = b64url_value(p[i + 1]);
		c = b64url_value(p[i + 2]);
		/* the low 2 bits of the last character carry no data and must be zero */
		if ((a | b | c) < 0 || (c & 0x03) != 0) {
			return (size_t)-1;
		}
		out[o++] = (unsigned char)((a << 2) | (b >> 4));
		out[o++] = (unsigned char)(((b & 0x0f) << 4) | (c >> 2));
	}
	return o;
}
