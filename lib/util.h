/*
 * util.h: the small things every tool needs.
 *
 * Rules of lib/: no function here prints or exits, except the die/warn
 * family, finish_output and the x-wrappers (and all of opt.h), which
 * exist precisely to do that and are for tools only (never call them
 * from a worker thread that must recover).
 * Everything else returns -1 (or NULL) and sets errno.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <stdint.h>

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

/* out.c: standard output; a write error is a failure (exit 1). */

/*
 * Keep descriptors 0, 1 and 2 taken. Why: after ">&-" the next open()
 * or socket() would get number 1, and printf would write into that file
 * or connection. A closed one is opened on /dev/null the wrong way round
 * (fd 0 write-only, 1 and 2 read-only), so every use still fails with
 * EBADF as on the closed descriptor. Call first thing in main.
 * Returns 0, or -1 with errno of open(2).
 */
int out_std_reserve(void);

/*
 * Write n bytes to fd 1 with write(2), no stdio buffer (one call for a
 * short line: not torn among threads or forked children). The first
 * failure is remembered for out_flush(). Async-signal-safe.
 * Returns 0, or -1 with errno.
 */
int out_write(const char *buf, size_t n);

/*
 * Flush stdout. Returns 0 if everything written to stdout so far (with
 * stdio or out_write) reached the kernel, or -1 with errno saying why it
 * did not (EBADF closed, ENOSPC full, EPIPE no reader; EIO if unknown).
 * If an earlier flush failed, it writes one "\n" to learn the reason.
 */
int out_flush(void);

/*
 * Tools only (prints): the end of every main, "return
 * finish_output(status);". Returns status, or 1 after printing
 * "PROG: cannot write output: REASON" if out_flush() failed.
 */
int finish_output(int status);

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

/*
 * The UTF-8 character at s (at most n bytes, n > 0): its length in bytes,
 * with its code point in *cp, or 0 if the bytes there are not one valid
 * character (RFC 3629: no overlong form, no UTF-16 surrogate, nothing
 * above U+10FFFF).
 */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Monotonic clock in seconds (for durations, never for wall-clock time). */
double now_mono(void);

#endif
