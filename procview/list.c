/* list.c: reading /proc into rows, opening only the files needed. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procview.h"
#include "util.h"

int
pv_ctx_init(struct pv_ctx *c)
{
	long pid_max;
	const char *cs = nl_langinfo(CODESET);

	memset(c, 0, sizeof(*c));
	c->hz = sysconf(_SC_CLK_TCK);
	c->page_kb = sysconf(_SC_PAGESIZE) / 1024;
	c->btime = proc_boot_time();
	c->uptime = proc_uptime();
	c->mem_kb = proc_mem_total_kb();
	c->now = time(NULL);
	c->self_pid = (int)getpid();
	c->utf8 = cs && strcmp(cs, "UTF-8") == 0;
	if (c->hz <= 0 || c->btime < 0 || c->uptime < 0)
		return -1;
	/* ps sizes PID columns to the largest PID the kernel can hand out */
	c->pidw = 5;
	pid_max = proc_pid_max();
	if (pid_max > 0) {
		int d = 0;

		for (pid_max -= 1; pid_max > 0; pid_max /= 10)
			d++;
		if (d > c->pidw)
			c->pidw = d;
	}
	return 0;
}

void
pv_ctx_free(struct pv_ctx *c)
{
	uid_cache_free(&c->uids);
}

/* Is this errno "the process is gone"? Then skip it without a word. */
static int
gone(int e)
{
	return e == ENOENT || e == ESRCH;
}

/*
 * The effective uid without reading status: the owner of /proc/PID
 * (see proc_owner). WHY: status is the most expensive file to read,
 * the kernel formats some forty lines of it, and ps -ef needs only the
 * euid from it.
 */
static void
owner(struct proc_handle *h, struct pv_proc *p)
{
	unsigned int gid;

	if (proc_owner(h, &p->stv.euid, &gid) == 0) {
		p->stv.egid = gid;
		p->stv.have_uid = 1;
	}
}

/*
 * WCHAN: the kernel function the task sleeps in, from /proc/PID/wchan
 * ("0" while it runs: shown as "-"; unreadable: "?"), as procps reads it.
 */
static void
read_wchan(struct proc_handle *h, struct pv_proc *p)
{
	const char *w = p->wchan;
	ssize_t r = proc_read(h, "wchan", p->wchan, sizeof(p->wchan));

	if (r < 1) {
		snprintf(p->wchan, sizeof(p->wchan), "?");
		return;
	}
	if (strcmp(p->wchan, "0") == 0) {
		snprintf(p->wchan, sizeof(p->wchan), "-");
		return;
	}
	while (*w == '_' || *w == '.')
		w++; /* ppc64 dots and leading underscores, as procps */
	memmove(p->wchan, w, strlen(w) + 1);
}

/*
 * The first files of a row: stat, then the owner or status as needs
 * says. 0, or -1 if the process vanished (or stat is unreadable).
 */
static int
read_head(struct proc_handle *h, struct pv_proc *p, int needs)
{
	if (proc_read_stat(h, &p->st) < 0)
		return -1;
	p->tid = p->st.pid;
	/* WHY the flag: a kernel thread is marked by the kernel itself; an
	 * empty cmdline only says that argv is empty (zombies, or a process
	 * that wiped it), which any user program can arrange. */
	p->kthread = (p->st.flags & PROC_PF_KTHREAD) != 0;
	if ((needs & (NEED_EUID | NEED_STATUS)) == NEED_EUID)
		owner(h, p);
	if ((needs & NEED_STATUS) && proc_read_status(h, &p->stv) < 0) {
		if (gone(errno))
			return -1;
		p->status_err = errno;
	}
	return 0;
}

/* The rest of a row: wchan and cmdline as needs says. 0, or -1 if the
 * process vanished. */
static int
read_tail(struct proc_handle *h, struct pv_proc *p, int needs)
{
	ssize_t r;
	int cut;

	if (needs & NEED_WCHAN)
		read_wchan(h, p);
	/* kernel threads and zombies have no cmdline: do not even open it */
	if (!(needs & NEED_CMDLINE) || p->kthread || p->st.state == 'Z')
		return 0;
	r = proc_read_alloc(h, "cmdline", PV_CMDLINE_MAX, PROC_ONE_READ,
	                    &p->cmd, &cut);
	if (r < 0) {
		if (gone(errno))
			return -1;
		p->cmd_err = errno;
	} else {
		p->cmdlen = (size_t)r;
		p->cmd_cut = cut;
	}
	return 0;
}

/*
 * Fill p from an open handle: stat always, status and cmdline only if
 * asked. Returns 0, or -1 if the process vanished (or stat is unreadable).
 */
int
pv_read_files(struct proc_handle *h, struct pv_proc *p, int needs)
{
	if (read_head(h, p, needs) < 0)
		return -1;
	return read_tail(h, p, needs);
}

void
pv_proc_free(struct pv_proc *p)
{
	free(p->cmd);
	free(p->forest);
	p->cmd = NULL;
	p->forest = NULL;
}

int
pv_read_one(struct pv_proc *p, int pid, int needs)
{
	struct proc_handle h;
	int r, saved;

	memset(p, 0, sizeof(*p));
	if (proc_open(&h, pid) < 0)
		return -1;
	p->pid = pid;
	r = pv_read_files(&h, p, needs);
	saved = errno;
	proc_close(&h);
	if (r < 0) {
		pv_proc_free(p);
		errno = gone(saved) ? ESRCH : saved;
		return -1;
	}
	return 0;
}

/* The files of thread p->tid of the process open in h into t, with the
 * process's command line (a thread shares it; see threads.c for the
 * exited main thread, whose own cmdline reads empty). */
static int
read_thread(struct proc_handle *h, struct pv_proc *t, int tid, int needs)
{
	struct proc_handle th;
	struct pv_proc proc;
	int r = -1;

	memset(&proc, 0, sizeof(proc));
	proc.pid = t->pid;
	if ((needs & NEED_CMDLINE) && pv_read_files(h, &proc, NEED_CMDLINE) < 0)
		return -1;
	if (proc.st.state == 'Z')
		pv_proc_free(&proc); /* the thread reads its own */
	else
		needs &= ~NEED_CMDLINE;
	if (proc_open_task(&th, h, tid) == 0) {
		r = pv_read_files(&th, t, needs);
		proc_close(&th);
	}
	if (r == 0 && proc.cmd) {
		t->cmd = proc.cmd;
		t->cmdlen = proc.cmdlen;
		t->cmd_cut = proc.cmd_cut;
		t->cmd_err = proc.cmd_err;
		proc.cmd = NULL;
	}
	pv_proc_free(&proc);
	return r;
}

int
pv_read_more(struct pv_proc *p, int needs)
{
	struct proc_handle h;
	struct pv_proc t;
	int r;

	memset(&t, 0, sizeof(t));
	t.pid = p->pid;
	if (proc_open(&h, p->pid) < 0) {
		errno = ESRCH;
		return -1;
	}
	if (p->tid == p->pid)
		r = pv_read_files(&h, &t, needs);
	else
		r = read_thread(&h, &t, p->tid, needs);
	proc_close(&h);
	/* WHY the start time: between the scan and now the process may
	 * have ended and its PID been given to another one */
	if (r < 0 || t.tid != p->tid || t.st.starttime != p->st.starttime) {
		pv_proc_free(&t);
		errno = ESRCH;
		return -1;
	}
	if (needs & NEED_STATUS) {
		p->stv = t.stv;
		p->status_err = t.status_err;
	}
	if (needs & NEED_WCHAN)
		memcpy(p->wchan, t.wchan, sizeof(p->wchan));
	free(p->cmd);
	p->cmd = t.cmd;
	p->cmdlen = t.cmdlen;
	p->cmd_err = t.cmd_err;
	p->cmd_cut = t.cmd_cut;
	p->partial = 0;
	return 0;
}

struct pv_proc *
pv_list_push(struct pv_list *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

/*
 * Read one process; 1 = row kept, 0 = not selected or gone.
 *
 * WHY one handle and one close: the files of one process are opened one
 * right after the other through its directory, so their descriptors are
 * consecutive and proc_close ends them all with a single close_range():
 * 7 system calls per process for ps -ef's columns (open the directory,
 * open and read stat and cmdline, the owner, close), where procps ps
 * makes about 16. A file is opened only when it will be read: cmdline
 * not for a kernel thread or a zombie, nor for an unselected process.
 */
static int
scan_one(struct pv_list *l, int pid, const struct pv_sel *sel, int needs,
         int threads)
{
	struct proc_handle h;
	struct pv_proc p;
	int keep = 0;

	memset(&p, 0, sizeof(p));
	if (proc_open(&h, pid) < 0)
		return 0; /* gone between readdir and open: normal */
	p.pid = pid;
	if (read_head(&h, &p, needs) < 0 || !pv_sel_match(sel, &p) ||
	    read_tail(&h, &p, needs) < 0)
		goto out;
	/* a single thread is the process itself: no need to list task/ */
	if (threads && p.st.num_threads > 1) {
		pv_scan_threads(l, &h, &p, needs);
		pv_proc_free(&p);
		keep = 1;
		goto out;
	}
	*pv_list_push(l) = p;
	p.cmd = NULL;
	keep = 1;
out:
	pv_proc_free(&p);
	proc_close(&h);
	return keep;
}

/* One half of the PID list, scanned into its own list. */
struct scan_part {
	struct pv_list l;
	const int *pids;
	size_t n;
	const struct pv_sel *sel; /* read only: shared by both halves */
	int needs, threads;
};

static void
scan_part(struct scan_part *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		scan_one(&s->l, s->pids[i], s->sel, s->needs, s->threads);
}

/*
 * ThreadSanitizer knows one descriptor table per process: the same
 * number open in two tables looks to it like a race on one descriptor.
 * Its builds keep the table shared (the rows are the same either way).
 */
#if defined(__SANITIZE_THREAD__)
#define SCAN_OWN_FDS 0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SCAN_OWN_FDS 0
#endif
#endif
#ifndef SCAN_OWN_FDS
#define SCAN_OWN_FDS 1
#endif

/*
 * The second thread's half. WHY its own descriptor table: proc_close
 * ends a process's files with one close_range() only when their numbers
 * are consecutive; with one shared table the two threads' open() calls
 * would interleave the numbers and cost a close() per file (10 system
 * calls per process for aux instead of 8). unshare gives this thread a
 * private copy of the table; if it fails, the numbers interleave and
 * proc_close closes file by file: slower, still right.
 */
static void *
scan_thread(void *arg)
{
	if (SCAN_OWN_FDS)
		(void)unshare(CLONE_FILES);
	scan_part(arg);
	return NULL;
}

/* Append b's rows to a (b is emptied; its rows move, not copy). */
static void
list_append(struct pv_list *a, struct pv_list *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		*pv_list_push(a) = b->v[i];
	free(b->v);
	memset(b, 0, sizeof(*b));
}

/*
 * Start the upper half on a thread with every signal blocked (they stay
 * the main thread's, so a handler never interrupts the scan's reads).
 * 0, or -1 if no thread could be started.
 */
static int
start_upper(pthread_t *t, struct scan_part *upper)
{
	sigset_t all, old;
	int r;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(t, NULL, scan_thread, upper);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r == 0 ? 0 : -1;
}

/* Fewer PIDs than this are scanned by one thread: starting a second
 * costs more than it saves. */
#define SCAN_SPLIT_MIN 64

/*
 * WHY two threads: almost all the time of a listing is the kernel's,
 * writing each process's stat, status and cmdline, and one process's
 * files do not depend on another's. With two CPUs, two threads each
 * read half of the PIDs, and the wall time is about halved; ps reads
 * one process at a time. Each half is scanned in PID order into its
 * own list (no locks: the lists are private, the selection is only
 * read), and the upper half is appended after the lower, so the rows
 * come out in exactly the order a single pass gives.
 */
int
pv_scan(struct pv_list *l, const struct pv_sel *sel, int needs, int threads,
        struct pv_ctx *c)
{
	struct scan_part lower, upper;
	pthread_t t;
	int *pids, split;
	ssize_t n;

	(void)c;
	needs |= pv_sel_needs(sel);
	n = proc_list_pids(&pids);
	if (n < 0)
		return -1;
	split = n >= SCAN_SPLIT_MIN && sysconf(_SC_NPROCESSORS_ONLN) >= 2;
	lower = (struct scan_part){*l, pids, (size_t)n, sel, needs, threads};
	upper = (struct scan_part){{0}, pids, 0, sel, needs, threads};
	if (split) {
		lower.n = (size_t)n / 2;
		upper.pids = pids + lower.n;
		upper.n = (size_t)n - lower.n;
		if (start_upper(&t, &upper) < 0) { /* one thread does all */
			lower.n = (size_t)n;
			split = 0;
		}
	}
	scan_part(&lower);
	if (split) {
		pthread_join(t, NULL);
		list_append(&lower.l, &upper.l);
	}
	*l = lower.l;
	free(pids);
	return 0;
}

void
pv_list_free(struct pv_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		pv_proc_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
