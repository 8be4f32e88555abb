/*
 * trickle.c: a server that answers slowly, for tests/fault/client.sh.
 *
 *   trickle GAP_MS LIMIT_S
 *
 * Listens on 127.0.0.1 (a port the kernel chooses, printed as "port N"),
 * accepts one client, reads its line, then sends "ACK\n" one byte every
 * GAP_MS milliseconds, and exits. Bounded: it gives up LIMIT_S seconds
 * after it started, client or not.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "util.h"

/* Wait until fd is readable, at most until the deadline; 1 if readable. */
static int
ready_by(int fd, double deadline)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	double left = deadline - now_mono();

	return left > 0 && poll(&p, 1, (int)(left * 1000) + 1) > 0;
}

static void
pause_ms(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

int
main(int argc, char **argv)
{
	int gap, lim, lfd, fd, i;
	double deadline;
	char line[256];
	const char *ack = "ACK\n";
	struct net_line l = {.buf = line, .size = sizeof(line) - 1};

	if (argc != 3 || parse_int(argv[1], 0, 10000, &gap) < 0 ||
	    parse_int(argv[2], 1, 600, &lim) < 0) {
		fprintf(stderr, "usage: trickle GAP_MS LIMIT_S\n");
		return 2;
	}
	deadline = now_mono() + lim;
	lfd = net_listen("127.0.0.1", 0, 1, 0);
	if (lfd < 0)
		return 1;
	printf("port %d\n", net_local_port(lfd));
	fflush(stdout);
	if (!ready_by(lfd, deadline) || (fd = accept(lfd, NULL, NULL)) < 0)
		return 1;
	l.deadline = deadline;
	if (net_line_read(&l, fd) != 1)
		return 1;
	for (i = 0; i < 4 && now_mono() < deadline; i++) {
		if (i > 0)
			pause_ms(gap);
		if (send(fd, ack + i, 1, MSG_NOSIGNAL) != 1)
			break; /* the client gave up: that is what we test */
	}
	close(fd);
	close(lfd);
	return 0;
}
