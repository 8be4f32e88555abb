/* json.c: streaming JSON writer with correct escaping (see json.h). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "json.h"

void
json_init(struct json *j, FILE *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

/* Before any value: a comma if this level already has one. */
static void
sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->count[j->depth]++ > 0)
		fputc(',', j->out);
}

static void
open(struct json *j, int c)
{
	sep(j);
	if (j->depth + 1 >= JSON_MAX_DEPTH) {
		j->err = 1;
		return;
	}
	fputc(c, j->out);
	j->count[++j->depth] = 0;
}

static void
close_(struct json *j, int c)
{
	if (j->depth == 0) {
		j->err = 1;
		return;
	}
	j->depth--;
	fputc(c, j->out);
}

void
json_obj_begin(struct json *j)
{
	open(j, '{');
}

void
json_obj_end(struct json *j)
{
	close_(j, '}');
}

void
json_arr_begin(struct json *j)
{
	open(j, '[');
}

void
json_arr_end(struct json *j)
{
	close_(j, ']');
}

void
json_key(struct json *j, const char *key)
{
	sep(j);
	json_write_string(j->out, key, strlen(key));
	fputc(':', j->out);
	j->after_key = 1;
}

/* Length of the valid UTF-8 sequence at s (max n bytes), or 0 if none. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates and > U+10FFFF are invalid */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

void
json_write_string(FILE *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k;

	fputc('"', out);
	while (i < n) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
		} else if (c == '\n') {
			fputs("\\n", out);
		} else if (c == '\t') {
			fputs("\\t", out);
		} else if (c == '\r') {
			fputs("\\r", out);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
		} else if ((k = utf8_len(s + i, n - i)) == 0) {
			fputs("\\ufffd", out); /* invalid byte */
		} else {
			fwrite(s + i, 1, k, out);
			i += k;
			continue;
		}
		i++;
	}
	fputc('"', out);
}

void
json_strn(struct json *j, const char *s, size_t n)
{
	sep(j);
	json_write_string(j->out, s, n);
}

void
json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	json_strn(j, s, strlen(s));
}

void
json_int(struct json *j, long long v)
{
	sep(j);
	fprintf(j->out, "%lld", v);
}

void
json_uint(struct json *j, unsigned long long v)
{
	sep(j);
	fprintf(j->out, "%llu", v);
}

/* JSON has no NaN or Infinity: they become null. */
void
json_double(struct json *j, double v)
{
	sep(j);
	if (isfinite(v))
		fprintf(j->out, "%.6g", v);
	else
		fputs("null", j->out);
}

void
json_bool(struct json *j, int v)
{
	sep(j);
	fputs(v ? "true" : "false", j->out);
}

void
json_null(struct json *j)
{
	sep(j);
	fputs("null", j->out);
}

int
json_end(struct json *j)
{
	fputc('\n', j->out);
	if (j->depth != 0)
		j->err = 1;
	return (j->err || ferror(j->out)) ? -1 : 0;
}
