/*
 * fuzz_line.c: libFuzzer target for the protocol line reader
 * (net_line_read, net_line_text) fed through a pipe.
 * lib: lib/net.c lib/netaddr.c lib/str.c lib/parse.c
 *
 * Input: byte 0 picks the line limit (2 .. 257 bytes), byte 1 the size
 * of each write into the pipe (1 .. 256), the rest is the stream. The
 * reader's read end is non-blocking, so every chunk boundary is a
 * partial read that must be continued on the next call.
 *
 * Oracle: a model of the protocol. Each line returned must be exactly the
 * next bytes of the stream up to and including the first '\n', at most
 * `limit` bytes; EMSGSIZE only when `limit` bytes arrived without a
 * newline; at end of file the leftover bytes are exactly the rest of the
 * stream; buf[len] is '\0' once anything was read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct model {
	const uint8_t *s; /* the whole stream */
	size_t pos;       /* bytes already returned as lines */
	size_t written;   /* bytes written into the pipe so far */
};

/* Check a returned line against the stream; abort on any difference. */
static void
check_line(struct net_line *l, struct model *m)
{
	const uint8_t *nl;
	char *t;

	if (l->end == 0 || l->end > l->len || l->end > l->size ||
	    l->buf[l->len] != '\0' || l->buf[l->end - 1] != '\n')
		abort();
	if (m->pos + l->end > m->written ||
	    memcmp(l->buf, m->s + m->pos, l->end) != 0)
		abort();
	nl = memchr(m->s + m->pos, '\n', l->end);
	if (!nl || (size_t)(nl - (m->s + m->pos)) + 1 != l->end)
		abort();
	t = net_line_text(l);
	if (t != l->buf || strlen(t) > l->end - 1)
		abort();
	m->pos += l->end;
}

/* Read lines until the reader wants more; 1 when the stream is over. */
static int
drain(struct net_line *l, int fd, struct model *m, int eof)
{
	int r;

	for (;;) {
		r = net_line_read(l, fd);
		if (r == 1) {
			check_line(l, m);
			continue;
		}
		/* (a buffer nothing was ever read into is not terminated) */
		if (l->len > 0 && l->buf[l->len] != '\0')
			abort();
		if (r == 0) {
			/* end of file: what is left is the rest, unread */
			if (!eof || m->pos + l->len != m->written ||
			    memcmp(l->buf, m->s + m->pos, l->len) != 0)
				abort();
			return 1;
		}
		if (errno == EAGAIN)
			return 0;
		if (errno != EMSGSIZE || l->len != l->size ||
		    memchr(m->s + m->pos, '\n', l->size) != NULL)
			abort();
		return 1; /* too long: a server would answer ERR and close */
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model m = {0};
	struct net_line l = {0};
	size_t step;
	int p[2], done = 0;

	if (size < 2 || pipe2(p, O_CLOEXEC) < 0)
		return 0;
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	l.size = (size_t)data[0] + 2;
	l.buf = malloc(l.size + 1); /* exact: size + 1, as net.h asks */
	step = (size_t)data[1] + 1;
	m.s = data + 2;
	size -= 2;
	while (!done && m.written < size) {
		size_t k = size - m.written < step ? size - m.written : step;

		if (write(p[1], m.s + m.written, k) != (ssize_t)k)
			abort();
		m.written += k;
		done = drain(&l, p[0], &m, 0);
	}
	close(p[1]);
	if (!done)
		drain(&l, p[0], &m, 1);
	close(p[0]);
	free(l.buf);
	return 0;
}
