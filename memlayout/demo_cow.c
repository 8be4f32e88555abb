/*
 * demo_cow.c: fork and copy-on-write.
 *
 * After fork the child has the same virtual addresses as the parent, and
 * at first the same physical pages too, marked read-only. The first
 * write by either side faults and the kernel gives the writer its own
 * copy of that one page. So the same address holds different values in
 * the two processes. Pages nobody writes (the code) stay shared: in
 * smaps their proportional size (Pss) is below their resident size (Rss).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memlayout.h"
#include "util.h"

/*
 * Alone on its own page (aligned and page-sized), so that no other write
 * (a GOT update by lazy binding, a stdio buffer) lands on it.
 */
static struct {
	volatile int value;
	char fill[4096 - sizeof(int)];
} cow_page __attribute__((aligned(4096))) = {1, {0}};

struct report {
	unsigned long addr;
	int value;
};

static void
child(int to_parent, int from_parent)
{
	struct report r;
	char c;

	/* The whole struct goes down the pipe, padding too: zero it all
	 * rather than send uninitialised stack bytes (valgrind found it). */
	memset(&r, 0, sizeof(r));
	cow_page.value = 2; /* this write copies the page, for us only */
	r.addr = (unsigned long)&cow_page.value;
	r.value = cow_page.value;
	printf("child  (pid %ld): wrote 2; address %#lx holds %d\n",
	       (long)getpid(), r.addr, r.value);
	if (write(to_parent, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(1);
	/* Stay alive while the parent reads its smaps: code still shared. */
	while (read(from_parent, &c, 1) < 0)
		;
	_exit(0);
}

/* Rss and Pss of the mapping that holds our code, from smaps. */
static int
code_sharing(long long *rss, long long *pss)
{
	struct maps m;
	long i;
	int dfd = maps_open_pid(0), r = -1;

	if (dfd < 0)
		return -1;
	if (maps_read(dfd, &m) == 0 && maps_read_smaps(dfd, &m) == 0) {
		i = maps_find(&m, (unsigned long)(uintptr_t)&demo_cow);
		if (i >= 0) {
			*rss = m.v[i].rss_kb;
			*pss = m.v[i].pss_kb;
			r = 0;
		}
	}
	maps_free(&m);
	close(dfd);
	return r;
}

static int
parent(pid_t pid, int from_child, int to_child)
{
	struct report r;
	long long rss = -1, pss = -1;
	int st, status = 0;
	ssize_t n;

	do
		n = read(from_child, &r, sizeof(r));
	while (n < 0);
	if (n != (ssize_t)sizeof(r))
		status = demo_unexpected("no report from the child");
	printf("parent (pid %ld): address %#lx holds %d\n", (long)getpid(),
	       (unsigned long)&cow_page.value, cow_page.value);
	if (code_sharing(&rss, &pss) == 0)
		printf("our code mapping: Rss %lld KiB, Pss %lld KiB: %s\n",
		       rss, pss,
		       pss < rss ? "Pss < Rss, the pages are shared"
		                 : "not shared?");
	close(to_child); /* lets the child exit */
	waitpid(pid, &st, 0);
	if (status)
		return status;
	printf("\nsame address: %s\nvalues differ: %s\ncode shared: %s\n",
	       r.addr == (unsigned long)&cow_page.value ? "yes" : "no",
	       r.value != cow_page.value ? "yes" : "no",
	       pss >= 0 && pss < rss ? "yes" : "no");
	if (r.addr != (unsigned long)&cow_page.value ||
	    r.value == cow_page.value)
		return demo_unexpected("no copy-on-write seen");
	if (!(pss >= 0 && pss < rss))
		return demo_unexpected("code pages not shared (Pss >= Rss)");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return demo_unexpected("the child failed");
	return 0;
}

int
demo_cow(int argc, char **argv)
{
	int up[2], down[2];
	int status;
	pid_t pid;

	(void)argc;
	(void)argv;
	demo_title("cow: fork, then the child writes a global",
	           "the same virtual address in both processes, holding 2 in "
	           "the child and\n        still 1 in the parent; code pages "
	           "shared (Pss < Rss)");
	printf("before fork: address %p holds %d\n", (void *)&cow_page.value,
	       cow_page.value);
	if (pipe(up) < 0 || pipe(down) < 0) {
		warn("cannot create a pipe:");
		return 1;
	}
	fflush(stdout); /* or the child would print our buffer again */
	if ((pid = fork()) < 0) {
		warn("cannot fork:");
		return 1;
	}
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		child(up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	status = parent(pid, up[0], down[1]);
	close(up[0]);
	return status;
}
