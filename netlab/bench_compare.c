/*
 * bench_compare.c: "netlab bench --compare": the lecture's list of pros
 * and cons of fork vs threads (vs a pool, vs epoll), measured.
 *
 * For each model we start our own server as a child process
 * ("/proc/self/exe serve -m MODEL -p 0 -q ...": the same binary, a port
 * the kernel chooses, read back from its "listening on" line). One run
 * of a model is two servers:
 *
 *   1. the load: -n connections, -c at a time; conn/s and p99. Then the
 *      server is stopped and reaped with wait4(), whose rusage is the
 *      whole server's: every thread, ended ones too, and every child it
 *      reaped. Less a sample taken before the load, that is its CPU
 *      (exact to the microsecond, not in 100 Hz ticks) and its context
 *      switches, voluntary and involuntary, per connection.
 *   2. the idle test: --idle silent connections; memory (user pages and
 *      what the kernel keeps: page tables, kernel stacks, the socket),
 *      threads and processes per held connection (bench_idle.c).
 *
 * --runs N repeats this N times, the models taking turns (thread, fork,
 * ..., thread, fork, ...) so that a slow moment of the machine falls on
 * all of them; the table shows the median and min-max, and the reading
 * calls one model faster only when it was faster in every run.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "bench_compare.h"
#include "json.h"
#include "net.h"
#include "opt.h"
#include "proc.h"
#include "util.h"

/* A started server. */
struct server {
	pid_t pid;
	int out; /* read end of the server's stdout */
	int port;
	struct rusage ru; /* from wait4, once stopped */
	int reaped;       /* ru is valid */
	long long served; /* from its summary line, -1 unknown */
};

/* ---- one server ---- */

static void
exec_server(const char *model, int max_clients, int out)
{
	char maxc[16];

	snprintf(maxc, sizeof(maxc), "%d", max_clients);
	/* If we die, the server is told to stop: nothing is left behind. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	dup2(out, 1);
	signal(SIGPIPE, SIG_DFL);
	{
		char *argv[] = {"netlab", "serve",
		                "-m",     (char *)model,
		                "-p",     "0",
		                "-q",     "--max-clients",
		                maxc,     "--idle-timeout",
		                "120",    "--drain",
		                "2",      NULL};

		proc_exec_self(argv);
	}
	_exit(127);
}
/* Read from fd until a line with "listening on ...:PORT"; the port. */
static int
read_port(int fd, double timeout)
{
	char buf[512];
	size_t len = 0;
	double end = now_mono() + timeout;
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char *at, *colon;
	ssize_t n;
	int port;

	while (len < sizeof(buf) - 1) {
		if (poll(&p, 1, (int)((end - now_mono()) * 1000) + 1) <= 0)
			return -1;
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			return -1;
		len += (size_t)n;
		buf[len] = '\0';
		at = strstr(buf, "listening on ");
		if (at && strchr(at, '\n')) {
			*strchr(at, '\n') = '\0';
			colon = strrchr(at, ':');
			if (!colon || parse_int(colon + 1, 1, 65535, &port) < 0)
				return -1;
			return port;
		}
		if (now_mono() >= end)
			return -1;
	}
	return -1;
}

static int
server_start(struct server *sv, const char *model, int max_clients)
{
	int p[2];

	memset(sv, 0, sizeof(*sv));
	sv->served = -1;
	sv->out = -1;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	sv->pid = fork();
	if (sv->pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (sv->pid == 0)
		exec_server(model, max_clients, p[1]);
	close(p[1]);
	sv->out = p[0];
	sv->port = read_port(sv->out, 10);
	return sv->port > 0 ? 0 : -1;
}

/* "summary: 123 served, ..." among the server's last lines, or -1. */
static long long
read_served(int fd)
{
	char buf[4096];
	size_t len = 0;
	struct pollfd p = {.fd = fd, .events = POLLIN};
	double end = now_mono() + 3;
	ssize_t n;
	char *s;

	while (len < sizeof(buf) - 1 && now_mono() < end) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	s = strstr(buf, "summary: ");
	return s ? strtoll(s + 9, NULL, 10) : -1;
}

/*
 * SIGTERM, wait up to 5 s, then SIGKILL; always reaped, with wait4 so
 * that the whole server's rusage is kept.
 */
static void
server_stop(struct server *sv, const char *model)
{
	double end = now_mono() + 5;
	struct timespec tick = {0, 10000000L}; /* 10 ms */
	pid_t w;
	int st;

	if (sv->pid <= 0)
		return;
	kill(sv->pid, SIGTERM);
	while ((w = wait4(sv->pid, &st, WNOHANG, &sv->ru)) == 0) {
		if (now_mono() >= end) {
			warn("server %s (pid %d) did not stop: killing it",
			     model, (int)sv->pid);
			kill(sv->pid, SIGKILL);
			w = wait4(sv->pid, &st, 0, &sv->ru);
			break;
		}
		nanosleep(&tick, NULL);
	}
	sv->reaped = w == sv->pid;
	if (sv->out >= 0) {
		sv->served = read_served(sv->out);
		close(sv->out);
	}
	sv->out = -1;
}

/* ---- one run of one model ---- */

/*
 * Wait (at most 2 s) until the server has no child left, so that the
 * fork model's children are all reaped and in its rusage.
 */
static struct bench_proc
settled_sample(pid_t pid)
{
	struct bench_proc p;
	double end = now_mono() + 2;
	struct timespec tick = {0, 10000000L}; /* 10 ms */

	while (bench_proc_sample(pid, &p) == 0 && p.procs > 1 &&
	       now_mono() < end)
		nanosleep(&tick, NULL);
	return p;
}

static double
tv_us(struct timeval tv)
{
	return (double)tv.tv_sec * 1e6 + (double)tv.tv_usec;
}

/*
 * CPU and switches per connection: the reaped server's rusage less
 * what it had before the load (then it had no child and no thread had
 * ended, so its live threads held every count). Its shutdown is in.
 */
static void
load_cost(const struct server *sv, const struct bench_proc *a, struct sample *x)
{
	double n = (double)x->started;

	x->cpu_us = -1;
	if (!sv->reaped || !a->ok || x->started <= 0)
		return;
	x->cpu_us = (tv_us(sv->ru.ru_utime) + tv_us(sv->ru.ru_stime) -
	             (double)a->cpu_ns / 1000.0) /
	            n;
	/* utime and stime are each cut to a microsecond, and so is a */
	x->cpu_bound_us = 3.0 / n;
	x->vcsw = ((double)sv->ru.ru_nvcsw - (double)a->vcsw) / n;
	x->ivcsw = ((double)sv->ru.ru_nivcsw - (double)a->ivcsw) / n;
}

static int
load_run(const struct bench_compare *c, struct model_run *m, struct sample *x)
{
	struct bench_result *r = xcalloc(1, sizeof(*r));
	struct bench_load l;
	struct bench_proc a;
	struct server sv;

	if (server_start(&sv, m->name, c->conc + 64) < 0) {
		warn("cannot start the %s server", m->name);
		server_stop(&sv, m->name);
		free(r);
		return -1;
	}
	memset(&l, 0, sizeof(l));
	net_addr("127.0.0.1", sv.port, &l.sa, &l.salen);
	l.conc = c->conc;
	l.total = c->total;
	l.limit = c->limit;
	l.timeout = c->timeout;
	l.msg = "hello\n";
	l.msglen = 6;
	l.expect = "ACK";
	l.progress = c->progress;
	l.stop = c->stop;
	a = settled_sample(sv.pid);
	bench_run_threads(&l, c->threads, r);
	settled_sample(sv.pid);
	server_stop(&sv, m->name);
	m->load_pid = sv.pid;
	x->rate = bench_rate(r);
	x->p99 = bench_quantile_ms(r, 0.99);
	x->started = r->started;
	x->ok = r->ok;
	x->failed = r->failed;
	x->served = sv.served;
	load_cost(&sv, &a, x);
	free(r);
	return 0;
}

static int
idle_run(const struct bench_compare *c, struct model_run *m, struct sample *x)
{
	struct bench_idle io;
	struct server sv;

	if (server_start(&sv, m->name, c->idle + 64) < 0) {
		warn("cannot start the %s server", m->name);
		server_stop(&sv, m->name);
		return -1;
	}
	memset(&io, 0, sizeof(io));
	net_addr("127.0.0.1", sv.port, &io.sa, &io.salen);
	io.n = c->idle;
	io.batch = 200;
	io.server_pid = (int)sv.pid;
	io.timeout = c->timeout;
	io.stop = c->stop;
	x->idle_ok = bench_idle_run(&io, &m->idle) == 0;
	server_stop(&sv, m->name);
	m->idle_pid = sv.pid;
	bench_idle_cost(&m->idle, &x->cost);
	x->kobj = bench_kobj_sum(&x->cost);
	x->held = m->idle.held;
	return 0;
}

static int
run_model(const struct bench_compare *c, struct model_run *m)
{
	struct sample *x = &m->s[m->nrun];

	memset(x, 0, sizeof(*x));
	if (c->progress)
		fprintf(stderr, "%s: load (run %d of %d)\n", m->name,
		        m->nrun + 1, c->runs);
	if (load_run(c, m, x) < 0)
		return -1;
	if (c->progress)
		fprintf(stderr, "%s: %d idle connections\n", m->name, c->idle);
	if (idle_run(c, m, x) < 0)
		return -1;
	m->nrun++;
	return 0;
}

static int
parse_models(const struct bench_compare *c, struct model_run *ms, int max)
{
	static const char *const known[] = {"thread", "fork", "pool", "epoll"};
	char buf[128], *tok, *save = NULL;
	int n = 0;
	size_t k;

	snprintf(buf, sizeof(buf), "%s", c->models);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < LEN(known); k++)
			if (strcmp(tok, known[k]) == 0)
				break;
		if (k == LEN(known) || n == max) {
			opt_error(
			    c->usage,
			    "unknown model '%s' in --models (thread, fork, "
			    "pool, epoll)",
			    tok);
			return -1;
		}
		memset(&ms[n], 0, sizeof(ms[n]));
		snprintf(ms[n].name, sizeof(ms[n].name), "%s", tok);
		n++;
	}
	if (n == 0)
		opt_error(c->usage, "--models: no model named");
	return n ? n : -1;
}

/* A failure worth exit status 1 (the pool's BUSY under idle is not). */
static int
model_failed(const struct model_run *m, long long total)
{
	int i;

	if (!m->started || m->nrun == 0)
		return 1;
	for (i = 0; i < m->nrun; i++) {
		const struct sample *x = &m->s[i];

		if (x->failed || x->ok == 0 || (total && x->ok != total))
			return 1;
		/* the server's own count must agree with ours */
		if (x->served >= 0 && x->served != x->ok) {
			warn("%s: the server counted %lld served, we %lld",
			     m->name, x->served, x->ok);
			return 1;
		}
	}
	return 0;
}

int
bench_compare_run(const struct bench_compare *c)
{
	static struct model_run ms[8];
	int n, i, r, rc = 0;

	n = parse_models(c, ms, (int)LEN(ms));
	if (n < 0)
		return 2;
	bench_raise_nofile((long long)c->idle + c->conc + 256);
	for (i = 0; i < n; i++)
		ms[i].started = 1;
	/* the models take turns, run after run */
	for (r = 0; r < c->runs; r++)
		for (i = 0; i < n && !(c->stop && *c->stop); i++)
			if (ms[i].started && run_model(c, &ms[i]) < 0) {
				ms[i].started = 0;
				rc = 1;
			}
	if (c->stop && *c->stop) {
		warn("interrupted");
		return 1;
	}
	for (i = 0; i < n; i++)
		if (model_failed(&ms[i], c->total))
			rc = 1;
	if (c->json) {
		compare_json(ms, n, c);
	} else {
		printf("netlab bench --compare: %lld connections at "
		       "concurrency %d,\n",
		       c->total, c->conc);
		if (c->threads > 1)
			printf("from %d client threads, ", c->threads);
		printf("then %d idle; %d run%s per model%s\n\n", c->idle,
		       c->runs, c->runs > 1 ? "s" : "",
		       c->runs > 1 ? " (medians, min-max)" : " (one sample)");
		compare_load_table(ms, n);
		compare_idle_table(ms, n, c->idle);
		compare_reading(ms, n, c->idle);
	}
	if (c->svg && compare_svg(ms, n, c, c->svg) < 0) {
		warn("cannot write '%s':", c->svg);
		rc = 1;
	}
	return rc;
}
