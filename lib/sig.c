/* sig.c: signal name <-> number table, the stop handler (see sig.h). */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sig.h"
#include "util.h"

static const struct sigent {
	const char *name;
	int num;
	const char *action;
	const char *desc;
} table[] = {
    {"HUP", SIGHUP, "term", "Hangup: the terminal closed"},
    {"INT", SIGINT, "term", "Interrupt from keyboard (Ctrl-C)"},
    {"QUIT", SIGQUIT, "core", "Quit from keyboard (Ctrl-\\)"},
    {"ILL", SIGILL, "core", "Illegal instruction"},
    {"TRAP", SIGTRAP, "core", "Trace or breakpoint trap"},
    {"ABRT", SIGABRT, "core", "Aborted (abort(3))"},
    {"BUS", SIGBUS, "core", "Bus error: bad memory access"},
    {"FPE", SIGFPE, "core", "Arithmetic exception"},
    {"KILL", SIGKILL, "term", "Killed: cannot be caught or ignored"},
    {"USR1", SIGUSR1, "term", "User-defined signal 1"},
    {"SEGV", SIGSEGV, "core", "Segmentation fault: invalid memory"},
    {"USR2", SIGUSR2, "term", "User-defined signal 2"},
    {"PIPE", SIGPIPE, "term", "Broken pipe: write with no reader"},
    {"ALRM", SIGALRM, "term", "Timer expired (alarm(2))"},
    {"TERM", SIGTERM, "term", "Terminate politely (kill's default)"},
    {"STKFLT", SIGSTKFLT, "term", "Stack fault on coprocessor (unused)"},
    {"CHLD", SIGCHLD, "ign", "Child stopped or terminated"},
    {"CONT", SIGCONT, "cont", "Continue if stopped"},
    {"STOP", SIGSTOP, "stop", "Stop: cannot be caught or ignored"},
    {"TSTP", SIGTSTP, "stop", "Stop typed at terminal (Ctrl-Z)"},
    {"TTIN", SIGTTIN, "stop", "Background read from terminal"},
    {"TTOU", SIGTTOU, "stop", "Background write to terminal"},
    {"URG", SIGURG, "ign", "Urgent data on a socket"},
    {"XCPU", SIGXCPU, "core", "CPU time limit exceeded"},
    {"XFSZ", SIGXFSZ, "core", "File size limit exceeded"},
    {"VTALRM", SIGVTALRM, "term", "Virtual timer expired"},
    {"PROF", SIGPROF, "term", "Profiling timer expired"},
    {"WINCH", SIGWINCH, "ign", "Window size changed"},
    /* procps kill calls 29 POLL (System V's name), bash calls it IO */
    {"POLL", SIGPOLL, "term", "I/O now possible (also called IO)"},
    {"PWR", SIGPWR, "term", "Power failure"},
    {"SYS", SIGSYS, "core", "Bad system call"},
    /* aliases: found by name, never printed as a signal's name */
    {"IOT", SIGIOT, "core", NULL},
    {"CLD", SIGCHLD, "ign", NULL},
    {"IO", SIGIO, "term", NULL},
};

int
sig_max(void)
{
	return SIGRTMAX;
}

/* "RTMIN", "RTMIN+n", "RTMAX-n", "RTMAX" (s has no SIG prefix). */
static int
rt_from_name(const char *s)
{
	int base, off = 0, sign;

	if (strncasecmp(s, "RTMIN", 5) == 0) {
		base = SIGRTMIN;
		sign = 1;
	} else if (strncasecmp(s, "RTMAX", 5) == 0) {
		base = SIGRTMAX;
		sign = -1;
	} else {
		return -1;
	}
	s += 5;
	if (*s) {
		if (*s != (sign > 0 ? '+' : '-') ||
		    !isdigit((unsigned char)s[1]))
			return -1;
		if (parse_int(s + 1, 0, SIGRTMAX - SIGRTMIN, &off) < 0)
			return -1;
	}
	return base + sign * off;
}

int
sig_from_name(const char *s)
{
	size_t i;
	int n;

	if (!s || !*s)
		goto bad;
	if (isdigit((unsigned char)*s)) {
		if (parse_int(s, 0, SIGRTMAX, &n) < 0)
			goto bad;
		return n;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < LEN(table); i++)
		if (strcasecmp(s, table[i].name) == 0)
			return table[i].num;
	if ((n = rt_from_name(s)) >= 0)
		return n;
bad:
	errno = EINVAL;
	return -1;
}

static const struct sigent *
lookup(int sig)
{
	size_t i;

	for (i = 0; i < LEN(table); i++)
		if (table[i].num == sig && table[i].desc)
			return &table[i];
	return NULL;
}

const char *
sig_label(int sig, char *buf, size_t n)
{
	char name[32];

	if (sig_name(sig, name, sizeof(name)))
		snprintf(buf, n, "SIG%s", name);
	else
		snprintf(buf, n, "signal %d", sig);
	return buf;
}

const char *
sig_name(int sig, char *buf, size_t n)
{
	const struct sigent *e = lookup(sig);
	int mid;

	if (e) {
		snprintf(buf, n, "%s", e->name);
		return buf;
	}
	if (sig < SIGRTMIN || sig > SIGRTMAX) {
		errno = EINVAL;
		return NULL;
	}
	/* the same split as kill -l: lower half from RTMIN, upper from RTMAX */
	mid = (SIGRTMAX - SIGRTMIN) / 2 + SIGRTMIN;
	if (sig == SIGRTMIN)
		snprintf(buf, n, "RTMIN");
	else if (sig == SIGRTMAX)
		snprintf(buf, n, "RTMAX");
	else if (sig <= mid)
		snprintf(buf, n, "RTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, n, "RTMAX-%d", SIGRTMAX - sig);
	return buf;
}

const char *
sig_describe(int sig, char *buf, size_t n)
{
	const struct sigent *e = lookup(sig);

	if (e)
		return e->desc;
	if (sig < SIGRTMIN || sig > SIGRTMAX) {
		errno = EINVAL;
		return NULL;
	}
	snprintf(buf, n, "Real-time signal %d (queued, for applications)",
	         sig - SIGRTMIN);
	return buf;
}

const char *
sig_action(int sig)
{
	const struct sigent *e = lookup(sig);

	if (e)
		return e->action;
	return sig >= SIGRTMIN && sig <= SIGRTMAX ? "term" : NULL;
}

/*
 * WHY a pidfd: a PID is only a number, and the kernel hands it to a new
 * process once the old one is gone. A pidfd names one process for as
 * long as it is open: a signal sent through it can never reach a later
 * process that got the same number. glibc gained wrappers only in 2.36,
 * so the system calls are made directly.
 */
int
sig_pidfd_open(int pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

int
sig_pidfd_send(int pidfd, int sig, const int *value)
{
#ifdef SYS_pidfd_send_signal
	siginfo_t si;

	if (!value)
		return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
	/* what sigqueue(3) would send: SI_QUEUE, our pid and uid, value */
	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = *value;
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, &si, 0);
#else
	(void)pidfd, (void)sig, (void)value;
	errno = ENOSYS;
	return -1;
#endif
}

int
sig_on_stop(void (*on_stop)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}
