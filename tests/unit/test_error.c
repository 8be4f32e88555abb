/* test_error.c: warn/die print "prog: msg" and append strerror after ':'. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tap.h"
#include "util.h"

/* Run fn in a child with stderr on a pipe; return what it wrote. */
static char *
stderr_of(void (*fn)(void), int *status)
{
	static char buf[4096];
	int pfd[2];
	ssize_t n, len = 0;
	pid_t pid;

	*status = -1;
	if (pipe(pfd) < 0)
		return NULL;
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 2);
		close(pfd[0]);
		fn();
		_exit(0);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(pfd[0]);
	waitpid(pid, status, 0);
	return buf;
}

static void
do_warn(void)
{
	warn("plain %d", 7);
}

static void
do_warn_errno(void)
{
	errno = ENOENT;
	warn("cannot open '%s':", "/x");
}

static void
do_die(void)
{
	errno = EACCES;
	die("cannot read:");
}

static void
do_long(void)
{
	char big[3000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	warn("%s", big);
}

int
main(void)
{
	int st;
	char *s;

	set_progname("/usr/bin/sometool");
	CHECK_STR(progname(), "sometool");
	s = stderr_of(do_warn, &st);
	CHECK_STR(s, "sometool: plain 7\n");
	s = stderr_of(do_warn_errno, &st);
	CHECK_STR(s, "sometool: cannot open '/x': No such file or directory\n");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	s = stderr_of(do_die, &st);
	CHECK_STR(s, "sometool: cannot read: Permission denied\n");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	s = stderr_of(do_long, &st);
	CHECK(s && strlen(s) > 100 && s[strlen(s) - 1] == '\n');
	errno = EBADF;
	warn("keeps errno");
	CHECK_INT(errno, EBADF);
	return tap_done();
}
