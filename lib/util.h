/*
 * util.h: the small things every tool needs.
 *
 * Rules of lib/: no function here prints or exits, except the die/warn
 * family and the x-wrappers, which exist precisely to do that and are for
 * tools only (never call them from a worker thread that must recover).
 * Everything else returns -1 (or NULL) and sets errno.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* error.c */

/* Set the name printed before every message ("netlab: ..."). */
void set_progname(const char *argv0);
const char *progname(void);

/*
 * Print "PROG: message" on stderr. If fmt ends in ':' the text of errno
 * (as it was on entry) is appended, so warn("cannot open '%s':", path)
 * prints "PROG: cannot open 'x': No such file or directory".
 */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* As warn(), then exit(1). */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* alloc.c: die on out-of-memory. Tools only. Caller frees the result. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);

/* parse.c */

/*
 * Parse all of s as a base-10 integer in [min, max].
 * Returns 0 and stores *out, or -1 with errno:
 *   EINVAL  empty string, sign only, leading space, trailing garbage
 *   ERANGE  outside [min, max] (including overflow of long long)
 * *out is untouched on failure.
 */
int parse_ll(const char *s, long long min, long long max, long long *out);

/* As parse_ll, for an int. */
int parse_int(const char *s, int min, int max, int *out);

/*
 * Parse all of s as a finite decimal number (e.g. "2.5") in [min, max].
 * Same errno contract as parse_ll. Rejects nan, inf and hex forms.
 */
int parse_double(const char *s, double min, double max, double *out);

/* str.c */

/*
 * Copy src into dst of size n, always NUL-terminated when n > 0.
 * Returns strlen(src); a result >= n means the copy was truncated.
 */
size_t strlcpy_(char *dst, const char *src, size_t n);

/* Non-zero if s starts with prefix. */
int str_starts(const char *s, const char *prefix);

/* Monotonic clock in seconds (for durations, never for wall-clock time). */
double now_mono(void);

#endif
