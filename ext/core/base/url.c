/*
 * url.c - percent-encoding and the parameters of a query string (RFC 3986; '+' a space, as in forms).
 */
#include <string.h>

#include "hex.h"
#include "url.h"

/* Decodes n bytes of a query ('+' a space, %XX a byte) into out; its length, or -1 (bad escape, NUL). */
long push_url_decode(const char *in, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == '%') {
			int hi, lo;

			if (n - i < 3) {
				return -1;
			}
			hi = push_hex_val((unsigned char)in[i + 1]);
			lo = push_hex_val((unsigned char)in[i + 2]);
			if (hi < 0 || lo < 0) {
				return -1;
			}
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+') {
			c = ' ';
		}
		if (!c) {
			return -1;
		}
		out[o++] = (char)c;
	}
	return (long)o;
}

int push_url_query_get(const char *query, size_t qlen, const char *name, char *out, size_t cap, size_t *vlen)
{
	size_t off = 0, nlen = strlen(name), i;
	char nbuf[64];

	while (off < qlen) {
		const char *piece = query + off, *amp = memchr(piece, '&', qlen - off), *eq;
		size_t plen = amp ? (size_t)(amp - piece) : qlen - off, rawn;
		long dn, dv;

		off += plen + 1;
		eq = memchr(piece, '=', plen);
		rawn = eq ? (size_t)(eq - piece) : plen;
		if (!plen || rawn > sizeof(nbuf)) {
			continue;     /* empty, or a name longer than any asked for */
		}
		dn = push_url_decode(piece, rawn, nbuf);
		if (dn < 0) {
			return -1;
		}
		if ((size_t)dn != nlen) {
			continue;
		}
		for (i = 0; i < nlen; i++) {
			char c = nbuf[i] >= 'A' && nbuf[i] <= 'Z' ? (char)(nbuf[i] - 'A' + 'a') : nbuf[i];

			if (c != name[i]) {
				break;
			}
		}
		if (i < nlen) {
			continue;
		}
		rawn = eq ? plen - (size_t)(eq + 1 - piece) : 0;
		if (rawn >= cap) {
			return -1;    /* decoding never lengthens: too long for out */
		}
		dv = eq ? push_url_decode(eq + 1, rawn, out) : 0;
		if (dv < 0) {
			return -1;
		}
		out[dv] = '\0';
		*vlen = (size_t)dv;
		return 1;
	}
	return 0;
}

size_t push_url_encode(const char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
				|| c == '_' || c == '~') {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = digits[c >> 4];
			out[o++] = digits[c & 15];
		}
	}
	out[o] = '\0';
	return o;
}
