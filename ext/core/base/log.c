/*
 * log.c - the core's log line: a timestamp and "push:" on stderr (the host may have
 * redirected stderr to a file; the core never does).
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "server.h"

void push_log(const char *fmt, ...)
{
	FILE *fp = stderr;
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(fp, "[%s] push: ", ts);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	fflush(fp);
}
