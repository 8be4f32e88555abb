/*
 * bench_compare_report.c: the report of "netlab bench --compare": the
 * median and min-max of every figure over the runs, the two tables, the
 * reading (a model is called faster only when it was so in every run),
 * the JSON document, and the bar chart of --svg FILE.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_compare.h"
#include "json.h"
#include "svg.h"
#include "util.h"

/* ---- medians and spreads ---- */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median, min and max of a figure over a model's runs. */
struct spread {
	double med, lo, hi;
};

static struct spread
spread_of(const struct model_run *m, size_t off)
{
	double v[BENCH_RUNS_MAX];
	struct spread sp = {NAN, NAN, NAN};
	int i, n = m->nrun;

	for (i = 0; i < n; i++)
		memcpy(&v[i], (const char *)&m->s[i] + off, sizeof(double));
	if (n == 0)
		return sp;
	qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
	sp.lo = v[0];
	sp.hi = v[n - 1];
	sp.med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return sp;
}

#define SPREAD(m, field) spread_of((m), offsetof(struct sample, field))

/* "(lo-hi)" with the given decimals, or "" for a single run */
static const char *
range(char *buf, size_t size, struct spread sp, int nrun, int dec)
{
	if (nrun < 2)
		snprintf(buf, size, "%s", "");
	else
		snprintf(buf, size, "(%.*f-%.*f)", dec, sp.lo, dec, sp.hi);
	return buf;
}

/* ---- the tables ---- */

void
compare_load_table(const struct model_run *ms, int n)
{
	char r1[32], r2[32];
	/* one run has no spread: no "(min-max)" title over empty cells */
	const char *mm = n > 0 && ms[0].nrun > 1 ? "(min-max)" : "";
	int i;

	printf("%-7s %7s %-15s %8s %-15s %6s %6s\n", "model", "conn/s", mm,
	       "CPU us", mm, "vol sw", "inv sw");
	for (i = 0; i < n; i++) {
		const struct model_run *m = &ms[i];
		struct spread rate = SPREAD(m, rate), cpu = SPREAD(m, cpu_us);

		if (!m->started) {
			printf("%-7s (the server did not start)\n", m->name);
			continue;
		}
		printf("%-7s %7.0f %-15s %8.1f %-15s %6.2f %6.2f\n", m->name,
		       rate.med, range(r1, sizeof(r1), rate, m->nrun, 0),
		       cpu.med, range(r2, sizeof(r2), cpu, m->nrun, 1),
		       SPREAD(m, vcsw).med, SPREAD(m, ivcsw).med);
	}
	printf("CPU us, vol sw, inv sw: the server's CPU and voluntary and "
	       "involuntary\ncontext switches per connection, from its "
	       "rusage (wait4: every thread and\nchild, its shutdown "
	       "included); the CPU is exact to a microsecond per run.\n");
}

void
compare_idle_table(const struct model_run *ms, int n, int asked)
{
	char held[24];
	int i;

	printf("\nOne idle connection, KB%s:\n",
	       ms[0].nrun > 1 ? " (medians)" : "");
	printf("%-7s %9s %6s %8s %7s %6s %6s %7s %7s %6s\n", "model", "held",
	       "user", "pg table", "kstack", "kobjs", "socket", "in all",
	       "threads", "procs");
	for (i = 0; i < n; i++) {
		const struct model_run *m = &ms[i];

		if (!m->started)
			continue;
		snprintf(held, sizeof(held), "%d/%d", m->idle.held, asked);
		printf("%-7s %9s %6.1f %8.1f %7.1f %6.1f %6.1f %7.1f %7lld "
		       "%6lld\n",
		       m->name, held, SPREAD(m, cost.user).med / 1024,
		       SPREAD(m, cost.pte).med / 1024,
		       SPREAD(m, cost.kstack).med / 1024,
		       SPREAD(m, kobj).med / 1024,
		       SPREAD(m, cost.sock_obj).med / 1024,
		       SPREAD(m, cost.total).med / 1024, m->idle.after.threads,
		       m->idle.after.procs);
	}
	printf("user: RSS (fork: PSS summed over its processes); pg table: "
	       "VmPTE; kstack:\nnew tasks x %d KiB (an estimate: THREAD_SIZE); "
	       "kobjs: slab objects of the new\ntasks, processes, memory maps "
	       "and epoll entries; socket: its slab objects\n(both estimates: "
	       "object sizes, /proc/slabinfo). in all: what is known (pid,\n"
	       "cred, anon_vma and kmalloc memory left out). threads and "
	       "procs: while holding\nthem.\n",
	       BENCH_KSTACK_KB);
}

static const struct model_run *
find(const struct model_run *ms, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(ms[i].name, name) == 0 && ms[i].started &&
		    ms[i].nrun > 0)
			return &ms[i];
	return NULL;
}

static double
ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

/*
 * Runs a verdict needs. The verdict says "A in every run" when A's
 * worst run beat B's best. If A and B are really equal, each of the
 * C(2N, N) orders of their 2N results is as likely, and only 2 of them
 * put all of one model's N above all of the other's: a verdict by
 * chance 2 / C(2N, N) of the time: N = 2: 1 in 3; 3: 1 in 10; 4: 1 in
 * 35; 5: 1 in 126 (under 1%). (Comparing run i with run i only, it
 * would be 2 * 0.5^N: 1 in 16 at N = 5.)
 */
#define VERDICT_RUNS 5

/* 2 / C(2n, n) as "1 in X": C(2n, n) / 2 */
static double
chance_one_in(int n)
{
	double c = 1;
	int k;

	for (k = 1; k <= n; k++)
		c = c * (n + k) / k;
	return c / 2;
}

/*
 * One sentence on a figure of two models: a verdict only with at least
 * VERDICT_RUNS runs each, and only when every run agrees (one model's
 * worst beats the other's best).
 */
static void
verdict(const char *what, const struct model_run *a, const struct model_run *b,
        size_t off, int dec, const char *more)
{
	struct spread x = spread_of(a, off), y = spread_of(b, off);
	int nrun;

	printf("- %s: %s %.*f, %s %.*f (%s, %.2fx):\n  ", what, a->name, dec,
	       x.med, b->name, dec, y.med, a->nrun > 1 ? "medians" : "one run",
	       ratio(x.med, y.med));
	nrun = a->nrun < b->nrun ? a->nrun : b->nrun;
	if (nrun < 2)
		printf("one run is one sample: no verdict (use --runs %d).\n",
		       VERDICT_RUNS);
	else if (nrun < VERDICT_RUNS)
		printf("%d runs are too few for a verdict (equal models get "
		       "one 1 time in %.0f);\n  use --runs %d or more (1 in "
		       "%.0f).\n",
		       nrun, chance_one_in(nrun), VERDICT_RUNS,
		       chance_one_in(VERDICT_RUNS));
	else if (x.lo > y.hi)
		printf("%s %s in every one of %d runs.\n", a->name, more, nrun);
	else if (y.lo > x.hi)
		printf("%s %s in every one of %d runs.\n", b->name, more, nrun);
	else
		printf("the ranges overlap over %d runs: no verdict.\n", nrun);
}

static void
read_memory(const struct model_run *f, const struct model_run *t,
            const struct model_run *e)
{
	const struct model_run *m[3] = {f, t, e};
	int i;

	for (i = 0; i < 3; i++) {
		struct spread tot;

		if (!m[i] || m[i]->idle.held <= 0)
			continue;
		tot = SPREAD(m[i], cost.total);
		printf("- %s: an idle connection cost %.1f KB in all (what is "
		       "known): user %.1f,\n  page tables %.1f, kernel stacks "
		       "%.1f, kernel objects %.1f, socket %.1f.\n",
		       m[i]->name, tot.med / 1024,
		       SPREAD(m[i], cost.user).med / 1024,
		       SPREAD(m[i], cost.pte).med / 1024,
		       SPREAD(m[i], cost.kstack).med / 1024,
		       SPREAD(m[i], kobj).med / 1024,
		       SPREAD(m[i], cost.sock_obj).med / 1024);
	}
}

void
compare_reading(const struct model_run *ms, int n, int asked)
{
	const struct model_run *t = find(ms, n, "thread"),
	                       *f = find(ms, n, "fork"),
	                       *p = find(ms, n, "pool"),
	                       *e = find(ms, n, "epoll");
	size_t rate = offsetof(struct sample, rate),
	       cpu = offsetof(struct sample, cpu_us);

	printf("\nWhat it shows:\n");
	if (f && t) {
		verdict("conn/s, fork vs thread", f, t, rate, 0, "was faster");
		verdict("CPU us/conn, fork vs thread", f, t, cpu, 1,
		        "used more CPU");
	}
	if (p && t)
		verdict("conn/s, pool vs thread", p, t, rate, 0, "was faster");
	if (e && t)
		verdict("conn/s, epoll vs thread", e, t, rate, 0, "was faster");
	read_memory(f, t, e);
	if (p && p->idle.held < asked)
		printf("- pool under idle clients: it held only %d of %d; "
		       "silent clients occupy its\n  fixed workers and queue, "
		       "and everyone after them got '%s' instead.\n",
		       p->idle.held, asked,
		       p->idle.reply[0] ? p->idle.reply : "nothing");
	else if (p)
		printf("- pool held all %d idle clients (workers plus queue "
		       "were enough).\n",
		       asked);
}

static void
json_spread(struct json *j, const char *key, struct spread sp)
{
	json_kv_obj(j, key);
	json_kv_double(j, "median", sp.med);
	json_kv_double(j, "min", sp.lo);
	json_kv_double(j, "max", sp.hi);
	json_obj_end(j);
}

static long long
sum_of(const struct model_run *m, size_t off)
{
	long long v, s = 0;
	int i;

	for (i = 0; i < m->nrun; i++) {
		memcpy(&v, (const char *)&m->s[i] + off, sizeof(v));
		if (v < 0)
			return -1;
		s += v;
	}
	return s;
}

static void
json_model(struct json *j, const struct model_run *m)
{
	json_obj_begin(j);
	json_kv_str(j, "model", m->name);
	json_kv_bool(j, "started", m->started);
	json_kv_int(j, "runs", m->nrun);
	json_kv_int(j, "pid", m->load_pid);
	json_kv_int(j, "idle_pid", m->idle_pid);
	json_kv_int(j, "ok", sum_of(m, offsetof(struct sample, ok)));
	json_kv_int(j, "failed", sum_of(m, offsetof(struct sample, failed)));
	json_kv_double(j, "conn_per_sec", SPREAD(m, rate).med);
	json_spread(j, "conn_per_sec_runs", SPREAD(m, rate));
	json_kv_double(j, "p99_ms", SPREAD(m, p99).med);
	json_kv_double(j, "cpu_us_per_conn", SPREAD(m, cpu_us).med);
	json_spread(j, "cpu_us_runs", SPREAD(m, cpu_us));
	json_kv_double(j, "cpu_bound_us", SPREAD(m, cpu_bound_us).hi);
	json_kv_double(j, "vcsw_per_conn", SPREAD(m, vcsw).med);
	json_kv_double(j, "ivcsw_per_conn", SPREAD(m, ivcsw).med);
	json_kv_double(j, "mem_bytes_per_idle_conn", SPREAD(m, cost.user).med);
	json_kv_obj(j, "idle_cost_bytes");
	json_kv_double(j, "user", SPREAD(m, cost.user).med);
	json_kv_double(j, "page_tables", SPREAD(m, cost.pte).med);
	json_kv_double(j, "kernel_stacks", SPREAD(m, cost.kstack).med);
	json_kv_double(j, "task_objects", SPREAD(m, cost.task_obj).med);
	json_kv_double(j, "process_objects", SPREAD(m, cost.proc_obj).med);
	json_kv_double(j, "vma_objects", SPREAD(m, cost.vma_obj).med);
	json_kv_double(j, "socket_objects", SPREAD(m, cost.sock_obj).med);
	json_kv_double(j, "epoll_objects", SPREAD(m, cost.epoll_obj).med);
	json_kv_double(j, "total", SPREAD(m, cost.total).med);
	json_obj_end(j);
	json_kv_int(j, "idle_held", m->idle.held);
	json_kv_int(j, "idle_pte_kb", m->idle.after.pte_kb);
	json_kv_int(j, "threads", m->idle.after.threads);
	json_kv_int(j, "procs", m->idle.after.procs);
	json_kv_int(j, "served_by_server",
	            sum_of(m, offsetof(struct sample, served)));
	json_obj_end(j);
}

void
compare_json(const struct model_run *ms, int n, const struct bench_compare *c)
{
	struct json j;
	int i;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kv_str(&j, "mode", "compare");
	json_kv_int(&j, "concurrency", c->conc);
	json_kv_int(&j, "client_threads", c->threads);
	json_kv_int(&j, "total", c->total);
	json_kv_int(&j, "idle", c->idle);
	json_kv_int(&j, "runs", c->runs);
	json_kv_int(&j, "kernel_stack_kb", BENCH_KSTACK_KB);
	json_kv_arr(&j, "models");
	for (i = 0; i < n; i++)
		json_model(&j, &ms[i]);
	json_arr_end(&j);
	json_obj_end(&j);
	json_end(&j);
}

/* Split "thread,epoll" into runs; -1 (a usage error said) on a bad name. */

/* ---- the bar chart (--svg FILE) ---- */

#define CH_W 1280
#define CH_H 600
#define PANEL_W 400
#define PLOT_TOP 150
#define PLOT_H 330

/*
 * One look per model, the same in every panel. Why lightness and a
 * pattern too: on a washed-out projector or a grey print, hue alone
 * would not tell thread from fork.
 */
static const struct {
	const char *fill, *pattern;
} bar_looks[] = {
    {"#08519c", NULL},
    {"#6baed6", SVG_HATCH},
    {"#e6550d", SVG_DOTS},
    {"#fdd0a2", SVG_CROSS},
};

/* One figure of the n models: what to draw, where it comes from. */
struct panel {
	const char *title, *axis; /* axis: the quantity and its unit */
	size_t off;               /* offsetof(struct sample, ...) */
	double scale;             /* shown = median * scale */
	int dec;
};

static double
panel_value(const struct model_run *m, const struct panel *p)
{
	if (!m->started || m->nrun == 0)
		return NAN;
	return spread_of(m, p->off).med * p->scale;
}

static void
bar(struct svg *s, const struct model_run *m, int i, int n, double x0, double v,
    double top, const struct panel *p)
{
	double slot = (PANEL_W - 80) / (double)n, bw = slot * 0.6;
	double x = x0 + 60 + slot * i + (slot - bw) / 2;
	double base = PLOT_TOP + PLOT_H, h;
	int k = i % (int)LEN(bar_looks);

	svg_text(s, x + bw / 2, base + 24, 16, "middle", 1, "#000000", m->name);
	if (isnan(v) || v < 0) {
		svg_text(s, x + bw / 2, base - 8, 14, "middle", 0, "#333333",
		         "n/a");
		return;
	}
	h = top > 0 ? v / top * PLOT_H : 0;
	svg_rect(s, x, base - h, bw, h, bar_looks[k].fill, "#000000",
	         bar_looks[k].pattern);
	svg_textf(s, x + bw / 2, base - h - 8, 15, "middle", 1, "#000000",
	          "%.*f", p->dec, v);
}

static void
panel(struct svg *s, const struct model_run *ms, int n, int col,
      const struct panel *p)
{
	double x0 = 20 + col * (PANEL_W + 20), top = 0, v;
	int i;

	for (i = 0; i < n; i++) {
		v = panel_value(&ms[i], p);
		if (!isnan(v) && v > top)
			top = v;
	}
	top *= 1.15; /* room for the value above the tallest bar */
	svg_text(s, x0 + PANEL_W / 2.0, PLOT_TOP - 50, 20, "middle", 1,
	         "#000000", p->title);
	svg_text(s, x0 + PANEL_W / 2.0, PLOT_TOP - 26, 15, "middle", 0,
	         "#333333", p->axis);
	svg_line(s, x0 + 50, PLOT_TOP + PLOT_H, x0 + PANEL_W - 10,
	         PLOT_TOP + PLOT_H, "#000000", 2, 0);
	svg_line(s, x0 + 50, PLOT_TOP, x0 + 50, PLOT_TOP + PLOT_H, "#000000", 2,
	         0);
	for (i = 0; i < n; i++)
		bar(s, &ms[i], i, n, x0, panel_value(&ms[i], p), top, p);
}

int
compare_svg(const struct model_run *ms, int n, const struct bench_compare *c,
            const char *file)
{
	const struct panel ps[3] = {
	    {"connections per second", "conn/s (higher: faster)",
	     offsetof(struct sample, rate), 1, 0},
	    {"server CPU per connection", "CPU time, microseconds (us)",
	     offsetof(struct sample, cpu_us), 1, 1},
	    {"memory per idle connection",
	     "KB (RSS or PSS, page tables, "
	     "stacks, slab objects)",
	     offsetof(struct sample, cost.total), 1.0 / 1024, 1},
	};
	struct svg s;
	int k;

	if (svg_open(&s, file, CH_W, CH_H, "netlab bench --compare") < 0)
		return -1;
	svg_textf(&s, 20, 36, 24, "start", 1, "#000000",
	          "netlab bench --compare: %lld connections at concurrency "
	          "%d, then %d idle",
	          c->total, c->conc, c->idle);
	for (k = 0; k < 3; k++)
		panel(&s, ms, n, k, &ps[k]);
	svg_textf(&s, 20, CH_H - 20, 15, "start", 0, "#333333",
	          "%s; one machine, one moment: see docs/performance.md for "
	          "the measured comparison",
	          c->runs > 1 ? "medians of the runs" : "one run, one sample");
	return svg_close(&s);
}
