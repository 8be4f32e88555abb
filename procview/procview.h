/*
 * procview.h: the parts of procview and how they fit.
 *
 *   main.c     options, then one of the views below
 *   list.c     reading /proc into rows (only the files the columns need)
 *   select.c   which processes to show (-e, -u, -p, -C, --ppid, default)
 *   columns.c  the column keywords and the value of each column
 *   layout.c   -o specs and the ps-compatible row layout
 *   sort.c     --sort
 *   tree.c     -H / --forest indentation and the --tree drawing
 *   threads.c  -L: one row per thread
 *   watch.c    --watch: the live view
 *   jsonout.c  --json for every view
 *   explain.c  --explain: where each column comes from
 *   kill.c     procview kill (kill_parse.c: its command line)
 */
#ifndef PROCVIEW_H
#define PROCVIEW_H

#include <stddef.h>
#include <time.h>

#include "proc.h"
#include "tty.h"
#include "uid.h"

/* Which /proc files a listing needs beyond stat. */
enum {
	NEED_STATUS = 1 << 0,  /* real uid, STAT's 'L' (VmLck) */
	NEED_CMDLINE = 1 << 1, /* args/cmd */
	NEED_EUID = 1 << 2,    /* user names, uid: fstat of /proc/PID */
	NEED_WCHAN = 1 << 3,   /* WCHAN: /proc/PID/wchan */
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
	char wchan[64];   /* NEED_WCHAN: where it sleeps, "-" running */
	int cmd_cut;      /* the command line was longer than PV_CMDLINE_MAX */
	int partial;      /* --watch: only stat (and the euid) read so far */
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
	/* ps's other selections (select.c): lists and simple tests */
	unsigned int *ruids, *rgids, *egids; /* -U, -G, -g NAME */
	size_t nruids, nrgids, negids;
	int *sids, *ttys; /* -s / -g NUMBER, -t */
	size_t nsids, nttys;
	int simple;     /* PV_SS_* bits: -a -d a x */
	int prefer_bsd; /* a BSD word was given: BSD's default selection */
	int negate;     /* -N */
	/* set by pv_sel_finish from simple and prefer_bsd */
	int my_euid, my_tty, has_tty, no_leader;
};

/* The simple selections, as procps names them */
enum {
	PV_SS_UA = 1 << 0, /* -a: on a terminal, not a session leader */
	PV_SS_UD = 1 << 1, /* -d: not a session leader */
	PV_SS_BA = 1 << 2, /* a: on a terminal, any user */
	PV_SS_BX = 1 << 3, /* x: mine, with or without a terminal */
};

/* A key's width that is taken from pid_max (pv_ctx.pidw) */
#define PV_PIDW (-1)

/* Column justification, as procps does it. */
enum { PV_LEFT, PV_RIGHT, PV_USER, PV_UNLIMITED };

/* What a column shows: one case of the switches in columns.c. */
enum pv_value {
	V_PID,
	V_TID,
	V_PPID,
	V_PGID,
	V_SID,
	V_NLWP,
	V_EUSER,
	V_RUSER,
	V_EUID,
	V_RUID,
	V_COMM,
	V_ARGS,
	V_STAT,
	V_STATE,
	V_TTY,
	V_TIME,
	V_STIME,
	V_ETIME,
	V_ETIMES,
	V_RSS,
	V_VSZ,
	V_PCPU,
	V_PMEM,
	V_NICE,
	V_PRI,
	V_PSR,
	V_C,
	V_BSDTIME,
	V_START,
	V_LSTART,
	V_TPGID,
	V_FLAGS,
	V_WCHAN,
	V_SZ,
	V_ADDR,
	V_OPRI,
	V_PRIORITY,
	V_CLS,
	V_RTPRIO,
	V_MAJFLT,
	V_MINFLT,
	V_TIMES,
	V_EGID,
	V_SUID,
	V_FUID,
	V_SUSER
};

struct pv_key {
	const char *name;
	const char *header;
	int width;
	int just;
	int needs; /* NEED_* */
	enum pv_value value;
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
	/* ps's personalities (bsd.c) */
	int bsd_fmt; /* BSD u, j or l: that column set; 0 none */
	int sysv_F, sysv_l, sysv_j, sysv_y, sysv_T; /* -F -l -j -y -T */
	int w_count;   /* -w / w: 132 columns; twice: unlimited */
	int cols;      /* --cols N; 0: not given */
	char *o_extra; /* -O KEYS: the default columns with KEYS */
};

/* list.c */
/* Fill c with the system facts every column needs (clock ticks, boot
 * time, uptime, memory, pid_max, locale). 0, or -1 if clock ticks, boot
 * time or uptime could not be read. Free with pv_ctx_free either way. */
int pv_ctx_init(struct pv_ctx *c);
/* Free what c owns (the user-name cache). */
void pv_ctx_free(struct pv_ctx *c);
/* Scan /proc into l: rows for processes passing sel (threads: one per
 * thread). Vanished processes are skipped. Returns 0 or -1 with errno. */
int pv_scan(struct pv_list *l, const struct pv_sel *sel, int needs, int threads,
            struct pv_ctx *c);
/* Free every row of l and its array; l is left empty, ready for reuse. */
void pv_list_free(struct pv_list *l);
/* Read one process (no selection). 0, or -1 with errno (ESRCH gone). */
int pv_read_one(struct pv_proc *p, int pid, int needs);
/* Fill p from an open process or thread: stat, and status / cmdline
 * as needs says. 0, or -1 with errno (ENOENT/ESRCH: gone). */
int pv_read_files(struct proc_handle *h, struct pv_proc *p, int needs);
/*
 * Read the files of row p that a scan with fewer needs left out (the
 * live view reads stat for every process, the rest only for the rows
 * on screen): status, cmdline and wchan as needs says, through a new
 * handle on the same process or thread, checked by its start time so
 * that a recycled PID is never mixed in. Clears p->partial. 0, or -1
 * with errno ESRCH if the process (or thread) is gone.
 */
int pv_read_more(struct pv_proc *p, int needs);
/* A new zeroed row at the end of l. */
struct pv_proc *pv_list_push(struct pv_list *l);
/* Free what row p owns (command line, forest prefix); p stays valid. */
void pv_proc_free(struct pv_proc *p);

/* select.c */
/*
 * Add the words of list (separated by commas, spaces or tabs) to the
 * selection: user names or uids; PIDs (1 to 2^31-1) to *v / *n; command
 * names. Each returns 0, or -1 with errno: EINVAL an empty list or a
 * malformed PID or id (a sign, '-5' or '+5', is malformed), ERANGE a PID
 * out of range, ENOENT a user name that does not exist. Memory runs out only by
 * exiting (xmalloc). The words are copied; pv_sel_free() frees them.
 */
int pv_sel_parse_users(struct pv_sel *s, const char *list);
/* Why a PID list was refused (EINVAL, ERANGE), for -p, --ppid and p */
#define PV_PID_RULE "process ids are numbers from 1, without a sign"
int pv_sel_parse_pids(int **v, size_t *n, const char *list);
int pv_sel_parse_names(struct pv_sel *s, const char *list);
/*
 * -U (real users), -G (real groups), -g (sessions, or effective group
 * names), -s (sessions), -t (terminals: "pts/3", "tty1", "/dev/...", "-"
 * for none). Same contract as above; ENOENT also for a group or a
 * terminal that does not exist.
 */
int pv_sel_parse_ruids(struct pv_sel *s, const char *list);
int pv_sel_parse_rgids(struct pv_sel *s, const char *list);
int pv_sel_parse_g(struct pv_sel *s, const char *list);
int pv_sel_parse_ttys(struct pv_sel *s, const char *list);
/* After the options: turn s->simple into the tests procps makes. 0, or
 * -1 if the simple selections conflict (-a with x). */
int pv_sel_finish(struct pv_sel *s);
/* Is comm (stat's, 15 bytes at most) the command NAME, as -C means it? */
int pv_comm_is(const char *comm, const char *name);
/* 1 if an option gave a list of processes (-p, -u, -C, -t ...) */
int pv_sel_has_lists(const struct pv_sel *s);
/* The NEED_* bits the selection itself needs read (NEED_EUID or 0). */
int pv_sel_needs(const struct pv_sel *s);
/* Non-zero if row p is selected by s (ps's rules; options add up). */
int pv_sel_match(const struct pv_sel *s, const struct pv_proc *p);
/* Free the lists of s; s is left zeroed. */
void pv_sel_free(struct pv_sel *s);

/* columns.c: the keywords and the value of each column */
/* The keyword NAME (any case), or NULL if there is none. Static data. */
const struct pv_key *pv_key_find(const char *name);
/* 1 if the column has a number (for sorting and JSON), 0 if only text */
int pv_key_has_num(const struct pv_key *k);
/* The column's number for p (only where pv_key_has_num). */
long long pv_key_num(const struct pv_key *k, const struct pv_proc *p,
                     struct pv_ctx *c);
/*
 * The column's text for p in buf (n bytes, at least 64; a command line
 * needs p->cmdlen + 512), as the process has it: NOT escaped, for JSON
 * and sorting; pv_format_row escapes it for the terminal. width: the
 * column's width in cells (a user name wider than it shows as the
 * number, as ps does), or 0 for no limit.
 */
void pv_key_text(const struct pv_key *k, char *buf, size_t n,
                 const struct pv_proc *p, struct pv_ctx *c, int width);
/* STAT: the state letter and its modifiers ("Ss+"); buf >= 8 bytes */
void pv_state_text(char *buf, size_t n, const struct pv_proc *p);
/*
 * The command as ps shows it (args: the command line, NULs as spaces, or
 * [comm]; else comm), NOT escaped: for JSON. Returns a string the
 * caller frees.
 */
char *pv_cmd_alloc(const struct pv_proc *p, int args);

/* layout.c: -o specs and the rows of the table */
/* Append the keywords of spec ("pid,user,args" / "pid user" /
 * "pid=ID"). Returns 0, or -1 with msg set to what was wrong. */
int pv_format_add(struct pv_format *f, const char *spec, char *msg, size_t n);
/* Free the columns of f and their headers; f is left zeroed. */
void pv_format_free(struct pv_format *f);
/* 0 if every column's title is empty: then no header line at all */
int pv_format_has_header(const struct pv_format *f);
/*
 * Cells of one row (or the header if p == NULL) laid out as procps does,
 * every value escaped for the terminal (lib/esc.h) and padded and cut by
 * its width in cells; width 0 = unlimited. Returns a string the caller
 * frees.
 */
char *pv_format_row(const struct pv_format *f, const struct pv_proc *p,
                    struct pv_ctx *c, int width);
/* The command text of p (args or comm) escaped for the terminal, cut
 * to fit n bytes without splitting a character. */
void pv_cmd_text(char *buf, size_t n, const struct pv_proc *p, int args);

/* bsd.c: ps's BSD words and the column sets of its personalities */
/*
 * One BSD word ("aux", "axjf", "k" then a key): sets o. A letter that
 * takes a value (k, o, p) takes the rest of the word, or else argv[*next]
 * and advances *next. 0, or -1 with msg set (an unknown letter, named).
 */
int pv_bsd_word(struct pv_opts *o, const char *word, int argc, char **argv,
                int *next, char *msg, size_t n);
/* The columns when no -o was given (-f, -l, -F, -j, -L, -T, u, j, l,
 * BSD or not) into o->fmt. 0, or -1 with msg set (-y without -l). */
int pv_default_format(struct pv_opts *o, char *msg, size_t n);

/* sort.c */
/* Append the keys of spec ("[+|-]KEY[,...]") to o->sort and their
 * NEED_* bits to o->fmt.needs. 0, or -1 with msg set to what was wrong
 * (an unknown key, an empty list). */
int pv_sort_parse(struct pv_opts *o, const char *spec, char *msg, size_t n);
/* Order the rows of l by o's sort keys, ties by pid then thread id (no
 * keys: l is left as it is). Cannot fail; may exit on out-of-memory. */
void pv_sort(struct pv_list *l, const struct pv_opts *o, struct pv_ctx *c);
/* Order the rows of l by start time, ties by PID (process rows only:
 * the rows of -L would be pulled apart). Cannot fail. */
void pv_sort_start(struct pv_list *l);

/* tree.c */
/* Reorder l into tree order and set depth / forest prefixes. */
void pv_forest(struct pv_list *l, int art);
/* Print a pstree-like drawing, rooted at root (0: every root). Returns
 * 0, or -1 if root is not in the list. */
int pv_tree_print(struct pv_list *l, int root, struct pv_ctx *c, int width);
/* The same tree as JSON on stdout ({"view":"tree","roots":[...]}); an
 * unknown root gives an empty list. */
void pv_tree_json(struct pv_list *l, int root, struct pv_ctx *c);

/* threads.c */
/* Push one row per thread of the process open in h (proc is its row,
 * reused for the main thread); threads that end meanwhile are skipped.
 * 0, or -1 with errno if the task list could not be read. */
int pv_scan_threads(struct pv_list *l, struct proc_handle *h,
                    const struct pv_proc *proc, int needs);

/* jsonout.c */
/* The rows of l as JSON on stdout, one object per row keyed by column
 * name; frame >= 0 adds "frame" and "time" (watch mode). */
void pv_json_table(const struct pv_list *l, const struct pv_format *f,
                   struct pv_ctx *c, int frame);

/* explain.c */
/* --explain: print what each column of f means and why some cells of
 * the rows in l are blank, '-', '?' or [name], with counts; the prose
 * wrapped to width (0, no limit: 80). */
void pv_explain(const struct pv_format *f, const struct pv_list *l,
                struct pv_ctx *c, int width);

/* watch.c */
/* --watch: redraw the listing every o->watch seconds until q, a signal
 * or o->count frames. Returns the exit status (0, or 1 if /proc could
 * not be read). */
int pv_watch(struct pv_opts *o, struct pv_ctx *c);

/* main.c helpers used by watch */
/* One listing as the options say. Returns 1 if rows were shown, 0 if
 * none matched, -1 if /proc could not be read (already reported). */
int pv_list_once(struct pv_opts *o, struct pv_ctx *c);

/* kill.c */
/* "procview kill ...": returns the exit status (0, 1 failure, 2 usage). */
int pv_kill_main(int argc, char **argv);
/* Send sig to the process pid that started at start (ticks after boot)
 * with name comm, by kill's rules: a target kill refuses without --force
 * is refused; the signal goes through a pidfd checked against start and
 * comm. 0, or -1 with the reason in err (n bytes). */
/* kill_list.c: -l/--list [SIG], -L/--table, --meanings, when argv is one
 * of them: returns the exit status, or -1 if argv is none of them. */
struct usage;
int pv_kill_listing(int argc, char **argv, const struct usage *u);
/* kill_send.c: the reason a /proc/PID read failed (ENOENT: the process
 * is gone, shown as "No such process"). Static text. */
const char *pv_gone(int e);
/*
 * Send sig (with *value through sigqueue's payload if value is not NULL)
 * to the process pid that started at start (clock ticks after boot)
 * with name comm, and to no other: through a pidfd opened before the
 * check (without pidfds, Linux < 5.3: kill(2) after the same check, and
 * a warning once). 0, or -1 with the reason in err (n bytes).
 */
int pv_verified_send(int pid, unsigned long long start, const char *comm,
                     int sig, const int *value, char *err, size_t n);
int pv_kill_checked(int pid, unsigned long long start, const char *comm,
                    int sig, char *err, size_t n);

#endif
