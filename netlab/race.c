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
#include "san.h"
#include "util.h"

enum mode { M_NONE, M_MUTEX, M_ATOMIC };
static const char *const mode_names[] = {"none", "mutex", "atomic"};

struct race {
	enum mode mode;
	long iterations;
	pthread_barrier_t start; /* no thread starts before all exist */
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

	/* Wait until every thread exists, so the loops can overlap. The
	 * last one to arrive runs on at once; the others must first be
	 * woken (a futex wake-up, some microseconds), so a short loop can
	 * end before the next thread starts: -n 1000 rarely loses. */
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
    "netlab race [-t THREADS] [-n ITERATIONS] [--mode none|mutex|atomic|all]\n"
    "       netlab race --trace [-t THREADS] [-n ITERATIONS] [--seed S]"
    " [--hide [-c]]",
    "  -t, --threads N      threads (default 4; --trace: 2, at most 4)\n"
    "  -n, --iterations N   increments per thread (default 1000000;\n"
    "                       --trace: 3, at most 20)\n"
    "      --mode MODE      none, mutex, atomic or all (default all)\n"
    "      --trace          step through the unprotected race: every load,\n"
    "                       add and store as a seeded scheduler runs them\n"
    "      --seed S         --trace: the scheduler's seed (default 1)\n"
    "      --hide           --trace: hide the counter, the stored values,\n"
    "                       the lost updates and the final value: a question\n"
    "  -c, --compute        --trace --hide: show them after all\n"
    "  -h, --help           show this help\n"
    "  -V, --version        show the version\n",
    "netlab race", NULL};

/* ThreadSanitizer would (rightly) report the unprotected mode's race. */
static int
tsan_build(void)
{
	const char *san = san_build();

	return san && strcmp(san, "thread") == 0;
}

/* Print one row; returns 1 if a protected mode was not exact. */
static int
row(enum mode m, int threads, long n)
{
	long want = (long)threads * n, got;
	double secs;

	if (m == M_NONE && tsan_build()) {
		printf("%-7s skipped: a ThreadSanitizer build would report "
		       "its data race (that is the point of it)\n",
		       mode_names[m]);
		return 0;
	}
	got = run_mode(m, threads, n, &secs);
	printf("%-7s %12ld %12ld %12ld %9.3f s\n", mode_names[m], want, got,
	       want - got, secs);
	/* no loss proves nothing: the threads may simply not have overlapped */
	if (m == M_NONE && got == want && threads == 1)
		printf("        nothing lost: one thread has nobody to race "
		       "with.\n");
	else if (m == M_NONE && got == want)
		printf("        nothing lost this time: the threads did not "
		       "overlap while\n        incrementing. The race is still "
		       "there: run again, or raise -n.\n");
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
	    {"trace", no_argument, NULL, 'T'},
	    {"seed", required_argument, NULL, 'S'},
	    {"hide", no_argument, NULL, 'H'},
	    {"compute", no_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0}};
	int threads = -1, c, bad = 0, first = 0, last = 2, i;
	int trace = 0, hide = 0, show = 0, seeded = 0;
	long long n = -1, seed = 1;
	const char *mode = "all";

	opt_begin();
	while ((c = getopt_long(argc, argv, ":t:n:chV", lo, NULL)) != -1) {
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
		case 'T':
			trace = 1;
			break;
		case 'S':
			seed = opt_ll(&race_usage, "--seed", optarg, 0,
			              4294967295LL);
			seeded = 1;
			break;
		case 'H':
			hide = 1;
			break;
		case 'c':
			show = 1;
			break;
		default: /* -h, -V or a bad option */
			opt_other(&race_usage, c, argv);
		}
	}
	if (optind < argc)
		opt_fail(&race_usage, "unexpected argument '%s'", argv[optind]);
	if (!trace && (hide || show || seeded))
		opt_fail(&race_usage, "--seed, --hide and -c go with --trace");
	if (trace && (threads > RACE_TRACE_THREADS || n > RACE_TRACE_STEPS))
		opt_fail(&race_usage,
		         "--trace takes at most %d threads and %d increments",
		         RACE_TRACE_THREADS, RACE_TRACE_STEPS);
	if (trace)
		return race_trace(threads < 0 ? 2 : threads,
		                  n < 0 ? 3 : (long)n, (unsigned)seed, hide,
		                  show);
	threads = threads < 0 ? 4 : threads;
	n = n < 0 ? 1000000 : n;
	if (strcmp(mode, "all") != 0) {
		for (first = 0; first < 3; first++)
			if (strcmp(mode, mode_names[first]) == 0)
				break;
		if (first == 3)
			opt_fail(
			    &race_usage,
			    "unknown mode '%s' (none, mutex, atomic or all)",
			    mode);
		last = first;
	}
	if (first == M_NONE && last == M_NONE && tsan_build()) {
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
