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

#include "client_svg.h"
#include "esc.h"
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
	char *line; /* msg and its '\n', sent in one write */
	double timeout;
	int timeline;
	const char *svg; /* --svg FILE */
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
	char why[96]; /* failure reason (our words, escaped reply) */
	/* the reply as it came: a server may send any byte, NUL included,
	 * so its length is kept, and it is escaped before it is shown */
	char reply[65];
	size_t reply_len;
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

/* Read the reply line; 0 and the bytes in c->reply, or -1 (reason set). */
static int
read_reply(struct cthread *c, int fd)
{
	struct net_line l = {.buf = c->reply, .size = sizeof(c->reply) - 1};
	int r;

	/*
	 * Why a deadline and not only the socket's receive timeout: that
	 * one starts again at every byte, so a reply trickling in a byte at
	 * a time would never time out. -t bounds the whole reply.
	 */
	l.deadline = now_mono() + c->o->timeout;
	r = net_line_read(&l, fd);

	if (r < 0 && errno != EMSGSIZE) {
		snprintf(c->why, sizeof(c->why), "%s", reason(errno));
		return -1;
	}
	if (r == 0 && l.len == 0) {
		snprintf(c->why, sizeof(c->why), "closed without a reply");
		return -1;
	}
	c->reply_len = r == 1 ? l.end - 1 : l.len; /* without the '\n' */
	if (r == 1 && c->reply_len > 0 && c->reply[c->reply_len - 1] == '\r')
		c->reply_len--;
	return 0;
}

/* Send the message; a failed send still reads (the reply may be BUSY). */
static int
talk(struct cthread *c, int fd)
{
	int werr = 0;

	/*
	 * One write for the whole line. Two (the text, then "\n") would
	 * meet Nagle's algorithm: the "\n" waits until the server ACKs the
	 * text, and the server's kernel delays that ACK (up to 40 ms here)
	 * while its program waits for the rest of the line.
	 */
	if (net_write_all(fd, c->o->line, strlen(c->o->line)) < 0)
		werr = errno;
	c->sent = since(c);
	if (read_reply(c, fd) < 0) {
		if (werr)
			snprintf(c->why, sizeof(c->why), "%s", reason(werr));
		return -1;
	}
	c->acked = c->reply_len == 3 && memcmp(c->reply, "ACK", 3) == 0;
	if (!c->acked) {
		char shown[64];

		esc_buf(shown, sizeof(shown), c->reply, c->reply_len, 60, NULL);
		snprintf(c->why, sizeof(c->why), "unexpected reply '%s'",
		         shown);
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

/* The same lanes as a picture (client_svg.c); -1 after saying why. */
static int
write_svg(const struct client_opts *o, const struct cthread *cs, int n)
{
	struct lane *l = xcalloc(n ? (size_t)n : 1, sizeof(*l));
	char title[128];
	int i, r;

	for (i = 0; i < n; i++)
		l[i] = (struct lane){cs[i].id,   cs[i].start, cs[i].connected,
		                     cs[i].sent, cs[i].done,  cs[i].acked};
	snprintf(title, sizeof(title), "netlab client: %d threads, seed %u", n,
	         o->seed);
	r = client_svg(o->svg, l, n, title);
	if (r < 0)
		warn("cannot write '%s':", o->svg);
	free(l);
	return r;
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
    "  -t, --timeout S     seconds for the connect, then for the whole "
    "reply\n"
    "                      (default 30)\n"
    "      --timeline      draw each thread's connect/wait/send/reply "
    "on\n                      one time axis\n"
    "      --svg FILE      that timeline as an SVG picture in FILE\n"
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
	    {"svg", required_argument, NULL, 'G'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0}};
	struct sockaddr_storage ss;
	socklen_t sslen;
	long long seed = -1;
	int c;

	*o = (struct client_opts){
	    .threads = 8, .dmin = 1, .dmax = 5, .msg = "hello", .timeout = 30};
	opt_begin();
	while ((c = getopt_long(argc, argv, ":n:d:s:m:t:hV", lo, NULL)) != -1) {
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
		case 'G':
			/* stdout carries the report: the picture needs a file
			 */
			if (strcmp(optarg, "-") == 0)
				opt_fail(u, "--svg needs a file name here, not "
				            "'-'");
			o->svg = optarg;
			break;
		default: /* -h, -V or a bad option */
			opt_other(u, c, argv);
		}
	}
	if (argc - optind != 2)
		opt_fail(u, "%s",
		         argc - optind < 2 ? "missing HOST or PORT"
		                           : "too many arguments");
	o->addr = argv[optind];
	if (net_resolve(o->addr, 0, &ss, &sslen) < 0)
		opt_fail(u, "unknown host '%s'%s%s", o->addr,
		         errno == ENXIO ? "" : ": ",
		         errno == ENXIO ? "" : strerror(errno));
	o->port = opt_int(u, "PORT", argv[optind + 1], 1, 65535);
	o->seed = seed >= 0 ? (unsigned)seed
	                    : (unsigned)time(NULL) ^ (unsigned)getpid() << 8;
}

/*
 * Knuth's multiplicative hash constant (TAOCP vol. 3, 6.4): 2^32 divided
 * by the golden ratio. Multiplying the thread number by it spreads
 * neighbouring numbers over all 32 bits, so threads 1, 2, 3 get seeds
 * that differ in many bits, not only the lowest, and rand_r gives them
 * unrelated sequences.
 */
#define KNUTH_HASH 2654435761u

static int
client_run(const struct client_opts *o)
{
	struct cthread *cs = xcalloc((size_t)o->threads, sizeof(*cs));
	double t0 = now_mono();
	int i, acked = 0, started = 0;
	pthread_attr_t attr;

	/* small stacks: -n 10000 must not reserve 10000 x 8 MB (the same
	 * size as a server thread's, for the same reason: proto.c) */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, NETLAB_THREAD_STACK);
	printf("%d threads to %s:%d, delay %g-%g s, seed %u\n", o->threads,
	       o->addr, o->port, o->dmin, o->dmax, o->seed);
	fflush(stdout);
	for (i = 0; i < o->threads; i++) {
		cs[i] = (struct cthread){.id = i, .o = o, .t0 = t0};
		/* a different, repeatable state for every thread */
		cs[i].seed = o->seed ^ (unsigned)(i + 1) * KNUTH_HASH;
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
	if (o->svg && write_svg(o, cs, started) < 0) {
		free(cs);
		return 1;
	}
	free(cs);
	return acked == o->threads ? 0 : 1;
}

int
cmd_client(int argc, char **argv)
{
	static const struct usage u = {"netlab client [options] HOST PORT",
	                               client_help, "netlab client", NULL};
	struct client_opts o;
	int status;

	client_parse(&o, argc, argv, &u);
	o.line = xmalloc(strlen(o.msg) + 2);
	sprintf(o.line, "%s\n", o.msg);
	status = client_run(&o);
	free(o.line);
	return status;
}
