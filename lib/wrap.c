/*
 * wrap.c: a legend line of 224 columns in an 80-column terminal is
 * folded by the terminal in the middle of a word, and its second half
 * starts at column 0 where the eye looks for the next label. Broken at
 * a space and indented, it reads as one item.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wrap.h"

/* The most bytes wrap_text can write: each space may become a newline
 * and indent spaces. */
static size_t
wrap_room(const char *s, size_t indent)
{
	size_t spaces = 0;
	const char *p;

	for (p = s; *p; p++)
		spaces += *p == ' ';
	return strlen(s) + spaces * (indent + 1) + 1;
}

char *
wrap_text(const char *s, size_t at, size_t indent, size_t width)
{
	char *out = malloc(wrap_room(s, indent)), *o = out;
	size_t col = at;
	int first = 1;

	if (!out) {
		errno = ENOMEM;
		return NULL;
	}
	while (*s) {
		size_t word = strcspn(s, " ");

		if (!first && width && col + 1 + word > width) {
			*o++ = '\n';
			memset(o, ' ', indent);
			o += indent;
			col = indent;
		} else if (!first) {
			*o++ = ' ';
			col++;
		}
		memcpy(o, s, word);
		o += word;
		col += word;
		s += word;
		while (*s == ' ')
			s++;
		first = 0;
	}
	*o = '\0';
	return out;
}
