/* list.c: reading /proc into rows, opening only the files needed. */
#include <errno.h>
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

	if (proc_owner(h, &p->stv.euid, &gid) == 0)
		p->stv.have_uid = 1;
}

/*
 * Fill p from an open handle: stat always, status and cmdline only if
 * asked. Returns 0, or -1 if the process vanished (or stat is unreadable).
 */
int
pv_read_files(struct proc_handle *h, struct pv_proc *p, int needs)
{
	int cut;

	if (proc_read_stat(h, &p->st) < 0)
		return -1;
	p->tid = p->st.pid;
	/* WHY the flag: a kernel thread is marked by the kernel itself; an
	 * empty cmdline only says that argv is empty (zombies, or a process
	 * that wiped it), which any user program can arrange. */
	p->kthread = (p->st.flags & PROC_PF_KTHREAD) != 0;
	if ((needs & (NEED_EUID | NEED_STATUS)) == NEED_EUID)
		owner(h, p);
	if (needs & NEED_STATUS) {
		if (proc_read_status(h, &p->stv) < 0) {
			if (gone(errno))
				return -1;
			p->status_err = errno;
		}
	}
	/* kernel threads and zombies have no cmdline: do not even ask */
	if ((needs & NEED_CMDLINE) && !p->kthread && p->st.state != 'Z') {
		ssize_t r = proc_read_alloc(h, "cmdline", PV_CMDLINE_MAX,
		                            &p->cmd, &cut);

		if (r < 0) {
			if (gone(errno))
				return -1;
			p->cmd_err = errno;
		} else {
			p->cmdlen = (size_t)r;
		}
	}
	return 0;
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

/* Fill p from the files opened by scan_one; 0, or -1 if p is gone or
 * not selected. */
static int
read_opened(struct proc_handle *h, struct pv_proc *p, const int fd[3],
            const struct pv_sel *sel, int needs)
{
	int cut;
	ssize_t r;

	if (proc_parse_stat_fd(fd[0], &p->st) < 0)
		return -1;
	p->tid = p->st.pid;
	p->kthread = (p->st.flags & PROC_PF_KTHREAD) != 0;
	if ((needs & (NEED_EUID | NEED_STATUS)) == NEED_EUID)
		owner(h, p);
	if (fd[1] >= 0 && proc_parse_status_fd(fd[1], &p->stv) < 0) {
		if (gone(errno))
			return -1;
		p->status_err = errno;
	}
	if (!pv_sel_match(sel, p))
		return -1;
	/* kernel threads and zombies have no command line: do not ask */
	if (fd[2] >= 0 && !p->kthread && p->st.state != 'Z') {
		r = proc_read_fd_alloc(fd[2], PV_CMDLINE_MAX, &p->cmd, &cut);
		if (r < 0 && gone(errno))
			return -1;
		if (r < 0)
			p->cmd_err = errno;
		else
			p->cmdlen = (size_t)r;
	}
	return 0;
}

/*
 * Read one process; 1 = row kept, 0 = not selected or gone.
 *
 * WHY open everything first: the files of one process are opened one
 * right after the other, so their descriptors are consecutive and
 * proc_close ends them all with a single close_range(): 8 system calls
 * per process for ps -ef's columns (open the directory, open and read
 * stat, status and cmdline, close), where procps ps makes about 16.
 */
static int
scan_one(struct pv_list *l, int pid, const struct pv_sel *sel, int needs,
         int threads)
{
	struct proc_handle h;
	struct pv_proc p;
	int fd[3] = {-1, -1, -1}, keep = 0;

	memset(&p, 0, sizeof(p));
	if (proc_open(&h, pid) < 0)
		return 0; /* gone between readdir and open: normal */
	fd[0] = proc_open_file(&h, "stat");
	if (needs & NEED_STATUS)
		fd[1] = proc_open_file(&h, "status");
	if (needs & NEED_CMDLINE)
		fd[2] = proc_open_file(&h, "cmdline");
	p.pid = pid;
	if (fd[0] < 0 || read_opened(&h, &p, fd, sel, needs) < 0)
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

int
pv_scan(struct pv_list *l, const struct pv_sel *sel, int needs, int threads,
        struct pv_ctx *c)
{
	int *pids;
	ssize_t n, i;

	(void)c;
	needs |= pv_sel_needs(sel);
	n = proc_list_pids(&pids);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++)
		scan_one(l, pids[i], sel, needs, threads);
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
