/* test_sig.c: the signal name table (lib/sig.c). */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "../tap.h"
#include "sig.h"

static void
names(void)
{
	char buf[32];

	CHECK_INT(sig_from_name("KILL"), SIGKILL);
	CHECK_INT(sig_from_name("SIGKILL"), SIGKILL);
	CHECK_INT(sig_from_name("sigkill"), SIGKILL);
	CHECK_INT(sig_from_name("kill"), SIGKILL);
	CHECK_INT(sig_from_name("SigTerm"), SIGTERM);
	CHECK_INT(sig_from_name("hup"), SIGHUP);
	CHECK_INT(sig_from_name("CLD"), SIGCHLD);
	CHECK_INT(sig_from_name("IOT"), SIGABRT);
	CHECK_INT(sig_from_name("9"), 9);
	CHECK_INT(sig_from_name("0"), 0);
	CHECK_STR(sig_name(SIGKILL, buf, sizeof(buf)), "KILL");
	CHECK_STR(sig_name(SIGCHLD, buf, sizeof(buf)), "CHLD");
	CHECK_STR(sig_name(SIGABRT, buf, sizeof(buf)), "ABRT");
}

static void
realtime(void)
{
	char buf[32];

	CHECK_INT(sig_from_name("RTMIN"), SIGRTMIN);
	CHECK_INT(sig_from_name("SIGRTMIN"), SIGRTMIN);
	CHECK_INT(sig_from_name("rtmin+1"), SIGRTMIN + 1);
	CHECK_INT(sig_from_name("SIGRTMAX-2"), SIGRTMAX - 2);
	CHECK_INT(sig_from_name("RTMAX"), SIGRTMAX);
	CHECK_INT(sig_max(), SIGRTMAX);
	CHECK_STR(sig_name(SIGRTMIN, buf, sizeof(buf)), "RTMIN");
	CHECK_STR(sig_name(SIGRTMIN + 3, buf, sizeof(buf)), "RTMIN+3");
	CHECK_STR(sig_name(SIGRTMAX - 1, buf, sizeof(buf)), "RTMAX-1");
	CHECK_STR(sig_name(SIGRTMAX, buf, sizeof(buf)), "RTMAX");
	/* every number has one name, and that name gives it back */
	{
		int s, ok = 1;

		for (s = 1; s <= SIGRTMAX; s++) {
			if (!sig_name(s, buf, sizeof(buf)))
				continue;
			if (sig_from_name(buf) != s)
				ok = 0;
		}
		CHECK(ok);
	}
	CHECK(sig_describe(SIGRTMIN + 2, buf, sizeof(buf)) != NULL);
	CHECK_STR(sig_action(SIGKILL), "term");
	CHECK_STR(sig_action(SIGSTOP), "stop");
	CHECK_STR(sig_action(SIGSEGV), "core");
}

static void
bad(void)
{
	char buf[32];

	errno = 0;
	CHECK_INT(sig_from_name(""), -1);
	CHECK_INT(errno, EINVAL);
	CHECK_INT(sig_from_name(NULL), -1);
	CHECK_INT(sig_from_name("SIG"), -1);
	CHECK_INT(sig_from_name("FOO"), -1);
	CHECK_INT(sig_from_name("KILLX"), -1);
	CHECK_INT(sig_from_name("9x"), -1);
	CHECK_INT(sig_from_name("-9"), -1);
	CHECK_INT(sig_from_name(" 9"), -1);
	CHECK_INT(sig_from_name("99999999999999999999"), -1);
	CHECK_INT(sig_from_name("65"), SIGRTMAX == 64 ? -1 : 65);
	CHECK_INT(sig_from_name("RTMIN+"), -1);
	CHECK_INT(sig_from_name("RTMIN-1"), -1);
	CHECK_INT(sig_from_name("RTMAX+1"), -1);
	CHECK_INT(sig_from_name("RTMIN+999"), -1);
	CHECK_INT(sig_from_name("RTMIN+1x"), -1);
	CHECK(sig_name(0, buf, sizeof(buf)) == NULL);
	CHECK(sig_name(-1, buf, sizeof(buf)) == NULL);
	CHECK(sig_name(SIGRTMAX + 1, buf, sizeof(buf)) == NULL);
	CHECK(sig_describe(0, buf, sizeof(buf)) == NULL);
}

int
main(void)
{
	names();
	realtime();
	bad();
	return tap_done();
}
