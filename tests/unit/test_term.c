/* test_term.c: colour and width policy (off when piped, NO_COLOR). */
#include <fcntl.h>
#include <pty.h>
#include <stdlib.h>
#include <unistd.h>

#include "../tap.h"
#include "term.h"

int
main(void)
{
	int pfd[2], master, slave;

	CHECK_INT(pipe(pfd), 0);
	unsetenv("NO_COLOR");
	CHECK(!term_isatty(pfd[1]));
	CHECK_INT(term_width(pfd[1]), 0); /* piped: never truncate */
	CHECK(!term_use_color(pfd[1]));
	CHECK_STR(term_sgr(0, TERM_RED), "");
	CHECK_STR(term_sgr(1, TERM_RED), "\033[31m");

	if (openpty(&master, &slave, NULL, NULL, NULL) == 0) {
		unsetenv("COLUMNS");
		setenv("TERM", "xterm", 1);
		CHECK(term_isatty(slave));
		CHECK(term_width(slave) > 0);
		CHECK(term_use_color(slave));
		setenv("NO_COLOR", "1", 1);
		CHECK(!term_use_color(slave));
		setenv("NO_COLOR", "", 1); /* empty means not set */
		CHECK(term_use_color(slave));
		setenv("TERM", "dumb", 1);
		CHECK(!term_use_color(slave));
		setenv("COLUMNS", "123", 1);
		CHECK_INT(term_width(slave), 123);
		setenv("COLUMNS", "12x", 1);
		CHECK(term_width(slave) != 0);
		close(master);
		close(slave);
	} else {
		tap_skip("terminal checks", "no pseudo-terminal available");
	}
	close(pfd[0]);
	close(pfd[1]);
	return tap_done();
}
