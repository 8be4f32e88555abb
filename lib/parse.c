/*
 * parse.c: every number a user types goes through here.
 *
 * strtol alone is a trap: it accepts "", " 12", "12abc" and silently
 * clamps on overflow. These wrappers reject all of that.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* strto* skip leading space and accept a lone sign: we do not. */
static int
starts_like_number(const char *s)
{
	if (!s || !*s || isspace((unsigned char)*s))
		return 0;
	if (*s == '+' || *s == '-')
		s++;
	return isdigit((unsigned char)*s) || *s == '.';
}

int
parse_ll(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (!starts_like_number(s)) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

int
parse_int(const char *s, int min, int max, int *out)
{
	long long v;

	if (parse_ll(s, min, max, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

int
parse_double(const char *s, double min, double max, double *out)
{
	const char *p;
	char *end;
	double v;

	if (!starts_like_number(s)) {
		errno = EINVAL;
		return -1;
	}
	for (p = s; *p; p++) /* digits, one sign, dot, exponent only */
		if (!isdigit((unsigned char)*p) && !strchr("+-.eE", *p)) {
			errno = EINVAL;
			return -1;
		}
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || !isfinite(v) || v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}
