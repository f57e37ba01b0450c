/*
 * Unit tests for ext/core/ws/wsframe.c: server frame headers (RFC 6455 5.2).
 */
#include "test.h"

#include "wsframe.h"

#include <stdint.h>
#include <string.h>

/* Writes a header into a buffer filled with 0xee; returns its size and checks the rest is untouched. */
static size_t header(unsigned char *h, unsigned opcode, uint64_t len, int *overrun)
{
	unsigned char buf[PUSH_WS_HEADER_MAX + 8];
	size_t n, i;

	memset(buf, 0xee, sizeof(buf));
	n = push_ws_header(buf, opcode, len);
	*overrun = 0;
	for (i = n; i < sizeof(buf); i++) {
		if (buf[i] != 0xee) {
			(*overrun)++;
		}
	}
	memcpy(h, buf, PUSH_WS_HEADER_MAX);
	return n;
}

/* True if the header for len is exactly the n bytes of want. */
static int header_is(unsigned opcode, uint64_t len, const unsigned char *want, size_t n)
{
	unsigned char h[PUSH_WS_HEADER_MAX];
	int overrun;
	size_t got = header(h, opcode, len, &overrun);

	if (got != n || overrun || memcmp(h, want, n) != 0 || push_ws_header_len(len) != n) {
		size_t i;

		fprintf(stderr, "    len %llu: got %zu bytes (header_len %zu, overrun %d):", (unsigned long long)len, got,
			push_ws_header_len(len), overrun);
		for (i = 0; i < got && i < PUSH_WS_HEADER_MAX; i++) {
			fprintf(stderr, " %02x", h[i]);
		}
		fprintf(stderr, "\n");
		return 0;
	}
	return 1;
}

#define HEADER_IS(op, len, ...) \
	header_is((op), (len), (const unsigned char[]){ __VA_ARGS__ }, sizeof((const unsigned char[]){ __VA_ARGS__ }))

static void test_header_lengths(void)
{
	/* 7-bit lengths */
	CHECK(HEADER_IS(PUSH_WS_OP_TEXT, 0, 0x81, 0x00));
	CHECK(HEADER_IS(PUSH_WS_OP_TEXT, 1, 0x81, 0x01));
	CHECK(HEADER_IS(PUSH_WS_OP_TEXT, 125, 0x81, 0x7d));
	/* 16-bit lengths, big-endian */
	CHECK(HEADER_IS(PUSH_WS_OP_TEXT, 126, 0x81, 0x7e, 0x00, 0x7e));
	CHECK(HEADER_IS(PUSH_WS_OP_TEXT, 127, 0x81, 0x7e, 0x00, 0x7f));
	CHECK(HEADER_IS(PUSH_WS_OP_TEXT, 256, 0x81, 0x7e, 0x01, 0x00));
	CHECK(HEADER_IS(PUSH_WS_OP_TEXT, 0x1234, 0x81, 0x7e, 0x12, 0x34));
	CHECK(HEADER_IS(PUSH_WS_OP_TEXT, 65535, 0x81, 0x7e, 0xff, 0xff));
	/* 64-bit lengths, big-endian */
	CHECK(HEADER_IS(PUSH_WS_OP_TEXT, 65536, 0x81, 0x7f, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00));
	CHECK(HEADER_IS(PUSH_WS_OP_TEXT, 0xffffffffULL, 0x81, 0x7f, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff));
	CHECK(HEADER_IS(PUSH_WS_OP_TEXT, 0x100000000ULL, 0x81, 0x7f, 0, 0, 0, 0x01, 0, 0, 0, 0));
	CHECK(HEADER_IS(PUSH_WS_OP_BINARY, 0x0102030405060708ULL, 0x82, 0x7f, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08));
	/* the largest length RFC 6455 allows: the most significant bit stays 0 */
	CHECK(HEADER_IS(PUSH_WS_OP_BINARY, 0x7fffffffffffffffULL, 0x82, 0x7f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
}

static void test_header_len_boundaries(void)
{
	static const uint64_t lens[] = {
		0, 1, 124, 125, 126, 127, 128, 255, 256, 65534, 65535, 65536, 65537,
		0xffffffffULL, 0x100000000ULL, 0x100000001ULL, 0x7fffffffffffffffULL,
	};
	unsigned char h[PUSH_WS_HEADER_MAX];
	size_t i;
	int bad = 0, overrun;

	CHECK_EQ_INT(push_ws_header_len(0), 2);
	CHECK_EQ_INT(push_ws_header_len(125), 2);
	CHECK_EQ_INT(push_ws_header_len(126), 4);
	CHECK_EQ_INT(push_ws_header_len(65535), 4);
	CHECK_EQ_INT(push_ws_header_len(65536), 10);
	CHECK_EQ_INT(push_ws_header_len(0x100000000ULL), 10);
	CHECK(PUSH_WS_HEADER_MAX == 10);

	/* the written size always matches push_ws_header_len, and decodes back to len */
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t n = header(h, PUSH_WS_OP_TEXT, lens[i], &overrun);
		uint64_t back = 0;
		size_t k;

		if (n != push_ws_header_len(lens[i]) || overrun) {
			bad++;
			continue;
		}
		if (h[0] != 0x81 || (h[1] & 0x80) != 0) {
			bad++;    /* FIN, no RSV bits; server frames are never masked */
		}
		if (n == 2) {
			back = h[1];
		} else if (n == 4) {
			back = ((uint64_t)h[2] << 8) | h[3];
			bad += h[1] != 126 || back < 126;
		} else {
			for (k = 2; k < 10; k++) {
				back = (back << 8) | h[k];
			}
			bad += h[1] != 127 || back <= 0xffff;
		}
		bad += back != lens[i];
	}
	CHECK_EQ_INT(bad, 0);
}

static void test_header_opcodes(void)
{
	CHECK(HEADER_IS(PUSH_WS_OP_TEXT, 5, 0x81, 0x05));
	CHECK(HEADER_IS(PUSH_WS_OP_BINARY, 5, 0x82, 0x05));
	CHECK(HEADER_IS(PUSH_WS_OP_CLOSE, 2, 0x88, 0x02));
	CHECK(HEADER_IS(PUSH_WS_OP_PING, 0, 0x89, 0x00));
	CHECK(HEADER_IS(PUSH_WS_OP_PONG, 125, 0x8a, 0x7d));
	CHECK(HEADER_IS(PUSH_WS_OP_PONG, 126, 0x8a, 0x7e, 0x00, 0x7e));
	/* only the low four bits are the opcode; FIN is always set, RSV never */
	CHECK(HEADER_IS(0xf1, 0, 0x81, 0x00));
	CHECK(HEADER_IS(0x7f, 0, 0x8f, 0x00));
	CHECK(HEADER_IS(0, 0, 0x80, 0x00));
}

int main(void)
{
	RUN(test_header_lengths);
	RUN(test_header_len_boundaries);
	RUN(test_header_opcodes);
	return TEST_SUMMARY();
}
