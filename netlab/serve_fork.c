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
 * The accept loop is server_loop (server.c), shared with the thread and
 * pool models; this model's part is dispatch() below: fork a child.
 *
 * The counters live in memory shared with the children (mmap MAP_SHARED,
 * made before the first fork), so that a child frees its slot of
 * --max-clients the moment its reply is out, not when the parent gets
 * round to reaping it: a client that has its reply must never be the
 * reason the next one gets BUSY.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netlab.h"
#include "util.h"

static struct server *fork_server; /* for the SIGCHLD handler */
static pid_t fork_parent;          /* for a child: did its parent die? */

/* Added to a child's exit status: it has counted its outcome itself. */
#define CHILD_LEFT 0x40

/*
 * Why reap in a loop: signals do not queue. Three children that exit
 * together may raise one SIGCHLD, so one waitpid per signal would leave
 * two zombies. Loop until there is nobody left to reap. Only
 * async-signal-safe work here: waitpid and lock-free atomics.
 * A child that died before its reply (a crash, a kill) did not free its
 * slot: the parent does it. (One killed in the second it lingers after
 * its reply is counted twice: the slot count then errs by one, low.)
 */
static void
on_sigchld(int sig)
{
	int saved = errno, st;

	(void)sig;
	while (waitpid(-1, &st, WNOHANG) > 0) {
		if (!WIFEXITED(st) || !(WEXITSTATUS(st) & CHILD_LEFT))
			server_leave(fork_server, OUT_ERROR);
		server_closed(fork_server);
	}
	errno = saved;
}

/* The counters, moved to memory the children share; 0 or -1 (errno). */
static int
share_counts(struct server *s)
{
	struct server_counts *n = mmap(NULL, sizeof(*n), PROT_READ | PROT_WRITE,
	                               MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (n == MAP_FAILED)
		return -1;
	memcpy(n, s->n, sizeof(*n)); /* lock-free atomics: plain bytes */
	s->n = n;
	return 0;
}

static void
reap_init(struct server *s)
{
	struct sigaction sa;

	fork_server = s;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sigemptyset(&sa.sa_mask);
	/*
	 * A child's exit can interrupt the parent anywhere. SA_RESTART
	 * resumes a slow call such as write(2) of a log line to a full
	 * pipe, instead of failing it with EINTR. The ppoll in which the
	 * loop waits is never restarted, flag or not (signal(7)): it
	 * returns EINTR, server_wait() returns 0 and the loop waits again;
	 * accept4 on the non-blocking listener never sleeps, so it is not
	 * interrupted. SA_NOCLDSTOP: a stopped child is not an exit.
	 */
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
	_exit(CHILD_LEFT | (int)proto_serve(s, fd));
}

static void
dispatch(void *arg, int fd)
{
	struct server *s = arg;
	pid_t pid;

	if (server_enter(s, fd) < 0)
		return; /* over --max-clients: it got BUSY */
	pid = fork();
	if (pid == 0)
		child(s, fd, fork_parent);
	if (pid < 0) {
		server_no_worker(s, fd, "cannot fork", errno);
		return;
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
	if (share_counts(s) < 0) {
		warn("cannot share the counters with the children:");
		return 1;
	}
	fork_parent = getpid();
	reap_init(s);
	/* accept, and dispatch each connection, until SIGINT/SIGTERM */
	return server_loop(s, dispatch, s);
}
