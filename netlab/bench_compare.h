/*
 * bench_compare.h: what "netlab bench --compare" measured, shared by the
 * runs (bench_compare.c) and the report (bench_compare_report.c).
 */
#ifndef BENCH_COMPARE_H
#define BENCH_COMPARE_H

#include <sys/types.h>

#include "bench.h"

/* What one run of one model measured. */
struct sample {
	double rate, p99;
	double cpu_us, cpu_bound_us; /* per connection; < 0 unknown */
	double vcsw, ivcsw;          /* per connection */
	long long started, ok, failed, served;
	struct bench_cost cost; /* one idle connection */
	double kobj;            /* bench_kobj_sum(&cost) */
	int held, idle_ok;
};

struct model_run {
	char name[16];
	int started; /* every server of this model came up */
	int nrun;
	struct sample s[BENCH_RUNS_MAX];
	struct bench_idle_result idle; /* the last run's */
	pid_t load_pid, idle_pid;      /* the last servers, now gone */
};

/*
 * bench_compare_report.c: the text tables and the reading (what the
 * figures show, and only that), and the JSON document, of the n models
 * in ms; asked: the idle connections asked for.
 */
void compare_load_table(const struct model_run *ms, int n);
void compare_idle_table(const struct model_run *ms, int n, int asked);
void compare_reading(const struct model_run *ms, int n, int asked);
void compare_json(const struct model_run *ms, int n,
                  const struct bench_compare *c);
/* The three figures as bars per model, an SVG picture in file.
 * Returns 0, or -1 with errno (the caller says "cannot write"). */
int compare_svg(const struct model_run *ms, int n,
                const struct bench_compare *c, const char *file);

#endif
