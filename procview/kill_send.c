/*
 * kill_send.c: signal a process that was checked, and no other.
 *
 * Between "procview kill" looking a process up and sending the signal,
 * the process may end and its PID go to a new one. A pidfd refers to one
 * process for good: it is opened first, the process behind it is
 * verified (start time, name), and the signal goes through the pidfd.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "procview.h"
#include "sig.h"
#include "util.h"

/* A failed read of /proc/PID: ENOENT there means the process is gone */
const char *
pv_gone(int e)
{
	return strerror(e == ENOENT ? ESRCH : e);
}

/*
 * 0 if pid is still the process that started at start with name comm,
 * else -1 with the reason in err.
 */
static int
still_same(int pid, unsigned long long start, const char *comm, char *err,
           size_t n)
{
	struct pv_proc p;
	int same;

	if (pv_read_one(&p, pid, 0) < 0) {
		snprintf(err, n, "%s", pv_gone(errno));
		return -1;
	}
	same = p.st.starttime == start && !strcmp(p.st.comm, comm);
	pv_proc_free(&p);
	if (!same)
		snprintf(err, n,
		         "pid %d now belongs to another process (started "
		         "after the check): not signalled",
		         pid);
	return same ? 0 : -1;
}

/*
 * Signal the process that pid, start and comm name, and no other.
 * Order matters: the pidfd is opened FIRST, then the process is
 * verified (start time, name), then the signal goes through the pidfd.
 * If the verified process is the pidfd's, no later process can receive
 * it, whatever the PID becomes. 0, or -1 with the reason in err.
 */
int
pv_verified_send(int pid, unsigned long long start, const char *comm, int sig,
                 const int *value, char *err, size_t n)
{
	static int told;
	int fd, r;

	fd = sig_pidfd_open(pid);
	if (fd < 0 && errno == ENOSYS) {
		if (!told++)
			warn("kill: this kernel has no pidfd (Linux < 5.3): "
			     "signalling by number after a start-time "
			     "check, so a PID reused in between could "
			     "still be hit");
		if (still_same(pid, start, comm, err, n) < 0)
			return -1;
		r = value ? sigqueue(pid, sig, (union sigval){*value})
		          : kill(pid, sig);
	} else if (fd < 0) {
		r = -1;
	} else if (still_same(pid, start, comm, err, n) < 0) {
		close(fd);
		return -1;
	} else {
		r = sig_pidfd_send(fd, sig, value);
		close(fd);
	}
	if (r < 0)
		snprintf(err, n, "%s", strerror(errno));
	return r;
}
