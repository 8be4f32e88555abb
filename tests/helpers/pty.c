/*
 * pty.c: run a command on a pseudo-terminal and write the exact bytes
 * the terminal received to stdout, for tests/cli/escape_pty.sh.
 *
 *   pty [-w COLUMNS] [-l LINES] [-t SECONDS] [-s TEXT=KEYS]... -- CMD [ARG...]
 *
 * -s TEXT=KEYS (in order, up to 16): once TEXT has appeared in what the
 * terminal received since the step before, type KEYS (\e is ESC, \r
 * Enter, \xHH any byte). KEYS "@WxH" resizes the terminal to W columns
 * and H lines (the kernel sends SIGWINCH), "@TERM" sends SIGTERM to the
 * command. A test waits on what the screen shows, never on a clock.
 *
 * The command's stdin, stdout and stderr are the terminal (so it sees a
 * terminal of COLUMNS columns, default 80, as a user would give it). The
 * bytes are those after the terminal's line discipline (a "\n" arrives
 * as "\r\n", as on a real terminal). After SECONDS (default 20) the
 * command is killed by its PID: a hang makes the test fail, never hang.
 * Exit status: the command's, 128 + N if signal N ended it, 124 if it
 * timed out, 2 on bad usage or a failing system call.
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static void
child(int slave, char **argv)
{
	setsid(); /* a new session, so that the pty can become its tty */
	if (ioctl(slave, TIOCSCTTY, 0) < 0 || dup2(slave, 0) < 0 ||
	    dup2(slave, 1) < 0 || dup2(slave, 2) < 0)
		_exit(127);
	if (slave > 2)
		close(slave);
	execvp(argv[0], argv);
	_exit(127);
}

struct step {
	const char *text, *keys;
};
static struct step steps[16];
static int nsteps, at;   /* steps given; the next one to fire */
static char seen[65536]; /* output since the last step fired */
static size_t nseen;
static pid_t child_pid;

/* KEYS with \e, \r, \n, \xHH decoded into out; returns the length */
static size_t
decode(const char *k, char *out, size_t cap)
{
	size_t n = 0;
	unsigned int hi, lo;

	while (*k && n < cap) {
		if (k[0] != '\\' || !k[1]) {
			out[n++] = *k++;
			continue;
		}
		k++;
		if (*k == 'e')
			out[n++] = 27;
		else if (*k == 'r')
			out[n++] = '\r';
		else if (*k == 'n')
			out[n++] = '\n';
		else if (*k == 'x' && sscanf(k + 1, "%1x%1x", &hi, &lo) == 2) {
			out[n++] = (char)(hi * 16 + lo);
			k += 2;
		} else
			out[n++] = *k;
		k++;
	}
	return n;
}

/* Fire step at: type its keys, resize, or send SIGTERM */
static void
fire(int master, const char *keys)
{
	struct winsize ws = {0, 0, 0, 0};
	unsigned short w, h;
	char buf[256];
	size_t n;

	if (!strcmp(keys, "@TERM")) {
		kill(child_pid, SIGTERM); /* ours, by its PID */
		return;
	}
	if (sscanf(keys, "@%hux%hu", &w, &h) == 2) {
		ws.ws_col = w;
		ws.ws_row = h;
		ioctl(master, TIOCSWINSZ, &ws);
		return;
	}
	n = decode(keys, buf, sizeof(buf));
	if (write(master, buf, n) < 0)
		warn("cannot type on the terminal:");
}

/* New output: remember it, and fire the steps whose text it shows */
static void
steps_see(int master, const char *buf, size_t n)
{
	if (n > sizeof(seen) - nseen) { /* keep the newest bytes */
		size_t drop =
		    n > sizeof(seen) ? nseen : n - (sizeof(seen) - nseen);

		memmove(seen, seen + drop, nseen - drop);
		nseen -= drop;
		if (n > sizeof(seen)) {
			buf += n - sizeof(seen);
			n = sizeof(seen);
		}
	}
	memcpy(seen + nseen, buf, n);
	nseen += n;
	while (at < nsteps &&
	       memmem(seen, nseen, steps[at].text, strlen(steps[at].text))) {
		nseen = 0;
		fire(master, steps[at++].keys);
	}
}

/* Copy the terminal's bytes to stdout until the command is done with
 * it (EIO) or the deadline; returns 0, or -1 on timeout. */
static int
copy_out(int master, double deadline)
{
	char buf[4096];
	struct pollfd p = {master, POLLIN, 0};
	ssize_t n;

	for (;;) {
		double left = deadline - now_mono();
		int r;

		if (left <= 0)
			return -1;
		r = poll(&p, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue; /* the deadline is checked above */
		n = read(master, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0; /* EIO: every copy of the slave is closed */
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			return 0;
		steps_see(master, buf, (size_t)n);
	}
}

int
main(int argc, char **argv)
{
	struct winsize ws = {24, 80, 0, 0};
	int master, slave, opt, cols = 80, rows = 24, secs = 20, st, timed_out;
	pid_t pid;

	set_progname(argv[0]);
	while ((opt = getopt(argc, argv, "w:l:t:s:")) != -1) {
		char *eq = optarg ? strchr(optarg, '=') : NULL;

		if (opt == 'w' && parse_int(optarg, 1, 1000, &cols) == 0)
			continue;
		if (opt == 'l' && parse_int(optarg, 2, 1000, &rows) == 0)
			continue;
		if (opt == 's' && eq && eq > optarg && nsteps < 16) {
			*eq = '\0';
			steps[nsteps].text = optarg;
			steps[nsteps++].keys = eq + 1;
			continue;
		}
		if (opt == 't' && parse_int(optarg, 1, 3600, &secs) == 0)
			continue;
		fprintf(stderr, "usage: pty [-w COLUMNS] [-l LINES] "
		                "[-t SECONDS] [-s TEXT=KEYS]... -- CMD "
		                "[ARG...]\n");
		return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "pty: no command\n");
		return 2;
	}
	ws.ws_col = (unsigned short)cols;
	ws.ws_row = (unsigned short)rows;
	if (openpty(&master, &slave, NULL, NULL, &ws) < 0) {
		warn("cannot open a pseudo-terminal:");
		return 2;
	}
	fflush(stdout);
	if ((pid = fork()) < 0) {
		warn("cannot fork:");
		return 2;
	}
	if (pid == 0) {
		close(master);
		child(slave, argv + optind);
	}
	close(slave);
	child_pid = pid;
	timed_out = copy_out(master, now_mono() + secs) < 0;
	if (timed_out)
		kill(pid, SIGKILL); /* ours, by its PID */
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 2;
	close(master);
	fflush(stdout);
	if (timed_out)
		return 124;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
