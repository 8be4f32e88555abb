/*
 * tap.h: the unit-test harness. Header only; include it in one test file.
 *
 * Each check prints one TAP line, "ok N - what" or "not ok N - what".
 * A failed check also prints file:line and both values, so the reader
 * never has to rerun a test under a debugger to learn what it saw.
 * tests/run.sh counts the lines; main() ends with "return tap_done();".
 */
#ifndef TAP_H
#define TAP_H

#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static inline int
tap_check(int pass, const char *what, const char *file, int line)
{
	tap_count++;
	printf("%sok %d - %s\n", pass ? "" : "not ", tap_count, what);
	if (!pass) {
		tap_failed++;
		printf("#   at %s:%d\n", file, line);
	}
	fflush(stdout);
	return pass;
}

/* tap_quote: S in double quotes, as C would write it: every byte that
 * is not printable ASCII as \n, \r, \t or \xHH. A failing value may
 * hold an ESC that the terminal would act on, or a CR that hides what
 * came before it; this shows each byte as it is. (Not lib's escaper: a
 * test must not trust the code it checks.) */
static inline void
tap_quote(const char *s)
{
	if (!s) {
		fputs("(null)", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static inline void
tap_skip(const char *what, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++tap_count, what, why);
}

static inline int
tap_done(void)
{
	printf("# %d checks, %d failed\n", tap_count, tap_failed);
	return tap_failed ? 1 : 0;
}

#define CHECK(cond) tap_check(!!(cond), #cond, __FILE__, __LINE__)

#define CHECK_INT(got, want)                                                   \
	do {                                                                   \
		long long g_ = (long long)(got), w_ = (long long)(want);       \
		if (!tap_check(g_ == w_, #got " == " #want, __FILE__,          \
		               __LINE__))                                      \
			printf("#   got %lld, want %lld\n", g_, w_);           \
	} while (0)

#define CHECK_STR(got, want)                                                   \
	do {                                                                   \
		const char *g_ = (got), *w_ = (want);                          \
		int same_ = g_ && w_ ? strcmp(g_, w_) == 0 : g_ == w_;         \
		if (!tap_check(same_, #got " == " #want, __FILE__,             \
		               __LINE__)) {                                    \
			fputs("#   got ", stdout);                             \
			tap_quote(g_);                                         \
			fputs(", want ", stdout);                              \
			tap_quote(w_);                                         \
			putchar('\n');                                         \
		}                                                              \
	} while (0)

#endif
