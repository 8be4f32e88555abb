/*
 * opts.c: the option-parsing helpers every netlab command shares: one
 * usage message, one way to reject a bad value (exit 2), one checked
 * parser per kind of number.
 */
#include <stdio.h>
#include <stdlib.h>

#include "netlab.h"
#include "util.h"

void
opt_usage(const struct usage *u, int status)
{
	FILE *f = status ? stderr : stdout;

	fprintf(f, "usage: %s\n", u->line);
	if (status == 0)
		fputs(u->help, f);
	else
		fprintf(f, "Try '%s --help' for more information.\n",
		        u->cmd ? u->cmd : progname());
	exit(status);
}

void
opt_bad(const struct usage *u, const char *opt, const char *val)
{
	warn("invalid value '%s' for %s", val, opt);
	opt_usage(u, 2);
}

void
opt_version(void)
{
	printf("%s %s\n", progname(), VERSION);
	exit(0);
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

void
opt_other(const struct usage *u, int c)
{
	if (c == 'h')
		opt_usage(u, 0);
	if (c == 'V')
		opt_version();
	opt_usage(u, 2); /* getopt has already said what was wrong */
}
