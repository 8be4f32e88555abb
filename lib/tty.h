/*
 * tty.h: terminal names from device numbers (tty.c).
 *
 * Rules: nothing here prints, exits or allocates; the caller gives the
 * buffer. No state.
 */
#ifndef TTY_H
#define TTY_H

#include <stddef.h>

/*
 * Name of a terminal from its device number (stat field 7,
 * PROC_STAT_TTY_NR), as ps shows it: "pts/3", "tty1", "ttyS0",
 * "console", or "?" for none (0). Unknown devices come out as
 * "MAJOR,MINOR". Writes at most n bytes, NUL-terminated (cut short if n
 * is too small). Returns buf; cannot fail.
 */
char *proc_tty_name(unsigned int dev, char *buf, size_t n);

#endif
