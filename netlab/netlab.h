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
 *   opts.c          usage, --version and checked option values
 *   client.c        the N-thread client and its --timeline chart
 *   race.c          the lost-update demo: none / mutex / atomic
 *   bench.c         (to come) the load generator, "netlab bench"
 */
#ifndef NETLAB_H
#define NETLAB_H

#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>

/* Subcommands: argv[0] is the command name; they return the exit status. */
int cmd_serve(int argc, char **argv);
int cmd_client(int argc, char **argv);
int cmd_race(int argc, char **argv);
/* bench.c (the load generator, to come): add it to main.c's table. */
int cmd_bench(int argc, char **argv);

/* The lecture's programs share the same code with a fixed model. */
int thread_cli_main(int argc, char **argv);

/* ---- opts.c: option helpers; bad usage exits 2 ---- */

struct usage {
	const char *line; /* "netlab race [-t THREADS] ..." */
	const char *help; /* the option list for --help */
	const char *cmd;  /* for "Try 'CMD --help'"; NULL: the program name */
};

void opt_usage(const struct usage *u, int status) __attribute__((noreturn));
void opt_bad(const struct usage *u, const char *opt, const char *val)
    __attribute__((noreturn));
void opt_version(void) __attribute__((noreturn));
/* For getopt's other answers: 'h' help (exit 0), 'V' version, else exit 2. */
void opt_other(const struct usage *u, int c) __attribute__((noreturn));
int opt_int(const struct usage *u, const char *opt, const char *v, int lo,
            int hi);
long long opt_ll(const struct usage *u, const char *opt, const char *v,
                 long long lo, long long hi);
double opt_double(const struct usage *u, const char *opt, const char *v,
                  double lo, double hi);

/* ---- server.c ---- */

struct serve_opts {
	const char *model; /* "thread", "fork", "pool", "epoll" */
	const char *addr;  /* numeric, default 127.0.0.1 */
	int port;          /* 0: the kernel chooses */
	int backlog;
	size_t max_line;     /* bytes, '\n' included */
	double idle_timeout; /* seconds without a byte before "ERR timeout" */
	int max_clients;     /* connections at once; more get "BUSY" */
	int threads;         /* pool: worker threads */
	int queue;           /* pool: accepted connections waiting */
	double drain;        /* seconds to let connections finish at stop */
	int quiet;           /* no per-connection log lines */
};

/* How one connection ended; the fork model's children exit with it. */
enum outcome {
	OUT_ACK = 0,  /* a line, answered "ACK" */
	OUT_TOO_LONG, /* "ERR line too long" */
	OUT_TIMEOUT,  /* "ERR timeout" */
	OUT_ERROR,    /* reset, EOF before a line, I/O error */
	OUT_BUSY,     /* "BUSY": over --max-clients or queue full */
};

struct server {
	const struct serve_opts *o;
	int lfd;         /* listening socket, non-blocking */
	int spare;       /* a reserved descriptor for EMFILE (see server.c) */
	const char *who; /* log prefix: "tid" or "pid" */
	atomic_int active, peak;
	atomic_long served, errors, timeouts, busy;
	sigset_t waitmask; /* the mask to wait with: stop signals let in */
};

/* Number of SIGINT/SIGTERM received; the first asks for a clean stop. */
extern volatile sig_atomic_t srv_stop;

/* Parse serve options (argv[0] is skipped). Exit 2 on bad usage. */
void serve_parse(struct serve_opts *o, int argc, char **argv,
                 const struct usage *u, int want_port_arg);

/* The option list of serve (--help of netlab serve and thread_serv). */
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

/* Count one new connection; 0 if under --max-clients, -1 if full. */
int server_enter(struct server *s);
/* Count a connection's end and its outcome. */
void server_leave(struct server *s, enum outcome r);
void server_count(struct server *s, enum outcome r);

/* Reply "BUSY" on fd from the accepting thread and close it; why: log. */
void server_reject(struct server *s, int fd, const char *why);

/* "summary: 8 served, ..." on stdout. */
void server_summary(struct server *s);

/* A line on stdout with one write(2) (safe among threads and forks). */
void server_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Stop accepting, wait (bounded) until active() is 0; exit status. */
int server_drain(struct server *s, int (*active)(struct server *));
int server_active(struct server *s);

/* One log line: "tid 123 127.0.0.1:4000: connected" (one write(2)). */
void server_log(struct server *s, const char *peer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- proto.c ---- */

/* The reply for an outcome ("ACK\n", "ERR line too long\n", ...). */
const char *proto_reply(enum outcome r);

/*
 * Serve one connection with blocking I/O, log it, close it gracefully.
 * Used by the thread, pool and fork models.
 */
enum outcome proto_serve(struct server *s, int fd);

/* Seconds a graceful close waits for the peer's end of file. */
#define PROTO_LINGER 1.0

/* Lines up to this size are read in a small buffer (see proto.c)... */
#define PROTO_FIRST_LINE 256
/* ...longer ones on the stack up to this size, else in malloc'd memory. */
#define PROTO_STACK_LINE 4096
/* Thread stacks: small, plus room for the longer line buffer. */
size_t proto_stack_size(const struct serve_opts *o);

#endif
