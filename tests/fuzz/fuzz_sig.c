/*
 * fuzz_sig.c: libFuzzer target for the signal-name parser.
 * lib: lib/sig.c lib/parse.c lib/str.c
 *
 * Oracle: sig_from_name gives -1/EINVAL or a number in 0 .. sig_max();
 * for a signal > 0 that has a name, the name must parse back to the same
 * number, with and without "SIG", and sig_describe must know it.
 * (32 and 33 parse as numbers but have no name: glibc keeps them for
 * itself, below SIGRTMIN.)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), name[32], with[40], desc[64];
	int n;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	errno = 0;
	n = sig_from_name(s);
	if (n == -1 && errno != EINVAL)
		abort();
	if (n < -1 || n > sig_max())
		abort();
	if (n > 0 && sig_name(n, name, sizeof(name))) {
		snprintf(with, sizeof(with), "SIG%s", name);
		if (sig_from_name(name) != n || sig_from_name(with) != n)
			abort();
		if (!sig_describe(n, desc, sizeof(desc)))
			abort();
	}
	free(s);
	return 0;
}
