/*
 * demo_aslr.c: address space layout randomisation.
 *
 * The kernel places the stack, the mmap area (libraries), the heap and a
 * PIE program at a random offset at every exec, so that an attacker
 * cannot know where anything is. We run ourselves N times and group the
 * regions by the base they move with (two regions that stay the same
 * distance apart in every run were moved by one random choice): on
 * x86-64 there are four, the PIE base, the brk (heap), the stack and the
 * mmap base. Each base is page aligned, so its low 12 bits (the offset
 * inside a 4 KiB page) never change; the stack's start also gets a
 * random offset of up to 8 KiB, so its low bits do. With personality
 * ADDR_NO_RANDOMIZE (what `setarch -R` does) the child gets the same
 * layout every time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memlayout.h"
#include "opt.h"
#include "proc.h"
#include "util.h"

#define NREG 7
#define MAXRUNS 50

static const char *const reg_name[NREG] = {
    "code", "data", "heap", "stack", "mmap", "libc", "vdso",
};

static int probe_data = 1;

/* Start of the first libc mapping, from our own maps. */
static unsigned long
libc_start(void)
{
	struct maps m;
	unsigned long a = 0;
	size_t i;
	struct proc_handle h;

	if (proc_open(&h, 0) == 0 && maps_read(&h, &m) == 0) {
		for (i = 0; i < m.n && !a; i++)
			if (strstr(m.v[i].path, "/libc.so") ||
			    strstr(m.v[i].path, "/libc-"))
				a = m.v[i].start;
		maps_free(&m);
	}
	proc_close(&h);
	return a;
}

/* The child: one line of addresses, one per region. */
int
demo_aslr_probe(int argc, char **argv)
{
	volatile int local = 0;
	void *heap = malloc(16);
	void *map = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)argc;
	(void)argv;
	printf("%lx %lx %lx %lx %lx %lx %lx\n",
	       (unsigned long)(uintptr_t)&demo_aslr_probe,
	       (unsigned long)&probe_data, (unsigned long)heap,
	       (unsigned long)&local,
	       map == MAP_FAILED ? 0UL : (unsigned long)map, libc_start(),
	       getauxval(AT_SYSINFO_EHDR));
	free(heap);
	if (map != MAP_FAILED)
		munmap(map, 4096);
	return 0;
}

/* Run the probe once; norand: with ADDR_NO_RANDOMIZE. 0 or -1. */
static int
run_probe(int norand, unsigned long a[NREG], int *pers_failed)
{
	int fd[2], st;
	char buf[512];
	ssize_t n;
	size_t len = 0;
	pid_t pid;

	if (pipe(fd) < 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		char *argv[] = {"memlayout", "demo", "aslr-probe", NULL};

		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		/* The personality is inherited across exec: the new image
		 * is laid out without randomisation. */
		if (norand && personality(personality(0xffffffff) |
		                          ADDR_NO_RANDOMIZE) < 0)
			_exit(3);
		proc_exec_self(argv);
		_exit(127);
	}
	close(fd[1]);
	while ((n = read(fd[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(fd[0]);
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 3) {
		*pers_failed = 1;
		return -1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 ||
	    sscanf(buf, "%lx %lx %lx %lx %lx %lx %lx", &a[0], &a[1], &a[2],
	           &a[3], &a[4], &a[5], &a[6]) != NREG)
		return -1;
	return 0;
}

/* Columns of the run table: one region of each possible base. */
static const int shown[] = {0, 2, 3, 4}; /* code, heap, stack, mmap */

static void
table(unsigned long a[][NREG], int runs)
{
	size_t c;
	int r;

	printf("%-4s", "run");
	for (c = 0; c < LEN(shown); c++)
		printf("  %14s", reg_name[shown[c]]);
	printf("\n");
	for (r = 0; r < runs; r++) {
		printf("%-4d", r + 1);
		for (c = 0; c < LEN(shown); c++)
			printf("  %14lx", a[r][shown[c]]);
		printf("\n");
	}
}

/* Non-zero if regions j and k kept the same distance in every run:
 * then one random choice moved both (one base). */
static int
same_base(unsigned long a[][NREG], int runs, int j, int k)
{
	int r;

	for (r = 1; r < runs; r++)
		if (a[r][k] - a[r][j] != a[0][k] - a[0][j])
			return 0;
	return 1;
}

/* max - min over the runs of region k, minus region j when j >= 0 */
static unsigned long
spread(unsigned long a[][NREG], int runs, int k, int j)
{
	unsigned long v, lo = ~0UL, hi = 0;
	int r;

	for (r = 0; r < runs; r++) {
		v = a[r][k] - (j >= 0 ? a[r][j] : 0);
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	return hi - lo;
}

/* The smallest n with x < 2^n. */
static int
bits_of(unsigned long x)
{
	int n = 0;

	while (n < 64 && (x >> n) != 0)
		n++;
	return n;
}

static int
read_int(const char *path)
{
	FILE *f = fopen(path, "re");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/*
 * What the kernel chooses for each base, from its own setting where it
 * has one (vm.mmap_rnd_bits) and from its source where it has none
 * (x86-64: arch_randomize_brk, STACK_RND_MASK, arch_align_stack).
 */
static void
kernel_range(int k)
{
	int mb = read_int("/proc/sys/vm/mmap_rnd_bits");

	if (k == 0 || k == 4) {
		if (mb > 0)
			printf("2^%d pages = 2^%d bytes (vm/mmap_rnd_bits "
			       "%d)",
			       mb, mb + 12, mb);
		else
			printf("vm/mmap_rnd_bits pages (not readable: root "
			       "only)");
		return;
	}
#if defined(__x86_64__)
	if (k == 2)
		printf("bss end + up to 1 GiB = 2^30 bytes (brk)");
	else if (k == 3)
		printf("2^22 pages = 2^34 bytes, then 0-8 KiB less");
#else
	printf("(not known to this demo on this architecture)");
#endif
}

/*
 * Group the regions by base and say how far each base moved. The heap
 * is placed after the program's end (which moves with the code) plus
 * its own random offset: its spread is measured from the code.
 */
static int
bases(unsigned long a[][NREG], int runs)
{
	int lead[NREG] = {0}, k, j, n = 0;
	unsigned long s;

	printf("moved together (the same distance apart in every run):\n");
	for (k = 0; k < NREG; k++) {
		for (j = 0;
		     j < k && !(lead[j] == j && same_base(a, runs, j, k)); j++)
			;
		lead[k] = j;
		if (j < k)
			printf("  %-6s with %s\n", reg_name[k], reg_name[j]);
		n += j == k;
	}
	printf("independent random bases: %d\n", n);
	for (k = 0; k < NREG; k++) {
		if (lead[k] != k)
			continue;
		j = k == 2 && lead[2] != lead[0] ? 0 : -1;
		s = spread(a, runs, k, j);
		printf("  %-6s spread %#lx (< 2^%d)%s\n         kernel: ",
		       reg_name[k], s, bits_of(s), j < 0 ? "" : " after code");
		kernel_range(k);
		printf("\n");
	}
	return n;
}

/* The low 12 bits are the offset inside a 4 KiB page. */
static void
low_bits(unsigned long a[][NREG], int runs)
{
	const char *sep = "";
	int r, k;

	printf("low 12 bits changed for: ");
	for (k = 0; k < NREG; k++) {
		for (r = 1; r < runs; r++)
			if ((a[r][k] ^ a[0][k]) & 0xfff)
				break;
		if (r < runs) {
			printf("%s%s", sep, reg_name[k]);
			sep = ", ";
		}
	}
	printf("%s\n", *sep ? "" : "none");
}

/* Regions whose address changed at all between the runs. */
static int
moved(unsigned long a[][NREG], int runs)
{
	int k, n = 0;

	for (k = 0; k < NREG; k++)
		n += spread(a, runs, k, -1) != 0;
	return n;
}

/* N runs of the probe; returns the number of regions that moved. */
static int
series(const char *title, int norand, unsigned long a[][NREG], int runs,
       int *pers_failed)
{
	int r;

	printf("\n%s\n", title);
	for (r = 0; r < runs; r++)
		if (run_probe(norand, a[r], pers_failed) < 0)
			return -1;
	table(a, runs);
	return moved(a, runs);
}

/* Why the low bits matter: what a page-aligned base cannot change. */
static void
explain_low(unsigned long a[][NREG], int runs)
{
	low_bits(a, runs);
	printf("  a base is page aligned (4 KiB = 2^12), so only whole pages "
	       "move: the\n  low 12 bits of code, data, heap blocks and "
	       "mappings stay. The stack's\n  start also moves down by a "
	       "random 0-8 KiB in 16-byte steps, so its\n  low bits "
	       "change too.\n");
}

int
demo_aslr(int argc, char **argv)
{
	static unsigned long a[MAXRUNS][NREG];
	int runs = 5, va, off, nrand, nfixed, nbases, pers_failed = 0;

	if (argc > 1 && parse_int(argv[1], 2, MAXRUNS, &runs) < 0)
		return opt_error(&demo_usage_u,
		                 "demo aslr: invalid number of runs '%s' "
		                 "(2 to %d)",
		                 argv[1], MAXRUNS);
	demo_title("aslr: the same program, run several times",
	           "with randomisation on, four bases (PIE code, heap, stack, "
	           "mmap) move at\n        each run; with ADDR_NO_RANDOMIZE "
	           "every run is the same");
	va = read_int("/proc/sys/kernel/randomize_va_space");
	off = (personality(0xffffffff) & ADDR_NO_RANDOMIZE) != 0;
	printf("/proc/sys/kernel/randomize_va_space = %d (0 off; 1 stack, "
	       "mmap, vdso,\n  PIE code; 2 also the heap)\n",
	       va);
	if (off)
		printf("this process already runs with ADDR_NO_RANDOMIZE "
		       "(setarch -R?): its children too\n");
	nrand = series("randomisation as the system has it:", 0, a, runs,
	               &pers_failed);
	if (nrand < 0)
		return demo_unexpected("a probe run failed");
	nbases = bases(a, runs);
	explain_low(a, runs);
	nfixed = series("with personality(ADDR_NO_RANDOMIZE) in the child:", 1,
	                a, runs, &pers_failed);
	if (nfixed < 0 && pers_failed) {
		printf("personality(ADDR_NO_RANDOMIZE) is not allowed here "
		       "(a seccomp filter?)\n");
		return 0;
	}
	if (nfixed < 0)
		return demo_unexpected("a probe run failed");
	printf("\nregions that moved: %d of %d, moved by %d independent "
	       "random bases\n",
	       nrand, NREG, nrand ? nbases : 0);
	printf("no-randomize runs identical: %s\n", nfixed == 0 ? "yes" : "no");
	if (nfixed != 0)
		return demo_unexpected("addresses moved without randomisation");
	if (va == 2 && !off && !san_build() && nrand == 0)
		return demo_unexpected("nothing moved although ASLR is on");
	return 0;
}
