/*
 * svg.h: a tiny hand-written SVG writer for pictures on a slide (svg.c).
 *
 * Rules:
 * - The picture is self-contained: no script, no external font, image
 *   or style sheet. Text asks for a font stack that has Korean glyphs
 *   (SVG_FONT) and is written as UTF-8, so Korean labels render.
 * - Every string passes through svg_escape(): & < > " become entities
 *   and whatever is not a valid XML 1.0 character (a control byte such
 *   as ESC, a byte that is not valid UTF-8, a surrogate, U+FFFE/FFFF)
 *   is dropped. So a hostile path or process name still gives valid XML.
 * - A file is written to FILE.tmp and renamed onto FILE only when all of
 *   it was written: a failed run never leaves a half picture under the
 *   name asked for. "-" means standard output; a FILE that exists and
 *   is not a regular file (/dev/stdout, a pipe) is written in place, as
 *   renaming onto a device would replace it.
 * - Drawing calls never fail on their own: a write error is remembered
 *   and svg_close() reports it. Nothing here prints or exits.
 */
#ifndef SVG_H
#define SVG_H

#include <stddef.h>
#include <stdio.h>

/* Fonts with Hangul first-class; the last resort is the viewer's own. */
#define SVG_FONT                                                               \
	"Noto Sans CJK KR, Noto Sans KR, Malgun Gothic, Apple SD Gothic Neo, " \
	"DejaVu Sans, sans-serif"

/* Fill patterns defined in every picture, for svg_rect()'s pattern:
 * a second cue besides the colour, for greyscale print. */
#define SVG_HATCH "hatch"   /* diagonal lines */
#define SVG_DOTS "dots"     /* dots */
#define SVG_CROSS "cross"   /* cross-hatch */
#define SVG_BHATCH "bhatch" /* diagonal lines the other way */

struct svg {
	FILE *out;
	int err; /* first errno of a failed write, 0 if none */
	int to_stdout;
	int direct; /* FILE is not a regular file: written in place */
	char *path; /* the name asked for (NULL for stdout) */
	char *tmp;  /* path.tmp while writing */
};

/*
 * Start a picture width x height (user units = px at 100%) on path, or
 * on stdout when path is "-". Writes the XML header, the viewBox, the
 * default font, a white background, the patterns and an optional title
 * (escaped; NULL for none). Returns 0, or -1 with errno of open/fopen
 * (then nothing was created). The caller ends with svg_close() or
 * svg_abort().
 */
int svg_open(struct svg *s, const char *path, int width, int height,
             const char *title);

/*
 * A rectangle filled with fill (an SVG colour such as "#1f77b4"), an
 * outline in stroke (NULL: none), and, if pattern is not NULL (one of
 * SVG_HATCH ...), that pattern drawn over the fill.
 */
void svg_rect(struct svg *s, double x, double y, double w, double h,
              const char *fill, const char *stroke, const char *pattern);

/* A line; dash non-zero draws it dashed. */
void svg_line(struct svg *s, double x1, double y1, double x2, double y2,
              const char *stroke, double width, int dash);

/*
 * Text at (x, y) (y is the baseline), size in px, anchor "start",
 * "middle" or "end", bold non-zero for bold, fill its colour. The n
 * bytes of text are escaped (any bytes, NUL included). svg_text takes a
 * C string; svg_textf formats one first (cut at 1023 bytes).
 */
void svg_textn(struct svg *s, double x, double y, int size, const char *anchor,
               int bold, const char *fill, const char *text, size_t n);
void svg_text(struct svg *s, double x, double y, int size, const char *anchor,
              int bold, const char *fill, const char *text);
void svg_textf(struct svg *s, double x, double y, int size, const char *anchor,
               int bold, const char *fill, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

/*
 * Finish: the closing tag, flush, close, rename FILE.tmp onto FILE.
 * Returns 0, or -1 with errno of the first failure (a write, the flush,
 * close or rename); on failure FILE.tmp is removed and FILE is left as
 * it was. Frees what svg_open allocated in either case.
 */
int svg_close(struct svg *s);

/* Give up: close and remove FILE.tmp (FILE untouched), free. */
void svg_abort(struct svg *s);

/*
 * Write n bytes of text XML-escaped onto out (see the rules above).
 * Returns 0, or -1 if a write failed (errno from stdio).
 */
int svg_escape(FILE *out, const char *text, size_t n);

#endif
