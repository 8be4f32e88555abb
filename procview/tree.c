/*
 * tree.c: the process tree. -H indents children under their parent,
 * --forest draws the branches as ps --forest does (" \_ "), and --tree
 * draws a pstree-like picture with line characters.
 *
 * The tree is made of ppid links (stat field 4). A process whose parent
 * is not in the list (not selected, or PID 0) is a root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "json.h"
#include "procview.h"
#include "util.h"

struct node {
	int row;    /* index of the process row in the list */
	int first;  /* first child node, -1 none */
	int next;   /* next sibling node, -1 none */
	int parent; /* parent node, -1 for a root */
};

struct tree {
	struct node *n;
	size_t count;
	int *roots;
	size_t nroots;
	int *pidx; /* node indexes sorted by pid, for lookups */
};

/* What cmp_pid needs, handed to each call by qsort_r: no globals. */
struct tree_arg {
	const struct tree *t;
	const struct pv_list *l;
};

/* Node indexes by the pid of their row. */
static int
cmp_pid(const void *a, const void *b, void *arg)
{
	const struct tree *t = ((const struct tree_arg *)arg)->t;
	const struct pv_list *l = ((const struct tree_arg *)arg)->l;
	int x = l->v[t->n[*(const int *)a].row].pid;
	int y = l->v[t->n[*(const int *)b].row].pid;

	return (x > y) - (x < y);
}

static int
find(const struct tree *t, const struct pv_list *l, int pid)
{
	size_t lo = 0, hi = t->count;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int p = l->v[t->n[t->pidx[mid]].row].pid;

		if (p == pid)
			return t->pidx[mid];
		if (p < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Build the tree over the process rows of l (thread rows are skipped),
 * keeping the list's order among siblings. */
static void
build(struct tree *t, const struct pv_list *l)
{
	size_t i;
	int *last;

	memset(t, 0, sizeof(*t));
	t->n = xcalloc(l->n + 1, sizeof(*t->n));
	for (i = 0; i < l->n; i++) {
		if (l->v[i].tid != l->v[i].pid)
			continue;
		t->n[t->count].row = (int)i;
		t->n[t->count].first = t->n[t->count].next = -1;
		t->count++;
	}
	t->pidx = xcalloc(t->count + 1, sizeof(int));
	for (i = 0; i < t->count; i++)
		t->pidx[i] = (int)i;
	qsort_r(t->pidx, t->count, sizeof(int), cmp_pid,
	        &(struct tree_arg){t, l});
	last = xcalloc(t->count + 1, sizeof(int));
	for (i = 0; i < t->count; i++)
		last[i] = -1;
	t->roots = xcalloc(t->count + 1, sizeof(int));
	for (i = 0; i < t->count; i++) {
		const struct pv_proc *p = &l->v[t->n[i].row];
		int par = p->st.ppid == p->pid ? -1 : find(t, l, p->st.ppid);

		t->n[i].parent = par;
		if (par < 0) {
			t->roots[t->nroots++] = (int)i;
			continue;
		}
		if (last[par] < 0)
			t->n[par].first = (int)i;
		else
			t->n[last[par]].next = (int)i;
		last[par] = (int)i;
	}
	free(last);
}

static void
tree_free(struct tree *t)
{
	free(t->n);
	free(t->roots);
	free(t->pidx);
}

/* ---- -H and --forest: reorder the rows, prefix the command ---- */

struct walk {
	const struct pv_list *l;
	struct tree *t;
	struct pv_proc *out;
	size_t nout;
	char *stack; /* per level: 1 if that ancestor has more siblings */
	int art;
};

static void
emit(struct walk *w, int node, int depth)
{
	const struct pv_list *l = w->l;
	int row = w->t->n[node].row, d, child;
	size_t i, len = 0;
	struct pv_proc *p;
	char *pre;

	p = &w->out[w->nout++];
	*p = l->v[row];
	p->depth = depth;
	if (depth > 0) {
		pre = xmalloc((size_t)depth * 4 + 1);
		for (d = 1; d < depth; d++) {
			if (w->art)
				memcpy(pre + len, w->stack[d] ? " |  " : "    ",
				       4);
			else
				memcpy(pre + len, "  ", 2);
			len += w->art ? 4 : 2;
		}
		memcpy(pre + len, w->art ? " \\_ " : "  ", w->art ? 4 : 2);
		len += w->art ? 4 : 2;
		pre[len] = '\0';
		p->forest = pre;
	}
	/* the threads of this process follow it */
	for (i = (size_t)row + 1; i < l->n && l->v[i].pid == l->v[row].pid &&
	                          l->v[i].tid != l->v[i].pid;
	     i++) {
		w->out[w->nout] = l->v[i];
		w->out[w->nout++].depth = depth;
	}
	for (child = w->t->n[node].first; child >= 0;
	     child = w->t->n[child].next) {
		/* procps 4.0 draws the children of init (PID 1) as trees of
		 * their own, level with init: --forest does the same */
		if (w->art && l->v[row].pid == 1) {
			emit(w, child, depth);
			continue;
		}
		w->stack[depth + 1] = w->t->n[child].next >= 0;
		emit(w, child, depth + 1);
	}
}

void
pv_forest(struct pv_list *l, int art)
{
	struct tree t;
	struct walk w;
	size_t i;

	build(&t, l);
	w.l = l;
	w.t = &t;
	w.out = xcalloc(l->n + 1, sizeof(*w.out));
	w.nout = 0;
	w.stack = xcalloc(l->n + 2, 1);
	w.art = art;
	/* roots last to first, children first to last: the order in which
	 * procps ps walks its forest, so that the two print the same */
	for (i = t.nroots; i-- > 0;)
		emit(&w, t.roots[i], 0);
	/* rows not reached (threads whose process row is missing) are
	 * dropped by this walk: keep them at the end */
	if (w.nout < l->n) {
		for (i = 0; i < l->n; i++) {
			size_t k;
			int seen = 0;

			for (k = 0; k < w.nout && !seen; k++)
				seen = w.out[k].tid == l->v[i].tid &&
				       w.out[k].pid == l->v[i].pid;
			if (!seen)
				w.out[w.nout++] = l->v[i];
		}
	}
	free(l->v);
	l->v = w.out;
	l->cap = l->n + 1;
	free(w.stack);
	tree_free(&t);
}

/* ---- --tree: a pstree-like drawing ---- */

struct draw {
	const struct pv_list *l;
	struct tree *t;
	struct pv_ctx *c;
	char *prefix; /* grows as we go down */
	size_t plen, pcap;
	int width;
};

static void
pfx_push(struct draw *d, const char *s)
{
	size_t n = strlen(s);

	if (d->plen + n + 1 > d->pcap) {
		d->pcap = (d->plen + n + 1) * 2;
		d->prefix = xrealloc(d->prefix, d->pcap);
	}
	memcpy(d->prefix + d->plen, s, n + 1);
	d->plen += n;
}

static void
draw_node(struct draw *d, int node, const char *branch)
{
	const struct pv_proc *p = &d->l->v[d->t->n[node].row];
	size_t keep = d->plen;
	int child, u = d->c->utf8;
	char name[128], line[512];

	pv_cmd_text(name, sizeof(name), p, 0);
	snprintf(line, sizeof(line), "%s%s%s(%d)", d->prefix ? d->prefix : "",
	         branch, name, p->pid);
	if (p->st.num_threads > 1)
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
		         " {%ld threads}", p->st.num_threads);
	if (d->width > 0) /* by cells, never inside a character */
		esc_buf(line, sizeof(line), line, strlen(line),
		        (size_t)d->width, NULL);
	puts(line);
	if (*branch)
		pfx_push(d, strcmp(branch, u ? "└─ " : "`- ") == 0
		                ? "   "
		                : (u ? "│  " : "|  "));
	for (child = d->t->n[node].first; child >= 0;
	     child = d->t->n[child].next) {
		int lastc = d->t->n[child].next < 0;

		draw_node(d, child,
		          lastc ? (u ? "└─ " : "`- ") : (u ? "├─ " : "|- "));
	}
	d->plen = keep;
	if (d->prefix)
		d->prefix[keep] = '\0';
}

int
pv_tree_print(struct pv_list *l, int root, struct pv_ctx *c, int width)
{
	struct tree t;
	struct draw d = {0};
	size_t i;
	int r = 0;

	build(&t, l);
	d.l = l;
	d.t = &t;
	d.c = c;
	d.width = width > 0 ? width : 0;
	pfx_push(&d, "");
	if (root) {
		int node = find(&t, l, root);

		if (node < 0)
			r = -1;
		else
			draw_node(&d, node, "");
	} else {
		for (i = 0; i < t.nroots; i++)
			draw_node(&d, t.roots[i], "");
	}
	free(d.prefix);
	tree_free(&t);
	return r;
}

static void
json_node(struct json *j, const struct pv_list *l, struct tree *t, int node,
          struct pv_ctx *c)
{
	const struct pv_proc *p = &l->v[t->n[node].row];
	char *args = pv_cmd_alloc(p, 1);
	int child;

	json_obj_begin(j);
	json_key(j, "pid");
	json_int(j, p->pid);
	json_key(j, "ppid");
	json_int(j, p->st.ppid);
	json_key(j, "comm");
	json_str(j, p->st.comm);
	json_key(j, "args");
	json_str(j, args);
	json_key(j, "nlwp");
	json_int(j, p->st.num_threads);
	json_key(j, "children");
	json_arr_begin(j);
	/* deep trees: JSON_MAX_DEPTH bounds nesting; deeper is cut */
	for (child = t->n[node].first;
	     child >= 0 && j->depth < JSON_MAX_DEPTH - 3;
	     child = t->n[child].next)
		json_node(j, l, t, child, c);
	json_arr_end(j);
	json_obj_end(j);
	free(args);
}

void
pv_tree_json(struct pv_list *l, int root, struct pv_ctx *c)
{
	struct tree t;
	struct json j;
	size_t i;

	build(&t, l);
	json_init(&j, stdout);
	json_obj_begin(&j);
	json_key(&j, "view");
	json_str(&j, "tree");
	json_key(&j, "roots");
	json_arr_begin(&j);
	if (root) {
		int node = find(&t, l, root);

		if (node >= 0)
			json_node(&j, l, &t, node, c);
	} else {
		for (i = 0; i < t.nroots; i++)
			json_node(&j, l, &t, t.roots[i], c);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_end(&j);
	tree_free(&t);
}
