/*
 * fuzz_parse.c: libFuzzer target for parse_ll, parse_int, parse_double.
 * lib: lib/parse.c
 *
 * Oracle: a success must lie in [min, max] and agree with strtoll /
 * strtod on the same text; a failure must set errno to EINVAL or ERANGE
 * and leave *out untouched. The first input byte picks the range.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const long long ranges[][2] = {
    {LLONG_MIN, LLONG_MAX}, {0, 65535},     {-10, 10}, {1, 1},
    {0, LLONG_MAX},         {LLONG_MIN, 0}, {-1, 1},   {0, 0},
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const long long *r;
	long long v = 12345;
	int iv = 777;
	double d = 0.5;
	char *s;

	if (size < 1)
		return 0;
	r = ranges[data[0] % (sizeof(ranges) / sizeof(ranges[0]))];
	s = malloc(size); /* exact size: ASan sees any read past the NUL */
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';

	errno = 0;
	if (parse_ll(s, r[0], r[1], &v) == 0) {
		if (v < r[0] || v > r[1] || v != strtoll(s, NULL, 10))
			abort();
	} else if ((errno != EINVAL && errno != ERANGE) || v != 12345) {
		abort();
	}

	errno = 0;
	if (parse_int(s, -1000, 1000, &iv) == 0) {
		if (iv < -1000 || iv > 1000 || iv != (int)strtol(s, NULL, 10))
			abort();
	} else if ((errno != EINVAL && errno != ERANGE) || iv != 777) {
		abort();
	}

	errno = 0;
	if (parse_double(s, -1e6, 1e6, &d) == 0) {
		if (!(d >= -1e6 && d <= 1e6) || d != strtod(s, NULL))
			abort();
	} else if ((errno != EINVAL && errno != ERANGE) || d != 0.5) {
		abort();
	}
	free(s);
	return 0;
}
