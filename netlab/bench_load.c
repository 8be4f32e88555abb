/*
 * bench_load.c: the load engine of "netlab bench".
 *
 * Why one epoll loop and not a thread per connection: a load generator
 * must be cheaper than the server it measures, or it measures itself.
 * Each connection here costs only its system calls (socket, connect,
 * send, epoll_ctl, recv, close) and a slot in an array: no thread, no
 * stack, no context switch. That is how redis-benchmark works too.
 *
 * A slot is one connection in flight, a tiny state machine:
 *
 *   socket+connect --(send done)--> REPLY --(line or EOF)--> close, next
 *        |                                    ^
 *        +--(connect pending: EPOLLOUT)-> send+
 *
 * Every slot is reused at once for the next connection, so exactly
 * --concurrency connections are in flight until the count or the time
 * runs out. Latency is socket() to the end of the reply line.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "bench.h"
#include "util.h"

const char *const bench_err_name[BE_NKINDS] = {
    "refused",     "reset",  "timeout", "eaddrnotavail",
    "wrong_reply", "closed", "other",
};

enum slot_state { S_FREE, S_CONNECT, S_REPLY };

struct slot {
	int fd;
	enum slot_state state;
	double t0;
	size_t got;
	char buf[BENCH_REPLY_MAX + 1];
};

struct engine {
	const struct bench_load *l;
	struct bench_result *r;
	struct slot *slots;
	int ep;
	int inflight;
	double start, now, last_end;
	int closing; /* no new connections from now on */
};

/* ---- latency histogram ---- */

static int
h_index(uint64_t us)
{
	int e;

	if (us < BENCH_HSUB)
		return (int)us;
	e = 63 - __builtin_clzll(us); /* us in [2^e, 2^(e+1)) */
	if (e >= 39)
		return BENCH_HBUCKETS - 1;
	return (e - 5) * BENCH_HSUB + (int)((us >> (e - 6)) - BENCH_HSUB);
}

/* The highest value of bucket i, in microseconds. */
static uint64_t
h_upper(int i)
{
	int e;
	uint64_t m;

	if (i < BENCH_HSUB)
		return (uint64_t)i;
	e = i / BENCH_HSUB + 5;
	m = (uint64_t)(i % BENCH_HSUB + BENCH_HSUB);
	return ((m + 1) << (e - 6)) - 1;
}

double
bench_quantile_ms(const struct bench_result *r, double q)
{
	unsigned long long want, seen = 0;
	uint64_t v;
	int i;

	if (r->ok <= 0)
		return 0;
	want = (unsigned long long)(q * (double)r->ok + 0.999999);
	if (want < 1)
		want = 1;
	for (i = 0; i < BENCH_HBUCKETS; i++) {
		seen += r->hist[i];
		if (seen >= want)
			break;
	}
	v = i < BENCH_HBUCKETS ? h_upper(i) : r->max_us;
	if (v > r->max_us)
		v = r->max_us;
	return (double)v / 1000.0;
}

double
bench_rate(const struct bench_result *r)
{
	return r->seconds > 0 ? (double)r->ok / r->seconds : 0;
}

enum bench_err
bench_classify(int err)
{
	switch (err) {
	case ECONNREFUSED:
		return BE_REFUSED;
	case ECONNRESET:
	case EPIPE:
	case ECONNABORTED:
		return BE_RESET;
	case ETIMEDOUT:
		return BE_TIMEOUT;
	case EADDRNOTAVAIL:
		return BE_ADDRNOTAVAIL;
	default:
		return BE_OTHER;
	}
}

/* ---- one connection ---- */

static void
count_err(struct engine *E, enum bench_err k, int err)
{
	E->r->err[k]++;
	E->r->failed++;
	if (E->l->tally)
		atomic_fetch_add_explicit(&E->l->tally->failed, 1,
		                          memory_order_relaxed);
	if (k == BE_OTHER && !E->r->other_errno)
		E->r->other_errno = err;
}

static void
slot_end(struct engine *E, struct slot *s)
{
	if (s->fd >= 0)
		close(s->fd); /* also takes it out of the epoll set */
	s->fd = -1;
	s->state = S_FREE;
	E->inflight--;
	E->last_end = E->now;
}

static void
slot_fail(struct engine *E, struct slot *s, enum bench_err k, int err)
{
	count_err(E, k, err);
	slot_end(E, s);
}

/* Keep the first wrong reply as it came (the report escapes it). */
static void
keep_wrong(struct engine *E, const char *line, size_t n)
{
	if (E->r->wrong_len || E->r->err[BE_WRONG] > 1)
		return;
	if (n > sizeof(E->r->wrong) - 1)
		n = sizeof(E->r->wrong) - 1;
	memcpy(E->r->wrong, line, n);
	E->r->wrong[n] = '\0';
	E->r->wrong_len = n;
}

/* A whole reply line (or the bytes before EOF): check it, finish. */
static void
slot_check(struct engine *E, struct slot *s, size_t n)
{
	uint64_t us;

	if (n > 0 && s->buf[n - 1] == '\n')
		n--;
	if (n > 0 && s->buf[n - 1] == '\r')
		n--;
	if (n != strlen(E->l->expect) || memcmp(s->buf, E->l->expect, n) != 0) {
		count_err(E, BE_WRONG, 0);
		keep_wrong(E, s->buf, n);
		slot_end(E, s);
		return;
	}
	us = (uint64_t)((E->now - s->t0) * 1e6);
	E->r->hist[h_index(us)]++;
	if (us > E->r->max_us)
		E->r->max_us = us;
	E->r->ok++;
	if (E->l->tally)
		atomic_fetch_add_explicit(&E->l->tally->ok, 1,
		                          memory_order_relaxed);
	slot_end(E, s);
}

/*
 * Send the whole message. On loopback the handshake is usually over by
 * the time connect() returns, so this normally succeeds at once; EAGAIN
 * means "still connecting" (or a full buffer): wait for EPOLLOUT.
 * Returns 1 sent, 0 wait, -1 failed (counted).
 */
static int
slot_send(struct engine *E, struct slot *s)
{
	ssize_t n;

	for (;;) {
		n = send(s->fd, E->l->msg + s->got, E->l->msglen - s->got,
		         MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n >= 0) {
			s->got += (size_t)n;
			if (s->got == E->l->msglen)
				break;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == ENOTCONN)
			return 0;
		slot_fail(E, s, bench_classify(errno), errno);
		return -1;
	}
	s->got = 0; /* from here on: reply bytes */
	return 1;
}

static void
slot_watch(struct engine *E, struct slot *s, int op, unsigned ev)
{
	struct epoll_event e = {.events = ev, .data.ptr = s};

	if (epoll_ctl(E->ep, op, s->fd, &e) < 0)
		slot_fail(E, s, BE_OTHER, errno);
}

/* Start the next connection in slot s. */
static void
slot_start(struct engine *E, struct slot *s)
{
	const struct sockaddr *sa = (const struct sockaddr *)&E->l->sa;
	int r;

	E->r->started++;
	E->inflight++;
	/* the clock moves here too: a run of instant failures must end */
	E->now = now_mono();
	s->t0 = E->now;
	s->got = 0;
	s->fd = socket(sa->sa_family,
	               SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		slot_fail(E, s, bench_classify(errno), errno);
		return;
	}
	if (connect(s->fd, sa, E->l->salen) < 0 && errno != EINPROGRESS) {
		slot_fail(E, s, bench_classify(errno), errno);
		return;
	}
	r = slot_send(E, s);
	if (r < 0)
		return;
	s->state = r ? S_REPLY : S_CONNECT;
	slot_watch(E, s, EPOLL_CTL_ADD, r ? EPOLLIN : EPOLLOUT);
}

/* Read what has come of the reply. */
static void
slot_read(struct engine *E, struct slot *s)
{
	ssize_t n;
	char *nl;

	n = recv(s->fd, s->buf + s->got, BENCH_REPLY_MAX - s->got, 0);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			slot_fail(E, s, bench_classify(errno), errno);
		return;
	}
	if (n == 0) { /* EOF: what came is the reply, if anything came */
		if (s->got == 0)
			slot_fail(E, s, BE_CLOSED, 0);
		else
			slot_check(E, s, s->got);
		return;
	}
	nl = memchr(s->buf + s->got, '\n', (size_t)n);
	s->got += (size_t)n;
	if (nl)
		slot_check(E, s, (size_t)(nl - s->buf) + 1);
	else if (s->got == BENCH_REPLY_MAX)
		slot_check(E, s, s->got); /* too long: a wrong reply */
}

static void
slot_event(struct engine *E, struct slot *s)
{
	int r;

	if (s->state == S_CONNECT) {
		r = slot_send(E, s);
		if (r > 0) {
			s->state = S_REPLY;
			slot_watch(E, s, EPOLL_CTL_MOD, EPOLLIN);
		}
		return;
	}
	if (s->state == S_REPLY)
		slot_read(E, s);
}

/* ---- the loop ---- */

static int
may_start(struct engine *E)
{
	if (E->closing)
		return 0;
	if ((E->l->stop && *E->l->stop) ||
	    (E->l->limit > 0 && E->now - E->start >= E->l->limit)) {
		E->closing = 1;
		/* -d ends by time on purpose; -n ending so is short of it */
		if (E->l->total && E->r->started < E->l->total)
			E->r->time_limited = 1;
		return 0;
	}
	if (E->l->total && E->r->started >= E->l->total) {
		E->closing = 1;
		return 0;
	}
	return 1;
}

/* Fill every free slot (a failed start frees its slot again). */
static void
refill(struct engine *E)
{
	int i;

	for (i = 0; i < E->l->conc; i++)
		while (E->slots[i].state == S_FREE && may_start(E))
			slot_start(E, &E->slots[i]);
}

static void
expire(struct engine *E)
{
	int i;

	for (i = 0; i < E->l->conc; i++)
		if (E->slots[i].state != S_FREE &&
		    E->now - E->slots[i].t0 > E->l->timeout)
			slot_fail(E, &E->slots[i], BE_TIMEOUT, 0);
}

static void
progress(struct engine *E, int last)
{
	const struct bench_tally *y = E->l->tally;
	long long ok = y ? atomic_load(&y->ok) : E->r->ok;
	long long failed = y ? atomic_load(&y->failed) : E->r->failed;
	double t = E->now - E->start;

	if (last) {
		fputs("\r\033[K", stderr);
		return;
	}
	fprintf(stderr, "\r\033[K%lld", ok + failed);
	if (E->l->total)
		fprintf(stderr, "/%lld", y ? E->l->all : E->l->total);
	fprintf(stderr, " connections, %.0f conn/s, %lld failed, %.1f s",
	        t > 0 ? (double)ok / t : 0, failed, t);
}

static void
loop(struct engine *E)
{
	struct epoll_event ev[512];
	double next_tick = E->start + 0.1, next_draw = E->start + 0.25;
	int n, i;

	refill(E);
	while (E->inflight > 0) {
		n = epoll_wait(E->ep, ev, (int)LEN(ev), 100);
		E->now = now_mono();
		for (i = 0; i < n; i++) {
			struct slot *s = ev[i].data.ptr;

			slot_event(E, s);
			while (s->state == S_FREE && may_start(E))
				slot_start(E, s);
		}
		if (n == 0 || E->now >= next_tick) {
			next_tick = E->now + 0.1;
			expire(E);
			refill(E);
		}
		if (E->l->progress && E->now >= next_draw) {
			next_draw = E->now + 0.25;
			progress(E, 0);
		}
	}
	if (E->l->progress)
		progress(E, 1);
}

int
bench_run(const struct bench_load *l, struct bench_result *r)
{
	struct engine E = {.l = l, .r = r};
	int i;

	memset(r, 0, sizeof(*r));
	E.ep = epoll_create1(EPOLL_CLOEXEC);
	if (E.ep < 0)
		return -1;
	E.slots = xcalloc((size_t)l->conc, sizeof(*E.slots));
	for (i = 0; i < l->conc; i++)
		E.slots[i].fd = -1;
	E.start = E.now = E.last_end = now_mono();
	loop(&E);
	r->seconds = E.last_end - E.start;
	r->t_start = E.start;
	r->t_end = E.last_end;
	r->threads = 1;
	free(E.slots);
	close(E.ep);
	return 0;
}

/* ---- several loops at once (--threads) ---- */

/*
 * Why threads in a load generator: one loop runs on one CPU. When the
 * server needs less CPU per connection than the client does, a single
 * loop is the bottleneck, and the measurement says how fast the client
 * is, not the server. One loop per CPU lets the client keep up; each
 * loop shares nothing with the others but two counters for the
 * progress line, so the threads never wait for each other.
 */
struct worker {
	pthread_t t;
	struct bench_load l;
	struct bench_result r;
	int rc, err;
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;

	w->rc = bench_run(&w->l, &w->r);
	w->err = errno;
	return NULL;
}

/* Share of part i of n in total (the first ones take the remainder). */
static long long
share(long long total, int n, int i)
{
	return total / n + (i < total % n);
}

/* Add w's result into r; the run spans the earliest start to last end. */
static void
merge(struct bench_result *r, const struct bench_result *w, int first)
{
	int k;

	r->started += w->started;
	r->ok += w->ok;
	r->failed += w->failed;
	for (k = 0; k < BE_NKINDS; k++)
		r->err[k] += w->err[k];
	for (k = 0; k < BENCH_HBUCKETS; k++)
		r->hist[k] += w->hist[k];
	if (w->max_us > r->max_us)
		r->max_us = w->max_us;
	r->time_limited |= w->time_limited;
	if (!r->other_errno)
		r->other_errno = w->other_errno;
	if (!r->wrong_len) {
		memcpy(r->wrong, w->wrong, sizeof(r->wrong));
		r->wrong_len = w->wrong_len;
	}
	if (first || w->t_start < r->t_start)
		r->t_start = w->t_start;
	if (first || w->t_end > r->t_end)
		r->t_end = w->t_end;
	r->seconds = r->t_end - r->t_start;
}

static int
join_all(struct worker *w, int n, struct bench_result *r)
{
	int i, rc = 0, err = 0;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < n; i++) {
		pthread_join(w[i].t, NULL);
		if (w[i].rc < 0) {
			rc = -1;
			err = w[i].err;
		}
		merge(r, &w[i].r, i == 0);
	}
	errno = err;
	return rc;
}

int
bench_run_threads(const struct bench_load *l, int nthreads,
                  struct bench_result *r)
{
	struct bench_tally tally = {0};
	struct worker *w;
	int i, n = nthreads, rc, err;

	if (n > l->conc)
		n = l->conc;
	if (l->total > 0 && n > l->total)
		n = (int)l->total;
	if (n <= 1)
		return bench_run(l, r);
	w = xcalloc((size_t)n, sizeof(*w));
	for (i = 0; i < n; i++) {
		w[i].l = *l;
		w[i].l.conc = (int)share(l->conc, n, i);
		w[i].l.total = l->total ? share(l->total, n, i) : 0;
		w[i].l.all = l->total;
		w[i].l.progress = l->progress && i == 0;
		w[i].l.tally = &tally;
		if ((err = pthread_create(&w[i].t, NULL, worker_main, &w[i]))) {
			/* the ones started finish their (bounded) part */
			join_all(w, i, r);
			free(w);
			errno = err;
			return -1;
		}
	}
	rc = join_all(w, n, r);
	r->threads = n;
	free(w);
	return rc;
}
