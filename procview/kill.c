/*
 * kill.c: procview kill, a kill(1) with safety catches.
 *
 *   procview kill [-s SIG | -SIG | -n NUM] [-q VALUE] [--dry-run]
 *                 [--force] [--] PID|-PGID|-C NAME ...
 *   procview kill -l [SIG|NUM]      names and numbers, as procps kill
 *   procview kill -L                the table, as procps kill
 *   procview kill --meanings        the table with what each one does
 *
 * WHY hand-written parsing instead of getopt: in "kill -9 -1234" both
 * words start with '-'. The first is the signal, the second a process
 * group. A parser that treats every "-NUMBER" as a signal option sends
 * the wrong signal to the wrong target (a known procps bug did). Rule
 * here: only ONE signal may be given, before any target; after it (or
 * after "--"), "-N" is always the process group N.
 *
 * Two phases. First every target is parsed, checked against the safety
 * rules and looked up (its start time noted); if any target is refused,
 * nothing at all is sent. Then each process is signalled through a
 * pidfd opened and verified just before (see send_verified): a PID that
 * was recycled since the check is never hit.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "esc.h"
#include "kill.h"
#include "opt.h"
#include "procview.h"
#include "sig.h"
#include "term.h"
#include "util.h"
#include "wrap.h"

/* Why signalling pid is dangerous, or NULL for an ordinary process. */
static const char *
danger_pid(int pid, char *buf, size_t n)
{
	/* getpgrp() is 0 when the group's leader is outside our PID
	 * namespace: then there is no number to show */
	if (pid == 0 && getpgrp() == 0)
		snprintf(buf, n,
		         "target 0 means every process in my own process "
		         "group (the job or script that ran me)");
	else if (pid == 0)
		snprintf(buf, n,
		         "target 0 means every process in my own process "
		         "group %d (the job or script that ran me)",
		         (int)getpgrp());
	/* kill(2): -1 reaches all the caller may signal but init and
	 * itself */
	else if (pid == -1)
		snprintf(buf, n,
		         "target -1 means every process I am allowed "
		         "to signal (as root: all but init and me)");
	else if (pid == 1)
		snprintf(buf, n,
		         "pid 1 is init: ending it ends the whole "
		         "system (or container)");
	else if (pid == (int)getpid())
		snprintf(buf, n, "pid %d is procview itself", pid);
	/* "procview kill $$" in a shell: the shell is our parent */
	else if (pid == (int)getppid())
		snprintf(buf, n,
		         "pid %d is my parent (the shell or program that "
		         "ran procview)",
		         pid);
	/* usually the login shell: ending it ends the terminal session */
	else if (pid == (int)getsid(0))
		snprintf(buf, n,
		         "pid %d leads my session (usually the login shell)",
		         pid);
	else
		return NULL;
	return buf;
}

/* Why a target is dangerous, or NULL when it is an ordinary one. */
static const char *
danger(const struct target *t, char *buf, size_t n)
{
	int mygrp = (int)getpgrp();

	if (t->kind == T_PID)
		return danger_pid(t->id, buf, n);
	if (t->kind == T_GROUP && t->id == mygrp)
		snprintf(buf, n,
		         "group %d is my own process group (procview and the "
		         "job or script that ran it)",
		         mygrp);
	else if (t->kind == T_GROUP && t->id == 0)
		snprintf(buf, n, "group 0 means my own process group");
	else
		return NULL;
	return buf;
}

/* Our own long sentence on stderr: wrapped to a terminal's width, one
 * line into a pipe or a file (for grep). */
static void
warn_wrapped(const char *msg)
{
	int width = term_isatty(2) ? term_width(2) : 0;
	char *w = wrap_text(msg, strlen(progname()) + 2, 2,
	                    width > 0 ? (size_t)width : 0);

	warn("%s", w ? w : msg);
	free(w);
}

/*
 * A dangerous target: refused (returns -1) unless --force, when it is
 * only a warning. word is the target as typed, shown escaped.
 */
static int
guard(const struct kopts *k, const char *word, const char *why)
{
	char w[64], msg[512];

	esc_buf(w, sizeof(w), word, strlen(word), ESC_NOLIMIT, NULL);
	if (!k->force) {
		snprintf(msg, sizeof(msg),
		         "kill: refusing '%s': %s; add --force if you mean it",
		         w, why);
		warn_wrapped(msg);
		return -1;
	}
	snprintf(msg, sizeof(msg),
	         "kill: warning: '%s': %s; going ahead because of --force", w,
	         why);
	warn_wrapped(msg);
	return 0;
}

static void
describe(int pid)
{
	struct pv_proc p;
	char *cmd;

	if (pv_read_one(&p, pid, NEED_CMDLINE) < 0) {
		printf("  %d (gone)\n", pid);
		return;
	}
	cmd = pv_cmd_alloc(&p, 1);
	printf("  %d ", pid);
	esc_fputs(cmd, stdout); /* the process's own text: escaped */
	putchar('\n');
	free(cmd);
	pv_proc_free(&p);
}

/* Every process, for resolve(). Returns 0, or -1 with errno. */
static int
scan_all(struct pv_list *l, struct pv_ctx *c)
{
	struct pv_sel sel = {0};

	sel.all = 1;
	return pv_scan(l, &sel, 0, 0, c);
}

/*
 * Keep in l (a scan_all) the PIDs a group or name target stands for;
 * returns how many.
 */
static size_t
resolve(const struct target *t, struct pv_list *l, struct pv_ctx *c)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++) {
		struct pv_proc *p = &l->v[i];
		int keep = t->kind == T_GROUP
		               ? p->st.pgrp == t->id
		               : t->name && pv_comm_is(p->st.comm, t->name) &&
		                     p->pid != c->self_pid;

		if (keep)
			l->v[n++] = *p;
		else
			pv_proc_free(p);
	}
	l->n = n;
	return n;
}

static void
add_victim(struct kopts *k, const struct target *t, int pid,
           const struct pv_proc *p)
{
	struct victim v = {0};

	v.pid = pid;
	v.t = t;
	if (p) {
		v.start = p->st.starttime;
		snprintf(v.comm, sizeof(v.comm), "%s", p->st.comm);
	}
	k->v = xreallocarray(k->v, k->nv + 1, sizeof(v));
	k->v[k->nv++] = v;
}

/* Is name (a -C target) procview's own command name? */
static int
is_me(const char *name)
{
	char me[17] = "";

	prctl(PR_GET_NAME, me); /* this thread's comm: 16 bytes at most */
	return name && pv_comm_is(me, name);
}

/* The processes of a group or name target; 0, -1 failed, -2 refused. */
static int
check_many(struct kopts *k, const struct target *t, struct pv_ctx *c)
{
	char why[160], name[64];
	struct pv_list l = {0};
	size_t i;
	int r = 0;

	/* without the list, "no such process" would be a guess */
	if (scan_all(&l, c) < 0) {
		warn("kill: cannot read '/proc':");
		pv_list_free(&l);
		return -1;
	}
	esc_buf(name, sizeof(name), t->name ? t->name : "",
	        t->name ? strlen(t->name) : 0, ESC_NOLIMIT, NULL);
	if (resolve(t, &l, c) == 0) {
		if (t->kind == T_GROUP)
			warn("kill: process group %d: No such process", t->id);
		else /* resolve() leaves procview out: say so */
			warn("kill: no process named '%s'%s", name,
			     is_me(t->name) ? " (other than procview itself)"
			                    : "");
		r = -1;
	}
	for (i = 0; i < l.n; i++) {
		/* "-C bash" must not end my own shell unnoticed */
		if (t->kind == T_NAME &&
		    danger_pid(l.v[i].pid, why, sizeof(why)) &&
		    guard(k, t->word, why) < 0)
			r = -2;
		add_victim(k, t, l.v[i].pid, &l.v[i]);
	}
	pv_list_free(&l);
	return r;
}

/*
 * Phase one for target t: the safety rules, then what it stands for,
 * noted in k->v. Returns 0, -1 (a failure: the others still go), or -2
 * (refused: nothing at all is sent).
 */
static int
check_target(struct kopts *k, const struct target *t, struct pv_ctx *c)
{
	char why[160];
	struct pv_proc p;

	if (danger(t, why, sizeof(why)) && guard(k, t->word, why) < 0)
		return -2;
	if (t->kind != T_PID)
		return check_many(k, t, c);
	if (t->id <= 0) { /* 0 or -1 with --force: kill(2) itself */
		add_victim(k, t, t->id, NULL);
		return 0;
	}
	if (pv_read_one(&p, t->id, 0) < 0) {
		warn("kill: %d: %s", t->id, pv_gone(errno));
		return -1;
	}
	add_victim(k, t, t->id, &p);
	pv_proc_free(&p);
	return 0;
}

/* kill(2) or sigqueue(3) by number, with a message */
static int
send_number(const struct kopts *k, int pid, const char *what)
{
	union sigval sv;
	int r;

	sv.sival_int = k->value;
	r = k->have_value ? sigqueue(pid, k->sig, sv) : kill(pid, k->sig);
	if (r == 0)
		return 0;
	/* ESRCH: no such process; EPERM: operation not permitted */
	warn("kill: %s: %s", what, strerror(errno));
	return -1;
}

static int
send_verified(const struct kopts *k, const struct victim *v)
{
	char what[96], name[64], err[160];

	esc_buf(name, sizeof(name), v->comm, strlen(v->comm), ESC_NOLIMIT,
	        NULL);
	if (v->t->kind == T_NAME)
		snprintf(what, sizeof(what), "%d (%s)", v->pid, name);
	else
		snprintf(what, sizeof(what), "%d", v->pid);
	if (pv_verified_send(v->pid, v->start, v->comm, k->sig,
	                     k->have_value ? &k->value : NULL, err,
	                     sizeof(err)) == 0)
		return 0;
	warn("kill: %s: %s", what, err);
	return -1;
}

int
pv_kill_checked(int pid, unsigned long long start, const char *comm, int sig,
                char *err, size_t n)
{
	char why[160];

	if (danger_pid(pid, why, sizeof(why))) {
		snprintf(err, n, "refused: %s (use procview kill --force)",
		         why);
		return -1;
	}
	return pv_verified_send(pid, start, comm, sig, NULL, err, n);
}

/* Phase two for target t: 0, or -1 if any of its signals failed */
static int
send_target(const struct kopts *k, const struct target *t)
{
	char what[96];
	size_t i;
	int fail = 0, any = 0;

	for (i = 0; i < k->nv; i++)
		any |= k->v[i].t == t;
	if (!any)
		return 0; /* failed its check: already counted */
	/* a group, 0 and -1 have no pidfd: kill(2) is the only way */
	if (t->kind == T_GROUP) {
		snprintf(what, sizeof(what), "process group %d", t->id);
		return send_number(k, -t->id, what);
	}
	if (t->kind == T_PID && t->id <= 0)
		return send_number(k, t->id, t->word);
	for (i = 0; i < k->nv; i++)
		if (k->v[i].t == t && send_verified(k, &k->v[i]) < 0)
			fail = 1;
	return fail ? -1 : 0;
}

/*
 * --dry-run's permission check: signal 0 goes the way the real signal
 * would (kill(2) for a group, 0 and -1; the verified pidfd for a
 * process). WHY 0: the kernel makes every check of a real send (the
 * process exists, I may signal it: EPERM otherwise) and delivers
 * nothing. A failure is reported as the real run would report it.
 * ok[j] is set for each victim that may be signalled; 0, or -1 if any
 * failed.
 */
static int
probe(const struct kopts *k, char *ok)
{
	struct kopts p0 = *k;
	size_t i, j;
	int fail = 0;

	p0.sig = 0;
	p0.have_value = 0;
	for (i = 0; i < k->nt; i++) {
		const struct target *t = &k->t[i];
		int group =
		    t->kind == T_GROUP || (t->kind == T_PID && t->id <= 0);
		int r = 0, any = 0;

		for (j = 0; j < k->nv; j++) {
			if (k->v[j].t != t)
				continue;
			if (!group)
				r = send_verified(&p0, &k->v[j]);
			else if (!any)
				r = send_target(&p0, t);
			ok[j] = r == 0;
			fail |= r < 0;
			any = 1;
		}
	}
	return fail ? -1 : 0;
}

/* --dry-run: what each target would get, and who that is; 0, or 1 if
 * a target failed its check or its probe */
static int
dry_run(const struct kopts *k, int fail)
{
	char signame[32], name[64], *ok = xcalloc(k->nv + 1, 1);
	size_t i, j, n;

	if (probe(k, ok) < 0)
		fail = 1;
	sig_label(k->sig, signame, sizeof(signame));
	if (k->sig == 0)
		snprintf(signame, sizeof(signame),
		         "signal 0 (existence check)");
	for (i = 0; i < k->nt; i++) {
		const struct target *t = &k->t[i];

		for (n = 0, j = 0; j < k->nv; j++)
			n += k->v[j].t == t && ok[j];
		if (n == 0)
			continue; /* failed its check or probe: said why */
		if (t->kind == T_PID) {
			printf("would send %s to pid %d:\n", signame, t->id);
			if (t->id > 0)
				describe(t->id);
			continue;
		}
		if (t->kind == T_GROUP) {
			printf("would send %s to group %d", signame, t->id);
		} else {
			esc_buf(name, sizeof(name), t->name, strlen(t->name),
			        ESC_NOLIMIT, NULL);
			printf("would send %s to name '%s'", signame, name);
		}
		printf(" (%zu process%s):\n", n, n == 1 ? "" : "es");
		for (j = 0; j < k->nv; j++)
			if (k->v[j].t == t && ok[j])
				describe(k->v[j].pid);
	}
	free(ok);
	return fail;
}

/*
 * A hook for tests only: stop between the check and the send, so that
 * a test can end the checked process and make its PID recycle (see
 * tests/cli/procview_kill.sh). It can only delay this procview.
 */
static void
test_pause(void)
{
	if (getenv("PROCVIEW_KILL_TEST_STOP"))
		raise(SIGSTOP);
}

/* The kill itself, after parsing: 0, or 1 if anything failed */
static int
run_kill(struct kopts *k, struct pv_ctx *c)
{
	size_t i;
	int r, fail = 0, refused = 0;

	/* phase one: check everything, send nothing */
	for (i = 0; i < k->nt; i++) {
		r = check_target(k, &k->t[i], c);
		refused |= r == -2;
		fail |= r < 0;
	}
	if (refused) {
		warn("kill: nothing sent: a target was refused");
		return 1;
	}
	if (k->dry)
		return dry_run(k, fail);
	test_pause();
	/* phase two: each target on its own, one failure stops no other */
	for (i = 0; i < k->nt; i++)
		if (send_target(k, &k->t[i]) < 0)
			fail = 1;
	return fail;
}

int
pv_kill_main(int argc, char **argv)
{
	struct kopts k = {0};
	struct pv_ctx c;
	int r;

	if ((r = pv_kill_listing(argc, argv, &kill_usage)) >= 0)
		return r;
	if (argc == 2 && !strcmp(argv[1], "--help"))
		opt_help(&kill_usage);
	if (argc == 2 && !strcmp(argv[1], "--version"))
		opt_version();
	if ((r = parse_kill(&k, argc, argv)) != 0) {
		free(k.t);
		return r;
	}
	if (pv_ctx_init(&c) < 0) {
		warn("cannot read system facts from '/proc':");
		free(k.t);
		return 1;
	}
	r = run_kill(&k, &c);
	pv_ctx_free(&c);
	free(k.v);
	free(k.t);
	return r;
}
