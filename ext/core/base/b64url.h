/*
 * base64url (RFC 4648, section 5) without padding.
 * Part of the PHP-free core of the push extension.
 */
#ifndef PUSH_CORE_B64URL_H
#define PUSH_CORE_B64URL_H

#include <stddef.h>

/* Characters needed to encode n bytes, without padding and without the NUL. */
#define PUSH_B64URL_ENC_LEN(n) (((n) / 3) * 4 + (((n) % 3) ? ((n) % 3) + 1 : 0))

/* Characters needed to encode n bytes, without the NUL; n must be below SIZE_MAX / 4 * 3. */
size_t push_b64url_encoded_len(size_t n);

/* Bytes that n characters decode to, or (size_t)-1 if no valid encoding has n characters (n % 4 == 1). */
size_t push_b64url_decoded_len(size_t n);

/*
 * Encodes in_len bytes into out and NUL-terminates it.
 * Returns the number of characters written (without the NUL), or (size_t)-1 if out_cap is
 * smaller than push_b64url_encoded_len(in_len) + 1.
 */
size_t push_b64url_encode(const void *in, size_t in_len, char *out, size_t out_cap);

/*
 * Decodes in_len characters into out. Rejects characters outside [A-Za-z0-9_-] (including '='),
 * lengths with in_len % 4 == 1 and encodings whose unused trailing bits are not zero, so every
 * byte string has exactly one accepted encoding.
 * Returns the number of bytes written, or (size_t)-1 if the input is invalid or out_cap is too small
 * (out_cap must be at least push_b64url_decoded_len(in_len)); on failure out may hold partial output.
 */
size_t push_b64url_decode(const char *in, size_t in_len, unsigned char *out, size_t out_cap);

#endif /* PUSH_CORE_B64URL_H */
