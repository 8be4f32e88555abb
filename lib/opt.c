/* opt.c: usage, --help, --version and checked option values (see opt.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opt.h"
#include "util.h"

const struct option opt_std[] = {{"help", no_argument, NULL, 'h'},
                                 {"version", no_argument, NULL, 'V'},
                                 {NULL, 0, NULL, 0}};

#ifndef VERSION /* a program built without the Makefile */
#define VERSION "(built by hand)"
#endif

static const char *
who(const struct usage *u)
{
	return u->cmd ? u->cmd : progname();
}

void
opt_begin(void)
{
	optind = 1;
	opterr = 0; /* getopt would name the whole argv[0]; we word it */
}

void
opt_help(const struct usage *u)
{
	printf("usage: %s\n", u->line);
	if (u->help)
		fputs(u->help, stdout);
	if (u->more)
		u->more(stdout);
	exit(finish_output(0));
}

void
opt_version(void)
{
	printf("%s %s\n", progname(), VERSION);
	exit(finish_output(0));
}

/* One line, built first so that it reaches stderr in one piece. */
static int verror(const struct usage *u, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0))); /* fmt is checked by callers */

static int
verror(const struct usage *u, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "%s: %s\nTry '%s --help' for more information.\n",
	        who(u), msg, who(u));
	return 2;
}

int
opt_error(const struct usage *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(u, fmt, ap);
	va_end(ap);
	return 2;
}

void
opt_fail(const struct usage *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(u, fmt, ap);
	va_end(ap);
	exit(2);
}

void
opt_bad(const struct usage *u, const char *opt, const char *val)
{
	opt_fail(u, "invalid value '%s' for %s", val, opt);
}

const char *
opt_addr(const struct usage *u, const char *opt, const char *v)
{
	unsigned char a[16]; /* room for an IPv6 address */

	if (inet_pton(AF_INET, v, a) != 1 && inet_pton(AF_INET6, v, a) != 1)
		opt_fail(u,
		         "invalid value '%s' for %s (a numeric IPv4 or IPv6 "
		         "address)",
		         v, opt);
	return v;
}

int
opt_int(const struct usage *u, const char *opt, const char *v, int lo, int hi)
{
	int n;

	if (parse_int(v, lo, hi, &n) < 0)
		opt_bad(u, opt, v);
	return n;
}

long long
opt_ll(const struct usage *u, const char *opt, const char *v, long long lo,
       long long hi)
{
	long long n;

	if (parse_ll(v, lo, hi, &n) < 0)
		opt_bad(u, opt, v);
	return n;
}

double
opt_double(const struct usage *u, const char *opt, const char *v, double lo,
           double hi)
{
	double d;

	if (parse_double(v, lo, hi, &d) < 0)
		opt_bad(u, opt, v);
	return d;
}

/*
 * Name the option getopt complained about. A long option is the whole
 * word up to '=' (getopt has moved optind past it); a short one is
 * optopt, since "-qZ" holds several.
 */
static void
name_option(int c, const char *word, char *buf, size_t n)
{
	if (word && strncmp(word, "--", 2) == 0 &&
	    (c == ':' || !optopt || strchr(word, '='))) {
		snprintf(buf, n, "%.*s", (int)strcspn(word, "="), word);
	} else if (optopt > 0 && optopt < 256 && isprint(optopt)) {
		snprintf(buf, n, "-%c", optopt);
	} else {
		snprintf(buf, n, "-\\x%02x", (unsigned)optopt & 0xff);
	}
}

void
opt_other(const struct usage *u, int c, char **argv)
{
	const char *word = optind > 0 ? argv[optind - 1] : NULL;
	char name[128];

	if (c == 'h')
		opt_help(u);
	if (c == 'V')
		opt_version();
	name_option(c, word, name, sizeof(name));
	if (c == ':')
		opt_fail(u, "option '%s' needs an argument", name);
	if (optopt && word && strncmp(word, "--", 2) == 0 && strchr(word, '='))
		opt_fail(u, "option '%s' takes no argument", name);
	opt_fail(u, "unknown option '%s'", name);
}
