/*
 * kill.c: procview kill, a kill(1) with safety catches.
 *
 *   procview kill [-s SIG | -SIG | -n NUM] [--dry-run] [--force]
 *                 [--] PID|-PGID|-C NAME ...
 *   procview kill -l [SIG|NUM]      names and numbers
 *   procview kill -L                the table, with what each one does
 *
 * WHY hand-written parsing instead of getopt: in "kill -9 -1234" both
 * words start with '-'. The first is the signal, the second a process
 * group. A parser that treats every "-NUMBER" as a signal option sends
 * the wrong signal to the wrong target (a known procps bug did). Rule
 * here: only ONE signal may be given, before any target; after it (or
 * after "--"), "-N" is always the process group N.
 *
 * Everything is parsed and checked before the first signal is sent, so
 * a typo in the third word never leaves the first two half done.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "procview.h"
#include "sig.h"
#include "util.h"

static const char kill_usage[] =
    "usage: procview kill [-s SIG | -SIG | -n NUM] [--dry-run] [--force]\n"
    "                [--] PID|-PGID|-C NAME ...\n"
    "       procview kill -l [SIG|NUM]\n"
    "       procview kill -L\n";

enum tkind { T_PID, T_GROUP, T_NAME };

struct target {
	enum tkind kind;
	int id;           /* pid or process group */
	const char *name; /* -C NAME */
	const char *word; /* as typed, for messages */
};

struct kopts {
	int sig, have_sig, dry, force;
	struct target *t;
	size_t nt;
};

static int usage_err(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int
usage_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s kill: ", progname());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(kill_usage, stderr);
	return 2;
}

/* -l with no argument: every name, as kill -l prints them */
static void
list_names(void)
{
	char buf[32];
	int s, col = 0;

	for (s = 1; s <= sig_max(); s++) {
		if (!sig_name(s, buf, sizeof(buf)))
			continue; /* 32, 33: kept by the C library */
		col += (int)strlen(buf) + 1;
		if (col > 72) {
			putchar('\n');
			col = (int)strlen(buf) + 1;
		} else if (col > (int)strlen(buf) + 1) {
			putchar(' ');
		}
		fputs(buf, stdout);
	}
	putchar('\n');
}

/* -l ARG: a number gives its name (128+N, a shell's exit status for
 * "killed by N", too); a name gives its number. */
static int
list_one(const char *arg)
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
			return usage_err("unknown signal number '%s'", arg);
		puts(buf);
		return 0;
	}
	if ((n = sig_from_name(arg)) <= 0)
		return usage_err("unknown signal '%s'", arg);
	printf("%d\n", n);
	return 0;
}

/* -L: the table */
static void
list_table(void)
{
	char name[32], desc[96];
	int s;

	printf("%3s %-10s %-6s %s\n", "NUM", "NAME", "ACTION", "MEANING");
	for (s = 1; s <= sig_max(); s++) {
		if (!sig_name(s, name, sizeof(name)))
			continue;
		printf("%3d %-10s %-6s %s\n", s, name, sig_action(s),
		       sig_describe(s, desc, sizeof(desc)));
	}
}

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
		return usage_err("only one signal may be given ('%s')", orig);
	if (s < 0)
		return usage_err("unknown signal '%s' (see procview kill -l)",
		                 orig);
	k->sig = s;
	k->have_sig = 1;
	return 0;
}

static int
parse_kill(struct kopts *k, int argc, char **argv)
{
	int i, opts = 1, r;

	k->sig = SIGTERM;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		struct target t = {0};

		if (opts && strcmp(a, "--") == 0) {
			opts = 0;
		} else if (opts && (!strcmp(a, "-s") || !strcmp(a, "-n"))) {
			if (i + 1 >= argc)
				return usage_err("'%s' needs a signal", a);
			if ((r = set_sig(k, argv[i + 1], argv[i + 1])))
				return r;
			i++;
		} else if (opts && !strcmp(a, "--dry-run")) {
			k->dry = 1;
		} else if (opts && !strcmp(a, "--force")) {
			k->force = 1;
		} else if (!strcmp(a, "-C")) {
			if (i + 1 >= argc || !argv[i + 1][0])
				return usage_err("'%s' needs a command name",
				                 a);
			t.kind = T_NAME;
			t.name = t.word = argv[++i];
			add_target(k, t);
		} else if (opts && a[0] == '-' && a[1] && !k->have_sig &&
		           k->nt == 0) {
			/* -9, -KILL, -SIGKILL, -rtmin+1: the signal */
			if ((r = set_sig(k, a + 1, a)))
				return r;
		} else if (parse_target(&t, a) == 0) {
			add_target(k, t);
		} else if (opts && a[0] == '-' && a[1] && a[1] != '-' &&
		           k->have_sig && sig_from_name(a + 1) >= 0) {
			return usage_err("only one signal may be given ('%s')",
			                 a);
		} else if (a[0] == '-' && a[1] == '-' && opts) {
			return usage_err("unknown option '%s'", a);
		} else {
			return usage_err("bad target '%s': want PID, -PGID or "
			                 "-C NAME",
			                 a);
		}
	}
	if (k->nt == 0)
		return usage_err("%s", "no process given");
	return 0;
}

/* Why a target is dangerous, or NULL when it is an ordinary one. */
static const char *
danger(const struct target *t, char *buf, size_t n)
{
	int me = (int)getpid(), mygrp = (int)getpgrp();

	if (t->kind == T_PID && t->id == 0)
		snprintf(buf, n,
		         "target 0 means every process in my own process "
		         "group %d (the shell pipeline that ran me)",
		         mygrp);
	else if (t->kind == T_PID && t->id == -1)
		snprintf(buf, n,
		         "target -1 means every process I am allowed "
		         "to signal (as root: all of them)");
	else if (t->kind == T_PID && t->id == 1)
		snprintf(buf, n,
		         "pid 1 is init: ending it ends the whole "
		         "system (or container)");
	else if (t->kind == T_PID && t->id == me)
		snprintf(buf, n, "pid %d is procview itself", me);
	else if (t->kind == T_GROUP && t->id == mygrp)
		snprintf(buf, n,
		         "group %d is my own process group (procview and the "
		         "shell pipeline that ran it)",
		         mygrp);
	else if (t->kind == T_GROUP && t->id == 0)
		snprintf(buf, n, "group 0 means my own process group");
	else
		return NULL;
	return buf;
}

static void
describe(int pid, struct pv_ctx *c)
{
	struct pv_proc p;
	char *cmd;

	if (pv_read_one(&p, pid, NEED_CMDLINE) < 0) {
		printf("  %d (gone)\n", pid);
		return;
	}
	cmd = pv_cmd_alloc(&p, c, 1);
	printf("  %d %s\n", pid, cmd);
	free(cmd);
	pv_proc_free(&p);
}

/* The PIDs a group or name target stands for (for --dry-run and -C). */
static size_t
resolve(const struct target *t, struct pv_list *l, struct pv_ctx *c)
{
	struct pv_sel sel = {0};

	sel.all = 1;
	pv_scan(l, &sel, 0, 0, c);
	{
		size_t i, n = 0;

		for (i = 0; i < l->n; i++) {
			struct pv_proc *p = &l->v[i];
			int keep = t->kind == T_GROUP
			               ? p->st.pgrp == t->id
			               : strcmp(p->st.comm, t->name) == 0 &&
			                     p->pid != c->self_pid;

			if (keep)
				l->v[n++] = *p;
			else
				pv_proc_free(p);
		}
		l->n = n;
		return n;
	}
}

static int
send(int pid, int sig, const char *what)
{
	if (kill(pid, sig) == 0)
		return 0;
	/* ESRCH: no such process; EPERM: operation not permitted */
	warn("kill: %s: %s", what, strerror(errno));
	return -1;
}

static int
do_target(const struct kopts *k, const struct target *t, struct pv_ctx *c)
{
	char why[160], signame[32], what[64];
	struct pv_list l = {0};
	size_t i;
	int fail = 0;

	if (!k->force && danger(t, why, sizeof(why))) {
		warn("kill: refusing '%s': %s; add --force if you mean it",
		     t->word, why);
		return -1;
	}
	sig_name(k->sig, signame, sizeof(signame));
	if (k->sig == 0)
		snprintf(signame, sizeof(signame), "0 (existence check)");
	if (t->kind == T_PID && !k->dry) {
		snprintf(what, sizeof(what), "%d", t->id);
		return send(t->id, k->sig, what);
	}
	if (t->kind == T_GROUP && !k->dry) {
		snprintf(what, sizeof(what), "process group %d", t->id);
		return send(-t->id, k->sig, what);
	}
	if (t->kind == T_PID) { /* dry run of one pid */
		struct pv_proc p;

		if (t->id == -1 || pv_read_one(&p, t->id, 0) < 0) {
			if (t->id != -1) {
				warn("kill: %d: No such process", t->id);
				return -1;
			}
		} else {
			pv_proc_free(&p);
		}
		printf("would send SIG%s to pid %d:\n", signame, t->id);
		if (t->id != -1)
			describe(t->id, c);
		return 0;
	}
	if (resolve(t, &l, c) == 0) {
		if (t->kind == T_GROUP)
			warn("kill: process group %d: No such process", t->id);
		else
			warn("kill: no process named '%s'", t->name);
		pv_list_free(&l);
		return -1;
	}
	if (k->dry) {
		if (t->kind == T_GROUP)
			printf("would send SIG%s to group %d", signame, t->id);
		else
			printf("would send SIG%s to name '%s'", signame,
			       t->name);
		printf(" (%zu process%s):\n", l.n, l.n == 1 ? "" : "es");
	}
	for (i = 0; i < l.n; i++) {
		if (k->dry) {
			describe(l.v[i].pid, c);
			continue;
		}
		snprintf(what, sizeof(what), "%d (%s)", l.v[i].pid, t->name);
		if (send(l.v[i].pid, k->sig, what) < 0)
			fail = 1;
	}
	pv_list_free(&l);
	return fail ? -1 : 0;
}

int
pv_kill_main(int argc, char **argv)
{
	struct kopts k = {0};
	struct pv_ctx c;
	size_t i;
	int r, fail = 0;

	if (argc >= 2 && !strcmp(argv[1], "-l")) {
		if (argc > 3)
			return usage_err("%s", "-l takes at most one signal");
		if (argc == 3)
			return list_one(argv[2]);
		list_names();
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "-L")) {
		list_table();
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		fputs(kill_usage, stdout);
		return 0;
	}
	if ((r = parse_kill(&k, argc, argv)) != 0) {
		free(k.t);
		return r;
	}
	if (pv_ctx_init(&c) < 0) {
		warn("cannot read system facts from '/proc':");
		free(k.t);
		return 1;
	}
	/* each target on its own: one failure never stops the others */
	for (i = 0; i < k.nt; i++)
		if (do_target(&k, &k.t[i], &c) < 0)
			fail = 1;
	pv_ctx_free(&c);
	free(k.t);
	return fail;
}
