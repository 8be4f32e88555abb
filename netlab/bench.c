/*
 * bench.c: "netlab bench", the load generator: options and reports.
 *
 *   netlab bench [-c N] [-n TOTAL | -d SECONDS] [-m MSG] [--expect R] HOST PORT
 *       connections per second, latency percentiles, errors by kind
 *   netlab bench --idle N [--server-pid PID] HOST PORT
 *       what N silent clients cost the server (bench_idle.c)
 *   netlab bench --compare
 *       every server model under the same load, one table (bench_compare.c)
 *
 * The engine is in bench_load.c. Every run is bounded: by the count (-n)
 * and a time limit (--max-time, or -d), and each connection by --timeout.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "net.h"
#include "netlab.h"
#include "proc.h"
#include "sig.h"
#include "term.h"
#include "util.h"

static const char bench_usage_lines[] =
    "netlab bench [-c CONCURRENCY] [-n TOTAL | -d SECONDS] [-m MESSAGE]\n"
    "                    [-t THREADS] [--expect REPLY] [options] HOST PORT\n"
    "       netlab bench --idle N [--server-pid PID] [options] HOST PORT\n"
    "       netlab bench --compare [-c CONCURRENCY] [-n TOTAL] [-t THREADS]\n"
    "                    [--idle N] [--runs N] [--models LIST] [--json]\n"
    "                    [--svg FILE]";

static const char bench_help[] =
    "Each connection: connect, send one line, read the reply line, close.\n"
    "\n"
    "  -c, --concurrency N  connections in flight at once (default 50;\n"
    "                       --idle alone: connects at once, default 200)\n"
    "  -n, --total N        connections in all (default 10000; --compare "
    "2000)\n"
    "  -d, --duration S     run for S seconds instead of a count\n"
    "  -t, --threads N      share the connections out over N threads, "
    "one\n"
    "                       epoll loop each (default 1; more when the "
    "client\n"
    "                       is the bottleneck)\n"
    "  -m, --message TEXT   the line to send (default hello); \\r \\n \\t "
    "\\\\ are\n"
    "                       escapes; a newline is added unless TEXT ends "
    "in one\n"
    "      --expect REPLY   the reply every connection must get, without "
    "its\n"
    "                       line end (default ACK)\n"
    "      --timeout S      give up on one connection after S seconds "
    "(default 5)\n"
    "      --max-time S     stop starting connections after S seconds "
    "(default 60)\n"
    "      --server-pid PID the server's process; per connection: its "
    "CPU (with\n"
    "                       an error bound) and context switches; with "
    "--idle:\n"
    "                       user memory, page tables, kernel stacks, "
    "kernel\n"
    "                       objects (task structures, socket: slab "
    "estimates),\n"
    "                       threads, processes and descriptors (fork: "
    "fd-table\n"
    "                       entries summed over its processes)\n"
    "      --idle N         hold N silent connections and measure the "
    "server\n"
    "      --hold S         --idle: keep them S more seconds (default 0)\n"
    "      --compare        start each server model, run the same load "
    "and idle\n"
    "                       test on each (default --idle 500), one table\n"
    "      --models LIST    --compare: which models (default "
    "thread,fork,pool,epoll)\n"
    "      --runs N         --compare: run each model N times (default "
    "1: one\n"
    "                       sample); median and min-max; a verdict needs "
    "5 or\n"
    "                       more\n"
    "      --json           one JSON object on stdout instead of text\n"
    "      --svg FILE       --compare: also draw the figures as bars per "
    "model\n"
    "                       in FILE (an SVG picture)\n"
    "  -h, --help           show this help\n"
    "  -V, --version        show the version\n"
    "\n"
    "Exit status: 0 every connection got the expected reply (--idle: all\n"
    "connected), 1 a failure, 2 bad usage.\n";

/* set by SIGINT/SIGTERM: end the run early, with a report */
static volatile sig_atomic_t bench_stop;

static void
on_int(int sig)
{
	(void)sig;
	bench_stop = 1;
}

static const struct usage bench_usage = {bench_usage_lines, bench_help,
                                         "netlab bench", NULL};

static long long
opt_count(const char *opt, const char *v, long long lo, long long hi)
{
	return opt_ll(&bench_usage, opt, v, lo, hi);
}

static double
opt_sec(const char *opt, const char *v)
{
	return opt_double(&bench_usage, opt, v, 0.001, 1e6);
}

/*
 * The message with escapes resolved and a line end added. "PING\r" sends
 * "PING\r\n", the way redis wants a command; "a\n" is sent as it is.
 */
static void
set_message(struct bench_opts *o, const char *text)
{
	size_t n = 0;
	const char *p;
	char *m = xmalloc(strlen(text) + 2);

	for (p = text; *p; p++) {
		if (*p != '\\') {
			m[n++] = *p;
			continue;
		}
		switch (*++p) {
		case 'r':
			m[n++] = '\r';
			break;
		case 'n':
			m[n++] = '\n';
			break;
		case 't':
			m[n++] = '\t';
			break;
		case '\\':
			m[n++] = '\\';
			break;
		default:
			free(m);
			opt_fail(&bench_usage,
			         "unknown escape in message '%s' "
			         "(\\r \\n \\t \\\\)",
			         text);
		}
	}
	if (n == 0 || m[n - 1] != '\n')
		m[n++] = '\n';
	m[n] = '\0';
	free(o->msg);
	o->msg = m;
	o->msglen = n;
}

static void
bench_defaults(struct bench_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->conc = 50;
	o->threads = 1;
	o->total = 10000;
	o->max_time = 60;
	o->timeout = 5;
	o->expect = "ACK";
	o->models = "thread,fork,pool,epoll";
	o->runs = 1;
	set_message(o, "hello");
}

static void
check_args(struct bench_opts *o, int argc, char **argv)
{
	if (o->duration > 0 && o->total_set)
		opt_fail(&bench_usage, "-n and -d cannot go together");
	if (o->runs_set && !o->compare)
		opt_fail(&bench_usage, "--runs goes with --compare");
	/* stdout carries the report: the picture needs a file of its own */
	if (o->svg && (!o->compare || strcmp(o->svg, "-") == 0))
		opt_fail(&bench_usage, "--svg FILE goes with --compare, and "
		                       "FILE is not '-'");
	if (o->compare) {
		if (optind < argc)
			opt_fail(&bench_usage,
			         "--compare starts its own servers: unexpected "
			         "argument '%s'",
			         argv[optind]);
		return;
	}
	if (argc - optind != 2)
		opt_fail(&bench_usage, "%s",
		         argc - optind < 2 ? "missing HOST and PORT"
		                           : "too many arguments");
	o->host = argv[optind];
	if (strcmp(o->host, "localhost") == 0)
		o->host = "127.0.0.1";
	o->port = (int)opt_count("PORT", argv[optind + 1], 1, 65535);
	if (o->idle && o->threads > 1)
		opt_fail(&bench_usage,
		         "--threads goes with a load, not with --idle");
	if (o->hold > 0 && !o->idle)
		opt_fail(&bench_usage, "--hold goes with --idle");
}

static void
bench_parse(struct bench_opts *o, int argc, char **argv)
{
	enum {
		O_EXPECT = 256,
		O_TIMEOUT,
		O_MAXT,
		O_PID,
		O_IDLE,
		O_HOLD,
		O_CMP,
		O_RUNS,
		O_MODELS,
		O_JSON,
		O_SVG
	};
	static const struct option lo[] = {
	    {"concurrency", required_argument, NULL, 'c'},
	    {"total", required_argument, NULL, 'n'},
	    {"duration", required_argument, NULL, 'd'},
	    {"threads", required_argument, NULL, 't'},
	    {"message", required_argument, NULL, 'm'},
	    {"expect", required_argument, NULL, O_EXPECT},
	    {"timeout", required_argument, NULL, O_TIMEOUT},
	    {"max-time", required_argument, NULL, O_MAXT},
	    {"server-pid", required_argument, NULL, O_PID},
	    {"idle", required_argument, NULL, O_IDLE},
	    {"hold", required_argument, NULL, O_HOLD},
	    {"compare", no_argument, NULL, O_CMP},
	    {"runs", required_argument, NULL, O_RUNS},
	    {"models", required_argument, NULL, O_MODELS},
	    {"json", no_argument, NULL, O_JSON},
	    {"svg", required_argument, NULL, O_SVG},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0}};
	int c;

	bench_defaults(o);
	opt_begin();
	while ((c = getopt_long(argc, argv, ":c:n:d:m:t:hV", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->conc = (int)opt_count("-c", optarg, 1, 100000);
			o->conc_set = 1;
			break;
		case 'n':
			o->total = opt_count("-n", optarg, 1, 1000000000);
			o->total_set = 1;
			break;
		case 'd':
			o->duration = opt_sec("-d", optarg);
			break;
		case 't':
			o->threads = (int)opt_count("-t", optarg, 1, 256);
			break;
		case 'm':
			set_message(o, optarg);
			break;
		case O_EXPECT:
			if (strlen(optarg) > BENCH_EXPECT_MAX ||
			    strpbrk(optarg, "\r\n"))
				opt_fail(&bench_usage,
				         "invalid value '%s' for --expect (one "
				         "line, at most %d bytes)",
				         optarg, BENCH_EXPECT_MAX);
			o->expect = optarg;
			break;
		case O_TIMEOUT:
			o->timeout = opt_sec("--timeout", optarg);
			break;
		case O_MAXT:
			o->max_time = opt_sec("--max-time", optarg);
			break;
		case O_PID:
			o->server_pid = (int)opt_count("--server-pid", optarg,
			                               1, 0x7fffffff);
			break;
		case O_IDLE:
			o->idle = (int)opt_count("--idle", optarg, 1, 1000000);
			break;
		case O_HOLD:
			o->hold = opt_sec("--hold", optarg);
			break;
		case O_CMP:
			o->compare = 1;
			break;
		case O_RUNS:
			o->runs =
			    (int)opt_count("--runs", optarg, 1, BENCH_RUNS_MAX);
			o->runs_set = 1;
			break;
		case O_MODELS:
			o->models = optarg;
			break;
		case O_JSON:
			o->json = 1;
			break;
		case O_SVG:
			o->svg = optarg;
			break;
		default:
			opt_other(&bench_usage, c, argv);
		}
	}
	check_args(o, argc, argv);
}

static int
resolve(const struct bench_opts *o, struct sockaddr_storage *ss, socklen_t *len)
{
	if (net_resolve(o->host, o->port, ss, len) < 0) {
		opt_error(&bench_usage, "unknown HOST '%s'%s%s", o->host,
		          errno == ENXIO ? "" : ": ",
		          errno == ENXIO ? "" : strerror(errno));
		return -1;
	}
	return 0;
}

static int
run_load(struct bench_opts *o)
{
	struct bench_load l;
	struct bench_result *r = xcalloc(1, sizeof(*r));
	struct bench_proc a = {0}, b = {0};
	struct bench_srv sv = {0};
	int rc;

	memset(&l, 0, sizeof(l));
	if (resolve(o, &l.sa, &l.salen) < 0) {
		free(r);
		return 2;
	}
	l.conc = o->conc;
	l.total = o->duration > 0 ? 0 : o->total;
	l.limit = o->duration > 0 ? o->duration : o->max_time;
	l.timeout = o->timeout;
	l.msg = o->msg;
	l.msglen = o->msglen;
	l.expect = o->expect;
	l.progress = !o->json && term_isatty(2);
	l.stop = &bench_stop;
	bench_raise_nofile((long long)o->conc + 64);
	if (o->server_pid)
		bench_server_sample(o->server_pid, &a);
	if (bench_run_threads(&l, o->threads, r) < 0) {
		warn("cannot start the load:");
		free(r);
		return 1;
	}
	/* no figure without both samples; stderr has said why */
	sv.missing = "could not be read in /proc";
	if (o->server_pid && a.ok &&
	    bench_server_sample(o->server_pid, &b) == 0)
		bench_srv_from(&a, &b, r->started, &sv);
	if (o->json)
		bench_report_json(o, r, &sv);
	else
		bench_report_text(o, r, &sv);
	rc = r->failed || r->ok == 0 || r->time_limited ? 1 : 0;
	free(r);
	return rc;
}

static int
run_idle(struct bench_opts *o)
{
	struct bench_idle io;
	struct bench_idle_result r;
	long long failed = 0;
	int k;

	memset(&io, 0, sizeof(io));
	if (resolve(o, &io.sa, &io.salen) < 0)
		return 2;
	io.n = o->idle;
	io.batch = o->conc_set ? o->conc : 200;
	io.server_pid = o->server_pid;
	io.hold = o->hold;
	io.timeout = o->timeout;
	io.stop = &bench_stop;
	if (bench_idle_run(&io, &r) < 0) {
		warn("cannot start:");
		return 1;
	}
	if (o->json)
		bench_idle_json(o, &r);
	else
		bench_idle_text(o, &r);
	for (k = 0; k < BE_NKINDS; k++)
		failed += r.err[k];
	return failed || r.held == 0 ? 1 : 0;
}

static int
check_pid(int pid)
{
	struct proc_handle h;

	if (proc_open(&h, pid) < 0) {
		warn("no process %d to measure:", pid);
		return -1;
	}
	proc_close(&h);
	return 0;
}

static int
run_compare(struct bench_opts *o)
{
	struct bench_compare c;

	memset(&c, 0, sizeof(c));
	c.models = o->models;
	c.usage = &bench_usage;
	c.conc = o->conc;
	c.threads = o->threads;
	c.total = o->duration > 0 ? 0 : (o->total_set ? o->total : 2000);
	c.limit = o->duration > 0 ? o->duration : o->max_time;
	c.timeout = o->timeout;
	c.idle = o->idle ? o->idle : 500;
	c.runs = o->runs;
	c.json = o->json;
	c.svg = o->svg;
	c.progress = !o->json && term_isatty(2);
	c.stop = &bench_stop;
	return bench_compare_run(&c);
}

int
cmd_bench(int argc, char **argv)
{
	struct bench_opts o;
	int rc;

	bench_parse(&o, argc, argv);
	(void)sig_on_stop(on_int); /* cannot fail for these signals */
	if (o.server_pid && check_pid(o.server_pid) < 0)
		rc = 1;
	else if (o.compare)
		rc = run_compare(&o);
	else if (o.idle)
		rc = run_idle(&o);
	else
		rc = run_load(&o);
	free(o.msg);
	return rc; /* main checks that stdout took it all */
}
