/*
 * proc_parse.c: the text of /proc/PID/stat and /proc/PID/status into
 * structs (see proc.h). Pure functions of a string: no system calls, so
 * the fuzzers (tests/fuzz/fuzz_stat.c, fuzz_status.c) reach all of it.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"

/*
 * Field readers for the kernel-written part of stat: numbers separated
 * by single spaces. Hand-written rather than sscanf, which was the
 * biggest user-space cost of a listing.
 */
static const char *
next_ll(const char *p, long long *v)
{
	unsigned long long x = 0;
	int neg = 0;

	while (*p == ' ')
		p++;
	if (*p == '-')
		neg = 1, p++;
	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9')
		x = x * 10 + (unsigned)(*p++ - '0');
	/*
	 * The kernel never writes a number this big, but a hostile or
	 * corrupt buffer can (the fuzzer found one): saturate instead of
	 * negating LLONG_MIN, which is undefined behaviour.
	 */
	if (x > (unsigned long long)LLONG_MAX)
		*v = neg ? LLONG_MIN : LLONG_MAX;
	else
		*v = neg ? -(long long)x : (long long)x;
	return p;
}

static const char *
next_ull(const char *p, unsigned long long *v)
{
	unsigned long long x = 0;

	while (*p == ' ')
		p++;
	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9')
		x = x * 10 + (unsigned)(*p++ - '0');
	*v = x;
	return p;
}

/*
 * Of the fields read here, proc(5) prints these with %u, %lu or %llu:
 * they are read as unsigned so that a large value (vsize near 2^64) is
 * not taken for an overflow. The rest may be negative (tpgid -1, nice
 * -5); fields that no tool uses are read as signed too, which saturates
 * harmlessly (rsslim is often 2^64 - 1).
 */
static int
stat_unsigned(int n)
{
	return n == PROC_STAT_FLAGS ||
	       (n >= PROC_STAT_MINFLT && n <= PROC_STAT_STIME) ||
	       n == PROC_STAT_STARTTIME || n == PROC_STAT_VSIZE ||
	       n == PROC_STAT_RT_PRIORITY || n == PROC_STAT_POLICY;
}

int
proc_parse_stat(const char *buf, struct proc_stat *st)
{
	const char *open, *close, *p;
	/* f[n] / u[n] is field n of proc(5); only one of the two is set */
	long long f[PROC_STAT_LAST + 1] = {0};
	unsigned long long u[PROC_STAT_LAST + 1] = {0};
	size_t len;
	int n;

	memset(st, 0, sizeof(*st));
	open = strchr(buf, '(');
	/*
	 * WHY the last ')': the name is whatever the process wrote to
	 * /proc/self/comm, so "a) Z 1 (b" is a legal name. Everything after
	 * the last ')' was written by the kernel and can be trusted.
	 */
	close = strrchr(buf, ')');
	if (!open || !close || close < open ||
	    !next_ll(buf, &f[PROC_STAT_PID]) || f[PROC_STAT_PID] <= 0 ||
	    f[PROC_STAT_PID] > 0x7fffffff)
		goto bad;
	st->pid = (int)f[PROC_STAT_PID];
	len = (size_t)(close - open - 1);
	if (len >= sizeof(st->comm))
		len = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, len);
	st->comm[len] = '\0';
	if (close[1] != ' ' || !close[2] || close[3] != ' ')
		goto bad;
	st->state = close[2]; /* PROC_STAT_STATE */
	p = close + 3;
	for (n = PROC_STAT_PPID; n <= PROC_STAT_LAST && p && *p; n++)
		p = stat_unsigned(n) ? next_ull(p, &u[n]) : next_ll(p, &f[n]);
	if (!p || n <= PROC_STAT_RSS) /* up to rss at least */
		goto bad;
	st->ppid = (int)f[PROC_STAT_PPID];
	st->pgrp = (int)f[PROC_STAT_PGRP];
	st->session = (int)f[PROC_STAT_SESSION];
	st->tty_nr = (int)f[PROC_STAT_TTY_NR];
	st->tpgid = (int)f[PROC_STAT_TPGID];
	st->flags = (unsigned int)u[PROC_STAT_FLAGS];
	st->minflt = u[PROC_STAT_MINFLT];
	st->majflt = u[PROC_STAT_MAJFLT];
	st->utime = u[PROC_STAT_UTIME];
	st->stime = u[PROC_STAT_STIME];
	st->cutime = f[PROC_STAT_CUTIME];
	st->cstime = f[PROC_STAT_CSTIME];
	st->priority = (long)f[PROC_STAT_PRIORITY];
	st->nice = (long)f[PROC_STAT_NICE];
	st->num_threads = (long)f[PROC_STAT_NUM_THREADS];
	st->starttime = u[PROC_STAT_STARTTIME];
	st->vsize = u[PROC_STAT_VSIZE];
	st->rss = f[PROC_STAT_RSS];
	st->processor = (int)f[PROC_STAT_PROCESSOR];
	st->rt_priority = (unsigned int)u[PROC_STAT_RT_PRIORITY];
	st->policy = (unsigned int)u[PROC_STAT_POLICY];
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

static void
ids(const char *p, unsigned int v[4])
{
	unsigned long long x;
	int i;

	for (i = 0; i < 4 && p; i++) {
		while (*p == '\t' || *p == ' ')
			p++;
		p = next_ull(p, &x);
		if (p)
			v[i] = (unsigned int)x;
	}
}

/* The lines of status the tools read, in the order the kernel writes
 * them. */
enum status_key {
	S_UID,
	S_GID,
	S_VMLCK,
	S_VMRSS,
	S_VMPTE,
	S_THREADS,
	S_VCSW,
	S_IVCSW,
	S_NKEYS
};
static const struct {
	const char *key;
	size_t len;
} status_keys[S_NKEYS] = {{"Uid:", 4},
                          {"Gid:", 4},
                          {"VmLck:", 6},
                          {"VmRSS:", 6},
                          {"VmPTE:", 6},
                          {"Threads:", 8},
                          {"voluntary_ctxt_switches:", 24},
                          {"nonvoluntary_ctxt_switches:", 27}};

/* The value of line KEY (its text after the key) into ps */
static void
status_value(struct proc_status *ps, enum status_key k, const char *p)
{
	unsigned int v[4] = {0, 0, 0, 0};

	switch (k) {
	case S_UID:
		ids(p, v);
		ps->ruid = v[0], ps->euid = v[1];
		ps->suid = v[2], ps->fsuid = v[3];
		ps->have_uid = 1;
		break;
	case S_GID:
		ids(p, v);
		ps->rgid = v[0], ps->egid = v[1];
		break;
	case S_VMLCK:
		ps->vmlck_kb = strtol(p, NULL, 10);
		break;
	case S_VMRSS:
		ps->vmrss_kb = strtol(p, NULL, 10);
		break;
	case S_VMPTE:
		ps->vmpte_kb = strtol(p, NULL, 10);
		break;
	case S_THREADS:
		ps->threads = (int)strtol(p, NULL, 10);
		break;
	case S_VCSW:
		ps->vcsw = strtoll(p, NULL, 10);
		break;
	default:
		ps->ivcsw = strtoll(p, NULL, 10);
		break;
	}
}

int
proc_parse_status(const char *buf, struct proc_status *ps)
{
	const char *nl;
	unsigned int seen = 0;
	int k;

	memset(ps, 0, sizeof(*ps));
	/*
	 * WHY one pass: status has some fifty lines and the tools want
	 * eight. A search of the whole text per key (strstr) read it eight
	 * times and was the largest user-space cost of "procview aux";
	 * here each line start is compared with the keys once. A key
	 * counts at the start of a line after the first (the first is the
	 * process's name) and only its first time, as a search would.
	 */
	for (nl = strchr(buf, '\n'); nl && seen != (1u << S_NKEYS) - 1;
	     nl = strchr(nl + 1, '\n')) {
		const char *line = nl + 1;

		for (k = 0; k < S_NKEYS; k++) {
			/* the first letter rules out most lines at once */
			if (line[0] != status_keys[k].key[0] ||
			    (seen & 1u << k) ||
			    strncmp(line, status_keys[k].key,
			            status_keys[k].len) != 0)
				continue;
			seen |= 1u << k;
			status_value(ps, (enum status_key)k,
			             line + status_keys[k].len);
			break;
		}
	}
	return 0;
}
