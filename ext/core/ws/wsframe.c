/*
 * wsframe.c - server frame headers.
 */
#include "wsframe.h"

size_t push_ws_header(unsigned char *h, unsigned opcode, uint64_t len)
{
	h[0] = (unsigned char)(0x80 | (opcode & 0x0f));
	if (len < 126) {
		h[1] = (unsigned char)len;
		return 2;
	}
	if (len <= 0xffff) {
		h[1] = 126;
		h[2] = (unsigned char)(len >> 8);
		h[3] = (unsigned char)len;
		return 4;
	}
	h[1] = 127;
	for (int i = 0; i < 8; i++) {
		h[2 + i] = (unsigned char)(len >> (56 - 8 * i));
	}
	return 10;
}
