/*
 * thread_serv.c: the lecture's multithreaded TCP server, in one file.
 *
 *   thread_serv [-b ADDR] PORT        e.g. thread_serv 9000
 *
 * main() listens, then loops: accept a client, start a thread for it,
 * detach the thread. Each thread reads one line, answers "ACK\n" and
 * closes. Ctrl-C stops the server and prints how many it served.
 * Build it alone, as in the lecture (the helpers are in lib/: net.c
 * for the sockets, the others for options, errors and output):
 *   cc -pthread -Ilib netlab/thread_serv.c lib/net.c lib/netaddr.c \
 *      lib/opt.c lib/parse.c lib/error.c lib/out.c lib/str.c -o thread_serv
 * "netlab serve -m thread" is the full version: a client limit, BUSY,
 * a whole-request deadline, a drain at shutdown, logging.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "net.h"
#include "opt.h"
#include "util.h"

#define MAX_LINE 4096   /* longest request in bytes, '\n' included */
#define IDLE_TIMEOUT 10 /* seconds a client may stay silent */
#define CLOSE_DRAIN 1.0 /* seconds to wait for the client's FIN */

static int listen_fd;
static int served; /* every thread adds to it: guarded by served_lock */
static pthread_mutex_t served_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Ctrl-C (SIGINT) or kill (SIGTERM). shutdown() is async-signal-safe
 * and makes accept() fail at once, even if the signal comes just before
 * main() calls it (a flag alone would be missed in that gap, and
 * accept() would wait forever).
 */
static void
on_stop(int sig)
{
	(void)sig;
	shutdown(listen_fd, SHUT_RDWR);
}

/*
 * Read one line and answer it; returns what happened, for the log.
 * net_line_read() loops over read() until the '\n' arrives (TCP may
 * deliver "hel" and "lo\n" apart), retries EINTR and stops at MAX_LINE
 * bytes; SO_RCVTIMEO ends a read that waits IDLE_TIMEOUT seconds.
 */
static const char *
answer(int fd)
{
	char buf[MAX_LINE + 1];
	struct net_line line = {.buf = buf, .size = MAX_LINE};
	int r;

	net_set_timeouts(fd, IDLE_TIMEOUT, IDLE_TIMEOUT);
	r = net_line_read(&line, fd);
	if (r == 1) /* net_write_all: one write() may send only a part */
		return net_write_all(fd, "ACK\n", 4) ? "gone before the ACK"
		                                     : "sent ACK";
	if (r == 0)
		return "closed without a line";
	if (errno == EMSGSIZE) {
		net_write_all(fd, "ERR line too long\n", 18);
		return "line too long: sent ERR";
	}
	if (errno == EAGAIN) {
		net_write_all(fd, "ERR timeout\n", 12);
		return "silent too long: sent ERR";
	}
	return "read failed";
}

/* The thread that serves one client, from accept to close. */
static void *
client_thread(void *arg)
{
	int fd = (int)(intptr_t)arg; /* the value main passed: see below */
	char who[NET_ADDRSTRLEN] = "?";
	const char *what;

	net_peer(fd, who, sizeof(who));
	/* the kernel's id of this thread: procview -L lists it as LWP */
	printf("%s: connected, thread %ld\n", who, (long)syscall(SYS_gettid));
	what = answer(fd);
	pthread_mutex_lock(&served_lock);
	served += strcmp(what, "sent ACK") == 0;
	pthread_mutex_unlock(&served_lock);
	printf("%s: %s\n", who, what);
	/* Graceful close: shut our side down, wait briefly for the client's
	 * FIN. A plain close() with unread bytes makes the kernel send a
	 * reset, which can destroy the reply before the client reads it. */
	net_close_graceful(fd, CLOSE_DRAIN);
	return NULL;
}

static void
start_client(int fd)
{
	pthread_t tid;

	/* The fd goes by value, inside the pointer. The lecture's &fd would
	 * give the thread the address of a variable that is reused: main's
	 * one fd, which the next accept() overwrites, maybe before this
	 * thread has read it (here, &fd would point into start_client's
	 * frame, gone when it returns: worse still). */
	if (pthread_create(&tid, NULL, client_thread, (void *)(intptr_t)fd)) {
		warn("cannot start a thread: sent BUSY");
		net_write_all(fd, "BUSY\n", 5);
		close(fd);
		return;
	}
	/* Nobody joins a client thread, so detach it: when it returns, its
	 * stack is given back (for the next thread to reuse). Neither
	 * joined nor detached, a finished thread keeps its stack mapping,
	 * 8 MiB of address space, until the server exits. */
	pthread_detach(tid);
}

int
main(int argc, char **argv)
{
	static const struct usage u = {
	    "thread_serv [-b ADDR] PORT",
	    "  -b ADDR  listen on ADDR (default 127.0.0.1: this machine only;\n"
	    "           0.0.0.0 or :: for every interface)\n"
	    "  PORT     0 lets the kernel choose\n",
	    NULL, NULL};
	const char *addr = "127.0.0.1"; /* the safe default: this machine */
	char where[NET_ADDRSTRLEN] = "?", all[512];
	int c, port, fd;

	set_progname(argv[0]);
	/* with stdout closed (>&-), the first socket would become fd 1 and
	 * printf would write into it: keep fds 0-2 taken (lib/out.c) */
	if (out_std_reserve() < 0)
		die("cannot open '/dev/null':");
	setvbuf(stdout, NULL, _IOLBF, 0); /* each line out at once */
	opt_begin();
	while ((c = getopt_long(argc, argv, ":b:hV", opt_std, NULL)) != -1) {
		if (c == 'b')
			addr = opt_addr(&u, "-b", optarg);
		else
			opt_other(&u, c, argv); /* -h, -V or a mistake: exits */
	}
	if (argc - optind != 1)
		opt_fail(&u,
		         optind < argc ? "too many arguments" : "missing PORT");
	port = opt_int(&u, "PORT", argv[optind], 0, 65535);
	/* A write into a pipe or socket whose reader is gone raises
	 * SIGPIPE, and its default action ends the whole process, every
	 * client's thread with it. The replies cannot raise it here:
	 * net_write_all() sends with MSG_NOSIGNAL, so a vanished client is
	 * an error for its own thread only. What is left is stdout: in
	 * `thread_serv 9000 | head -n 2`, the printf after head has exited
	 * would kill the server silently. Ignored, that printf fails with
	 * EPIPE, and finish_output() says so and exits 1. */
	signal(SIGPIPE, SIG_IGN);
	listen_fd = net_listen(addr, port, 0, 0);
	if (listen_fd < 0)
		die("cannot listen on %s port %d:", addr, port);
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	net_sockname(listen_fd, where, sizeof(where));
	printf("listening on %s\n", where);
	/* who can connect: by default only programs on this machine */
	if (!strcmp(addr, "127.0.0.1") || !strcmp(addr, "::1"))
		puts("(this machine only; -b 0.0.0.0 lets others connect)");
	else if (net_reach(addr, all, sizeof(all)) == 0)
		printf("reachable at: %s\n", all);
	for (;;) {
		fd = accept(listen_fd, NULL, NULL);
		if (fd >= 0)
			start_client(fd);
		else if (errno == EMFILE || errno == ENFILE)
			usleep(100000); /* out of fds: let clients end */
		else if (errno != EINTR && errno != ECONNABORTED)
			break; /* EINVAL: Ctrl-C shut the socket down */
	}
	pthread_mutex_lock(&served_lock);
	printf("stopped: %d clients served\n", served);
	pthread_mutex_unlock(&served_lock);
	return finish_output(0); /* exit 1 if stdout failed (full disk, ...) */
}
