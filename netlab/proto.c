/*
 * proto.c: the protocol every server model speaks (DESIGN.md).
 *
 * The client connects and sends one line ending in '\n' (at most
 * --max-line bytes, newline included); the server replies "ACK\n" and
 * closes. Too long: "ERR line too long\n". Silent for --idle-timeout:
 * "ERR timeout\n". Over --max-clients: "BUSY\n".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"
#include "netlab.h"

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
	 */
	size_t sz = 64 * 1024;

	if (o->max_line <= PROTO_STACK_LINE)
		sz += PROTO_STACK_LINE;
	return sz;
}

/* Read the one line; the outcome says what to answer. */
static enum outcome
read_request(struct server *s, int fd, struct net_line *l, const char *peer)
{
	int r = net_line_read(l, fd);

	if (r == 0 && l->len > 0)
		r = 1; /* a last line without '\n', as getline(3) takes it */
	if (r == 1) {
		if (!s->o->quiet)
			server_log(s, peer, "received %zu bytes",
			           l->end ? l->end : l->len);
		return OUT_ACK;
	}
	if (r < 0 && errno == EMSGSIZE)
		return OUT_TOO_LONG;
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return OUT_TIMEOUT;
	return OUT_ERROR; /* EOF before a line, or a reset */
}

static enum outcome
serve_with(struct server *s, int fd, char *buf, const char *peer)
{
	struct net_line l = {.buf = buf, .size = s->o->max_line};
	enum outcome r;
	const char *reply;

	/*
	 * The idle timeout is a receive timeout on the socket: a read that
	 * waits longer fails with EAGAIN. No timer thread, no extra poll.
	 */
	net_set_timeouts(fd, s->o->idle_timeout, s->o->idle_timeout);
	r = read_request(s, fd, &l, peer);
	reply = proto_reply(r);
	if (reply && net_write_all(fd, reply, strlen(reply)) < 0)
		r = OUT_ERROR;
	else if (reply && !s->o->quiet)
		server_log(s, peer, "sent %.*s", (int)strcspn(reply, "\n"),
		           reply);
	if (r == OUT_ERROR && !s->o->quiet)
		server_log(s, peer, "error: %s",
		           errno ? strerror(errno) : "closed before a line");
	return r;
}

enum outcome
proto_serve(struct server *s, int fd)
{
	char peer[NET_ADDRSTRLEN] = "?";
	char stackbuf[PROTO_STACK_LINE + 1];
	char *buf = stackbuf;
	enum outcome r;

	if (!s->o->quiet) {
		net_peer(fd, peer, sizeof(peer));
		server_log(s, peer, "connected");
	}
	if (s->o->max_line > PROTO_STACK_LINE)
		buf = malloc(s->o->max_line + 1);
	errno = 0;
	r = buf ? serve_with(s, fd, buf, peer) : OUT_ERROR;
	if (buf != stackbuf)
		free(buf);
	/*
	 * Why a graceful close: close() with unread bytes in the receive
	 * queue sends RST, and an RST can destroy our reply before the
	 * client reads it. Shut down our side, drain, then close.
	 */
	net_close_graceful(fd, PROTO_LINGER);
	if (!s->o->quiet)
		server_log(s, peer, "closed");
	return r;
}
