/*
 * bench.h: what the files of "netlab bench" share (internal).
 *
 *   bench.c          options and dispatch: cmd_bench
 *   bench_report.c   the text and JSON reports of a load and an idle run
 *   bench_load.c     the load engine: one epoll loop, -c connections in
 *                    flight, each connect, one line, one reply, close;
 *                    with --threads, one such loop per thread
 *   bench_idle.c     --idle: hold N silent connections; what the server
 *                    pays for them, read from /proc/PID
 *   bench_compare.c  --compare: start every server model, run the same
 *                    load and idle test on each, one table, a reading
 *
 * Rules: nothing here exits except bench.c's option parsing; the engines
 * return -1 with errno for a setup failure and count every failure of a
 * single connection by its kind.
 */
#ifndef BENCH_H
#define BENCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "opt.h"

/* How one connection can fail; each is counted apart. */
enum bench_err {
	BE_REFUSED,      /* ECONNREFUSED: nobody listens */
	BE_RESET,        /* ECONNRESET / EPIPE */
	BE_TIMEOUT,      /* no reply within --timeout */
	BE_ADDRNOTAVAIL, /* EADDRNOTAVAIL: no local port left */
	BE_WRONG,        /* a reply, but not --expect */
	BE_CLOSED,       /* end of file before any reply */
	BE_OTHER,        /* anything else (first errno kept) */
	BE_NKINDS
};

/* Names for reports and JSON keys: "refused", "reset", ... */
extern const char *const bench_err_name[BE_NKINDS];

/* The kernel slab caches bench_kobj.c reads, in this order. */
enum bench_slab {
	BS_TASK, /* task_struct: every task */
	BS_MM,   /* mm_struct .. fs_cache: every process */
	BS_SIGNAL,
	BS_SIGHAND,
	BS_FILES,
	BS_FS,
	BS_VMA, /* vm_area_struct: every memory map */
	BS_TCP, /* TCP (TCPv6) .. dentry: every socket */
	BS_SOCKINODE,
	BS_FILP,
	BS_DENTRY,
	BS_EPI, /* eventpoll_epi: every epoll registration */
	BS_NSLABS
};

/* Longest reply line we keep and compare (more is a wrong reply). */
#define BENCH_REPLY_MAX 255
/* Longest --expect: the reply line less its line end ("\r\n"). */
#define BENCH_EXPECT_MAX (BENCH_REPLY_MAX - 2)

/* What to run. */
struct bench_load {
	struct sockaddr_storage sa;
	socklen_t salen;
	int conc;        /* connections in flight at once */
	long long total; /* connections in all; 0: until the time limit */
	double limit;    /* seconds: stop starting new ones after this */
	double timeout;  /* seconds one connection may take */
	const char *msg; /* the bytes to send, line end included */
	size_t msglen;
	const char *expect; /* the reply line, without "\n" or "\r\n" */
	int progress;       /* a progress line on stderr (a terminal) */
	volatile sig_atomic_t *stop; /* set from a signal handler: end early */
	struct bench_tally *tally;   /* shared by the threads; NULL: alone */
	long long all;               /* with a tally: the -n of the whole run */
};

/* What every thread of one run has done so far (for the progress line). */
struct bench_tally {
	_Atomic long long ok, failed;
};

/* Log-linear latency histogram in microseconds (about 1.5% wide). */
#define BENCH_HSUB 64
#define BENCH_HBUCKETS ((40 - 5) * BENCH_HSUB)

struct bench_result {
	long long started;        /* connections attempted */
	long long ok;             /* replied with --expect */
	long long err[BE_NKINDS]; /* failed, by kind */
	long long failed;         /* sum of err[] */
	double seconds;           /* first start to last end */
	int time_limited;         /* the time limit ended the run early */
	int other_errno;          /* first errno counted as BE_OTHER */
	char wrong[64];           /* first wrong reply, as it came */
	size_t wrong_len;         /* its length (it may hold a NUL) */
	uint64_t max_us;
	uint64_t hist[BENCH_HBUCKETS];
	double t_start, t_end; /* monotonic clock: first start, last end */
	int threads;           /* loops that ran it (bench_run_threads) */
};

/* Run the load. Returns 0 (see r), or -1 with errno (epoll setup). */
int bench_run(const struct bench_load *l, struct bench_result *r);

/*
 * The same load shared out over nthreads threads, each its own epoll
 * loop with its part of -c and -n; r is their sum. nthreads is cut to
 * the connections there are. Returns 0, or -1 with errno.
 */
int bench_run_threads(const struct bench_load *l, int nthreads,
                      struct bench_result *r);

/* Latency in milliseconds at fraction q (0.5, 0.99) of the successes. */
double bench_quantile_ms(const struct bench_result *r, double q);

/* Connections per second over the run (successes only). */
double bench_rate(const struct bench_result *r);

/* Classify an errno from connect/send/recv. */
enum bench_err bench_classify(int err);

/* What the user asked for (bench.c parses it; the reports show it). */
struct bench_opts {
	const char *host;
	int port;
	int conc;
	int threads;
	long long total;
	double duration;
	double max_time;
	double timeout;
	char *msg;
	size_t msglen;
	const char *expect;
	int server_pid;
	int idle;
	double hold;
	int compare;
	int runs; /* --compare: runs per model */
	const char *models;
	int json;
	const char *svg; /* --compare --svg FILE */
	int conc_set, total_set, runs_set;
};

/* What the server spent on a load, per connection. */
struct bench_srv {
	int measured;        /* 0: no --server-pid, or it could not be read */
	const char *missing; /* not measured: what the report says instead */
	double cpu_us;       /* CPU per connection, us */
	double cpu_bound_us; /* its error bound, us */
	double vcsw, ivcsw;  /* context switches per connection */
	int all_tasks;       /* 1: ended threads and children counted too
	                      * (wait4); 0: the live threads only */
};

/* ---- bench_report.c: on stdout, as text or one JSON object ---- */

/* A load run, and what the server spent on it (sv->measured). */
void bench_report_text(const struct bench_opts *o, const struct bench_result *r,
                       const struct bench_srv *sv);
void bench_report_json(const struct bench_opts *o, const struct bench_result *r,
                       const struct bench_srv *sv);

struct bench_idle_result;
/* An --idle run. */
void bench_idle_text(const struct bench_opts *o,
                     const struct bench_idle_result *r);
void bench_idle_json(const struct bench_opts *o,
                     const struct bench_idle_result *r);

/* ---- bench_idle.c ---- */

/* What a server process (and its children) costs, from /proc. */
struct bench_proc {
	int ok;                 /* 0: the process could not be read */
	long long rss_kb;       /* VmRSS, summed over the processes */
	long long pss_kb;       /* Pss of smaps_rollup, summed (-1: none) */
	long long pte_kb;       /* VmPTE (page tables), summed */
	long long fds;          /* fd-table entries, summed over processes */
	long long vmas;         /* memory maps (maps lines), summed */
	long long epoll_regs;   /* descriptors watched by epoll (-1 unknown) */
	long long exited;       /* children exited, not reaped: CPU only */
	long long threads;      /* threads, summed */
	long long procs;        /* the server and its live children */
	unsigned long long cpu; /* utime+stime+cutime+cstime, clock ticks */
	/* each live process's CPU clock (clock_getcpuclockid), summed: ns,
	 * its ended threads included */
	unsigned long long cpu_ns;
	unsigned long long child_ticks; /* cutime+cstime: reaped children */
	long long vcsw, ivcsw; /* live threads' context switches, summed */
};

/*
 * Server CPU between samples a and b in ns: the live processes' CPU
 * clocks plus the reaped children's cutime+cstime. *bound_ns: the error
 * bound, one clock tick when children were reaped (cutime is read in
 * whole ticks), else 1 us. -1 if a sample is missing.
 */
double bench_cpu_ns(const struct bench_proc *a, const struct bench_proc *b,
                    double *bound_ns);

/*
 * The kernel stack of one task, in KiB: THREAD_SIZE, 16 KiB on x86-64
 * (arch/x86/include/asm/page_64_types.h, without KASAN) and arm64. An
 * estimate: the kernel does not say it per process (KernelStack in
 * /proc/meminfo is the sum over every task).
 */
#define BENCH_KSTACK_KB 16

/* Sample pid and its children. Returns 0, or -1 with errno. */
int bench_proc_sample(int pid, struct bench_proc *p);

/*
 * bench_proc_sample, and if it fails, say why on stderr (the report
 * then leaves the figures out: a made-up -1 KB or 0 descriptors would
 * be read as a measurement). 0, or -1 with errno.
 */
int bench_server_sample(int pid, struct bench_proc *p);

/*
 * Fill sv from samples a (before) and b (after) of n connections:
 * CPU from bench_cpu_ns, switches of the live threads (all_tasks 0).
 */
void bench_srv_from(const struct bench_proc *a, const struct bench_proc *b,
                    long long n, struct bench_srv *sv);

/* --idle: what to hold and whom to watch. */
struct bench_idle {
	struct sockaddr_storage sa;
	socklen_t salen;
	int n;          /* connections to hold */
	int batch;      /* connects in flight at once */
	int server_pid; /* 0: no server measurements */
	double hold;    /* seconds to keep them after they settle */
	double timeout; /* seconds for one connect */
	volatile sig_atomic_t *stop;
};

struct bench_idle_result {
	int held;                 /* connected, and still silent */
	int rejected;             /* the server answered or closed them */
	char reply[64];           /* the first such answer ("BUSY") */
	size_t reply_len;         /* its length (it may hold a NUL) */
	long long err[BE_NKINDS]; /* connects that failed, by kind */
	int other_errno;
	double seconds; /* to open and settle */
	struct bench_proc before, after;
	int tree; /* the server had children: PSS is used */
	/* TCP sockets and their buffer pages, /proc/net/sockstat (the
	 * whole network namespace, both ends); -1: unknown */
	long long tcp_inuse[2], tcp_mem_pages[2];
	long slab[BS_NSLABS]; /* object sizes, bytes (bench_kobj.c); -1 */
};

/* ---- bench_kobj.c: the kernel's slab objects of a connection ---- */

extern const char *const bench_slab_name[BS_NSLABS];

/*
 * The object size of every cache of enum bench_slab into size[], bytes,
 * from /proc/slabinfo (else /sys/kernel/slab/NAME/slab_size, for a
 * cache merged into another); -1 where unknown (not root, or a kernel
 * that names it differently). family: AF_INET6 reads TCPv6.
 */
void bench_slabs_read(long *size, int family);

struct bench_cost;
/* The slab parts of c (*_obj) from an --idle run; NAN where unknown. */
void bench_kobj_cost(const struct bench_idle_result *r, struct bench_cost *c);

/* What one held connection costs, bytes (each NAN: not known). */
struct bench_cost {
	double user;      /* RSS (one process) or PSS summed (a tree) */
	double pte;       /* page tables: VmPTE */
	double kstack;    /* kernel stacks: new tasks x BENCH_KSTACK_KB */
	double task_obj;  /* task_struct x new tasks */
	double proc_obj;  /* mm, signal, sighand, files, fs x new processes */
	double vma_obj;   /* vm_area_struct x new memory maps */
	double sock_obj;  /* the server's socket: TCP, inode, filp, dentry */
	double epoll_obj; /* eventpoll_epi x new epoll registrations */
	double sock_buf;  /* socket buffers: sockstat "mem" pages */
	double total;     /* the known ones summed (not sock_buf) */
};

/* The slab objects of c summed: task, process, VMA and epoll (NAN: none
 * known); the socket's are apart. */
double bench_kobj_sum(const struct bench_cost *c);

/* Fill c from an --idle run (all 0 if nothing was measured). */
void bench_idle_cost(const struct bench_idle_result *r, struct bench_cost *c);

/* Open, settle, measure, hold, close. 0, or -1 with errno (no epoll). */
int bench_idle_run(const struct bench_idle *o, struct bench_idle_result *r);

/* Memory per held connection in bytes (RSS; PSS summed for a tree). */
double bench_idle_mem_per_conn(const struct bench_idle_result *r);

/* ---- bench_compare.c ---- */

#define BENCH_RUNS_MAX 20

struct bench_compare {
	const char *models;        /* comma-separated list */
	const struct usage *usage; /* a bad --models is a usage error */
	int conc;
	int threads; /* client threads (bench_run_threads) */
	long long total;
	double limit;
	double timeout;
	int idle; /* idle connections to hold per model */
	int runs; /* each model this many times, 1..BENCH_RUNS_MAX */
	int json;
	const char *svg; /* the bar chart into this file, if not NULL */
	int progress;
	volatile sig_atomic_t *stop;
};

/* Returns the exit status (0 all fine, 1 a failure, 2 bad --models). */
int bench_compare_run(const struct bench_compare *c);

/* Raise the soft descriptor limit to hold want more; best effort. */
void bench_raise_nofile(long long want);

#endif
