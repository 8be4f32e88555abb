/*
 * esc.h: text the toolkit did not write, made safe for a terminal (esc.c).
 *
 * Process names, command lines, user names, paths, a server's reply: any
 * of them may hold bytes that a terminal obeys (ESC [2J clears the
 * screen, ESC ]0;... retitles the window, 0x9b is CSI on some terminals,
 * U+202E turns the rest of the line around). Every tool sends such text
 * through this escaper before it reaches a terminal; JSON output does
 * not (json.c escapes the exact bytes its own way).
 *
 * Rules, in the locale the caller set with setlocale(LC_CTYPE, ""):
 *   UTF-8 locale
 *     - a byte that is not part of a valid UTF-8 character becomes '?'
 *       (so "\xc2\x1b[2J" prints "??[2J", as procps ps prints it);
 *     - a character that is not printable becomes one '?': every C0
 *       control (tab and newline too), DEL, the C1 controls U+0080 to
 *       U+009F, U+2028/U+2029, the bidirectional overrides U+202A-202E
 *       and U+2066-2069, and whatever iswprint() or wcwidth() rejects;
 *     - as ps does, once a byte cannot start a UTF-8 character (or a
 *       character is cut off by the end), the text is not UTF-8 and the
 *       rest of it is escaped as in the C locale.
 *   any other locale (C, POSIX), as ps: a control byte (0x00-0x1f,
 *     0x7f) becomes '.', a byte >= 0x80 becomes '?'.
 * So procview and ps print the same bytes for the same process; the one
 * difference is the bidirectional overrides, which ps lets through.
 *
 * The output is never longer than the input (each replacement stands for
 * at least one byte), holds no control character and, in a UTF-8 locale,
 * is valid UTF-8. Its width in terminal cells is the sum of wcwidth()
 * of its characters ('?' and '.' count 1): callers pad and cut columns by
 * that width, and a cut never falls inside a character. Escaping text
 * that is already escaped changes nothing.
 *
 * Nothing here allocates, prints on its own or exits.
 */
#ifndef ESC_H
#define ESC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* maxcells for "no limit" */
#define ESC_NOLIMIT SIZE_MAX

/* Non-zero if the current locale's character set is UTF-8. */
int esc_utf8(void);

/*
 * Escape len bytes of src (NUL bytes included: they are controls) into
 * dst, which holds size bytes (size >= 1). Stops before the first
 * character that would make the text wider than maxcells cells or not
 * fit in size - 1 bytes, so a cut never splits a character. dst is
 * always NUL-terminated; size = len + 1 always holds all of it. dst may
 * be src (escaping in place).
 * Returns the number of bytes written to dst (without the NUL); stores
 * the width in cells in *cells if cells is not NULL. Never fails.
 */
size_t esc_buf(char *dst, size_t size, const char *src, size_t len,
               size_t maxcells, size_t *cells);

/* Width in cells of len bytes of src once escaped. Never fails. */
size_t esc_width(const char *src, size_t len);

/*
 * Write len bytes of src, escaped, to f (the caller's stream).
 * Returns the width written in cells, or -1 if a write failed (errno
 * from stdio; ferror(f) is set).
 */
long esc_fwrite(const char *src, size_t len, FILE *f);

/* As esc_fwrite for a NUL-terminated string. */
long esc_fputs(const char *s, FILE *f);

/*
 * Write s escaped, cut to width cells and padded with spaces to width
 * cells: printf's "%-*.*s" counted in cells, not bytes. (A character
 * two cells wide that would cross the edge is left out, and its place
 * padded.) Returns width, or -1 if a write failed.
 */
long esc_fpad(const char *s, size_t width, FILE *f);

#endif
