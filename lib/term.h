/*
 * term.h: terminal facts (term.c).
 *
 * Colour is a courtesy to a human at a terminal: it is off when the
 * stream is not a terminal (a pipe, a file), when NO_COLOR is set to
 * anything non-empty (https://no-color.org), and when TERM is "dumb".
 */
#ifndef TERM_H
#define TERM_H

#include <stdio.h>

/* Non-zero if fd is a terminal. */
int term_isatty(int fd);

/*
 * Width of the terminal on fd in columns, or 0 if fd is not a terminal
 * (callers treat 0 as "unlimited": piped output is never truncated).
 * COLUMNS overrides the kernel's answer when it holds a valid number.
 */
int term_width(int fd);

/*
 * The terminal's size on fd as the kernel knows it now (TIOCGWINSZ),
 * into *rows and *cols: a live view asks again after each SIGWINCH,
 * and does not let COLUMNS (a shell's snapshot) override it. Returns 0,
 * or -1 with errno (ENOTTY: not a terminal) when the size is unknown.
 */
int term_size(int fd, int *rows, int *cols);

/* Non-zero if colour escapes should be written to fd (rules above). */
int term_use_color(int fd);

/* SGR sequences, or "" when colour is off for that stream. */
const char *term_sgr(int on, const char *code);

#define TERM_BOLD "1"
#define TERM_DIM "2"
#define TERM_REVERSE "7"
#define TERM_RED "31"
#define TERM_GREEN "32"
#define TERM_YELLOW "33"
#define TERM_BLUE "34"
#define TERM_MAGENTA "35"
#define TERM_CYAN "36"

#endif
