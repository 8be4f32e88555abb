/*
 * demo_threads.c: what threads share and what they do not.
 *
 * Threads of one process share the code, the globals and the heap: one
 * address space. Each thread has its own stack: pthread_create mmaps one
 * (8 MiB by default, RLIMIT_STACK) with a guard page below it that has
 * no access, so running off the end faults at once instead of trampling
 * the next thread's stack (unless one frame is bigger than the guard and
 * jumps past it: -fstack-clash-protection probes such frames). But that stack
 * is in the same address space as everything else: any thread that has a
 * pointer to another thread's local can read and write it. Stacks are private
 * by convention (nobody hands out such pointers), not by protection; the demo
 * shows it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memlayout.h"
#include "util.h"

#define NTHREADS 3

static int shared_global; /* one copy, seen by every thread */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t all_here, may_leave;

struct worker {
	int id;
	int *shared_heap; /* one heap block, written by every thread */
	unsigned long local_addr;
	size_t guard;
	volatile int *local;       /* this thread's local, for its peer */
	const struct worker *peer; /* the thread whose local we read */
	int peer_value;            /* read through peer->local */
};

static void *
work(void *arg)
{
	struct worker *w = arg;
	volatile int local = 100 + w->id;
	pthread_attr_t attr;

	w->local_addr = (unsigned long)&local;
	w->local = &local;
	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		pthread_attr_getguardsize(&attr, &w->guard);
		pthread_attr_destroy(&attr);
	}
	w->shared_heap[w->id] = w->id * 10;
	pthread_mutex_lock(&lock);
	shared_global++; /* the mutex: all threads write the same int */
	pthread_mutex_unlock(&lock);
	/* Wait until main has looked at the maps: the stack must exist. */
	pthread_barrier_wait(&all_here);
	/* Every local exists now (its thread waits below): read the peer's
	 * through a plain pointer. Nothing stops it: one address space. */
	w->peer_value = *w->peer->local;
	pthread_barrier_wait(&may_leave);
	return NULL;
}

/* Describe thread w's stack mapping and the one just below it. */
static int
show_stack(const struct maps *m, const struct worker *w, long *idx)
{
	long i = maps_find(m, w->local_addr);
	const struct maps_entry *e, *g;

	*idx = i;
	if (i < 0)
		return demo_unexpected("thread %d's local is in no mapping",
		                       w->id);
	e = &m->v[i];
	/* 80 columns: the size on a line of its own; a path from maps is
	 * text we did not write, so it goes through the escaper */
	printf("thread %d: local at %#lx in %lx-%lx %s ", w->id, w->local_addr,
	       e->start, e->end, e->perms);
	put_left(e->path_len ? e->path : "(anonymous)",
	         e->path_len ? e->path_len : 11, 24, 0, stdout);
	printf("\n          stack: %lu KiB\n", (e->end - e->start) / 1024);
	g = i > 0 ? &m->v[i - 1] : NULL;
	if (g && g->end == e->start && strncmp(g->perms, "---", 3) == 0)
		printf("          guard below: %lx-%lx %s (%lu KiB, no "
		       "access)\n",
		       g->start, g->end, g->perms, (g->end - g->start) / 1024);
	else if (w->guard > 0)
		return demo_unexpected("no guard page below thread %d's "
		                       "stack",
		                       w->id);
	return 0;
}

static int
inspect(struct worker *w, const volatile int *main_local)
{
	struct maps m;
	long idx[NTHREADS], mi;
	struct proc_handle h;
	int i, j, status = 0;

	if (proc_open(&h, 0) < 0 || maps_read(&h, &m) < 0) {
		warn("cannot read '/proc/self/maps':");
		proc_close(&h);
		return 1;
	}
	proc_close(&h);
	mi = maps_find(&m, (unsigned long)main_local);
	printf("main:     local at %p in ", (void *)main_local);
	put_left(mi >= 0 ? m.v[mi].path : "?", mi >= 0 ? m.v[mi].path_len : 1,
	         48, 0, stdout); /* escaped, cut from the left */
	putchar('\n');
	for (i = 0; i < NTHREADS; i++)
		status |= show_stack(&m, &w[i], &idx[i]);
	maps_free(&m);
	for (i = 0; i < NTHREADS; i++) {
		if (idx[i] == mi)
			return demo_unexpected("thread %d's stack is main's "
			                       "[stack]",
			                       i);
		for (j = 0; j < i; j++)
			if (idx[i] == idx[j])
				return demo_unexpected("threads %d and %d: "
				                       "one stack",
				                       j, i);
	}
	if (status)
		return status;
	/* (every check above passed: the count below is what was seen) */
	printf("stacks: %d threads, %d different mappings, none is "
	       "[stack]\n",
	       NTHREADS, NTHREADS);
	return 0;
}

/* Each thread read the next one's local (100 + its id) by pointer. */
static int
peek(const struct worker *w)
{
	int i, status = 0;

	printf("\nstacks are private by convention only: each thread read "
	       "the next one's\nlocal through a pointer\n");
	for (i = 0; i < NTHREADS; i++) {
		printf("thread %d read thread %d's local at %p: %d\n", w[i].id,
		       w[i].peer->id, (void *)w[i].peer->local,
		       w[i].peer_value);
		if (w[i].peer_value != 100 + w[i].peer->id)
			status = demo_unexpected("thread %d read %d", w[i].id,
			                         w[i].peer_value);
	}
	return status;
}

int
demo_threads(int argc, char **argv)
{
	struct worker w[NTHREADS];
	pthread_t th[NTHREADS];
	volatile int main_local = 0;
	int *heap = xcalloc(NTHREADS, sizeof(int)), i, r, status;

	(void)argc;
	(void)argv;
	demo_title("threads: one stack each, one heap for all",
	           "each thread's local in its own anonymous mapping with\n"
	           "        a guard page below; the heap block and the global "
	           "written\n        by all threads are shared, and so is "
	           "each stack: a thread\n        reads another's local by "
	           "pointer");
	pthread_barrier_init(&all_here, NULL, NTHREADS + 1);
	pthread_barrier_init(&may_leave, NULL, NTHREADS + 1);
	for (i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){i, heap, 0, 0, NULL, NULL, 0};
		w[i].peer = &w[(i + 1) % NTHREADS];
		if ((r = pthread_create(&th[i], NULL, work, &w[i])) != 0) {
			errno = r;
			die("cannot create a thread:");
		}
	}
	pthread_barrier_wait(&all_here);
	status = inspect(w, &main_local);
	pthread_barrier_wait(&may_leave);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	printf("\nheap block %p, written by the threads: ", (void *)heap);
	for (i = 0; i < NTHREADS; i++)
		printf("%d ", heap[i]);
	printf("(shared)\nshared_global incremented once per thread: %d "
	       "(shared)\n",
	       shared_global);
	status |= peek(w);
	if (shared_global != NTHREADS ||
	    heap[NTHREADS - 1] != (NTHREADS - 1) * 10)
		status = demo_unexpected("the threads did not share memory");
	pthread_barrier_destroy(&all_here);
	pthread_barrier_destroy(&may_leave);
	free(heap);
	return status;
}
