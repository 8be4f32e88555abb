/*
 * test_esc.c: the escaper's rules (lib/esc.c) in a UTF-8 locale and in
 * the C locale, its widths, and cuts that never split a character. The
 * expected bytes of the control and invalid-UTF-8 cases are what procps
 * ps 4.0 prints for a process of that name (tests/cli/escape_pty.sh
 * compares with ps itself).
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "esc.h"

static char out[256];
static size_t cells;

/* Escape n bytes of s (no width limit) into out; cells set. */
static const char *
esc(const char *s, size_t n)
{
	esc_buf(out, sizeof(out), s, n, ESC_NOLIMIT, &cells);
	return out;
}

#define E(lit) esc(lit, sizeof(lit) - 1)

static void
utf8_rules(void)
{
	/* ASCII passes, its width is its length */
	CHECK_STR(E("hello world"), "hello world");
	CHECK_INT(cells, 11);
	/* the case: a lead byte, then ESC */
	CHECK_STR(E("\xc2\x1b[2J"), "??[2J");
	/* every C0 control, DEL and NUL: one '?' each */
	CHECK_STR(E("a\x01\x09\x0a\x1b\x1f\x7f"
	            "b"),
	          "a??????b");
	CHECK_STR(E("a\0b"), "a?b");
	/* C1 controls as UTF-8: CSI U+009B, OSC U+009D, U+0080 */
	CHECK_STR(E("a\xc2\x9b"
	            "b\xc2\x9d"
	            "c\xc2\x80"),
	          "a?b?c?");
	/* line and paragraph separators */
	CHECK_STR(E("a\xe2\x80\xa8"
	            "b\xe2\x80\xa9"
	            "c"),
	          "a?b?c");
	/* bidirectional overrides and isolates (ps lets these through) */
	CHECK_STR(E("a\xe2\x80\xaa\xe2\x80\xae"
	            "b"),
	          "a??b");
	CHECK_STR(E("a\xe2\x81\xa6\xe2\x81\xa9"
	            "b"),
	          "a??b");
	/* but not their printable neighbours: U+2030 per mille */
	CHECK_STR(E("\xe2\x80\xb0"), "\xe2\x80\xb0");
	/* printable non-ASCII passes with its width */
	CHECK_STR(E("\xc3\xa9t\xc3\xa9"), "\xc3\xa9t\xc3\xa9");
	CHECK_INT(cells, 3);
	CHECK_STR(E("\xe4\xb8\xad\xe6\x96\x87"), "\xe4\xb8\xad\xe6\x96\x87");
	CHECK_INT(cells, 4); /* CJK: two cells each */
	CHECK_STR(E("e\xcc\x81x"), "e\xcc\x81x");
	CHECK_INT(cells, 2); /* a combining mark takes no cell */
	/* invalid sequences: one '?' per byte that is not UTF-8 */
	CHECK_STR(E("\xc0\xaf"
	            "x"),
	          "??x"); /* overlong '/' */
	CHECK_STR(E("\xe0\x80\xaf"
	            "x"),
	          "???x"); /* overlong, 3 bytes */
	CHECK_STR(E("\xed\xa0\x80"
	            "x"),
	          "???x"); /* a UTF-16 surrogate */
	CHECK_STR(E("\xf4\x90\x80\x80"
	            "x"),
	          "?x"); /* U+110000 (as ps) */
	CHECK_STR(E("\xef\xbf\xbe"
	            "x"),
	          "?x");             /* U+FFFE, no char */
	CHECK_STR(E("a\xc2"), "a?"); /* cut off by the end */
	CHECK_STR(E("\xe2\x82"
	            "A"),
	          "??A"); /* missing a byte */
	/* after a byte that cannot start a character, the rest is taken
	 * as not UTF-8 and escaped as in the C locale, as ps does */
	CHECK_STR(E("a\xff"
	            "b\x01\xc3\xa9"),
	          "a?b.??");
	CHECK_INT(cells, 6);
	CHECK_STR(E("\xe2"
	            "A\xe2\x82\xac"),
	          "?A???");
	/* escaping escaped text changes nothing */
	CHECK_STR(E("??[2J \xc3\xa9 \xe4\xb8\xad"),
	          "??[2J \xc3\xa9 \xe4\xb8\xad");
	CHECK_INT(esc_width("\xe4\xb8\xad"
	                    "a\x1b",
	                    5),
	          4);
	/* the output is never longer than the input */
	CHECK_INT(esc_buf(out, 5, "\xc2\x1b[2J", 5, ESC_NOLIMIT, NULL), 4);
	CHECK_STR(out, "??[2");
}

static void
utf8_cuts(void)
{
	size_t n;

	/* a cut at a width never splits a character */
	n = esc_buf(out, sizeof(out), "\xe4\xb8\xad\xe6\x96\x87", 6, 3, &cells);
	CHECK_STR(out, "\xe4\xb8\xad");
	CHECK_INT(n, 3);
	CHECK_INT(cells, 2);
	esc_buf(out, sizeof(out), "\xc3\xa9t\xc3\xa9", 5, 2, &cells);
	CHECK_STR(out, "\xc3\xa9t");
	CHECK_INT(cells, 2);
	/* a combining mark stays with its letter at the edge */
	esc_buf(out, sizeof(out), "e\xcc\x81x", 4, 1, &cells);
	CHECK_STR(out, "e\xcc\x81");
	/* a cut by bytes (a small buffer) never splits one either */
	esc_buf(out, 3, "\xc3\xa9\xc3\xa9", 4, ESC_NOLIMIT, &cells);
	CHECK_STR(out, "\xc3\xa9");
	esc_buf(out, 2, "\xc3\xa9", 2, ESC_NOLIMIT, &cells);
	CHECK_STR(out, "");
	CHECK_INT(cells, 0);
	/* width 0 writes nothing */
	CHECK_INT(esc_buf(out, sizeof(out), "abc", 3, 0, &cells), 0);
	/* in place */
	strcpy(out, "x\xc2\x1b[2Jy");
	esc_buf(out, sizeof(out), out, strlen(out), ESC_NOLIMIT, NULL);
	CHECK_STR(out, "x??[2Jy");
}

/* esc_fpad and esc_fputs into a memory stream */
static void
streams(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		tap_skip("stream checks", "open_memstream failed");
		return;
	}
	CHECK_INT(esc_fputs("a\x1b"
	                    "b",
	                    f),
	          3);
	CHECK_INT(esc_fpad("\xe4\xb8\xad\xe6\x96\x87", 3, f), 3);
	CHECK_INT(esc_fpad("\xc3\xa9", 3, f), 3);
	CHECK_INT(esc_fwrite("x\0y", 3, f), 3);
	fclose(f);
	CHECK_STR(buf, "a?b\xe4\xb8\xad \xc3\xa9  x?y");
	free(buf);
}

static void
c_rules(void)
{
	/* as ps in the C locale: controls '.', bytes >= 0x80 '?' */
	CHECK_STR(E("\xc2\x1b[2J"), "?.[2J");
	CHECK_STR(E("x\033[31my\tz\001w\377v"), "x.[31my.z.w?v");
	CHECK_STR(E("\xc3\xa9"), "??");
	CHECK_INT(cells, 2);
	CHECK_STR(E("a\x7f\xc2\x9b"
	            "b"),
	          "a.??b");
	CHECK(!esc_utf8());
}

int
main(void)
{
	if (setlocale(LC_CTYPE, "C.UTF-8") ||
	    setlocale(LC_CTYPE, "en_US.UTF-8")) {
		CHECK(esc_utf8());
		utf8_rules();
		utf8_cuts();
		streams();
	} else {
		tap_skip("UTF-8 rules", "no UTF-8 locale installed");
	}
	setlocale(LC_CTYPE, "C");
	c_rules();
	return tap_done();
}
