/* test_parse.c: the checked number parsers reject every kind of bad input. */
#include <errno.h>
#include <limits.h>

#include "../tap.h"
#include "util.h"

static void
test_ll_good(void)
{
	long long v = 0;

	CHECK_INT(parse_ll("42", 0, 100, &v), 0);
	CHECK_INT(v, 42);
	CHECK_INT(parse_ll("-7", -10, 10, &v), 0);
	CHECK_INT(v, -7);
	CHECK_INT(parse_ll("+5", 0, 10, &v), 0);
	CHECK_INT(v, 5);
	CHECK_INT(parse_ll("9223372036854775807", 0, LLONG_MAX, &v), 0);
	CHECK(v == LLONG_MAX);
}

static void
bad_ll(const char *s, long long min, long long max, int want_errno)
{
	long long v = 1234;

	errno = 0;
	CHECK_INT(parse_ll(s, min, max, &v), -1);
	CHECK_INT(errno, want_errno);
	CHECK_INT(v, 1234); /* untouched on failure */
}

static void
test_ll_bad(void)
{
	bad_ll("", 0, 10, EINVAL);
	bad_ll("-", -10, 10, EINVAL);
	bad_ll("+", 0, 10, EINVAL);
	bad_ll(" 5", 0, 10, EINVAL);
	bad_ll("5 ", 0, 10, EINVAL);
	bad_ll("12abc", 0, 100, EINVAL);
	bad_ll("0x10", 0, 100, EINVAL);
	bad_ll("1.5", 0, 10, EINVAL);
	bad_ll("11", 0, 10, ERANGE);
	bad_ll("-1", 0, 10, ERANGE);
	bad_ll("99999999999999999999", 0, LLONG_MAX, ERANGE);
	bad_ll("-99999999999999999999", LLONG_MIN, 0, ERANGE);
	CHECK_INT(parse_ll(NULL, 0, 1, &(long long){0}), -1);
}

static void
test_int(void)
{
	int v = 0;

	CHECK_INT(parse_int("65535", 0, 65535, &v), 0);
	CHECK_INT(v, 65535);
	CHECK_INT(parse_int("65536", 0, 65535, &v), -1);
	CHECK_INT(errno, ERANGE);
	CHECK_INT(parse_int("4294967296", INT_MIN, INT_MAX, &v), -1);
}

static void
test_double(void)
{
	double d = 0;

	CHECK_INT(parse_double("2.5", 0, 10, &d), 0);
	CHECK(d == 2.5);
	CHECK_INT(parse_double(".5", 0, 10, &d), 0);
	CHECK(d == 0.5);
	CHECK_INT(parse_double("1e1", 0, 100, &d), 0);
	CHECK(d == 10.0);
	CHECK_INT(parse_double("nan", 0, 10, &d), -1);
	CHECK_INT(parse_double("inf", 0, 10, &d), -1);
	CHECK_INT(parse_double("0x1p3", 0, 100, &d), -1);
	CHECK_INT(parse_double("", 0, 10, &d), -1);
	CHECK_INT(parse_double("1.5s", 0, 10, &d), -1);
	CHECK_INT(errno, EINVAL);
	CHECK_INT(parse_double("11", 0, 10, &d), -1);
	CHECK_INT(errno, ERANGE);
	CHECK_INT(parse_double("1e999", 0, 1e300, &d), -1);
	CHECK_INT(errno, ERANGE);
}

static void
test_str(void)
{
	char buf[4];

	CHECK_INT(strlcpy_(buf, "abcdef", sizeof(buf)), 6);
	CHECK_STR(buf, "abc");
	CHECK_INT(strlcpy_(buf, "ab", sizeof(buf)), 2);
	CHECK_STR(buf, "ab");
	CHECK(str_starts("SIGKILL", "SIG"));
	CHECK(!str_starts("SI", "SIG"));
}

int
main(void)
{
	test_ll_good();
	test_ll_bad();
	test_int();
	test_double();
	test_str();
	return tap_done();
}
