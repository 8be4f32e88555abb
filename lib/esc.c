/* esc.c: the one escaper for untrusted text on a terminal (see esc.h). */
/* wcwidth() is X/Open: ask for it even when built without -D_GNU_SOURCE */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "esc.h"

/* One escaped character: at most 4 bytes of UTF-8, or a '?' / '.'. */
struct unit {
	char b[8];
	size_t n;     /* bytes in b */
	size_t cells; /* its width on the terminal */
};

int
esc_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && strcmp(cs, "UTF-8") == 0 && MB_CUR_MAX > 1;
}

/* Bytes of the UTF-8 character a lead byte starts, or 0 if none. */
static size_t
lead_len(unsigned char b)
{
	if (b < 0x80)
		return 1;
	if (b < 0xc2)
		return 0; /* a continuation byte, or an overlong 2-byte lead */
	if (b < 0xe0)
		return 2;
	if (b < 0xf0)
		return 3;
	if (b < 0xf5)
		return 4;
	return 0; /* would encode more than U+10FFFF */
}

/*
 * Where the text stops looking like UTF-8, judged by lead bytes alone:
 * the first byte that cannot start a character, or a character cut off
 * by the end. WHY this first pass: it is how procps ps decides that a
 * string is "corrupt" and escapes the rest byte by byte; doing the same
 * keeps procview's output identical to ps's for the same process.
 */
static size_t
utf8_end(const unsigned char *s, size_t len)
{
	size_t i = 0, n;

	if (!esc_utf8())
		return 0; /* the C locale: every byte stands alone */
	while (i < len) {
		n = lead_len(s[i]);
		if (n == 0 || n > len - i)
			return i;
		i += n;
	}
	return len;
}

/*
 * Printable on a terminal? iswprint already refuses the C0 and C1
 * controls in glibc; they are named here too so that the rule does not
 * hang on one C library. WHY the others: U+2028/2029 end a line
 * without being '\n', and a bidirectional override reorders what
 * follows it on the screen ("Trojan Source", CVE-2021-42574), which
 * iswprint calls printable.
 */
static int
printable(wchar_t wc)
{
	if (wc < 0x20 || (wc >= 0x7f && wc <= 0x9f))
		return 0;
	if (wc == 0x2028 || wc == 0x2029)
		return 0;
	if ((wc >= 0x202a && wc <= 0x202e) || (wc >= 0x2066 && wc <= 0x2069))
		return 0;
	return iswprint((wint_t)wc) && wcwidth(wc) >= 0;
}

static void
unit_byte(struct unit *u, char c)
{
	u->b[0] = c;
	u->n = 1;
	u->cells = 1;
}

/*
 * Escape the character at s[i]; bytes from end on are not UTF-8 (see
 * utf8_end). Returns how many bytes of s it stands for.
 */
static size_t
step(const unsigned char *s, size_t i, size_t end, struct unit *u)
{
	mbstate_t st;
	wchar_t wc;
	size_t r;

	if (i >= end) { /* as ps in the C locale */
		unit_byte(u, s[i] >= 0x80                  ? '?'
		             : s[i] < 0x20 || s[i] == 0x7f ? '.'
		                                           : (char)s[i]);
		return 1;
	}
	if (s[i] < 0x80) {
		unit_byte(u, s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?');
		return 1;
	}
	/* the C library decodes, as for ps; a bad sequence costs 1 byte */
	memset(&st, 0, sizeof(st));
	r = mbrtowc(&wc, (const char *)s + i, end - i, &st);
	if (r == (size_t)-1 || r == (size_t)-2 || r == 0 || r > sizeof(u->b)) {
		unit_byte(u, '?');
		return 1;
	}
	if (!printable(wc)) {
		unit_byte(u, '?');
		return r;
	}
	memcpy(u->b, s + i, r);
	u->n = r;
	u->cells = (size_t)wcwidth(wc);
	return r;
}

/* Where escaped units go: a buffer (dst, size), a stream (f), or nowhere
 * (only the width is wanted). */
struct sink {
	char *dst;
	size_t size, o; /* o: bytes written to dst so far */
	FILE *f;
	int err; /* a write to f failed */
};

/* Does u still fit in the sink? A stream takes everything. */
static int
sink_put(struct sink *k, const struct unit *u)
{
	if (k->dst) {
		if (u->n > k->size - 1 - k->o)
			return 0;
		memmove(k->dst + k->o, u->b, u->n);
		k->o += u->n;
	} else if (k->f && fwrite(u->b, 1, u->n, k->f) != u->n) {
		k->err = 1;
		return 0;
	}
	return 1;
}

/*
 * Escape src into k, stopping before a character wider than what is
 * left of maxcells or that does not fit. Returns the width in cells.
 * With dst == src: k->o <= i holds throughout (no unit is longer than
 * the bytes it stands for) and each unit is read before it is written.
 */
static size_t
walk(const char *src, size_t len, size_t maxcells, struct sink *k)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t end = utf8_end(s, len), i = 0, w = 0, used;
	struct unit u;

	while (i < len) {
		used = step(s, i, end, &u);
		if (u.cells > maxcells - w || !sink_put(k, &u))
			break;
		w += u.cells;
		i += used;
	}
	return w;
}

size_t
esc_buf(char *dst, size_t size, const char *src, size_t len, size_t maxcells,
        size_t *cells)
{
	struct sink k = {dst, size, 0, NULL, 0};
	size_t w = walk(src, len, maxcells, &k);

	dst[k.o] = '\0';
	if (cells)
		*cells = w;
	return k.o;
}

size_t
esc_width(const char *src, size_t len)
{
	struct sink k = {NULL, 0, 0, NULL, 0};

	return walk(src, len, ESC_NOLIMIT, &k);
}

long
esc_fwrite(const char *src, size_t len, FILE *f)
{
	struct sink k = {NULL, 0, 0, f, 0};
	size_t w = walk(src, len, ESC_NOLIMIT, &k);

	return k.err ? -1 : (long)w;
}

long
esc_fputs(const char *s, FILE *f)
{
	return esc_fwrite(s, strlen(s), f);
}

long
esc_fpad(const char *s, size_t width, FILE *f)
{
	struct sink k = {NULL, 0, 0, f, 0};
	size_t w = walk(s, strlen(s), width, &k);

	if (k.err)
		return -1;
	for (; w < width; w++)
		if (fputc(' ', f) == EOF)
			return -1;
	return (long)width;
}
