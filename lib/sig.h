/*
 * sig.h: signal names and numbers, and the stop handler (sig.c).
 *
 * Names are accepted with or without "SIG" and in any case ("kill",
 * "SIGKILL", "Sigkill"), as numbers ("9"), and real-time signals as
 * RTMIN, RTMIN+n, RTMAX-n, RTMAX (with or without SIG). Real-time
 * numbers come from SIGRTMIN/SIGRTMAX at run time: the C library keeps
 * the first few for itself, so they are not constants.
 * Nothing here prints; nothing allocates.
 */
#ifndef SIG_H
#define SIG_H

#include <stddef.h>

/*
 * Signal number of s. Numbers 0 .. SIGRTMAX are accepted (0 is the
 * "does it exist" probe of kill(2)). Returns the number, or -1 with
 * errno EINVAL for an unknown name, an empty string, trailing garbage
 * or a number out of range.
 */
int sig_from_name(const char *s);

/*
 * Name of signal sig without "SIG" ("KILL", "RTMIN+2") written into buf.
 * Returns buf, or NULL with errno EINVAL if sig is not a signal.
 */
const char *sig_name(int sig, char *buf, size_t n);

/*
 * What to call signal sig in a sentence, always a text: "SIGTERM",
 * "SIGRTMIN+2", or "signal N" for a number with no name (0, and 32 and
 * 33, which glibc keeps for its threads). Returns buf.
 */
const char *sig_label(int sig, char *buf, size_t n);

/*
 * One-line description of sig ("Killed", "Real-time signal 2"), or NULL
 * with errno EINVAL. Static storage for classic signals; real-time ones
 * are written into buf.
 */
const char *sig_describe(int sig, char *buf, size_t n);

/* Default action of sig: "term", "core", "ign", "stop", "cont", or NULL. */
const char *sig_action(int sig);

/* Highest signal number (SIGRTMAX). */
int sig_max(void);

/*
 * A pidfd for process pid (pidfd_open(2), Linux >= 5.3), close-on-exec.
 * Returns the fd (the caller closes it), or -1 with errno: ESRCH no such
 * process, ENOSYS the kernel has no pidfds (the caller falls back to
 * kill(2)), EINVAL pid is a thread, not a process.
 */
int sig_pidfd_open(int pid);

/*
 * Send sig through pidfd (pidfd_send_signal(2)). value NULL: as kill(2);
 * else as sigqueue(3) with *value as the integer. Returns 0, or -1 with
 * errno: ESRCH the process has ended, EPERM not allowed, ENOSYS no pidfds.
 */
int sig_pidfd_send(int pidfd, int sig, const int *value);

/*
 * The setup every long-running tool makes: on_stop handles SIGINT and
 * SIGTERM (without SA_RESTART, so that a wait the signal interrupts
 * returns EINTR and the caller sees the stop), and SIGPIPE is ignored
 * (a write to a peer that has gone fails with EPIPE instead of killing
 * the process). Returns 0, or -1 with errno from sigaction(2) (EINVAL).
 */
int sig_on_stop(void (*on_stop)(int));

#endif
