/* test_proc.c: reading /proc (lib/proc.c), hostile input included. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../tap.h"
#include "proc.h"
#include "tty.h"
#include "uid.h"

static void
parse_stat(void)
{
	struct proc_stat st;
	/* a name chosen to fool a parser that stops at the first ')' */
	const char *evil = "4242 (a) Z 1 (b) S 77 4242 4242 34816 4242 "
	                   "4194560 10 0 0 0 15 7 0 0 20 -5 3 0 123456 "
	                   "8192000 300 18446744073709551615 1 1 0 0 0 0 0 "
	                   "0 0 0 0 0 17 1 0 0 0 0 0";

	CHECK_INT(proc_parse_stat(evil, &st), 0);
	CHECK_INT(st.pid, 4242);
	CHECK_STR(st.comm, "a) Z 1 (b");
	CHECK_INT(st.state, 'S');
	CHECK_INT(st.ppid, 77);
	CHECK_INT(st.pgrp, 4242);
	CHECK_INT(st.tty_nr, 34816);
	CHECK_INT(st.utime, 15);
	CHECK_INT(st.stime, 7);
	CHECK_INT(st.priority, 20);
	CHECK_INT(st.nice, -5);
	CHECK_INT(st.num_threads, 3);
	CHECK_INT(st.starttime, 123456);
	CHECK_INT(st.vsize, 8192000);
	CHECK_INT(st.rss, 300);
	CHECK_INT(st.processor, 1);
	CHECK(!(st.flags & PROC_PF_KTHREAD));

	CHECK_INT(proc_parse_stat("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 "
	                          "0 0 0 0 20 0 1 0 5 0 0 18446744073709551615 "
	                          "0 0 0 0 0 0 0 2147483647 0 0 0 0 17 0 0 0",
	                          &st),
	          0);
	CHECK(st.flags & PROC_PF_KTHREAD);
	CHECK_INT(st.tpgid, -1);

	/* names with ')' and spaces at the end and an empty name */
	CHECK_INT(proc_parse_stat("7 () ) R 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 "
	                          "1 0 5 0 0",
	                          &st),
	          0);
	CHECK_STR(st.comm, ") ");
	CHECK_INT(st.state, 'R');
	CHECK_INT(proc_parse_stat("8 () R 1 8 8 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 "
	                          "0 5 0 0",
	                          &st),
	          0);
	CHECK_STR(st.comm, "");

	errno = 0;
	CHECK_INT(proc_parse_stat("", &st), -1);
	CHECK_INT(errno, EINVAL);
	CHECK_INT(proc_parse_stat("12 (x", &st), -1);
	CHECK_INT(proc_parse_stat("12 x) S 1", &st), -1);
	CHECK_INT(proc_parse_stat("12 (x) S 1 2", &st), -1); /* cut short */
	CHECK_INT(proc_parse_stat("(x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 "
	                          "16 17 18 19 20 21 22",
	                          &st),
	          -1);
}

static void
parse_status(void)
{
	struct proc_status ps;

	CHECK_INT(proc_parse_status("Name:\tx\nUid:\t1000\t1001\t1002\t1003\n"
	                            "Gid:\t5\t6\t7\t8\nVmLck:\t     4 kB\n"
	                            "VmRSS:\t  1234 kB\nThreads:\t7\n",
	                            &ps),
	          0);
	CHECK(ps.have_uid);
	CHECK_INT(ps.ruid, 1000);
	CHECK_INT(ps.euid, 1001);
	CHECK_INT(ps.suid, 1002);
	CHECK_INT(ps.fsuid, 1003);
	CHECK_INT(ps.egid, 6);
	CHECK_INT(ps.vmlck_kb, 4);
	CHECK_INT(ps.vmrss_kb, 1234);
	CHECK_INT(ps.threads, 7);
	CHECK_INT(proc_parse_status("Name:\tkworker\n", &ps), 0);
	CHECK(!ps.have_uid);
	CHECK_INT(ps.vmlck_kb, 0);
}

static void
tty_names(void)
{
	char b[32];

	CHECK_STR(proc_tty_name(0, b, sizeof(b)), "?");
	CHECK_STR(proc_tty_name(136 << 8 | 3, b, sizeof(b)), "pts/3");
	/* pts/300: minor 300 = 256 + 44 -> major 137, minor 44 */
	CHECK_STR(proc_tty_name(137 << 8 | 44, b, sizeof(b)), "pts/300");
	CHECK_STR(proc_tty_name(4 << 8 | 1, b, sizeof(b)), "tty1");
	CHECK_STR(proc_tty_name(4 << 8 | 64, b, sizeof(b)), "ttyS0");
	CHECK_STR(proc_tty_name(5 << 8 | 1, b, sizeof(b)), "console");
	/* a large minor uses the high bits of the 32-bit encoding */
	CHECK_STR(proc_tty_name(136 << 8 | (1 << 20) | 5, b, sizeof(b)),
	          "pts/261");
}

static void
self(void)
{
	struct proc_handle h;
	struct proc_stat st;
	struct proc_status ps;
	char *cmd;
	int cut;
	int *v;
	ssize_t n, i;
	int found = 0;

	CHECK_INT(proc_open(&h, (int)getpid()), 0);
	CHECK_INT(proc_read_stat(&h, &st), 0);
	CHECK_INT(st.pid, getpid());
	CHECK_INT(st.ppid, getppid());
	CHECK_INT(proc_read_status(&h, &ps), 0);
	CHECK_INT(ps.euid, geteuid());
	CHECK(proc_read_alloc(&h, "cmdline", 1 << 20, PROC_ONE_READ, &cmd,
	                      &cut) > 0);
	CHECK(cmd && strstr(cmd, "test_proc") != NULL);
	CHECK_INT(cut, 0);
	free(cmd);
	/* a limit smaller than the file cuts it and says so */
	CHECK_INT(proc_read_alloc(&h, "cmdline", 4, PROC_ONE_READ, &cmd, &cut),
	          4);
	CHECK_INT(cut, 1);
	free(cmd);
	{
		char small[8];

		errno = 0;
		CHECK_INT(proc_read(&h, "status", small, sizeof(small)), -1);
		CHECK_INT(errno, EFBIG);
	}
	proc_close(&h);
	proc_close(&h); /* twice is harmless */

	/* pid 0 opens the calling process */
	CHECK_INT(proc_open(&h, 0), 0);
	CHECK_INT(proc_read_stat(&h, &st), 0);
	CHECK_INT(st.pid, getpid());
	proc_close(&h);

	n = proc_list_pids(&v);
	CHECK(n > 0);
	for (i = 0; i < n; i++)
		found |= v[i] == (int)getpid();
	CHECK(found);
	for (i = 1; i < n; i++)
		if (v[i - 1] >= v[i])
			found = 0;
	CHECK(found); /* sorted */
	free(v);

	CHECK(proc_boot_time() > 1000000000LL);
	CHECK(proc_uptime() > 0);
	CHECK(proc_mem_total_kb() > 0);
	CHECK(proc_pid_max() > 300);
}

/* A vanished process reads as ENOENT (not there) or ESRCH (gone while
 * held open); a recycled PID can never feed an old handle. */
static void
vanish(void)
{
	struct proc_handle h;
	struct proc_stat st;
	pid_t child;
	int status;

	errno = 0;
	CHECK_INT(proc_open(&h, 0x7ffffff0), -1);
	CHECK_INT(errno, ENOENT);

	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	CHECK(child > 0);
	CHECK_INT(proc_open(&h, (int)child), 0);
	CHECK_INT(proc_read_stat(&h, &st), 0);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	/* the task is reaped: the held directory answers ESRCH, and so it
	 * would even after the PID were given to a new process */
	errno = 0;
	CHECK_INT(proc_read_stat(&h, &st), -1);
	CHECK(errno == ESRCH || errno == ENOENT);
	proc_close(&h);
}

static void
uid_names(void)
{
	struct uid_cache c = {0};
	const char *a, *b;

	a = uid_cache_name(&c, 0);
	CHECK_STR(a, "root");
	b = uid_cache_name(&c, 0);
	CHECK(a == b);
	CHECK_INT(c.lookups, 1); /* one lookup per uid, not per call */
	/* an id with no user: NULL, errno 0, and also cached */
	CHECK(uid_cache_name(&c, 3999999999u) == NULL);
	CHECK_INT(errno, 0);
	CHECK(uid_cache_name(&c, 3999999999u) == NULL);
	CHECK_INT(c.lookups, 2);
	uid_cache_free(&c);
	CHECK_INT(c.n, 0);
}

/* Regression (found by fuzz_stat): a 40-digit negative field was
 * negated past LLONG_MIN, undefined behaviour; it now saturates. */
static void
test_stat_huge_number(void)
{
	struct proc_stat st;
	char buf[512];

	snprintf(buf, sizeof(buf),
	         "3 () R 6 3 2 -%s 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n",
	         "0193900000000000000000000000000000000000000000");
	proc_parse_stat(buf, &st); /* UBSan fails the test if it overflows */
	CHECK(1);
}

/*
 * A file longer than a page that arrives in pieces (as a seq_file in
 * /proc can): a short read past the first page is not the end. A child
 * writes 4200 bytes into a pipe, pauses, writes 300 more and exits.
 */
static void
test_read_alloc_pieces(void)
{
	static char chunk[4200];
	struct timespec pause = {0, 50L * 1000 * 1000};
	int p[2], cut = -1, st = 0;
	char *out = NULL;
	pid_t pid;
	ssize_t n;

	if (pipe(p) < 0 || (pid = fork()) < 0) {
		CHECK(!"pipe or fork failed");
		return;
	}
	if (pid == 0) {
		close(p[0]);
		memset(chunk, 'x', sizeof(chunk));
		if (write(p[1], chunk, sizeof(chunk)) < 0)
			_exit(1);
		nanosleep(&pause, NULL);
		_exit(write(p[1], chunk, 300) == 300 ? 0 : 1);
	}
	close(p[1]);
	n = proc_read_fd_alloc(p[0], 1 << 20, PROC_TO_EOF, &out, &cut);
	CHECK_INT(n, 4500);
	CHECK_INT(cut, 0);
	CHECK(out && strspn(out, "x") == 4500);
	free(out);
	close(p[0]);
	waitpid(pid, &st, 0);
	CHECK_INT(st, 0);
}

int
main(void)
{
	test_read_alloc_pieces();
	test_stat_huge_number();
	parse_stat();
	parse_status();
	tty_names();
	self();
	vanish();
	uid_names();
	return tap_done();
}
