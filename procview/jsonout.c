/* jsonout.c: --json, the same rows as the table in machine form. */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "procview.h"
#include "util.h"

/* Numbers stay numbers; times, names and text are strings as shown. */
static int
is_numeric(const struct pv_key *k)
{
	static const char *const text[] = {
	    "time",  "cputime", "etime", "stime",  "start_time", "tty",   "tt",
	    "tname", "bsdtime", "start", "lstart", "cls",        "rtprio"};
	size_t i;

	if (!pv_key_has_num(k) || k->just != PV_RIGHT)
		return 0;
	for (i = 0; i < LEN(text); i++)
		if (strcmp(k->name, text[i]) == 0)
			return 0;
	return 1;
}

static void
value(struct json *j, const struct pv_key *k, const struct pv_proc *p,
      struct pv_ctx *c)
{
	char *buf;
	size_t n;

	if (k->needs & (NEED_STATUS | NEED_EUID) && !p->stv.have_uid &&
	    strcmp(k->name, "stat") != 0) {
		json_null(j); /* status unreadable: the value is unknown */
		return;
	}
	/* nice: a number for SCHED_OTHER and SCHED_BATCH, else null */
	if ((!strcmp(k->name, "nice") || !strcmp(k->name, "ni")) &&
	    p->st.policy != 0 && p->st.policy != 3) {
		json_null(j);
		return;
	}
	if (is_numeric(k)) {
		if (strcmp(k->name, "pcpu") == 0 ||
		    strcmp(k->name, "%cpu") == 0 ||
		    strcmp(k->name, "pmem") == 0 ||
		    strcmp(k->name, "%mem") == 0)
			json_double(j, (double)pv_key_num(k, p, c) / 10.0);
		else
			json_int(j, pv_key_num(k, p, c));
		return;
	}
	n = p->cmdlen * 4 + 512 + (p->forest ? strlen(p->forest) : 0);
	buf = xmalloc(n);
	pv_key_text(k, buf, n, p, c, 0);
	json_str(j, buf);
	free(buf);
}

void
pv_json_table(const struct pv_list *l, const struct pv_format *f,
              struct pv_ctx *c, int frame)
{
	struct json j;
	size_t i, k;

	json_init(&j, stdout);
	json_obj_begin(&j);
	if (frame >= 0) {
		json_key(&j, "frame");
		json_int(&j, frame);
		json_key(&j, "time");
		json_int(&j, (long long)c->now);
	}
	json_key(&j, "columns");
	json_arr_begin(&j);
	for (k = 0; k < f->n; k++)
		json_str(&j, f->col[k].key->name);
	json_arr_end(&j);
	json_key(&j, "rows");
	json_arr_begin(&j);
	for (i = 0; i < l->n; i++) {
		json_obj_begin(&j);
		for (k = 0; k < f->n; k++) {
			json_key(&j, f->col[k].key->name);
			value(&j, f->col[k].key, &l->v[i], c);
		}
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_end(&j);
}
