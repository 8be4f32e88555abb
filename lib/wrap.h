/*
 * wrap.h: our own sentences broken to fit a width (wrap.c).
 *
 * Only for text the toolkit wrote (plain ASCII, single spaces between
 * words): text from outside goes through esc.h first and is cut, not
 * wrapped.
 */
#ifndef WRAP_H
#define WRAP_H

#include <stddef.h>

/*
 * s as printed from column at, broken at spaces so that no line passes
 * width; each further line starts with indent spaces. width 0: one
 * line. A word longer than a line's room stays whole on a line of its
 * own. Returns a malloc'd string, no final newline (caller frees), or
 * NULL with errno ENOMEM.
 */
char *wrap_text(const char *s, size_t at, size_t indent, size_t width);

#endif
