/* tty.c: terminal names from device numbers (see tty.h). */
#include <stdio.h>

#include "tty.h"

char *
proc_tty_name(unsigned int dev, char *buf, size_t n)
{
	/* Linux's encoding of dev_t in 32 bits (include/linux/kdev_t.h) */
	unsigned int maj = (dev >> 8) & 0xfff;
	unsigned int min = (dev & 0xff) | ((dev >> 12) & 0xfff00);

	if (dev == 0)
		snprintf(buf, n, "?");
	else if (maj >= 136 && maj <= 143) /* Unix98 pseudo-terminals */
		snprintf(buf, n, "pts/%u", (maj - 136) * 256 + min);
	else if (maj == 4 && min < 64) /* virtual consoles */
		snprintf(buf, n, "tty%u", min);
	else if (maj == 4) /* serial ports */
		snprintf(buf, n, "ttyS%u", min - 64);
	else if (maj == 5 && min == 1)
		snprintf(buf, n, "console");
	else if (maj == 5 && min == 0)
		snprintf(buf, n, "tty");
	else
		snprintf(buf, n, "%u,%u", maj, min);
	return buf;
}
