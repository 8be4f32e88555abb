/* error.c: die/warn with the program-name prefix (see util.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *prog = "?"; /* documented global: set once in main() */

void
set_progname(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	prog = slash ? slash + 1 : (argv0 ? argv0 : "?");
}

const char *
progname(void)
{
	return prog;
}

/* One message: built in a buffer so that threads do not interleave. */
static void vwarn(int saved_errno, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0))); /* fmt is checked by callers */

static void
vwarn(int saved_errno, const char *fmt, va_list ap)
{
	char buf[1024];
	size_t n, len = strlen(fmt);
	int r;

	r = snprintf(buf, sizeof(buf), "%s: ", prog);
	n = r > 0 ? (size_t)r : 0;
	r = vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	n += r > 0 ? (size_t)r : 0;
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	if (len > 0 && fmt[len - 1] == ':')
		snprintf(buf + n, sizeof(buf) - n, " %s",
		         strerror(saved_errno));
	fprintf(stderr, "%s\n", buf);
}

void
warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vwarn(saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
die(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vwarn(saved, fmt, ap);
	va_end(ap);
	exit(1);
}
