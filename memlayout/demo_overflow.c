/*
 * demo_overflow.c: run off the end of the stack, and live to tell.
 *
 * Unbounded recursion eats the stack until the kernel refuses to grow it
 * (RLIMIT_STACK) and the next push faults: SIGSEGV. The handler cannot
 * run on the stack that just overflowed, so we give it its own: an
 * alternate signal stack (sigaltstack) and SA_ONSTACK. From the handler
 * we siglongjmp back to before the recursion: the process survives.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "memlayout.h"
#include "util.h"

#define ALTSTACK_SIZE ((size_t)64 * 1024)
#define FRAME_PAD 256

static sigjmp_buf back;
static volatile unsigned long depth, first_frame, last_frame, fault_addr;
static volatile int fault_code;
static volatile unsigned long depth_limit = (unsigned long)-1;

static void
on_segv(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	fault_addr = (unsigned long)si->si_addr;
	fault_code = si->si_code;
	/* Jump out of the handler, back onto the normal stack. */
	siglongjmp(back, 1);
}

/* noinline and the work after the call: no tail call, a real frame.
 * Only the number of a local's address is kept, to measure frames; it
 * is never used as a pointer, so the analyser's "stack address escapes"
 * does not apply. */
// NOLINTBEGIN(clang-analyzer-core.StackAddressEscape)
static NOINLINE unsigned long
recurse(unsigned long n)
{
	volatile char pad[FRAME_PAD];

	pad[0] = (char)n;
	depth = n;
	last_frame = (unsigned long)&pad[0];
	if (n == 0)
		first_frame = last_frame;
	if (n >= depth_limit)
		return 0;
	return recurse(n + 1) + (unsigned long)pad[0];
}
// NOLINTEND(clang-analyzer-core.StackAddressEscape)

/* An unlimited stack would recurse through all of memory: cap it. */
static void
show_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_STACK, &rl) < 0)
		return;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (256UL << 20)) {
		rl.rlim_cur = 8UL << 20;
		if (setrlimit(RLIMIT_STACK, &rl) == 0)
			printf("RLIMIT_STACK was unlimited or huge: lowered "
			       "to 8 MiB for this demo\n");
	}
	printf("RLIMIT_STACK: %lu KiB (ulimit -s, as this process has it)\n",
	       (unsigned long)rl.rlim_cur / 1024);
}

static int
install(stack_t *ss)
{
	struct sigaction sa;

	ss->ss_sp = xmalloc(ALTSTACK_SIZE);
	ss->ss_size = ALTSTACK_SIZE;
	ss->ss_flags = 0;
	if (sigaltstack(ss, NULL) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	/* SA_ONSTACK: run on the alternate stack; the normal one is full. */
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGSEGV, &sa, NULL);
}

static void
uninstall(stack_t *ss)
{
	stack_t off = {.ss_flags = SS_DISABLE};

	signal(SIGSEGV, SIG_DFL);
	sigaltstack(&off, NULL);
	free(ss->ss_sp);
}

static int
report(void)
{
	struct maps_entry e;
	char path[4096];
	unsigned long d = depth;
	long per = d ? (long)(first_frame - last_frame) / (long)d : 0;

	printf("caught SIGSEGV (si_code %d%s) at depth %lu\n", fault_code,
	       fault_code == SEGV_MAPERR   ? ", SEGV_MAPERR: no mapping there"
	       : fault_code == SEGV_ACCERR ? ", SEGV_ACCERR"
	                                   : "",
	       d);
	printf("bytes per frame: %ld (a %d-byte buffer plus the frame)\n", per,
	       FRAME_PAD);
	printf("stack used: %lu KiB\n", (first_frame - last_frame) / 1024);
	if (demo_find((void *)first_frame, &e, path, sizeof(path)) == 0) {
		printf("[stack] now: %lx-%lx (%lu KiB)\n", e.start, e.end,
		       (e.end - e.start) / 1024);
		printf("fault address: %#lx = [stack] start %+ld bytes\n",
		       fault_addr, (long)(fault_addr - e.start));
	}
	printf("survived: yes, the process carries on after the overflow\n");
	if (d < 100)
		return demo_unexpected("the stack overflowed after only %lu "
		                       "calls",
		                       d);
	return 0;
}

int
demo_overflow(int argc, char **argv)
{
	stack_t ss;
	int status;

	(void)argc;
	(void)argv;
	demo_title("overflow: unbounded recursion, caught",
	           "SIGSEGV after many thousand calls, handled on an "
	           "alternate signal stack;\n        the process survives");
#if defined(SAN_ADDRESS) || defined(SAN_THREAD)
	printf("skipped: built with -fsanitize=%s, which owns SIGSEGV and "
	       "the stack layout;\nrun the normal build to see this demo\n",
	       san_build());
	return 0;
#endif
	show_limit();
	if (install(&ss) < 0) {
		warn("cannot install the SIGSEGV handler:");
		return 1;
	}
	/* sigsetjmp(.., 1) saves the signal mask: SIGSEGV, blocked inside
	 * the handler, is unblocked again when we land here. */
	if (sigsetjmp(back, 1) == 0) {
		recurse(0);
		uninstall(&ss);
		return demo_unexpected("the recursion ended without a fault");
	}
	uninstall(&ss);
	status = report();
	return status;
}
