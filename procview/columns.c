/*
 * columns.c: the column keywords of procps ps and the value of each.
 *
 * Every value is computed as procps computes it, so that procview -ef
 * and ps -ef print the same rows. A keyword is one row of the table in
 * keys.c; what it shows is one case of pv_key_num (a number) and
 * pv_key_text (its text). The text is the process's own, not escaped:
 * layout.c escapes it for a terminal, jsonout.c writes it as JSON.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "esc.h"
#include "procview.h"
#include "util.h"

static unsigned long long
cputicks(const struct pv_proc *p)
{
	return p->st.utime + p->st.stime;
}

/* Seconds since the process started, as a fraction (procps TIME_ELAPSED) */
static double
elapsed(const struct pv_proc *p, const struct pv_ctx *c)
{
	double t = c->uptime - (double)p->st.starttime / (double)c->hz;

	return t > 0 ? t : 0;
}

/*
 * Percent of one CPU over the whole life: CPU ticks * 100 / ticks since
 * the start. WHY the exact age (a fraction of a second included): a
 * process 1.4 s old that ran all the time is 100 %; dividing by the
 * whole seconds (1) would say 140 %. procps computes it this way.
 */
static double
life_pcpu(const struct pv_proc *p, const struct pv_ctx *c)
{
	double ticks = elapsed(p, c) * (double)c->hz;

	return ticks > 0 ? (double)cputicks(p) * 100.0 / ticks : 0;
}

/* C: integer percent of one CPU over the whole life, capped at 99 */
static long long
c_value(const struct pv_proc *p, const struct pv_ctx *c)
{
	long long pcpu = (long long)life_pcpu(p, c);

	return pcpu > 99 ? 99 : pcpu;
}

/* %CPU in tenths (ps truncates, it does not round) */
static long long
pcpu_value(const struct pv_proc *p, const struct pv_ctx *c)
{
	if (p->live)
		return (long long)(p->live_pcpu * 10);
	return (long long)(life_pcpu(p, c) * 10);
}

/* %MEM in tenths */
static long long
pmem_value(const struct pv_proc *p, const struct pv_ctx *c)
{
	long long v;

	if (c->mem_kb <= 0)
		return 0;
	v = p->stv.vmrss_kb * 1000 / c->mem_kb;
	return v > 999 ? 999 : v;
}

/* The numbers of the less common columns (pv_key_num's second half) */
static long long
more_num(const struct pv_key *k, const struct pv_proc *p,
         const struct pv_ctx *c)
{
	switch (k->value) {
	case V_BSDTIME:
	case V_TIMES:
		return (long long)(cputicks(p) / (unsigned long long)c->hz);
	case V_START:
	case V_LSTART:
		return c->btime + (long long)(p->st.starttime / c->hz);
	case V_TPGID:
		return p->st.tpgid;
	case V_FLAGS:
		return (p->st.flags >> 6) & 7; /* PF_* bits 6-8, as ps */
	case V_SZ:                             /* the mapped size in pages */
		return (long long)(p->st.vsize / 1024) / c->page_kb;
	case V_OPRI:
		return 60 + p->st.priority;
	case V_PRIORITY:
		return p->st.priority;
	case V_CLS:
		return p->st.policy;
	case V_RTPRIO:
		return p->st.rt_priority;
	case V_MAJFLT:
		return (long long)p->st.majflt;
	case V_MINFLT:
		return (long long)p->st.minflt;
	case V_EGID:
		return p->stv.egid;
	case V_SUID:
	case V_SUSER:
		return p->stv.suid;
	case V_FUID:
		return p->stv.fsuid;
	default:
		return 0; /* text only: see pv_key_has_num */
	}
}

int
pv_key_has_num(const struct pv_key *k)
{
	switch (k->value) {
	case V_COMM:
	case V_ARGS:
	case V_STAT:
	case V_STATE:
	case V_WCHAN:
	case V_ADDR:
		return 0;
	default:
		return 1;
	}
}

long long
pv_key_num(const struct pv_key *k, const struct pv_proc *p, struct pv_ctx *c)
{
	switch (k->value) {
	case V_PID:
		return p->pid;
	case V_TID:
		return p->tid;
	case V_PPID:
		return p->st.ppid;
	case V_PGID:
		return p->st.pgrp;
	case V_SID:
		return p->st.session;
	case V_NLWP:
		return p->st.num_threads;
	case V_EUSER:
	case V_EUID:
		return p->stv.euid;
	case V_RUSER:
	case V_RUID:
		return p->stv.ruid;
	case V_NICE:
		return p->st.nice;
	case V_PRI:
		return 39 - p->st.priority;
	case V_PSR:
		return p->st.processor;
	/* WHY status and not stat field 24: the kernel keeps the resident
	 * count in per-CPU counters; stat adds them up roughly (it may lag
	 * by many pages), status's VmRSS exactly, and that is what ps
	 * shows. */
	case V_RSS:
		return p->stv.vmrss_kb;
	case V_VSZ:
		return (long long)(p->st.vsize / 1024);
	case V_TIME:
		return (long long)(cputicks(p) / (unsigned long long)c->hz);
	case V_ETIME:
	case V_ETIMES:
		return (long long)elapsed(p, c);
	case V_STIME:
		return c->btime + (long long)(p->st.starttime / c->hz);
	case V_TTY:
		return p->st.tty_nr;
	case V_C:
		return c_value(p, c);
	case V_PCPU:
		return pcpu_value(p, c);
	case V_PMEM:
		return pmem_value(p, c);
	default:
		return more_num(k, p, c);
	}
}

void
pv_state_text(char *buf, size_t n, const struct pv_proc *p)
{
	char s[8];
	size_t i = 0;

	s[i++] = p->st.state;
	if (p->st.nice < 0)
		s[i++] = '<'; /* high priority */
	else if (p->st.nice > 0)
		s[i++] = 'N'; /* low priority */
	if (p->stv.vmlck_kb > 0)
		s[i++] = 'L'; /* pages locked in memory */
	if (p->st.session == p->pid)
		s[i++] = 's'; /* session leader */
	if (p->st.num_threads > 1)
		s[i++] = 'l'; /* multi-threaded */
	if (p->st.pgrp == p->st.tpgid)
		s[i++] = '+'; /* in the terminal's foreground group */
	s[i] = '\0';
	snprintf(buf, n, "%s", s);
}

/*
 * User columns: a name, or the number when there is none. A name wider
 * than the column is cut with a '+' ("systemd-timesync" is "systemd+"),
 * as procps does; if the cut would fall inside a multi-byte character,
 * the number instead.
 */
static void
user_text(char *b, size_t n, const struct pv_proc *p, unsigned int id,
          struct pv_ctx *c, int width, int name)
{
	const char *s;

	if (!p->stv.have_uid) {
		snprintf(b, n, "-"); /* status unreadable: no uid known */
		return;
	}
	s = name ? uid_cache_name(&c->uids, id) : NULL;
	if (s && (width == 0 || esc_width(s, strlen(s)) <= (size_t)width))
		snprintf(b, n, "%s", s);
	else if (s && strlen(s) >= (size_t)width &&
	         (unsigned char)s[width - 1] < 127)
		snprintf(b, n, "%.*s+", width - 1, s);
	else
		snprintf(b, n, "%u", id);
}

/* TIME: CPU time as [DD-]HH:MM:SS; ELAPSED: [[DD-]HH:]MM:SS */
static void
duration_text(char *b, size_t n, unsigned long long t, int always_hours)
{
	unsigned ss = t % 60, mm = (t / 60) % 60, hh = (t / 3600) % 24;
	unsigned long long dd = t / 86400;

	if (dd)
		snprintf(b, n, "%llu-%02u:%02u:%02u", dd, hh, mm, ss);
	else if (hh || always_hours)
		snprintf(b, n, "%02u:%02u:%02u", hh, mm, ss);
	else
		snprintf(b, n, "%02u:%02u", mm, ss);
}

/* STIME: HH:MM if it started today, MonDD this year, else the year */
static void
stime_text(char *b, size_t n, time_t t, const struct pv_ctx *c)
{
	struct tm now, st;

	localtime_r(&c->now, &now);
	localtime_r(&t, &st);
	if (now.tm_year != st.tm_year)
		strftime(b, n, "%Y", &st);
	else if (now.tm_yday != st.tm_yday)
		strftime(b, n, "%b%d", &st);
	else
		strftime(b, n, "%H:%M", &st);
}

/* Only SCHED_OTHER and SCHED_BATCH (policies 0 and 3) have a nice
 * value that means something; ps shows '-' for the rest, SCHED_IDLE
 * included. */
static void
nice_text(char *b, size_t n, const struct pv_proc *p)
{
	if (p->st.policy != 0 && p->st.policy != 3)
		snprintf(b, n, "-");
	else
		snprintf(b, n, "%ld", p->st.nice);
}

/* A percentage in tenths: "0.5"; from 100 on, whole numbers (as ps) */
static void
tenths_text(char *b, size_t n, long long v)
{
	if (v > 999)
		snprintf(b, n, "%lld", v / 10);
	else
		snprintf(b, n, "%lld.%lld", v / 10, v % 10);
}

/*
 * The command as ps shows it. args: the command line, its NUL
 * separators (and newlines) shown as spaces; when there is none (a
 * kernel thread, marked by PF_KTHREAD; a zombie, whose memory is gone;
 * an unreadable or empty one) the name from stat in brackets, and
 * " <defunct>" after a zombie's; '?' when there is one but it holds
 * only empty arguments (argv {""}), as procps shows it; "..." after
 * one cut at PV_CMDLINE_MAX (1 MiB). comm: the name
 * from stat alone. A --forest prefix comes first. Cut at n - 1 bytes.
 */
static void
cmd_text(char *buf, size_t n, const struct pv_proc *p, int args)
{
	size_t len = 0, i, start;

	buf[0] = '\0';
	if (p->forest)
		len = (size_t)snprintf(buf, n, "%s", p->forest);
	if (len >= n)
		return;
	if (args && p->cmdlen > 0 && !p->kthread) {
		start = len;
		i = p->cmdlen;
		while (i > 0 && p->cmd[i - 1] == '\0')
			i--; /* the last argument's NUL ends, not separates */
		if (i == 0) {
			snprintf(buf + len, n - len, "?");
			return;
		}
		if (i > n - 1 - len)
			i = n - 1 - len;
		memcpy(buf + len, p->cmd, i);
		len += i;
		buf[len] = '\0';
		for (i = start; i < len; i++)
			if (buf[i] == '\0' || buf[i] == '\n')
				buf[i] = ' ';
		/* longer than PV_CMDLINE_MAX: say so rather than end
		 * silently where the read stopped */
		if (p->cmd_cut && len + 4 < n)
			memcpy(buf + len, "...", 4);
	} else if (args) {
		snprintf(buf + len, n - len, "[%s]%s", p->st.comm,
		         p->st.state == 'Z' ? " <defunct>" : "");
	} else {
		snprintf(buf + len, n - len, "%s", p->st.comm);
	}
}

char *
pv_cmd_alloc(const struct pv_proc *p, int args)
{
	size_t n = p->cmdlen + sizeof(p->st.comm) + 32;
	char *buf;

	if (p->forest)
		n += strlen(p->forest);
	buf = xmalloc(n);
	cmd_text(buf, n, p, args);
	return buf;
}

/* START: HH:MM:SS within a day, else "  MonDD" (procps pr_start) */
static void
start_text(char *b, size_t n, time_t t, const struct pv_ctx *c)
{
	struct tm st;

	localtime_r(&t, &st);
	if (t + (time_t)24 * 3600 > c->now)
		strftime(b, n, "%H:%M:%S", &st);
	else
		strftime(b, n, "  %b%d", &st);
}

/* CLS: the scheduling policy (stat field 41) as ps names it */
static const char *
class_name(unsigned int policy)
{
	static const char *const names[] = {"TS",  "FF",  "RR", "B",
	                                    "ISO", "IDL", "DLN"};

	return policy < LEN(names) ? names[policy] : "?";
}

/* The texts of the less common columns (pv_key_text's second half) */
static void
more_text(const struct pv_key *k, char *b, size_t n, const struct pv_proc *p,
          struct pv_ctx *c, int width)
{
	long long v = pv_key_num(k, p, c);
	time_t t = (time_t)v;
	struct tm st;

	switch (k->value) {
	case V_BSDTIME: /* minutes:seconds, as BSD ps */
		snprintf(b, n, "%3lld:%02lld", v / 60, v % 60);
		break;
	case V_START:
		start_text(b, n, t, c);
		break;
	case V_LSTART:
		localtime_r(&t, &st);
		strftime(b, n, "%a %b %e %H:%M:%S %Y", &st);
		break;
	case V_FLAGS:
		snprintf(b, n, "%llo", v);
		break;
	case V_WCHAN:
		snprintf(b, n, "%s", p->wchan);
		break;
	case V_ADDR: /* the kernel no longer shows it: ps prints '-' */
		snprintf(b, n, "-");
		break;
	case V_CLS:
		snprintf(b, n, "%s", class_name(p->st.policy));
		break;
	case V_RTPRIO: /* only the real-time policies have one */
		if (p->st.policy == 0)
			snprintf(b, n, "-");
		else
			snprintf(b, n, "%lld", v);
		break;
	case V_SUSER:
		user_text(b, n, p, (unsigned)v, c, width, 1);
		break;
	case V_EGID:
	case V_SUID:
	case V_FUID:
		if (!p->stv.have_uid) {
			snprintf(b, n, "-");
			break;
		}
		/* fall through */
	default: /* the plain numbers */
		snprintf(b, n, "%lld", v);
		break;
	}
}

void
pv_key_text(const struct pv_key *k, char *b, size_t n, const struct pv_proc *p,
            struct pv_ctx *c, int width)
{
	switch (k->value) {
	case V_EUSER:
		user_text(b, n, p, p->stv.euid, c, width, 1);
		break;
	case V_RUSER:
		user_text(b, n, p, p->stv.ruid, c, width, 1);
		break;
	case V_EUID:
	case V_RUID:
		user_text(b, n, p, (unsigned)pv_key_num(k, p, c), c, width, 0);
		break;
	case V_COMM:
	case V_ARGS:
		cmd_text(b, n, p, k->value == V_ARGS);
		break;
	case V_STAT:
		pv_state_text(b, n, p);
		break;
	case V_STATE:
		snprintf(b, n, "%c", p->st.state);
		break;
	case V_TTY:
		proc_tty_name((unsigned)p->st.tty_nr, b, n);
		break;
	case V_TIME:
		duration_text(b, n, (unsigned long long)pv_key_num(k, p, c), 1);
		break;
	case V_ETIME:
		duration_text(b, n, (unsigned long long)pv_key_num(k, p, c), 0);
		break;
	case V_STIME:
		stime_text(b, n, (time_t)pv_key_num(k, p, c), c);
		break;
	case V_NICE:
		nice_text(b, n, p);
		break;
	case V_PCPU:
		tenths_text(b, n, pcpu_value(p, c));
		break;
	case V_PMEM: /* " 0.0": ps pads it to two digits, even after a
	              * VSZ that took the column's room */
		snprintf(b, n, "%2lld.%lld", pmem_value(p, c) / 10,
		         pmem_value(p, c) % 10);
		break;
	case V_C:
		snprintf(b, n, "%2lld", c_value(p, c));
		break;
	default:
		more_text(k, b, n, p, c, width);
		break;
	}
}
