/*
 * procs.c: processes that try to confuse a process lister, for
 * tests/cli/hostile_procview.sh.
 *
 *   procs names NAME...   one child per NAME renames itself (prctl
 *                         PR_SET_NAME: any bytes, 15 at most) and waits;
 *                         prints "PID" per child, then "ready"
 *   procs zombies N       N children exit at once and are never reaped;
 *                         prints "PID" per zombie, then "ready"
 *   procs storm SECONDS MAX
 *                         fork children that exit at once, reaping them,
 *                         for SECONDS or MAX children, whichever first;
 *                         prints "forked N"
 *
 * Every child dies with its parent (PR_SET_PDEATHSIG), and the parent
 * waits (pause) until it is killed, so the test's cleanup by PID ends
 * everything. Arguments understand C escapes \n and \t.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static void
unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 'n') {
			*o++ = '\n';
			s++;
		} else if (s[0] == '\\' && s[1] == 't') {
			*o++ = '\t';
			s++;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* fork a child that dies with us; in the child, return 0 */
static pid_t
child(void)
{
	pid_t parent = getpid(), p = fork();

	if (p < 0)
		die("fork:");
	if (p == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent) /* the parent died before prctl */
			_exit(0);
	}
	return p;
}

static int
names(int argc, char **argv)
{
	int i;
	pid_t p;

	for (i = 0; i < argc; i++) {
		unescape(argv[i]);
		p = child();
		if (p == 0) {
			prctl(PR_SET_NAME, argv[i]);
			for (;;)
				pause();
		}
		printf("%d\n", (int)p);
	}
	return 0;
}

static int
zombies(int n)
{
	int i;
	pid_t p;

	for (i = 0; i < n; i++) {
		p = child();
		if (p == 0)
			_exit(0);
		printf("%d\n", (int)p);
	}
	return 0;
}

static int
storm(double secs, int max)
{
	double end = now_mono() + secs;
	int n = 0;
	pid_t p;

	while (n < max && now_mono() < end) {
		p = fork();
		if (p == 0)
			_exit(0);
		if (p > 0)
			n++;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	while (wait(NULL) > 0)
		;
	printf("forked %d\n", n);
	return 0;
}

int
main(int argc, char **argv)
{
	int n = 0;
	double s = 0;

	set_progname("procs");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && strcmp(argv[1], "names") == 0) {
		names(argc - 2, argv + 2);
	} else if (argc == 3 && strcmp(argv[1], "zombies") == 0 &&
	           parse_int(argv[2], 1, 10000, &n) == 0) {
		zombies(n);
	} else if (argc == 4 && strcmp(argv[1], "storm") == 0 &&
	           parse_double(argv[2], 0.01, 600, &s) == 0 &&
	           parse_int(argv[3], 1, 1000000, &n) == 0) {
		return storm(s, n);
	} else {
		fprintf(stderr, "usage: procs names NAME... | zombies N | "
		                "storm SECONDS MAX\n");
		return 2;
	}
	printf("ready\n");
	for (;;)
		pause();
}
