/*
 * demo_leak.c: memory that is allocated and never freed.
 *
 * A leak does not crash anything: the process just grows. Here we
 * allocate blocks in a loop and measure the resident size (VmRSS, the
 * pages really in RAM) and the program break. A real leak loses the
 * pointers; this demo keeps them only so that it can free them at the
 * end and show the memory going back.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memlayout.h"
#include "util.h"

#define NBLOCKS 160
/* below the mmap threshold: from the heap */
#define BLOCK ((size_t)64 * 1024)

/* VmRSS from /proc/self/status, in KiB; -1 if it cannot be read. */
static long
rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void
measure(const char *when, long *rss, char **brk)
{
	*rss = rss_kb();
	*brk = sbrk(0);
	printf("%-28s VmRSS %7ld KiB   program break %p\n", when, *rss,
	       (void *)*brk);
}

int
demo_leak(int argc, char **argv)
{
	static char *blk[NBLOCKS];
	long r0, r1, r2;
	char *b0, *b1, *b2;
	const char *who = foreign_malloc();
	int i, normal = who == NULL, status = 0;

	(void)argc;
	(void)argv;
	demo_title("leak: allocate without freeing",
	           "VmRSS and the program break grow by about the bytes "
	           "allocated (and\n        written); after free they shrink "
	           "back");
	measure("start:", &r0, &b0);
	for (i = 0; i < NBLOCKS; i++) {
		blk[i] = xmalloc(BLOCK);
		/* Touch every page: untouched pages are not resident. */
		memset(blk[i], i, BLOCK);
		if (i == NBLOCKS / 2 - 1)
			measure("after half the blocks:", &r1, &b1);
	}
	measure("after all (10 MiB):", &r1, &b1);
	printf("grew: %ld KiB resident, break moved %ld KiB\n", r1 - r0,
	       (long)(b1 - b0) / 1024);
	for (i = 0; i < NBLOCKS; i++)
		free(blk[i]);
	measure("after free:", &r2, &b2);
	if (!normal)
		printf("(%s: its malloc does not use the break and keeps\n"
		       " freed memory in quarantine)\n",
		       who);
	if (r0 < 0 || r1 - r0 < (long)(NBLOCKS * (BLOCK / 1024)) / 2)
		status = demo_unexpected("VmRSS grew by less than half of "
		                         "what was allocated");
	if (normal && b1 <= b0)
		status = demo_unexpected("the break did not move");
	if (normal && r2 >= r1)
		status = demo_unexpected("free gave nothing back");
	printf("leak measured: %s\n", status ? "no" : "yes");
	return status;
}
