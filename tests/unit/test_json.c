/* test_json.c: the JSON writer escapes everything and nests correctly. */
#include <stdio.h>
#include <stdlib.h>

#include "../tap.h"
#include "json.h"

/* Run fn against a memory stream; returns the text (caller frees). */
static char *
capture(void (*fn)(struct json *), int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f);
	fn(&j);
	*rc = json_end(&j);
	fclose(f);
	return buf;
}

static void
doc_nested(struct json *j)
{
	json_obj_begin(j);
	json_key(j, "pid");
	json_int(j, 42);
	json_key(j, "args");
	json_arr_begin(j);
	json_str(j, "a");
	json_str(j, "b");
	json_arr_end(j);
	json_key(j, "ok");
	json_bool(j, 1);
	json_key(j, "none");
	json_null(j);
	json_obj_end(j);
}

static void
doc_escapes(struct json *j)
{
	json_str(j, "q\"b\\n\nt\tc\001\x7f");
}

static void
doc_bad_utf8(struct json *j)
{
	json_str(j, "ok \xc3\xa9 bad \xff \xc0\xaf \xed\xa0\x80 \xe2\x82");
}

static void
doc_korean(struct json *j)
{
	json_str(j, "\xed\x94\x84\xeb\xa1\x9c\xec\x84\xb8\xec\x8a\xa4");
}

static void
doc_unbalanced(struct json *j)
{
	json_arr_begin(j);
	json_int(j, 1);
}

static void
doc_extra_close(struct json *j)
{
	json_obj_end(j);
}

static void
doc_numbers(struct json *j)
{
	json_arr_begin(j);
	json_double(j, 0.25);
	json_double(j, 1.0 / 0.0);
	json_uint(j, 18446744073709551615ull);
	json_int(j, -3);
	json_arr_end(j);
}

/* the key-and-value calls: commas, colons and nesting as by hand */
static void
doc_kv(struct json *j)
{
	json_obj_begin(j);
	json_kv_str(j, "mode", "load");
	json_kv_str(j, "none", NULL);
	json_kv_int(j, "port", -80);
	json_kv_double(j, "p50", 0.5);
	json_kv_bool(j, "ok", 0);
	json_kv_obj(j, "errors");
	json_kv_int(j, "reset", 2);
	json_obj_end(j);
	json_kv_arr(j, "models");
	json_str(j, "pool");
	json_arr_end(j);
	json_obj_end(j);
}

int
main(void)
{
	int rc;
	char *s;

	s = capture(doc_nested, &rc);
	CHECK_STR(s, "{\"pid\":42,\"args\":[\"a\",\"b\"],\"ok\":true,"
	             "\"none\":null}\n");
	CHECK_INT(rc, 0);
	free(s);

	s = capture(doc_escapes, &rc);
	CHECK_STR(s, "\"q\\\"b\\\\n\\nt\\tc\\u0001\\u007f\"\n");
	free(s);

	s = capture(doc_bad_utf8, &rc);
	CHECK_STR(s, "\"ok \xc3\xa9 bad \\ufffd \\ufffd\\ufffd "
	             "\\ufffd\\ufffd\\ufffd \\ufffd\\ufffd\"\n");
	free(s);

	s = capture(doc_korean, &rc);
	CHECK_STR(s, "\"\xed\x94\x84\xeb\xa1\x9c\xec\x84\xb8\xec\x8a\xa4\"\n");
	free(s);

	s = capture(doc_numbers, &rc);
	CHECK_STR(s, "[0.25,null,18446744073709551615,-3]\n");
	free(s);

	s = capture(doc_kv, &rc);
	CHECK_STR(s, "{\"mode\":\"load\",\"none\":null,\"port\":-80,"
	             "\"p50\":0.5,\"ok\":false,\"errors\":{\"reset\":2},"
	             "\"models\":[\"pool\"]}\n");
	CHECK_INT(rc, 0);
	free(s);

	s = capture(doc_unbalanced, &rc);
	CHECK_INT(rc, -1);
	free(s);
	s = capture(doc_extra_close, &rc);
	CHECK_INT(rc, -1);
	free(s);
	return tap_done();
}
