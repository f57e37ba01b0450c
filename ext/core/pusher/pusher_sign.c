/*
 * pusher_sign.c - see pusher_sign.h.
 *
 * How the API's string to sign is read. Pusher's reference says the query part
 * is "not url escaped": the SDKs sign the plain values and then send them
 * either as they are (the pusher npm package: "info=user_count,subscription_count")
 * or percent-encoded (pusher-php-server through Guzzle: "info=user_count%2Csubscription_count").
 * Servers that verify them (Pusher, Soketi, Reverb) decode the query first, '+'
 * being a space as in forms, and sign what they decoded; so does this file. The
 * path is signed as the server sees it, after decoding (libwebsockets decodes it).
 */
#include "pusher_sign.h"

#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "md5.h"
#include "sha256.h"
#include "url.h"

void push_pusher_hmac_hex(const char *secret, size_t slen, const void *data, size_t len,
		char out[PUSH_SIGN_HEX_LEN + 1])
{
	unsigned char d[PUSH_SHA256_DIGEST_LEN];

	push_hmac_sha256(secret, slen, data, len, d);
	push_hex(d, sizeof(d), out);
}

/* Compares a received hex signature with the expected one: the same work whatever its length. */
static int sig_equal(const char *got, size_t glen, const char want[PUSH_SIGN_HEX_LEN + 1])
{
	int same = push_ct_equal(glen == PUSH_SIGN_HEX_LEN ? got : want, want, PUSH_SIGN_HEX_LEN);

	return same & (glen == PUSH_SIGN_HEX_LEN);
}

int push_pusher_auth_ok(const char *key, const char *secret, const char *auth, size_t alen,
		const char *const *parts, const size_t *lens, size_t nparts)
{
	unsigned char d[PUSH_SHA256_DIGEST_LEN];
	char want[PUSH_SIGN_HEX_LEN + 1];
	push_hmac_sha256_ctx h;
	size_t klen = strlen(key), i;
	int prefix;

	push_hmac_sha256_init(&h, secret, strlen(secret));
	for (i = 0; i < nparts; i++) {
		if (i) {
			push_hmac_sha256_update(&h, ":", 1);
		}
		push_hmac_sha256_update(&h, parts[i], lens[i]);
	}
	push_hmac_sha256_final(&h, d);
	push_hex(d, sizeof(d), want);
	push_secure_zero(&h, sizeof(h));
	/* the key is public: only the signature after it needs the constant-time comparison */
	prefix = alen > klen && memcmp(auth, key, klen) == 0 && auth[klen] == ':';
	prefix &= sig_equal(prefix ? auth + klen + 1 : want, prefix ? alen - klen - 1 : 0, want);
	push_secure_zero(want, sizeof(want));
	return prefix;
}

/* ------------------------------------------------------------------ queries */

/* One decoded query parameter, both strings NUL-terminated. */
typedef struct qparam {
	const char *name;          /* lower-cased name */
	size_t nlen;               /* its length */
	const char *value;         /* value, "" when none */
	size_t vlen;               /* its length */
} qparam;

/* A decoded query. */
typedef struct qparsed {
	qparam p[PUSH_PUSHER_QUERY_MAX]; /* parameters, sorted by name once parsed */
	size_t n;                  /* how many */
	char *mem;                 /* the strings */
} qparsed;

/* Orders parameters by name (bytes); names are distinct. */
static int qparam_less(const qparam *a, const qparam *b)
{
	size_t n = a->nlen < b->nlen ? a->nlen : b->nlen;
	int c = memcmp(a->name, b->name, n);

	return c < 0 || (c == 0 && a->nlen < b->nlen);
}

/* Splits and decodes a query; names lower-cased, sorted. 0, or -1 with a reason (nothing to free). */
static int query_parse(const char *q, size_t qlen, qparsed *qp, const char **reason)
{
	size_t off = 0, i, j;
	char *w;

	qp->n = 0;
	qp->mem = w = malloc(qlen + 2 * PUSH_PUSHER_QUERY_MAX + 1);
	if (!w) {
		*reason = "out of memory";
		return -1;
	}
	while (off < qlen) {
		const char *piece = q + off, *amp = memchr(piece, '&', qlen - off), *eq;
		size_t plen = amp ? (size_t)(amp - piece) : qlen - off;
		qparam *p = &qp->p[qp->n];
		long dn, dv;

		off += plen + 1;
		if (!plen) {
			continue;
		}
		if (qp->n == PUSH_PUSHER_QUERY_MAX) {
			*reason = "too many query parameters";
			goto fail;
		}
		eq = memchr(piece, '=', plen);
		dn = push_url_decode(piece, eq ? (size_t)(eq - piece) : plen, w);
		if (dn <= 0) {
			*reason = "malformed query";
			goto fail;
		}
		for (i = 0; i < (size_t)dn; i++) {
			if (w[i] >= 'A' && w[i] <= 'Z') {
				w[i] = (char)(w[i] - 'A' + 'a');
			}
		}
		p->name = w;
		p->nlen = (size_t)dn;
		w += dn;
		*w++ = '\0';
		dv = eq ? push_url_decode(eq + 1, plen - (size_t)(eq + 1 - piece), w) : 0;
		if (dv < 0) {
			*reason = "malformed query";
			goto fail;
		}
		p->value = w;
		p->vlen = (size_t)dv;
		w += dv;
		*w++ = '\0';
		/* insertion into the sorted ones; a name twice is refused (signers disagree on it) */
		for (j = qp->n; j > 0 && !qparam_less(&qp->p[j - 1], p); j--) {
			if (qp->p[j - 1].nlen == p->nlen && memcmp(qp->p[j - 1].name, p->name, p->nlen) == 0) {
				*reason = "duplicate query parameter";
				goto fail;
			}
		}
		if (j < qp->n) {
			qparam tmp = *p;

			memmove(&qp->p[j + 1], &qp->p[j], (qp->n - j) * sizeof(qp->p[0]));
			qp->p[j] = tmp;
		}
		qp->n++;
	}
	return 0;

fail:
	free(qp->mem);
	qp->mem = NULL;
	return -1;
}

/* The parameter called name, NULL if absent. */
static const qparam *query_find(const qparsed *qp, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < qp->n; i++) {
		if (qp->p[i].nlen == n && memcmp(qp->p[i].name, name, n) == 0) {
			return &qp->p[i];
		}
	}
	return NULL;
}

/* method "\n" path "\n" the parameters but auth_signature, from a parsed query. */
static int build_string(const char *method, const char *path, size_t plen, const qparsed *qp, char **out,
		size_t *olen, const char **reason)
{
	size_t mlen = strlen(method), len = mlen + 1 + plen + 1, i, k = 0;
	char *s;

	for (i = 0; i < qp->n; i++) {
		len += qp->p[i].nlen + 1 + qp->p[i].vlen + 1;
	}
	s = malloc(len + 1);
	if (!s) {
		*reason = "out of memory";
		return -1;
	}
	memcpy(s, method, mlen);
	k = mlen;
	s[k++] = '\n';
	memcpy(s + k, path, plen);
	k += plen;
	s[k++] = '\n';
	for (i = 0; i < qp->n; i++) {
		const qparam *p = &qp->p[i];

		if (p->nlen == 14 && memcmp(p->name, "auth_signature", 14) == 0) {
			continue;
		}
		if (s[k - 1] != '\n') {
			s[k++] = '&';
		}
		memcpy(s + k, p->name, p->nlen);
		k += p->nlen;
		s[k++] = '=';
		memcpy(s + k, p->value, p->vlen);
		k += p->vlen;
	}
	s[k] = '\0';
	*out = s;
	*olen = k;
	return 0;
}

int push_pusher_string_to_sign(const char *method, const char *path, size_t plen, const char *query, size_t qlen,
		char **out, size_t *olen, const char **reason)
{
	qparsed qp;
	int rc;

	if (query_parse(query, qlen, &qp, reason) != 0) {
		return -1;
	}
	rc = build_string(method, path, plen, &qp, out, olen, reason);
	free(qp.mem);
	return rc;
}

/* Whether a parameter's value is s. */
static int value_is(const qparam *p, const char *s)
{
	return p->vlen == strlen(s) && memcmp(p->value, s, p->vlen) == 0;
}

/* auth_timestamp: decimal seconds; -1 if malformed. */
static int64_t timestamp_of(const qparam *p)
{
	int64_t v = 0;
	size_t i;

	if (!p->vlen || p->vlen > 15) {
		return -1;
	}
	for (i = 0; i < p->vlen; i++) {
		if (p->value[i] < '0' || p->value[i] > '9') {
			return -1;
		}
		v = v * 10 + (p->value[i] - '0');
	}
	return v;
}

#define CHECK_HEAD 1         /* auth_key, auth_version, auth_timestamp, auth_signature */
#define CHECK_BODY 2         /* body_md5 against the body */

/* The checks of push_pusher_verify_request() on a parsed query: those of what (CHECK_*). */
static int verify_parsed(const char *key, const char *secret, const char *method, const char *path, size_t plen,
		const qparsed *qp, int what, const char *body, size_t blen, int64_t now, const char **reason)
{
	const qparam *sig = query_find(qp, "auth_signature"), *k = query_find(qp, "auth_key");
	const qparam *ver = query_find(qp, "auth_version"), *ts = query_find(qp, "auth_timestamp");
	const qparam *md5 = query_find(qp, "body_md5");
	char want[PUSH_SIGN_HEX_LEN + 1], *str = NULL;
	size_t slen;
	int64_t t;
	int ok;

	if (what & CHECK_HEAD) {
		if (!sig) {
			*reason = "missing auth_signature";
			return -1;
		}
		if (!k) {
			*reason = "missing auth_key";
			return -1;
		}
		if (!value_is(k, key)) {
			*reason = "auth_key mismatch";
			return -1;
		}
		if (!ver) {
			*reason = "missing auth_version";
			return -1;
		}
		if (!value_is(ver, "1.0")) {
			*reason = "unsupported auth_version (1.0 only)";
			return -1;
		}
		if (!ts) {
			*reason = "missing auth_timestamp";
			return -1;
		}
		t = timestamp_of(ts);
		if (t < 0) {
			*reason = "invalid auth_timestamp";
			return -1;
		}
		if (t > now + PUSH_PUSHER_TIMESTAMP_SKEW || t < now - PUSH_PUSHER_TIMESTAMP_SKEW) {
			*reason = "timestamp expired: auth_timestamp not within 600 s of the server's clock";
			return -1;
		}
	}
	if (what & CHECK_BODY) {
		if (!md5 && blen) {
			*reason = "missing body_md5";
			return -1;
		}
		if (md5) {
			char hex[PUSH_MD5_HEX_LEN + 1];

			push_md5_hex(body, blen, hex);
			if (!value_is(md5, hex)) {
				*reason = "body_md5 mismatch";
				return -1;
			}
		}
	}
	if (!(what & CHECK_HEAD)) {
		return 0;
	}
	if (build_string(method, path, plen, qp, &str, &slen, reason) != 0) {
		return -1;
	}
	push_pusher_hmac_hex(secret, strlen(secret), str, slen, want);
	free(str);
	ok = sig_equal(sig->value, sig->vlen, want);
	push_secure_zero(want, sizeof(want));
	if (!ok) {
		*reason = "invalid signature";
		return -1;
	}
	return 0;
}

static int verify(const char *key, const char *secret, const char *method, const char *path, size_t plen,
		const char *query, size_t qlen, int what, const char *body, size_t blen, int64_t now,
		const char **reason)
{
	qparsed qp;
	int rc;

	if (query_parse(query, qlen, &qp, reason) != 0) {
		return -1;
	}
	rc = verify_parsed(key, secret, method, path, plen, &qp, what, body, blen, now, reason);
	free(qp.mem);
	return rc;
}

int push_pusher_verify_request(const char *key, const char *secret, const char *method, const char *path,
		size_t plen, const char *query, size_t qlen, const char *body, size_t blen, int64_t now,
		const char **reason)
{
	return verify(key, secret, method, path, plen, query, qlen, CHECK_HEAD | CHECK_BODY, body, blen, now, reason);
}

int push_pusher_verify_head(const char *key, const char *secret, const char *method, const char *path,
		size_t plen, const char *query, size_t qlen, int64_t now, const char **reason)
{
	return verify(key, secret, method, path, plen, query, qlen, CHECK_HEAD, NULL, 0, now, reason);
}

int push_pusher_verify_body(const char *query, size_t qlen, const char *body, size_t blen, const char **reason)
{
	return verify(NULL, NULL, NULL, NULL, 0, query, qlen, CHECK_BODY, body, blen, 0, reason);
}
