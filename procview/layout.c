/*
 * layout.c: -o specs, and the rows of the table laid out as procps ps
 * lays them out.
 *
 * A column has a width; a value too wide for it pushes the rest of the
 * row right and the next columns take the room back from their padding.
 * Every value is escaped here (lib/esc.h: the text is the process's
 * own, so it may hold bytes a terminal obeys), and widths are counted in
 * terminal cells, so "été" and "中文" pad as they look.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "procview.h"
#include "util.h"

int
pv_format_has_header(const struct pv_format *f)
{
	size_t i;

	/* ps prints no header line when every title is empty (-o pid=) */
	for (i = 0; i < f->n; i++)
		if (!f->col[i].header || f->col[i].header[0])
			return 1;
	return 0;
}

static void
add_col(struct pv_format *f, const struct pv_key *k, const char *hdr, int width)
{
	struct pv_col *col;

	f->col = xreallocarray(f->col, f->n + 1, sizeof(*f->col));
	col = &f->col[f->n++];
	col->key = k;
	col->header = hdr ? xstrdup(hdr) : NULL;
	col->width = width ? width : k->width;
	f->needs |= k->needs;
	if (k->value == V_TID)
		f->threads = 1;
}

/* KEY or KEY:WIDTH (procps's way to set a column's width) in w; the
 * width in *width (0: the key's own). NULL if either is wrong. */
static const struct pv_key *
key_and_width(char *w, int *width)
{
	char *colon = strchr(w, ':');

	*width = 0;
	if (colon) {
		*colon = '\0';
		if (parse_int(colon + 1, 1, 1 << 16, width) < 0)
			return NULL;
	}
	return pv_key_find(w);
}

int
pv_format_add(struct pv_format *f, const char *spec, char *msg, size_t n)
{
	char *copy = xstrdup(spec), *p = copy, *w, *eq;
	const struct pv_key *k;
	int any = 0, width;

	while (*p) {
		w = p;
		eq = NULL;
		/* a word ends at ',' or ' '; after '=' comes the column's
		 * title, which ends there too (as procps: -o 'pid=ID comm'
		 * is two columns) */
		while (*p && *p != ',' && *p != ' ' && *p != '=')
			p++;
		if (*p == '=') {
			*p++ = '\0';
			eq = p;
			p += strcspn(p, ", ");
		}
		if (*p)
			*p++ = '\0';
		if (!*w && !eq)
			continue;
		if (!(k = key_and_width(w, &width))) {
			snprintf(msg, n, "unknown keyword '%s' in '%s'", w,
			         spec);
			free(copy);
			return -1;
		}
		add_col(f, k, eq, width);
		any = 1;
	}
	free(copy);
	if (!any) {
		snprintf(msg, n, "empty format");
		return -1;
	}
	return 0;
}

void
pv_format_free(struct pv_format *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free((char *)f->col[i].header);
	free(f->col);
	memset(f, 0, sizeof(*f));
}

void
pv_cmd_text(char *buf, size_t n, const struct pv_proc *p, int args)
{
	char *raw = pv_cmd_alloc(p, args);

	esc_buf(buf, n, raw, strlen(raw), ESC_NOLIMIT, NULL);
	free(raw);
}

/* ---- the row ---- */

struct sbuf {
	char *s;
	size_t len, cap;
};

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? 2 * b->cap : 256;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
sb_spaces(struct sbuf *b, int n)
{
	static const char sp[] = "                                ";

	for (; n > 0; n -= (int)sizeof(sp) - 1)
		sb_add(b, sp,
		       n < (int)sizeof(sp) - 1 ? (size_t)n : sizeof(sp) - 1);
}

/* A column is as wide as its key says (or KEY:WIDTH), and at least as
 * wide as a title given with KEY=TITLE, as in procps */
static int
col_width(const struct pv_col *col, const struct pv_ctx *c)
{
	int w = col->width == PV_PIDW ? c->pidw : col->width;
	size_t hw;

	if (col->header) {
		hw = esc_width(col->header, strlen(col->header));
		if (hw > (size_t)w)
			w = (int)hw;
	}
	return w;
}

static const char *
col_header(const struct pv_col *col)
{
	return col->header ? col->header : col->key->header;
}

/*
 * The escaped text of one cell in text (bufsz bytes); returns its width
 * in cells. A text column in the middle of the row is cut to its width
 * (numbers push the row instead), never inside a character; the last
 * one to max cells (the room left on the line).
 */
static size_t
cell_text(char *text, size_t bufsz, const struct pv_col *col,
          const struct pv_proc *p, struct pv_ctx *c, int w, size_t max,
          int last)
{
	const struct pv_key *k = col->key;
	size_t cells;

	if (p)
		pv_key_text(k, text, bufsz, p, c, last ? 0 : w);
	else
		snprintf(text, bufsz, "%s", col_header(col));
	esc_buf(text, bufsz, text, strlen(text), max, &cells);
	return cells;
}

/*
 * The width ps lays a line out in: the terminal's width, or the
 * smallest multiple of it that holds every column at its width (the
 * last, a command, counted as 3). WHY: a narrow terminal then wraps
 * whole lines instead of cutting a column in the middle.
 */
static int
active_width(const struct pv_format *f, struct pv_ctx *c, int width)
{
	int total = 0, active = width;
	size_t i;

	for (i = 0; i < f->n; i++) {
		/* (comm is unlimited too in procps, though left-aligned) */
		if (i + 1 == f->n && (f->col[i].key->just == PV_UNLIMITED ||
		                      f->col[i].key->value == V_COMM))
			total += 3;
		else
			total += col_width(&f->col[i], c);
		total += i > 0;
	}
	while (active < total)
		active += width;
	return active;
}

/* How many cells a column may take (procps's max_rightward) */
static size_t
room(const struct pv_format *f, size_t i, int w, const int pos[3], int active)
{
	const struct pv_key *k = f->col[i].key;
	int correct = pos[0], actual = pos[1], dospace = pos[2], r;

	if (i + 1 < f->n)
		return k->value == V_COMM || k->value == V_ARGS ||
		               k->value == V_WCHAN
		           ? (size_t)w
		           : ESC_NOLIMIT;
	if (active == 0)
		return ESC_NOLIMIT;
	if (correct - actual < 1)
		r = active - actual - dospace;
	else
		r = active - (correct > actual ? correct : actual);
	return r > 0 ? (size_t)r : 0;
}

char *
pv_format_row(const struct pv_format *f, const struct pv_proc *p,
              struct pv_ctx *c, int width)
{
	struct sbuf b = {0};
	/* pos: where this column should start, where we are (both in
	 * cells), and whether a space is owed */
	int pos[3] = {0, 0, 0};
	int active = width > 0 ? active_width(f, c, width) : 0;
	size_t i;

	sb_add(&b, "", 0);
	for (i = 0; i < f->n; i++) {
		const struct pv_col *col = &f->col[i];
		int w = col_width(col, c);
		int amount, leftpad = 0, space;
		char small[512], *text = small;
		size_t bufsz = sizeof(small), max;

		/* only a command line may need more than a small cell */
		if (p && col->key->value == V_ARGS &&
		    (p->cmdlen > 256 || p->forest)) {
			bufsz = p->cmdlen + 512 +
			        (p->forest ? strlen(p->forest) : 0);
			text = xmalloc(bufsz);
		}
		/* (a title is never cut: it pushes the row, as a number) */
		max = p ? room(f, i, w, pos, active) : ESC_NOLIMIT;
		amount = (int)cell_text(text, bufsz, col, p, c, w, max,
		                        i + 1 == f->n);
		if (col->key->just == PV_RIGHT)
			leftpad = w - amount > 0 ? w - amount : 0;
		/* a value that overflowed its column is absorbed by the
		 * padding of the next one: ps keeps the columns aligned */
		space = pos[0] - pos[1] + leftpad;
		if (space < 1)
			space = pos[2];
		sb_spaces(&b, space);
		sb_add(&b, text, strlen(text));
		if (text != small)
			free(text);
		pos[1] += space + amount;
		pos[0] += w + 1;
		pos[2] = 1;
	}
	return b.s;
}
