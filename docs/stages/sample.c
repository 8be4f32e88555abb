/*
 * docs/stages/sample.c: the program that `make stages` takes through the
 * compile pipeline one step at a time (lab 4).
 *
 * Each object below was chosen to land in a different section, so that
 * nm, size and readelf have something to show in every artifact. When it
 * runs, the program prints where each object is in memory and its offset
 * from the load base: that offset is exactly the value `nm stages/sample`
 * prints, because a PIE executable is loaded as one block at a random base
 * and every symbol moves with it. (It is not the offset in the file: the
 * program headers, `readelf -l`, map file offsets to addresses.)
 */
#define _GNU_SOURCE /* for dl_iterate_phdr() */
#include <link.h>
#include <stdint.h>
#include <stdio.h>

/* Gone after `gcc -E`: the preprocessor pastes the text in. */
#define GREETING "hello from every stage of the pipeline"
#define SQUARE(x) ((x) * (x))

const int answer = 42;   /* .rodata: read-only data (nm: R) */
int counter = 7;         /* .data: has an initial value (nm: D) */
int zeroed;              /* .bss: zero, so no bytes in the file (nm: B) */
static char buffer[256]; /* .bss, visible in this file only (nm: b) */

/*
 * .text, a local symbol (nm: t). Not inlined at -O0, the stages default.
 * At -O2 the call in main is inlined, but main also takes bump's address
 * (the table it prints), so bump must still exist (lab 4, exercise 3).
 */
static int
bump(int by)
{
	static int calls; /* .bss, a static local: nm calls it calls.0 */

	calls++;
	counter += by;
	return calls;
}

/* The load base of the executable: where its first byte was mapped. */
static int
first_object(struct dl_phdr_info *info, size_t size, void *base)
{
	(void)size;
	*(uintptr_t *)base = (uintptr_t)info->dlpi_addr;
	return 1; /* the first object is the program itself: stop there */
}

static void
row(const char *name, const char *where, uintptr_t addr, uintptr_t base)
{
	printf("%-8s %-7s %#18jx %#8jx\n", name, where, (uintmax_t)addr,
	       (uintmax_t)(addr - base));
}

int
main(void)
{
	uintptr_t base = 0;
	int local = SQUARE(3); /* on the stack: no symbol at all */

	dl_iterate_phdr(first_object, &base);
	bump(local);
	snprintf(buffer, sizeof(buffer), "%s", GREETING);
	printf("%s (counter=%d, answer=%d, zeroed=%d)\n", buffer, counter,
	       answer, zeroed);
	printf("load base %#jx (0 means not PIE: nm shows real addresses)\n",
	       (uintmax_t)base);
	printf("%-8s %-7s %18s %8s\n", "symbol", "section", "address",
	       "nm value");
	row("main", ".text", (uintptr_t)main, base);
	row("bump", ".text", (uintptr_t)bump, base);
	row("answer", ".rodata", (uintptr_t)&answer, base);
	row("counter", ".data", (uintptr_t)&counter, base);
	row("zeroed", ".bss", (uintptr_t)&zeroed, base);
	row("buffer", ".bss", (uintptr_t)buffer, base);
	/* The stack is not part of the image: no nm value to compare. */
	printf("%-8s %-7s %#18jx %8s\n", "local", "stack",
	       (uintmax_t)(uintptr_t)&local, "-");
	return 0;
}
