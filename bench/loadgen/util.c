/*
 * util.c - loadgen's small helpers: messages, allocation, a fast random generator, addresses.
 */
#include "loadgen.h"

int verbose;

static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("loadgen: ", fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("loadgen: error: ", fmt, ap);
	va_end(ap);
	exit(2);
}

/* the error of a nonblocking connect() once the socket is writable (SO_ERROR), 0 if none */
int socket_error(int fd)
{
	int err = 0;
	socklen_t el = sizeof err;
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
	return err;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die("out of memory (%zu bytes)", n);
	return q;
}

void *xcalloc(size_t n, size_t sz)
{
	void *q = calloc(n ? n : 1, sz ? sz : 1);
	if (!q)
		die("out of memory (%zu x %zu bytes)", n, sz);
	return q;
}

/* xorshift64*: masks and handshake keys need not be cryptographic here */
uint64_t rng_state = 0x9E3779B97F4A7C15ull;

uint64_t rng_next(void)
{
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

/* ------------------------------------------------------------------------ */
/* options                                                                  */
/* ------------------------------------------------------------------------ */

void parse_hostport(const char *s, struct sockaddr_in *a, char *hp, size_t hplen)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof host)
		die("bad address '%s' (want HOST:PORT)", s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = 0;
	if (!strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	memset(a, 0, sizeof *a);
	a->sin_family = AF_INET;
	long port = strtol(colon + 1, NULL, 10);
	if (port <= 0 || port > 65535 || inet_pton(AF_INET, host, &a->sin_addr) != 1)
		die("bad address '%s'", s);
	a->sin_port = htons((uint16_t)port);
	/* loopback only: this tool is for benchmarks on this machine */
	if ((ntohl(a->sin_addr.s_addr) >> 24) != 127)
		die("address '%s' is not on the loopback network (127.0.0.0/8)", s);
	if (hp)
		snprintf(hp, hplen, "%s:%ld", host, port);
}
