/*
 * demo.c: `memlayout demo NAME`, the table of demos and what they share.
 *
 * Every demo says what it does, what to expect, then what happened. It
 * checks its own claims: exit 0 when they held, 1 (with a message saying
 * which) when something unexpected happened.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memlayout.h"
#include "util.h"

static const struct {
	const char *name;
	int (*run)(int, char **);
	int maxargs; /* operands after NAME: only aslr takes one (N) */
	const char *what;
} demos[] = {
    {"stack", demo_stack, 0, "frame addresses through nested calls"},
    {"heap", demo_heap, 0, "the program break, mmap for big blocks, reuse"},
    {"overflow", demo_overflow, 0,
     "unbounded recursion caught on an alternate signal stack"},
    {"code-write", demo_codewrite, 0,
     "writing to code and to a string literal faults"},
    {"cow", demo_cow, 0, "fork: same address, different values"},
    {"threads", demo_threads, 0, "one stack per thread, shared heap"},
    {"leak", demo_leak, 0, "allocations without free grow the heap"},
    {"aslr", demo_aslr, 1, "which address bits change from run to run [N]"},
};

void
demo_usage(FILE *out)
{
	size_t i;

	fprintf(out, "demos (memlayout demo NAME):\n");
	for (i = 0; i < LEN(demos); i++)
		fprintf(out, "  %-12s %s\n", demos[i].name, demos[i].what);
}

int
cmd_demo(int argc, char **argv)
{
	size_t i;

	/* Unbuffered order with a forked child: flush before every fork. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 1) {
		fprintf(stderr, "%s: demo needs a NAME\n", progname());
		demo_usage(stderr);
		return 2;
	}
	if (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0) {
		demo_usage(stdout);
		return 0;
	}
	/* internal: one run of the aslr demo, re-executed by it */
	if (strcmp(argv[0], "aslr-probe") == 0)
		return demo_aslr_probe(argc, argv);
	for (i = 0; i < LEN(demos); i++) {
		if (strcmp(argv[0], demos[i].name) != 0)
			continue;
		/* a stray word is a typo to point out, not to ignore */
		if (argc - 1 > demos[i].maxargs) {
			fprintf(
			    stderr, "%s: demo %s: unexpected argument '%s'\n",
			    progname(), argv[0], argv[1 + demos[i].maxargs]);
			return 2;
		}
		return demos[i].run(argc, argv);
	}
	fprintf(stderr, "%s: unknown demo '%s'\n", progname(), argv[0]);
	demo_usage(stderr);
	return 2;
}

void
demo_title(const char *title, const char *expect)
{
	printf("== %s\n", title);
	printf("expect: %s\n\n", expect);
}

int
demo_find(const void *addr, struct maps_entry *e, char *pathbuf, size_t n)
{
	struct maps m;
	long i;
	int dfd = maps_open_pid(0), r = -1;

	if (dfd < 0)
		return -1;
	if (maps_read(dfd, &m) == 0) {
		i = maps_find(&m, (unsigned long)addr);
		if (i >= 0) {
			*e = m.v[i];
			strlcpy_(pathbuf, m.v[i].path, n);
			e->path = pathbuf;
			e->path_len = strlen(pathbuf);
			r = 0;
		}
		maps_free(&m);
	}
	close(dfd);
	return r;
}

void
demo_where(const char *name, const void *addr)
{
	struct maps_entry e;
	char path[4096], line[4200];

	if (demo_find(addr, &e, path, sizeof(path)) == 0)
		format_entry(&e, line, sizeof(line));
	else
		strcpy(line, "(in no mapping)");
	printf("  %-22s %p  in %s\n", name, addr, line);
}

int
demo_unexpected(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: unexpected: ", progname());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}
