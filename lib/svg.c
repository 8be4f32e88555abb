/* svg.c: a tiny SVG writer (see svg.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "svg.h"
#include "util.h"

static void
note_err(struct svg *s)
{
	if (!s->err)
		s->err = errno ? errno : EIO;
}

static void svg_printf(struct svg *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
svg_printf(struct svg *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vfprintf(s->out, fmt, ap) < 0)
		note_err(s);
	va_end(ap);
}

/* XML 1.0, section 2.2: the characters a document may hold at all. */
static int
xml_char(unsigned long c)
{
	return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) ||
	       (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

static const char *
entity(unsigned long c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	default:
		return NULL;
	}
}

int
svg_escape(FILE *out, const char *text, size_t n)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, len;
	uint32_t c;
	const char *ent;

	while (i < n) {
		len = utf8_decode(p + i, n - i, &c);
		if (len == 0) { /* not UTF-8: drop this one byte */
			i++;
			continue;
		}
		ent = entity(c);
		/* why drop and not escape: XML 1.0 has no way at all to
		 * write ESC or NUL, not even as &#27; */
		if (ent ? fputs(ent, out) == EOF
		        : xml_char(c) && fwrite(p + i, 1, len, out) != len)
			return -1;
		i += len;
	}
	return 0;
}

/* Patterns: thin dark strokes over the fill, visible in grey too. */
static void
defs(struct svg *s)
{
	svg_printf(
	    s,
	    "<defs>\n"
	    "<pattern id=\"" SVG_HATCH "\" width=\"10\" height=\"10\" "
	    "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	    "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"10\" stroke=\"#000\" "
	    "stroke-opacity=\"0.35\" stroke-width=\"3\"/></pattern>\n"
	    "<pattern id=\"" SVG_BHATCH "\" width=\"10\" height=\"10\" "
	    "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\">"
	    "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"10\" stroke=\"#000\" "
	    "stroke-opacity=\"0.35\" stroke-width=\"3\"/></pattern>\n"
	    "<pattern id=\"" SVG_DOTS "\" width=\"8\" height=\"8\" "
	    "patternUnits=\"userSpaceOnUse\"><circle cx=\"4\" cy=\"4\" "
	    "r=\"1.6\" fill=\"#000\" fill-opacity=\"0.45\"/></pattern>\n"
	    "<pattern id=\"" SVG_CROSS "\" width=\"10\" height=\"10\" "
	    "patternUnits=\"userSpaceOnUse\"><path d=\"M0 5H10M5 0V10\" "
	    "stroke=\"#000\" stroke-opacity=\"0.35\" stroke-width=\"2\"/>"
	    "</pattern>\n"
	    "</defs>\n");
}

/* Open path itself: a device or a pipe (/dev/stdout, /dev/full) is
 * written in place, since renaming onto it would replace the device. */
static int
open_direct(struct svg *s, const char *path)
{
	s->out = fopen(path, "we");
	if (!s->out)
		return -1;
	s->direct = 1;
	return 0;
}

static int
open_tmp(struct svg *s, const char *path)
{
	size_t n = strlen(path);
	struct stat st;
	int fd, saved;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return open_direct(s, path);

	s->path = malloc(n + 1);
	s->tmp = malloc(n + 5);
	if (!s->path || !s->tmp)
		return -1;
	memcpy(s->path, path, n + 1);
	memcpy(s->tmp, path, n);
	memcpy(s->tmp + n, ".tmp", 5);
	fd = open(s->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return -1;
	s->out = fdopen(fd, "w");
	if (!s->out) {
		saved = errno;
		close(fd);
		unlink(s->tmp);
		errno = saved;
		return -1;
	}
	return 0;
}

int
svg_open(struct svg *s, const char *path, int width, int height,
         const char *title)
{
	int saved;

	memset(s, 0, sizeof(*s));
	if (strcmp(path, "-") == 0) {
		s->out = stdout;
		s->to_stdout = 1;
	} else if (open_tmp(s, path) < 0) {
		saved = errno;
		free(s->path);
		free(s->tmp);
		memset(s, 0, sizeof(*s));
		errno = saved;
		return -1;
	}
	svg_printf(s,
	           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	           "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"%s\">\n",
	           width, height, width, height, SVG_FONT);
	if (title) {
		svg_printf(s, "<title>");
		if (svg_escape(s->out, title, strlen(title)) < 0)
			note_err(s);
		svg_printf(s, "</title>\n");
	}
	defs(s);
	svg_printf(s,
	           "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
	           "fill=\"#ffffff\"/>\n",
	           width, height);
	return 0;
}

void
svg_rect(struct svg *s, double x, double y, double w, double h,
         const char *fill, const char *stroke, const char *pattern)
{
	svg_printf(s,
	           "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
	           "fill=\"%s\"",
	           x, y, w, h, fill);
	if (stroke)
		svg_printf(s, " stroke=\"%s\" stroke-width=\"1.5\"", stroke);
	svg_printf(s, "/>\n");
	if (pattern)
		svg_printf(s,
		           "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		           "height=\"%.1f\" fill=\"url(#%s)\"/>\n",
		           x, y, w, h, pattern);
}

void
svg_line(struct svg *s, double x1, double y1, double x2, double y2,
         const char *stroke, double width, int dash)
{
	svg_printf(s,
	           "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	           "stroke=\"%s\" stroke-width=\"%.1f\"%s/>\n",
	           x1, y1, x2, y2, stroke, width,
	           dash ? " stroke-dasharray=\"6 4\"" : "");
}

void
svg_textn(struct svg *s, double x, double y, int size, const char *anchor,
          int bold, const char *fill, const char *text, size_t n)
{
	svg_printf(s,
	           "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" "
	           "text-anchor=\"%s\"%s fill=\"%s\">",
	           x, y, size, anchor, bold ? " font-weight=\"bold\"" : "",
	           fill);
	if (svg_escape(s->out, text, n) < 0)
		note_err(s);
	svg_printf(s, "</text>\n");
}

void
svg_text(struct svg *s, double x, double y, int size, const char *anchor,
         int bold, const char *fill, const char *text)
{
	svg_textn(s, x, y, size, anchor, bold, fill, text, strlen(text));
}

void
svg_textf(struct svg *s, double x, double y, int size, const char *anchor,
          int bold, const char *fill, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	svg_textn(s, x, y, size, anchor, bold, fill, buf, (size_t)n);
}

static void
release(struct svg *s)
{
	free(s->path);
	free(s->tmp);
	memset(s, 0, sizeof(*s));
}

void
svg_abort(struct svg *s)
{
	if (!s->to_stdout && s->out) {
		fclose(s->out);
		if (!s->direct)
			unlink(s->tmp);
	}
	release(s);
}

int
svg_close(struct svg *s)
{
	int err;

	svg_printf(s, "</svg>\n");
	if (fflush(s->out) != 0 || ferror(s->out))
		note_err(s);
	err = s->err;
	if (!s->to_stdout) {
		/* why check close: on NFS a full disk is told only here */
		if (fclose(s->out) != 0 && !err)
			err = errno;
		/* rename is atomic: FILE is the old one or the whole new one */
		if (!err && !s->direct && rename(s->tmp, s->path) < 0)
			err = errno;
		if (err && !s->direct)
			unlink(s->tmp);
	}
	release(s);
	errno = err;
	return err ? -1 : 0;
}
