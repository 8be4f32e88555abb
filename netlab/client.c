/*
 * client.c: the lecture's client (thread_cli). N threads each connect,
 * wait a random delay, send one line, read the reply and report it; the
 * main thread joins them all and counts the ACKs. --timeline draws every
 * thread's life on one time axis: the picture of concurrency.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "netlab.h"
#include "term.h"
#include "util.h"

struct client_opts {
	const char *addr;
	int port;
	int threads;
	double dmin, dmax; /* --delay MIN-MAX, seconds */
	unsigned seed;
	const char *msg;
	double timeout;
	int timeline;
};

/* One thread's record; times are seconds since the client started. */
struct cthread {
	int id;
	pthread_t tid;
	unsigned seed; /* this thread's own rand_r state */
	const struct client_opts *o;
	double t0;
	double start, connected, sent, done;
	int acked;
	char why[96]; /* failure reason, or the reply */
};

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static double
since(const struct cthread *c)
{
	return now_mono() - c->t0;
}

static void
sleep_for(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * Why rand_r and not rand: rand() keeps one hidden state shared by all
 * threads, so concurrent calls race on it (and glibc serialises them with
 * a lock). rand_r takes the state as an argument: each thread owns its
 * seed, and a given --seed repeats the same delays in every thread.
 */
static double
pick_delay(struct cthread *c)
{
	double u = (double)rand_r(&c->seed) / (double)RAND_MAX;

	return c->o->dmin + u * (c->o->dmax - c->o->dmin);
}

static const char *
reason(int err)
{
	switch (err) {
	case ECONNREFUSED:
		return "connection refused";
	case ETIMEDOUT:
	case EAGAIN:
		return "timeout";
	case ECONNRESET:
	case EPIPE:
		return "connection reset";
	default:
		return strerror(err);
	}
}

/* Read the reply line; 0 and the text in c->why, or -1 (reason set). */
static int
read_reply(struct cthread *c, int fd)
{
	char buf[65];
	struct net_line l = {.buf = buf, .size = 64};
	int r = net_line_read(&l, fd);

	if (r < 0 && errno != EMSGSIZE) {
		snprintf(c->why, sizeof(c->why), "%s", reason(errno));
		return -1;
	}
	if (r == 0 && l.len == 0) {
		snprintf(c->why, sizeof(c->why), "closed without a reply");
		return -1;
	}
	snprintf(c->why, sizeof(c->why), "%s",
	         r == 1 ? net_line_text(&l) : buf);
	return 0;
}

/* Send the message; a failed send still reads (the reply may be BUSY). */
static int
talk(struct cthread *c, int fd)
{
	const char *m = c->o->msg;
	int werr = 0;

	if (net_write_all(fd, m, strlen(m)) < 0 ||
	    net_write_all(fd, "\n", 1) < 0)
		werr = errno;
	c->sent = since(c);
	if (read_reply(c, fd) < 0) {
		if (werr)
			snprintf(c->why, sizeof(c->why), "%s", reason(werr));
		return -1;
	}
	c->acked = strcmp(c->why, "ACK") == 0;
	if (!c->acked) {
		char reply[sizeof(c->why)];

		snprintf(reply, sizeof(reply), "%s", c->why);
		snprintf(c->why, sizeof(c->why), "unexpected reply '%.60s'",
		         reply);
	}
	return c->acked ? 0 : -1;
}

static void
report(const struct cthread *c)
{
	pthread_mutex_lock(&out_lock);
	if (c->acked)
		printf("thread %d: ACK after %.2f s\n", c->id,
		       c->done - c->start);
	else
		printf("thread %d: failed after %.2f s: %s\n", c->id,
		       c->done - c->start, c->why);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

static void *
client_thread(void *arg)
{
	struct cthread *c = arg;
	double delay = pick_delay(c);
	int fd;

	c->start = since(c);
	fd = net_connect(c->o->addr, c->o->port, c->o->timeout);
	c->connected = since(c);
	if (fd < 0) {
		snprintf(c->why, sizeof(c->why), "%s", reason(errno));
	} else {
		/* the reply may take the delay plus the server's own time */
		net_set_timeouts(fd, c->o->timeout, c->o->timeout);
		sleep_for(delay);
		talk(c, fd);
		close(fd);
	}
	c->done = since(c);
	report(c);
	return NULL;
}

/* ---- the timeline chart ---- */

static int
col(double t, double total, int width)
{
	int x = (int)(t / total * (width - 1) + 0.5);

	return x < 0 ? 0 : x >= width ? width - 1 : x;
}

static void
fill(char *row, int from, int to, char ch)
{
	for (; from <= to; from++)
		row[from] = ch;
}

static void
timeline_row(const struct cthread *c, double total, int width)
{
	char row[256];

	memset(row, ' ', (size_t)width);
	row[width] = '\0';
	if (c->sent > 0) {
		fill(row, col(c->connected, total, width),
		     col(c->sent, total, width), '.');
		fill(row, col(c->sent, total, width),
		     col(c->done, total, width), '=');
		row[col(c->sent, total, width)] = 's';
	}
	row[col(c->start, total, width)] = 'c';
	row[col(c->done, total, width)] = c->acked ? 'A' : 'X';
	printf("thread %-3d |%s|\n", c->id, row);
}

static void
timeline(const struct cthread *cs, int n)
{
	int width = term_width(1) - 13, i;
	double total = 0;

	if (width <= 0 || width > 100)
		width = 60;
	if (width < 20)
		width = 20;
	for (i = 0; i < n; i++)
		if (cs[i].done > total)
			total = cs[i].done;
	if (total <= 0)
		total = 1e-3;
	printf("\ntimeline: 0 to %.2f s, one column = %.3f s\n", total,
	       total / (width - 1));
	printf("  c connect  . delay  s send  = wait for reply  "
	       "A ACK  X failed\n");
	for (i = 0; i < n; i++)
		timeline_row(&cs[i], total, width);
}

/* ---- options and main ---- */

static const char client_help[] =
    "  -n, --threads N     client threads (default 8)\n"
    "  -d, --delay MIN-MAX random wait in seconds between connect and "
    "send\n"
    "                      (default 1-5; fractions allowed, e.g. "
    "0.05-0.2)\n"
    "  -s, --seed N        random seed (default: from the clock; always "
    "printed)\n"
    "  -m, --message TEXT  the line to send (default \"hello\")\n"
    "  -t, --timeout S     connect and reply timeout in seconds "
    "(default 30)\n"
    "      --timeline      draw each thread's connect/wait/send/reply on "
    "one time axis\n"
    "  -h, --help          show this help\n"
    "  -V, --version       show the version\n";

static void
parse_delay(const struct usage *u, const char *v, struct client_opts *o)
{
	char lo[64];
	const char *dash = strchr(v, '-');

	if (!dash) { /* one number: a fixed delay */
		if (parse_double(v, 0, 3600, &o->dmin) < 0)
			opt_bad(u, "--delay", v);
		o->dmax = o->dmin;
		return;
	}
	if ((size_t)(dash - v) >= sizeof(lo))
		opt_bad(u, "--delay", v);
	memcpy(lo, v, (size_t)(dash - v));
	lo[dash - v] = '\0';
	if (parse_double(lo, 0, 3600, &o->dmin) < 0 ||
	    parse_double(dash + 1, 0, 3600, &o->dmax) < 0 || o->dmax < o->dmin)
		opt_bad(u, "--delay", v);
}

static void
client_parse(struct client_opts *o, int argc, char **argv,
             const struct usage *u)
{
	static const struct option lo[] = {
	    {"threads", required_argument, NULL, 'n'},
	    {"delay", required_argument, NULL, 'd'},
	    {"seed", required_argument, NULL, 's'},
	    {"message", required_argument, NULL, 'm'},
	    {"timeout", required_argument, NULL, 't'},
	    {"timeline", no_argument, NULL, 'T'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0}};
	struct sockaddr_storage ss;
	socklen_t sslen;
	long long seed = -1;
	int c;

	*o = (struct client_opts){
	    .threads = 8, .dmin = 1, .dmax = 5, .msg = "hello", .timeout = 30};
	optind = 1;
	while ((c = getopt_long(argc, argv, "n:d:s:m:t:hV", lo, NULL)) != -1) {
		switch (c) {
		case 'n':
			o->threads = opt_int(u, "--threads", optarg, 1, 10000);
			break;
		case 'd':
			parse_delay(u, optarg, o);
			break;
		case 's':
			seed = opt_ll(u, "--seed", optarg, 0, 4294967295LL);
			break;
		case 'm':
			if (strchr(optarg, '\n'))
				opt_bad(u, "--message", "(a newline)");
			o->msg = optarg;
			break;
		case 't':
			o->timeout =
			    opt_double(u, "--timeout", optarg, 0.001, 1e6);
			break;
		case 'T':
			o->timeline = 1;
			break;
		default: /* -h, -V or a bad option */
			opt_other(u, c);
		}
	}
	if (argc - optind != 2) {
		warn(argc - optind < 2 ? "missing ADDR or PORT"
		                       : "too many arguments");
		opt_usage(u, 2);
	}
	o->addr = argv[optind];
	if (net_addr(o->addr, 0, &ss, &sslen) < 0)
		opt_bad(u, "ADDR (a numeric IPv4 or IPv6 address)", o->addr);
	o->port = opt_int(u, "PORT", argv[optind + 1], 1, 65535);
	o->seed = seed >= 0 ? (unsigned)seed
	                    : (unsigned)time(NULL) ^ (unsigned)getpid() << 8;
}

static int
client_run(const struct client_opts *o)
{
	struct cthread *cs = xcalloc((size_t)o->threads, sizeof(*cs));
	double t0 = now_mono();
	int i, acked = 0, started = 0;
	pthread_attr_t attr;

	/* small stacks: -n 10000 must not reserve 10000 x 8 MB */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 128 * 1024);
	printf("%d threads to %s:%d, delay %g-%g s, seed %u\n", o->threads,
	       o->addr, o->port, o->dmin, o->dmax, o->seed);
	fflush(stdout);
	for (i = 0; i < o->threads; i++) {
		cs[i] = (struct cthread){.id = i, .o = o, .t0 = t0};
		/* a different, repeatable state for every thread */
		cs[i].seed = o->seed ^ (unsigned)(i + 1) * 2654435761u;
		if (pthread_create(&cs[i].tid, &attr, client_thread, &cs[i])) {
			warn("cannot start thread %d", i);
			break;
		}
		started++;
	}
	pthread_attr_destroy(&attr);
	/* pthread_join: wait for every thread, as the lecture's main does */
	for (i = 0; i < started; i++) {
		pthread_join(cs[i].tid, NULL);
		acked += cs[i].acked;
	}
	if (o->timeline)
		timeline(cs, started);
	printf("%d/%d acknowledged\n", acked, o->threads);
	free(cs);
	return acked == o->threads ? 0 : 1;
}

int
cmd_client(int argc, char **argv)
{
	static const struct usage u = {"netlab client [options] ADDR PORT",
	                               client_help, "netlab client"};
	struct client_opts o;

	client_parse(&o, argc, argv, &u);
	return client_run(&o);
}

int
thread_cli_main(int argc, char **argv)
{
	static const struct usage u = {"thread_cli [options] <IP> <port>",
	                               client_help, NULL};
	struct client_opts o;

	client_parse(&o, argc, argv, &u);
	return client_run(&o);
}
