/*
 * demo_aslr.c: address space layout randomisation.
 *
 * The kernel places the stack, the mmap area (libraries), the heap and a
 * PIE program at a random offset at every exec, so that an attacker
 * cannot know where anything is. We run ourselves N times and XOR the
 * addresses: bits that differ were randomised; the low 12 bits (the
 * offset inside a 4 KiB page) never are. With personality
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
	int dfd = maps_open_pid(0);

	if (dfd >= 0 && maps_read(dfd, &m) == 0) {
		for (i = 0; i < m.n && !a; i++)
			if (strstr(m.v[i].path, "/libc.so") ||
			    strstr(m.v[i].path, "/libc-"))
				a = m.v[i].start;
		maps_free(&m);
	}
	if (dfd >= 0)
		close(dfd);
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

static int
popcount(unsigned long x)
{
	int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/* The low 12 bits are the offset inside a 4 KiB page: mappings start on
 * a page boundary, so only a region placed inside its page (the stack
 * top is) can change them. */
static void
low_bits(unsigned long a[][NREG], int runs)
{
	const char *sep = "";
	int r, k;

	printf("low 12 bits (offset in the page) changed for: ");
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

/* Print the runs and, per region, which bits changed; returns the
 * number of regions whose address changed. */
static int
analyse(unsigned long a[][NREG], int runs)
{
	unsigned long changed;
	int r, k, nchanged = 0;

	printf("%-6s", "run");
	for (k = 0; k < NREG; k++)
		printf(" %14s", reg_name[k]);
	printf("\n");
	for (r = 0; r < runs; r++) {
		printf("%-6d", r + 1);
		for (k = 0; k < NREG; k++)
			printf(" %14lx", a[r][k]);
		printf("\n");
	}
	printf("%-6s", "bits");
	for (k = 0; k < NREG; k++) {
		for (changed = 0, r = 1; r < runs; r++)
			changed |= a[r][k] ^ a[0][k];
		printf(" %14d", popcount(changed));
		nchanged += changed != 0;
	}
	printf("   (how many address bits changed)\n");
	printf("%-6s", "mask");
	for (k = 0; k < NREG; k++) {
		for (changed = 0, r = 1; r < runs; r++)
			changed |= a[r][k] ^ a[0][k];
		printf(" %14lx", changed);
	}
	printf("\n");
	low_bits(a, runs);
	return nchanged;
}

static int
read_va_space(void)
{
	FILE *f = fopen("/proc/sys/kernel/randomize_va_space", "re");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int
series(const char *title, int norand, unsigned long a[][NREG], int runs,
       int *pers_failed)
{
	int r;

	printf("\n%s\n", title);
	for (r = 0; r < runs; r++)
		if (run_probe(norand, a[r], pers_failed) < 0)
			return -1;
	return analyse(a, runs);
}

int
demo_aslr(int argc, char **argv)
{
	static unsigned long a[MAXRUNS][NREG];
	int runs = 5, va, off, nrand, nfixed, pers_failed = 0;

	if (argc > 1 && parse_int(argv[1], 2, MAXRUNS, &runs) < 0) {
		fprintf(stderr,
		        "%s: invalid number of runs '%s': expected "
		        "2 to %d\n",
		        progname(), argv[1], MAXRUNS);
		return 2;
	}
	demo_title("aslr: the same program, run several times",
	           "with randomisation on, stack, mmap, heap and (PIE) code "
	           "move at each run;\n        with ADDR_NO_RANDOMIZE every "
	           "run is the same");
	va = read_va_space();
	off = (personality(0xffffffff) & ADDR_NO_RANDOMIZE) != 0;
	printf("/proc/sys/kernel/randomize_va_space = %d (0 off, 1 stack, "
	       "mmap and vdso, 2 also the heap)\n",
	       va);
	if (off)
		printf("this process already runs with ADDR_NO_RANDOMIZE "
		       "(setarch -R?): its children too\n");
	nrand = series("randomisation as the system has it:", 0, a, runs,
	               &pers_failed);
	if (nrand < 0)
		return demo_unexpected("a probe run failed");
	nfixed = series("with personality(ADDR_NO_RANDOMIZE) in the child:", 1,
	                a, runs, &pers_failed);
	if (nfixed < 0 && pers_failed) {
		printf("personality(ADDR_NO_RANDOMIZE) is not allowed here "
		       "(a seccomp filter?)\n");
		return 0;
	}
	if (nfixed < 0)
		return demo_unexpected("a probe run failed");
	printf("\nrandomised regions: %d of %d\n", nrand, NREG);
	printf("no-randomize runs identical: %s\n", nfixed == 0 ? "yes" : "no");
	if (nfixed != 0)
		return demo_unexpected("addresses moved without randomisation");
	if (va == 2 && !off && !build_sanitizer() && nrand == 0)
		return demo_unexpected("nothing moved although ASLR is on");
	return 0;
}
