/*
 * thread_cli.c: the lecture's client: 8 threads, one connection each.
 *
 *   thread_cli [-n THREADS] [-s SEED] [-m TEXT] HOST PORT
 *
 * Every thread connects, waits a random 1 to 5 s, sends one line and
 * prints the server's reply; main() starts them all, pthread_join()s
 * each one and prints how many got their ACK.
 * Built alone, as in the lecture (the helpers are in lib/: net.c for
 * the sockets, esc.c for the reply, the others for options and output):
 *   cc -pthread -Ilib netlab/thread_cli.c lib/net.c lib/netaddr.c \
 *      lib/esc.c lib/opt.c lib/parse.c lib/error.c lib/out.c lib/str.c \
 *      -o thread_cli
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "esc.h"
#include "net.h"
#include "opt.h"
#include "util.h"

#define TIMEOUT 30    /* seconds to connect, and to wait for the reply */
#define MAX_REPLY 64  /* longest reply we read, '\n' included */
#define MAX_LINE 4096 /* longest line we send: thread_serv's limit */

struct job {
	pthread_t tid;
	int id;
	unsigned seed; /* this thread's own random state, for rand_r() */
	double wait;   /* seconds between connect and send */
	int acked;
};

static const char *host;
static char line[MAX_LINE + 1]; /* the message and its '\n' */
static int port;

/* Print what the server answered: its bytes are hostile, so escaped. */
static void
report(struct job *j, int r, struct net_line *reply)
{
	char shown[MAX_REPLY + 1];
	size_t len = r == 1 ? reply->end - 1 : reply->len; /* without '\n' */

	if (r < 0) {
		warn("thread %d: no reply:", j->id);
		return;
	}
	if (r == 0 && len == 0) {
		warn("thread %d: the server closed without a reply", j->id);
		return;
	}
	j->acked = r == 1 && len == 3 && !memcmp(reply->buf, "ACK", 3);
	esc_buf(shown, sizeof(shown), reply->buf, len, ESC_NOLIMIT, NULL);
	printf("thread %d: waited %.2f s, got '%s'\n", j->id, j->wait, shown);
}

static void *
client_thread(void *arg)
{
	struct job *j = arg;
	char buf[MAX_REPLY + 1];
	struct net_line reply = {.buf = buf, .size = MAX_REPLY};
	/* rand_r(), not rand(): rand() keeps one hidden state for the whole
	 * process, which the threads would take turns at in whatever order
	 * they happen to run; with rand_r() each thread has its own, so one
	 * seed always gives the same waits. */
	long ms = 1000 + rand_r(&j->seed) % 4001; /* 1000 to 5000 ms */
	struct timespec ts = {ms / 1000, ms % 1000 * 1000000};
	int fd = net_connect(host, port, TIMEOUT);

	if (fd < 0) {
		warn("thread %d: cannot connect to %s port %d:", j->id, host,
		     port);
		return NULL;
	}
	j->wait = ms / 1000.0;
	nanosleep(&ts, NULL);
	net_set_timeouts(fd, TIMEOUT, TIMEOUT);
	if (net_write_all(fd, line, strlen(line)) < 0)
		warn("thread %d: cannot send:", j->id);
	else
		report(j, net_line_read(&reply, fd), &reply);
	close(fd);
	return NULL;
}

int
main(int argc, char **argv)
{
	static const struct usage u = {
	    "thread_cli [-n THREADS] [-s SEED] [-m TEXT] HOST PORT",
	    "  -n THREADS  client threads (default 8)\n"
	    "  -s SEED     seed of the random waits (default: the clock;"
	    " printed)\n"
	    "  -m TEXT     the line to send (default hello, <= 4095 bytes)\n",
	    NULL, NULL};
	const char *msg = "hello";
	long long seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	int c, i, n = 8, acked = 0;
	unsigned main_seed;
	struct job *jobs;
	struct sockaddr_storage ss;
	socklen_t sslen;

	set_progname(argv[0]);
	/* with stdout closed (>&-), the first socket would become fd 1 and
	 * printf would write into it: keep fds 0-2 taken (lib/out.c) */
	if (out_std_reserve() < 0)
		die("cannot open '/dev/null':");
	setlocale(LC_CTYPE, ""); /* the escaper keeps UTF-8 text readable */
	opt_begin();
	while ((c = getopt_long(argc, argv, ":n:s:m:hV", opt_std, NULL)) != -1)
		if (c == 'n')
			n = opt_int(&u, "-n", optarg, 1, 1000);
		else if (c == 's')
			seed = opt_ll(&u, "-s", optarg, 0, 4294967295);
		else if (c == 'm')
			msg = optarg;
		else
			opt_other(&u, c, argv); /* -h, -V or a mistake: exits */
	if (argc - optind != 2)
		opt_fail(&u, "want HOST and PORT");
	port = opt_int(&u, "PORT", argv[optind + 1], 1, 65535);
	host = argv[optind];
	/* Check the name here, before any thread: an unknown host is then
	 * one error, not one per thread. (Each thread's net_connect() looks
	 * it up again, and tries every address it has, in the resolver's
	 * order: for localhost often ::1, then 127.0.0.1.) */
	if (net_resolve(host, port, &ss, &sslen) < 0)
		opt_fail(&u, "unknown host '%s'", host);
	/* one write: the whole line at once */
	if (snprintf(line, sizeof(line), "%s\n", msg) >= (int)sizeof(line))
		opt_fail(&u, "-m: at most %d bytes", MAX_LINE - 1);
	jobs = calloc((size_t)n, sizeof(*jobs));
	if (!jobs)
		die("out of memory");
	printf("%d threads to %s port %d, seed %lld\n", n, host, port, seed);
	main_seed = (unsigned)seed;
	for (i = 0; i < n; i++) {
		jobs[i].id = i;
		/* each thread's own seed comes from the one printed: that
		 * one number repeats every thread's wait */
		jobs[i].seed = (unsigned)rand_r(&main_seed);
		if (pthread_create(&jobs[i].tid, NULL, client_thread, &jobs[i]))
			die("cannot start thread %d", i);
	}
	for (i = 0; i < n; i++) { /* wait for each thread, in order */
		pthread_join(jobs[i].tid, NULL);
		acked += jobs[i].acked;
	}
	printf("%d/%d acknowledged\n", acked, n);
	free(jobs);
	/* 1 if a thread got no ACK, or if stdout failed */
	return finish_output(acked == n ? 0 : 1);
}
