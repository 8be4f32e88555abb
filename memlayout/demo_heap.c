/*
 * demo_heap.c: what malloc does with the address space.
 *
 * Small blocks come from the heap, one region that grows up: malloc asks
 * the kernel to move the "program break" (brk/sbrk) when it needs more.
 * Big blocks (above the mmap threshold, 128 KiB by default) get a new
 * anonymous mapping of their own, so that free() can give them straight
 * back: mmap of the block plus malloc's 16-byte header, rounded up to
 * whole pages. The kernel may merge that new mapping with a neighbour of
 * the same permissions, so maps can show a larger range: the block's own
 * boundaries are in the mmap system call (strace -e trace=mmap) or in the
 * growth of the process's anonymous memory, which this demo measures.
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

/* Bytes of anonymous mappings (no file, no [label]) in our map. */
static unsigned long
anon_bytes(void)
{
	struct proc_handle h;
	struct maps m;
	unsigned long sum = 0;
	size_t i;

	if (proc_open(&h, 0) < 0)
		return 0;
	if (maps_read(&h, &m) == 0) {
		for (i = 0; i < m.n; i++)
			if (m.v[i].path_len == 0)
				sum += m.v[i].end - m.v[i].start;
		maps_free(&m);
	}
	proc_close(&h);
	return sum;
}

static int
large_block(int normal)
{
	unsigned long anon0 = anon_bytes(), grew, want;
	char *brk0 = sbrk(0), *big = xmalloc(1 << 20), *brk1 = sbrk(0);
	long page = sysconf(_SC_PAGESIZE);
	int status = 0;

	grew = anon_bytes() - anon0;
	/* the block and malloc's header (2 words), rounded up to pages */
	want = ((1UL << 20) + 2 * sizeof(size_t) + (unsigned long)page - 1) /
	       (unsigned long)page * (unsigned long)page;
	printf("\nmalloc(1 MiB) = %p; break moved %+ld bytes\n", (void *)big,
	       (long)(brk1 - brk0));
	printf("anonymous memory grew by %lu bytes: a new mapping of 1 MiB "
	       "plus one page\n  (malloc's 16-byte header, rounded up to "
	       "pages)\n",
	       grew);
	demo_where("the 1 MiB block", big);
	printf("  (the kernel may merge the new mapping with a neighbour of "
	       "the same\n  permissions, so that line can be larger; "
	       "strace -e trace=mmap shows\n  the block's own mmap)\n");
	if (normal && in_heap(big))
		status = demo_unexpected("the big block is in [heap]");
	if (normal && grew != want)
		status = demo_unexpected("anonymous memory grew by %lu bytes, "
		                         "not %lu",
		                         grew, want);
	free(big);
	return status;
}

/* free() keeps the block for the next malloc of the same size. */
static int
reuse(int normal)
{
	void *a = xmalloc(48), *b;
	unsigned long addr_a = (unsigned long)a, addr_b;

	free(a);
	b = xmalloc(48);
	/* compare numbers taken before free: a freed pointer's value is
	 * indeterminate in C, and gcc -O0 rejects using it */
	addr_b = (unsigned long)b;
	printf("\nmalloc(48) = %#lx, free, malloc(48) again = %#lx:\n%s\n",
	       addr_a, addr_b,
	       addr_a == addr_b ? "the same block, reused"
	                        : "a different block");
	free(b);
	if (!normal)
		printf("(this malloc keeps freed blocks in "
		       "quarantine to catch use-after-free)\n");
	if (normal && addr_a != addr_b)
		return demo_unexpected("the freed block was not reused");
	return 0;
}

static int
zero(void)
{
	/* malloc(0) on purpose: what it gives back is the lesson */
	void *z = malloc(0), *z2 = malloc(0); // NOLINT(*UnixAPI)

	printf("\nmalloc(0) = %p, again = %p: %s,\nusable size %zu bytes\n", z,
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
	           "block in a new\n        anonymous mapping (1 MiB + 4 KiB); "
	           "a freed block handed out again");
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
