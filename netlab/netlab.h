/*
 * netlab.h: what netlab's files share (internal; not part of lib/).
 *
 * Map of the folder:
 *   main.c          the "netlab COMMAND" dispatcher
 *   thread_serv.c   the lecture's server program: thread_serv <port>
 *   thread_cli.c    the lecture's client program: thread_cli <IP> <port>
 *   server.c        options, listening, accept, limits, logging, shutdown:
 *                   everything the server models have in common
 *   proto.c         the protocol: one line in, "ACK\n" out (DESIGN.md)
 *   serve_thread.c  model "thread": one detached thread per connection
 *   serve_fork.c    model "fork":   one child process per connection
 *   serve_pool.c    model "pool":   fixed worker threads, bounded queue
 *   serve_epoll.c   model "epoll":  one thread, non-blocking, epoll
 *   client.c        the N-thread client and its --timeline chart
 *   race.c          the lost-update demo: none / mutex / atomic
 *   race_trace.c    the same race stepped through by a seeded scheduler
 *   bench*.c        "netlab bench", the load generator (see bench.h)
 *
 * Options, usage errors, --help and --version: lib/opt.h, as in every tool.
 */
#ifndef NETLAB_H
#define NETLAB_H

#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>

#include "opt.h"

/* Subcommands: argv[0] is the command name; they return the exit status. */
int cmd_serve(int argc, char **argv);
int cmd_client(int argc, char **argv);
int cmd_race(int argc, char **argv);
/*
 * race_trace.c: print T threads' load/add/store steps of n increments as
 * a scheduler seeded with seed interleaves them, marking lost updates
 * (unless hide and not show), then the final counter (unless hide and not
 * show). The caller keeps threads <= RACE_TRACE_THREADS and
 * n <= RACE_TRACE_STEPS. Returns the exit status, 0.
 */
#define RACE_TRACE_THREADS 4 /* four columns still fit 80 columns */
#define RACE_TRACE_STEPS 20  /* increments per thread */
int race_trace(int threads, long n, unsigned seed, int hide, int show);
/* bench.c: the load generator. */
int cmd_bench(int argc, char **argv);

/* ---- server.c ---- */

struct serve_opts {
	const char *model; /* "thread", "fork", "pool", "epoll" */
	const char *addr;  /* numeric, default 127.0.0.1 */
	int port;          /* 0: the kernel chooses */
	int backlog;
	size_t max_line;     /* bytes, '\n' included */
	double idle_timeout; /* seconds without a byte before "ERR timeout" */
	double request_timeout; /* seconds for the whole line, however sent */
	int max_clients;        /* connections at once; more get "BUSY" */
	int threads;            /* pool: worker threads */
	int queue;              /* pool: accepted connections waiting */
	double drain;           /* seconds to let connections finish at stop */
	int quiet;              /* no per-connection log lines */
};

/* How one connection ended; the fork model's children exit with it. */
enum outcome {
	OUT_ACK = 0,  /* a line, answered "ACK" */
	OUT_TOO_LONG, /* "ERR line too long" */
	OUT_TIMEOUT,  /* "ERR timeout" */
	OUT_ERROR,    /* reset, EOF before a line, I/O error */
	OUT_BUSY,     /* "BUSY": over --max-clients or queue full */
};

/*
 * The counters. active: connections holding a slot of --max-clients,
 * from accept until their reply is written; open: until they are closed
 * (a graceful close may linger a second after the reply: the drain waits
 * for it, the next client need not).
 */
struct server_counts {
	atomic_int active, open, peak;
	atomic_long served, errors, timeouts, busy;
};

struct server {
	const struct serve_opts *o;
	int lfd;         /* listening socket, non-blocking */
	int spare;       /* a reserved descriptor for EMFILE (see server.c) */
	const char *who; /* log prefix: "tid" or "pid" */
	struct server_counts *n; /* &own, or memory shared with children */
	struct server_counts own;
	sigset_t waitmask; /* the mask to wait with: stop signals let in */
	double warn_next;  /* server_no_worker: no warning before this */
	long warn_quiet;   /* warnings left out since the last one */
	double drain_end;  /* 0 until the stop; see server_drain_end */
};

/* Number of SIGINT/SIGTERM received; the first asks for a clean stop. */
extern volatile sig_atomic_t srv_stop;

/* Parse serve options (argv[0] is skipped). Exit 2 on bad usage. */
void serve_parse(struct serve_opts *o, int argc, char **argv,
                 const struct usage *u);

/* The option list of serve (its --help). */
extern const char serve_help[];

/* Run the model named in o->model; returns the exit status. */
int serve_run(const struct serve_opts *o);

/* The model entry points; each returns the exit status. */
int serve_thread(struct server *s);
int serve_fork(struct server *s);
int serve_pool(struct server *s);
int serve_epoll(struct server *s);

/*
 * Wait until the listening socket is readable or a stop signal arrives.
 * Returns 1 when readable, 0 on a signal or after ms milliseconds.
 */
int server_wait(struct server *s, int ms);

/*
 * Accept one connection (non-blocking); flags for accept4 (e.g.
 * SOCK_NONBLOCK; SOCK_CLOEXEC is always added). Returns the fd, or -1 with
 * errno EAGAIN (none waiting) or other; EMFILE/ENFILE are handled here
 * (a connection is shed with "BUSY") and reported as EAGAIN after a
 * short back-off, so the caller never spins.
 */
int server_accept(struct server *s, int flags);

/*
 * Count the new connection fd; 0 if under --max-clients (it is then
 * active and open). Over the limit it gets "BUSY" and is closed (counted
 * as busy, nothing else): -1.
 */
int server_enter(struct server *s, int fd);
/* Its reply is written: count the outcome, free its slot. */
void server_leave(struct server *s, enum outcome r);
/* The same in two steps: the slot first (just before the reply goes
 * out), then server_count once the outcome is sure. */
void server_free_slot(struct server *s);
/* It is closed: the drain no longer waits for it. */
void server_closed(struct server *s);
void server_count(struct server *s, enum outcome r);

/* Reply "BUSY" on fd from the accepting thread and close it; why: log. */
void server_reject(struct server *s, int fd, const char *why);
/* The same for a connection server_enter() counted: it leaves as BUSY. */
void server_reject_entered(struct server *s, int fd, const char *why);
/*
 * Out of threads or processes: a connection server_enter() counted, for
 * which pthread_create or fork failed with errno err, gets BUSY and is
 * closed; what ("cannot start a thread") is warned about at most once a
 * second, with the number of warnings left out. Accepting thread only.
 */
void server_no_worker(struct server *s, int fd, const char *what, int err);
/* "stopping: ..." for n open connections, before or after the drain
 * (nothing when n is 0). */
void server_say_stopping(const struct server *s, long n, int after);

/* "summary: 8 served, ..." on stdout. */
void server_summary(struct server *s);

/* A line on stdout with one write(2) (safe among threads and forks). */
void server_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * At a stop: accept the connections already waiting in the listen queue
 * (clients that connected, maybe sent their line, before the signal) and
 * hand each to take(arg, fd), until the queue is empty or the --drain
 * time is over; returns how many were taken. Then server_drain.
 */
long server_take_queued(struct server *s, int flags,
                        void (*take)(void *arg, int fd), void *arg);
/* When the drain ends (now_mono() time), set at the first call. */
double server_drain_end(struct server *s);
/*
 * 1 if a stop was asked for: the handler has run, or SIGINT/SIGTERM is
 * pending (blocked while the loop accepts); else 0. One system call:
 * for a path that is about to refuse a connection, not for every one.
 */
int server_stopping(void);

/*
 * The accept loop of the thread, fork and pool models: wait for clients
 * (or a stop), accept all that wait and hand each to take(arg, fd), which
 * decides who serves it (the model's one idea). At a stop, what waits in
 * the listen queue goes to take too (server_take_queued), then
 * server_drain. Returns the exit status.
 */
int server_loop(struct server *s, void (*take)(void *arg, int fd), void *arg);

/* Stop accepting, wait (bounded) until active() is 0; exit status. */
int server_drain(struct server *s, int (*active)(struct server *));
/* Connections still open (see struct server_counts). */
int server_active(struct server *s);

/* One log line: "tid 123 127.0.0.1:4000: connected" (one write(2)). */
void server_log(struct server *s, const char *peer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- proto.c ---- */

/* The reply for an outcome ("ACK\n", "ERR line too long\n", ...). */
const char *proto_reply(enum outcome r);

/*
 * Serve one connection with blocking I/O, log it, close it gracefully.
 * It frees its slot and counts its outcome as its reply is written,
 * before the close; the caller calls server_closed after. Used by the thread,
 * pool and fork models.
 */
enum outcome proto_serve(struct server *s, int fd);

/* Seconds a graceful close waits for the peer's end of file. */
#define PROTO_LINGER 1.0

/* Lines up to this size are read in a small buffer (see proto.c)... */
#define PROTO_FIRST_LINE 256
/* ...longer ones on the stack up to this size, else in malloc'd memory. */
#define PROTO_STACK_LINE 4096
/*
 * The stack of every netlab thread, server or client, before a line
 * buffer is added: the same small size for the same reason (see
 * proto_stack_size in proto.c).
 */
#define NETLAB_THREAD_STACK ((size_t)64 * 1024)
/* Thread stacks: small, plus room for the longer line buffer. */
size_t proto_stack_size(const struct serve_opts *o);

#endif
