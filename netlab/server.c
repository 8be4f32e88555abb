/*
 * server.c: what every server model shares: the listening socket,
 * accepting with limits, logging, and the shutdown on a signal (the
 * options are in serve_opts.c).
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
#include "sig.h"
#include "util.h"

volatile sig_atomic_t srv_stop;

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
	sigset_t stop;

	/*
	 * Why ignore SIGPIPE (sig_on_stop does): writing to a client that
	 * has gone away raises SIGPIPE, whose default action kills the whole
	 * server. Ignored, the write just fails with EPIPE and only that
	 * connection ends.
	 */
	(void)sig_on_stop(on_stop); /* cannot fail for these signals */
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
		if (fd >= 0)
			server_reject(s, fd,
			              "out of descriptors: shed a connection");
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
server_enter(struct server *s, int fd)
{
	int now = atomic_fetch_add(&s->n->active, 1) + 1;
	int peak = atomic_load(&s->n->peak);

	if (now > s->o->max_clients) {
		atomic_fetch_sub(&s->n->active, 1);
		server_reject(s, fd, "over --max-clients");
		return -1;
	}
	atomic_fetch_add(&s->n->open, 1);
	while (now > peak &&
	       !atomic_compare_exchange_weak(&s->n->peak, &peak, now))
		;
	return 0;
}

void
server_count(struct server *s, enum outcome r)
{
	switch (r) {
	case OUT_ACK:
		atomic_fetch_add(&s->n->served, 1);
		break;
	case OUT_TIMEOUT:
		atomic_fetch_add(&s->n->timeouts, 1);
		break;
	case OUT_BUSY:
		atomic_fetch_add(&s->n->busy, 1);
		break;
	default:
		atomic_fetch_add(&s->n->errors, 1);
	}
}

/*
 * Why the slot is freed at the reply and not at the close: a client that
 * has its reply goes on to its next request, which must not be refused
 * because our side of the old connection still lingers (up to a second,
 * see proto_serve). A fork child does it in memory it shares with the
 * parent (serve_fork.c).
 */
void
server_free_slot(struct server *s)
{
	atomic_fetch_sub(&s->n->active, 1);
}

void
server_leave(struct server *s, enum outcome r)
{
	server_count(s, r);
	server_free_slot(s);
}

void
server_closed(struct server *s)
{
	atomic_fetch_sub(&s->n->open, 1);
}

/* Reply "BUSY" and close, from the accepting thread; counts nothing. */
static void
send_busy(struct server *s, int fd, const char *why)
{
	char peer[NET_ADDRSTRLEN] = "-";

	if (!s->o->quiet)
		net_peer(fd, peer, sizeof(peer)); /* before the close */
	/* non-blocking: the accepting thread must never wait on a client */
	send(fd, "BUSY\n", 5, MSG_NOSIGNAL | MSG_DONTWAIT | MSG_MORE);
	net_close_graceful(fd, 0);
	if (!s->o->quiet)
		server_log(s, peer, "%s: sent BUSY", why);
}

void
server_reject(struct server *s, int fd, const char *why)
{
	server_count(s, OUT_BUSY);
	send_busy(s, fd, why);
}

void
server_reject_entered(struct server *s, int fd, const char *why)
{
	server_leave(s, OUT_BUSY); /* counts the BUSY once */
	send_busy(s, fd, why);
	server_closed(s);
}

/*
 * Why BUSY and not a plain close: out of threads (or processes) is an
 * overload like any other, and the client should hear so, as it does
 * when descriptors run out; a close without a word looks like a crash.
 * Why at most one warning a second: under a flood every connection
 * fails the same way, and one line each would bury the log (and cost a
 * write per client just when the server has least to spare).
 */
void
server_no_worker(struct server *s, int fd, const char *what, int err)
{
	double now = now_mono();

	server_reject_entered(s, fd, what);
	if (now < s->warn_next) {
		s->warn_quiet++;
		return;
	}
	if (s->warn_quiet)
		warn("%s: %s: sent BUSY (and to %ld more since the last "
		     "warning)",
		     what, strerror(err), s->warn_quiet);
	else
		warn("%s: %s: sent BUSY", what, strerror(err));
	s->warn_quiet = 0;
	s->warn_next = now + 1;
}

int
server_active(struct server *s)
{
	return atomic_load(&s->n->open);
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
	out_write(line, (size_t)n); /* a failure shows in the exit status */
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
	if (n > 0)
		out_write(line, (size_t)n < sizeof(line) ? (size_t)n
		                                         : sizeof(line) - 1);
}

/* ---- shutdown ---- */

double
server_drain_end(struct server *s)
{
	if (s->drain_end == 0)
		s->drain_end = now_mono() + s->o->drain;
	return s->drain_end;
}

/*
 * Why accept before closing: the kernel completes the handshake for us
 * (the client's connect returns and it sends its line) while the
 * connection waits in the listen queue. Closing the listening socket
 * resets every such connection: clients that already did everything right
 * would lose their request. They are taken and served as if they had
 * come a moment before the signal; the time bound (--drain) keeps a
 * flood of new connects from holding the stop for ever.
 */
long
server_take_queued(struct server *s, int flags, void (*take)(void *arg, int fd),
                   void *arg)
{
	double end = server_drain_end(s);
	long n = 0;
	int fd;

	while (s->lfd >= 0 && now_mono() < end &&
	       (fd = server_accept(s, flags)) >= 0) {
		take(arg, fd);
		n++;
	}
	return n;
}

/*
 * Why ask the kernel too: SIGINT and SIGTERM are blocked except in
 * server_wait (see signals_init), so a stop that comes while the loop is
 * accepting stays pending, its handler not yet run, until the next
 * wait. The connections accepted meanwhile came before it: the drain
 * owes them an answer as much as those still in the listen queue.
 */
int
server_stopping(void)
{
	sigset_t pending;

	if (srv_stop)
		return 1;
	if (sigpending(&pending) < 0)
		return 0;
	return sigismember(&pending, SIGINT) == 1 ||
	       sigismember(&pending, SIGTERM) == 1;
}

int
server_loop(struct server *s, void (*take)(void *arg, int fd), void *arg)
{
	int fd;

	while (!srv_stop) {
		if (!server_wait(s, -1))
			continue; /* a signal: srv_stop says if it was a stop */
		while (!srv_stop && (fd = server_accept(s, 0)) >= 0)
			take(arg, fd);
	}
	server_take_queued(s, 0, take, arg);
	return server_drain(s, server_active);
}

int
server_drain(struct server *s, int (*active)(struct server *))
{
	double end = server_drain_end(s);
	struct timespec tick = {0, 20L * 1000 * 1000};
	int n;

	if (s->lfd >= 0) {
		close(s->lfd); /* new clients are refused from here on */
		s->lfd = -1;
	}
	server_say_stopping(s, active(s), 0);
	/* a second signal can arrive during this wait and end it at once */
	while ((n = active(s)) > 0 && now_mono() < end)
		ppoll(NULL, 0, &tick, &s->waitmask);
	server_say_stopping(s, n, 1);
	server_summary(s);
	return 0;
}

void
server_say_stopping(const struct server *s, long n, int after)
{
	const char *conns = n == 1 ? "connection" : "connections";

	if (n <= 0)
		return;
	if (after)
		server_say("stopping: %ld %s still open after %.3g s\n", n,
		           conns, s->o->drain);
	else
		server_say("stopping: waiting up to %.3g s for %ld %s\n",
		           s->o->drain, n, conns);
}

void
server_summary(struct server *s)
{
	server_say("summary: %ld served, %ld errors, %ld timeouts, %ld busy, "
	           "peak %d concurrent\n",
	           atomic_load(&s->n->served), atomic_load(&s->n->errors),
	           atomic_load(&s->n->timeouts), atomic_load(&s->n->busy),
	           atomic_load(&s->n->peak));
}

/* ---- start ---- */

/* Bound to every interface: say at which addresses clients can reach us. */
static void
say_reach(const char *addr)
{
	char all[512];

	if (net_reach(addr, all, sizeof(all)) == 0)
		server_say("%s: reachable at: %s\n", progname(), all);
}

static int
server_open(struct server *s, const struct serve_opts *o)
{
	char where[NET_ADDRSTRLEN];

	memset(s, 0, sizeof(*s));
	s->o = o;
	s->n = &s->own;
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
	 * One segment less per connection: the ACK of the request rides on
	 * the reply (lib/net.c, net_delay_acks). Only a hint: without it the
	 * server works the same, so a failure is not an error.
	 */
	(void)net_delay_acks(s->lfd);
	/* Reserve one descriptor for the EMFILE case (see shed_one). */
	s->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	/*
	 * The address as the kernel bound it: with port 0 only this line
	 * tells the user (and the tests) which port was chosen, so a
	 * failure to learn it is an error, not a line with garbage in it.
	 */
	if (net_sockname(s->lfd, where, sizeof(where)) < 0) {
		warn("cannot read the listening address:");
		return -1;
	}
	server_say("%s: model %s, listening on %s\n", progname(), o->model,
	           where);
	say_reach(o->addr);
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
	    "netlab serve", NULL};

	serve_parse(&o, argc, argv, &u);
	return serve_run(&o);
}
