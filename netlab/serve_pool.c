/*
 * serve_pool.c: a fixed pool of worker threads (model "pool").
 *
 * Creating a thread per client costs a clone() and a fresh stack each
 * time; a pool creates --threads workers once. The main thread accepts
 * and puts each connection in a bounded queue; idle workers take them.
 * When the queue is full the client gets "BUSY" at once: a bounded queue
 * turns overload into a clear answer instead of an ever-growing wait.
 *
 *   main:    accept -> queue full? BUSY : push, signal a worker
 *   worker:  wait for the queue -> pop -> read line, "ACK\n", close
 *
 * The accept loop is server_loop (server.c), shared with the thread and
 * fork models; this model's part is dispatch() below and the workers.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "netlab.h"
#include "util.h"

struct pool {
	struct server *s;
	pthread_mutex_t lock;
	pthread_cond_t ready; /* the queue is not empty, or closing */
	pthread_cond_t space; /* the queue is not full */
	int *q;               /* ring of accepted descriptors */
	int cap, head, n;
	int closing;
	pthread_t *workers;
	int nworkers;
};

/* The pool lives until exit: workers still busy after the drain use it. */
static struct pool the_pool;

/* Take the next descriptor; -1 when the pool is closing and empty. */
static int
pool_pop(struct pool *p)
{
	int fd = -1;

	pthread_mutex_lock(&p->lock);
	while (p->n == 0 && !p->closing)
		pthread_cond_wait(&p->ready, &p->lock);
	if (p->n > 0) {
		fd = p->q[p->head];
		p->head = (p->head + 1) % p->cap;
		p->n--;
		pthread_cond_signal(&p->space);
	}
	pthread_mutex_unlock(&p->lock);
	return fd;
}

/* Absolute CLOCK_MONOTONIC time t (a now_mono() value), for a condvar. */
static struct timespec
mono_at(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec > 999999999L) /* rounding */
		ts.tv_nsec = 999999999L;
	return ts;
}

/*
 * Queue fd for a worker; the number waiting, or -1 if the queue is full
 * and stays full until the now_mono() time until (0: no wait).
 */
static int
pool_push(struct pool *p, int fd, double until)
{
	struct timespec end = mono_at(until);
	int ok = -1;

	pthread_mutex_lock(&p->lock);
	while (p->n >= p->cap && now_mono() < until)
		pthread_cond_timedwait(&p->space, &p->lock, &end);
	if (p->n < p->cap) {
		p->q[(p->head + p->n) % p->cap] = fd;
		p->n++;
		ok = p->n;
		pthread_cond_signal(&p->ready);
	}
	pthread_mutex_unlock(&p->lock);
	return ok;
}

static void *
worker(void *arg)
{
	struct pool *p = arg;
	int fd;

	while ((fd = pool_pop(p)) >= 0) {
		proto_serve(p->s, fd); /* leaves at its reply */
		server_closed(p->s);
	}
	return NULL;
}

/* A new connection: BUSY over the limits, else a place in the queue. */
static void
dispatch(void *arg, int fd)
{
	struct pool *p = arg;
	struct server *s = p->s;
	char peer[NET_ADDRSTRLEN] = "-";
	int waiting;

	if (server_enter(s, fd) < 0)
		return; /* over --max-clients: it got BUSY */
	/* who it is, now: once pushed, the fd is a worker's, which may
	 * close it (and accept may reuse its number) before we log */
	if (!s->o->quiet)
		net_peer(fd, peer, sizeof(peer));
	waiting = pool_push(p, fd, 0);
	/*
	 * At a stop, a connection that came before the signal (it waited in
	 * the listen queue) is one the drain promised to serve: it waits for
	 * room, until the drain ends, instead of getting BUSY at once.
	 */
	if (waiting < 0 && server_stopping())
		waiting = pool_push(p, fd, server_drain_end(s));
	if (waiting < 0) {
		/* entered but never started: leave as BUSY, as it is told */
		server_reject_entered(s, fd, "queue full");
	} else if (!s->o->quiet) {
		server_log(s, peer, "queued, %d waiting", waiting);
	}
}

static int
pool_start(struct pool *p, struct server *s)
{
	pthread_condattr_t ca;
	pthread_attr_t attr;
	int i;

	p->s = s;
	p->cap = s->o->queue;
	p->q = xcalloc((size_t)p->cap, sizeof(*p->q));
	p->workers = xcalloc((size_t)s->o->threads, sizeof(*p->workers));
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->ready, NULL);
	/* pool_push waits until a now_mono() time: the same clock */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->space, &ca);
	pthread_condattr_destroy(&ca);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, proto_stack_size(s->o));
	for (i = 0; i < s->o->threads; i++) {
		if (pthread_create(&p->workers[i], &attr, worker, p)) {
			warn("cannot start worker %d", i);
			break;
		}
		p->nworkers++;
	}
	pthread_attr_destroy(&attr);
	return p->nworkers > 0 ? 0 : -1;
}

/* Workers end once the queue is empty; join them if the drain did. */
static void
pool_stop(struct pool *p, int drained)
{
	int i;

	pthread_mutex_lock(&p->lock);
	p->closing = 1;
	pthread_cond_broadcast(&p->ready);
	pthread_mutex_unlock(&p->lock);
	if (!drained) {
		/*
		 * Some are still serving a client that outlived the drain:
		 * exit without them. Detach every worker so that the ones
		 * that did finish are not left as unjoined threads (the
		 * thread version of a zombie, which TSan reports as a leak).
		 */
		for (i = 0; i < p->nworkers; i++)
			pthread_detach(p->workers[i]);
		return;
	}
	for (i = 0; i < p->nworkers; i++)
		pthread_join(p->workers[i], NULL);
	free(p->workers);
	free(p->q);
	pthread_cond_destroy(&p->ready);
	pthread_cond_destroy(&p->space);
	pthread_mutex_destroy(&p->lock);
}

int
serve_pool(struct server *s)
{
	struct pool *p = &the_pool;
	int rc;

	if (pool_start(p, s) < 0)
		return 1;
	/* accept, and dispatch each connection, until SIGINT/SIGTERM */
	rc = server_loop(s, dispatch, p);
	pool_stop(p, server_active(s) == 0);
	return rc;
}
