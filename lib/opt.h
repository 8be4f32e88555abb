/*
 * opt.h: the one option/usage mechanism of every tool (opt.c).
 *
 * TOOLS ONLY: like die() and the x-wrappers, these functions print and
 * most of them exit, which is what a tool's option parsing wants and what
 * the rest of lib/ never does. Never call them from a worker thread.
 *
 * The rules they keep, the same in every tool:
 *   - a usage error is ONE line on stderr saying what was wrong,
 *     "PROG: unknown option '--bogus'", then
 *     "Try 'PROG --help' for more information." and exit status 2;
 *   - --help prints "usage: ..." and the help text on stdout, exit 0;
 *   - --version prints "PROG VERSION", exit 0;
 *   - both exit 1 with "PROG: cannot write output: REASON" if stdout
 *     fails (finish_output() in util.h).
 *
 * With getopt_long, start the option string with ':' (after '+' if any)
 * and set opterr = 0 (opt_begin() does it), so that getopt stays silent and
 * opt_other() words the complaint under the short program name.
 */
#ifndef OPT_H
#define OPT_H

#include <getopt.h>
#include <stdio.h>

struct usage {
	/* The synopsis after "usage: "; more lines may follow, each
	 * starting "\n       PROG ...". No final newline. */
	const char *line;
	/* The rest of --help, printed as it is after the synopsis's line
	 * end; NULL: none. */
	const char *help;
	/* Who speaks: the message prefix and "Try 'CMD --help'"; for a
	 * subcommand "netlab serve". NULL: progname(). */
	const char *cmd;
	/* NULL, or a function that prints more help on out after help
	 * (memlayout's list of demos). */
	void (*more)(FILE *out);
};

/* For a getopt_long loop: optind = 1 (parse from argv[1]), opterr = 0. */
void opt_begin(void);

/* --help: the synopsis and help on stdout; exit 0 (1 if it failed). */
void opt_help(const struct usage *u) __attribute__((noreturn));

/* The long options of a program that has no others: --help (as 'h')
 * and --version (as 'V'), for getopt_long; opt_other() handles both. */
extern const struct option opt_std[];

/* --version: "PROG VERSION" on stdout; exit 0 (1 if it failed). */
void opt_version(void) __attribute__((noreturn));

/*
 * A usage error: "CMD: MESSAGE" and the "Try" line on stderr. opt_error
 * returns 2 (for a parser that cleans up first); opt_fail exits 2.
 */
int opt_error(const struct usage *u, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void opt_fail(const struct usage *u, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

/* "invalid value 'VAL' for OPT", exit 2. */
void opt_bad(const struct usage *u, const char *opt, const char *val)
    __attribute__((noreturn));

/*
 * Checked numbers (parse_int, parse_ll, parse_double of util.h): the
 * value in [lo, hi], or opt_bad(u, opt, v) and exit 2.
 */
int opt_int(const struct usage *u, const char *opt, const char *v, int lo,
            int hi);
long long opt_ll(const struct usage *u, const char *opt, const char *v,
                 long long lo, long long hi);
double opt_double(const struct usage *u, const char *opt, const char *v,
                  double lo, double hi);

/*
 * A numeric IPv4 or IPv6 address (127.0.0.1, ::1, 0.0.0.0): v itself, or
 * "invalid value 'V' for OPT (a numeric IPv4 or IPv6 address)", exit 2.
 * A name is refused: it may stand for several addresses.
 */
const char *opt_addr(const struct usage *u, const char *opt, const char *v);

/*
 * getopt_long's other answers: 'h' --help, 'V' --version, ':' a missing
 * argument, '?' an unknown option (named from optopt or argv[optind-1]).
 * Never returns.
 */
void opt_other(const struct usage *u, int c, char **argv)
    __attribute__((noreturn));

#endif
