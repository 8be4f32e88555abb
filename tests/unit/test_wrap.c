/* test_wrap.c: our sentences broken at spaces to fit a width. */
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "wrap.h"

/* Every line of s is at most width columns (the first from column at) */
static int
fits(const char *s, size_t at, size_t width)
{
	size_t col = at;

	if (!s) /* wrap_text failed (out of memory) */
		return 0;
	for (; *s; s++) {
		col = *s == '\n' ? 0 : col + 1;
		if (col > width)
			return 0;
	}
	return 1;
}

static void
check(const char *s, size_t at, size_t indent, size_t width, const char *want)
{
	char *got = wrap_text(s, at, indent, width);

	CHECK_STR(got, want);
	free(got);
}

int
main(void)
{
	const char *long_text = "effective user: owner of the /proc/PID "
	                        "directory (fstat), which the kernel sets "
	                        "to the effective uid";
	char *w;

	check("one two three", 0, 2, 0, "one two three");  /* no limit */
	check("one two three", 0, 2, 13, "one two three"); /* exactly */
	check("one two three", 0, 2, 12, "one two\n  three");
	check("one two three", 4, 4, 11, "one two\n    three");
	check("a  b", 0, 0, 0, "a b"); /* runs of spaces are one */
	check("", 0, 2, 10, "");
	/* a word wider than a line stays whole, on a line of its own */
	check("ab abcdefghij cd", 0, 1, 5, "ab\n abcdefghij\n cd");

	w = wrap_text(long_text, 11, 11, 40);
	CHECK(w != NULL);
	CHECK(fits(w, 11, 40));
	CHECK(w && strstr(w, "\n           ") != NULL); /* indent 11 */
	free(w);
	return tap_done();
}
