/*
 * serve_fork.c: one child process per connection (model "fork").
 *
 * The classic Unix server: the parent only accepts and forks; the child
 * serves the one client and exits. A crash in a child cannot hurt the
 * others (isolation), at the price of a whole process per client.
 *
 *   parent: accept -> fork -> close(conn) -> accept ...
 *   child:  close(listener) -> read line -> "ACK\n" -> _exit(outcome)
 *
 * The child's exit status is its outcome (enum outcome), so the parent
 * can count served/errors/timeouts without any shared memory.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netlab.h"
#include "util.h"

static struct server *fork_server; /* for the SIGCHLD handler */

/*
 * Why reap in a loop: signals do not queue. Three children that exit
 * together may raise one SIGCHLD, so one waitpid per signal would leave
 * two zombies. Loop until there is nobody left to reap. Only
 * async-signal-safe work here: waitpid and lock-free atomics.
 */
static void
on_sigchld(int sig)
{
	int saved = errno, st;
	enum outcome r;

	(void)sig;
	while (waitpid(-1, &st, WNOHANG) > 0) {
		r = OUT_ERROR;
		if (WIFEXITED(st) && WEXITSTATUS(st) <= OUT_BUSY)
			r = (enum outcome)WEXITSTATUS(st);
		server_leave(fork_server, r);
	}
	errno = saved;
}

static void
reap_init(struct server *s)
{
	struct sigaction sa;

	fork_server = s;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sigemptyset(&sa.sa_mask);
	/* SA_RESTART: accept() is resumed, not failed, by a child's exit */
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
}

/* In the child: serve the one connection, exit with its outcome. */
static void
child(struct server *s, int fd, pid_t parent)
{
	/* If the parent dies (or ends its drain) the child goes with it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(OUT_ERROR);
	/*
	 * Why close the listener: the child does not accept; a copy of the
	 * listening socket here would keep the port open after the parent
	 * exits and hold a descriptor for nothing.
	 */
	close(s->lfd);
	if (s->spare >= 0)
		close(s->spare);
	/* _exit: no atexit handlers, no stdio buffers copied from parent */
	_exit((int)proto_serve(s, fd));
}

static void
dispatch(struct server *s, int fd, pid_t self)
{
	pid_t pid;

	if (server_enter(s) < 0) {
		server_reject(s, fd, "over --max-clients");
		return;
	}
	pid = fork();
	if (pid == 0)
		child(s, fd, self);
	if (pid < 0) {
		warn("cannot fork:");
		server_leave(s, OUT_ERROR);
	}
	/*
	 * Why close in the parent: the child has its own copy. Keeping ours
	 * would leak one descriptor per client and the connection would not
	 * end (no FIN) when the child closes its copy.
	 */
	close(fd);
}

int
serve_fork(struct server *s)
{
	pid_t self = getpid();
	int fd;

	reap_init(s);
	while (!srv_stop) {
		if (!server_wait(s, -1))
			continue;
		while (!srv_stop && (fd = server_accept(s, 0)) >= 0)
			dispatch(s, fd, self);
	}
	return server_drain(s, server_active);
}
