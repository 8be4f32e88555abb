/*
 * fuzz_status.c: libFuzzer target for proc_parse_status
 * (/proc/PID/status).
 * lib: lib/proc_parse.c lib/str.c lib/parse.c
 *
 * Oracle: it never fails on text (the contract says it only ignores),
 * never crashes and never reads past the NUL (exact-size buffer).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proc_status ps;
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(&ps, 0, sizeof(ps));
	if (proc_parse_status(s, &ps) != 0)
		abort();
	if (ps.have_uid != 0 && ps.have_uid != 1)
		abort();
	free(s);
	return 0;
}
