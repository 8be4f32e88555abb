/*
 * demo_stack.c: where local variables live, call by call.
 *
 * Each call gets a new frame below its caller's, because on x86-64 (and
 * nearly everywhere) the stack grows toward lower addresses. The frame
 * holds the return address, saved registers and the locals.
 */
#include <stdio.h>

#include "memlayout.h"

#define DEPTH 6

static unsigned long frame_addr[DEPTH];

/*
 * noinline: at -O2 the compiler would fold the calls into one frame.
 * volatile: the local must really live in memory so that it has an
 * address in this frame.
 */
static NOINLINE int
dive(int level)
{
	volatile char local[32];

	local[0] = (char)level;
	frame_addr[level] = (unsigned long)&local[0];
	if (level + 1 < DEPTH)
		return dive(level + 1) + local[0];
	return local[0];
}

int
demo_stack(int argc, char **argv)
{
	struct maps_entry e;
	char path[4096];
	long diff;
	int i, down = 1;

	(void)argc;
	(void)argv;
	demo_title("stack: frames through nested calls",
	           "each deeper call's local at a LOWER address (the stack "
	           "grows down);\n        shown too: the mapping and the bytes "
	           "per frame");
	dive(0);
	printf("%-8s %-18s %s\n", "call", "address of local",
	       "bytes below "
	       "the caller's");
	for (i = 0; i < DEPTH; i++) {
		if (i == 0) { /* its caller's local was not measured */
			printf("dive(0)  0x%-16lx -\n", frame_addr[0]);
			continue;
		}
		diff = (long)(frame_addr[i - 1] - frame_addr[i]);
		printf("dive(%d)  0x%-16lx %ld\n", i, frame_addr[i], diff);
		if (i && frame_addr[i] >= frame_addr[i - 1])
			down = 0;
	}
	printf("\n");
	if (demo_find((void *)frame_addr[0], &e, path, sizeof(path)) == 0)
		printf("mapping: %lx-%lx %s %s\n", e.start, e.end, e.perms,
		       e.path_len ? e.path : "(anonymous)");
	printf("grows: %s\n", down ? "down" : "up");
	printf("bytes per frame: %ld\n",
	       (long)(frame_addr[0] - frame_addr[DEPTH - 1]) / (DEPTH - 1));
	if (!down)
		return demo_unexpected("the stack did not grow down");
	return 0;
}
