/* test_net.c: socket helpers, on loopback with kernel-chosen ports. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <linux/tcp.h> /* struct tcp_info with tcpi_segs_out */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "../tap.h"
#include "net.h"
#include "util.h"

static void
test_addr_bad(void)
{
	struct sockaddr_storage ss;
	socklen_t len;

	CHECK_INT(net_addr("127.0.0.1", 80, &ss, &len), 0);
	CHECK_INT(ss.ss_family, AF_INET);
	CHECK_INT(net_addr("::1", 80, &ss, &len), 0);
	CHECK_INT(ss.ss_family, AF_INET6);
	errno = 0;
	CHECK_INT(net_addr("localhost", 80, &ss, &len), -1);
	CHECK_INT(errno, EINVAL);
	CHECK_INT(net_addr("", 80, &ss, &len), -1);
	CHECK_INT(net_addr(NULL, 80, &ss, &len), -1);
	CHECK_INT(net_addr("127.0.0.1", -1, &ss, &len), -1);
	CHECK_INT(net_addr("127.0.0.1", 65536, &ss, &len), -1);
	CHECK_INT(net_addr("256.1.1.1", 1, &ss, &len), -1);
	CHECK_INT(net_addr("1.2.3.4 ", 1, &ss, &len), -1);
	CHECK_INT(errno, EINVAL);
	errno = 0;
	CHECK_INT(net_listen("nonsense", 0, 0, 0), -1);
	CHECK_INT(errno, EINVAL);
	CHECK_INT(net_connect("127.0.0.1", 0, 1.0), -1);
	CHECK_INT(errno, EINVAL);
}

/* net_reach: addresses only for 0.0.0.0 and ::, loopback among them */
static void
test_reach(void)
{
	char buf[512];

	errno = 0;
	CHECK_INT(net_reach("127.0.0.1", buf, sizeof(buf)), -1);
	CHECK_INT(errno, EINVAL);
	CHECK_INT(net_reach("::1", buf, sizeof(buf)), -1);
	CHECK_INT(net_reach("0.0.0.0", buf, sizeof(buf)), 0);
	CHECK(strstr(buf, "127.0.0.1") != NULL);
	CHECK(strchr(buf, ':') == NULL); /* IPv4 only */
}

static void
test_format(void)
{
	struct sockaddr_in s4 = {.sin_family = AF_INET,
	                         .sin_port = htons(8080),
	                         .sin_addr.s_addr = htonl(0x7f000001)};
	struct sockaddr_in6 s6 = {.sin6_family = AF_INET6,
	                          .sin6_port = htons(9),
	                          .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	struct sockaddr_un su = {.sun_family = AF_UNIX};
	char buf[NET_ADDRSTRLEN], tiny[8];

	CHECK_INT(net_format((struct sockaddr *)&s4, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "127.0.0.1:8080");
	CHECK_INT(net_format((struct sockaddr *)&s6, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "[::1]:9");
	CHECK_INT(net_format((struct sockaddr *)&s4, tiny, sizeof(tiny)), -1);
	CHECK_INT(errno, ENOSPC);
	CHECK_INT(net_format((struct sockaddr *)&su, buf, sizeof(buf)), -1);
	CHECK_INT(errno, EAFNOSUPPORT);
}

/* A connected pair over TCP on addr; 0 or -1 (e.g. no IPv6 here). */
static int
tcp_pair(const char *addr, int *cli, int *srv, int *port)
{
	int lfd = net_listen(addr, 0, 0, 0);

	*cli = *srv = *port = -1; /* defined even when a step fails */
	if (lfd < 0)
		return -1;
	*port = net_local_port(lfd);
	*cli = net_connect(addr, *port, 5.0);
	*srv = *cli >= 0 ? accept4(lfd, NULL, NULL, SOCK_CLOEXEC) : -1;
	close(lfd);
	if (*cli >= 0 && *srv >= 0)
		return 0;
	if (*cli >= 0) /* half a pair is no pair: leak nothing */
		close(*cli);
	*cli = *srv = -1;
	return -1;
}

static void
test_listen_v4(void)
{
	int lfd = net_listen("127.0.0.1", 0, 0, 0), one = 0, port, lfd2;
	socklen_t len = sizeof(one);

	CHECK(lfd >= 0);
	port = net_local_port(lfd);
	CHECK(port > 0 && port <= 65535);
	CHECK(fcntl(lfd, F_GETFD) & FD_CLOEXEC);
	getsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, &len);
	CHECK_INT(one, 1);
	CHECK(!(fcntl(lfd, F_GETFL) & O_NONBLOCK));
	/* a second listener on the same port: the port is in use */
	errno = 0;
	lfd2 = net_listen("127.0.0.1", port, 0, SOCK_NONBLOCK);
	CHECK_INT(lfd2, -1);
	CHECK_INT(errno, EADDRINUSE);
	close(lfd);
	lfd = net_listen("127.0.0.1", 0, 0, SOCK_NONBLOCK);
	CHECK(fcntl(lfd, F_GETFL) & O_NONBLOCK);
	close(lfd);
}

static void
test_v6(void)
{
	int cli, srv, port;
	char buf[NET_ADDRSTRLEN], want[NET_ADDRSTRLEN];
	int lfd = net_listen("::1", 0, 0, 0);

	if (lfd < 0 && (errno == EADDRNOTAVAIL || errno == EAFNOSUPPORT)) {
		tap_skip("IPv6 ::1", "no IPv6 loopback here");
		return;
	}
	CHECK(lfd >= 0);
	close(lfd);
	CHECK_INT(tcp_pair("::1", &cli, &srv, &port), 0);
	CHECK(port > 0);
	CHECK_INT(net_peer(cli, buf, sizeof(buf)), 0);
	snprintf(want, sizeof(want), "[::1]:%d", port);
	CHECK_STR(buf, want);
	CHECK_INT(net_write_all(cli, "v6\n", 3), 0);
	CHECK_INT(read(srv, buf, sizeof(buf)), 3);
	close(cli);
	close(srv);
}

static void
test_connect_refused(void)
{
	int lfd = net_listen("127.0.0.1", 0, 0, 0);
	int port = net_local_port(lfd), fd;

	close(lfd); /* nobody listens there now */
	errno = 0;
	fd = net_connect("127.0.0.1", port, 2.0);
	CHECK_INT(fd, -1);
	CHECK_INT(errno, ECONNREFUSED);
}

/*
 * A listener whose accept queue is full and never accepted drops new
 * SYNs, so a connect there can only time out.
 */
static void
test_connect_timeout(void)
{
	int lfd = net_listen("127.0.0.1", 0, 1, 0);
	int port = net_local_port(lfd), fds[8], n = 0, fd = -1, i;

	for (i = 0; i < 8; i++) {
		fd = net_connect("127.0.0.1", port, 0.3);
		if (fd < 0)
			break;
		fds[n++] = fd;
	}
	CHECK_INT(fd, -1);
	CHECK_INT(errno, ETIMEDOUT);
	for (i = 0; i < n; i++)
		close(fds[i]);
	close(lfd);
}

static void
test_connected_fd(void)
{
	int cli, srv, port;
	char buf[NET_ADDRSTRLEN];

	CHECK_INT(tcp_pair("127.0.0.1", &cli, &srv, &port), 0);
	CHECK(fcntl(cli, F_GETFD) & FD_CLOEXEC);
	CHECK(!(fcntl(cli, F_GETFL) & O_NONBLOCK)); /* blocking again */
	CHECK_INT(net_peer(srv, buf, sizeof(buf)), 0);
	CHECK(strncmp(buf, "127.0.0.1:", 10) == 0);
	CHECK_INT(net_set_nonblock(cli, 1), 0);
	CHECK(fcntl(cli, F_GETFL) & O_NONBLOCK);
	CHECK_INT(net_set_nonblock(cli, 0), 0);
	/* a peer that is gone: EPIPE, and no SIGPIPE kills this test */
	close(srv);
	usleep(20000);
	{
		static char big[65536];
		int r = 0, i;

		for (i = 0; i < 50 && r == 0; i++)
			r = net_write_all(cli, big, sizeof(big));
		CHECK_INT(r, -1);
		CHECK(errno == EPIPE || errno == ECONNRESET);
	}
	close(cli);
	CHECK_INT(net_write_all(-1, "x", 1), -1);
	CHECK_INT(errno, EBADF);
	CHECK_INT(net_local_port(-1), -1);
}

static void
test_line_partial(void)
{
	char buf[17];
	struct net_line l = {.buf = buf, .size = 16};
	int sv[2];

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	net_set_nonblock(sv[1], 1);
	CHECK_INT(net_line_read(&l, sv[1]), -1); /* nothing yet */
	CHECK_INT(errno, EAGAIN);
	CHECK_INT(write(sv[0], "hel", 3), 3);
	CHECK_INT(net_line_read(&l, sv[1]), -1); /* half a line: kept */
	CHECK_INT(errno, EAGAIN);
	CHECK_INT(l.len, 3);
	CHECK_INT(write(sv[0], "lo\r\nnext", 8), 8);
	CHECK_INT(net_line_read(&l, sv[1]), 1);
	CHECK_INT(l.end, 7);
	CHECK_STR(net_line_text(&l), "hello");
	CHECK_INT(write(sv[0], "\nlast", 5), 5);
	CHECK_INT(net_line_read(&l, sv[1]), 1); /* "next" was kept */
	CHECK_STR(net_line_text(&l), "next");
	close(sv[0]);
	CHECK_INT(net_line_read(&l, sv[1]), 0); /* EOF, "last" left over */
	CHECK_INT(l.len, 4);
	CHECK_STR(l.buf, "last");
	net_line_reset(&l);
	CHECK_INT(net_line_read(&l, sv[1]), 0);
	CHECK_INT(l.len, 0);
	close(sv[1]);
}

static void
test_line_deadline(void)
{
	char buf[17];
	struct net_line l = {.buf = buf, .size = 16};
	int sv[2];

	/* blocking socket: the limits bound the wait, not SO_RCVTIMEO */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	l.idle = 0.05; /* silence: EAGAIN */
	l.deadline = now_mono() + 30;
	CHECK_INT(net_line_read(&l, sv[1]), -1);
	CHECK_INT(errno, EAGAIN);
	CHECK_INT(write(sv[0], "ab", 2), 2);
	l.idle = 30; /* bytes came, but the line is late: ETIMEDOUT */
	l.deadline = now_mono() + 0.05;
	CHECK_INT(net_line_read(&l, sv[1]), -1);
	CHECK_INT(errno, ETIMEDOUT);
	CHECK_INT(l.len, 2);         /* what arrived is kept */
	l.deadline = now_mono() - 1; /* already past, even with bytes here */
	CHECK_INT(write(sv[0], "c\n", 2), 2);
	CHECK_INT(net_line_read(&l, sv[1]), -1);
	CHECK_INT(errno, ETIMEDOUT);
	l.deadline = now_mono() + 30; /* in time: the line */
	CHECK_INT(net_line_read(&l, sv[1]), 1);
	CHECK_STR(net_line_text(&l), "abc");
	close(sv[0]);
	close(sv[1]);
}

static void
test_line_limit(void)
{
	char buf[9];
	struct net_line l = {.buf = buf, .size = 8};
	int sv[2];

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	CHECK_INT(write(sv[0], "1234567\n", 8), 8); /* exactly the limit */
	CHECK_INT(net_line_read(&l, sv[1]), 1);
	CHECK_STR(net_line_text(&l), "1234567");
	net_line_reset(&l);
	CHECK_INT(write(sv[0], "12345678\n", 9), 9); /* one byte too many */
	errno = 0;
	CHECK_INT(net_line_read(&l, sv[1]), -1);
	CHECK_INT(errno, EMSGSIZE);
	CHECK_INT(l.len, 8);
	close(sv[0]);
	close(sv[1]);
	l.len = l.end = 0;
	CHECK_INT(net_line_read(&l, -1), -1);
	CHECK_INT(errno, EBADF);
}

struct piece {
	int fd;
	const char *data;
};

/* Write one piece after 50 ms: the line reaches the reader in two reads. */
static void *
second_piece(void *arg)
{
	struct piece *p = arg;
	struct timespec ts = {0, 50L * 1000 * 1000};
	size_t n = strlen(p->data);

	nanosleep(&ts, NULL);
	if (write(p->fd, p->data, n) != (ssize_t)n)
		return NULL;
	return NULL;
}

/*
 * A line of exactly the limit that arrives in two pieces: the first read
 * fills all but the last byte, so a reader that stops one byte early
 * (and passes when the whole line comes in one read) rejects it.
 */
static void
test_line_limit_pieces(void)
{
	char buf[9];
	struct net_line l = {.buf = buf, .size = 8};
	struct piece p;
	pthread_t t;
	int sv[2];

	CHECK_INT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	p.fd = sv[0];
	p.data = "\n";
	CHECK_INT(write(sv[0], "1234567", 7), 7);
	CHECK_INT(pthread_create(&t, NULL, second_piece, &p), 0);
	CHECK_INT(net_line_read(&l, sv[1]), 1);
	CHECK_INT(l.end, 8);
	CHECK_STR(net_line_text(&l), "1234567");
	pthread_join(t, NULL);

	/* one byte over, in pieces: still too long */
	net_line_reset(&l);
	p.data = "8\n";
	CHECK_INT(write(sv[0], "1234567", 7), 7);
	CHECK_INT(pthread_create(&t, NULL, second_piece, &p), 0);
	errno = 0;
	CHECK_INT(net_line_read(&l, sv[1]), -1);
	CHECK_INT(errno, EMSGSIZE);
	pthread_join(t, NULL);
	close(sv[0]);
	close(sv[1]);
}

/* A line of only CR LF is an empty text; a lone LF too. */
static void
test_line_crlf_only(void)
{
	char buf[9];
	struct net_line l = {.buf = buf, .size = 8};
	int sv[2];

	CHECK_INT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK_INT(write(sv[0], "\r\n\nx\r\n", 6), 6);
	CHECK_INT(net_line_read(&l, sv[1]), 1);
	CHECK_INT(l.end, 2);
	CHECK_STR(net_line_text(&l), "");
	CHECK_INT(net_line_read(&l, sv[1]), 1);
	CHECK_INT(l.end, 1);
	CHECK_STR(net_line_text(&l), "");
	CHECK_INT(net_line_read(&l, sv[1]), 1);
	CHECK_STR(net_line_text(&l), "x");
	close(sv[0]);
	close(sv[1]);
}

static volatile sig_atomic_t alarms;

static void
on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void *
late_writer(void *arg)
{
	int fd = *(int *)arg;
	struct timespec ts = {0, 300L * 1000 * 1000};

	nanosleep(&ts, NULL);
	if (write(fd, "late\n", 5) != 5)
		return NULL;
	return NULL;
}

/* A signal during a blocking read: the helper retries, the line arrives. */
static void
test_line_eintr(void)
{
	char buf[65];
	struct net_line l = {.buf = buf, .size = 64};
	struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART */
	struct itimerval it = {.it_value = {0, 50000}};
	pthread_t t;
	sigset_t block;
	int sv[2];

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	sigaction(SIGALRM, &sa, NULL);
	/* the writer thread must not take the signal */
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	pthread_create(&t, NULL, late_writer, &sv[0]);
	pthread_sigmask(SIG_UNBLOCK, &block, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_INT(net_line_read(&l, sv[1]), 1);
	CHECK_STR(net_line_text(&l), "late");
	CHECK(alarms >= 1);
	pthread_join(t, NULL);
	close(sv[0]);
	close(sv[1]);
}

static void
test_rcv_timeout(void)
{
	char buf[9];
	struct net_line l = {.buf = buf, .size = 8};
	int sv[2];

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	CHECK_INT(net_set_timeouts(sv[1], 0.1, 0.1), 0);
	errno = 0;
	CHECK_INT(net_line_read(&l, sv[1]), -1);
	CHECK_INT(errno, EAGAIN);
	CHECK_INT(net_set_timeouts(-1, 1, 1), -1);
	close(sv[0]);
	close(sv[1]);
}

/* The reply survives even though the peer's extra bytes were never read. */
static void
test_close_graceful(void)
{
	int cli, srv, port;
	char buf[65];
	struct net_line l = {.buf = buf, .size = 64};
	char reply[16] = "";
	ssize_t n;

	CHECK_INT(tcp_pair("127.0.0.1", &cli, &srv, &port), 0);
	CHECK_INT(net_write_all(cli, "hi\nunread junk", 14), 0);
	shutdown(cli, SHUT_WR);
	CHECK_INT(net_line_read(&l, srv), 1);
	CHECK_INT(net_write_all(srv, "ACK\n", 4), 0);
	CHECK_INT(net_close_graceful(srv, 2.0), 0);
	n = read(cli, reply, sizeof(reply) - 1);
	CHECK_INT(n, 4);
	CHECK_STR(reply, "ACK\n");
	CHECK_INT(read(cli, reply, sizeof(reply)), 0); /* EOF, not a reset */
	close(cli);
}

/* Segments this socket has sent so far (TCP_INFO, Linux 4.2 and later). */
static long
segs_out(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return -1;
	return (long)ti.tcpi_segs_out;
}

/*
 * One request, one reply, close: count the server's segments (the
 * SYN-ACK is counted elsewhere, by the listener). Accepted from a
 * listener with delayed ACKs, the request gets no ACK segment of its own;
 * written with net_write_last, the reply and the FIN of the shutdown leave in
 * one segment (with net_write_all they are two).
 */
static void
one_exchange(int delay, int last, long *before_reply, long *reply_and_fin)
{
	int lfd = net_listen("127.0.0.1", 0, 0, 0), cli = -1, srv = -1;
	char buf[16];
	long s0;

	*before_reply = *reply_and_fin = -1;
	if (lfd < 0 || (delay && net_delay_acks(lfd) < 0))
		goto out;
	cli = net_connect("127.0.0.1", net_local_port(lfd), 5.0);
	srv = cli >= 0 ? accept4(lfd, NULL, NULL, SOCK_CLOEXEC) : -1;
	if (srv < 0 || net_write_all(cli, "hello\n", 6) < 0 ||
	    read(srv, buf, sizeof(buf)) != 6)
		goto out;
	s0 = segs_out(srv);
	*before_reply = s0; /* an ACK of the request, if one went out */
	if ((last ? net_write_last(srv, "ACK\n", 4)
	          : net_write_all(srv, "ACK\n", 4)) < 0 ||
	    shutdown(srv, SHUT_WR) < 0)
		goto out;
	*reply_and_fin = segs_out(srv) - s0;
	CHECK_INT(read(cli, buf, sizeof(buf)), 4);
	CHECK_INT(read(cli, buf, sizeof(buf)), 0); /* the FIN */
out:
	if (srv >= 0)
		close(srv);
	if (cli >= 0)
		close(cli);
	if (lfd >= 0)
		close(lfd);
}

/*
 * The kernel sends a delayed ACK on its own after about 40 ms: a test
 * preempted that long between the request and the reply sees one more
 * segment. Up to 5 tries; the mistakes this catches fail every try.
 */
static void
exchange_tries(int delay, int last, long want_before, long want_rf,
               long *before, long *rf)
{
	int i;

	for (i = 0; i < 5; i++) {
		one_exchange(delay, last, before, rf);
		if (*before == want_before && *rf == want_rf)
			return;
	}
}

static void
test_fewer_segments(void)
{
	long before, rf;

	exchange_tries(1, 1, 0, 1, &before, &rf);
	CHECK_INT(before, 0); /* no ACK segment: it waits for the reply */
	CHECK_INT(rf, 1);     /* "ACK\n" and the FIN together */
	/* the controls: quick ACKs, and no MSG_MORE */
	exchange_tries(0, 1, 1, 1, &before, &rf);
	CHECK_INT(before, 1);
	exchange_tries(1, 0, 0, 2, &before, &rf);
	CHECK_INT(rf, 2);
	CHECK_INT(net_delay_acks(-1), -1);
	CHECK_INT(errno, EBADF);
}

/*
 * net_close_reply: nothing unread, so close at once (EOF, no reset);
 * bytes unread, so linger until the peer's EOF (again EOF, no reset).
 * The control shows the reset a plain close() makes over unread bytes.
 */
static void
reply_and_close(const char *req, int how, char *got2, size_t n)
{
	int cli, srv, port;
	char buf[16];
	ssize_t r;

	got2[0] = '\0';
	if (tcp_pair("127.0.0.1", &cli, &srv, &port) < 0) {
		CHECK(!"no TCP pair on 127.0.0.1");
		return;
	}
	CHECK_INT(net_write_all(cli, req, strlen(req)), 0);
	shutdown(cli, SHUT_WR); /* the client has said all it will say */
	CHECK_INT(read(srv, buf, 3), 3); /* "hi\n" only */
	CHECK_INT(net_unread(srv), strlen(req) > 3);
	/* (a plain close would also drop a reply still held by MSG_MORE) */
	CHECK_INT(how ? net_write_last(srv, "ACK\n", 4)
	              : net_write_all(srv, "ACK\n", 4),
	          0);
	if (how)
		CHECK_INT(net_close_reply(srv, 2.0), 0);
	else
		close(srv);
	CHECK_INT(read(cli, buf, 4), 4);
	CHECK(memcmp(buf, "ACK\n", 4) == 0);
	errno = 0;
	r = read(cli, buf, sizeof(buf));
	snprintf(got2, n, "%zd %s", r, r < 0 ? strerror(errno) : "");
	close(cli);
}

static void
test_close_reply(void)
{
	char got[64];

	reply_and_close("hi\n", 1, got, sizeof(got));
	CHECK_STR(got, "0 "); /* EOF */
	reply_and_close("hi\nunread junk", 1, got, sizeof(got));
	CHECK_STR(got, "0 ");
	reply_and_close("hi\nunread junk", 0, got, sizeof(got));
	CHECK_STR(got, "-1 Connection reset by peer");
	CHECK_INT(net_unread(-1), 0);
}

int
main(void)
{
	test_addr_bad();
	test_reach();
	test_format();
	test_listen_v4();
	test_v6();
	test_connect_refused();
	test_connect_timeout();
	test_connected_fd();
	test_line_partial();
	test_line_deadline();
	test_line_limit();
	test_line_limit_pieces();
	test_line_crlf_only();
	test_line_eintr();
	test_rcv_timeout();
	test_close_graceful();
	test_fewer_segments();
	test_close_reply();
	return tap_done();
}
