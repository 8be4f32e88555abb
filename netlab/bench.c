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
#include "json.h"
#include "net.h"
#include "netlab.h"
#include "proc.h"
#include "term.h"
#include "util.h"

static const char bench_usage_lines[] =
    "netlab bench [-c CONCURRENCY] [-n TOTAL | -d SECONDS] [-m MESSAGE]\n"
    "                    [-t THREADS] [--expect REPLY] [options] HOST PORT\n"
    "       netlab bench --idle N [--server-pid PID] [options] HOST PORT\n"
    "       netlab bench --compare [-c CONCURRENCY] [-n TOTAL] [-t THREADS]\n"
    "                    [--idle N] [--models LIST] [--json]";

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
    "      --server-pid PID the server's process: CPU per connection; "
    "with --idle\n"
    "                       also memory, threads and descriptors\n"
    "      --idle N         hold N silent connections and measure the "
    "server\n"
    "      --hold S         --idle: keep them S more seconds (default 0)\n"
    "      --compare        start each server model, run the same load "
    "and idle\n"
    "                       test on each (default --idle 500), one table\n"
    "      --models LIST    --compare: which models (default "
    "thread,fork,pool,epoll)\n"
    "      --json           one JSON object on stdout instead of text\n"
    "  -h, --help           show this help\n"
    "  -V, --version        show the version\n"
    "\n"
    "Exit status: 0 every connection got the expected reply (--idle: all\n"
    "connected), 1 a failure, 2 bad usage.\n";

struct bench_opts {
	const char *host;
	int port;
	int conc;
	int threads;
	long long total;
	double duration;
	double max_time;
	double timeout;
	char *msg;
	size_t msglen;
	const char *expect;
	int server_pid;
	int idle;
	double hold;
	int compare;
	const char *models;
	int json;
	int conc_set, total_set;
};

static volatile int bench_stop;

static void
on_int(int sig)
{
	(void)sig;
	bench_stop = 1;
}

static const struct usage bench_usage = {bench_usage_lines, bench_help,
                                         "netlab bench"};

static void
usage(int status)
{
	opt_usage(&bench_usage, status);
}

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
			warn("unknown escape in message '%s' "
			     "(\\r \\n \\t \\\\)",
			     text);
			usage(2);
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
	set_message(o, "hello");
}

static void
check_args(struct bench_opts *o, int argc, char **argv)
{
	if (o->duration > 0 && o->total_set) {
		warn("-n and -d cannot go together");
		usage(2);
	}
	if (o->compare) {
		if (optind < argc) {
			warn("--compare starts its own servers: unexpected "
			     "argument '%s'",
			     argv[optind]);
			usage(2);
		}
		return;
	}
	if (argc - optind != 2) {
		warn(argc - optind < 2 ? "missing HOST and PORT"
		                       : "too many arguments");
		usage(2);
	}
	o->host = argv[optind];
	if (strcmp(o->host, "localhost") == 0)
		o->host = "127.0.0.1";
	o->port = (int)opt_count("PORT", argv[optind + 1], 1, 65535);
	if (o->idle && o->threads > 1) {
		warn("--threads goes with a load, not with --idle");
		usage(2);
	}
	if (o->hold > 0 && !o->idle) {
		warn("--hold goes with --idle");
		usage(2);
	}
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
		O_MODELS,
		O_JSON
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
	    {"models", required_argument, NULL, O_MODELS},
	    {"json", no_argument, NULL, O_JSON},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0}};
	int c;

	bench_defaults(o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:n:d:m:t:hV", lo, NULL)) != -1) {
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
			if (strlen(optarg) > BENCH_REPLY_MAX - 2 ||
			    strpbrk(optarg, "\r\n"))
				opt_bad(
				    &bench_usage,
				    "--expect (one line, at most 253 bytes)",
				    optarg);
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
		case O_MODELS:
			o->models = optarg;
			break;
		case O_JSON:
			o->json = 1;
			break;
		default:
			opt_other(&bench_usage, c);
		}
	}
	check_args(o, argc, argv);
}

/* ---- the load report ---- */

static void
print_errors(FILE *f, const struct bench_result *r)
{
	int k;

	fprintf(f, "  errors:");
	for (k = 0; k < BE_NKINDS; k++)
		fprintf(f, "%s %s %lld", k ? "," : "", bench_err_name[k],
		        r->err[k]);
	fputc('\n', f);
	if (r->err[BE_WRONG])
		fprintf(f, "  first wrong reply: '%s'\n", r->wrong);
	if (r->err[BE_OTHER])
		fprintf(f, "  first other error: %s\n",
		        strerror(r->other_errno));
}

static void
report_text(const struct bench_opts *o, const struct bench_result *r,
            double cpu_us)
{
	printf("netlab bench: %s port %d, concurrency %d", o->host, o->port,
	       o->conc);
	if (r->threads > 1)
		printf(", %d threads", r->threads);
	putchar('\n');
	printf("  %lld connections: %lld ok, %lld failed in %.3f s\n",
	       r->started, r->ok, r->failed, r->seconds);
	printf("  %.0f conn/s\n", bench_rate(r));
	printf("  latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n",
	       bench_quantile_ms(r, 0.5), bench_quantile_ms(r, 0.9),
	       bench_quantile_ms(r, 0.99), (double)r->max_us / 1000.0);
	print_errors(stdout, r);
	if (cpu_us >= 0)
		printf("  server pid %d: %.1f us of CPU per connection\n",
		       o->server_pid, cpu_us);
	if (r->time_limited)
		printf("  stopped early (--max-time or an interrupt) after "
		       "%lld of %lld connections\n",
		       r->started, o->total);
}

static void
json_errors(struct json *j, const long long *err)
{
	int k;

	json_key(j, "errors");
	json_obj_begin(j);
	for (k = 0; k < BE_NKINDS; k++) {
		json_key(j, bench_err_name[k]);
		json_int(j, err[k]);
	}
	json_obj_end(j);
}

static void
report_json(const struct bench_opts *o, const struct bench_result *r,
            double cpu_us)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_key(&j, "mode");
	json_str(&j, "load");
	json_key(&j, "host");
	json_str(&j, o->host);
	json_key(&j, "port");
	json_int(&j, o->port);
	json_key(&j, "concurrency");
	json_int(&j, o->conc);
	json_key(&j, "client_threads");
	json_int(&j, r->threads);
	json_key(&j, "started");
	json_int(&j, r->started);
	json_key(&j, "ok");
	json_int(&j, r->ok);
	json_key(&j, "failed");
	json_int(&j, r->failed);
	json_key(&j, "seconds");
	json_double(&j, r->seconds);
	json_key(&j, "conn_per_sec");
	json_double(&j, bench_rate(r));
	json_key(&j, "latency_ms");
	json_obj_begin(&j);
	json_key(&j, "p50");
	json_double(&j, bench_quantile_ms(r, 0.5));
	json_key(&j, "p90");
	json_double(&j, bench_quantile_ms(r, 0.9));
	json_key(&j, "p99");
	json_double(&j, bench_quantile_ms(r, 0.99));
	json_key(&j, "max");
	json_double(&j, (double)r->max_us / 1000.0);
	json_obj_end(&j);
	json_errors(&j, r->err);
	json_key(&j, "first_wrong_reply");
	if (r->err[BE_WRONG])
		json_str(&j, r->wrong);
	else
		json_null(&j);
	json_key(&j, "time_limited");
	json_bool(&j, r->time_limited);
	if (cpu_us >= 0) {
		json_key(&j, "server_cpu_us_per_conn");
		json_double(&j, cpu_us);
	}
	json_obj_end(&j);
	json_end(&j);
}

static int
resolve(const struct bench_opts *o, struct sockaddr_storage *ss, socklen_t *len)
{
	if (net_addr(o->host, o->port, ss, len) < 0) {
		warn("invalid HOST '%s': a numeric IPv4 or IPv6 address",
		     o->host);
		return -1;
	}
	return 0;
}

static unsigned long long
server_cpu(int pid)
{
	struct bench_proc p;

	if (!pid || bench_proc_sample(pid, &p) < 0)
		return 0;
	return p.cpu;
}

static int
run_load(struct bench_opts *o)
{
	struct bench_load l;
	struct bench_result *r = xcalloc(1, sizeof(*r));
	unsigned long long c0 = server_cpu(o->server_pid), c1;
	double cpu_us = -1;
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
	if (bench_run_threads(&l, o->threads, r) < 0) {
		warn("cannot start the load:");
		free(r);
		return 1;
	}
	c1 = server_cpu(o->server_pid);
	if (o->server_pid && c1 >= c0 && r->started > 0)
		cpu_us = (double)(c1 - c0) * 1e6 /
		         (double)sysconf(_SC_CLK_TCK) / (double)r->started;
	if (o->json)
		report_json(o, r, cpu_us);
	else
		report_text(o, r, cpu_us);
	rc = r->failed || r->ok == 0 || r->time_limited ? 1 : 0;
	free(r);
	return rc;
}

/* ---- the idle report ---- */

static void
idle_row(const char *what, long long a, long long b, int held)
{
	printf("    %-12s %10lld %10lld %12.2f\n", what, a, b,
	       held > 0 ? (double)(b - a) / held : 0.0);
}

static void
idle_text(const struct bench_opts *o, const struct bench_idle_result *r)
{
	const struct bench_proc *a = &r->before, *b = &r->after;
	int k;

	printf("netlab bench --idle: %s port %d, %d connections\n", o->host,
	       o->port, o->idle);
	printf("  held %d, answered or closed by the server %d, failed %lld "
	       "(%.2f s)\n",
	       r->held, r->rejected,
	       (long long)(o->idle - r->held - r->rejected), r->seconds);
	if (r->rejected)
		printf("  first answer: '%s'\n", r->reply);
	for (k = 0; k < BE_NKINDS; k++)
		if (r->err[k])
			printf("  connect failed: %s %lld\n", bench_err_name[k],
			       r->err[k]);
	if (!o->server_pid)
		return;
	if (!a->ok || !b->ok) {
		printf("  server pid %d: could not be read in /proc\n",
		       o->server_pid);
		return;
	}
	printf("  server pid %d:      before      after  per connection\n",
	       o->server_pid);
	printf("    %-12s %7lld KB %7lld KB %9.0f B\n",
	       r->tree ? "memory (PSS)" : "memory (RSS)",
	       r->tree ? a->pss_kb : a->rss_kb, r->tree ? b->pss_kb : b->rss_kb,
	       bench_idle_mem_per_conn(r));
	idle_row("threads", a->threads, b->threads, r->held);
	idle_row("processes", a->procs, b->procs, r->held);
	idle_row("descriptors", a->fds, b->fds, r->held);
	if (r->tree)
		printf("  (several processes: memory is their PSS summed, "
		       "shared pages counted once)\n");
}

static void
json_proc(struct json *j, const char *key, const struct bench_proc *p)
{
	json_key(j, key);
	json_obj_begin(j);
	json_key(j, "rss_kb");
	json_int(j, p->rss_kb);
	json_key(j, "pss_kb");
	json_int(j, p->pss_kb);
	json_key(j, "threads");
	json_int(j, p->threads);
	json_key(j, "procs");
	json_int(j, p->procs);
	json_key(j, "fds");
	json_int(j, p->fds);
	json_obj_end(j);
}

static double
per(long long a, long long b, int held)
{
	return held > 0 ? (double)(b - a) / held : 0;
}

static void
idle_json(const struct bench_opts *o, const struct bench_idle_result *r)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_key(&j, "mode");
	json_str(&j, "idle");
	json_key(&j, "asked");
	json_int(&j, o->idle);
	json_key(&j, "held");
	json_int(&j, r->held);
	json_key(&j, "rejected");
	json_int(&j, r->rejected);
	json_key(&j, "first_answer");
	if (r->rejected)
		json_str(&j, r->reply);
	else
		json_null(&j);
	json_errors(&j, r->err);
	if (o->server_pid && r->before.ok && r->after.ok) {
		json_key(&j, "server_pid");
		json_int(&j, o->server_pid);
		json_key(&j, "memory");
		json_str(&j, r->tree ? "pss" : "rss");
		json_proc(&j, "before", &r->before);
		json_proc(&j, "after", &r->after);
		json_key(&j, "per_conn");
		json_obj_begin(&j);
		json_key(&j, "mem_bytes");
		json_double(&j, bench_idle_mem_per_conn(r));
		json_key(&j, "threads");
		json_double(&j,
		            per(r->before.threads, r->after.threads, r->held));
		json_key(&j, "procs");
		json_double(&j, per(r->before.procs, r->after.procs, r->held));
		json_key(&j, "fds");
		json_double(&j, per(r->before.fds, r->after.fds, r->held));
		json_obj_end(&j);
	}
	json_obj_end(&j);
	json_end(&j);
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
		idle_json(o, &r);
	else
		idle_text(o, &r);
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
	c.conc = o->conc;
	c.threads = o->threads;
	c.total = o->duration > 0 ? 0 : (o->total_set ? o->total : 2000);
	c.limit = o->duration > 0 ? o->duration : o->max_time;
	c.timeout = o->timeout;
	c.idle = o->idle ? o->idle : 500;
	c.json = o->json;
	c.progress = !o->json && term_isatty(2);
	c.stop = &bench_stop;
	return bench_compare_run(&c);
}

int
cmd_bench(int argc, char **argv)
{
	struct bench_opts o;
	struct sigaction sa;
	int rc;

	bench_parse(&o, argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_int;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	if (o.server_pid && check_pid(o.server_pid) < 0)
		rc = 1;
	else if (o.compare)
		rc = run_compare(&o);
	else if (o.idle)
		rc = run_idle(&o);
	else
		rc = run_load(&o);
	free(o.msg);
	fflush(stdout);
	return rc;
}
