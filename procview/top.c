/*
 * top.c: what --watch on a terminal adds to the listing: the header
 * (load, tasks by state, memory), sorting and filtering by key, and the
 * keys themselves (see top.h). watch.c samples, draws and sends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "esc.h"
#include "proc.h"
#include "sig.h"
#include "term.h"
#include "top.h"
#include "util.h"

static int
cmp_pid(const struct pv_proc *a, const struct pv_proc *b)
{
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (a->tid > b->tid) - (a->tid < b->tid);
}

/* higher first, as top does for %CPU, memory and time */
static int
cmp_desc(double x, double y)
{
	return (x < y) - (x > y);
}

static int
cmp_cpu(const void *pa, const void *pb)
{
	const struct pv_proc *a = pa, *b = pb;
	int r = cmp_desc(a->live_pcpu, b->live_pcpu);

	return r ? r : cmp_pid(a, b);
}

static int
cmp_mem(const void *pa, const void *pb)
{
	const struct pv_proc *a = pa, *b = pb;
	int r = cmp_desc((double)a->st.rss, (double)b->st.rss);

	return r ? r : cmp_pid(a, b);
}

static int
cmp_time(const void *pa, const void *pb)
{
	const struct pv_proc *a = pa, *b = pb;
	int r = cmp_desc((double)(a->st.utime + a->st.stime),
	                 (double)(b->st.utime + b->st.stime));

	return r ? r : cmp_pid(a, b);
}

static int
cmp_pid_v(const void *a, const void *b)
{
	return cmp_pid(a, b);
}

/*
 * The tree view (V), as ps --forest draws it: every child right under
 * its parent, siblings by start time (the threads of a process, with H,
 * stay right after it: by PID then). pv_forest draws the branches.
 */
static void
tree_order(struct pv_list *l)
{
	size_t i;
	int threads = 0;

	for (i = 0; i < l->n; i++)
		threads |= l->v[i].tid != l->v[i].pid;
	if (threads)
		qsort(l->v, l->n, sizeof(l->v[0]), cmp_pid_v);
	else
		pv_sort_start(l);
	pv_forest(l, 1);
}

void
top_sort(struct pv_list *l, const struct pv_top *t)
{
	static int (*const cmp[])(const void *, const void *) = {
	    [TOP_CPU] = cmp_cpu,
	    [TOP_MEM] = cmp_mem,
	    [TOP_PID] = cmp_pid_v,
	    [TOP_TIME] = cmp_time,
	};
	size_t i;

	/* a redraw orders the rows again: the last drawing's branches go */
	for (i = 0; i < l->n; i++) {
		free(l->v[i].forest);
		l->v[i].forest = NULL;
		l->v[i].depth = 0;
	}
	if (t->tree)
		tree_order(l);
	else
		qsort(l->v, l->n, sizeof(l->v[0]), cmp[t->sort]);
}

void
top_filter(struct pv_list *l, const struct pv_top *t, struct pv_ctx *c)
{
	size_t i, n = 0;

	if (!t->filter[0])
		return;
	for (i = 0; i < l->n; i++) {
		struct pv_proc *p = &l->v[i];
		const char *user = uid_cache_name(&c->uids, p->stv.euid);

		if (strstr(p->st.comm, t->filter) ||
		    (user && strstr(user, t->filter)))
			l->v[n++] = *p;
		else
			pv_proc_free(p);
	}
	l->n = n;
}

/* One header line: cut to the terminal's width, then a new line */
static void
line(const struct pv_top *t, const char *sgr, const char *text)
{
	int n = (int)strlen(text);

	if (t->cols > 0 && n > t->cols)
		n = t->cols; /* our own ASCII text: a byte is a cell */
	printf("%s%.*s%s\n", sgr ? term_sgr(t->color, sgr) : "", n, text,
	       sgr ? term_sgr(t->color, "0") : "");
}

/* "up 3 days, 4:05" from /proc/uptime's seconds */
static void
uptime_text(char *buf, size_t n, double up)
{
	long s = (long)up, d = s / 86400;

	if (d > 0)
		snprintf(buf, n, "up %ld day%s, %ld:%02ld", d,
		         d == 1 ? "" : "s", s % 86400 / 3600, s % 3600 / 60);
	else
		snprintf(buf, n, "up %ld:%02ld", s / 3600, s % 3600 / 60);
}

/* MemTotal and MemAvailable from /proc/meminfo in KiB; -1 if unknown */
static void
mem_kb(long long *total, long long *avail)
{
	char key[64];
	long long v;
	FILE *f = fopen("/proc/meminfo", "re");

	*total = *avail = -1;
	while (f && fscanf(f, "%63s %lld kB\n", key, &v) == 2) {
		if (!strcmp(key, "MemTotal:"))
			*total = v;
		else if (!strcmp(key, "MemAvailable:"))
			*avail = v;
	}
	if (f)
		fclose(f);
}

static const char *
sort_name(enum top_sort s)
{
	static const char *const name[] = {"%CPU", "memory", "PID", "TIME"};

	return name[s];
}

/* line 1: clock, uptime, load averages, sort, pause, filter */
static void
header_load(struct pv_ctx *c, const struct pv_top *t)
{
	char when[16], up[48], text[256], filt[64] = "";
	double l1 = 0, l5 = 0, l15 = 0;
	FILE *f = fopen("/proc/loadavg", "re");
	struct tm tm;

	if (!f || fscanf(f, "%lf %lf %lf", &l1, &l5, &l15) != 3)
		l1 = l5 = l15 = -1;
	if (f)
		fclose(f);
	localtime_r(&c->now, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	uptime_text(up, sizeof(up), c->uptime);
	/* typed by the user, but shown on a terminal: escaped all the same */
	esc_buf(filt, sizeof(filt), t->filter, strlen(t->filter), ESC_NOLIMIT,
	        NULL);
	snprintf(text, sizeof(text),
	         "procview %s %s, load %.2f %.2f %.2f  sort %s%s%s%s%s", when,
	         up, l1, l5, l15, t->tree ? "tree" : sort_name(t->sort),
	         t->paused ? "  PAUSED" : "", filt[0] ? "  filter '" : "", filt,
	         filt[0] ? "'" : "");
	line(t, TERM_BOLD, text);
}

/* line 2: rows by state (R running, S sleeping, D disk wait, ...) */
static void
header_tasks(const struct pv_list *l, const struct pv_top *t)
{
	size_t i, r = 0, s = 0, d = 0, st = 0, z = 0, other = 0;
	char text[256];

	for (i = 0; i < l->n; i++) {
		switch (l->v[i].st.state) {
		case 'R':
			r++;
			break;
		case 'S':
		case 'I':
			s++;
			break;
		case 'D':
			d++;
			break;
		case 'T':
		case 't':
			st++;
			break;
		case 'Z':
			z++;
			break;
		default:
			other++;
		}
	}
	snprintf(text, sizeof(text),
	         "%s: %zu, %zu running, %zu sleeping, %zu disk wait, "
	         "%zu stopped, %zu zombie",
	         t->filter[0] ? "Matching" : "Tasks", l->n, r, s, d, st, z);
	line(t, NULL, text);
}

/* line 3: memory, from /proc/meminfo */
static void
header_mem(const struct pv_top *t)
{
	long long total, avail;
	char text[160];

	mem_kb(&total, &avail);
	snprintf(text, sizeof(text),
	         "MiB Mem: %.1f total, %.1f available, %.1f used",
	         (double)total / 1024, (double)avail / 1024,
	         (double)(total - avail) / 1024);
	line(t, NULL, text);
}

/* line 4: a prompt, the last message, or the keys */
static void
header_keys(const struct pv_top *t)
{
	char text[256], in[64], name[32], comm[64];

	esc_buf(in, sizeof(in), t->input, t->ninput, ESC_NOLIMIT, NULL);
	/* the process's name: the process chose it, so it is escaped */
	esc_buf(comm, sizeof(comm), t->sel_comm, strlen(t->sel_comm),
	        ESC_NOLIMIT, NULL);
	if (t->mode == TOP_FILTER)
		snprintf(text, sizeof(text),
		         "filter by name or user (Enter, Esc): %s", in);
	else if (t->mode == TOP_SIGNAL)
		snprintf(text, sizeof(text),
		         "signal for pid %d %s (Enter: TERM, Esc): %s",
		         t->sel_pid, comm, in);
	else if (t->mode == TOP_CONFIRM)
		snprintf(text, sizeof(text), "send %s to pid %d %s? (y/N)",
		         sig_label(t->signo, name, sizeof(name)), t->sel_pid,
		         comm);
	else if (t->msg[0])
		snprintf(text, sizeof(text), "%s", t->msg);
	else
		snprintf(text, sizeof(text),
		         "P M N T sort  V tree  H threads  / filter  arrows  "
		         "k signal  space pause  q quit");
	line(t, t->mode == TOP_NORMAL && !t->msg[0] ? TERM_DIM : TERM_BOLD,
	     text);
}

int
top_header(const struct pv_list *l, struct pv_ctx *c, const struct pv_top *t,
           double secs)
{
	(void)secs;
	header_load(c, t);
	header_tasks(l, t);
	header_mem(t);
	header_keys(t);
	return 4;
}

/* A key at a prompt: edit t->input; 1 when Enter ended the line */
static int
prompt_key(struct pv_top *t, int ch)
{
	if (ch == '\r' || ch == '\n')
		return 1;
	if ((ch == 127 || ch == '\b') && t->ninput > 0)
		t->ninput--;
	else if (ch >= ' ' && ch < 127 && t->ninput + 1 < sizeof(t->input))
		t->input[t->ninput++] = (char)ch;
	t->input[t->ninput] = '\0';
	return 0;
}

/* Enter at the signal prompt: a name or number, empty for TERM */
static void
signal_chosen(struct pv_top *t)
{
	int s = t->ninput ? sig_from_name(t->input) : 15;

	if (s <= 0) {
		snprintf(t->msg, sizeof(t->msg),
		         "unknown signal (see "
		         "procview kill -l): nothing sent");
		t->mode = TOP_NORMAL;
		return;
	}
	t->signo = s;
	t->mode = TOP_CONFIRM; /* a second key, so one slip sends nothing */
}

static enum top_act
prompt(struct pv_top *t, int ch)
{
	if (ch == 27) { /* Esc: leave the prompt, change nothing */
		t->mode = TOP_NORMAL;
		return TOP_REDRAW;
	}
	if (!prompt_key(t, ch))
		return TOP_REDRAW;
	if (t->mode == TOP_FILTER) {
		snprintf(t->filter, sizeof(t->filter), "%s", t->input);
		t->mode = TOP_NORMAL;
		t->sel = 0;
		return TOP_RESCAN;
	}
	signal_chosen(t);
	return TOP_REDRAW;
}

static void
start_prompt(struct pv_top *t, enum top_mode m)
{
	t->mode = m;
	t->ninput = 0;
	t->input[0] = '\0';
	t->msg[0] = '\0';
}

enum top_act
top_key(struct pv_top *t, struct pv_opts *o, int ch)
{
	static const char sorts[] = "PMNT";
	const char *k;

	if (t->mode == TOP_FILTER || t->mode == TOP_SIGNAL)
		return prompt(t, ch);
	if (t->mode == TOP_CONFIRM) {
		t->mode = TOP_NORMAL;
		if (ch == 'y' || ch == 'Y')
			return TOP_SEND; /* watch.c sends, checked */
		snprintf(t->msg, sizeof(t->msg), "nothing sent");
		return TOP_REDRAW;
	}
	t->msg[0] = '\0';
	if (ch == 'q' || ch == 'Q')
		return TOP_QUIT;
	if (ch > 0 && ch < 256 && (k = strchr(sorts, ch)) != NULL) {
		t->sort = (enum top_sort)(k - sorts);
		/* a sort key leaves the tree: a tree has its own order */
		t->tree = 0;
		return TOP_RESCAN;
	}
	switch (ch) {
	case ' ':
		t->paused = !t->paused;
		return TOP_REDRAW;
	case 'H':
		o->threads = !o->threads;
		return TOP_RESCAN;
	case 'V': /* top's key for its forest view */
		t->tree = !t->tree;
		t->sel = 0;
		return TOP_REDRAW;
	case '/':
		start_prompt(t, TOP_FILTER);
		return TOP_REDRAW;
	case 'k':
		if (t->sel_pid <= 0)
			return TOP_NONE;
		start_prompt(t, TOP_SIGNAL);
		return TOP_REDRAW;
	case TOP_KEY_UP:
		t->sel -= t->sel > 0;
		return TOP_REDRAW;
	case TOP_KEY_DOWN:
		t->sel++;
		return TOP_REDRAW;
	}
	return TOP_NONE;
}
