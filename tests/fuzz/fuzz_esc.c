/*
 * fuzz_esc.c: libFuzzer target for the terminal escaper.
 * lib: lib/esc.c
 *
 * The first byte picks the locale (UTF-8 or C) and a width limit; the
 * rest is the text. Oracle, for every input: the output is no longer
 * than the input; it holds no control character (C0, DEL, C1), no
 * U+2028/2029 and no bidirectional override; in a UTF-8 locale it is
 * valid UTF-8 (checked with a strict decoder of our own, not the C
 * library's), in the C locale pure printable ASCII; its width equals the
 * sum of wcwidth over its characters and is within the limit; escaping
 * it again changes nothing; esc_width agrees with esc_buf.
 */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "esc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Strict UTF-8: the code point at s (n bytes left) and its length, or
 * length 0 if invalid (overlong, surrogate, > U+10FFFF, cut off). */
static size_t
strict(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, *cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, *cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, *cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 2 && *cp < 0x80) || (len == 3 && *cp < 0x800) ||
	    (len == 4 && *cp < 0x10000) || (*cp >= 0xd800 && *cp <= 0xdfff) ||
	    *cp > 0x10ffff)
		return 0;
	return len;
}

static int
forbidden(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 ||
	       cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Check out (n bytes); returns the sum of wcwidth, aborts if bad. */
static size_t
check(const unsigned char *out, size_t n, int utf8)
{
	size_t i = 0, k, w = 0;
	uint32_t cp;

	while (i < n) {
		k = strict(out + i, n - i, &cp);
		if (k == 0 || forbidden(cp) || (!utf8 && cp >= 0x80))
			abort();
		if (wcwidth((wchar_t)cp) < 0)
			abort();
		w += (size_t)wcwidth((wchar_t)cp);
		i += k;
	}
	return w;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int have_utf8 = -1;
	char *out, *again;
	size_t n, m, cells, cells2, max;
	int utf8;

	if (size < 1)
		return 0;
	if (have_utf8 < 0)
		have_utf8 = setlocale(LC_CTYPE, "C.UTF-8") != NULL;
	utf8 = have_utf8 && (data[0] & 1);
	setlocale(LC_CTYPE, utf8 ? "C.UTF-8" : "C");
	max = data[0] & 2 ? (size_t)(data[0] >> 2) : ESC_NOLIMIT;
	data++;
	size--;
	out = malloc(size + 1);
	again = malloc(size + 1);
	if (!out || !again)
		abort();
	n = esc_buf(out, size + 1, (const char *)data, size, max, &cells);
	if (n > size || out[n] != '\0' || cells > max)
		abort();
	if (check((const unsigned char *)out, n, utf8) != cells)
		abort();
	if (max == ESC_NOLIMIT && esc_width((const char *)data, size) != cells)
		abort();
	m = esc_buf(again, size + 1, out, n, ESC_NOLIMIT, &cells2);
	if (m != n || memcmp(out, again, n) != 0 || cells2 != cells)
		abort();
	free(out);
	free(again);
	return 0;
}
