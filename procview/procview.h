/*
 * procview.h: the parts of procview and how they fit.
 *
 *   main.c     options, then one of the views below
 *   list.c     reading /proc into rows (only the files the columns need)
 *   select.c   which processes to show (-e, -u, -p, -C, --ppid, default)
 *   format.c   the column keywords and ps-compatible row layout
 *   sort.c     --sort
 *   tree.c     -H / --forest indentation and the --tree drawing
 *   threads.c  -L: one row per thread
 *   watch.c    --watch: the live view
 *   jsonout.c  --json for every view
 *   explain.c  --explain: where each column comes from
 *   kill.c     procview kill
 */
#ifndef PROCVIEW_H
#define PROCVIEW_H

#include <stddef.h>
#include <time.h>

#include "proc.h"

/* Which /proc files a listing needs beyond stat. */
enum {
	NEED_STATUS = 1 << 0,  /* real uid, STAT's 'L' (VmLck) */
	NEED_CMDLINE = 1 << 1, /* args/cmd */
	NEED_EUID = 1 << 2,    /* user names, uid: fstat of /proc/PID */
};

/* Largest cmdline kept (Linux allows a few MB of arguments). */
#define PV_CMDLINE_MAX ((size_t)1024 * 1024)

/* One row: a process, or with -L one thread of it. */
struct pv_proc {
	int pid; /* the process (thread group) id */
	int tid; /* the thread id (LWP); == pid for a process */
	struct proc_stat st;
	struct proc_status stv;
	int status_err; /* errno if status was needed and unreadable */
	char *cmd;      /* raw cmdline bytes (NUL separated) or NULL */
	size_t cmdlen;
	int cmd_err;      /* errno if cmdline was needed and unreadable */
	int kthread;      /* PF_KTHREAD set in stat field 9 */
	int depth;        /* tree depth for -H / --forest */
	char *forest;     /* prefix drawn before the command, or NULL */
	int live;         /* --watch: live_pcpu is set */
	double live_pcpu; /* --watch: %CPU over the last interval */
};

struct pv_list {
	struct pv_proc *v;
	size_t n, cap;
};

/* System facts read once per listing. */
struct pv_ctx {
	long hz;          /* clock ticks per second */
	long long btime;  /* boot time, seconds since the epoch */
	double uptime;    /* seconds since boot */
	long long mem_kb; /* MemTotal */
	long page_kb;     /* page size in KiB */
	int pidw;         /* width of PID columns (from pid_max) */
	time_t now;
	int utf8; /* the locale is UTF-8 */
	int self_pid;
	struct uid_cache uids;
};

/* Selection: empty lists and all == 0 mean ps's default. */
struct pv_sel {
	int all;
	unsigned int *uids;
	size_t nuids;
	int *pids;
	size_t npids;
	int *ppids;
	size_t nppids;
	char **names;
	size_t nnames;
	int self_euid, self_tty;
};

/* Column justification, as procps does it. */
enum { PV_LEFT, PV_RIGHT, PV_USER, PV_UNLIMITED };

struct pv_key {
	const char *name;
	const char *header;
	int width;
	int just;
	int needs; /* NEED_* */
	/* text of the field; buffer at least 64 bytes, args may be longer */
	void (*fmt)(char *buf, size_t n, const struct pv_proc *p,
	            struct pv_ctx *c, int width);
	/* numeric value for sorting and JSON, or NULL: sort by text */
	long long (*num)(const struct pv_proc *p, struct pv_ctx *c);
	const char *explain;
};

struct pv_col {
	const struct pv_key *key;
	const char *header; /* header text (key's or key=HEADER) */
	int width;
};

struct pv_format {
	struct pv_col *col;
	size_t n;
	int needs;
	int threads; /* columns want per-thread values (lwp) */
};

struct pv_sortkey {
	const struct pv_key *key;
	int desc;
};

/* main.c options shared with the views */
struct pv_opts {
	struct pv_sel sel;
	struct pv_format fmt;
	struct pv_sortkey *sort;
	size_t nsort;
	int full, threads, forest, hier, tree, tree_root;
	int no_headers, json, explain;
	double watch;
	long count;
	long long count_ll;
	int watch_default_fmt; /* no -o/-f given: the watch columns */
	int width;             /* output width, 0 = unlimited */
};

/* list.c */
int pv_ctx_init(struct pv_ctx *c);
void pv_ctx_free(struct pv_ctx *c);
/* Scan /proc into l: rows for processes passing sel (threads: one per
 * thread). Vanished processes are skipped. Returns 0 or -1 with errno. */
int pv_scan(struct pv_list *l, const struct pv_sel *sel, int needs, int threads,
            struct pv_ctx *c);
void pv_list_free(struct pv_list *l);
/* Read one process (no selection). 0, or -1 with errno (ESRCH gone). */
int pv_read_one(struct pv_proc *p, int pid, int needs);
/* Fill p from an open process or thread: stat, and status / cmdline
 * as needs says. 0, or -1 with errno (ENOENT/ESRCH: gone). */
int pv_read_files(struct proc_handle *h, struct pv_proc *p, int needs);
/* A new zeroed row at the end of l. */
struct pv_proc *pv_list_push(struct pv_list *l);
void pv_proc_free(struct pv_proc *p);

/* select.c */
int pv_sel_parse_users(struct pv_sel *s, const char *list);
int pv_sel_parse_pids(int **v, size_t *n, const char *list);
int pv_sel_parse_names(struct pv_sel *s, const char *list);
int pv_sel_needs(const struct pv_sel *s);
int pv_sel_match(const struct pv_sel *s, const struct pv_proc *p);
void pv_sel_free(struct pv_sel *s);

/* format.c */
const struct pv_key *pv_key_find(const char *name);
/* Append the keywords of spec ("pid,user,args" / "pid user" /
 * "pid=ID"). Returns 0, or -1 with msg set to what was wrong. */
int pv_format_add(struct pv_format *f, const char *spec, char *msg, size_t n);
void pv_format_free(struct pv_format *f);
/* 0 if every column's title is empty: then no header line at all */
int pv_format_has_header(const struct pv_format *f);
/* Cells of one row (or the header if p == NULL) laid out as procps does;
 * width 0 = unlimited. Returns a string the caller frees. */
char *pv_format_row(const struct pv_format *f, const struct pv_proc *p,
                    struct pv_ctx *c, int width);
/* Command text of p: args (full) or comm, made printable. */
void pv_cmd_text(char *buf, size_t n, const struct pv_proc *p, struct pv_ctx *c,
                 int args);
char *pv_cmd_alloc(const struct pv_proc *p, struct pv_ctx *c, int args);
void pv_state_text(char *buf, size_t n, const struct pv_proc *p);
const struct pv_key *pv_keys(size_t *n);

/* sort.c */
int pv_sort_parse(struct pv_opts *o, const char *spec, char *msg, size_t n);
void pv_sort(struct pv_list *l, const struct pv_opts *o, struct pv_ctx *c);

/* tree.c */
/* Reorder l into tree order and set depth / forest prefixes. */
void pv_forest(struct pv_list *l, int art);
/* Print a pstree-like drawing, rooted at root (0: every root). Returns
 * 0, or -1 if root is not in the list. */
int pv_tree_print(struct pv_list *l, int root, struct pv_ctx *c, int width);
void pv_tree_json(struct pv_list *l, int root, struct pv_ctx *c);

/* threads.c */
int pv_scan_threads(struct pv_list *l, struct proc_handle *h,
                    const struct pv_proc *proc, int needs);

/* jsonout.c */
void pv_json_table(const struct pv_list *l, const struct pv_format *f,
                   struct pv_ctx *c, int frame);

/* explain.c */
void pv_explain(const struct pv_format *f, const struct pv_list *l,
                struct pv_ctx *c);

/* watch.c */
int pv_watch(struct pv_opts *o, struct pv_ctx *c);

/* main.c helpers used by watch */
int pv_list_once(struct pv_opts *o, struct pv_ctx *c);

/* kill.c */
int pv_kill_main(int argc, char **argv);

#endif
