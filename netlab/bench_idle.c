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
#include <math.h>
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
	if (n > 0 && !I->r->reply_len) {
		/* up to the line's end; any byte, NUL too (the report
		 * escapes it), so the length is kept, not strlen */
		size_t len = 0;

		while (len < (size_t)n && buf[len] != '\r' && buf[len] != '\n')
			len++;
		memcpy(I->r->reply, buf, len);
		I->r->reply[len] = '\0';
		I->r->reply_len = len;
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
 * 15 s).
 */
static void
idle_settle(struct idle *I)
{
	struct bench_proc last, now;
	double end = now_mono() + 15, quiet_since = now_mono();

	/* no server PID, or one we may not read: give it 0.3 s */
	if (!I->o->server_pid ||
	    bench_proc_sample(I->o->server_pid, &last) < 0) {
		while (!stopped(I) && now_mono() - quiet_since < 0.3)
			idle_poll(I, 50);
		return;
	}
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

/*
 * The kernel's socket figures of the network namespace, sample 0
 * (before) or 1 (after): TCP sockets in use and the pages their
 * buffers hold (/proc/net/sockstat and sockstat6; both ends of a
 * connection on this machine count).
 */
static void
sys_sample(struct bench_idle_result *r, int i)
{
	long long in4, in6, mem;

	in4 = proc_sys_value("/proc/net/sockstat", "TCP: inuse ");
	in6 = proc_sys_value("/proc/net/sockstat6", "TCP6: inuse ");
	/* the first " mem " is the TCP line's (IPv4 and IPv6 together) */
	mem = proc_sys_value("/proc/net/sockstat", " mem ");
	r->tcp_inuse[i] = in4 < 0 ? -1 : in4 + (in6 > 0 ? in6 : 0);
	r->tcp_mem_pages[i] = mem;
}

int
bench_idle_run(const struct bench_idle *o, struct bench_idle_result *r)
{
	struct idle I = {.o = o, .r = r};
	double t0 = now_mono();
	int i;

	memset(r, 0, sizeof(*r));
	bench_slabs_read(r->slab, o->sa.ss_family);
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
		bench_server_sample(o->server_pid, &r->before);
	}
	sys_sample(r, 0);
	idle_connect_all(&I);
	idle_settle(&I);
	/* a last look for answers that came in with the final sample */
	idle_poll(&I, 0);
	r->held = I.connected - r->rejected;
	r->seconds = now_mono() - t0;
	sys_sample(r, 1);
	if (o->server_pid && r->before.ok)
		bench_server_sample(o->server_pid, &r->after);
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

double
bench_cpu_ns(const struct bench_proc *a, const struct bench_proc *b,
             double *bound_ns)
{
	double tick = 1e9 / (double)sysconf(_SC_CLK_TCK);
	double d;

	*bound_ns = -1;
	if (!a->ok || !b->ok)
		return -1;
	d = ((double)b->cpu_ns - (double)a->cpu_ns) +
	    ((double)b->child_ticks - (double)a->child_ticks) * tick;
	if (d < 0)
		return -1;
	/* cutime is kept in ns but shown in whole ticks, each reading cut
	 * down: with children the difference is off by less than a tick */
	*bound_ns = b->child_ticks != a->child_ticks || a->procs > 1 ||
	                    b->procs > 1 || a->exited || b->exited
	                ? tick
	                : 1000;
	return d;
}

/* (b - a) * unit / n, or NAN if a figure is unknown */
static double
per_conn(long long a, long long b, double unit, int n)
{
	if (a < 0 || b < 0 || n <= 0)
		return NAN;
	return (double)(b - a) * unit / n;
}

static double
known(double v)
{
	return isnan(v) ? 0 : v;
}

void
bench_idle_cost(const struct bench_idle_result *r, struct bench_cost *c)
{
	const struct bench_proc *a = &r->before, *b = &r->after;
	double pg = (double)sysconf(_SC_PAGESIZE);

	memset(c, 0, sizeof(*c));
	if (r->held <= 0 || !a->ok || !b->ok)
		return;
	c->user = bench_idle_mem_per_conn(r);
	c->pte = per_conn(a->pte_kb, b->pte_kb, 1024, r->held);
	/* every new task (thread or process) has its own kernel stack */
	c->kstack =
	    per_conn(a->threads, b->threads, BENCH_KSTACK_KB * 1024, r->held);
	bench_kobj_cost(r, c);
	/*
	 * Buffer pages are counted for the whole network namespace, so
	 * another program's traffic moves them too: shown, not added to
	 * the total. A silent connection has empty buffers anyway.
	 */
	c->sock_buf =
	    per_conn(r->tcp_mem_pages[0], r->tcp_mem_pages[1], pg, r->held);
	c->total = c->user + known(c->pte) + known(c->kstack) +
	           known(bench_kobj_sum(c)) + known(c->sock_obj);
}

void
bench_srv_from(const struct bench_proc *a, const struct bench_proc *b,
               long long n, struct bench_srv *sv)
{
	double bound, ns = bench_cpu_ns(a, b, &bound);

	memset(sv, 0, sizeof(*sv));
	if (n <= 0) {
		sv->missing = "no connection was started: nothing to divide";
		return;
	}
	if (ns < 0) {
		/* a process counted in a, gone by b, not in our cutime */
		sv->missing = "its CPU time could not be followed";
		warn("cannot measure the server's CPU: its CPU time went down "
		     "between the two samples (a process counted before was "
		     "neither alive nor reaped by it after)");
		return;
	}
	sv->measured = 1;
	sv->cpu_us = ns / 1000.0 / (double)n;
	sv->cpu_bound_us = bound / 1000.0 / (double)n;
	sv->vcsw = (double)(b->vcsw - a->vcsw) / (double)n;
	sv->ivcsw = (double)(b->ivcsw - a->ivcsw) / (double)n;
}
