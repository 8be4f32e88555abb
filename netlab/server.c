/*
 * server.c: what every server model shares: options, the listening
 * socket, accepting with limits, logging, and the shutdown on a signal.
 * The models (serve_*.c) only decide who serves an accepted connection.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "netlab.h"
#include "util.h"

volatile sig_atomic_t srv_stop;

/* ---- options ---- */

const char serve_help[] =
    "  -m, --model MODEL       thread (default), fork, pool or epoll\n"
    "  -b, --bind ADDR         numeric IPv4 or IPv6 address "
    "(default 127.0.0.1)\n"
    "  -p, --port PORT         port; 0 lets the kernel choose (default 0)\n"
    "      --max-line N        longest line in bytes, newline included "
    "(default 4096)\n"
    "      --idle-timeout S    close a silent client after S seconds "
    "(default 10)\n"
    "      --max-clients N     connections at once, more get BUSY "
    "(default 1024)\n"
    "      --threads N         pool: worker threads (default 2 x CPUs)\n"
    "      --queue N           pool: accepted connections waiting "
    "(default 64)\n"
    "      --drain S           at SIGINT/SIGTERM, wait up to S seconds for "
    "open\n"
    "                          connections to finish (default 10)\n"
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
	warn("unknown model '%s' (thread, fork, pool or epoll)", m);
	opt_usage(u, 2);
}

static void
serve_defaults(struct serve_opts *o)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	memset(o, 0, sizeof(*o));
	o->model = "thread";
	o->addr = "127.0.0.1";
	o->max_line = 4096;
	o->idle_timeout = 10;
	o->max_clients = 1024;
	o->threads = (int)(cpus > 0 ? 2 * cpus : 4);
	o->queue = 64;
	o->drain = 10;
}

void
serve_parse(struct serve_opts *o, int argc, char **argv, const struct usage *u,
            int want_port_arg)
{
	enum { O_LINE = 256, O_IDLE, O_MAXC, O_THR, O_QUEUE, O_DRAIN, O_BL };
	static const struct option lo[] = {
	    {"model", required_argument, NULL, 'm'},
	    {"bind", required_argument, NULL, 'b'},
	    {"port", required_argument, NULL, 'p'},
	    {"max-line", required_argument, NULL, O_LINE},
	    {"idle-timeout", required_argument, NULL, O_IDLE},
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
	optind = 1;
	while ((c = getopt_long(argc, argv, "m:b:p:qhV", lo, NULL)) != -1) {
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
			opt_other(u, c);
		}
	}
	if (want_port_arg) {
		if (argc - optind != 1) {
			warn(argc - optind ? "too many arguments"
			                   : "missing PORT");
			opt_usage(u, 2);
		}
		o->port = opt_int(u, "PORT", argv[optind], 0, 65535);
	} else if (optind < argc) {
		warn("unexpected argument '%s'", argv[optind]);
		opt_usage(u, 2);
	}
}

/* ---- signals ---- */

static void
on_stop(int sig)
{
	static const char msg[] = "second signal: exiting now\n";

	(void)sig;
	if (srv_stop++ == 0)
		return;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

/*
 * SIGINT and SIGTERM are blocked everywhere except while the main thread
 * waits (ppoll/epoll_pwait with s->waitmask). So the handler can only run
 * in that wait, which then returns EINTR: no window in which the flag is
 * set just after we tested it and before we went to sleep, and no worker
 * thread is ever interrupted. Threads created later inherit the block.
 */
static void
signals_init(struct server *s)
{
	struct sigaction sa;
	sigset_t stop;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/*
	 * Why ignore SIGPIPE: writing to a client that has gone away raises
	 * SIGPIPE, whose default action kills the whole server. Ignored, the
	 * write just fails with EPIPE and only that connection ends.
	 */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &s->waitmask);
	sigdelset(&s->waitmask, SIGINT);
	sigdelset(&s->waitmask, SIGTERM);
}

/* ---- listening and accepting ---- */

int
server_wait(struct server *s, int ms)
{
	struct pollfd p = {.fd = s->lfd, .events = POLLIN};
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	if (srv_stop)
		return 0;
	return ppoll(&p, 1, ms < 0 ? NULL : &ts, &s->waitmask) > 0;
}

/*
 * Out of descriptors (EMFILE/ENFILE): the pending connection stays in
 * the accept queue, so the socket stays readable and a naive loop spins
 * at 100% CPU. The spare-descriptor trick: give back the one descriptor
 * we reserved, accept the connection, tell it BUSY, close it, reserve
 * again. If even that fails, back off for a moment instead of spinning.
 */
static void
shed_one(struct server *s)
{
	struct timespec pause = {0, 50L * 1000 * 1000};
	int fd;

	if (s->spare >= 0) {
		close(s->spare);
		s->spare = -1;
		fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0) {
			send(fd, "BUSY\n", 5,
			     MSG_NOSIGNAL | MSG_DONTWAIT | MSG_MORE);
			net_close_graceful(fd, 0);
			server_count(s, OUT_BUSY);
			if (!s->o->quiet)
				server_log(s, "-",
				           "out of descriptors: "
				           "shed a connection");
		}
		s->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	}
	if (s->spare < 0)
		nanosleep(&pause, NULL);
}

int
server_accept(struct server *s, int flags)
{
	int fd;

	for (;;) {
		fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC | flags);
		if (fd >= 0 || errno != EINTR)
			break;
	}
	if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
		shed_one(s);
		errno = EAGAIN;
	}
	return fd;
}

int
server_enter(struct server *s)
{
	int now = atomic_fetch_add(&s->active, 1) + 1;
	int peak = atomic_load(&s->peak);

	if (now > s->o->max_clients) {
		atomic_fetch_sub(&s->active, 1);
		return -1;
	}
	while (now > peak &&
	       !atomic_compare_exchange_weak(&s->peak, &peak, now))
		;
	return 0;
}

void
server_count(struct server *s, enum outcome r)
{
	switch (r) {
	case OUT_ACK:
		atomic_fetch_add(&s->served, 1);
		break;
	case OUT_TIMEOUT:
		atomic_fetch_add(&s->timeouts, 1);
		break;
	case OUT_BUSY:
		atomic_fetch_add(&s->busy, 1);
		break;
	default:
		atomic_fetch_add(&s->errors, 1);
	}
}

void
server_leave(struct server *s, enum outcome r)
{
	server_count(s, r);
	atomic_fetch_sub(&s->active, 1);
}

void
server_reject(struct server *s, int fd, const char *why)
{
	/* non-blocking: the accepting thread must never wait on a client */
	send(fd, "BUSY\n", 5, MSG_NOSIGNAL | MSG_DONTWAIT | MSG_MORE);
	net_close_graceful(fd, 0);
	server_count(s, OUT_BUSY);
	if (!s->o->quiet)
		server_log(s, "-", "%s: sent BUSY", why);
}

int
server_active(struct server *s)
{
	return atomic_load(&s->active);
}

/* ---- logging ---- */

/*
 * Why one write(2) per line and no stdio: many threads (or processes
 * after fork) log at once; a single write of a short line is not torn
 * or interleaved, needs no lock, and nothing sits in a stdio buffer that
 * fork would copy into the child.
 */
void
server_log(struct server *s, const char *peer, const char *fmt, ...)
{
	char line[512];
	int n, m;
	va_list ap;

	n = snprintf(line, sizeof(line), "%s %d %s: ", s->who, (int)gettid(),
	             peer);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += m;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (write(1, line, (size_t)n) < 0)
		return; /* a log line is not worth dying for */
}

void
server_say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0 &&
	    write(1, line,
	          (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1) < 0)
		return;
}

/* ---- shutdown ---- */

int
server_drain(struct server *s, int (*active)(struct server *))
{
	double end = now_mono() + s->o->drain;
	struct timespec tick = {0, 20L * 1000 * 1000};
	int n;

	if (s->lfd >= 0) {
		close(s->lfd); /* new clients are refused from here on */
		s->lfd = -1;
	}
	n = active(s);
	if (n > 0)
		server_say(
		    "stopping: waiting up to %.3g s for %d connection%s\n",
		    s->o->drain, n, n == 1 ? "" : "s");
	/* a second signal can arrive during this wait and end it at once */
	while ((n = active(s)) > 0 && now_mono() < end)
		ppoll(NULL, 0, &tick, &s->waitmask);
	if (n > 0)
		server_say(
		    "stopping: %d connection%s still open after %.3g s\n", n,
		    n == 1 ? "" : "s", s->o->drain);
	server_summary(s);
	return 0;
}

void
server_summary(struct server *s)
{
	server_say("summary: %ld served, %ld errors, %ld timeouts, %ld busy, "
	           "peak %d concurrent\n",
	           atomic_load(&s->served), atomic_load(&s->errors),
	           atomic_load(&s->timeouts), atomic_load(&s->busy),
	           atomic_load(&s->peak));
}

/* ---- start ---- */

static int
server_open(struct server *s, const struct serve_opts *o)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char where[NET_ADDRSTRLEN];

	memset(s, 0, sizeof(*s));
	s->o = o;
	s->who = strcmp(o->model, "fork") == 0 ? "pid" : "tid";
	s->spare = -1;
	s->lfd = net_listen(o->addr, o->port, o->backlog, SOCK_NONBLOCK);
	if (s->lfd < 0) {
		if (errno == EINVAL)
			warn("cannot listen on '%s': not a numeric IPv4 or "
			     "IPv6 address",
			     o->addr);
		else
			warn("cannot listen on '%s' port %d:", o->addr,
			     o->port);
		return -1;
	}
	/*
	 * Why the idle timeout goes on the listening socket: on Linux an
	 * accepted socket is a clone of the listener and inherits its
	 * SO_RCVTIMEO, so the blocking models (thread, fork, pool) get it
	 * without one setsockopt(2) per connection. accept4 itself is not
	 * slowed: the listener is non-blocking. (epoll ignores it: its
	 * sockets never block.)
	 */
	if (net_set_timeouts(s->lfd, o->idle_timeout, -1) < 0) {
		warn("cannot set the idle timeout:");
		return -1;
	}
	/*
	 * One segment less per connection: the ACK of the request rides on
	 * the reply (lib/net.c, net_delay_acks). Only a hint: without it the
	 * server works the same, so a failure is not an error.
	 */
	(void)net_delay_acks(s->lfd);
	/* Reserve one descriptor for the EMFILE case (see shed_one). */
	s->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	getsockname(s->lfd, (struct sockaddr *)&ss, &len);
	net_format((struct sockaddr *)&ss, where, sizeof(where));
	server_say("%s: model %s, listening on %s\n", progname(), o->model,
	           where);
	return 0;
}

int
serve_run(const struct serve_opts *o)
{
	struct server s;
	int rc;

	if (server_open(&s, o) < 0)
		return 1;
	signals_init(&s);
	if (strcmp(o->model, "fork") == 0)
		rc = serve_fork(&s);
	else if (strcmp(o->model, "pool") == 0)
		rc = serve_pool(&s);
	else if (strcmp(o->model, "epoll") == 0)
		rc = serve_epoll(&s);
	else
		rc = serve_thread(&s);
	if (s.lfd >= 0)
		close(s.lfd);
	if (s.spare >= 0)
		close(s.spare);
	return rc;
}

int
cmd_serve(int argc, char **argv)
{
	struct serve_opts o;

	static const struct usage u = {
	    "netlab serve [-m MODEL] [-b ADDR] [-p PORT] [options]", serve_help,
	    "netlab serve"};

	serve_parse(&o, argc, argv, &u, 0);
	return serve_run(&o);
}
