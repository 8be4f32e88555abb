/*
 * format.c: the column keywords and the row layout of procps ps.
 *
 * Every value is computed as procps computes it, so that procview -ef
 * and ps -ef print the same rows. The layout follows ps too: a column
 * has a width; a value too wide for it pushes the rest of the row right
 * and the next columns take the room back from their padding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "procview.h"
#include "util.h"

/* ---- text helpers ---- */

/*
 * Make text safe to print, in place, exactly as procps ps does (so the
 * two agree byte for byte). In a UTF-8 locale, valid multibyte
 * characters stay and a control character becomes '?'; at the first
 * byte that cannot start a UTF-8 character the string is taken as
 * corrupt and the rest is escaped byte by byte as in the C locale:
 * controls become '.' and every byte >= 0x80 becomes '?'. Either way
 * no byte that moves the cursor or starts an escape sequence survives.
 */
static void
esc_bytes(unsigned char *s, size_t len)
{
	for (; len > 0; s++, len--) {
		if (*s >= 0x80)
			*s = '?';
		else if (*s < 0x20 || *s == 0x7f)
			*s = '.';
	}
}

static int
utf8_lead_len(unsigned char b)
{
	if (b < 0x80)
		return 1;
	if (b < 0xc2)
		return -1; /* a continuation byte or an overlong lead */
	if (b < 0xe0)
		return 2;
	if (b < 0xf0)
		return 3;
	if (b < 0xf5)
		return 4;
	return -1;
}

static void
ps_escape(char *text, size_t len, int utf8)
{
	unsigned char *s = (unsigned char *)text;
	size_t i = 0;
	int n;

	if (!utf8) {
		esc_bytes(s, len);
		return;
	}
	while (i < len) {
		n = utf8_lead_len(s[i]);
		if (n < 0 || i + (size_t)n > len) {
			esc_bytes(s + i, len - i);
			return;
		}
		if (s[i] < 0x20 || s[i] == 0x7f)
			s[i] = '?';
		i += (size_t)n;
	}
}

struct tbuf {
	char *s;
	size_t pos, size;
};

/* Append n bytes of s (escaped if asked); silently cut at the end. */
static void
tb_add(struct tbuf *b, const char *s, size_t n, int utf8, int escape)
{
	size_t start = b->pos;

	if (n > b->size - 1 - b->pos)
		n = b->size - 1 - b->pos;
	memcpy(b->s + b->pos, s, n);
	b->pos += n;
	b->s[b->pos] = '\0';
	if (escape)
		ps_escape(b->s + start, n, utf8);
}

/* Cut s to at most max bytes without splitting a UTF-8 character. */
static void
cut_bytes(char *s, size_t max)
{
	size_t len = strlen(s);

	if (len <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	s[max] = '\0';
}

/* ---- command text ---- */

/*
 * The command as ps shows it. args: the command line, its NUL
 * separators (and newlines) shown as spaces; when there is none (a
 * kernel thread, marked by PF_KTHREAD; a zombie, whose memory is gone;
 * an unreadable or empty one) the name from stat in brackets, and
 * " <defunct>" after a zombie's. comm: the name from stat alone.
 */
static void
cmd_text(char *buf, size_t n, const struct pv_proc *p, struct pv_ctx *c,
         int args, int maxbytes)
{
	struct tbuf b = {buf, 0, n};
	size_t len, i, start;

	buf[0] = '\0';
	if (p->forest)
		tb_add(&b, p->forest, strlen(p->forest), 0, 0);
	if (args && p->cmdlen > 0 && !p->kthread) {
		len = p->cmdlen;
		while (len > 0 && p->cmd[len - 1] == '\0')
			len--; /* the last argument's NUL ends, not separates */
		start = b.pos;
		tb_add(&b, p->cmd, len, 0, 0);
		for (i = start; i < b.pos; i++)
			if (buf[i] == '\0' || buf[i] == '\n')
				buf[i] = ' ';
		ps_escape(buf + start, b.pos - start, c->utf8);
	} else {
		if (args)
			tb_add(&b, "[", 1, 0, 0);
		tb_add(&b, p->st.comm, strlen(p->st.comm), c->utf8, 1);
		if (args)
			tb_add(&b, "]", 1, 0, 0);
		if (args && p->st.state == 'Z')
			tb_add(&b, " <defunct>", 10, 0, 0);
	}
	if (maxbytes > 0)
		cut_bytes(buf, (size_t)maxbytes);
}

void
pv_cmd_text(char *buf, size_t n, const struct pv_proc *p, struct pv_ctx *c,
            int args)
{
	cmd_text(buf, n, p, c, args, 0);
}

char *
pv_cmd_alloc(const struct pv_proc *p, struct pv_ctx *c, int args)
{
	size_t n = p->cmdlen + sizeof(p->st.comm) + 32;
	char *buf;

	if (p->forest)
		n += strlen(p->forest);
	buf = xmalloc(n);
	cmd_text(buf, n, p, c, args, 0);
	return buf;
}

/* ---- values ---- */

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

void
pv_state_text(char *buf, size_t n, const struct pv_proc *p)
{
	size_t i = 0;

	buf[i++] = p->st.state;
	if (p->st.nice < 0)
		buf[i++] = '<'; /* high priority */
	else if (p->st.nice > 0)
		buf[i++] = 'N'; /* low priority */
	if (p->stv.vmlck_kb > 0)
		buf[i++] = 'L'; /* pages locked in memory */
	if (p->st.session == p->pid)
		buf[i++] = 's'; /* session leader */
	if (p->st.num_threads > 1)
		buf[i++] = 'l'; /* multi-threaded */
	if (p->st.pgrp == p->st.tpgid)
		buf[i++] = '+'; /* in the terminal's foreground group */
	buf[i] = '\0';
	(void)n;
}

#define FMT(name)                                                              \
	static void name(char *b, size_t n, const struct pv_proc *p,           \
	                 struct pv_ctx *c, int w)
#define NUM(name)                                                              \
	static long long name(const struct pv_proc *p, struct pv_ctx *c)
#define UNUSED (void)c, (void)w

NUM(n_pid)
{
	(void)c;
	return p->pid;
}
NUM(n_tid)
{
	(void)c;
	return p->tid;
}
NUM(n_ppid)
{
	(void)c;
	return p->st.ppid;
}
NUM(n_pgid)
{
	(void)c;
	return p->st.pgrp;
}
NUM(n_sid)
{
	(void)c;
	return p->st.session;
}
NUM(n_nlwp)
{
	(void)c;
	return p->st.num_threads;
}
NUM(n_euid)
{
	(void)c;
	return p->stv.euid;
}
NUM(n_ruid)
{
	(void)c;
	return p->stv.ruid;
}
NUM(n_nice)
{
	(void)c;
	return p->st.nice;
}
NUM(n_pri)
{
	(void)c;
	return 39 - p->st.priority;
}
NUM(n_psr)
{
	(void)c;
	return p->st.processor;
}
/* WHY status and not stat field 24: the kernel keeps the resident
 * count in per-CPU counters; stat adds them up roughly (it may lag by
 * many pages), status's VmRSS exactly, and that is what ps shows. */
NUM(n_rss)
{
	(void)c;
	return p->stv.vmrss_kb;
}
NUM(n_vsz)
{
	(void)c;
	return (long long)(p->st.vsize / 1024);
}
NUM(n_time)
{
	return (long long)(cputicks(p) / (unsigned long long)c->hz);
}
NUM(n_etime)
{
	return (long long)elapsed(p, c);
}
NUM(n_start)
{
	return c->btime + (long long)(p->st.starttime / c->hz);
}
NUM(n_tty)
{
	(void)c;
	return p->st.tty_nr;
}

/* C: integer percent of one CPU over the whole life, capped at 99 */
NUM(n_c)
{
	unsigned long long jiffies =
	    (unsigned long long)(elapsed(p, c) * c->hz);
	unsigned long long pcpu = jiffies ? cputicks(p) * 100 / jiffies : 0;

	return pcpu > 99 ? 99 : (long long)pcpu;
}

/* %CPU in tenths: per mille of one CPU over the whole life */
NUM(n_pcpu)
{
	unsigned long long secs = (unsigned long long)elapsed(p, c);

	if (p->live)
		return (long long)(p->live_pcpu * 10);
	return secs ? (long long)(cputicks(p) * 1000 / c->hz / secs) : 0;
}

/* %MEM in tenths */
NUM(n_pmem)
{
	long long v;

	if (c->mem_kb <= 0)
		return 0;
	v = n_rss(p, c) * 1000 / c->mem_kb;
	return v > 999 ? 999 : v;
}

FMT(f_pid)
{
	UNUSED;
	snprintf(b, n, "%d", p->pid);
}
FMT(f_tid)
{
	UNUSED;
	snprintf(b, n, "%d", p->tid);
}
FMT(f_ppid)
{
	UNUSED;
	snprintf(b, n, "%d", p->st.ppid);
}
FMT(f_pgid)
{
	UNUSED;
	snprintf(b, n, "%d", p->st.pgrp);
}
FMT(f_sid)
{
	UNUSED;
	snprintf(b, n, "%d", p->st.session);
}
FMT(f_nlwp)
{
	UNUSED;
	snprintf(b, n, "%ld", p->st.num_threads);
}
FMT(f_psr)
{
	UNUSED;
	snprintf(b, n, "%d", p->st.processor);
}
FMT(f_rss)
{
	(void)w;
	snprintf(b, n, "%lld", n_rss(p, c));
}
FMT(f_vsz)
{
	(void)w;
	snprintf(b, n, "%lld", n_vsz(p, c));
}
FMT(f_c)
{
	(void)w;
	snprintf(b, n, "%2lld", n_c(p, c));
}
FMT(f_pri)
{
	UNUSED;
	snprintf(b, n, "%ld", 39 - p->st.priority);
}

FMT(f_pcpu)
{
	long long v = n_pcpu(p, c);

	(void)w;
	if (v > 999)
		snprintf(b, n, "%lld", v / 10);
	else
		snprintf(b, n, "%lld.%lld", v / 10, v % 10);
}

FMT(f_pmem)
{
	long long v = n_pmem(p, c);

	(void)w;
	snprintf(b, n, "%lld.%lld", v / 10, v % 10);
}

/* Only the normal time-sharing policies have a nice value. */
FMT(f_nice)
{
	UNUSED;
	if (p->st.policy != 0 && p->st.policy != 3 && p->st.policy != 5)
		snprintf(b, n, "-");
	else
		snprintf(b, n, "%ld", p->st.nice);
}

static void
id_text(char *b, size_t n, const struct pv_proc *p, unsigned int id,
        struct pv_ctx *c, int w, int name)
{
	const char *s;

	if (!p->stv.have_uid) {
		snprintf(b, n, "-"); /* status unreadable: no uid known */
		return;
	}
	/* a name wider than the column is shown as the number, as ps does */
	s = name ? uid_cache_name(&c->uids, id) : NULL;
	if (s && (w == 0 || (int)strlen(s) <= w))
		snprintf(b, n, "%s", s);
	else
		snprintf(b, n, "%u", id);
}

FMT(f_euser)
{
	id_text(b, n, p, p->stv.euid, c, w, 1);
}
FMT(f_ruser)
{
	id_text(b, n, p, p->stv.ruid, c, w, 1);
}
FMT(f_euid)
{
	id_text(b, n, p, p->stv.euid, c, w, 0);
}
FMT(f_ruid)
{
	id_text(b, n, p, p->stv.ruid, c, w, 0);
}

FMT(f_stat)
{
	UNUSED;
	pv_state_text(b, n, p);
}

FMT(f_state)
{
	UNUSED;
	snprintf(b, n, "%c", p->st.state);
}

FMT(f_tty)
{
	UNUSED;
	proc_tty_name((unsigned)p->st.tty_nr, b, n);
}

/* TIME: CPU time as [DD-]HH:MM:SS */
FMT(f_time)
{
	unsigned long long t = (unsigned long long)n_time(p, c);
	unsigned ss = t % 60, mm = (t / 60) % 60, hh = (t / 3600) % 24;
	unsigned long long dd = t / 86400;

	(void)w;
	if (dd)
		snprintf(b, n, "%llu-%02u:%02u:%02u", dd, hh, mm, ss);
	else
		snprintf(b, n, "%02u:%02u:%02u", hh, mm, ss);
}

/* ELAPSED: [[DD-]HH:]MM:SS */
FMT(f_etime)
{
	unsigned long long t = (unsigned long long)n_etime(p, c);
	unsigned ss = t % 60, mm = (t / 60) % 60, hh = (t / 3600) % 24;
	unsigned long long dd = t / 86400;

	(void)w;
	if (dd)
		snprintf(b, n, "%llu-%02u:%02u:%02u", dd, hh, mm, ss);
	else if (hh)
		snprintf(b, n, "%02u:%02u:%02u", hh, mm, ss);
	else
		snprintf(b, n, "%02u:%02u", mm, ss);
}

FMT(f_etimes)
{
	(void)w;
	snprintf(b, n, "%lld", n_etime(p, c));
}

/* STIME: HH:MM if it started today, MonDD this year, else the year */
FMT(f_stime)
{
	time_t t = (time_t)n_start(p, c);
	struct tm now, st;

	(void)w;
	localtime_r(&c->now, &now);
	localtime_r(&t, &st);
	if (now.tm_year != st.tm_year)
		strftime(b, n, "%Y", &st);
	else if (now.tm_yday != st.tm_yday)
		strftime(b, n, "%b%d", &st);
	else
		strftime(b, n, "%H:%M", &st);
}

FMT(f_comm)
{
	cmd_text(b, n, p, c, 0, w);
}
FMT(f_args)
{
	cmd_text(b, n, p, c, 1, w);
}

#define PIDW (-1) /* width from pid_max */

static const struct pv_key keys[] = {
    {"pid", "PID", PIDW, PV_RIGHT, 0, f_pid, n_pid,
     "process id: /proc/PID/stat field 1"},
    {"ppid", "PPID", PIDW, PV_RIGHT, 0, f_ppid, n_ppid,
     "parent's process id: stat field 4"},
    {"pgid", "PGID", PIDW, PV_RIGHT, 0, f_pgid, n_pgid,
     "process group id: stat field 5 (kill -PGID signals the group)"},
    {"sid", "SID", PIDW, PV_RIGHT, 0, f_sid, n_sid, "session id: stat field 6"},
    {"lwp", "LWP", PIDW, PV_RIGHT, 0, f_tid, n_tid,
     "thread id: the TID in /proc/PID/task/TID (equals PID for the "
     "main thread)"},
    {"tid", "TID", PIDW, PV_RIGHT, 0, f_tid, n_tid,
     "thread id: /proc/PID/task/TID"},
    {"spid", "SPID", PIDW, PV_RIGHT, 0, f_tid, n_tid,
     "thread id: /proc/PID/task/TID"},
    {"nlwp", "NLWP", 4, PV_RIGHT, 0, f_nlwp, n_nlwp,
     "number of threads: stat field 20"},
    {"thcount", "THCNT", 5, PV_RIGHT, 0, f_nlwp, n_nlwp,
     "number of threads: stat field 20"},
    {"uid_hack", "UID", 8, PV_USER, NEED_EUID, f_euser, n_euid,
     "effective user: owner of the /proc/PID directory (fstat), which "
     "the kernel sets to the effective uid (the 2nd number of status's "
     "Uid line), named from the password database; a name wider than "
     "8 shows as the number"},
    {"user", "USER", 8, PV_USER, NEED_EUID, f_euser, n_euid,
     "effective user: Uid line of /proc/PID/status (2nd number), "
     "named from the password database"},
    {"euser", "EUSER", 8, PV_USER, NEED_EUID, f_euser, n_euid,
     "effective user: Uid line of /proc/PID/status (2nd number)"},
    {"uname", "USER", 8, PV_USER, NEED_EUID, f_euser, n_euid,
     "effective user: Uid line of /proc/PID/status (2nd number)"},
    {"ruser", "RUSER", 8, PV_USER, NEED_STATUS, f_ruser, n_ruid,
     "real user: Uid line of /proc/PID/status (1st number)"},
    {"uid", "UID", 5, PV_RIGHT, NEED_EUID, f_euid, n_euid,
     "effective user id: Uid line of /proc/PID/status (2nd number)"},
    {"euid", "EUID", 5, PV_RIGHT, NEED_EUID, f_euid, n_euid,
     "effective user id: Uid line of /proc/PID/status (2nd number)"},
    {"ruid", "RUID", 5, PV_RIGHT, NEED_STATUS, f_ruid, n_ruid,
     "real user id: Uid line of /proc/PID/status (1st number)"},
    {"comm", "COMMAND", 15, PV_LEFT, 0, f_comm, NULL,
     "command name: stat field 2 (between '(' and the LAST ')'), at "
     "most 15 bytes, set by exec or by writing /proc/PID/comm"},
    {"ucmd", "CMD", 15, PV_LEFT, 0, f_comm, NULL,
     "command name: stat field 2 (between '(' and the LAST ')')"},
    {"ucomm", "COMMAND", 15, PV_LEFT, 0, f_comm, NULL,
     "command name: stat field 2"},
    {"args", "COMMAND", 27, PV_UNLIMITED, NEED_CMDLINE, f_args, NULL,
     "command line: /proc/PID/cmdline, NUL bytes between arguments "
     "shown as spaces, other control bytes as '?'; [name] when it is "
     "a kernel thread (PF_KTHREAD 0x00200000 in stat field 9) or the "
     "command line is empty"},
    {"cmd", "CMD", 27, PV_UNLIMITED, NEED_CMDLINE, f_args, NULL,
     "command line: /proc/PID/cmdline (as args)"},
    {"command", "COMMAND", 27, PV_UNLIMITED, NEED_CMDLINE, f_args, NULL,
     "command line: /proc/PID/cmdline (as args)"},
    {"stat", "STAT", 4, PV_LEFT, NEED_STATUS, f_stat, NULL,
     "state: stat field 3, then < or N from nice (field 19), L if "
     "VmLck in status is not 0, s if session (field 6) == PID, l if "
     "threads (field 20) > 1, + if pgrp (field 5) == tpgid (field 8)"},
    {"state", "S", 1, PV_LEFT, 0, f_state, NULL, "state letter: stat field 3"},
    {"s", "S", 1, PV_LEFT, 0, f_state, NULL, "state letter: stat field 3"},
    {"tty", "TT", 8, PV_LEFT, 0, f_tty, n_tty,
     "controlling terminal: stat field 7 (device number) decoded to "
     "pts/N (majors 136-143), ttyN / ttySN (major 4); ? for none"},
    {"tt", "TT", 8, PV_LEFT, 0, f_tty, n_tty,
     "controlling terminal: stat field 7 (as tty)"},
    {"tname", "TTY", 8, PV_LEFT, 0, f_tty, n_tty,
     "controlling terminal: stat field 7 (as tty)"},
    {"time", "TIME", 8, PV_RIGHT, 0, f_time, n_time,
     "CPU time: (utime + stime) / ticks per second, stat fields 14 "
     "and 15, as [DD-]HH:MM:SS"},
    {"cputime", "TIME", 8, PV_RIGHT, 0, f_time, n_time,
     "CPU time: (utime + stime) / ticks per second (as time)"},
    {"stime", "STIME", 5, PV_LEFT, 0, f_stime, n_start,
     "start time: boot time (btime in /proc/stat) + starttime (stat "
     "field 22) / ticks per second; HH:MM today, MonDD this year, "
     "else the year"},
    {"start_time", "START", 5, PV_LEFT, 0, f_stime, n_start,
     "start time (as stime)"},
    {"etime", "ELAPSED", 11, PV_RIGHT, 0, f_etime, n_etime,
     "elapsed time: uptime (/proc/uptime) - starttime (stat field "
     "22) / ticks per second, as [[DD-]HH:]MM:SS"},
    {"etimes", "ELAPSED", 7, PV_RIGHT, 0, f_etimes, n_etime,
     "elapsed time in seconds (as etime)"},
    {"rss", "RSS", 5, PV_RIGHT, NEED_STATUS, f_rss, n_rss,
     "resident memory in KiB: VmRSS in /proc/PID/status (exact; stat "
     "field 24 is a rough sum of per-CPU counts)"},
    {"rsz", "RSZ", 5, PV_RIGHT, NEED_STATUS, f_rss, n_rss,
     "resident memory in KiB (as rss)"},
    {"vsz", "VSZ", 6, PV_RIGHT, 0, f_vsz, n_vsz,
     "virtual memory size in KiB: stat field 23 (bytes) / 1024"},
    {"pcpu", "%CPU", 4, PV_RIGHT, 0, f_pcpu, n_pcpu,
     "CPU use: (utime + stime) / elapsed time over the whole life "
     "(ps); in --watch, the change between two samples"},
    {"%cpu", "%CPU", 4, PV_RIGHT, 0, f_pcpu, n_pcpu, "CPU use (as pcpu)"},
    {"pmem", "%MEM", 4, PV_RIGHT, NEED_STATUS, f_pmem, n_pmem,
     "memory use: rss * 100 / MemTotal (/proc/meminfo)"},
    {"%mem", "%MEM", 4, PV_RIGHT, NEED_STATUS, f_pmem, n_pmem,
     "memory use (as pmem)"},
    {"nice", "NI", 3, PV_RIGHT, 0, f_nice, n_nice,
     "nice value: stat field 19; - for real-time policies (field 41)"},
    {"ni", "NI", 3, PV_RIGHT, 0, f_nice, n_nice,
     "nice value: stat field 19 (as nice)"},
    {"pri", "PRI", 3, PV_RIGHT, 0, f_pri, n_pri,
     "priority as ps shows it: 39 - stat field 18"},
    {"psr", "PSR", 3, PV_RIGHT, 0, f_psr, n_psr,
     "CPU last run on: stat field 39"},
    {"c", "C", 2, PV_RIGHT, 0, f_c, n_c,
     "CPU use, integer: (utime + stime) * 100 / elapsed ticks, capped "
     "at 99 (stat fields 14, 15, 22 and /proc/uptime)"},
};

int
pv_format_has_header(const struct pv_format *f)
{
	size_t i;

	/* ps prints no header line when every title is empty (-o pid=) */
	for (i = 0; i < f->n; i++)
		if (!f->col[i].header || f->col[i].header[0])
			return 1;
	return 0;
}

const struct pv_key *
pv_keys(size_t *n)
{
	*n = LEN(keys);
	return keys;
}

const struct pv_key *
pv_key_find(const char *name)
{
	size_t i;

	for (i = 0; i < LEN(keys); i++)
		if (strcasecmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static void
add_col(struct pv_format *f, const struct pv_key *k, const char *hdr)
{
	struct pv_col *col;

	f->col = xreallocarray(f->col, f->n + 1, sizeof(*f->col));
	col = &f->col[f->n++];
	col->key = k;
	col->header = hdr ? xstrdup(hdr) : NULL;
	col->width = k->width;
	f->needs |= k->needs;
	if (k->fmt == f_tid)
		f->threads = 1;
}

int
pv_format_add(struct pv_format *f, const char *spec, char *msg, size_t n)
{
	char *copy = xstrdup(spec), *p = copy, *w, *eq;
	const struct pv_key *k;
	int any = 0;

	while (*p) {
		w = p;
		eq = NULL;
		/* a word ends at ',' or ' '; after '=' comes the column's
		 * title, up to the next ',' (as procps: -o pid=ID,comm=) */
		while (*p && *p != ',' && *p != ' ' && *p != '=')
			p++;
		if (*p == '=') {
			*p++ = '\0';
			eq = p;
			p += strcspn(p, ",");
		}
		if (*p)
			*p++ = '\0';
		if (!*w && !eq)
			continue;
		if (!(k = pv_key_find(w))) {
			snprintf(msg, n, "unknown keyword '%s' in '%s'", w,
			         spec);
			free(copy);
			return -1;
		}
		add_col(f, k, eq);
		any = 1;
	}
	free(copy);
	if (!any) {
		snprintf(msg, n, "empty format");
		return -1;
	}
	return 0;
}

void
pv_format_free(struct pv_format *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free((char *)f->col[i].header);
	free(f->col);
	memset(f, 0, sizeof(*f));
}

/* ---- layout ---- */

struct sbuf {
	char *s;
	size_t len, cap;
};

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? 2 * b->cap : 256;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
sb_spaces(struct sbuf *b, int n)
{
	static const char sp[] = "                                ";

	for (; n > 0; n -= (int)sizeof(sp) - 1)
		sb_add(b, sp,
		       n < (int)sizeof(sp) - 1 ? (size_t)n : sizeof(sp) - 1);
}

/* Cut s to at most width cells (a terminal line). */
static void
cut_cells(char *s, int width)
{
	int cells = 0;

	for (; *s; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80 && cells++ == width) {
			*s = '\0';
			return;
		}
	}
}

static int
col_width(const struct pv_col *col, const struct pv_ctx *c)
{
	return col->width == PIDW ? c->pidw : col->width;
}

static const char *
col_header(const struct pv_col *col)
{
	return col->header ? col->header : col->key->header;
}

char *
pv_format_row(const struct pv_format *f, const struct pv_proc *p,
              struct pv_ctx *c, int width)
{
	struct sbuf b = {0};
	/* correct: where this column should start; actual: where we are */
	int correct = 0, actual = 0, dospace = 0;
	size_t i;

	sb_add(&b, "", 0);
	for (i = 0; i < f->n; i++) {
		const struct pv_col *col = &f->col[i];
		int w = col_width(col, c), last = i + 1 == f->n;
		int amount, leftpad = 0, space;
		char small[512], *text = small;
		size_t bufsz = sizeof(small);

		/* only a command line may need more than a small cell */
		if (p && col->key->fmt == f_args &&
		    (p->cmdlen > 256 || p->forest)) {
			bufsz = p->cmdlen + 512 +
			        (p->forest ? strlen(p->forest) : 0);
			text = xmalloc(bufsz);
		}
		if (p)
			col->key->fmt(text, bufsz, p, c, last ? 0 : w);
		else
			snprintf(text, bufsz, "%s", col_header(col));
		/* a column in the middle is cut to its width (only text
		 * columns can be wider; numbers push the row instead). Like
		 * ps, widths are counted in bytes. */
		if (!last &&
		    (col->key->just == PV_UNLIMITED || col->key->fmt == f_comm))
			cut_bytes(text, (size_t)w);
		amount = (int)strlen(text);
		if (col->key->just == PV_RIGHT)
			leftpad = w - amount > 0 ? w - amount : 0;
		/* a value that overflowed its column is absorbed by the
		 * padding of the next one: ps keeps the columns aligned */
		space = correct - actual + leftpad;
		if (space < 1)
			space = dospace;
		sb_spaces(&b, space);
		sb_add(&b, text, (size_t)amount);
		if (text != small)
			free(text);
		actual += space + amount;
		correct += w + 1;
		dospace = 1;
	}
	if (width > 0)
		cut_cells(b.s, width);
	return b.s;
}
