/* out.c: standard output that can never fail in silence (see util.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "util.h"

/*
 * Documented global: the first errno of a failed out_write(), 0 if none.
 * sig_atomic_t because out_write may run in a signal handler.
 */
static volatile sig_atomic_t write_errno;

int
out_std_reserve(void)
{
	int fd, got;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* the "wrong" direction: a read of 1 or a write of 0 fails
		 * with EBADF, exactly as on the closed descriptor */
		got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
		if (got < 0)
			return -1;
		if (got != fd) { /* cannot happen: open takes the lowest */
			if (dup2(got, fd) < 0) {
				close(got);
				return -1;
			}
			close(got);
		}
	}
	return 0;
}

int
out_write(const char *buf, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(1, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			if (!write_errno)
				write_errno = errno;
			return -1;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

int
out_flush(void)
{
	int failed = ferror(stdout);

	if (fflush(stdout) != 0)
		return -1; /* errno: why these last bytes did not go */
	if (write_errno) {
		errno = write_errno;
		return -1;
	}
	if (!failed)
		return 0;
	/*
	 * An earlier flush failed and stdio dropped those bytes with their
	 * errno, so nothing is left to flush. Why a probe byte: the output
	 * is already incomplete, and a second write is the only way to
	 * learn the reason (closed, disk full, reader gone).
	 */
	if (write(1, "\n", 1) < 0)
		return -1;
	errno = EIO;
	return -1;
}

int
finish_output(int status)
{
	if (out_flush() < 0) {
		warn("cannot write output:");
		return 1;
	}
	return status;
}
