/*
 * md5.h - MD5 (RFC 1321, md5.c); only for the Pusher HTTP API's body_md5, which its protocol fixes.
 */
#ifndef PUSH_MD5_H
#define PUSH_MD5_H

#include <stddef.h>

#define PUSH_MD5_DIGEST_LEN 16     /* bytes in an MD5 digest */
#define PUSH_MD5_HEX_LEN 32        /* ... as hex, without the NUL */

/* MD5 of len bytes. */
void push_md5(const void *data, size_t len, unsigned char out[PUSH_MD5_DIGEST_LEN]);

/* The same as 32 lowercase hex digits and a NUL. */
void push_md5_hex(const void *data, size_t len, char out[PUSH_MD5_HEX_LEN + 1]);

#endif
