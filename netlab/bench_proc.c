/*
 * bench_proc.c: a server's figures read from /proc/PID, for netlab bench
 * (--server-pid, --idle, --compare): memory (RSS, or the sum of PSS over
 * its processes), page tables, threads, processes, descriptors, CPU time
 * and context switches, summed over the server and its children.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "proc.h"
#include "util.h"

/* The longest fdinfo or maps file read: 16 MiB, 200,000 lines and more. */
#define LIST_TEXT_MAX ((size_t)1 << 24)

/* Lines of text that start with prefix. */
static long long
count_lines(const char *text, const char *prefix)
{
	size_t len = strlen(prefix);
	long long n = 0;
	const char *p = text;

	while (p && *p) {
		if (strncmp(p, prefix, len) == 0)
			n++;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

/*
 * The registrations of epoll descriptor NAME (under fd/): its
 * fdinfo has one "tfd:" line per watched descriptor, and the kernel
 * keeps an eventpoll_epi object for each. -1 if it cannot be read. Its
 * own descriptor, not one of h's (a handle keeps only a few files).
 */
static long long
epoll_registrations(struct proc_handle *h, const char *name)
{
	char path[sizeof("fdinfo/") + 256], *text = NULL;
	long long n = -1;
	int fd, cut = 0;

	snprintf(path, sizeof(path), "fdinfo/%s", name);
	fd = openat(h->dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (proc_read_fd_alloc(fd, LIST_TEXT_MAX, PROC_TO_EOF, &text, &cut) >=
	        0 &&
	    !cut)
		n = count_lines(text, "tfd:");
	free(text);
	close(fd);
	return n;
}

/* Is fd/NAME of h an epoll instance? (its link: "anon_inode:[eventpoll]") */
static int
is_epoll(int dfd, const char *name)
{
	static const char ep[] = "anon_inode:[eventpoll]";
	char link[sizeof(ep)];
	ssize_t n = readlinkat(dfd, name, link, sizeof(link));

	return n == (ssize_t)sizeof(ep) - 1 && memcmp(link, ep, (size_t)n) == 0;
}

/*
 * Open descriptors of h (fd-table entries: a descriptor that a forked
 * child inherited counts in each process). *regs gets the epoll
 * registrations added (-1 from then on if one cannot be read).
 */
static long long
count_fds(struct proc_handle *h, long long *regs)
{
	int dfd = openat(h->dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *e;
	long long n = 0, r;
	DIR *d;

	if (dfd < 0)
		return -1;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		if (*regs < 0 || !is_epoll(dirfd(d), e->d_name))
			continue;
		r = epoll_registrations(h, e->d_name);
		*regs = r < 0 ? -1 : *regs + r;
	}
	closedir(d);
	return n;
}

/* Memory maps (VMAs) of h: the lines of /proc/PID/maps, or -1. */
static long long
count_vmas(struct proc_handle *h)
{
	char *text = NULL;
	long long n = -1;
	int cut = 0;

	if (proc_read_alloc(h, "maps", LIST_TEXT_MAX, PROC_TO_EOF, &text,
	                    &cut) >= 0 &&
	    !cut)
		n = count_lines(text, "");
	free(text);
	return n;
}

static long long
pss_kb(struct proc_handle *h)
{
	char *text = NULL, *p;
	long long kb = -1;
	int cut = 0;

	if (proc_read_alloc(h, "smaps_rollup", 1 << 16, PROC_ONE_READ, &text,
	                    &cut) < 0)
		return -1;
	p = strstr(text, "\nPss:");
	if (p)
		kb = strtoll(p + 5, NULL, 10);
	free(text);
	return kb;
}

/*
 * Context switches of every live thread of h: /proc/PID/status shows
 * only the main thread's, so each task/TID/status is read. A thread
 * that has ended took its counts with it (only getrusage inside the
 * process, or wait4 by its parent, still sees them).
 */
static void
add_switches(struct proc_handle *h, struct bench_proc *p)
{
	struct proc_handle th;
	struct proc_status ts;
	int *tids = NULL;
	ssize_t n, i;

	n = proc_list_tasks(h, &tids);
	for (i = 0; i < n; i++) {
		if (proc_open_task(&th, h, tids[i]) < 0)
			continue; /* it ended meanwhile */
		if (proc_read_status(&th, &ts) == 0) {
			p->vcsw += ts.vcsw;
			p->ivcsw += ts.ivcsw;
		}
		proc_close(&th);
	}
	free(tids);
}

/*
 * A process's CPU clock in ns: the scheduler's own count of the time
 * its threads ran (sum_exec_runtime, what /proc/PID/schedstat shows per
 * thread), ended threads included, not sampled at 100 Hz ticks as
 * utime and stime are. 0 if it cannot be read.
 */
static unsigned long long
cpu_clock_ns(int pid)
{
	struct timespec ts;
	clockid_t id;

	if (clock_getcpuclockid(pid, &id) != 0 || clock_gettime(id, &ts) < 0)
		return 0;
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

/* Cannot read: refused (not gone, where skipping would be right). */
static int
refused(void)
{
	return errno == EACCES || errno == EPERM;
}

/* A process that has exited: a zombie (Z) or one being reaped (X). */
static int
exited(char state)
{
	return state == 'Z' || state == 'X';
}

/*
 * A child that has exited but is not reaped yet (a zombie) has no
 * memory, descriptors or threads left: only its CPU is counted (its CPU
 * clock still reads until it is reaped, then its time is in the
 * parent's cutime), and it is counted in p->exited, not as a process.
 */
static void
add_exited(const struct proc_stat *st, struct bench_proc *p)
{
	p->cpu += st->utime + st->stime;
	p->cpu_ns += cpu_clock_ns(st->pid);
	p->exited++;
}

/* Has h ended since its stat was read? 1: exited (*st re-read), or gone */
static int
ended_meanwhile(struct proc_handle *h, struct proc_stat *st)
{
	if (proc_read_stat(h, st) < 0)
		return errno != EACCES && errno != EPERM;
	return exited(st->state);
}

/*
 * Add one process's figures to p. 0, or -1 with errno (gone, or EACCES:
 * another user's process, whose descriptors and smaps need privilege;
 * its figures are then unavailable, never guessed). A child (child 1)
 * that has exited, or exits while it is read (its smaps_rollup then
 * fails with ESRCH), is not a failure: see add_exited.
 */
static int
add_one(struct proc_handle *h, struct bench_proc *p, int child)
{
	struct proc_stat st;
	struct proc_status ps;
	long long kb, fds, vmas;

	if (proc_read_stat(h, &st) < 0 || proc_read_status(h, &ps) < 0)
		return -1;
	if (child && exited(st.state)) {
		add_exited(&st, p);
		return 0;
	}
	fds = count_fds(h, &p->epoll_regs);
	kb = pss_kb(h);
	vmas = count_vmas(h);
	if ((fds < 0 || kb < 0 || vmas < 0) && refused())
		return -1;
	if (child && (fds < 0 || kb < 0 || vmas < 0) &&
	    ended_meanwhile(h, &st)) {
		if (exited(st.state))
			add_exited(&st, p);
		return 0; /* reaped: its CPU moved to our cutime */
	}
	if (fds < 0 || vmas < 0)
		return -1;
	p->rss_kb += ps.vmrss_kb;
	p->pte_kb += ps.vmpte_kb; /* threads share it: once per process */
	p->threads += st.num_threads;
	p->cpu += st.utime + st.stime + (unsigned long long)st.cutime +
	          (unsigned long long)st.cstime;
	p->cpu_ns += cpu_clock_ns(st.pid);
	p->child_ticks +=
	    (unsigned long long)st.cutime + (unsigned long long)st.cstime;
	add_switches(h, p);
	if (kb < 0 || p->pss_kb < 0)
		p->pss_kb = -1;
	else
		p->pss_kb += kb;
	p->fds += fds;
	p->vmas += vmas;
	p->procs++;
	return 0;
}

/* The longest children list read: over 100,000 PIDs, far past a server. */
#define CHILDREN_TEXT_MAX ((size_t)1 << 20)

/*
 * The children of pid's main thread, from /proc/PID/task/PID/children
 * (the fork model forks from its main thread). *out from malloc.
 */
static long
children_of(struct proc_handle *h, int pid, int **out)
{
	char path[64], *text, *p, *end;
	long n = 0, cap = 16;
	int *v, cut;
	long c;

	*out = NULL;
	snprintf(path, sizeof(path), "task/%d/children", pid);
	/*
	 * "children" is a seq_file that hands out about a page per
	 * read(2): a short read is not the end (PROC_TO_EOF).
	 */
	if (proc_read_alloc(h, path, CHILDREN_TEXT_MAX, PROC_TO_EOF, &text,
	                    &cut) < 0)
		return -1;
	v = xmalloc((size_t)cap * sizeof(*v));
	for (p = text; *p; p = end) {
		c = strtol(p, &end, 10);
		if (end == p)
			break;
		if (n == cap) {
			cap *= 2;
			v = xreallocarray(v, (size_t)cap, sizeof(*v));
		}
		v[n++] = (int)c;
	}
	free(text);
	*out = v;
	return n;
}

int
bench_proc_sample(int pid, struct bench_proc *p)
{
	struct proc_handle h, ch;
	int *kids = NULL, denied = 0;
	long n, i;

	memset(p, 0, sizeof(*p));
	if (proc_open(&h, pid) < 0)
		return -1;
	if (add_one(&h, p, 0) < 0) {
		proc_close(&h);
		return -1;
	}
	n = children_of(&h, pid, &kids);
	for (i = 0; i < n && !denied; i++) {
		if (proc_open(&ch, kids[i]) < 0)
			continue; /* it ended meanwhile: normal */
		denied = add_one(&ch, p, 1) < 0 && refused();
		proc_close(&ch);
	}
	free(kids);
	proc_close(&h);
	/*
	 * Several processes: only their PSS sums right (see the top); an
	 * RSS sum would count shared pages once per child. Without PSS the
	 * memory figure is unavailable, not replaced by another one.
	 */
	if (denied || (p->procs > 1 && p->pss_kb < 0)) {
		errno = denied ? EACCES : ENODATA;
		return -1;
	}
	p->ok = 1;
	return 0;
}

int
bench_server_sample(int pid, struct bench_proc *p)
{
	if (bench_proc_sample(pid, p) == 0)
		return 0;
	warn("cannot read the server's figures in '/proc/%d': %s", pid,
	     errno == EACCES ? "Permission denied (another user's process)"
	     : errno == ENODATA
	         ? "a child process's smaps_rollup has no Pss (kernel "
	           "without PSS)"
	         : strerror(errno));
	return -1;
}

void
bench_raise_nofile(long long want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || (long long)rl.rlim_cur >= want)
		return;
	rl.rlim_cur =
	    rl.rlim_max == RLIM_INFINITY || (long long)rl.rlim_max >= want
	        ? (rlim_t)want
	        : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}
