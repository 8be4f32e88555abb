/*
 * proto.c: the protocol every server model speaks (DESIGN.md).
 *
 * The client connects and sends one line ending in '\n' (at most
 * --max-line bytes, newline included); the server replies "ACK\n" and
 * closes. Too long: "ERR line too long\n". Silent for --idle-timeout, or
 * the line not whole within --request-timeout: "ERR timeout\n". Over
 * --max-clients: "BUSY\n".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"
#include "netlab.h"
#include "util.h"

const char *
proto_reply(enum outcome r)
{
	switch (r) {
	case OUT_ACK:
		return "ACK\n";
	case OUT_TOO_LONG:
		return "ERR line too long\n";
	case OUT_TIMEOUT:
		return "ERR timeout\n";
	case OUT_BUSY:
		return "BUSY\n";
	default:
		return NULL; /* a broken connection gets no reply */
	}
}

size_t
proto_stack_size(const struct serve_opts *o)
{
	/*
	 * Why a small explicit stack: the default is 8 MB of address space
	 * per thread. Only touched pages cost memory, but 10,000 threads x
	 * 8 MB is 80 GB of address space; 64 KB is plenty for this code
	 * (plus the line buffer, which lives on the stack when it is small).
	 * The client's threads (client.c) use the same NETLAB_THREAD_STACK.
	 */
	size_t sz = NETLAB_THREAD_STACK;

	if (o->max_line <= PROTO_STACK_LINE)
		sz += PROTO_STACK_LINE;
	return sz;
}

/* A line longer than the first buffer: go on in one of --max-line. */
static int
read_long(struct server *s, int fd, struct net_line *l)
{
	char stackbuf[PROTO_STACK_LINE + 1];
	char *big = stackbuf;
	int r, saved;

	if (s->o->max_line > PROTO_STACK_LINE)
		big = malloc(s->o->max_line + 1);
	if (!big) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(big, l->buf, l->len + 1);
	l->buf = big;
	l->size = s->o->max_line;
	r = net_line_read(l, fd);
	saved = errno;
	if (big != stackbuf)
		free(big);
	l->buf = NULL; /* only the lengths are used from here on */
	errno = saved;
	return r;
}

/*
 * Read the one line; the outcome says what to answer.
 * Why a small first buffer: most lines are short. Read into a small
 * buffer in this shallow frame and an idle connection's thread touches
 * only the top pages of its stack (its resident memory stays near 8 KB);
 * only a longer line moves on to a buffer of --max-line bytes.
 */
static enum outcome
read_request(struct server *s, int fd, const char *peer)
{
	char first[PROTO_FIRST_LINE + 1];
	struct net_line l = {.buf = first, .size = PROTO_FIRST_LINE};
	int r;

	/* both limits: silence, and the whole line (see line_recv in net.c) */
	l.idle = s->o->idle_timeout;
	l.deadline = now_mono() + s->o->request_timeout;

	if (l.size > s->o->max_line)
		l.size = s->o->max_line;
	r = net_line_read(&l, fd);
	if (r < 0 && errno == EMSGSIZE && s->o->max_line > l.size)
		r = read_long(s, fd, &l);
	if (r == 0 && l.len > 0)
		r = 1; /* a last line without '\n', as getline(3) takes it */
	if (r == 1) {
		if (!s->o->quiet)
			server_log(s, peer, "received %zu bytes",
			           l.end ? l.end : l.len);
		return OUT_ACK;
	}
	if (r < 0 && errno == EMSGSIZE)
		return OUT_TOO_LONG;
	if (r < 0 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK || errno == ETIMEDOUT))
		return OUT_TIMEOUT;
	/*
	 * End of file before a line, or a reset. At end of file errno is
	 * whatever an earlier call left (often EAGAIN from the non-blocking
	 * read before the poll): clear it, so the log says what happened.
	 */
	if (r == 0)
		errno = 0;
	return OUT_ERROR;
}

static enum outcome
serve_conn(struct server *s, int fd, const char *peer)
{
	enum outcome r;
	const char *reply;

	/*
	 * Both timeouts are checked while reading (read_request): the
	 * socket is read without blocking and waited for with poll(2) for
	 * the time that is left. No timer thread, no signal.
	 */
	r = read_request(s, fd, peer);
	reply = proto_reply(r);
	/*
	 * Why free the slot before the write: the moment the reply is sent
	 * the client may connect again, and this thread may not run for a
	 * while; freed after, that next request could find the slot still
	 * taken and get BUSY for nothing.
	 */
	server_free_slot(s);
	if (reply && net_write_last(fd, reply, strlen(reply)) < 0)
		r = OUT_ERROR;
	else if (reply && !s->o->quiet)
		server_log(s, peer, "sent %.*s", (int)strcspn(reply, "\n"),
		           reply);
	if (r == OUT_ERROR && !s->o->quiet)
		server_log(s, peer, "error: %s",
		           errno ? strerror(errno) : "closed before a line");
	server_count(s, r);
	return r;
}

enum outcome
proto_serve(struct server *s, int fd)
{
	char peer[NET_ADDRSTRLEN] = "?";
	enum outcome r;

	if (!s->o->quiet) {
		net_peer(fd, peer, sizeof(peer));
		server_log(s, peer, "connected");
	}
	errno = 0;
	r = serve_conn(s, fd, peer);
	/*
	 * Why a graceful close: close() with unread bytes in the receive
	 * queue sends RST, and an RST can destroy our reply before the
	 * client reads it. Shut down our side, drain, then close. After an
	 * ACK the client has said all it had to say: linger only if bytes
	 * still wait (net_close_reply). After an error (a line too long, a
	 * timeout) it may well be sending still: always linger.
	 */
	if (r == OUT_ACK)
		net_close_reply(fd, PROTO_LINGER);
	else
		net_close_graceful(fd, PROTO_LINGER);
	if (!s->o->quiet)
		server_log(s, peer, "closed");
	return r;
}
