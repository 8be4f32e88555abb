/* sort.c: --sort [+|-]KEY[,...], ps's multi-key ordering. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "procview.h"
#include "util.h"

int
pv_sort_parse(struct pv_opts *o, const char *spec, char *msg, size_t n)
{
	char *copy = xstrdup(spec), *save = NULL, *w;
	int any = 0;

	for (w = strtok_r(copy, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		struct pv_sortkey k = {0};

		if (*w == '+' || *w == '-')
			k.desc = *w++ == '-';
		if (!(k.key = pv_key_find(w))) {
			snprintf(msg, n, "unknown sort key '%s'", w);
			free(copy);
			return -1;
		}
		/* a key that is not a column still needs its /proc file */
		o->fmt.needs |= k.key->needs;
		o->sort = xreallocarray(o->sort, o->nsort + 1, sizeof(k));
		o->sort[o->nsort++] = k;
		any = 1;
	}
	free(copy);
	if (!any) {
		snprintf(msg, n, "empty sort key list");
		return -1;
	}
	return 0;
}

/*
 * What the comparison needs besides the two rows: the keys and the
 * context their values come from. qsort_r (glibc, POSIX.1-2024) hands
 * it to every call, so no file global has to hold it.
 */
struct sort_arg {
	const struct pv_opts *o;
	struct pv_ctx *c;
};

/*
 * Keys that ps orders by a rawer or finer value than the one it shows.
 * Returns 0 and sets *v, or -1: order by the shown value.
 */
/* %CPU in millionths, unrounded: the order of two rows showing 0.0 */
static long long
pcpu_order(const struct pv_proc *p, const struct pv_ctx *c)
{
	double age = c->uptime * (double)c->hz - (double)p->st.starttime;
	double ticks = (double)(p->st.utime + p->st.stime);

	if (p->live)
		return (long long)(p->live_pcpu * 1e6);
	return age > 0 ? (long long)(ticks * 1e6 / age) : 0;
}

static int
order_of(const struct pv_key *key, const struct pv_proc *p,
         const struct pv_ctx *c, long long *v)
{
	/* WHY the value behind the shown one: two rows that both show
	 * 0.0 %MEM or 00:00:00 are still ordered by RSS or by clock ticks,
	 * as procps orders them */
	switch (key->value) {
	case V_PMEM:
		*v = p->stv.vmrss_kb;
		return 0;
	case V_TIME:
	case V_BSDTIME:
	case V_TIMES:
		*v = (long long)(p->st.utime + p->st.stime);
		return 0;
	case V_PCPU:
	case V_C:
		*v = pcpu_order(p, c);
		return 0;
	case V_START:
	case V_LSTART:
		*v = (long long)p->st.starttime;
		return 0;
	default:
		break;
	}
	/* the kernel's priority (stat field 18), lower first: the shown
	 * 39 - priority runs the other way */
	if (!strcmp(key->name, "pri")) {
		*v = p->st.priority;
		return 0;
	}
	/* the start in clock ticks: two processes started in the same
	 * second still have an order (the younger, the smaller its age) */
	if (!strcmp(key->name, "stime") || !strcmp(key->name, "start_time")) {
		*v = (long long)p->st.starttime;
		return 0;
	}
	if (!strcmp(key->name, "etime") || !strcmp(key->name, "etimes")) {
		*v = -(long long)p->st.starttime;
		return 0;
	}
	return -1;
}

static int
cmp_key(const struct pv_sortkey *k, const struct pv_proc *a,
        const struct pv_proc *b, struct pv_ctx *c)
{
	long long x, y;
	int r;

	if (order_of(k->key, a, c, &x) == 0 &&
	    order_of(k->key, b, c, &y) == 0) {
		r = (x > y) - (x < y);
	} else if (pv_key_has_num(k->key) && k->key->just != PV_USER) {
		/* (ps orders user names as text, a uid without a name as
		 * its digits, not by the number behind them) */
		x = pv_key_num(k->key, a, c);
		y = pv_key_num(k->key, b, c);
		r = (x > y) - (x < y);
	} else {
		char *tx = xmalloc(a->cmdlen * 4 + 512);
		char *ty = xmalloc(b->cmdlen * 4 + 512);

		pv_key_text(k->key, tx, a->cmdlen * 4 + 512, a, c, 0);
		pv_key_text(k->key, ty, b->cmdlen * 4 + 512, b, c, 0);
		/* ps orders text as it prints it, escaped in the locale: in
		 * C, "aéz" is "a??z" and comes before "aZZ" */
		esc_buf(tx, strlen(tx) + 1, tx, strlen(tx), ESC_NOLIMIT, NULL);
		esc_buf(ty, strlen(ty) + 1, ty, strlen(ty), ESC_NOLIMIT, NULL);
		r = strcmp(tx, ty);
		free(tx);
		free(ty);
	}
	return k->desc ? -r : r;
}

static int
cmp_rows(const void *pa, const void *pb, void *arg)
{
	const struct sort_arg *s = arg;
	const struct pv_proc *a = pa, *b = pb;
	size_t i;
	int r;

	for (i = 0; i < s->o->nsort; i++)
		if ((r = cmp_key(&s->o->sort[i], a, b, s->c)) != 0)
			return r;
	/* ties keep /proc order: by pid, then thread id */
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (a->tid > b->tid) - (a->tid < b->tid);
}

void
pv_sort(struct pv_list *l, const struct pv_opts *o, struct pv_ctx *c)
{
	struct sort_arg s = {o, c};

	if (!o->nsort || l->n < 2)
		return;
	qsort_r(l->v, l->n, sizeof(l->v[0]), cmp_rows, &s);
}

/* Rows by start time, ties by PID */
static int
cmp_start(const void *pa, const void *pb)
{
	const struct pv_proc *a = pa, *b = pb;

	if (a->st.starttime != b->st.starttime)
		return a->st.starttime < b->st.starttime ? -1 : 1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

void
pv_sort_start(struct pv_list *l)
{
	qsort(l->v, l->n, sizeof(*l->v), cmp_start);
}
