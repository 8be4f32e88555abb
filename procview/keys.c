/*
 * keys.c: the table of column keywords: for each, its name, its header,
 * its width and alignment as procps ps has them, the value it shows
 * (computed in columns.c) and where that value comes from (--explain).
 */
#include <string.h>
#include <strings.h>

#include "procview.h"
#include "util.h"

static const struct pv_key keys[] = {
    {"pid", "PID", PV_PIDW, PV_RIGHT, 0, V_PID,
     "process id: /proc/PID/stat field 1"},
    {"ppid", "PPID", PV_PIDW, PV_RIGHT, 0, V_PPID,
     "parent's process id: stat field 4"},
    {"pgid", "PGID", PV_PIDW, PV_RIGHT, 0, V_PGID,
     "process group id: stat field 5 (kill -PGID signals the group)"},
    {"sid", "SID", PV_PIDW, PV_RIGHT, 0, V_SID, "session id: stat field 6"},
    {"lwp", "LWP", PV_PIDW, PV_RIGHT, 0, V_TID,
     "thread id: the TID in /proc/PID/task/TID (equals PID for the "
     "main thread)"},
    {"tid", "TID", PV_PIDW, PV_RIGHT, 0, V_TID,
     "thread id: /proc/PID/task/TID"},
    {"spid", "SPID", PV_PIDW, PV_RIGHT, 0, V_TID,
     "thread id: /proc/PID/task/TID"},
    {"nlwp", "NLWP", 4, PV_RIGHT, 0, V_NLWP,
     "number of threads: stat field 20"},
    {"thcount", "THCNT", 5, PV_RIGHT, 0, V_NLWP,
     "number of threads: stat field 20"},
    {"uid_hack", "UID", 8, PV_USER, NEED_EUID, V_EUSER,
     "effective user: owner of the /proc/PID directory (fstat), which "
     "the kernel sets to the effective uid (the 2nd number of status's "
     "Uid line), named from the password database; a name wider than "
     "8 is cut to 7 and a +"},
    {"user", "USER", 8, PV_USER, NEED_EUID, V_EUSER,
     "effective user: owner of the /proc/PID directory (fstat), or the "
     "Uid line of status (2nd number) when status is read anyway, "
     "named from the password database"},
    {"euser", "EUSER", 8, PV_USER, NEED_EUID, V_EUSER,
     "effective user (as user)"},
    {"uname", "USER", 8, PV_USER, NEED_EUID, V_EUSER,
     "effective user (as user)"},
    {"ruser", "RUSER", 8, PV_USER, NEED_STATUS, V_RUSER,
     "real user: Uid line of /proc/PID/status (1st number)"},
    {"uid", "UID", 5, PV_RIGHT, NEED_EUID, V_EUID,
     "effective user id: owner of the /proc/PID directory (fstat), or "
     "the Uid line of status (2nd number) when status is read anyway"},
    {"euid", "EUID", 5, PV_RIGHT, NEED_EUID, V_EUID,
     "effective user id (as uid)"},
    {"ruid", "RUID", 5, PV_RIGHT, NEED_STATUS, V_RUID,
     "real user id: Uid line of /proc/PID/status (1st number)"},
    {"comm", "COMMAND", 15, PV_LEFT, 0, V_COMM,
     "command name: stat field 2 (between '(' and the LAST ')'), at "
     "most 15 bytes, set by exec, prctl(PR_SET_NAME) or /proc/PID/comm"},
    {"ucmd", "CMD", 15, PV_LEFT, 0, V_COMM,
     "command name: stat field 2 (between '(' and the LAST ')')"},
    {"ucomm", "COMMAND", 15, PV_LEFT, 0, V_COMM, "command name: stat field 2"},
    {"args", "COMMAND", 27, PV_UNLIMITED, NEED_CMDLINE, V_ARGS,
     "command line: /proc/PID/cmdline, NUL bytes between arguments "
     "and newlines shown as spaces, other control bytes as '?' ('.' "
     "in the C locale); [name] when it is "
     "a kernel thread (PF_KTHREAD 0x00200000 in stat field 9) or the "
     "command line is empty; ? when it holds only empty arguments"},
    {"cmd", "CMD", 27, PV_UNLIMITED, NEED_CMDLINE, V_ARGS,
     "command line: /proc/PID/cmdline (as args)"},
    {"command", "COMMAND", 27, PV_UNLIMITED, NEED_CMDLINE, V_ARGS,
     "command line: /proc/PID/cmdline (as args)"},
    {"stat", "STAT", 4, PV_LEFT, NEED_STATUS, V_STAT,
     "state: stat field 3, then < or N from nice (field 19), L if "
     "VmLck in status is not 0, s if session (field 6) == PID, l if "
     "threads (field 20) > 1, + if pgrp (field 5) == tpgid (field 8)"},
    {"state", "S", 1, PV_LEFT, 0, V_STATE, "state letter: stat field 3"},
    {"s", "S", 1, PV_LEFT, 0, V_STATE, "state letter: stat field 3"},
    {"tty", "TT", 8, PV_LEFT, 0, V_TTY,
     "controlling terminal: stat field 7 (device number) decoded to "
     "pts/N (majors 136-143), ttyN / ttySN (major 4); ? for none"},
    {"tt", "TT", 8, PV_LEFT, 0, V_TTY,
     "controlling terminal: stat field 7 (as tty)"},
    {"tname", "TTY", 8, PV_LEFT, 0, V_TTY,
     "controlling terminal: stat field 7 (as tty)"},
    {"time", "TIME", 8, PV_RIGHT, 0, V_TIME,
     "CPU time: (utime + stime) / ticks per second, stat fields 14 "
     "and 15, as [DD-]HH:MM:SS"},
    {"cputime", "TIME", 8, PV_RIGHT, 0, V_TIME,
     "CPU time: (utime + stime) / ticks per second (as time)"},
    {"stime", "STIME", 5, PV_RIGHT, 0, V_STIME,
     "start time: boot time (btime in /proc/stat) + starttime (stat "
     "field 22) / ticks per second; HH:MM today, MonDD this year, "
     "else the year"},
    {"start_time", "START", 5, PV_RIGHT, 0, V_STIME, "start time (as stime)"},
    {"start", "STARTED", 8, PV_RIGHT, 0, V_START,
     "start time (as stime): HH:MM:SS within 24 hours, else MonDD"},
    {"lstart", "STARTED", 24, PV_RIGHT, 0, V_LSTART,
     "start time (as stime) in full: weekday, date, time, year"},
    {"bsdtime", "TIME", 6, PV_RIGHT, 0, V_BSDTIME,
     "CPU time (as time) as MMM:SS, the BSD way"},
    {"times", "TIME", 8, PV_RIGHT, 0, V_TIMES, "CPU time (as time) in seconds"},
    {"etime", "ELAPSED", 11, PV_RIGHT, 0, V_ETIME,
     "elapsed time: uptime (/proc/uptime) - starttime (stat field "
     "22) / ticks per second, as [[DD-]HH:]MM:SS"},
    {"etimes", "ELAPSED", 7, PV_RIGHT, 0, V_ETIMES,
     "elapsed time in seconds (as etime)"},
    {"rss", "RSS", 5, PV_RIGHT, NEED_STATUS, V_RSS,
     "resident memory in KiB: VmRSS in /proc/PID/status (exact; stat "
     "field 24 is a rough sum of per-CPU counts)"},
    {"rsz", "RSZ", 5, PV_RIGHT, NEED_STATUS, V_RSS,
     "resident memory in KiB (as rss)"},
    {"vsz", "VSZ", 6, PV_RIGHT, 0, V_VSZ,
     "virtual memory size in KiB: stat field 23 (bytes) / 1024"},
    {"pcpu", "%CPU", 4, PV_RIGHT, 0, V_PCPU,
     "CPU use: (utime + stime) / elapsed time over the whole life "
     "(ps); in --watch, the change between two samples"},
    {"%cpu", "%CPU", 4, PV_RIGHT, 0, V_PCPU, "CPU use (as pcpu)"},
    {"pmem", "%MEM", 4, PV_RIGHT, NEED_STATUS, V_PMEM,
     "memory use: rss * 100 / MemTotal (/proc/meminfo)"},
    {"%mem", "%MEM", 4, PV_RIGHT, NEED_STATUS, V_PMEM, "memory use (as pmem)"},
    {"nice", "NI", 3, PV_RIGHT, 0, V_NICE,
     "nice value: stat field 19; - for a policy other than TS and B "
     "(field 41)"},
    {"ni", "NI", 3, PV_RIGHT, 0, V_NICE, "nice value: stat field 19 (as nice)"},
    {"pri", "PRI", 3, PV_RIGHT, 0, V_PRI,
     "priority as ps shows it: 39 - stat field 18"},
    {"psr", "PSR", 3, PV_RIGHT, 0, V_PSR, "CPU last run on: stat field 39"},
    {"tpgid", "TPGID", PV_PIDW, PV_RIGHT, 0, V_TPGID,
     "foreground process group of the terminal: stat field 8 (-1 "
     "none)"},
    {"pgrp", "PGRP", PV_PIDW, PV_RIGHT, 0, V_PGID,
     "process group id: stat field 5 (as pgid)"},
    {"sess", "SESS", PV_PIDW, PV_RIGHT, 0, V_SID,
     "session id: stat field 6 (as sid)"},
    {"session", "SESS", PV_PIDW, PV_RIGHT, 0, V_SID,
     "session id: stat field 6 (as sid)"},
    {"tgid", "TGID", PV_PIDW, PV_RIGHT, 0, V_PID,
     "thread group id, the process id: status's Tgid (as pid)"},
    {"f", "F", 1, PV_RIGHT, 0, V_FLAGS,
     "flags: stat field 9, bits 6-8 in octal (1 forked but did not "
     "exec, 4 used super-user privileges)"},
    {"flag", "F", 1, PV_RIGHT, 0, V_FLAGS, "flags (as f)"},
    {"flags", "F", 1, PV_RIGHT, 0, V_FLAGS, "flags (as f)"},
    {"wchan", "WCHAN", 6, PV_LEFT, NEED_WCHAN, V_WCHAN,
     "the kernel function the task sleeps in: /proc/PID/wchan; - "
     "when it runs"},
    {"addr", "ADDR", 4, PV_RIGHT, 0, V_ADDR,
     "always -: the kernel no longer shows the address"},
    {"addr_1", "ADDR", 1, PV_LEFT, 0, V_ADDR,
     "always -: the kernel no longer shows the address"},
    {"sz", "SZ", 5, PV_RIGHT, 0, V_SZ,
     "size in pages of everything mapped: stat field 23 / page size"},
    {"vsize", "VSZ", 6, PV_RIGHT, 0, V_VSZ,
     "virtual memory size in KiB (as vsz)"},
    {"opri", "PRI", 3, PV_RIGHT, 0, V_OPRI,
     "priority as ps -l shows it: 60 + stat field 18 (80 for nice 0)"},
    {"priority", "PRI", 3, PV_RIGHT, 0, V_PRIORITY,
     "kernel priority: stat field 18"},
    {"cls", "CLS", 3, PV_RIGHT, 0, V_CLS,
     "scheduling policy: stat field 41 (TS normal, FF fifo, RR round "
     "robin, B batch, IDL idle, DLN deadline)"},
    {"class", "CLS", 3, PV_LEFT, 0, V_CLS, "scheduling policy (as cls)"},
    {"policy", "POL", 3, PV_LEFT, 0, V_CLS, "scheduling policy (as cls)"},
    {"rtprio", "RTPRIO", 6, PV_RIGHT, 0, V_RTPRIO,
     "real-time priority: stat field 40; - for the normal policy"},
    {"maj_flt", "MAJFL", 6, PV_RIGHT, 0, V_MAJFLT,
     "page faults that read from disk: stat field 12"},
    {"min_flt", "MINFL", 6, PV_RIGHT, 0, V_MINFLT,
     "page faults served from memory: stat field 10"},
    {"egid", "EGID", 5, PV_RIGHT, NEED_EUID, V_EGID,
     "effective group id: group of the /proc/PID directory, or the Gid "
     "line of status (2nd number) when status is read anyway"},
    {"gid", "GID", 5, PV_RIGHT, NEED_EUID, V_EGID,
     "effective group id (as egid)"},
    {"suid", "SUID", 5, PV_RIGHT, NEED_STATUS, V_SUID,
     "saved user id: Uid line of /proc/PID/status (3rd number)"},
    {"suser", "SUSER", 8, PV_USER, NEED_STATUS, V_SUSER,
     "saved user: Uid line of /proc/PID/status (3rd number), named"},
    {"fuid", "FUID", 5, PV_RIGHT, NEED_STATUS, V_FUID,
     "file-system user id: Uid line of /proc/PID/status (4th number)"},
    {"c", "C", 2, PV_RIGHT, 0, V_C,
     "CPU use, integer: (utime + stime) * 100 / elapsed ticks, capped "
     "at 99 (stat fields 14, 15, 22 and /proc/uptime)"},
};

const struct pv_key *
pv_key_find(const char *name)
{
	size_t i;

	for (i = 0; i < LEN(keys); i++)
		if (strcasecmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}
