/*
 * kill_list.c: procview kill -l, -L (--list, --table) and --meanings:
 * the signal names and numbers, printed exactly as procps kill prints
 * them (a test compares the bytes), and the table of what each does.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "opt.h"
#include "procview.h"
#include "sig.h"
#include "util.h"

/*
 * -l with no argument: the names of 1..31 exactly as procps kill prints
 * them (a space between names; a new line once a line passes 73
 * columns). Real-time names: see --meanings.
 */
static void
list_names(void)
{
	char buf[32];
	int s, pos = 0;

	for (s = 1; s <= SIGSYS; s++) {
		sig_name(s, buf, sizeof(buf));
		if (s > 1 && pos > 73) {
			putchar('\n');
			pos = 0;
		} else if (s > 1) {
			putchar(' ');
			pos++;
		}
		pos += printf("%s", buf);
	}
	putchar('\n');
}

/* -l ARG: a number gives its name (128+N, a shell's exit status for
 * "killed by N", too); a name gives its number. */
static int
list_one(const char *arg, const struct usage *u)
{
	char buf[32];
	int n;

	if (parse_int(arg, 0, 255, &n) == 0) {
		if (n > 128)
			n -= 128;
		if (n > SIGSYS && n < SIGRTMIN) {
			/* real-time signals start above the C library's own */
			warn("signal %d has no name: the C library keeps "
			     "%d..%d for its threads (cancellation, set*id)",
			     n, SIGSYS + 1, SIGRTMIN - 1);
			return 1;
		}
		if (!sig_name(n, buf, sizeof(buf)))
			return opt_error(u, "unknown signal number '%s'", arg);
		puts(buf);
		return 0;
	}
	if ((n = sig_from_name(arg)) <= 0)
		return opt_error(u, "unknown signal '%s'", arg);
	printf("%d\n", n);
	return 0;
}

/* -L: 1..31 seven to a line, as procps kill prints them (each cell 11
 * wide, the line ended after the seventh) */
static void
list_table(void)
{
	char name[32];
	int s, n;

	for (s = 1; s <= SIGSYS; s++) {
		n = printf("%2d %s", s, sig_name(s, name, sizeof(name)));
		if (s % 7)
			printf("%*s", n < 11 ? 11 - n : 0, "");
		else
			putchar('\n');
	}
	if (SIGSYS % 7)
		putchar('\n');
}

/* --meanings: every signal, real-time ones too, with what it does */
static void
list_meanings(void)
{
	char name[32], desc[96];
	int s;

	printf("%3s %-10s %-6s %s\n", "NUM", "NAME", "ACTION", "MEANING");
	for (s = 1; s <= sig_max(); s++) {
		if (!sig_name(s, name, sizeof(name)))
			continue; /* 32, 33: kept by the C library */
		printf("%3d %-10s %-6s %s\n", s, name, sig_action(s),
		       sig_describe(s, desc, sizeof(desc)));
	}
}

/* -l, -L, --meanings and their long names; -1 if argv is none of them */
int
pv_kill_listing(int argc, char **argv, const struct usage *u)
{
	const char *a = argc >= 2 ? argv[1] : "";

	if (!strncmp(a, "--list=", 7) && argc == 2)
		return list_one(a + 7, u);
	if (!strcmp(a, "-l") || !strcmp(a, "--list")) {
		if (argc > 3)
			return opt_error(u, "%s",
			                 "-l takes at most one signal");
		if (argc == 3)
			return list_one(argv[2], u);
		list_names();
		return 0;
	}
	if (argc == 2 && (!strcmp(a, "-L") || !strcmp(a, "--table"))) {
		list_table();
		return 0;
	}
	if (argc == 2 && !strcmp(a, "--meanings")) {
		list_meanings();
		return 0;
	}
	return -1;
}
