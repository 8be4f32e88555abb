/*
 * width.c: output that fits the student's terminal.
 *
 * An 80-column terminal wraps every longer line, and a wrapped table is
 * unreadable. So the text views ask how wide a line may be, as ps does
 * (COLUMNS, else the terminal's width, else unlimited when piped), and
 * shorten themselves to fit: paths lose their left end ("...bin/prog"
 * keeps the file name), our own sentences wrap at a word.
 */
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "memlayout.h"
#include "term.h"
#include "util.h"

/*
 * COLUMNS first, so that `COLUMNS=80 memlayout | less` is the 80-column
 * view, then the terminal's width (TIOCGWINSZ); piped output with no
 * COLUMNS is never shortened (0). --wide: unlimited.
 */
int
out_width(int wide)
{
	const char *env = getenv("COLUMNS");
	int w;

	if (wide)
		return 0;
	if (env && parse_int(env, 1, 100000, &w) == 0)
		return w;
	return term_width(1);
}

/* Bytes of the UTF-8 (or single-byte) character that starts at s. */
static size_t
char_len(const char *s, size_t n)
{
	size_t k = 1;

	while (k < n && ((unsigned char)s[k] & 0xc0) == 0x80)
		k++;
	return k;
}

/*
 * Text from the kernel (a path in maps) escaped, in at most cells cells
 * and padded to cells if pad: when too wide its left end is cut and
 * "..." put in its place, since the end of a path (the file name) is the
 * part that says what it is. cells 0: all of it. Returns the cells
 * written.
 */
size_t
put_left(const char *s, size_t len, size_t cells, int pad, FILE *out)
{
	char *buf = xmalloc(len + 1);
	size_t n, k = 0, w;

	n = esc_buf(buf, len + 1, s, len, ESC_NOLIMIT, &w);
	if (cells && w > cells) {
		/* escaped text is escaped again unchanged: measure it so */
		while (k < n && w + 3 > cells) {
			size_t c = char_len(buf + k, n - k);

			w -= esc_width(buf + k, c);
			k += c;
		}
		fputs(cells >= 3 ? "..." : "", out);
		w += cells >= 3 ? 3 : 0;
	}
	fwrite(buf + k, 1, n - k, out);
	for (; pad && w < cells; w++)
		fputc(' ', out);
	free(buf);
	return w;
}

/*
 * Our own sentence s (plain ASCII) from column at, wrapped at a space so
 * that no line passes width; each further line starts with indent
 * spaces. width 0: one line.
 */
void
put_wrapped(const char *s, size_t at, size_t indent, size_t width, FILE *out)
{
	size_t col = at;
	int first = 1;

	while (*s) {
		size_t word = strcspn(s, " ");

		if (!first && width && col + 1 + word > width) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', out);
			col++;
		}
		fwrite(s, 1, word, out);
		col += word;
		s += word;
		while (*s == ' ')
			s++;
		first = 0;
	}
	fputc('\n', out);
}
