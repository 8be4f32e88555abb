/*
 * kill_parse.c: the command line of "procview kill". Hand-written, not
 * getopt: in "kill -9 -1234" both words start with '-'; only ONE signal
 * may be given, before any target, and after it (or after "--") "-N" is
 * always the process group N (see kill.c).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "kill.h"
#include "procview.h"
#include "sig.h"
#include "util.h"

const struct usage kill_usage = {
    "procview kill [-s SIG | -SIG | -n NUM] [-q VALUE] [--dry-run]\n"
    "                [--force] [--] PID|-PGID|-C NAME ...\n"
    "       procview kill -l|--list [SIG|NUM]\n"
    "       procview kill -L|--table\n"
    "       procview kill --meanings",
    "\n"
    "Send a signal (TERM unless told) to each target: a process id, a\n"
    "process group -PGID, or every process named NAME. Every target is\n"
    "checked first; if one is refused, nothing is sent.\n"
    "\n"
    "  -s, --signal SIG  the signal: KILL, SIGKILL, kill, 9, RTMIN+3\n"
    "  -SIG, -n NUM      the same; one signal only, before the targets\n"
    "  -q, --queue VALUE send with sigqueue(3), carrying VALUE (pids only)\n"
    "  -C NAME           every other process whose command name is NAME\n"
    "  --                the end of options: then -N is process group N\n"
    "  --dry-run         check and show who each target is; send nothing\n"
    "  --force           allow 0, -1, 1, procview itself, its group, its\n"
    "                    parent and its session leader (refused otherwise)\n"
    "  -l, --list [S|N]  signal names, or one signal's name or number\n"
    "  -L, --table       signals 1 to 31 with numbers, as procps kill -L\n"
    "  --meanings        every signal: number, name, action, meaning\n"
    "  --help            this help;  --version  the version\n"
    "\n"
    "exit status: 0 all signalled, 1 a target failed or was refused,\n"
    "2 usage\n",
    "procview kill", NULL};

/* "1234" or "-1234" as a target; 0 on success. */
static int
parse_target(struct target *t, const char *w)
{
	int neg = w[0] == '-';
	int id;

	t->word = w;
	/* 0 and -1 are accepted here; the safety check refuses them */
	if (parse_int(w + neg, 0, 0x7fffffff, &id) < 0)
		return -1;
	t->kind = neg ? T_GROUP : T_PID;
	t->id = id;
	if (neg && id == 1)
		t->kind = T_PID, t->id = -1; /* kill(-1): every process */
	return 0;
}

static void
add_target(struct kopts *k, struct target t)
{
	k->t = xreallocarray(k->t, k->nt + 1, sizeof(t));
	k->t[k->nt++] = t;
}

static int
set_sig(struct kopts *k, const char *name, const char *orig)
{
	int s = sig_from_name(name);

	if (k->have_sig)
		return opt_error(&kill_usage,
		                 "only one signal may be given ('%s')", orig);
	if (s < 0)
		return opt_error(&kill_usage,
		                 "unknown signal '%s' (see procview kill -l)",
		                 orig);
	k->sig = s;
	k->have_sig = 1;
	return 0;
}

/* -q VALUE / --queue VALUE: the integer sigqueue(3) carries */
static int
set_value(struct kopts *k, const char *opt, const char *v)
{
	if (!v)
		return opt_error(&kill_usage, "'%s' needs a value", opt);
	if (parse_int(v, -0x7fffffff - 1, 0x7fffffff, &k->value) < 0)
		return opt_error(&kill_usage, "invalid value '%s' for %s", v,
		                 opt);
	k->have_value = 1;
	return 0;
}

static int
signal_opt(const char *a)
{
	return !strcmp(a, "-s") || !strcmp(a, "-n") || !strcmp(a, "--signal") ||
	       !strncmp(a, "--signal=", 9);
}

/* The options that take a value; 1 if a is one of them (r is set). */
static int
valued_opt(struct kopts *k, int argc, char **argv, int *i, int *r)
{
	const char *a = argv[*i];
	const char *next = *i + 1 < argc ? argv[*i + 1] : NULL;

	/* WHY: procps kill reads "kill 123 -s 9" as SIGKILL, the last -s
	 * winning over any before; a reader of the line sees the target
	 * first and may not see the signal. One signal, before targets. */
	if (signal_opt(a) && k->nt > 0) {
		*r = opt_error(&kill_usage,
		               "'%s' after a target: the signal goes before "
		               "the first target",
		               a);
	} else if (!strncmp(a, "--signal=", 9)) {
		*r = set_sig(k, a + 9, a + 9);
	} else if (!strncmp(a, "--queue=", 8)) {
		*r = set_value(k, "--queue", a + 8);
	} else if (!strcmp(a, "-s") || !strcmp(a, "-n") ||
	           !strcmp(a, "--signal")) {
		if (!next)
			*r = opt_error(&kill_usage, "'%s' needs a signal", a);
		else
			*r = set_sig(k, next, next);
		++*i;
	} else if (!strcmp(a, "-q") || !strcmp(a, "--queue")) {
		*r = set_value(k, a, next);
		++*i;
	} else {
		return 0;
	}
	return 1;
}

int
parse_kill(struct kopts *k, int argc, char **argv)
{
	int i, opts = 1, r = 0;

	k->sig = SIGTERM;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		struct target t = {0};

		if (opts && strcmp(a, "--") == 0) {
			opts = 0;
		} else if (opts && valued_opt(k, argc, argv, &i, &r)) {
			if (r)
				return r;
		} else if (opts && !strcmp(a, "--dry-run")) {
			k->dry = 1;
		} else if (opts && !strcmp(a, "--force")) {
			k->force = 1;
		} else if (!strcmp(a, "-C")) {
			if (i + 1 >= argc || !argv[i + 1][0])
				return opt_error(&kill_usage,
				                 "'%s' needs a command name",
				                 a);
			t.kind = T_NAME;
			t.name = t.word = argv[++i];
			add_target(k, t);
		} else if (opts && a[0] == '-' && a[1] && a[1] != '-' &&
		           !k->have_sig && k->nt == 0) {
			/* -9, -KILL, -SIGKILL, -rtmin+1: the signal */
			if ((r = set_sig(k, a + 1, a)))
				return r;
		} else if (parse_target(&t, a) == 0) {
			add_target(k, t);
		} else if (opts && a[0] == '-' && a[1] && a[1] != '-' &&
		           k->have_sig && sig_from_name(a + 1) >= 0) {
			return opt_error(&kill_usage,
			                 "only one signal may be given ('%s')",
			                 a);
		} else if (a[0] == '-' && a[1] == '-' && opts) {
			return opt_error(&kill_usage, "unknown option '%s'", a);
		} else {
			return opt_error(&kill_usage,
			                 "bad target '%s': want PID, -PGID or "
			                 "-C NAME",
			                 a);
		}
	}
	if (k->nt == 0)
		return opt_error(&kill_usage, "%s", "no process given");
	for (i = 0; k->have_value && i < (int)k->nt; i++)
		if (k->t[i].kind == T_GROUP || k->t[i].id <= 0)
			return opt_error(&kill_usage,
			                 "a value (-q) goes to one process, "
			                 "not to '%s'",
			                 k->t[i].word);
	return 0;
}
