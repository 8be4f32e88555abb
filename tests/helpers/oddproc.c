/*
 * oddproc.c: processes a ps must show in an unusual way, for
 * tests/cli/procview_exact.sh. Each prints "ready" once it is in shape,
 * then waits SECONDS (at most) and exits.
 *
 *   oddproc emptyargv SECONDS   re-executes itself with argv {""}: the
 *                               command line is one empty argument
 *   oddproc idle SECONDS        runs under SCHED_IDLE (no nice value)
 *   oddproc nomain SECONDS      starts a thread, then the main thread
 *                               exits: the process lives on in it
 *   oddproc bigvsz SECONDS      maps 2 GiB it never touches: a VSZ of
 *                               7 digits, wider than its column
 *   oddproc wait SECONDS ARG... waits (the ARGs make a long command line)
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"

static unsigned int seconds = 60;

static void
ready_then_wait(void)
{
	printf("ready\n");
	fflush(stdout);
	sleep(seconds);
}

static void *
thread_main(void *arg)
{
	(void)arg;
	ready_then_wait();
	exit(0); /* ends the whole process */
}

/* The empty-argv child: it knows itself by the environment */
static void
empty_argv(void)
{
	char *argv[] = {"", NULL};
	char self[64];

	snprintf(self, sizeof(self), "/proc/%d/exe", (int)getpid());
	execv(self, argv);
	perror("oddproc: exec");
	exit(1);
}

int
main(int argc, char **argv)
{
	const char *env = getenv("ODDPROC_SECONDS");
	pthread_t t;
	int n;

	if (env && argc == 1 && argv[0][0] == '\0') {
		seconds = (unsigned int)atoi(env);
		ready_then_wait();
		return 0;
	}
	if (argc < 3 || parse_int(argv[2], 1, 3600, &n) < 0) {
		fprintf(stderr,
		        "usage: oddproc emptyargv|idle|nomain|bigvsz|wait "
		        "SECONDS\n");
		return 2;
	}
	seconds = (unsigned int)n;
	if (strcmp(argv[1], "wait") == 0) {
		ready_then_wait();
	} else if (strcmp(argv[1], "emptyargv") == 0) {
		setenv("ODDPROC_SECONDS", argv[2], 1);
		empty_argv();
	} else if (strcmp(argv[1], "idle") == 0) {
		struct sched_param sp = {0};

		if (sched_setscheduler(0, SCHED_IDLE, &sp) < 0) {
			perror("oddproc: SCHED_IDLE");
			return 1;
		}
		ready_then_wait();
	} else if (strcmp(argv[1], "bigvsz") == 0) {
		if (mmap(NULL, (size_t)2 << 30, PROT_NONE,
		         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
		         0) == MAP_FAILED) {
			perror("oddproc: mmap");
			return 1;
		}
		ready_then_wait();
	} else if (strcmp(argv[1], "nomain") == 0) {
		if (pthread_create(&t, NULL, thread_main, NULL) != 0)
			return 1;
		pthread_exit(NULL); /* the process lives on in the thread */
	} else {
		fprintf(stderr, "oddproc: unknown mode '%s'\n", argv[1]);
		return 2;
	}
	return 0;
}
