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
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "netlab.h"
#include "util.h"

struct pool {
	struct server *s;
	pthread_mutex_t lock;
	pthread_cond_t ready; /* the queue is not empty, or closing */
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
	}
	pthread_mutex_unlock(&p->lock);
	return fd;
}

/* Queue fd for a worker; the number waiting, or -1 if the queue is full. */
static int
pool_push(struct pool *p, int fd)
{
	int ok = -1;

	pthread_mutex_lock(&p->lock);
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

	while ((fd = pool_pop(p)) >= 0)
		server_leave(p->s, proto_serve(p->s, fd));
	return NULL;
}

static void
dispatch(struct pool *p, int fd)
{
	struct server *s = p->s;
	int waiting;

	if (server_enter(s) < 0) {
		server_reject(s, fd, "over --max-clients");
		return;
	}
	waiting = pool_push(p, fd);
	if (waiting < 0) {
		atomic_fetch_sub(&s->active, 1); /* never started */
		server_reject(s, fd, "queue full");
	} else if (!s->o->quiet) {
		server_log(s, "-", "queued, %d waiting", waiting);
	}
}

static int
pool_start(struct pool *p, struct server *s)
{
	pthread_attr_t attr;
	int i;

	p->s = s;
	p->cap = s->o->queue;
	p->q = xcalloc((size_t)p->cap, sizeof(*p->q));
	p->workers = xcalloc((size_t)s->o->threads, sizeof(*p->workers));
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->ready, NULL);
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
	pthread_mutex_destroy(&p->lock);
}

int
serve_pool(struct server *s)
{
	struct pool *p = &the_pool;
	int fd, rc;

	if (pool_start(p, s) < 0)
		return 1;
	while (!srv_stop) {
		if (!server_wait(s, -1))
			continue;
		while (!srv_stop && (fd = server_accept(s, 0)) >= 0)
			dispatch(p, fd);
	}
	rc = server_drain(s, server_active);
	pool_stop(p, server_active(s) == 0);
	return rc;
}
