/*
 * proc.h: reading the Linux /proc filesystem (proc.c; the text parsers
 * proc_parse_stat and proc_parse_status are in proc_parse.c).
 *
 * Rules:
 * - Nothing here prints or exits. Functions return -1 (or NULL) and set
 *   errno. ENOENT and ESRCH mean "the process (or thread) is gone": it
 *   ended between the directory listing and the read. Callers skip such
 *   a process silently; that is normal life on a busy machine, not an
 *   error.
 * - Every file of one process is read through one directory descriptor
 *   opened on /proc/PID (struct proc_handle). The descriptor pins the
 *   process: if it ends and its PID is reused, reads through the old
 *   descriptor fail with ESRCH instead of returning the new process's
 *   data, so one row can never mix two processes.
 * - /proc/PID/stat is parsed by the LAST ')': the command name between
 *   the parentheses is chosen by the process itself and may hold spaces
 *   and parentheses ("a) Z 1 (b").
 * - Every descriptor is close-on-exec.
 * - Terminal names are in tty.h, user names in uid.h, maps in maps.h.
 */
#ifndef PROC_H
#define PROC_H

#include <stddef.h>
#include <sys/types.h>

/*
 * The fields of /proc/PID/stat, numbered as proc(5) numbers them (from
 * 1), so that the parser names each field beside its use, as procps
 * stat2proc does. Only the fields a tool reads, and the ones a reader
 * must know the type of, are named; the others are counted past.
 */
enum proc_stat_field {
	PROC_STAT_PID = 1,
	PROC_STAT_COMM = 2,  /* "(name)": chosen by the process */
	PROC_STAT_STATE = 3, /* first field after the last ')' */
	PROC_STAT_PPID = 4,  /* first number after the state */
	PROC_STAT_PGRP = 5,
	PROC_STAT_SESSION = 6,
	PROC_STAT_TTY_NR = 7,
	PROC_STAT_TPGID = 8,
	PROC_STAT_FLAGS = 9,     /* %u */
	PROC_STAT_MINFLT = 10,   /* %lu, as are 11 to 15 */
	PROC_STAT_MAJFLT = 12,   /* %lu */
	PROC_STAT_CMAJFLT = 13,  /* %lu */
	PROC_STAT_UTIME = 14,    /* %lu */
	PROC_STAT_STIME = 15,    /* %lu */
	PROC_STAT_CUTIME = 16,   /* %ld */
	PROC_STAT_CSTIME = 17,   /* %ld */
	PROC_STAT_PRIORITY = 18, /* %ld */
	PROC_STAT_NICE = 19,     /* %ld */
	PROC_STAT_NUM_THREADS = 20,
	PROC_STAT_STARTTIME = 22, /* %llu */
	PROC_STAT_VSIZE = 23,     /* %lu */
	PROC_STAT_RSS = 24,       /* %ld; the last field a parse requires */
	PROC_STAT_PROCESSOR = 39,
	PROC_STAT_RT_PRIORITY = 40, /* %u */
	PROC_STAT_POLICY = 41,      /* %u */
	PROC_STAT_LAST = 44         /* cguest_time: the parser stops here */
};

/* Bits of stat field 9, PF_* in include/linux/sched.h */
#define PROC_PF_EXITING 0x00000004u /* the task is exiting */
#define PROC_PF_KTHREAD 0x00200000u /* the task is a kernel thread */

/* The fields of /proc/PID/stat that the tools use (see proc(5)). */
struct proc_stat {
	int pid;
	char comm[64]; /* field 2, without the parentheses */
	char state;    /* field 3: R S D Z T t X I ... */
	int ppid, pgrp, session;
	int tty_nr;         /* device number of the controlling tty, 0 none */
	int tpgid;          /* foreground process group of that tty, or -1 */
	unsigned int flags; /* field 9: PF_* bits */
	unsigned long long minflt, majflt; /* page faults without / with I/O */
	unsigned long long utime, stime;   /* clock ticks */
	long long cutime, cstime;
	long priority, nice, num_threads;
	unsigned long long starttime; /* ticks after boot */
	unsigned long long vsize;     /* bytes */
	long long rss;                /* pages */
	int processor;
	unsigned int rt_priority, policy;
};

/* The fields of /proc/PID/status that the tools use. */
struct proc_status {
	unsigned int ruid, euid, suid, fsuid;
	unsigned int rgid, egid;
	long vmlck_kb; /* 0 when absent (kernel threads, zombies) */
	long vmrss_kb;
	long vmpte_kb;         /* page tables of the whole process */
	long long vcsw, ivcsw; /* this task's (voluntary, non-) switches */
	int threads;
	int have_uid; /* the Uid: line was present */
};

/*
 * Parse the text of /proc/PID/stat (NUL-terminated). The name is the
 * text between the first '(' and the LAST ')'. Returns 0, or -1 with
 * errno EINVAL if the text is malformed. A name longer than comm holds
 * is truncated.
 */
int proc_parse_stat(const char *buf, struct proc_stat *st);

/*
 * Parse the text of /proc/PID/status (NUL-terminated). Missing lines
 * leave their fields 0. Returns 0 (it cannot fail on text, only ignore).
 */
int proc_parse_status(const char *buf, struct proc_status *ps);

/*
 * One process (or thread) opened for reading: the /proc/PID directory
 * descriptor and the files opened through it. Files stay open until
 * proc_close(), which closes them all; when their numbers are
 * consecutive that is a single close_range() call (fewer system calls
 * per process is what makes a listing fast).
 */
#define PROC_MAX_FILES 6
struct proc_handle {
	int dirfd;
	int nfds;
	int fds[PROC_MAX_FILES];
};

/*
 * Open /proc/PID: the one way every tool opens a process. pid 0 means
 * the calling process ("/proc/self"). Returns 0, or -1 with errno
 * (ENOENT: no such process; ESRCH: pid < 0). On failure h needs no
 * proc_close() (calling it is harmless).
 */
int proc_open(struct proc_handle *h, int pid);

/* Open /proc/PID/task/TID through an open process. Same contract. */
int proc_open_task(struct proc_handle *h, const struct proc_handle *proc,
                   int tid);

/* Close every descriptor of h. Safe to call twice. */
void proc_close(struct proc_handle *h);

/*
 * How a file ends, for the whole-file reader.
 * PROC_ONE_READ: a file the kernel generates whole on the first read
 *   when the buffer is large enough (stat, status, cmdline, a single
 *   value): a read that returns less than asked is the end, and not
 *   asking again saves a system call per file.
 * PROC_TO_EOF: a file of many records (maps, smaps, task/TID/children):
 *   a seq_file hands out about a page of whole records per read(2), so
 *   a short read is NOT the end; read until read(2) returns 0.
 * Either way a first read that fills the buffer goes on to the end.
 */
enum proc_end { PROC_ONE_READ, PROC_TO_EOF };

/*
 * Read all of file NAME of h into buf (size bytes), NUL-terminated, in
 * one read (PROC_ONE_READ files only). Returns the length, or -1 with
 * errno: ENOENT/ESRCH gone, EACCES not allowed, EFBIG the file does not
 * fit (use proc_read_alloc), EMFILE h has PROC_MAX_FILES files open
 * already.
 */
ssize_t proc_read(struct proc_handle *h, const char *name, char *buf,
                  size_t size);

/*
 * As proc_read, into a buffer from malloc that grows as needed up to
 * limit bytes (more is cut off, *cut set to 1), for a file that ends as
 * END says. The result is NUL-terminated; the caller frees *out (NULL
 * on failure). Returns the length or -1 with errno (ENOMEM as well).
 */
ssize_t proc_read_alloc(struct proc_handle *h, const char *name, size_t limit,
                        enum proc_end end, char **out, int *cut);

/*
 * The same in two steps: proc_open_file opens NAME through h (closed by
 * proc_close) and returns its descriptor, or -1 with errno; the
 * proc_read_fd family reads such a descriptor whole, with the contract
 * of proc_read / proc_read_alloc. Opening every file of a process first
 * lets a caller open under a lock and read outside it.
 * proc_read_fd_alloc is THE whole-file reader of lib/: every file of
 * /proc that may be longer than a fixed buffer is read through it.
 */
int proc_open_file(struct proc_handle *h, const char *name);
ssize_t proc_read_fd(int fd, char *buf, size_t size);
ssize_t proc_read_fd_alloc(int fd, size_t limit, enum proc_end end, char **out,
                           int *cut);
int proc_parse_stat_fd(int fd, struct proc_stat *st);
int proc_parse_status_fd(int fd, struct proc_status *ps);

/*
 * The effective uid and gid of the process open in h, from the owner of
 * its /proc/PID directory (one fstat, no text to generate or parse).
 * The kernel gives that directory the task's effective ids even when
 * the process is not dumpable (task_dump_owner() exempts world-readable
 * directories, so that "stat /proc/PID" keeps working as the cheap way
 * to learn a process's euid); kernel threads belong to root. Returns 0,
 * or -1 with errno.
 */
int proc_owner(struct proc_handle *h, unsigned int *euid, unsigned int *egid);

/* Read and parse NAME "stat" / "status" of h. 0 or -1 with errno. */
int proc_read_stat(struct proc_handle *h, struct proc_stat *st);
int proc_read_status(struct proc_handle *h, struct proc_status *ps);

/*
 * The numeric entries of a /proc-like directory: the PIDs in /proc
 * (dirfd = -1) or the thread ids in an open process's "task" folder
 * (proc_list_tasks). *out is from malloc, sorted ascending; caller frees.
 * Returns the count or -1 with errno.
 */
ssize_t proc_list_pids(int **out);
ssize_t proc_list_tasks(struct proc_handle *h, int **out);

/*
 * System facts, each read from /proc once per call.
 * proc_boot_time: "btime" of /proc/stat (seconds since the epoch).
 * proc_uptime: first field of /proc/uptime (seconds).
 * proc_mem_total_kb: MemTotal of /proc/meminfo.
 * proc_pid_max: /proc/sys/kernel/pid_max.
 * Each returns -1 with errno on failure.
 */
long long proc_boot_time(void);
double proc_uptime(void);
long long proc_mem_total_kb(void);
long proc_pid_max(void);

/*
 * proc_sys_value: the number after KEY in the system file PATH (the
 * first match: "/proc/net/sockstat", "TCP: inuse "), or -1 with errno
 * (EINVAL: no KEY).
 * proc_slab_objsize: the object size in bytes of slab cache NAME in
 * /proc/slabinfo ("TCP"), or -1 with errno (EACCES: slabinfo is for
 * root only; ENOENT: no such cache).
 */
long long proc_sys_value(const char *path, const char *key);
long proc_slab_objsize(const char *name);

/*
 * Run this same program again with argv (execv of our own file, as
 * readlink("/proc/self/exe") names it, else /proc/self/exe itself).
 * Returns only on failure: -1 with errno.
 */
int proc_exec_self(char *const argv[]);

#endif
