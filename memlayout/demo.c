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

#include "esc.h"
#include "memlayout.h"
#include "opt.h"
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
    {"cow", demo_cow, 0, "fork: one frame shared until the first write"},
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

/* usage errors say "Try 'memlayout --help'", which lists the demos */
const struct usage demo_usage_u = {"memlayout demo NAME [ARG]", NULL, NULL,
                                   demo_usage};

int
cmd_demo(int argc, char **argv)
{
	size_t i;

	/* Unbuffered order with a forked child: flush before every fork. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 1)
		return opt_error(&demo_usage_u, "demo needs a NAME");
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
		if (argc - 1 > demos[i].maxargs)
			return opt_error(&demo_usage_u,
			                 "demo %s: unexpected argument '%s'",
			                 argv[0], argv[1 + demos[i].maxargs]);
		return demos[i].run(argc, argv);
	}
	return opt_error(&demo_usage_u, "unknown demo '%s'", argv[0]);
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
	struct proc_handle h;
	int r = -1;

	if (proc_open(&h, 0) < 0)
		return -1;
	if (maps_read(&h, &m) == 0) {
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
	proc_close(&h);
	return r;
}

void
demo_where(const char *name, const void *addr)
{
	struct maps_entry e;
	char path[4096], where[64];
	int n, width = out_width(0);
	size_t room, del, pw;

	n = printf("  %-17s %p", name, addr);
	if (demo_find(addr, &e, path, sizeof(path)) < 0) {
		puts(" in no mapping");
		return;
	}
	snprintf(where, sizeof(where), "in %lx-%lx %s ", e.start, e.end,
	         e.perms);
	del = e.deleted ? 10 : 0;
	pw = e.path_len ? esc_width(e.path, e.path_len) : 11;
	/* too wide for the terminal: the mapping on a line of its own */
	if (width && (size_t)n + 1 + strlen(where) + pw + del > (size_t)width) {
		printf("\n   ");
		n = 3;
	}
	putchar(' ');
	n++;
	fputs(where, stdout);
	n += (int)strlen(where);
	room = width > n + (int)del + 16 ? (size_t)width - n - del : 16;
	/* a path from maps: any bytes; its left end cut to fit the width */
	if (e.path_len)
		put_left(e.path, e.path_len, width ? room : 0, 0, stdout);
	else
		fputs("(anonymous)", stdout);
	puts(e.deleted ? " (deleted)" : "");
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
