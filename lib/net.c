/* net.c: TCP socket helpers (see net.h for the rules and contracts). */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "net.h"
#include "util.h"

/* Close fd after a failure, keeping the failure's errno; returns -1. */
static int
close_failed(int fd)
{
	int saved = errno;

	close(fd);
	errno = saved;
	return -1;
}

int
net_listen(const char *addr, int port, int backlog, int flags)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;

	if (net_addr(addr, port, &ss, &len) < 0)
		return -1;
	fd = socket(ss.ss_family,
	            SOCK_STREAM | SOCK_CLOEXEC | (flags & SOCK_NONBLOCK), 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		goto fail;
	if (ss.ss_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
		goto fail;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		goto fail;
	if (listen(fd, backlog > 0 ? backlog : SOMAXCONN) < 0)
		goto fail;
	return fd;
fail:
	return close_failed(fd);
}

int
net_local_port(int fd)
{
	/* zeroed: a short address (len < sizeof(sa_family_t)) reads as
	 * AF_UNSPEC below, never as stack garbage */
	struct sockaddr_storage ss = {0};
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	errno = EAFNOSUPPORT;
	return -1;
}

/* Milliseconds left until deadline (now_mono() seconds), at least 0. */
static int
ms_left(double deadline)
{
	double left = (deadline - now_mono()) * 1000.0;

	if (left <= 0)
		return 0;
	return left > 1e9 ? 1000000000 : (int)left + 1;
}

/* Wait for a non-blocking connect to finish; 0 or -1 with errno. */
static int
connect_wait(int fd, double timeout)
{
	struct pollfd p = {.fd = fd, .events = POLLOUT};
	double deadline = now_mono() + timeout;
	int r, err = 0;
	socklen_t len = sizeof(err);

	for (;;) {
		r = poll(&p, 1, timeout > 0 ? ms_left(deadline) : -1);
		if (r > 0)
			break;
		if (r == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (errno != EINTR)
			return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -1;
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* Connect to one address, waiting at most timeout seconds. */
static int
connect_one(const struct sockaddr *sa, socklen_t len, double timeout)
{
	/* Non-blocking while connecting, so that poll can bound the wait. */
	int fd = socket(sa->sa_family,
	                SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, sa, len) < 0) {
		if (errno != EINPROGRESS && errno != EINTR)
			goto fail;
		if (connect_wait(fd, timeout) < 0)
			goto fail;
	}
	if (net_set_nonblock(fd, 0) < 0)
		goto fail;
	return fd;
fail:
	return close_failed(fd);
}

int
net_connect(const char *host, int port, double timeout)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG};
	struct addrinfo *res, *ai;
	char serv[8];
	int fd = -1, err;

	if (!host || port <= 0 || port > 65535) {
		errno = EINVAL;
		return -1;
	}
	snprintf(serv, sizeof(serv), "%d", port);
	err = getaddrinfo(host, serv, &hints, &res);
	if (err) {
		if (err != EAI_SYSTEM)
			errno = err == EAI_AGAIN ? EAGAIN : ENXIO;
		return -1;
	}
	/* A name may have several addresses (::1 and 127.0.0.1 for
	 * localhost): try each in the resolver's order. */
	for (ai = res; ai && fd < 0; ai = ai->ai_next)
		fd = connect_one(ai->ai_addr, ai->ai_addrlen, timeout);
	err = errno;
	freeaddrinfo(res);
	errno = err;
	return fd;
}

static int
write_all_flags(int fd, const void *buf, size_t n, int flags)
{
	const char *p = buf;
	ssize_t w;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL | flags);
		if (w < 0 && errno == ENOTSOCK)
			w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
net_write_all(int fd, const void *buf, size_t n)
{
	return write_all_flags(fd, buf, n, 0);
}

/*
 * Why MSG_MORE for the last reply: the kernel holds the bytes back
 * (up to 200 ms, or until more data or a FIN) instead of sending them at
 * once. The shutdown(SHUT_WR) that follows puts its FIN on that same
 * segment: "ACK\n" and the end of the stream arrive together, one
 * packet instead of two, one wake-up of the client instead of two.
 */
int
net_write_last(int fd, const void *buf, size_t n)
{
	return write_all_flags(fd, buf, n, MSG_MORE);
}

/*
 * Why delayed ACKs on a request/reply server: Linux acknowledges the
 * first data of a new connection at once (quick-ACK mode), so the
 * request gets an empty ACK segment and, a moment later, the reply.
 * With quick ACKs off the ACK rides on the reply instead: one segment
 * less per connection. If no reply comes within the delayed-ACK time
 * (40 ms or more) the kernel sends the ACK on its own and goes back to
 * quick ACKs for that connection.
 */
int
net_delay_acks(int lfd)
{
	int off = 0;

	return setsockopt(lfd, IPPROTO_TCP, TCP_QUICKACK, &off, sizeof(off));
}

static struct timeval
to_timeval(double s)
{
	struct timeval tv;

	tv.tv_sec = (time_t)s;
	tv.tv_usec = (suseconds_t)((s - (double)tv.tv_sec) * 1e6);
	/* a tiny positive timeout must not round down to "none" */
	if (s > 0 && tv.tv_sec == 0 && tv.tv_usec == 0)
		tv.tv_usec = 1;
	return tv;
}

int
net_set_timeouts(int fd, double rcv, double snd)
{
	struct timeval tv;

	if (rcv >= 0) {
		tv = to_timeval(rcv);
		if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) <
		    0)
			return -1;
	}
	if (snd >= 0) {
		tv = to_timeval(snd);
		if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) <
		    0)
			return -1;
	}
	return 0;
}

int
net_set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -1;
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	return fcntl(fd, F_SETFL, fl);
}

/* Drop a line returned by the previous call, keeping what followed it. */
static void
line_shift(struct net_line *l)
{
	if (l->end == 0)
		return;
	memmove(l->buf, l->buf + l->end, l->len - l->end);
	l->len -= l->end;
	l->end = 0;
	l->buf[l->len] = '\0';
}

/* Look for '\n' in buf[from .. len); 1 and set end if found. */
static int
line_found(struct net_line *l, size_t from)
{
	char *nl = memchr(l->buf + from, '\n', l->len - from);

	if (!nl)
		return 0;
	l->end = (size_t)(nl - l->buf) + 1;
	return 1;
}

/*
 * Wait until fd has a byte, at most l->idle seconds and not past
 * l->deadline. 0 when readable, else -1 with errno EAGAIN (idle),
 * ETIMEDOUT (deadline) or poll's.
 */
static int
line_wait(const struct net_line *l, int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	double until = l->deadline, idle_end = now_mono() + l->idle;
	int which = ETIMEDOUT, r;

	if (l->idle > 0 && (until <= 0 || idle_end < until)) {
		until = idle_end;
		which = EAGAIN;
	}
	do
		r = poll(&p, 1, ms_left(until));
	while (r < 0 && errno == EINTR && now_mono() < until);
	if (r == 0 || (r < 0 && errno == EINTR)) {
		errno = which;
		return -1;
	}
	return r < 0 ? -1 : 0;
}

/*
 * One read for net_line_read. Why not only SO_RCVTIMEO: that timer starts
 * again at every byte, so a client sending one byte a second would keep
 * a plain read going for ever (slowloris). With a deadline we read
 * without blocking and wait in poll(2) for at most the time that is left
 * of the whole line. The common case, a line already here, costs one
 * recv as before; only a client that makes us wait costs a poll.
 */
static ssize_t
line_recv(struct net_line *l, int fd)
{
	char *at = l->buf + l->len;
	size_t room = l->size - l->len;
	ssize_t n;

	if (l->idle <= 0 && l->deadline <= 0)
		return read(fd, at, room);
	for (;;) {
		if (l->deadline > 0 && now_mono() >= l->deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		n = recv(fd, at, room, MSG_DONTWAIT);
		if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			return n;
		if (line_wait(l, fd) < 0)
			return -1;
	}
}

int
net_line_read(struct net_line *l, int fd)
{
	ssize_t n;

	line_shift(l);
	if (line_found(l, 0))
		return 1;
	while (l->len < l->size) {
		n = line_recv(l, fd);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		l->len += (size_t)n;
		l->buf[l->len] = '\0';
		if (line_found(l, l->len - (size_t)n))
			return 1;
	}
	errno = EMSGSIZE;
	return -1;
}

char *
net_line_text(struct net_line *l)
{
	if (l->end > 0) {
		l->buf[l->end - 1] = '\0';
		if (l->end > 1 && l->buf[l->end - 2] == '\r')
			l->buf[l->end - 2] = '\0';
	}
	return l->buf;
}

void
net_line_reset(struct net_line *l)
{
	l->len = 0;
	l->end = 0;
	if (l->buf)
		l->buf[0] = '\0';
}

/* Read and drop what the peer sends, until its EOF or the deadline. */
static void
drain_until_eof(int fd, double drain)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	double deadline = now_mono() + drain;
	char junk[512];
	ssize_t n;
	int r;

	for (;;) {
		n = recv(fd, junk, sizeof(junk), MSG_DONTWAIT);
		/*
		 * A peer that never stops sending would keep this loop busy
		 * forever: the deadline holds for bytes as well as for
		 * silence.
		 */
		if (ms_left(deadline) == 0)
			break;
		if (n > 0 || (n < 0 && errno == EINTR))
			continue;
		if (n == 0 || errno != EAGAIN)
			break; /* peer's EOF (or an error): done */
		r = poll(&p, 1, ms_left(deadline));
		if (r == 0 || (r < 0 && errno != EINTR))
			break; /* drain time is over */
	}
}

int
net_close_graceful(int fd, double drain)
{
	/* Our FIN goes out after the reply; the peer reads both in order. */
	if (shutdown(fd, SHUT_WR) == 0)
		drain_until_eof(fd, drain);
	return close(fd);
}

/*
 * Why linger only when a byte waits: the reset that destroys a reply
 * comes from closing with unread data in our receive queue (or data that
 * arrives after the close). A client that sent its one request and now
 * waits for the reply has nothing more to send: its queue is empty, our
 * close sends no reset, and waiting for its FIN would only keep a thread
 * (or a pool worker) asleep for nothing. nginx decides the same way
 * (lingering_close on: linger only if the client may send more).
 */
int
net_close_reply(int fd, double drain)
{
	if (shutdown(fd, SHUT_WR) == 0 && net_unread(fd))
		drain_until_eof(fd, drain);
	return close(fd);
}

int
net_unread(int fd)
{
	char c;

	return recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}
