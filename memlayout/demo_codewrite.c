/*
 * demo_codewrite.c: code and string literals are read-only.
 *
 * The loader maps .text r-x and .rodata r--, so a write to either is a
 * protection fault: SIGSEGV with si_code SEGV_ACCERR ("the page is there
 * but you may not do that"), not SEGV_MAPERR ("nothing is mapped there").
 * We catch each fault and siglongjmp out of it; reading works.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "memlayout.h"
#include "util.h"

static sigjmp_buf back;
static volatile int fault_code;
static volatile unsigned long fault_addr;

static void
on_segv(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	fault_code = si->si_code;
	fault_addr = (unsigned long)si->si_addr;
	siglongjmp(back, 1);
}

/* The victim: a function whose first byte we try to overwrite. */
static NOINLINE int
victim(int x)
{
	return x * 3 + 1;
}

/* Through a noinline function, so the compiler cannot see the literal. */
static NOINLINE volatile unsigned char *
literal(void)
{
	return (volatile unsigned char *)(uintptr_t) "a string literal";
}

/* Returns 1 if the write faulted with SEGV_ACCERR at p, 0 otherwise. */
static NOINLINE int
try_write(const char *what, volatile unsigned char *p)
{
	unsigned char old = p[0];

	printf("read  %-14s at %p: first byte 0x%02x (reading works)\n", what,
	       (void *)(uintptr_t)p, old);
	demo_where(what, (void *)(uintptr_t)p);
	fault_code = 0;
	if (sigsetjmp(back, 1) == 0) {
		p[0] = old; /* same byte back: harmless if it were allowed */
		printf("write %-14s no fault!\n", what);
		return 0;
	}
	/* "write NAME caught ..." fits 80 columns */
	printf("write %-14s caught SIGSEGV, si_code %s, address %#lx\n\n", what,
	       fault_code == SEGV_ACCERR   ? "SEGV_ACCERR"
	       : fault_code == SEGV_MAPERR ? "SEGV_MAPERR"
	                                   : "other",
	       fault_addr);
	return fault_code == SEGV_ACCERR &&
	       fault_addr == (unsigned long)(uintptr_t)p;
}

int
demo_codewrite(int argc, char **argv)
{
	struct sigaction sa, old;
	int ok_code, ok_lit;

	(void)argc;
	(void)argv;
	demo_title("code-write: write to code and to a string literal",
	           "both writes fault with SEGV_ACCERR at the address "
	           "written; reads work");
#if defined(SAN_ADDRESS) || defined(SAN_THREAD)
	printf("skipped: built with -fsanitize=%s, which owns SIGSEGV; run "
	       "the normal build\nto see this demo\n",
	       san_build());
	return 0;
#endif
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &old) < 0) {
		warn("cannot install the SIGSEGV handler:");
		return 1;
	}
	ok_code =
	    try_write("victim()", (volatile unsigned char *)(uintptr_t)victim);
	ok_lit = try_write("string literal", literal());
	sigaction(SIGSEGV, &old, NULL);
	printf("victim(4) still returns %d: the code is intact\n", victim(4));
	printf("code write caught: %s\nliteral write caught: %s\n",
	       ok_code ? "yes" : "no", ok_lit ? "yes" : "no");
	if (!ok_code || !ok_lit)
		return demo_unexpected("a write was not caught as "
		                       "SEGV_ACCERR at its address");
	return 0;
}
