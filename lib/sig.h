/*
 * sig.h: signal names and numbers (sig.c).
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
 * One-line description of sig ("Killed", "Real-time signal 2"), or NULL
 * with errno EINVAL. Static storage for classic signals; real-time ones
 * are written into buf.
 */
const char *sig_describe(int sig, char *buf, size_t n);

/* Default action of sig: "term", "core", "ign", "stop", "cont", or NULL. */
const char *sig_action(int sig);

/* Highest signal number (SIGRTMAX). */
int sig_max(void);

#endif
