/* detect.c: sanitizers and valgrind move things around; say so. */
#include <string.h>
#include <unistd.h>

#include "memlayout.h"

/* valgrind loads its preload library into the client: it shows up here. */
int
under_valgrind(const struct maps *m)
{
	size_t i;

	for (i = 0; m && i < m->n; i++)
		if (strstr(m->v[i].path, "vgpreload"))
			return 1;
	return 0;
}

/*
 * Why one question for both: a sanitizer and valgrind each replace
 * glibc's malloc with their own, which neither uses the program break
 * nor hands a freed block straight back. A demo about malloc can then
 * show what happens, but must not claim that glibc's rules held.
 */
const char *
foreign_malloc(void)
{
	static const char *who;
	static int asked;
	const char *san = san_build();
	struct proc_handle h;
	struct maps m;

	if (asked)
		return who;
	asked = 1;
	if (san)
		who = strcmp(san, "address") == 0
		          ? "built with -fsanitize=address"
		          : "built with -fsanitize=thread";
	else if (proc_open(&h, 0) == 0) {
		if (maps_read(&h, &m) == 0) {
			if (under_valgrind(&m))
				who = "running under valgrind";
			maps_free(&m);
		}
		proc_close(&h);
	}
	return who;
}

void
layout_note(FILE *out, const struct maps *m)
{
	const char *san = san_build();

	if (san)
		fprintf(out,
		        "note: built with -fsanitize=%s: the layout differs "
		        "from a normal build\n      (shadow memory, the "
		        "sanitizer's own malloc: heap blocks are not in "
		        "[heap])\n\n",
		        san);
	if (under_valgrind(m))
		fprintf(out, "note: running under valgrind: the layout differs "
		             "(valgrind's own loader and malloc)\n\n");
}
