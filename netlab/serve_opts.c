/*
 * serve_opts.c: the options of "netlab serve", each default stated once,
 * and their checks (a bad value is a usage error, exit 2).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"
#include "netlab.h"
#include "opt.h"
#include "util.h"

/*
 * Each default stated once: serve_defaults() sets it and the help text
 * prints it (STR turns the number into a string literal, "4096").
 */
#define DEF_MODEL "thread"
#define DEF_ADDR "127.0.0.1"
#define DEF_PORT 0
#define DEF_MAX_LINE 4096
#define DEF_IDLE_TIMEOUT 10
#define DEF_REQUEST_TIMES 3 /* --request-timeout: times the idle timeout */
#define DEF_MAX_CLIENTS 1024
#define DEF_THREADS_PER_CPU 2
#define DEF_QUEUE 64
#define DEF_DRAIN 10
#define STR_(x) #x
#define STR(x) STR_(x)
#define DEF_PORT_S STR(DEF_PORT)
#define DEF_MAX_LINE_S STR(DEF_MAX_LINE)
#define DEF_IDLE_TIMEOUT_S STR(DEF_IDLE_TIMEOUT)
#define DEF_REQUEST_TIMES_S STR(DEF_REQUEST_TIMES)
#define DEF_MAX_CLIENTS_S STR(DEF_MAX_CLIENTS)
#define DEF_THREADS_PER_CPU_S STR(DEF_THREADS_PER_CPU)
#define DEF_QUEUE_S STR(DEF_QUEUE)
#define DEF_DRAIN_S STR(DEF_DRAIN)

const char serve_help[] =
    "  -m, --model MODEL       thread, fork, pool or epoll "
    "(default " DEF_MODEL ")\n"
    "  -b, --bind ADDR         numeric IPv4 or IPv6 address "
    "(default " DEF_ADDR ")\n"
    "  -p, --port PORT         port; 0 lets the kernel choose "
    "(default " DEF_PORT_S ")\n"
    "      --max-line N        longest line in bytes, newline included "
    "(default " DEF_MAX_LINE_S ")\n"
    "      --idle-timeout S    close a silent client after S seconds "
    "(default " DEF_IDLE_TIMEOUT_S ")\n"
    "      --request-timeout S close a client whose line is not whole after "
    "S\n"
    "                          seconds, however it trickles in "
    "(default " DEF_REQUEST_TIMES_S " x\n"
    "                          the idle timeout)\n"
    "      --max-clients N     connections at once, more get BUSY "
    "(default " DEF_MAX_CLIENTS_S ")\n"
    "      --threads N         pool: worker threads "
    "(default " DEF_THREADS_PER_CPU_S " x CPUs)\n"
    "      --queue N           pool: accepted connections waiting "
    "(default " DEF_QUEUE_S ")\n"
    "      --drain S           at SIGINT/SIGTERM, wait up to S seconds for "
    "open\n"
    "                          connections to finish "
    "(default " DEF_DRAIN_S ")\n"
    "      --backlog N         listen(2) backlog (default SOMAXCONN)\n"
    "  -q, --quiet             no per-connection log lines\n"
    "  -h, --help              show this help\n"
    "  -V, --version           show the version\n";

static void
check_model(const struct usage *u, const char *m)
{
	static const char *const models[] = {"thread", "fork", "pool", "epoll"};
	size_t i;

	for (i = 0; i < LEN(models); i++)
		if (strcmp(m, models[i]) == 0)
			return;
	opt_fail(u, "unknown model '%s' (thread, fork, pool or epoll)", m);
}

static void
serve_defaults(struct serve_opts *o)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	memset(o, 0, sizeof(*o));
	o->model = DEF_MODEL;
	o->addr = DEF_ADDR;
	o->port = DEF_PORT;
	o->max_line = DEF_MAX_LINE;
	o->idle_timeout = DEF_IDLE_TIMEOUT;
	o->max_clients = DEF_MAX_CLIENTS;
	/* a machine that cannot say counts as two CPUs */
	o->threads = DEF_THREADS_PER_CPU * (int)(cpus > 0 ? cpus : 2);
	o->queue = DEF_QUEUE;
	o->drain = DEF_DRAIN;
}

void
serve_parse(struct serve_opts *o, int argc, char **argv, const struct usage *u)
{
	enum {
		O_LINE = 256,
		O_IDLE,
		O_REQ,
		O_MAXC,
		O_THR,
		O_QUEUE,
		O_DRAIN,
		O_BL
	};
	static const struct option lo[] = {
	    {"model", required_argument, NULL, 'm'},
	    {"bind", required_argument, NULL, 'b'},
	    {"port", required_argument, NULL, 'p'},
	    {"max-line", required_argument, NULL, O_LINE},
	    {"idle-timeout", required_argument, NULL, O_IDLE},
	    {"request-timeout", required_argument, NULL, O_REQ},
	    {"max-clients", required_argument, NULL, O_MAXC},
	    {"threads", required_argument, NULL, O_THR},
	    {"queue", required_argument, NULL, O_QUEUE},
	    {"drain", required_argument, NULL, O_DRAIN},
	    {"backlog", required_argument, NULL, O_BL},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0}};
	struct sockaddr_storage ss;
	socklen_t sslen;
	int c;

	serve_defaults(o);
	opt_begin();
	while ((c = getopt_long(argc, argv, ":m:b:p:qhV", lo, NULL)) != -1) {
		switch (c) {
		case 'm':
			check_model(u, optarg);
			o->model = optarg;
			break;
		case 'b':
			if (net_addr(optarg, 0, &ss, &sslen) < 0)
				opt_bad(u,
				        "--bind (a numeric IPv4 or IPv6 "
				        "address)",
				        optarg);
			o->addr = optarg;
			break;
		case 'p':
			o->port = opt_int(u, "--port", optarg, 0, 65535);
			break;
		case O_LINE:
			o->max_line = (size_t)opt_int(u, "--max-line", optarg,
			                              2, 1 << 20);
			break;
		case O_IDLE:
			o->idle_timeout =
			    opt_double(u, "--idle-timeout", optarg, 0.01, 1e6);
			break;
		case O_REQ:
			o->request_timeout = opt_double(u, "--request-timeout",
			                                optarg, 0.01, 1e6);
			break;
		case O_MAXC:
			o->max_clients =
			    opt_int(u, "--max-clients", optarg, 1, 1 << 24);
			break;
		case O_THR:
			o->threads = opt_int(u, "--threads", optarg, 1, 4096);
			break;
		case O_QUEUE:
			o->queue = opt_int(u, "--queue", optarg, 1, 1 << 20);
			break;
		case O_DRAIN:
			o->drain = opt_double(u, "--drain", optarg, 0, 1e6);
			break;
		case O_BL:
			o->backlog =
			    opt_int(u, "--backlog", optarg, 1, 1 << 20);
			break;
		case 'q':
			o->quiet = 1;
			break;
		default: /* -h, -V or a bad option */
			opt_other(u, c, argv);
		}
	}
	if (optind < argc)
		opt_fail(u, "unexpected argument '%s'", argv[optind]);
	/*
	 * Why a second deadline: the idle timeout starts again at every
	 * byte, so a client that drips one byte a second holds its slot for
	 * ever. The whole line must arrive within this time. The default
	 * follows the idle timeout, so that raising one never makes the
	 * other cut a client first.
	 */
	if (o->request_timeout == 0)
		o->request_timeout = DEF_REQUEST_TIMES * o->idle_timeout;
}
