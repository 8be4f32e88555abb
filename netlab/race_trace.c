/*
 * race_trace.c: "netlab race --trace": the lost update, step by step.
 *
 * The real race (race.c) happens too fast to watch. Here a pretend
 * scheduler runs T threads that each do "counter++" N times, one step at
 * a time: every increment is three steps (load the counter into the
 * thread's register, add 1 to the register, store the register back), and
 * before each step the scheduler picks, at random, which thread runs. A
 * store that writes over other threads' stores erases their increments:
 * "lost N" marks where that happens. A store can also write a larger
 * value than the counter holds (a stale store had erased increments
 * this thread had already seen): "back N" marks the increments it
 * brings back. The lost marks minus the back marks are the final loss.
 *
 * The random choices come from a small generator written here (not
 * rand()), so one seed gives the same interleaving on every machine: a
 * student can predict, check with -c, and compare with a classmate.
 */
#include <stdio.h>
#include <string.h>

#include "netlab.h"
#include "util.h"

#define TRACE_MAX_THREADS RACE_TRACE_THREADS
#define COL 15 /* width of one thread's column */

enum step { S_LOAD, S_ADD, S_STORE };

struct tthread {
	long reg;    /* the thread's register */
	long loaded; /* the counter it saw at its last load */
	int done;    /* increments finished */
	enum step next;
};

/* xorshift32 (Marsaglia, 2003): tiny, and the same everywhere. */
static unsigned
next_random(unsigned *state)
{
	unsigned x = *state ? *state : 2463534242u; /* 0 would stay 0 */

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/* A thread that still has steps, chosen at random among those. */
static int
pick(struct tthread *t, int threads, long n, unsigned *rng)
{
	int ready[TRACE_MAX_THREADS], k = 0, i;

	for (i = 0; i < threads; i++)
		if (t[i].done < n)
			ready[k++] = i;
	if (k == 0) /* cannot happen: called only while steps remain */
		return 0;
	return ready[next_random(rng) % (unsigned)k];
}

/* One step of thread i; its text in buf (the stored value left out if
 * hide); returns the increments lost (< 0: brought back). */
static long
run_step(struct tthread *t, int i, long *counter, char *buf, size_t size,
         int hide)
{
	struct tthread *me = &t[i];
	long lost = 0;

	switch (me->next) {
	case S_LOAD:
		me->reg = me->loaded = *counter;
		snprintf(buf, size, "load  r=%ld", me->reg);
		me->next = S_ADD;
		break;
	case S_ADD:
		me->reg++;
		snprintf(buf, size, "add   r=%ld", me->reg);
		me->next = S_STORE;
		break;
	case S_STORE:
		/* c - loaded increments were stored since our load: we write
		 * over them (or, if negative, bring back that many) */
		lost = *counter - me->loaded;
		*counter = me->reg;
		if (hide)
			snprintf(buf, size, "store c=r");
		else
			snprintf(buf, size, "store c=%ld", me->reg);
		me->next = S_LOAD;
		me->done++;
		break;
	}
	return lost;
}

static void
print_row(int step, long counter, int threads, int who, const char *what,
          long lost, int hide)
{
	int i;

	if (hide) /* the counter's value would give the answer away */
		printf("%4d     ? |", step);
	else
		printf("%4d %5ld |", step, counter);
	for (i = 0; i < threads; i++)
		printf(" %-*s|", COL - 2, i == who ? what : "");
	if (lost > 0 && !hide) /* our store wrote over someone else's */
		printf("  lost %ld", lost);
	else if (lost < 0 && !hide) /* a larger value over a stale one */
		printf("  back %ld", -lost);
	putchar('\n');
}

int
race_trace(int threads, long n, unsigned seed, int hide, int show)
{
	struct tthread t[TRACE_MAX_THREADS];
	long counter = 0, want = (long)threads * n, lost, marked = 0, back = 0;
	unsigned rng = seed;
	char what[32]; /* "store c=" and a long, with room */
	int step, i, who;

	memset(t, 0, sizeof(t));
	printf("%d threads x %ld increments of counter c (from 0), seed %u\n",
	       threads, n, seed);
	printf("c++ is three steps: load r=c, add r=r+1, store c=r; before "
	       "each step\nthe scheduler picks a thread at random\n\n");
	printf("step     c |");
	for (i = 0; i < threads; i++)
		printf(" thread %-*d|", COL - 9, i);
	putchar('\n');
	for (step = 1; step <= 3 * want; step++) {
		who = pick(t, threads, n, &rng);
		lost = run_step(t, who, &counter, what, sizeof(what),
		                hide && !show);
		print_row(step, counter, threads, who, what, lost,
		          hide && !show);
		if (lost > 0)
			marked += lost;
		else
			back -= lost;
	}
	if (hide && !show) {
		printf("\nfinal c = ?   (expected %ld; work it out from the "
		       "trace, then add -c)\n",
		       want);
		return 0;
	}
	printf("\nfinal c = %ld   (expected %ld, lost %ld)\n", counter, want,
	       want - counter);
	if (back) /* each store adds loaded + 1 - c: the sum telescopes */
		printf("the marks: %ld lost - %ld back = %ld\n", marked, back,
		       marked - back);
	return 0;
}
