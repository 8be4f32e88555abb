/*
 * bench.h: what the files of "netlab bench" share (internal).
 *
 *   bench.c          options, the text and JSON reports, cmd_bench
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

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

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

/* Longest reply line we keep and compare (more is a wrong reply). */
#define BENCH_REPLY_MAX 255

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
	const char *expect;        /* the reply line, without "\n" or "\r\n" */
	int progress;              /* a progress line on stderr (a terminal) */
	volatile int *stop;        /* set from a signal handler: end early */
	struct bench_tally *tally; /* shared by the threads; NULL: alone */
	long long all;             /* with a tally: the -n of the whole run */
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
	char wrong[64];           /* first wrong reply, printable */
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

/* ---- bench_idle.c ---- */

/* What a server process (and its children) costs, from /proc. */
struct bench_proc {
	int ok;                 /* 0: the process could not be read */
	long long rss_kb;       /* VmRSS, summed over the processes */
	long long pss_kb;       /* Pss of smaps_rollup, summed (-1: none) */
	long long fds;          /* open descriptors, summed */
	long long threads;      /* threads, summed */
	long long procs;        /* the server and its live children */
	unsigned long long cpu; /* utime+stime+cutime+cstime, clock ticks */
};

/* Sample pid and its children. Returns 0, or -1 with errno. */
int bench_proc_sample(int pid, struct bench_proc *p);

/* --idle: what to hold and whom to watch. */
struct bench_idle {
	struct sockaddr_storage sa;
	socklen_t salen;
	int n;          /* connections to hold */
	int batch;      /* connects in flight at once */
	int server_pid; /* 0: no server measurements */
	double hold;    /* seconds to keep them after they settle */
	double timeout; /* seconds for one connect */
	volatile int *stop;
};

struct bench_idle_result {
	int held;                 /* connected, and still silent */
	int rejected;             /* the server answered or closed them */
	char reply[64];           /* the first such answer ("BUSY") */
	long long err[BE_NKINDS]; /* connects that failed, by kind */
	int other_errno;
	double seconds; /* to open and settle */
	struct bench_proc before, after;
	int tree; /* the server had children: PSS is used */
};

/* Open, settle, measure, hold, close. 0, or -1 with errno (no epoll). */
int bench_idle_run(const struct bench_idle *o, struct bench_idle_result *r);

/* Memory per held connection in bytes (RSS; PSS summed for a tree). */
double bench_idle_mem_per_conn(const struct bench_idle_result *r);

/* ---- bench_compare.c ---- */

struct bench_compare {
	const char *models; /* comma-separated list */
	int conc;
	int threads; /* client threads (bench_run_threads) */
	long long total;
	double limit;
	double timeout;
	int idle; /* idle connections to hold per model */
	int json;
	int progress;
	volatile int *stop;
};

/* Returns the exit status (0 all fine, 1 a failure). */
int bench_compare_run(const struct bench_compare *c);

/* Raise the soft descriptor limit to hold want more; best effort. */
void bench_raise_nofile(long long want);

#endif
