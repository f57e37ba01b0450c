/*
 * hex.h - bytes as lowercase hex digits, and a hex digit's value (hex.c).
 */
#ifndef PUSH_HEX_H
#define PUSH_HEX_H

#include <stddef.h>

/* Writes n bytes as 2n lowercase hex digits and a NUL into out. */
void push_hex(const unsigned char *in, size_t n, char *out);

/* The value of hex digit c (either case), or -1. */
int push_hex_val(unsigned char c);

#endif
