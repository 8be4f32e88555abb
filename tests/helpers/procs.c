/*
 * procs.c: processes that try to confuse a process lister, for
 * tests/cli/hostile_procview.sh.
 *
 *   procs names NAME...   one child per NAME renames itself (prctl
 *                         PR_SET_NAME: any bytes, 15 at most) and waits;
 *                         prints "PID" per child, then "ready" once every
 *                         child sleeps in pause() (state S)
 *   procs zombies N       N children exit at once and are never reaped;
 *                         prints "PID" per zombie, then "ready" once
 *                         every one is a zombie (state Z)
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
#include <time.h>
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

/* the state letter of /proc/PID/stat: after the last ')', since the
 * name before it may hold any bytes, ") Z 1 (" among them */
static char
state_of(pid_t p)
{
	char path[64], buf[512], *rp;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)p);
	if (!(f = fopen(path, "r")))
		return '?';
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' ? rp[2] : '?';
}

/* Wait until every child is in STATE. A child forked a moment ago may
 * not have run yet (state R, its old name): on a busy machine, listing
 * it then would show what the test did not make. At most 30 s. */
static void
settle(const pid_t *pids, int n, char state)
{
	struct timespec tick = {0, 5000000L};
	double end = now_mono() + 30;
	int i = 0;

	while (i < n) {
		if (state_of(pids[i]) == state) {
			i++;
			continue;
		}
		if (now_mono() > end)
			die("child %d not in state %c after 30 s", (int)pids[i],
			    state);
		nanosleep(&tick, NULL);
	}
}

static int
names(int argc, char **argv)
{
	pid_t *pids = xcalloc((size_t)argc, sizeof(*pids));
	int i;

	for (i = 0; i < argc; i++) {
		unescape(argv[i]);
		pids[i] = child();
		if (pids[i] == 0) {
			prctl(PR_SET_NAME, argv[i]);
			for (;;)
				pause();
		}
		printf("%d\n", (int)pids[i]);
	}
	settle(pids, argc, 'S');
	free(pids);
	return 0;
}

static int
zombies(int n)
{
	pid_t *pids = xcalloc((size_t)n, sizeof(*pids));
	int i;

	for (i = 0; i < n; i++) {
		pids[i] = child();
		if (pids[i] == 0)
			_exit(0);
		printf("%d\n", (int)pids[i]);
	}
	settle(pids, n, 'Z');
	free(pids);
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
