/*
 * race.c: "netlab race": the lost update, measured.
 *
 * T threads each add 1 to one shared counter N times. Without protection
 * "counter++" is three steps (load, add, store); two threads that load
 * the same value both store value+1 and one increment is lost. A mutex
 * makes the three steps one critical section; an atomic fetch-and-add
 * makes them one indivisible instruction. Both are always exact; the
 * table shows what each costs.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlab.h"
#include "util.h"

/* ThreadSanitizer would (rightly) report the unprotected mode's race. */
#if defined(__SANITIZE_THREAD__)
#define TSAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TSAN_BUILD 1
#endif
#endif
#ifndef TSAN_BUILD
#define TSAN_BUILD 0
#endif

enum mode { M_NONE, M_MUTEX, M_ATOMIC };
static const char *const mode_names[] = {"none", "mutex", "atomic"};

struct race {
	enum mode mode;
	long iterations;
	pthread_barrier_t start; /* all threads begin together */
	volatile long plain;     /* volatile: a real load and store each time */
	pthread_mutex_t lock;
	atomic_long atomic;
};

/* noinline: keep the loop a loop, as written, under -O2 */
__attribute__((noinline)) static void
add_none(struct race *r)
{
	for (long i = 0; i < r->iterations; i++)
		r->plain++; /* load, add, store: another thread can cut in */
}

__attribute__((noinline)) static void
add_mutex(struct race *r)
{
	for (long i = 0; i < r->iterations; i++) {
		pthread_mutex_lock(&r->lock);
		r->plain++; /* only one thread at a time runs this line */
		pthread_mutex_unlock(&r->lock);
	}
}

__attribute__((noinline)) static void
add_atomic(struct race *r)
{
	for (long i = 0; i < r->iterations; i++)
		atomic_fetch_add_explicit(&r->atomic, 1, memory_order_relaxed);
}

static void *
worker(void *arg)
{
	struct race *r = arg;

	pthread_barrier_wait(&r->start);
	if (r->mode == M_NONE)
		add_none(r);
	else if (r->mode == M_MUTEX)
		add_mutex(r);
	else
		add_atomic(r);
	return NULL;
}

/* Run one mode; returns the final count, *secs the time it took. */
static long
run_mode(enum mode m, int threads, long iterations, double *secs)
{
	struct race r = {.mode = m, .iterations = iterations};
	pthread_t *t = xcalloc((size_t)threads, sizeof(*t));
	double t0;
	long got;
	int i;

	pthread_mutex_init(&r.lock, NULL);
	atomic_init(&r.atomic, 0);
	pthread_barrier_init(&r.start, NULL, (unsigned)threads);
	t0 = now_mono();
	for (i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, worker, &r))
			die("cannot start thread %d", i);
	for (i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	*secs = now_mono() - t0;
	got = m == M_ATOMIC ? atomic_load(&r.atomic) : r.plain;
	pthread_barrier_destroy(&r.start);
	pthread_mutex_destroy(&r.lock);
	free(t);
	return got;
}

static const struct usage race_usage = {
    "netlab race [-t THREADS] [-n ITERATIONS] [--mode none|mutex|atomic|all]",
    "  -t, --threads N      threads (default 4)\n"
    "  -n, --iterations N   increments per thread (default 1000000)\n"
    "      --mode MODE      none, mutex, atomic or all (default all)\n"
    "  -h, --help           show this help\n"
    "  -V, --version        show the version\n",
    "netlab race"};

/* Print one row; returns 1 if a protected mode was not exact. */
static int
row(enum mode m, int threads, long n)
{
	long want = (long)threads * n, got;
	double secs;

	if (m == M_NONE && TSAN_BUILD) {
		printf("%-7s skipped: a ThreadSanitizer build would report "
		       "its data race (that is the point of it)\n",
		       mode_names[m]);
		return 0;
	}
	got = run_mode(m, threads, n, &secs);
	printf("%-7s %12ld %12ld %12ld %9.3f s\n", mode_names[m], want, got,
	       want - got, secs);
	fflush(stdout);
	return m != M_NONE && got != want;
}

int
cmd_race(int argc, char **argv)
{
	static const struct option lo[] = {
	    {"threads", required_argument, NULL, 't'},
	    {"iterations", required_argument, NULL, 'n'},
	    {"mode", required_argument, NULL, 'M'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0}};
	int threads = 4, c, bad = 0, first = 0, last = 2, i;
	long long n = 1000000;
	const char *mode = "all";

	optind = 1;
	while ((c = getopt_long(argc, argv, "t:n:hV", lo, NULL)) != -1) {
		switch (c) {
		case 't':
			threads =
			    opt_int(&race_usage, "--threads", optarg, 1, 1024);
			break;
		case 'n':
			n = opt_ll(&race_usage, "--iterations", optarg, 1,
			           1000000000LL);
			break;
		case 'M':
			mode = optarg;
			break;
		default: /* -h, -V or a bad option */
			opt_other(&race_usage, c);
		}
	}
	if (optind < argc) {
		warn("unexpected argument '%s'", argv[optind]);
		opt_usage(&race_usage, 2);
	}
	if (strcmp(mode, "all") != 0) {
		for (first = 0; first < 3; first++)
			if (strcmp(mode, mode_names[first]) == 0)
				break;
		if (first == 3) {
			warn("unknown mode '%s' (none, mutex, atomic or all)",
			     mode);
			opt_usage(&race_usage, 2);
		}
		last = first;
	}
	if (first == M_NONE && last == M_NONE && TSAN_BUILD) {
		warn("mode 'none' is disabled in a ThreadSanitizer build: its "
		     "data race is deliberate and TSan would report it");
		return 1;
	}
	printf("%d threads x %lld increments of one shared counter\n", threads,
	       n);
	printf("%-7s %12s %12s %12s %11s\n", "mode", "expected", "got", "lost",
	       "time");
	for (i = first; i <= last; i++)
		bad |= row((enum mode)i, threads, (long)n);
	return bad;
}
