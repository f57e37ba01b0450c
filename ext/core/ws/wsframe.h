/*
 * wsframe.h - server-to-client WebSocket frame headers (RFC 6455 5.2).
 *
 * Frames from the server are never masked, so a frame is a 2, 4 or 10 byte
 * header followed by the payload as is.
 */
#ifndef PUSH_WSFRAME_H
#define PUSH_WSFRAME_H

#include <stddef.h>
#include <stdint.h>

#define PUSH_WS_OP_TEXT   0x1
#define PUSH_WS_OP_BINARY 0x2
#define PUSH_WS_OP_CLOSE  0x8
#define PUSH_WS_OP_PING   0x9
#define PUSH_WS_OP_PONG   0xA

#define PUSH_WS_HEADER_MAX 10      /* longest header */

/* Writes a final frame's header for a payload of len bytes into h; returns its size. */
size_t push_ws_header(unsigned char *h, unsigned opcode, uint64_t len);

/* Header size for a payload of len bytes. */
static inline size_t push_ws_header_len(uint64_t len)
{
	return len < 126 ? 2 : (len <= 0xffff ? 4 : 10);
}

#endif
