/*
 * diagram.c: the address space as a picture, high addresses on top.
 *
 * A 47-bit address space is 128 TiB and almost all of it is empty, so a
 * picture to scale would be blank paper with a few specks. The axis is
 * compressed instead: every mapping is a box whose height is in
 * proportion to its size (one row per MiB, at least one row, at most
 * MAX_ROWS), and every gap between mappings shrinks to one line that
 * says how big it really is.
 */
#include <string.h>

#include "esc.h"
#include "memlayout.h"
#include "term.h"
#include "util.h"

#define ROW_BYTES (1UL << 20)
#define MAX_ROWS 12
#define BOX 34                      /* inner width of a box */
#define BOX_COLS (18 + 2 + BOX + 1) /* address column and box, in cells */
#define USER_TOP 0x800000000000UL   /* x86-64, 4-level paging */

static size_t
rows_of(const struct maps_entry *e)
{
	unsigned long size = e->end - e->start;
	size_t r = (size + ROW_BYTES - 1) / ROW_BYTES;

	return r < 1 ? 1 : r > MAX_ROWS ? MAX_ROWS : r;
}

static void
border(FILE *out, unsigned long addr)
{
	char dash[BOX + 1];

	memset(dash, '-', BOX);
	dash[BOX] = '\0';
	fprintf(out, "0x%016lx +%s+\n", addr, dash);
}

/* Which row of a box (0 = top) an address falls in. */
static size_t
row_of(const struct maps_entry *e, unsigned long a, size_t rows)
{
	unsigned long long off = e->end - 1 - a;

	return (size_t)(off * rows / (e->end - e->start));
}

/*
 * The labels of the symbols on one row, "  <- main, etext", from label
 * *k on: as many as fit in width cells from column col (0: all). Sets
 * *k to the first one left for a next line; returns how many it wrote.
 */
static size_t
row_labels(FILE *out, const struct maps_entry *e, size_t row, size_t rows,
           const struct label *lab, size_t nlab, size_t *k, size_t width)
{
	size_t col = BOX_COLS, wrote = 0, w;

	for (; *k < nlab; ++*k) {
		if (lab[*k].addr < e->start || lab[*k].addr >= e->end ||
		    row_of(e, lab[*k].addr, rows) != row)
			continue;
		w = strlen(lab[*k].name) + (wrote ? 2 : 5);
		if (width && wrote && col + w > width)
			break; /* the rest on the next line */
		fprintf(out, "%s%s", wrote ? ", " : "  <- ", lab[*k].name);
		col += w;
		wrote++;
	}
	return wrote;
}

/* Text inside the box on a row: the name on top, growth marks. */
static void
box_text(char *buf, size_t n, const struct maps_entry *e, enum seg s,
         size_t row, size_t rows)
{
	const char *base = strrchr(e->path, '/');
	char name[4 * BOX + 1]; /* UTF-8: up to 4 bytes a cell */

	buf[0] = '\0';
	/* a file name may hold any byte: escaped, cut by cells */
	base = base ? base + 1 : e->path;
	esc_buf(name, sizeof(name), base, strlen(base), BOX - 20, NULL);
	if (row == 0)
		snprintf(buf, n, "%s %s %s", e->perms, seg_name(s), name);
	/* the kernel grows [stack]; a thread's stack is a fixed mmap,
	 * used from its top down */
	if (row + 1 == rows && s == SEG_STACK)
		snprintf(buf + strlen(buf), n - strlen(buf), "%s v grows down",
		         row ? "" : " ");
	if (row + 1 == rows && s == SEG_THREAD_STACK)
		snprintf(buf + strlen(buf), n - strlen(buf),
		         "%s v used downward", row ? "" : " ");
	if (row == 0 && s == SEG_HEAP)
		snprintf(buf + strlen(buf), n - strlen(buf), " ^ grows up");
}

/* A mapping too big to draw to scale says so in its middle row. */
static void
cut_text(char *buf, size_t n, const struct maps_entry *e)
{
	char size[16];

	format_size(e->end - e->start, size, sizeof(size));
	snprintf(buf, n, " ... cut, %s in all", size);
}

/* One row of a box: its edges, the text inside padded by cells. */
static void
box_row(FILE *out, const char *text, enum seg s, int color)
{
	fprintf(out, "%18s |%s", "", term_sgr(color, seg_color(s)));
	esc_fpad(text, BOX, out); /* padded by cells, not bytes */
	fprintf(out, "%s|", term_sgr(color, "0"));
}

/*
 * A box, row by row, with the labels pointing at each row; labels that
 * do not fit the width go on extra empty rows below theirs (the picture
 * is not to scale anyway, and a wrapped line would break the box).
 */
static void
box(FILE *out, const struct maps_entry *e, enum seg s, const struct label *lab,
    size_t nlab, int color, size_t width)
{
	size_t r, k, rows = rows_of(e);
	char text[8 * BOX + 1];

	for (r = 0; r < rows; r++) {
		box_text(text, sizeof(text), e, s, r, rows);
		if (r == rows / 2 && r > 0 &&
		    e->end - e->start > MAX_ROWS * ROW_BYTES)
			cut_text(text, sizeof(text), e);
		box_row(out, text, s, color);
		k = 0;
		row_labels(out, e, r, rows, lab, nlab, &k, width);
		fputc('\n', out);
		while (k < nlab) {
			box_row(out, "", s, color);
			/* writes one name at least: k stopped at one */
			row_labels(out, e, r, rows, lab, nlab, &k, width);
			fputc('\n', out);
		}
	}
}

/*
 * One line for an empty stretch. Above the top of user space (47 bits)
 * lie the non-canonical hole and the kernel's half, which we say rather
 * than count as a "gap": only [vsyscall] is mapped up there.
 */
static void
gap(FILE *out, unsigned long lo, unsigned long hi)
{
	char size[32];

	if (hi > USER_TOP && lo < USER_TOP) {
		fprintf(out,
		        "%18s ~   non-canonical hole, then the kernel%*s~\n",
		        "", BOX - 37, "");
		fprintf(out, "0x%016lx  ...  top of user space (47 bits)\n",
		        USER_TOP);
		format_size(USER_TOP - lo, size, sizeof(size));
		fprintf(out, "%18s ~   gap: %-12s unmapped%*s~\n", "", size,
		        BOX - 28, "");
		return;
	}
	format_size(hi - lo, size, sizeof(size));
	fprintf(out, "%18s ~   gap: %-12s unmapped%*s~\n", "", size, BOX - 28,
	        "");
}

void
diagram_print(FILE *out, const struct maps *m, const enum seg *seg,
              const struct label *lab, size_t nlab, int color, int width)
{
	size_t i;

	fprintf(out,
	        "%sthe address space, high addresses on top%s\n"
	        "(one row = 1 MiB; a smaller mapping gets one row, a bigger "
	        "one at most %d;\n empty gaps are squeezed to one '~' line "
	        "that says how big they are)\n\n",
	        term_sgr(color, TERM_BOLD), term_sgr(color, "0"), MAX_ROWS);
	for (i = m->n; i-- > 0;) {
		const struct maps_entry *e = &m->v[i];

		if (i + 1 == m->n || m->v[i + 1].start != e->end)
			border(out, e->end);
		box(out, e, seg[i], lab, nlab, color,
		    width > 0 ? (size_t)width : 0);
		border(out, e->start);
		if (i > 0 && m->v[i - 1].end != e->start)
			gap(out, m->v[i - 1].end, e->start);
	}
}
