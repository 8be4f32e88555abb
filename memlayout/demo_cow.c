/*
 * demo_cow.c: fork and copy-on-write, with the kernel's own evidence.
 *
 * After fork the child has the same virtual addresses as the parent and,
 * at first, the same physical pages: the kernel marks the private pages
 * read-only in both. The first write by either side faults, and the
 * kernel gives the writer a copy of that one page. Printing "the same
 * address holds different values" would not prove it: copying every
 * page at fork would print the same. So this demo shows what the kernel
 * tells us about the page itself:
 *   - as root: the physical frame number (PFN) from /proc/self/pagemap
 *     and how many mappings use that frame from /proc/kpagecount;
 *   - always: the child's minor page faults (getrusage) around each
 *     write, and the page's Private_Dirty / Shared_Dirty in smaps.
 *
 * The page is a private anonymous page that the parent has written
 * before fork. A never-written page of .data would be a bad choice:
 * it still is the file's page-cache page, so its first write copies it
 * with or without fork.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memlayout.h"
#include "util.h"

#define PFN_MASK ((1ULL << 55) - 1) /* pagemap bits 0-54 */
#define PAGE_PRESENT (1ULL << 63)
#define SMAPS_MAX ((size_t)1 << 30)

/* What the kernel says about one virtual page. */
struct frame {
	unsigned long long pfn;  /* 0: not present, or hidden from us */
	long long count;         /* mappings of the frame; -1: unknown */
	long long priv_dirty_kb; /* smaps of the page's mapping; -1 */
	long long shared_dirty_kb;
};

struct report {
	struct frame after_fork, after_write, code;
	long long code_shared_clean_kb, code_shared_dirty_kb;
	long fault1, fault2; /* minor faults of the first, second write */
	int value;
};

static long page_size;

/* 8 bytes of file NAME at offset off, or -1 (not readable: not root). */
static int
read_u64(const char *name, unsigned long long off, unsigned long long *v)
{
	int fd = open(name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = pread(fd, v, sizeof(*v), (off_t)off);
	close(fd);
	return n == (ssize_t)sizeof(*v) ? 0 : -1;
}

static char *
next_line(char *p)
{
	char *nl = strchr(p, '\n');

	return nl ? nl + 1 : NULL;
}

/* Field NAME ("Private_Dirty") of the smaps entry holding addr, kB. */
static long long
smaps_kb(unsigned long addr, const char *name)
{
	struct proc_handle h;
	char *buf = NULL, *p;
	unsigned long s, e;
	long long kb = -1;
	size_t nl = strlen(name);
	int cut, in = 0;

	if (proc_open(&h, 0) < 0)
		return -1;
	if (proc_read_alloc(&h, "smaps", SMAPS_MAX, PROC_TO_EOF, &buf, &cut) <
	    0)
		buf = NULL;
	for (p = buf; p && *p && kb < 0; p = next_line(p)) {
		/* "START-END perms ..." opens a mapping's block of fields */
		if (sscanf(p, "%lx-%lx ", &s, &e) == 2)
			in = addr >= s && addr < e;
		else if (in && strncmp(p, name, nl) == 0 && p[nl] == ':')
			kb = strtoll(p + nl + 1, NULL, 10);
	}
	free(buf);
	proc_close(&h);
	return kb;
}

/*
 * The frame behind addr. A page must be mapped in our page tables to
 * have one: read a byte first (after fork a child's file pages are not
 * in its tables until it touches them).
 */
static void
look(const volatile void *addr, struct frame *f)
{
	unsigned long a = (unsigned long)(uintptr_t)addr;
	unsigned long long e = 0, c = 0;

	(void)*(const volatile unsigned char *)addr;
	f->pfn = 0;
	f->count = -1;
	/* Why root: since Linux 4.2 the PFN reads as 0 without
	 * CAP_SYS_ADMIN (frame numbers help attacks like Rowhammer). */
	if (read_u64("/proc/self/pagemap", a / page_size * 8, &e) == 0 &&
	    (e & PAGE_PRESENT))
		f->pfn = e & PFN_MASK;
	if (f->pfn && read_u64("/proc/kpagecount", f->pfn * 8, &c) == 0)
		f->count = (long long)c;
	f->priv_dirty_kb = smaps_kb(a, "Private_Dirty");
	f->shared_dirty_kb = smaps_kb(a, "Shared_Dirty");
}

/*
 * Minor faults of one write. The stack, the code of this function and
 * of getrusage are touched before the first count, so that only the
 * write itself can fault in between.
 */
static long __attribute__((noinline)) write_faults(volatile int *p, int v)
{
	struct rusage a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	getrusage(RUSAGE_SELF, &a);
	*p = v;
	getrusage(RUSAGE_SELF, &b);
	return b.ru_minflt - a.ru_minflt;
}

static void
child(volatile int *page, volatile int *scratch, const void *code, int fd)
{
	struct report r;

	memset(&r, 0, sizeof(r)); /* padding too: it goes down a pipe */
	look(page, &r.after_fork);
	look(code, &r.code);
	r.code_shared_clean_kb =
	    smaps_kb((unsigned long)(uintptr_t)code, "Shared_Clean");
	r.code_shared_dirty_kb =
	    smaps_kb((unsigned long)(uintptr_t)code, "Shared_Dirty");
	write_faults(scratch, 2);         /* warm up: code and stack */
	r.fault1 = write_faults(page, 2); /* the copy */
	r.fault2 = write_faults(page, 3); /* our own page now */
	r.value = *page;
	look(page, &r.after_write);
	if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(1);
	_exit(0);
}

/* Two lines per look: the frame (root only), then smaps. */
static void
show(const char *who, const struct frame *f)
{
	printf("%-20s", who);
	if (f->pfn)
		printf("frame %#llx, used by %lld mapping%s (kpagecount)\n%20s",
		       f->pfn, f->count, f->count == 1 ? "" : "s", "");
	printf("smaps: Private_Dirty %lld kB, Shared_Dirty %lld kB\n",
	       f->priv_dirty_kb, f->shared_dirty_kb);
}

/* The claims, checked on what the kernel reported. */
static int
check(const struct frame *before, const struct frame *after,
      const struct report *r, const struct frame *code)
{
	int status = 0;

	if (r->value != 3 || before->pfn != after->pfn)
		status = demo_unexpected("the parent's page changed");
	if (before->pfn && (r->after_fork.pfn != before->pfn ||
	                    r->after_write.pfn == before->pfn))
		status = demo_unexpected("no copy-on-write seen in the "
		                         "frame numbers");
	if (code->pfn && r->code.pfn != code->pfn)
		status = demo_unexpected("the code page was copied");
	/* valgrind runs the child on its own JIT: its faults are its own */
	if (!foreign_malloc() && (r->fault1 < 1 || r->fault2 != 0))
		status = demo_unexpected("first write %+ld faults, second "
		                         "%+ld",
		                         r->fault1, r->fault2);
	return status;
}

/*
 * Without root the frame numbers read as 0. smaps still says how much of
 * the code mapping the kernel counts as mapped more than once. Both
 * fields count: a program file written a moment ago (just built or
 * copied) is still dirty in the page cache, so its shared code pages
 * show as Shared_Dirty until the kernel writes the file back.
 */
static void
code_shared(const struct report *r)
{
	printf("code mapping in the child: %lld kB mapped more than once "
	       "(smaps\n  Shared_Clean %lld kB + Shared_Dirty %lld kB; the "
	       "frame numbers need root)\n",
	       r->code_shared_clean_kb + r->code_shared_dirty_kb,
	       r->code_shared_clean_kb, r->code_shared_dirty_kb);
}

static int
parent(pid_t pid, int fd, volatile int *page, const void *code,
       const struct frame *before, const struct frame *code_before)
{
	struct report r;
	struct frame after;
	int st;
	ssize_t n;

	do
		n = read(fd, &r, sizeof(r));
	while (n < 0);
	waitpid(pid, &st, 0);
	if (n != (ssize_t)sizeof(r) || !WIFEXITED(st) || WEXITSTATUS(st))
		return demo_unexpected("no report from the child");
	look(page, &after);
	show("child after fork:", &r.after_fork);
	printf("child write 1:      minor faults %+ld (the kernel copies "
	       "the page)\n",
	       r.fault1);
	printf("child write 2:      minor faults %+ld (the copy is its "
	       "own)\n",
	       r.fault2);
	show("child after write:", &r.after_write);
	show("parent after:", &after);
	printf("values:             child's page holds %d, parent's %d\n",
	       r.value, *page);
	if (code_before->pfn)
		printf("code page %p: frame %#llx in the parent, %#llx in "
		       "the child\n",
		       code, code_before->pfn, r.code.pfn);
	else /* weaker: counts, not frames */
		code_shared(&r);
	return check(before, &after, &r, code_before);
}

static const char *
evidence(const struct frame *f)
{
	if (f->pfn && f->count >= 0)
		return "frame numbers (/proc/self/pagemap, /proc/kpagecount), "
		       "minor faults\n          (getrusage) and smaps";
	return "minor faults (getrusage) and smaps; frame numbers need "
	       "root\n          (/proc/self/pagemap shows 0 without "
	       "CAP_SYS_ADMIN)";
}

/* A page of its own: PROT_NONE neighbours keep the kernel from merging
 * it with another mapping, so its smaps entry is this page alone. */
static volatile int *
own_page(void)
{
	char *p = mmap(NULL, 3 * (size_t)page_size, PROT_NONE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p + page_size, (size_t)page_size,
	                                PROT_READ | PROT_WRITE) < 0)
		return NULL;
	return (volatile int *)(void *)(p + page_size);
}

int
demo_cow(int argc, char **argv)
{
	volatile int *page, *scratch;
	const void *code = (const void *)(uintptr_t)&write_faults;
	struct frame before, code_before;
	int up[2], status;
	pid_t pid;

	(void)argc;
	(void)argv;
	demo_title("cow: fork, then the child writes a private page",
	           "after fork parent and child use the same physical frame "
	           "(count 2);\n        the child's first write faults once "
	           "and gets a new frame; the\n        parent's frame stays; "
	           "code pages stay shared");
	page_size = sysconf(_SC_PAGESIZE);
	page = own_page();
	scratch = own_page();
	if (!page || !scratch || pipe(up) < 0) {
		warn("cannot set up the demo:");
		return 1;
	}
	*page = 1;    /* written before fork: a private anonymous page */
	*scratch = 1; /* so is the warm-up page */
	look(page, &before);
	look(code, &code_before);
	printf("evidence: %s\n\n", evidence(&before));
	printf("page %p, written by the parent before fork\n", (void *)page);
	show("parent before fork:", &before);
	fflush(stdout); /* or the child would print our buffer again */
	if ((pid = fork()) < 0) {
		warn("cannot fork:");
		return 1;
	}
	if (pid == 0) {
		close(up[0]);
		child(page, scratch, code, up[1]);
	}
	close(up[1]);
	status = parent(pid, up[0], page, code, &before, &code_before);
	close(up[0]);
	return status;
}
