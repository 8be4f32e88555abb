/*
 * serve_epoll.c: one thread, non-blocking sockets, epoll (model "epoll").
 *
 * No thread or process per client: one loop asks the kernel "which of my
 * sockets can make progress?" and does only that work, never blocking.
 * A connection is a small state machine instead of a stack:
 *
 *   READ   --line-->  WRITE  --reply sent-->  LINGER  --peer EOF-->  closed
 *     |  too long / idle: the reply is "ERR ..."   |
 *     +--------------------------------------------+
 *
 * Level-triggered, on purpose: epoll keeps reporting a socket while it is
 * readable (or writable), so a handler may stop early (a full line
 * buffer, a batch limit) and is simply called again. Edge-triggered
 * reports only changes: every handler would have to read or accept until
 * EAGAIN or lose the wake-up for good. For one short request per
 * connection the edge mode saves nothing worth that risk.
 *
 * Timeouts: every connection in one list has the same timeout, so a list
 * kept in order of last activity is also in order of deadline. Touching
 * a connection moves it to the tail (O(1)); the head is always the next
 * to expire (O(1)). Three lists: idle (reading/writing, by last byte),
 * lingering, and request (reading, by arrival: --request-timeout, so
 * that a client dripping a byte at a time cannot reset its clock).
 *
 * Memory per idle connection: one struct conn (about 100 bytes). A line
 * buffer is allocated only if a line arrives in pieces; whole lines are
 * read into one shared scratch buffer.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"
#include "netlab.h"
#include "util.h"

/*
 * Two limits of one pass of the loop, the same size by chance, not by
 * rule: at most ACCEPT_BATCH new connections are accepted per wake-up,
 * so that a flood of connects cannot starve the open ones, and at most
 * EVENTS_PER_WAIT ready sockets come back from one epoll_pwait (more
 * stay ready and are reported by the next call: level-triggered).
 */
#define ACCEPT_BATCH 256
#define EVENTS_PER_WAIT 256

enum state { C_READ, C_WRITE, C_LINGER };

/* A place in a timer list: a member of struct conn (timer or req). */
struct tnode {
	struct tnode *prev, *next;
	double deadline;
};

struct conn {
	int fd;
	enum state state;
	enum outcome r;
	struct tnode timer;   /* in the idle or linger list, by its state */
	struct tnode req;     /* in the request list while reading... */
	int in_req;           /* ...that is, while this is 1 */
	struct net_line line; /* buf is NULL until a partial line waits */
	const char *out;      /* the reply; static text */
	size_t off;           /* bytes of it already sent */
	char *peer;           /* for log lines; NULL under --quiet */
	unsigned watched;     /* events asked of epoll; 0: not in the set */
	int left;             /* server_leave done: the reply is out */
};

struct tlist {
	struct tnode *head, *tail;
	double timeout;
};

struct loop {
	struct server *s;
	int ep;
	struct tlist idle, linger, req;
	char *scratch; /* max_line + 1 bytes, shared by every read */
	long conns;
	double now;
};

/* ---- timer lists ---- */

/*
 * Unlink c. The ends are recognised by comparing with head and tail (not
 * by a NULL prev or next), so that the code itself shows that a removed
 * head is never left behind in the list; the static analyzer (make lint)
 * can follow that, it cannot know that the head's prev is always NULL.
 */
static void
tl_remove(struct tlist *t, struct tnode *c)
{
	if (t->head == c)
		t->head = c->next;
	else
		c->prev->next = c->next;
	if (t->tail == c)
		t->tail = c->prev;
	else
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
}

/* Append c with deadline now + timeout: the list stays sorted. */
static void
tl_append(struct tlist *t, struct tnode *c, double now)
{
	c->deadline = now + t->timeout;
	c->prev = t->tail;
	c->next = NULL;
	if (t->tail)
		t->tail->next = c;
	else
		t->head = c;
	t->tail = c;
}

/* The connection whose member timer (or req) is the node n. */
#define TIMER_CONN(n)                                                          \
	((struct conn *)(void *)((char *)(n)-offsetof(struct conn, timer)))
#define REQ_CONN(n)                                                            \
	((struct conn *)(void *)((char *)(n)-offsetof(struct conn, req)))

/* The request deadline no longer applies: the line is in (or the end). */
static void
req_done(struct loop *L, struct conn *c)
{
	if (c->in_req) {
		tl_remove(&L->req, &c->req);
		c->in_req = 0;
	}
}

/* ---- connection life ---- */

static void
log_conn(struct loop *L, struct conn *c, const char *what)
{
	if (!L->s->o->quiet)
		server_log(L->s, c->peer ? c->peer : "?", "%s", what);
}

/*
 * t is the timer list c is in (idle for C_READ and C_WRITE, linger for
 * C_LINGER); every caller knows which, so it says so.
 */
static void
conn_close(struct loop *L, struct tlist *t, struct conn *c)
{
	log_conn(L, c, "closed");
	tl_remove(t, &c->timer);
	req_done(L, c);
	close(c->fd); /* also removes it from the epoll set */
	free(c->line.buf);
	free(c->peer);
	if (!c->left)
		server_leave(L->s, c->r);
	server_closed(L->s);
	free(c);
	L->conns--;
}

/*
 * Ask epoll to report ev for c. A connection joins the epoll set only
 * the first time it must wait: most are answered and closed in the pass
 * that accepted them (conn_new) and never cost an epoll_ctl at all.
 */
static int
watch(struct loop *L, struct conn *c, unsigned ev)
{
	struct epoll_event e = {.events = ev, .data.ptr = c};
	int op = c->watched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;

	if (c->watched == ev)
		return 0;
	if (epoll_ctl(L->ep, op, c->fd, &e) < 0)
		return -1;
	c->watched = ev;
	return 0;
}

/* A connection epoll cannot watch (no memory) ends now: it would hang. */
static void
conn_fail(struct loop *L, struct tlist *t, struct conn *c)
{
	c->r = OUT_ERROR;
	conn_close(L, t, c);
}

/*
 * Reply sent: shut down our side. If the peer may still send (bytes
 * wait unread, or the reply was an error), wait (bounded) for its EOF
 * before closing, so that no unread byte makes close() send a reset
 * (see net_close_reply in lib/net.c); else close at once.
 */
static void
conn_linger(struct loop *L, struct conn *c)
{
	if (!L->s->o->quiet && c->out) {
		char what[32];

		snprintf(what, sizeof(what), "sent %.*s",
		         (int)strcspn(c->out, "\n"), c->out);
		log_conn(L, c, what);
	}
	shutdown(c->fd, SHUT_WR);
	/* the reply is out: free the slot now, not after the linger */
	server_leave(L->s, c->r);
	c->left = 1;
	if (c->r == OUT_ACK && !net_unread(c->fd)) {
		conn_close(L, &L->idle, c);
		return;
	}
	if (watch(L, c, EPOLLIN) < 0) {
		conn_fail(L, &L->idle, c);
		return;
	}
	tl_remove(&L->idle, &c->timer);
	c->state = C_LINGER;
	tl_append(&L->linger, &c->timer, L->now);
}

/* Send what is left of the reply; a full socket buffer means wait. */
static void
conn_write(struct loop *L, struct conn *c)
{
	size_t len = strlen(c->out);
	ssize_t n;

	/* MSG_MORE: the FIN of conn_linger leaves with it (net_write_last) */
	while (c->off < len) {
		n = send(c->fd, c->out + c->off, len - c->off,
		         MSG_NOSIGNAL | MSG_DONTWAIT | MSG_MORE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			c->state = C_WRITE;
			if (watch(L, c, EPOLLOUT) < 0)
				conn_fail(L, &L->idle, c);
			return; /* partial write: EPOLLOUT brings us back */
		}
		if (n < 0) {
			c->r = OUT_ERROR;
			conn_close(L, &L->idle, c);
			return;
		}
		c->off += (size_t)n;
	}
	conn_linger(L, c);
}

static void
conn_reply(struct loop *L, struct conn *c, enum outcome r)
{
	free(c->line.buf);
	c->line.buf = NULL;
	req_done(L, c);
	c->r = r;
	c->out = proto_reply(r);
	c->off = 0;
	conn_write(L, c);
}

/* Keep a partial line: copy it out of the shared scratch buffer. */
static int
conn_keep(struct loop *L, struct conn *c, const struct net_line *tmp)
{
	c->line.size = tmp->size;
	c->line.buf = malloc(tmp->size + 1);
	if (!c->line.buf)
		return -1;
	memcpy(c->line.buf, tmp->buf, tmp->len + 1);
	c->line.len = tmp->len;
	(void)L;
	return 0;
}

static void
conn_read(struct loop *L, struct conn *c)
{
	struct net_line tmp = {.buf = L->scratch, .size = L->s->o->max_line};
	struct net_line *l = c->line.buf ? &c->line : &tmp;
	int r = net_line_read(l, c->fd);

	if (r == 0 && l->len > 0)
		r = 1; /* a last line without '\n' */
	if (r == 1) {
		if (!L->s->o->quiet) {
			char what[48];

			snprintf(what, sizeof(what), "received %zu bytes",
			         l->end ? l->end : l->len);
			log_conn(L, c, what);
		}
		conn_reply(L, c, OUT_ACK);
	} else if (r < 0 && errno == EAGAIN) {
		if ((l == &tmp && tmp.len > 0 && conn_keep(L, c, &tmp) < 0) ||
		    watch(L, c, EPOLLIN) < 0) {
			conn_fail(L, &L->idle, c);
			return;
		}
		tl_remove(&L->idle, &c->timer); /* activity: a new deadline */
		tl_append(&L->idle, &c->timer, L->now);
	} else if (r < 0 && errno == EMSGSIZE) {
		conn_reply(L, c, OUT_TOO_LONG);
	} else {
		if (!L->s->o->quiet)
			log_conn(L, c,
			         r == 0 ? "error: closed before a line"
			                : "error: connection reset");
		c->r = OUT_ERROR;
		conn_close(L, &L->idle, c);
	}
}

/* Discard what the peer still sends; its EOF ends the connection. */
static void
conn_drain(struct loop *L, struct conn *c)
{
	ssize_t n;

	do
		n = recv(c->fd, L->scratch, L->s->o->max_line, MSG_DONTWAIT);
	while (n > 0 || (n < 0 && errno == EINTR));
	if (n == 0 || errno != EAGAIN)
		conn_close(L, &L->linger, c);
}

static void
conn_event(struct loop *L, struct conn *c, unsigned ev)
{
	if (c->state == C_READ)
		conn_read(L, c);
	else if (c->state == C_WRITE)
		conn_write(L, c);
	else
		conn_drain(L, c);
	(void)ev;
}

/* ---- accepting ---- */

static void
conn_new(void *arg, int fd)
{
	struct loop *L = arg;
	struct conn *c;

	if (server_enter(L->s, fd) < 0)
		return; /* over --max-clients: it got BUSY */
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		server_leave(L->s, OUT_ERROR);
		server_closed(L->s);
		return;
	}
	c->fd = fd;
	c->state = C_READ;
	if (!L->s->o->quiet) {
		char peer[NET_ADDRSTRLEN] = "?";

		net_peer(fd, peer, sizeof(peer));
		c->peer = strdup(peer);
	}
	tl_append(&L->idle, &c->timer, L->now);
	c->in_req = 1;
	tl_append(&L->req, &c->req, L->now);
	L->conns++;
	log_conn(L, c, "connected");
	/*
	 * Why read at once: a client sends its line right after connecting,
	 * so by the time we accept it the line is usually already here.
	 * Reading now answers it in this same pass instead of one more trip
	 * through epoll_pwait (and without ever joining the epoll set); if
	 * nothing is there yet, read says EAGAIN, conn_read asks epoll to
	 * watch it, and epoll tells us later, as for any other read.
	 */
	conn_read(L, c);
}

static void
accept_all(struct loop *L)
{
	int fd, n = 0;

	/* a batch limit keeps the other connections served under a flood */
	while (n++ < ACCEPT_BATCH &&
	       (fd = server_accept(L->s, SOCK_NONBLOCK)) >= 0)
		conn_new(L, fd);
}

/* ---- timeouts ---- */

/* The head of t if its deadline has come, else NULL. */
static struct tnode *
due(const struct tlist *t, double now)
{
	return t->head && t->head->deadline <= now ? t->head : NULL;
}

static void
expire(struct loop *L)
{
	struct tnode *n;
	struct conn *c;

	while ((n = due(&L->linger, L->now)))
		conn_close(L, &L->linger, TIMER_CONN(n));
	/* every connection here is reading: its line is late */
	while ((n = due(&L->req, L->now)))
		conn_reply(L, REQ_CONN(n), OUT_TIMEOUT);
	while ((n = due(&L->idle, L->now))) {
		c = TIMER_CONN(n);
		if (c->state == C_READ) {
			conn_reply(L, c, OUT_TIMEOUT);
		} else {
			c->r = OUT_ERROR; /* the peer does not read */
			conn_close(L, &L->idle, c);
		}
	}
}

/* Milliseconds to the next deadline (or stop), -1 for none. */
static int
next_timeout(struct loop *L, double stop_at)
{
	const struct tlist *lists[] = {&L->idle, &L->linger, &L->req};
	double t = stop_at;
	double ms;
	size_t i;

	for (i = 0; i < LEN(lists); i++)
		if (lists[i]->head && (t < 0 || lists[i]->head->deadline < t))
			t = lists[i]->head->deadline;
	if (t < 0)
		return -1;
	ms = (t - L->now) * 1000.0;
	return ms <= 0 ? 0 : ms > 1e8 ? 100000000 : (int)ms + 1;
}

/* ---- the loop ---- */

static void
stop_listening(struct loop *L)
{
	/* serve what already waits in the queue (server_take_queued) */
	server_take_queued(L->s, SOCK_NONBLOCK, conn_new, L);
	epoll_ctl(L->ep, EPOLL_CTL_DEL, L->s->lfd, NULL);
	close(L->s->lfd);
	L->s->lfd = -1;
	server_say_stopping(L->s, L->conns, 0);
}

static void
run(struct loop *L)
{
	struct epoll_event ev[EVENTS_PER_WAIT];
	double stop_at = -1;
	int n, i;

	for (;;) {
		if (srv_stop && stop_at < 0) {
			stop_at = server_drain_end(L->s);
			stop_listening(L);
		}
		if (stop_at >= 0 && (L->conns == 0 || L->now >= stop_at))
			break;
		n = epoll_pwait(L->ep, ev, (int)LEN(ev),
		                next_timeout(L, stop_at), &L->s->waitmask);
		L->now = now_mono();
		for (i = 0; i < n; i++) {
			if (ev[i].data.ptr == NULL)
				accept_all(L);
			else
				conn_event(L, ev[i].data.ptr, ev[i].events);
		}
		expire(L);
	}
}

/* Close what is still open after the drain; everything is freed. */
static void
close_all(struct loop *L)
{
	server_say_stopping(L->s, L->conns, 1);
	while (L->idle.head)
		conn_close(L, &L->idle, TIMER_CONN(L->idle.head));
	while (L->linger.head)
		conn_close(L, &L->linger, TIMER_CONN(L->linger.head));
}

int
serve_epoll(struct server *s)
{
	struct loop L = {.s = s};
	struct epoll_event e = {.events = EPOLLIN, .data.ptr = NULL};

	L.idle.timeout = s->o->idle_timeout;
	L.linger.timeout = PROTO_LINGER;
	L.req.timeout = s->o->request_timeout;
	L.now = now_mono();
	L.ep = epoll_create1(EPOLL_CLOEXEC);
	if (L.ep < 0 || epoll_ctl(L.ep, EPOLL_CTL_ADD, s->lfd, &e) < 0) {
		warn("epoll:");
		return 1;
	}
	L.scratch = xmalloc(s->o->max_line + 1);
	run(&L);
	close_all(&L);
	free(L.scratch);
	close(L.ep);
	server_summary(s);
	return 0;
}
