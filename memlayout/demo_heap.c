/*
 * demo_heap.c: what malloc does with the address space.
 *
 * Small blocks come from the heap, one region that grows up: malloc asks
 * the kernel to move the "program break" (brk/sbrk) when it needs more.
 * Big blocks (above the mmap threshold, 128 KiB by default) get their own
 * anonymous mapping, so that free() can give them straight back.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memlayout.h"
#include "util.h"

#define NSMALL 2000
#define SMALL 100

static int
in_heap(const void *p)
{
	struct maps_entry e;
	char path[4096];

	return demo_find(p, &e, path, sizeof(path)) == 0 &&
	       strcmp(path, "[heap]") == 0;
}

/* Many small blocks: the break has to move up to make room. */
static int
small_blocks(int normal)
{
	static char *blk[NSMALL];
	char *brk0 = sbrk(0), *brk1;
	int i, status = 0;

	for (i = 0; i < NSMALL; i++)
		blk[i] = xmalloc(SMALL);
	brk1 = sbrk(0);
	printf("program break before: %p\n", (void *)brk0);
	printf("%d x malloc(%d):   first %p, last %p\n", NSMALL, SMALL,
	       (void *)blk[0], (void *)blk[NSMALL - 1]);
	printf("program break after:  %p (moved %+ld bytes)\n", (void *)brk1,
	       (long)(brk1 - brk0));
	demo_where("first small block", blk[0]);
	if (normal && brk1 <= brk0)
		status = demo_unexpected("the break did not move up");
	if (normal && (!in_heap(blk[0]) || !in_heap(blk[NSMALL - 1])))
		status = demo_unexpected("small blocks are not in [heap]");
	for (i = 0; i < NSMALL; i++)
		free(blk[i]);
	return status;
}

static int
large_block(int normal)
{
	char *brk0 = sbrk(0), *big = xmalloc(1 << 20), *brk1 = sbrk(0);
	int status = 0;

	printf("\nmalloc(1 MiB) = %p; break moved %+ld bytes\n", (void *)big,
	       (long)(brk1 - brk0));
	demo_where("the 1 MiB block", big);
	if (normal && in_heap(big))
		status = demo_unexpected("the big block is in [heap]");
	free(big);
	return status;
}

/* free() keeps the block for the next malloc of the same size. */
static int
reuse(int normal)
{
	void *a = xmalloc(48), *b;
	unsigned long addr_a = (unsigned long)a;

	free(a);
	b = xmalloc(48);
	printf("\nmalloc(48) = %#lx, free, malloc(48) again = %p: %s\n", addr_a,
	       b,
	       addr_a == (unsigned long)b ? "the same block, reused"
	                                  : "a different block");
	free(b);
	if (!normal)
		printf("(this malloc keeps freed blocks in "
		       "quarantine to catch use-after-free)\n");
	if (normal && addr_a != (unsigned long)b)
		return demo_unexpected("the freed block was not reused");
	return 0;
}

static int
zero(void)
{
	/* malloc(0) on purpose: what it gives back is the lesson */
	void *z = malloc(0), *z2 = malloc(0); // NOLINT(*UnixAPI)

	printf("\nmalloc(0) = %p, again = %p: %s, usable size %zu bytes\n", z,
	       z2, z && z2 && z != z2 ? "two distinct blocks" : "NULL",
	       z ? malloc_usable_size(z) : 0);
	free(z);
	free(z2);
	return 0;
}

int
demo_heap(int argc, char **argv)
{
	const char *who = foreign_malloc();
	int normal = who == NULL, status = 0;

	(void)argc;
	(void)argv;
	demo_title("heap: malloc, the program break and mmap",
	           "small blocks in [heap] with the break moving up; a 1 MiB "
	           "block in its\n        own anonymous mapping; a freed "
	           "block handed out again");
	if (!normal)
		printf("note: %s: its own malloc does not use the break;\n"
		       "      the claims are shown, not checked\n\n",
		       who);
	status |= small_blocks(normal);
	status |= large_block(normal);
	status |= reuse(normal);
	status |= zero();
	return status;
}
