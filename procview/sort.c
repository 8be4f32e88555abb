/* sort.c: --sort [+|-]KEY[,...], ps's multi-key ordering. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* qsort has no context argument in C11: these are set around the call */
static const struct pv_opts *sort_opts;
static struct pv_ctx *sort_ctx;

/*
 * Keys that ps orders by a rawer or finer value than the one it shows.
 * Returns 0 and sets *v, or -1: order by the shown value.
 */
static int
order_of(const struct pv_key *key, const struct pv_proc *p, long long *v)
{
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
        const struct pv_proc *b)
{
	long long x, y;
	int r;

	if (order_of(k->key, a, &x) == 0 && order_of(k->key, b, &y) == 0) {
		r = (x > y) - (x < y);
	} else if (k->key->num && k->key->just != PV_USER) {
		/* (ps orders user names as text, a uid without a name as
		 * its digits, not by the number behind them) */
		x = k->key->num(a, sort_ctx);
		y = k->key->num(b, sort_ctx);
		r = (x > y) - (x < y);
	} else {
		char *tx = xmalloc(a->cmdlen * 4 + 512);
		char *ty = xmalloc(b->cmdlen * 4 + 512);

		k->key->fmt(tx, a->cmdlen * 4 + 512, a, sort_ctx, 0);
		k->key->fmt(ty, b->cmdlen * 4 + 512, b, sort_ctx, 0);
		r = strcmp(tx, ty);
		free(tx);
		free(ty);
	}
	return k->desc ? -r : r;
}

static int
cmp_rows(const void *pa, const void *pb)
{
	const struct pv_proc *a = pa, *b = pb;
	size_t i;
	int r;

	for (i = 0; i < sort_opts->nsort; i++)
		if ((r = cmp_key(&sort_opts->sort[i], a, b)) != 0)
			return r;
	/* ties keep /proc order: by pid, then thread id */
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (a->tid > b->tid) - (a->tid < b->tid);
}

void
pv_sort(struct pv_list *l, const struct pv_opts *o, struct pv_ctx *c)
{
	if (!o->nsort || l->n < 2)
		return;
	sort_opts = o;
	sort_ctx = c;
	qsort(l->v, l->n, sizeof(l->v[0]), cmp_rows);
	sort_opts = NULL;
	sort_ctx = NULL;
}
