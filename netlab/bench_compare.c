/*
 * bench_compare.c: "netlab bench --compare": the lecture's list of pros
 * and cons of fork vs threads (vs a pool, vs epoll), measured.
 *
 * For each model we start our own server as a child process
 * ("/proc/self/exe serve -m MODEL -p 0 -q ...": the same binary, a port
 * the kernel chooses, read back from its "listening on" line), then:
 *
 *   1. the same load: -n connections, -c at a time; conn/s and p99
 *   2. server CPU per connection: utime+stime (+ the reaped children's
 *      cutime+cstime for fork) from /proc/PID/stat, before and after
 *   3. the idle test: --idle silent connections; memory, threads and
 *      processes per held connection
 *   4. SIGTERM to its PID, wait (bounded), SIGKILL if it must
 *
 * and print one table and a reading written from the measured numbers.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "json.h"
#include "net.h"
#include "proc.h"
#include "util.h"

struct model_run {
	char name[16];
	pid_t pid;
	pid_t spawned; /* the server's PID, kept after it is stopped */
	int out;       /* read end of the server's stdout */
	int port;
	int started; /* the server came up */
	struct bench_result load;
	double cpu_us; /* server CPU per connection, -1 unknown */
	struct bench_idle_result idle;
	long long served; /* from the server's summary line, -1 unknown */
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
			return colon ? atoi(colon + 1) : -1;
		}
		if (now_mono() >= end)
			return -1;
	}
	return -1;
}

static int
server_start(struct model_run *m, int max_clients)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	m->pid = fork();
	if (m->pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (m->pid == 0)
		exec_server(m->name, max_clients, p[1]);
	m->spawned = m->pid;
	close(p[1]);
	m->out = p[0];
	m->port = read_port(m->out, 10);
	return m->port > 0 ? 0 : -1;
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

/* SIGTERM, wait up to 5 s, then SIGKILL; always reaped. */
static void
server_stop(struct model_run *m)
{
	double end = now_mono() + 5;
	struct timespec tick = {0, 10000000L}; /* 10 ms */
	int st;

	if (m->pid <= 0)
		return;
	kill(m->pid, SIGTERM);
	while (waitpid(m->pid, &st, WNOHANG) == 0) {
		if (now_mono() >= end) {
			warn("server %s (pid %d) did not stop: killing it",
			     m->name, (int)m->pid);
			kill(m->pid, SIGKILL);
			waitpid(m->pid, &st, 0);
			break;
		}
		nanosleep(&tick, NULL);
	}
	m->served = read_served(m->out);
	close(m->out);
	m->pid = 0;
}

/* ---- one model ---- */

/*
 * After the load, wait (at most 2 s) until every child is gone, so the
 * fork model's CPU (cutime) includes them all.
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

static void
load_model(const struct bench_compare *c, struct model_run *m)
{
	struct bench_load l;
	struct bench_proc a, b;

	memset(&l, 0, sizeof(l));
	net_addr("127.0.0.1", m->port, &l.sa, &l.salen);
	l.conc = c->conc;
	l.total = c->total;
	l.limit = c->limit;
	l.timeout = c->timeout;
	l.msg = "hello\n";
	l.msglen = 6;
	l.expect = "ACK";
	l.progress = c->progress;
	l.stop = c->stop;
	a = settled_sample(m->pid);
	bench_run_threads(&l, c->threads, &m->load);
	b = settled_sample(m->pid);
	m->cpu_us = -1;
	if (a.ok && b.ok && m->load.started > 0 && b.cpu >= a.cpu)
		m->cpu_us = (double)(b.cpu - a.cpu) * 1e6 /
		            (double)sysconf(_SC_CLK_TCK) /
		            (double)m->load.started;
}

static void
idle_model(const struct bench_compare *c, struct model_run *m)
{
	struct bench_idle io;

	memset(&io, 0, sizeof(io));
	net_addr("127.0.0.1", m->port, &io.sa, &io.salen);
	io.n = c->idle;
	io.batch = 200;
	io.server_pid = (int)m->pid;
	io.timeout = c->timeout;
	io.stop = c->stop;
	bench_idle_run(&io, &m->idle);
}

static int
run_model(const struct bench_compare *c, struct model_run *m)
{
	if (server_start(m, c->idle + c->conc + 64) < 0) {
		warn("cannot start the %s server", m->name);
		server_stop(m);
		return -1;
	}
	m->started = 1;
	if (c->progress)
		fprintf(stderr, "%s: load\n", m->name);
	load_model(c, m);
	if (c->progress)
		fprintf(stderr, "%s: %d idle connections\n", m->name, c->idle);
	idle_model(c, m);
	server_stop(m);
	return 0;
}

/* ---- the table and its reading ---- */

static double
mem_kb(const struct model_run *m)
{
	return bench_idle_mem_per_conn(&m->idle) / 1024.0;
}

static void
table(const struct model_run *ms, int n, const struct bench_compare *c)
{
	int i;

	printf("netlab bench --compare: %lld connections at concurrency %d",
	       c->total, c->conc);
	if (c->threads > 1)
		printf(" from %d client threads", c->threads);
	printf(", then %d idle\n\n", c->idle);
	printf("%-7s %9s %8s %12s %14s %11s %9s %7s\n", "model", "conn/s",
	       "p99 ms", "CPU us/conn", "RSS/idle conn", "idle held", "threads",
	       "procs");
	for (i = 0; i < n; i++) {
		const struct model_run *m = &ms[i];

		if (!m->started) {
			printf("%-7s (the server did not start)\n", m->name);
			continue;
		}
		printf("%-7s %9.0f %8.2f %12.1f %11.2f KB %5d/%-5d %9lld "
		       "%7lld\n",
		       m->name, bench_rate(&m->load),
		       bench_quantile_ms(&m->load, 0.99), m->cpu_us, mem_kb(m),
		       m->idle.held, c->idle, m->idle.after.threads,
		       m->idle.after.procs);
	}
	printf("\nthreads and procs: the server's, while it held the idle "
	       "connections;\nfork's memory is PSS summed over its processes "
	       "(shared pages counted once).\n");
}

static const struct model_run *
find(const struct model_run *ms, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(ms[i].name, name) == 0 && ms[i].started)
			return &ms[i];
	return NULL;
}

static double
ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

static void
read_speed(const struct model_run *ms, int n)
{
	const struct model_run *best = NULL, *worst = NULL;
	int i;

	for (i = 0; i < n; i++) {
		if (!ms[i].started)
			continue;
		if (!best || bench_rate(&ms[i].load) > bench_rate(&best->load))
			best = &ms[i];
		if (!worst ||
		    bench_rate(&ms[i].load) < bench_rate(&worst->load))
			worst = &ms[i];
	}
	if (best && worst && best != worst)
		printf("- Fastest: %s, %.0f conn/s, %.1fx the slowest, %s.\n",
		       best->name, bench_rate(&best->load),
		       ratio(bench_rate(&best->load), bench_rate(&worst->load)),
		       worst->name);
}

static void
read_fork_thread(const struct model_run *f, const struct model_run *t)
{
	double cr = ratio(f->cpu_us, t->cpu_us);

	if (f->cpu_us > 0 && t->cpu_us > 0)
		printf("- fork vs thread, CPU: a process per connection cost "
		       "%.0f us of server CPU,\n  a thread %.0f us: %s.\n",
		       f->cpu_us, t->cpu_us,
		       cr > 1.2 ? "fork (copy the page tables, exit, reap) is "
		                  "the dearer way to start a worker"
		       : cr < 0.8 ? "here fork was the cheaper one"
		                  : "about the same here");
	if (f->idle.held > 0 && t->idle.held > 0 && mem_kb(t) > 0)
		printf("- fork vs thread, memory: an idle client held a whole "
		       "process (%.1f KB)\n  under fork and a thread stack "
		       "(%.1f KB) under thread: %.1fx. What fork buys\n"
		       "  for it is isolation: a crash ends one child, not the "
		       "server.\n",
		       mem_kb(f), mem_kb(t), ratio(mem_kb(f), mem_kb(t)));
}

static void
read_pool(const struct model_run *p, const struct model_run *t, int asked)
{
	double r = ratio(bench_rate(&p->load), bench_rate(&t->load));

	if (t)
		printf("- pool vs thread: workers started once instead of a "
		       "thread per connection:\n  %.2fx the conn/s (%s).\n",
		       r,
		       r > 1.05   ? "the saved thread creation shows"
		       : r < 0.95 ? "the queue hand-off cost more than it saved"
		                  : "no real difference at this load");
	if (p->idle.held < asked)
		printf("- pool under idle clients: it held only %d of %d; "
		       "silent clients occupy its\n  fixed workers and queue, "
		       "and everyone after them got '%s' instead.\n",
		       p->idle.held, asked,
		       p->idle.reply[0] ? p->idle.reply : "nothing");
	else
		printf("- pool held all %d idle clients (workers plus queue "
		       "were enough).\n",
		       asked);
}

static void
read_epoll(const struct model_run *e, const struct model_run *t)
{
	printf("- epoll: one thread for all; an idle client cost %.0f bytes "
	       "(a struct, no stack)",
	       bench_idle_mem_per_conn(&e->idle));
	if (t && mem_kb(e) > 0)
		printf(",\n  %.0fx less than a thread",
		       ratio(mem_kb(t), mem_kb(e)));
	if (t && bench_rate(&t->load) > 0)
		printf("; %.2fx the conn/s of thread",
		       ratio(bench_rate(&e->load), bench_rate(&t->load)));
	printf(".\n");
}

static void
reading(const struct model_run *ms, int n, int asked)
{
	const struct model_run *t = find(ms, n, "thread"),
	                       *f = find(ms, n, "fork"),
	                       *p = find(ms, n, "pool"),
	                       *e = find(ms, n, "epoll");

	printf("\nWhat it shows:\n");
	read_speed(ms, n);
	if (f && t)
		read_fork_thread(f, t);
	if (p)
		read_pool(p, t, asked);
	if (e)
		read_epoll(e, t);
}

static void
compare_json(const struct model_run *ms, int n, const struct bench_compare *c)
{
	struct json j;
	int i;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_key(&j, "mode");
	json_str(&j, "compare");
	json_key(&j, "concurrency");
	json_int(&j, c->conc);
	json_key(&j, "client_threads");
	json_int(&j, c->threads);
	json_key(&j, "total");
	json_int(&j, c->total);
	json_key(&j, "idle");
	json_int(&j, c->idle);
	json_key(&j, "models");
	json_arr_begin(&j);
	for (i = 0; i < n; i++) {
		const struct model_run *m = &ms[i];

		json_obj_begin(&j);
		json_key(&j, "model");
		json_str(&j, m->name);
		json_key(&j, "started");
		json_bool(&j, m->started);
		json_key(&j, "pid");
		json_int(&j, m->spawned);
		json_key(&j, "ok");
		json_int(&j, m->load.ok);
		json_key(&j, "failed");
		json_int(&j, m->load.failed);
		json_key(&j, "conn_per_sec");
		json_double(&j, bench_rate(&m->load));
		json_key(&j, "p99_ms");
		json_double(&j, bench_quantile_ms(&m->load, 0.99));
		json_key(&j, "cpu_us_per_conn");
		json_double(&j, m->cpu_us);
		json_key(&j, "mem_bytes_per_idle_conn");
		json_double(&j, bench_idle_mem_per_conn(&m->idle));
		json_key(&j, "idle_held");
		json_int(&j, m->idle.held);
		json_key(&j, "threads");
		json_int(&j, m->idle.after.threads);
		json_key(&j, "procs");
		json_int(&j, m->idle.after.procs);
		json_key(&j, "served_by_server");
		json_int(&j, m->served);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_end(&j);
}

/* Split "thread,epoll" into runs; -1 on an unknown name. */
static int
parse_models(const char *list, struct model_run *ms, int max)
{
	static const char *const known[] = {"thread", "fork", "pool", "epoll"};
	char buf[128], *tok, *save = NULL;
	int n = 0;
	size_t k;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < LEN(known); k++)
			if (strcmp(tok, known[k]) == 0)
				break;
		if (k == LEN(known) || n == max) {
			warn("unknown model '%s' in --models (thread, fork, "
			     "pool, epoll)",
			     tok);
			return -1;
		}
		memset(&ms[n], 0, sizeof(ms[n]));
		snprintf(ms[n].name, sizeof(ms[n].name), "%s", tok);
		ms[n].served = -1;
		n++;
	}
	if (n == 0)
		warn("--models: no model named");
	return n ? n : -1;
}

/* A failure worth exit status 1 (the pool's BUSY under idle is not). */
static int
model_failed(const struct model_run *m, long long total)
{
	if (!m->started || m->load.failed || m->load.ok == 0)
		return 1;
	if (total && m->load.ok != total)
		return 1;
	/* the server's own count must agree with ours */
	if (m->served >= 0 && m->served != m->load.ok) {
		warn("%s: the server counted %lld served, we %lld", m->name,
		     m->served, m->load.ok);
		return 1;
	}
	return 0;
}

int
bench_compare_run(const struct bench_compare *c)
{
	struct model_run ms[8];
	int n, i, rc = 0;

	n = parse_models(c->models, ms, (int)LEN(ms));
	if (n < 0)
		return 2;
	bench_raise_nofile((long long)c->idle + c->conc + 256);
	for (i = 0; i < n && !(c->stop && *c->stop); i++)
		if (run_model(c, &ms[i]) < 0)
			rc = 1;
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
		table(ms, n, c);
		reading(ms, n, c->idle);
	}
	return rc;
}
