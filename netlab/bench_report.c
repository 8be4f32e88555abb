/*
 * bench_report.c: what "netlab bench" prints, as text or as one JSON
 * object (--json): a load run and an --idle run. --compare has its own
 * table in bench_compare.c.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "esc.h"
#include "json.h"

/* ---- the load report ---- */

static void
print_errors(FILE *f, const struct bench_result *r)
{
	char item[64];
	int k, col = 9, n;

	fprintf(f, "  errors:");
	for (k = 0; k < BE_NKINDS; k++) {
		n = snprintf(item, sizeof(item), " %s %lld%s",
		             bench_err_name[k], r->err[k],
		             k + 1 < BE_NKINDS ? "," : "");
		if (col + n > 80) { /* wrap: the report fits 80 columns */
			fprintf(f, "\n         ");
			col = 9;
		}
		fputs(item, f);
		col += n;
	}
	fputc('\n', f);
	if (r->err[BE_WRONG]) {
		fprintf(f, "  first wrong reply: '");
		esc_fwrite(r->wrong, r->wrong_len, f); /* the server's bytes */
		fprintf(f, "'\n");
	}
	if (r->err[BE_OTHER])
		fprintf(f, "  first other error: %s\n",
		        strerror(r->other_errno));
}

/* The server's CPU and context switches per connection. */
static void
srv_text(int pid, const struct bench_srv *sv)
{
	printf("  server pid %d, per connection: %.2f us of CPU (+-%.2f us)\n",
	       pid, sv->cpu_us, sv->cpu_bound_us);
	printf("    context switches: %.3f voluntary, %.3f involuntary\n",
	       sv->vcsw, sv->ivcsw);
	if (!sv->all_tasks)
		printf("    (switches of the threads alive at the end only; "
		       "--compare counts all)\n");
}

void
bench_report_text(const struct bench_opts *o, const struct bench_result *r,
                  const struct bench_srv *sv)
{
	printf("netlab bench: %s port %d, concurrency %d", o->host, o->port,
	       o->conc);
	if (r->threads > 1)
		printf(", %d threads", r->threads);
	putchar('\n');
	printf("  %lld connections: %lld ok, %lld failed in %.3f s\n",
	       r->started, r->ok, r->failed, r->seconds);
	printf("  %.0f conn/s\n", bench_rate(r));
	if (r->ok == 0) /* no answer was timed: zeros would be made up */
		printf("  latency ms: none (no connection succeeded)\n");
	else
		printf("  latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n",
		       bench_quantile_ms(r, 0.5), bench_quantile_ms(r, 0.9),
		       bench_quantile_ms(r, 0.99), (double)r->max_us / 1000.0);
	print_errors(stdout, r);
	if (sv->measured)
		srv_text(o->server_pid, sv);
	else if (o->server_pid)
		printf("  server pid %d: %s\n", o->server_pid, sv->missing);
	if (r->time_limited)
		printf("  stopped early (--max-time or an interrupt) after "
		       "%lld of %lld connections\n",
		       r->started, o->total);
}

static void
json_errors(struct json *j, const long long *err)
{
	int k;

	json_kv_obj(j, "errors");
	for (k = 0; k < BE_NKINDS; k++) {
		json_kv_int(j, bench_err_name[k], err[k]);
	}
	json_obj_end(j);
}

void
bench_report_json(const struct bench_opts *o, const struct bench_result *r,
                  const struct bench_srv *sv)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kv_str(&j, "mode", "load");
	json_kv_str(&j, "host", o->host);
	json_kv_int(&j, "port", o->port);
	json_kv_int(&j, "concurrency", o->conc);
	json_kv_int(&j, "client_threads", r->threads);
	json_kv_int(&j, "started", r->started);
	json_kv_int(&j, "ok", r->ok);
	json_kv_int(&j, "failed", r->failed);
	json_kv_double(&j, "seconds", r->seconds);
	json_kv_double(&j, "conn_per_sec", bench_rate(r));
	json_kv_obj(&j, "latency_ms");
	json_kv_double(&j, "p50", bench_quantile_ms(r, 0.5));
	json_kv_double(&j, "p90", bench_quantile_ms(r, 0.9));
	json_kv_double(&j, "p99", bench_quantile_ms(r, 0.99));
	json_kv_double(&j, "max", (double)r->max_us / 1000.0);
	json_obj_end(&j);
	json_errors(&j, r->err);
	json_key(&j, "first_wrong_reply");
	if (r->err[BE_WRONG])
		json_strn(&j, r->wrong, r->wrong_len); /* the exact bytes */
	else
		json_null(&j);
	json_kv_bool(&j, "time_limited", r->time_limited);
	if (sv->measured) {
		json_kv_double(&j, "server_cpu_us_per_conn", sv->cpu_us);
		json_kv_double(&j, "server_cpu_bound_us", sv->cpu_bound_us);
		json_kv_double(&j, "server_vcsw_per_conn", sv->vcsw);
		json_kv_double(&j, "server_ivcsw_per_conn", sv->ivcsw);
		json_kv_bool(&j, "switches_all_tasks", sv->all_tasks);
	} else if (o->server_pid) {
		json_kv_str(&j, "server_missing", sv->missing);
	}
	json_obj_end(&j);
	json_end(&j);
}

/* ---- the idle report ---- */

static void
idle_row(const char *what, long long a, long long b, int held)
{
	printf("    %-12s %10lld %10lld %12.2f\n", what, a, b,
	       held > 0 ? (double)(b - a) / held : 0.0);
}

static double
kb_per(long long a, long long b, int held)
{
	return held > 0 ? (double)(b - a) * 1024.0 / held : 0;
}

static void
cost_row(const char *what, double bytes, const char *how)
{
	if (isnan(bytes))
		printf("    %-26s %9s  %s\n", what, "unknown", how);
	else
		printf("    %-26s %6.1f KB  %s\n", what, bytes / 1024, how);
}

/*
 * What RSS and PSS leave out: they count a process's user pages only,
 * while the kernel holds page tables, a stack and objects per task and
 * the socket for every connection. Each figure says where it comes
 * from; an estimate says so.
 */
static void
idle_cost_text(const struct bench_idle_result *r)
{
	struct bench_cost c;
	char ks[48];

	bench_idle_cost(r, &c);
	if (r->held <= 0)
		return;
	snprintf(ks, sizeof(ks), "new tasks x %d KiB (THREAD_SIZE)",
	         BENCH_KSTACK_KB);
	printf("  one held connection, with what the kernel keeps for it:\n");
	if (r->tree)
		cost_row("user memory (PSS)", c.user,
		         "Pss, smaps_rollup, summed");
	else
		cost_row("user memory (RSS)", c.user,
		         "VmRSS, /proc/PID/status");
	cost_row("page tables", c.pte, "VmPTE, /proc/PID/status");
	cost_row("kernel stacks (estimate)", c.kstack, ks);
	printf("    slab objects, object sizes from /proc/slabinfo "
	       "(estimates):\n");
	cost_row("  task structures", c.task_obj, "task_struct x new tasks");
	cost_row("  process structures", c.proc_obj,
	         "mm, signal, sighand, files, fs");
	cost_row("  memory maps", c.vma_obj, "vm_area_struct x new maps");
	cost_row("  socket", c.sock_obj, "TCP, sock_inode, filp, dentry");
	cost_row("  epoll entries", c.epoll_obj, "eventpoll_epi x new ones");
	cost_row("in all (what is known)", c.total,
	         "left out: pid, cred, anon_vma, kmalloc");
	if (isnan(c.task_obj) || isnan(c.proc_obj) || isnan(c.vma_obj) ||
	    isnan(c.sock_obj) || isnan(c.epoll_obj) || isnan(c.pte) ||
	    isnan(c.kstack))
		printf("  (unknown: slabinfo is for root, or this kernel names "
		       "the cache otherwise;\n  in all leaves it out)\n");
	if (r->tcp_inuse[0] >= 0 && r->tcp_inuse[1] >= 0)
		printf(
		    "  /proc/net/sockstat (this network namespace, both ends, "
		    "all programs):\n    TCP sockets %lld -> %lld, buffer "
		    "pages %lld -> %lld\n",
		    r->tcp_inuse[0], r->tcp_inuse[1], r->tcp_mem_pages[0],
		    r->tcp_mem_pages[1]);
}

void
bench_idle_text(const struct bench_opts *o, const struct bench_idle_result *r)
{
	const struct bench_proc *a = &r->before, *b = &r->after;
	int k;

	printf("netlab bench --idle: %s port %d, %d connections\n", o->host,
	       o->port, o->idle);
	printf("  held %d, answered or closed by the server %d, failed %lld "
	       "(%.2f s)\n",
	       r->held, r->rejected,
	       (long long)(o->idle - r->held - r->rejected), r->seconds);
	if (r->rejected) {
		printf("  first answer: '");
		esc_fwrite(r->reply, r->reply_len, stdout); /* server's bytes */
		printf("'\n");
	}
	for (k = 0; k < BE_NKINDS; k++)
		if (r->err[k])
			printf("  connect failed: %s %lld\n", bench_err_name[k],
			       r->err[k]);
	if (!o->server_pid)
		return;
	if (!a->ok || !b->ok) {
		printf("  server pid %d: could not be read in /proc\n",
		       o->server_pid);
		return;
	}
	printf("  server pid %d:      before      after  per connection\n",
	       o->server_pid);
	printf("    %-12s %7lld KB %7lld KB %9.0f B\n",
	       r->tree ? "memory (PSS)" : "memory (RSS)",
	       r->tree ? a->pss_kb : a->rss_kb, r->tree ? b->pss_kb : b->rss_kb,
	       bench_idle_mem_per_conn(r));
	printf("    %-12s %7lld KB %7lld KB %9.0f B\n", "page tables",
	       a->pte_kb, b->pte_kb, kb_per(a->pte_kb, b->pte_kb, r->held));
	idle_row("threads", a->threads, b->threads, r->held);
	idle_row("processes", a->procs, b->procs, r->held);
	idle_row("descriptors", a->fds, b->fds, r->held);
	if (r->tree)
		printf("  (several processes: memory is their PSS summed, "
		       "shared pages counted once;\n  descriptors are "
		       "fd-table entries summed over the processes)\n");
	if (a->exited || b->exited)
		printf("  (exited children not reaped yet, %lld before and "
		       "%lld after, hold no\n  memory: not counted as "
		       "processes)\n",
		       a->exited, b->exited);
	idle_cost_text(r);
}

static void
json_proc(struct json *j, const char *key, const struct bench_proc *p)
{
	json_kv_obj(j, key);
	json_kv_int(j, "rss_kb", p->rss_kb);
	json_kv_int(j, "pss_kb", p->pss_kb);
	json_kv_int(j, "threads", p->threads);
	json_kv_int(j, "procs", p->procs);
	json_kv_int(j, "fds", p->fds);
	json_kv_int(j, "pte_kb", p->pte_kb);
	json_kv_int(j, "vmas", p->vmas);
	json_kv_int(j, "epoll_regs", p->epoll_regs);
	json_kv_int(j, "exited", p->exited);
	json_obj_end(j);
}

/* "cost_bytes": one held connection, user and kernel memory */
static void
json_cost(struct json *j, const struct bench_idle_result *r)
{
	struct bench_cost c;
	int k;

	bench_idle_cost(r, &c);
	json_kv_obj(j, "cost_bytes");
	json_kv_double(j, "user", c.user);
	json_kv_double(j, "page_tables", c.pte);
	json_kv_double(j, "kernel_stacks", c.kstack);
	json_kv_double(j, "task_objects", c.task_obj);
	json_kv_double(j, "process_objects", c.proc_obj);
	json_kv_double(j, "vma_objects", c.vma_obj);
	json_kv_double(j, "socket_objects", c.sock_obj);
	json_kv_double(j, "epoll_objects", c.epoll_obj);
	json_kv_double(j, "socket_buffers", c.sock_buf);
	json_kv_double(j, "total", c.total);
	json_obj_end(j);
	json_kv_int(j, "kernel_stack_kb", BENCH_KSTACK_KB);
	json_kv_obj(j, "slab_object_bytes");
	for (k = 0; k < BS_NSLABS; k++)
		json_kv_int(j, bench_slab_name[k], r->slab[k]);
	json_obj_end(j);
	json_kv_int(j, "tcp_inuse_before", r->tcp_inuse[0]);
	json_kv_int(j, "tcp_inuse_after", r->tcp_inuse[1]);
}

static double
per(long long a, long long b, int held)
{
	return held > 0 ? (double)(b - a) / held : 0;
}

void
bench_idle_json(const struct bench_opts *o, const struct bench_idle_result *r)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kv_str(&j, "mode", "idle");
	json_kv_int(&j, "asked", o->idle);
	json_kv_int(&j, "held", r->held);
	json_kv_int(&j, "rejected", r->rejected);
	json_key(&j, "first_answer");
	if (r->rejected)
		json_strn(&j, r->reply, r->reply_len); /* the exact bytes */
	else
		json_null(&j);
	json_errors(&j, r->err);
	if (o->server_pid && r->before.ok && r->after.ok) {
		json_kv_int(&j, "server_pid", o->server_pid);
		json_kv_str(&j, "memory", r->tree ? "pss" : "rss");
		json_proc(&j, "before", &r->before);
		json_proc(&j, "after", &r->after);
		json_kv_obj(&j, "per_conn");
		json_kv_double(&j, "mem_bytes", bench_idle_mem_per_conn(r));
		json_kv_double(
		    &j, "threads",
		    per(r->before.threads, r->after.threads, r->held));
		json_kv_double(&j, "procs",
		               per(r->before.procs, r->after.procs, r->held));
		json_kv_double(&j, "fds",
		               per(r->before.fds, r->after.fds, r->held));
		json_obj_end(&j);
		json_cost(&j, r);
	}
	json_obj_end(&j);
	json_end(&j);
}
