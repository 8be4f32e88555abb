/*
 * fuzz_stat.c: libFuzzer target for proc_parse_stat (/proc/PID/stat).
 * lib: lib/proc_parse.c lib/str.c lib/parse.c
 *
 * Oracle: never crash or read past the NUL (the buffer has the exact
 * size); on success comm is NUL-terminated inside its array and equals
 * the text between the first '(' and the LAST ')' (cut to fit).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proc_stat st;
	char *s = malloc(size + 1);
	const char *open, *close;
	size_t n;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(&st, 0x5a, sizeof(st));
	if (proc_parse_stat(s, &st) == 0) {
		if (memchr(st.comm, '\0', sizeof(st.comm)) == NULL)
			abort();
		open = strchr(s, '(');
		close = strrchr(s, ')');
		if (!open || !close || close < open)
			abort();
		n = (size_t)(close - open - 1);
		if (n >= sizeof(st.comm))
			n = sizeof(st.comm) - 1;
		if (strlen(st.comm) != n || memcmp(st.comm, open + 1, n) != 0)
			abort();
	}
	free(s);
	return 0;
}
