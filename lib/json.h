/*
 * json.h: a tiny streaming JSON writer (json.c).
 *
 * Rules: the writer puts commas and colons itself, so a caller only says
 * what comes next. Strings are escaped as RFC 8259 requires ("\\", "\"",
 * control characters; also C1 controls, U+2028/2029 and bidirectional
 * overrides, as \uXXXX, the same characters made harmless to a terminal
 * that shows the JSON) and bytes that are not valid UTF-8 become U+FFFD,
 * so the output is always valid JSON whatever bytes a process name holds.
 * Nesting is limited to JSON_MAX_DEPTH; deeper calls set j->err.
 * The writer owns no memory; out is the caller's stream.
 */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
	FILE *out;
	int depth;
	int err;                   /* set on misuse or depth overflow */
	int after_key;             /* next value follows "key": */
	int count[JSON_MAX_DEPTH]; /* values written at each level */
};

void json_init(struct json *j, FILE *out);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);
void json_strn(struct json *j, const char *s, size_t n);
void json_int(struct json *j, long long v);
void json_uint(struct json *j, unsigned long long v);
void json_double(struct json *j, double v);
void json_bool(struct json *j, int v);
void json_null(struct json *j);

/*
 * A key and its value in one call: json_kv_int(j, "port", 80) is
 * json_key(j, "port") then json_int(j, 80). json_kv_str with s NULL
 * writes null. json_kv_obj and json_kv_arr open the value ("key":{ or
 * "key":[); close it with json_obj_end or json_arr_end.
 */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_int(struct json *j, const char *key, long long v);
void json_kv_double(struct json *j, const char *key, double v);
void json_kv_bool(struct json *j, const char *key, int v);
void json_kv_obj(struct json *j, const char *key);
void json_kv_arr(struct json *j, const char *key);

/* Finish: writes a newline. Returns 0, or -1 if misuse or a write failed. */
int json_end(struct json *j);

/* Escape n bytes of s as a JSON string (with quotes) onto out. */
void json_write_string(FILE *out, const char *s, size_t n);

#endif
