/* term.c: terminal detection, width and colour policy (see term.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "term.h"
#include "util.h"

int
term_isatty(int fd)
{
	return isatty(fd) == 1;
}

int
term_width(int fd)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	int w;

	if (!term_isatty(fd))
		return 0;
	if (cols && parse_int(cols, 1, 100000, &w) == 0)
		return w;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

int
term_size(int fd, int *rows, int *cols)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) < 0)
		return -1;
	if (ws.ws_row == 0 || ws.ws_col == 0) {
		errno = ENOTTY; /* a pty nobody sized: unknown */
		return -1;
	}
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return 0;
}

int
term_use_color(int fd)
{
	const char *no = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (no && *no)
		return 0;
	if (term && strcmp(term, "dumb") == 0)
		return 0;
	return term_isatty(fd);
}

/* Returns a static string: the escape for code, or "" when off. */
const char *
term_sgr(int on, const char *code)
{
	static const struct {
		const char *code, *seq;
	} tab[] = {
	    {"0", "\033[0m"},           {TERM_BOLD, "\033[1m"},
	    {TERM_DIM, "\033[2m"},      {TERM_REVERSE, "\033[7m"},
	    {TERM_RED, "\033[31m"},     {TERM_GREEN, "\033[32m"},
	    {TERM_YELLOW, "\033[33m"},  {TERM_BLUE, "\033[34m"},
	    {TERM_MAGENTA, "\033[35m"}, {TERM_CYAN, "\033[36m"},
	};
	size_t i;

	if (!on)
		return "";
	for (i = 0; i < LEN(tab); i++)
		if (strcmp(tab[i].code, code) == 0)
			return tab[i].seq;
	return "";
}
