/* json.c: streaming JSON writer with correct escaping (see json.h). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "json.h"
#include "util.h"

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

/* A control a terminal may obey though it is valid UTF-8: C1 (U+0080 to
 * U+009F, e.g. CSI U+009B), U+2028/2029, the bidirectional overrides */
static int
invisible(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

void
json_write_string(FILE *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k;
	uint32_t cp;

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
		} else if ((k = utf8_decode(s + i, n - i, &cp)) == 0) {
			fputs("\\ufffd", out); /* invalid byte */
		} else if (invisible(cp)) {
			/* the same character, but no terminal that shows
			 * the JSON obeys it (C1, U+2028/9, bidi) */
			fprintf(out, "\\u%04x", (unsigned)cp);
			i += k;
			continue;
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

void
json_kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void
json_kv_int(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

void
json_kv_double(struct json *j, const char *key, double v)
{
	json_key(j, key);
	json_double(j, v);
}

void
json_kv_bool(struct json *j, const char *key, int v)
{
	json_key(j, key);
	json_bool(j, v);
}

void
json_kv_obj(struct json *j, const char *key)
{
	json_key(j, key);
	json_obj_begin(j);
}

void
json_kv_arr(struct json *j, const char *key)
{
	json_key(j, key);
	json_arr_begin(j);
}

int
json_end(struct json *j)
{
	fputc('\n', j->out);
	if (j->depth != 0)
		j->err = 1;
	return (j->err || ferror(j->out)) ? -1 : 0;
}
