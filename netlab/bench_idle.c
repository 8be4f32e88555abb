/*
 * bench_idle.c: "netlab bench --idle N": what does a server pay for a
 * client that connects and then says nothing?
 *
 * A thread server pays a thread (its stack pages, a kernel task); a fork
 * server a whole process; a pool a worker for as long as the client
 * stays (and when all workers wait on silent clients, nobody is left for
 * the others); an epoll server one small struct. We open N connections,
 * let the server settle, and read the difference from /proc/PID:
 * memory, threads, processes and descriptors, divided by the connections
 * the server really holds (those it answered "BUSY" or closed do not
 * count).
 *
 * Memory is VmRSS for one process. For a server with child processes it
 * is the sum of PSS (smaps_rollup): a child shares most of its pages with
 * the parent, and summing RSS would count those shared pages once per
 * child; PSS divides each shared page among the processes that map it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "proc.h"
#include "util.h"

/* ---- /proc sampling ---- */

static long long
count_fds(struct proc_handle *h)
{
	int dfd = openat(h->dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *e;
	long long n = 0;
	DIR *d;

	if (dfd < 0)
		return -1;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -1;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static long long
pss_kb(struct proc_handle *h)
{
	char *text = NULL, *p;
	long long kb = -1;
	int cut = 0;

	if (proc_read_alloc(h, "smaps_rollup", 1 << 16, &text, &cut) < 0)
		return -1;
	p = strstr(text, "\nPss:");
	if (p)
		kb = strtoll(p + 5, NULL, 10);
	free(text);
	return kb;
}

/* Add one process's figures to p. 0, or -1 with errno (gone). */
static int
add_one(struct proc_handle *h, struct bench_proc *p)
{
	struct proc_stat st;
	struct proc_status ps;
	long long kb, fds;

	if (proc_read_stat(h, &st) < 0 || proc_read_status(h, &ps) < 0)
		return -1;
	p->rss_kb += ps.vmrss_kb;
	p->threads += st.num_threads;
	p->cpu += st.utime + st.stime + (unsigned long long)st.cutime +
	          (unsigned long long)st.cstime;
	kb = pss_kb(h);
	if (kb < 0 || p->pss_kb < 0)
		p->pss_kb = -1;
	else
		p->pss_kb += kb;
	fds = count_fds(h);
	if (fds > 0)
		p->fds += fds;
	p->procs++;
	return 0;
}

/*
 * All of a /proc file, read until end of file: a seq_file such as
 * "children" hands out about a page per read(2), so a short read is not
 * the end. Returns the text (caller frees) or NULL with errno.
 */
static char *
read_whole(int dirfd, const char *path)
{
	size_t len = 0, cap = 8192;
	char *buf = xmalloc(cap);
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		free(buf);
		return NULL;
	}
	for (;;) {
		if (cap - len < 4096)
			buf = xrealloc(buf, cap *= 2);
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/*
 * The children of pid's main thread, from /proc/PID/task/PID/children
 * (the fork model forks from its main thread). *out from malloc.
 */
static long
children_of(struct proc_handle *h, int pid, int **out)
{
	char path[64], *text, *p, *end;
	long n = 0, cap = 16;
	int *v;
	long c;

	*out = NULL;
	snprintf(path, sizeof(path), "task/%d/children", pid);
	text = read_whole(h->dirfd, path);
	if (!text)
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
	int *kids = NULL;
	long n, i;

	memset(p, 0, sizeof(*p));
	if (proc_open(&h, pid) < 0)
		return -1;
	if (add_one(&h, p) < 0) {
		proc_close(&h);
		return -1;
	}
	n = children_of(&h, pid, &kids);
	for (i = 0; i < n; i++) {
		if (proc_open(&ch, kids[i]) < 0)
			continue; /* it ended meanwhile: normal */
		add_one(&ch, p);
		proc_close(&ch);
	}
	free(kids);
	proc_close(&h);
	p->ok = 1;
	return 0;
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

/* ---- holding idle connections ---- */

enum { I_NONE, I_PENDING, I_HELD, I_DONE };

struct idle {
	const struct bench_idle *o;
	struct bench_idle_result *r;
	int ep;
	int *fd;
	unsigned char *st;
	double *t0;
	int opened, pending, connected;
};

static void
idle_fail(struct idle *I, int i, enum bench_err k, int err)
{
	I->r->err[k]++;
	if (k == BE_OTHER && !I->r->other_errno)
		I->r->other_errno = err;
	if (I->fd[i] >= 0)
		close(I->fd[i]);
	I->fd[i] = -1;
	if (I->st[i] == I_PENDING)
		I->pending--;
	I->st[i] = I_DONE;
}

static void
idle_open(struct idle *I, int i)
{
	const struct sockaddr *sa = (const struct sockaddr *)&I->o->sa;
	struct epoll_event e = {.events = EPOLLOUT, .data.u32 = (uint32_t)i};

	I->opened++;
	I->t0[i] = now_mono();
	I->st[i] = I_PENDING;
	I->pending++;
	I->fd[i] = socket(sa->sa_family,
	                  SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (I->fd[i] < 0) {
		idle_fail(I, i, bench_classify(errno), errno);
		return;
	}
	if ((connect(I->fd[i], sa, I->o->salen) < 0 && errno != EINPROGRESS) ||
	    epoll_ctl(I->ep, EPOLL_CTL_ADD, I->fd[i], &e) < 0)
		idle_fail(I, i, bench_classify(errno), errno);
}

/* The server spoke or closed: the connection is not held. */
static void
idle_rejected(struct idle *I, int i)
{
	char buf[64];
	ssize_t n = recv(I->fd[i], buf, sizeof(buf) - 1, MSG_DONTWAIT);

	if (n < 0 && errno == EAGAIN)
		return; /* a spurious wake-up: still held */
	if (n > 0 && !I->r->reply[0]) {
		buf[n] = '\0';
		buf[strcspn(buf, "\r\n")] = '\0';
		snprintf(I->r->reply, sizeof(I->r->reply), "%s", buf);
	}
	I->r->rejected++;
	close(I->fd[i]);
	I->fd[i] = -1;
	I->st[i] = I_DONE;
}

static void
idle_event(struct idle *I, int i)
{
	struct epoll_event e = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
	int err = 0;
	socklen_t len = sizeof(err);

	if (I->st[i] == I_HELD) {
		idle_rejected(I, i);
		return;
	}
	if (I->st[i] != I_PENDING)
		return;
	if (getsockopt(I->fd[i], SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		idle_fail(I, i, bench_classify(err), err);
		return;
	}
	I->st[i] = I_HELD;
	I->pending--;
	I->connected++;
	if (epoll_ctl(I->ep, EPOLL_CTL_MOD, I->fd[i], &e) < 0)
		idle_fail(I, i, BE_OTHER, errno);
}

static void
idle_expire(struct idle *I)
{
	double now = now_mono();
	int i;

	for (i = 0; i < I->opened; i++)
		if (I->st[i] == I_PENDING && now - I->t0[i] > I->o->timeout)
			idle_fail(I, i, BE_TIMEOUT, 0);
}

/* Wait up to ms for events and handle them. */
static void
idle_poll(struct idle *I, int ms)
{
	struct epoll_event ev[256];
	int n, i;

	n = epoll_wait(I->ep, ev, (int)LEN(ev), ms);
	for (i = 0; i < n; i++)
		idle_event(I, (int)ev[i].data.u32);
}

static int
stopped(const struct idle *I)
{
	return I->o->stop && *I->o->stop;
}

/* Open all N, at most batch connects pending at once. */
static void
idle_connect_all(struct idle *I)
{
	double next = now_mono() + 0.1;

	while (!stopped(I) && (I->opened < I->o->n || I->pending > 0)) {
		while (I->opened < I->o->n && I->pending < I->o->batch)
			idle_open(I, I->opened);
		idle_poll(I, 50);
		if (now_mono() >= next) {
			idle_expire(I);
			next = now_mono() + 0.1;
		}
	}
}

static int
same_load(const struct bench_proc *a, const struct bench_proc *b)
{
	return a->fds == b->fds && a->threads == b->threads &&
	       a->procs == b->procs;
}

/*
 * Let the server catch up: connections may still wait in its accept
 * queue, threads and children may still be starting. Settled means
 * descriptors, threads and processes did not change for 0.3 s (at most
 * 15 s). Without a server PID, just give it 0.3 s.
 */
static void
idle_settle(struct idle *I)
{
	struct bench_proc last, now;
	double end = now_mono() + 15, quiet_since = now_mono();

	if (!I->o->server_pid) {
		while (!stopped(I) && now_mono() - quiet_since < 0.3)
			idle_poll(I, 50);
		return;
	}
	bench_proc_sample(I->o->server_pid, &last);
	while (!stopped(I) && now_mono() < end) {
		idle_poll(I, 100);
		if (bench_proc_sample(I->o->server_pid, &now) < 0)
			return; /* the server is gone: measured as such */
		if (!same_load(&now, &last))
			quiet_since = now_mono();
		else if (now_mono() - quiet_since >= 0.3)
			return;
		last = now;
	}
}

static void
idle_hold(struct idle *I)
{
	double end = now_mono() + I->o->hold;

	while (!stopped(I) && now_mono() < end)
		idle_poll(I, 100);
}

int
bench_idle_run(const struct bench_idle *o, struct bench_idle_result *r)
{
	struct idle I = {.o = o, .r = r};
	double t0 = now_mono();
	int i;

	memset(r, 0, sizeof(*r));
	I.ep = epoll_create1(EPOLL_CLOEXEC);
	if (I.ep < 0)
		return -1;
	bench_raise_nofile((long long)o->n + 64);
	I.fd = xcalloc((size_t)o->n, sizeof(*I.fd));
	I.st = xcalloc((size_t)o->n, sizeof(*I.st));
	I.t0 = xcalloc((size_t)o->n, sizeof(*I.t0));
	for (i = 0; i < o->n; i++)
		I.fd[i] = -1;
	if (o->server_pid) {
		/* the baseline too: connections of a run just before may
		 * still be closing, threads still ending */
		idle_settle(&I);
		bench_proc_sample(o->server_pid, &r->before);
	}
	idle_connect_all(&I);
	idle_settle(&I);
	/* a last look for answers that came in with the final sample */
	idle_poll(&I, 0);
	r->held = I.connected - r->rejected;
	r->seconds = now_mono() - t0;
	if (o->server_pid)
		bench_proc_sample(o->server_pid, &r->after);
	r->tree = r->after.procs > 1;
	idle_hold(&I);
	for (i = 0; i < o->n; i++)
		if (I.fd[i] >= 0)
			close(I.fd[i]);
	free(I.fd);
	free(I.st);
	free(I.t0);
	close(I.ep);
	return 0;
}

double
bench_idle_mem_per_conn(const struct bench_idle_result *r)
{
	long long before = r->before.rss_kb, after = r->after.rss_kb;

	if (r->held <= 0 || !r->before.ok || !r->after.ok)
		return 0;
	if (r->tree && r->before.pss_kb >= 0 && r->after.pss_kb >= 0) {
		before = r->before.pss_kb;
		after = r->after.pss_kb;
	}
	return (double)(after - before) * 1024.0 / r->held;
}
