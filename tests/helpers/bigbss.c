/*
 * bigbss.c: a process with a large BSS, for tests/cli/memlayout_bss.sh.
 *
 * big[] is 1 MiB of zero-initialised static storage: it lives in .bss,
 * which the program file does not hold. The kernel maps the first part
 * of it with the file's last rw page and the rest as an anonymous
 * mapping right after that file mapping: that anonymous mapping is what
 * memlayout --pid must call bss. Every page is written so that it is
 * really there. The helper prints "ready" and sleeps 60 s (the test
 * ends it sooner), so the test never has to guess when to look.
 */
#include <poll.h>
#include <stdio.h>

static char big[1 << 20];

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(big); i += 4096)
		big[i] = 1;
	printf("ready\n");
	fflush(stdout);
	(void)poll(NULL, 0, 60 * 1000);
	return big[4096] == 1 ? 0 : 1;
}
