/*
 * net.h: TCP socket helpers (net.c) and socket addresses (netaddr.c).
 *
 * Rules:
 *  - Nothing here prints or exits. Every function returns -1 (or NULL)
 *    with errno set; a worker thread can always recover and carry on.
 *  - Every descriptor made here is close-on-exec, so a child started by
 *    fork+exec never inherits a listening socket by accident.
 *  - EINTR is retried inside the helpers where retrying is the right
 *    thing (a read or write that made no progress); the caller never sees
 *    it from them.
 *  - A listening address is numeric (127.0.0.1, ::1, 0.0.0.0, ::). Only
 *    net_connect looks a host name up, and may wait for the resolver.
 *  - Writes use MSG_NOSIGNAL: a peer that went away gives EPIPE, never a
 *    SIGPIPE that would kill the whole process.
 */
#ifndef NET_H
#define NET_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/* "[ffff:...:ffff]:65535" plus NUL fits. */
#define NET_ADDRSTRLEN 56

/*
 * Fill *ss (and *len) from a numeric IPv4 or IPv6 address and a port in
 * [0, 65535]. Returns 0, or -1 with errno EINVAL (not a numeric address,
 * NULL, or port out of range).
 */
int net_addr(const char *addr, int port, struct sockaddr_storage *ss,
             socklen_t *len);

/*
 * A listening TCP socket on addr:port (port 0: the kernel chooses; read
 * it back with net_local_port). SO_REUSEADDR is set so a restarted server
 * can bind while old connections sit in TIME_WAIT; an IPv6 socket is
 * IPv6-only. flags may be SOCK_NONBLOCK (SOCK_CLOEXEC is always added).
 * backlog <= 0 means SOMAXCONN.
 * Returns the fd, or -1 with errno: EINVAL (bad address), EADDRINUSE,
 * EACCES (privileged port), or any socket/bind/listen error.
 */
int net_listen(const char *addr, int port, int backlog, int flags);

/* The local port of a bound socket, or -1 with errno. */
int net_local_port(int fd);

/*
 * Format sa as "1.2.3.4:80" or "[::1]:80" into buf of size n
 * (NET_ADDRSTRLEN is always enough). Returns 0, or -1 with errno
 * EAFNOSUPPORT (not IPv4/IPv6) or ENOSPC (buf too small).
 */
int net_format(const struct sockaddr *sa, char *buf, size_t n);

/* As net_format for the peer of a connected socket fd. */
int net_peer(int fd, char *buf, size_t n);

/* As net_format for the local address of a socket fd ("127.0.0.1:9000"). */
int net_sockname(int fd, char *buf, size_t n);

/*
 * As net_addr, but host may also be a name (localhost, a machine of the
 * network): then *ss is the resolver's first address for it. Returns 0,
 * or -1 with errno EINVAL (NULL host, port out of range), ENXIO (the
 * name has no address) or EAGAIN (the resolver did not answer).
 */
int net_resolve(const char *host, int port, struct sockaddr_storage *ss,
                socklen_t *len);

/*
 * Connect to host:port, where host is a name (localhost, a machine of the
 * network) or a numeric IPv4/IPv6 address; each address the name has is
 * tried in turn, each for at most timeout seconds (<= 0: no limit beyond
 * the kernel's). The returned fd is blocking and close-on-exec.
 * Returns the fd, or -1 with errno: EINVAL (NULL host, port not in
 * 1-65535), ENXIO (the name has no address), EAGAIN (the resolver did not
 * answer), or the last address's ETIMEDOUT, ECONNREFUSED, ENETUNREACH...
 */
int net_connect(const char *host, int port, double timeout);

/*
 * Write all n bytes of buf to fd, retrying after short writes and EINTR.
 * Returns 0, or -1 with errno (EPIPE/ECONNRESET: the peer is gone;
 * EAGAIN: a send timeout or a non-blocking fd that is full).
 */
int net_write_all(int fd, const void *buf, size_t n);

/*
 * As net_write_all for the last bytes a server sends before it shuts the
 * connection down (net_close_reply): sent with MSG_MORE, so they wait
 * for the FIN of the shutdown and both leave in one segment.
 */
int net_write_last(int fd, const void *buf, size_t n);

/*
 * Ask for delayed ACKs on a listening socket (TCP_QUICKACK off); the
 * connections it accepts inherit it. Returns 0, or -1 with errno.
 */
int net_delay_acks(int lfd);

/*
 * Receive and send timeouts (SO_RCVTIMEO / SO_SNDTIMEO) in seconds;
 * 0 means none, a negative value leaves that one unchanged. A blocking
 * read that times out fails with EAGAIN. Returns 0 or -1 with errno.
 */
int net_set_timeouts(int fd, double rcv, double snd);

/* Set or clear O_NONBLOCK. Returns 0 or -1 with errno. */
int net_set_nonblock(int fd, int on);

/*
 * A line reader with a byte limit. The caller owns buf, of size + 1 bytes
 * (room for a terminating NUL); size is the limit, newline included.
 * Zero the struct, then set buf and size. Bytes after the first newline
 * stay in buf (len - end of them) for the caller; net_line_reset forgets
 * everything.
 */
struct net_line {
	char *buf;
	size_t size; /* limit: the most bytes a line may have, '\n' included */
	size_t len;  /* bytes in buf */
	size_t end;  /* after a complete line: its length, '\n' included */
	/*
	 * Optional time limits for a socket fd (0: none, as when zeroed):
	 * idle is the most seconds to wait for the next byte; deadline is
	 * the now_mono() time by which the whole line must have arrived,
	 * however the bytes trickle in.
	 */
	double idle;
	double deadline;
};

/*
 * Read from fd until buf holds a whole line (partial reads are kept and
 * continued on the next call, so it suits non-blocking fds too).
 * Returns
 *    1  a line: buf[0 .. end) ends in '\n' (buf[len] is always '\0')
 *    0  end of file; len bytes without a newline remain (maybe 0)
 *   -1  errno: EMSGSIZE (size bytes and no newline: the line is too long),
 *       EAGAIN (no data now on a non-blocking fd, SO_RCVTIMEO passed, or
 *       idle seconds without a byte), ETIMEDOUT (the deadline passed),
 *       ECONNRESET, EBADF, ...
 * With idle or deadline set, fd must be a socket; it is read with
 * MSG_DONTWAIT and waited for with poll(2), never past either limit.
 * EINTR is retried.
 */
int net_line_read(struct net_line *l, int fd);

/*
 * After net_line_read returned 1: NUL-terminate the line in place (the
 * newline, and a '\r' before it, are replaced) and return buf. The bytes
 * after the line are untouched.
 */
char *net_line_text(struct net_line *l);

/* Forget the buffered bytes. */
void net_line_reset(struct net_line *l);

/*
 * Close a connection so that the reply already written is not destroyed
 * by a reset: shut down our sending side (the peer sees end of file after
 * our data), read and discard what the peer still sends for at most
 * drain seconds, waiting for its end of file, then close. A close with
 * unread data in the receive queue would make the kernel send RST, and
 * an RST can overtake data the peer has not read yet.
 * Returns 0, or -1 with errno from close (the fd is closed in any case).
 */
int net_close_graceful(int fd, double drain);

/* 1 if at least one byte waits unread on fd, else 0 (never blocks). */
int net_unread(int fd);

/*
 * As net_close_graceful, but linger only if the peer may still send:
 * when no byte waits unread after our shutdown, close at once.
 * Returns 0, or -1 with errno from close (the fd is closed in any case).
 */
int net_close_reply(int fd, double drain);

/*
 * The addresses of this machine's interfaces (AF_INET, AF_INET6, or
 * AF_UNSPEC for both), loopback included, as "127.0.0.1 10.0.0.1 ..."
 * in buf of size n: what a server bound to 0.0.0.0 or :: can be reached
 * at. Addresses that do not fit whole are left out.
 * Returns 0, or -1 with errno from getifaddrs (or EINVAL: n is 0).
 */
int net_host_addrs(int family, char *buf, size_t n);

/*
 * Where clients can reach a server bound to addr: for 0.0.0.0 (or ::)
 * this machine's IPv4 (IPv6) addresses, in buf as net_host_addrs.
 * Returns 0, or -1 for any other address (it is where it is: EINVAL)
 * or if the interfaces cannot be read.
 */
int net_reach(const char *addr, char *buf, size_t n);

#endif
