/*
 * fuzz_maps.c: libFuzzer target for maps_parse_line (/proc/PID/maps).
 * lib: lib/maps.c lib/proc.c lib/proc_parse.c lib/str.c lib/parse.c
 *
 * The line is copied into a buffer of exactly its length, with no NUL
 * after it: the parser must honour len, and ASan reports any read past.
 * Oracle on success: path points into the line and ends inside it,
 * perms is a NUL-terminated 4-character string, rss/pss/swap are -1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "maps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct maps_entry e;
	char *line = malloc(size ? size : 1);

	if (!line)
		return 0;
	memcpy(line, data, size);
	if (maps_parse_line(line, size, &e) == 0) {
		if (e.path_len > 0 &&
		    (e.path < line || e.path + e.path_len > line + size))
			abort();
		if (memchr(e.perms, '\0', sizeof(e.perms)) == NULL ||
		    strlen(e.perms) != 4)
			abort();
		if (e.rss_kb != -1 || e.pss_kb != -1 || e.swap_kb != -1)
			abort();
	}
	free(line);
	return 0;
}
