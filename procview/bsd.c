/*
 * bsd.c: ps's two syntaxes and the column sets of its personalities.
 *
 * ps grew up twice: BSD options come without a dash and cluster
 * ("aux", "axjf"), UNIX options come with one ("-ef"). procps reads
 * both on one command line ("ps -p 1 u"), and each personality has its
 * own default columns; the ones here are procps's (src/ps/sortformat.c
 * and the macro table of output.c), so that "procview aux" and
 * "ps aux" print the same columns.
 */
#include <stdio.h>
#include <string.h>

#include "procview.h"

/* A letter's value: the rest of the word ("kpid"), else the next word */
static const char *
letter_value(const char *rest, int argc, char **argv, int *next)
{
	if (*rest)
		return rest;
	if (*next < argc)
		return argv[(*next)++];
	return NULL;
}

/* u, j, l: one column set; two of them is a conflict, as in procps */
static int
set_fmt(struct pv_opts *o, int c, char *msg, size_t n)
{
	if (o->bsd_fmt && o->bsd_fmt != c) {
		snprintf(msg, n, "conflicting format options: '%c' and '%c'",
		         o->bsd_fmt, c);
		return -1;
	}
	o->bsd_fmt = c;
	return 0;
}

/* Every BSD letter procps ps 4.0 reads (its parser's cases). The switch
 * in pv_bsd_word() handles ours; of the rest, a letter in this list is
 * "not supported" (ps has it, we left it out), any other is "unknown". */
#define PS_BSD_LETTERS "HLMOSTUVXZacefghjklmnopqrstuvwx"

/* k, o, p: the letters that take a value */
static int
value_letter(struct pv_opts *o, int c, const char *v, char *msg, size_t n)
{
	if (!v) {
		snprintf(msg, n, "BSD option '%c' needs a value", c);
		return -1;
	}
	if (c == 'k')
		return pv_sort_parse(o, v, msg, n);
	if (c == 'o')
		return pv_format_add(&o->fmt, v, msg, n);
	if (pv_sel_parse_pids(&o->sel.pids, &o->sel.npids, v) == 0)
		return 0;
	snprintf(msg, n, "bad process id list '%s': %s", v, PV_PID_RULE);
	return -1;
}

int
pv_bsd_word(struct pv_opts *o, const char *word, int argc, char **argv,
            int *next, char *msg, size_t n)
{
	const char *p;

	o->sel.prefer_bsd = 1;
	for (p = word; *p; p++) {
		switch (*p) {
		case 'a': /* every user's processes on a terminal */
			o->sel.simple |= PV_SS_BA;
			break;
		case 'x': /* and those without a terminal */
			o->sel.simple |= PV_SS_BX;
			break;
		case 'u':
		case 'j':
		case 'l':
			if (set_fmt(o, *p, msg, n) < 0)
				return -1;
			break;
		case 'f': /* forest: the tree drawn with \_ */
			o->forest = 1;
			break;
		case 'w':
			o->w_count++;
			break;
		case 'k':
		case 'o':
		case 'p':
			return value_letter(
			    o, *p, letter_value(p + 1, argc, argv, next), msg,
			    n);
		case '-':
			snprintf(msg, n,
			         "embedded '-' among BSD options in '%s'",
			         word);
			return -1;
		default: /* a letter of ps's we left out, or none of ps's */
			if (strchr(PS_BSD_LETTERS, *p))
				snprintf(msg, n,
				         "BSD option '%c' in '%s' is not "
				         "supported (procview.1, BSD SYNTAX)",
				         *p, word);
			else
				snprintf(msg, n,
				         "unknown BSD option '%c' in '%s'", *p,
				         word);
			return -1;
		}
	}
	return 0;
}

/* The column sets of BSD u, j and l (procps's OL_u, OL_j, OL_l) */
static const char *
bsd_spec(int c)
{
	switch (c) {
	case 'u':
		return "user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,"
		       "bsdtime,args";
	case 'j':
		return "ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,args";
	default:
		return "flags,uid,pid,ppid,priority,nice,vsz,rss,wchan,stat,"
		       "tname,bsdtime,args";
	}
}

static void
add(char *b, size_t n, const char *key)
{
	size_t len = strlen(b);

	snprintf(b + len, n - len, "%s%s", len ? "," : "", key);
}

/* The middle of a UNIX -l / -f / -F row, after PID (procps's order) */
static void
sysv_middle(const struct pv_opts *o, char *b, size_t n)
{
	int f = o->full || o->sysv_F, l = o->sysv_l;

	if (f || l)
		add(b, n, "ppid");
	if (o->sysv_j) {
		add(b, n, "pgid");
		add(b, n, "sid");
	}
	if (o->threads && !o->sysv_T) /* -L; -T has SPID instead */
		add(b, n, "lwp");
	if (f || l)
		add(b, n, "c");
	if (o->threads && !o->sysv_T && f)
		add(b, n, "nlwp");
	if (l) {
		add(b, n, "opri");
		add(b, n, "ni");
		add(b, n, o->sysv_y ? "rss" : "addr_1");
	}
	if (o->sysv_F || l)
		add(b, n, "sz");
	if (l)
		add(b, n, "wchan");
	if (o->sysv_F) {
		if (!(l && o->sysv_y))
			add(b, n, "rss");
		add(b, n, "psr");
	}
	if (f)
		add(b, n, "stime");
}

/*
 * The UNIX column set (procps's generate_sysv_list, read forwards):
 * -l adds F S UID ... WCHAN, -f and -F UID PPID C STIME, -j PGID SID,
 * -L LWP, -T SPID; with a BSD word and no u/j/l, BSD's STAT and M:SS
 * TIME.
 */
static void
sysv_spec(const struct pv_opts *o, char *b, size_t n)
{
	int f = o->full || o->sysv_F, l = o->sysv_l;

	b[0] = '\0';
	if (l && !o->sysv_y)
		add(b, n, "f");
	if (l)
		add(b, n, "s");
	if (f)
		add(b, n, "uid_hack");
	else if (l)
		add(b, n, "uid");
	add(b, n, "pid");
	if (o->sysv_T)
		add(b, n, "spid");
	sysv_middle(o, b, n);
	add(b, n, "tname");
	if (o->sel.prefer_bsd) {
		if (!l)
			add(b, n, "stat");
		add(b, n, "bsdtime");
		add(b, n, f || l ? "cmd" : "args");
	} else {
		add(b, n, "time");
		add(b, n, f ? "cmd" : "ucmd");
	}
}

int
pv_default_format(struct pv_opts *o, char *msg, size_t n)
{
	char spec[256];

	if (o->sysv_y && !o->sysv_l) {
		snprintf(msg, n,
		         "modifier -y without format -l makes no sense");
		return -1;
	}
	if (o->o_extra) { /* -O: ps's "pid,KEYS,s,tname,time,args" */
		if (pv_format_add(&o->fmt, "pid", msg, n) < 0 ||
		    pv_format_add(&o->fmt, o->o_extra, msg, n) < 0)
			return -1;
		return pv_format_add(&o->fmt, "s,tname,time,args", msg, n);
	}
	if (o->bsd_fmt && (o->full || o->sysv_F || o->sysv_l)) {
		snprintf(msg, n, "conflicting format options");
		return -1;
	}
	if (o->bsd_fmt)
		snprintf(spec, sizeof(spec), "%s", bsd_spec(o->bsd_fmt));
	else
		sysv_spec(o, spec, sizeof(spec));
	return pv_format_add(&o->fmt, spec, msg, n);
}
