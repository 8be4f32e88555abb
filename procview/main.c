/*
 * procview: ps-compatible process listing, tree, threads, live view and
 * a kill with safety catches. Run "procview --help"; the parts are
 * described in procview.h.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "opt.h"
#include "procview.h"
#include "term.h"
#include "util.h"

static const char usage_text[] =
    "procview [-e|-A] [-a|-d] [-N] [-f|-F|-l|-j|-y] [-L|-T] [-H|--forest]\n"
    "                [-u|-U USERS] [-g|-G GROUPS] [-p PIDS] [-s SIDS]\n"
    "                [-t TTYS] [-C NAMES] [--ppid PIDS] [-o|-O FORMAT]...\n"
    "                [-w] [--cols N] [--no-headers]\n"
    "                [--sort [+|-]KEY[,...]] [--tree[=PID]] [--json]\n"
    "                [--explain] [--watch SECONDS [--count N]]\n"
    "       procview kill [-s SIG | -SIG | -n NUM] [-q VALUE] [--dry-run]\n"
    "                [--force] [--] PID|-PGID|-C NAME ...\n"
    "       procview kill -l|--list [SIG|NUM]\n"
    "       procview kill -L|--table\n"
    "       procview kill --meanings\n"
    "       procview --help | --version";

static const char help_text[] =
    "       procview [BSD words: a u x j l f w k KEY o FORMAT p PIDS]\n"
    "\n"
    "List processes as ps does, read straight from /proc. BSD words\n"
    "(aux, axjf) mix with the options below, as in ps.\n"
    "\n"
    "selection (several add up; none: my processes on my terminal):\n"
    "  -e, -A            every process\n"
    "  -a / -d           on a terminal / all, but not session leaders\n"
    "  -N                every process the other options do not select\n"
    "  -u, --user USERS  effective user names or ids (comma list)\n"
    "  -U USERS          real users;  -G GROUPS  real groups\n"
    "  -p, --pid PIDS    process ids\n"
    "  -s SIDS           sessions;  -g  sessions or effective groups\n"
    "  -t TTYS           terminals (pts/1, tty2, - for none)\n"
    "  -C NAMES          command names (stat's comm)\n"
    "  --ppid PIDS       children of these processes\n"
    "format:\n"
    "  -f                full: UID PID PPID C STIME TTY TIME CMD\n"
    "  -F, -l, -j        extra full, long, jobs (-ly: RSS for ADDR)\n"
    "  -O KEYS           the default columns with KEYS after PID\n"
    "  -w, --cols N      at least 132 columns (-ww: no limit), N columns\n"
    "  -o FORMAT         keywords, e.g. pid,ppid,user,stat,args (KEY=TITLE\n"
    "                    renames a column); --explain says what each is\n"
    "  -L                one row per thread (LWP column; NLWP with -f)\n"
    "  --no-headers      no header line\n"
    "  --sort KEYS       order by keys, '-' before a key for descending\n"
    "views:\n"
    "  -H                children indented under their parents\n"
    "  --forest          the same, drawn with \\_ as ps --forest\n"
    "  --tree[=PID]      a pstree-like drawing, optionally from PID\n"
    "  --watch SECONDS   redraw every SECONDS with %CPU of the interval\n"
    "                    (on a terminal q quits); --count N: N frames\n"
    "  --json            JSON instead of a table (every view)\n"
    "  --explain         after the table, where each column comes from\n"
    "  -h, --help        this help;  -V, --version  the version\n"
    "\n"
    "exit status: 0 rows shown (--watch: 0), 1 no process matched or\n"
    "failure, 2 usage\n";

static const struct usage pv_usage = {usage_text, help_text, NULL, NULL};

/* Set while the options are read the UNIX way with a BSD retry ahead */
static jmp_buf *retry;
static char first_error[256];

/* A usage error: one line saying what was wrong, then exit 2. */
static void
bad(const char *msg)
{
	if (retry) {
		snprintf(first_error, sizeof(first_error), "%s", msg);
		longjmp(*retry, 1);
	}
	opt_fail(&pv_usage, "%s", first_error[0] ? first_error : msg);
}

enum {
	OPT_PPID = 256,
	OPT_NOHDR,
	OPT_SORT,
	OPT_FOREST,
	OPT_TREE,
	OPT_JSON,
	OPT_EXPLAIN,
	OPT_WATCH,
	OPT_COUNT,
	OPT_COLS,
	OPT_HEADERS,
};

static const struct option longopts[] = {
    {"ppid", required_argument, NULL, OPT_PPID},
    {"no-headers", no_argument, NULL, OPT_NOHDR},
    {"no-heading", no_argument, NULL, OPT_NOHDR},
    {"noheaders", no_argument, NULL, OPT_NOHDR},
    {"headers", no_argument, NULL, OPT_HEADERS},
    {"cols", required_argument, NULL, OPT_COLS},
    {"columns", required_argument, NULL, OPT_COLS},
    {"width", required_argument, NULL, OPT_COLS},
    {"pid", required_argument, NULL, 'p'},
    {"user", required_argument, NULL, 'u'},
    {"format", required_argument, NULL, 'o'},
    {"sort", required_argument, NULL, OPT_SORT},
    {"forest", no_argument, NULL, OPT_FOREST},
    {"tree", optional_argument, NULL, OPT_TREE},
    {"json", no_argument, NULL, OPT_JSON},
    {"explain", no_argument, NULL, OPT_EXPLAIN},
    {"watch", required_argument, NULL, OPT_WATCH},
    {"count", required_argument, NULL, OPT_COUNT},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* How a list option names its list and says why a word was refused */
struct list_kind {
	const char *what;   /* "bad WHAT list '...'" */
	const char *number; /* EINVAL, ERANGE: what a number must be */
	const char *noname; /* ENOENT: the name that was not found */
};

static const struct list_kind pid_list = {"process id", PV_PID_RULE, NULL};
static const struct list_kind ppid_list = {"parent process id", PV_PID_RULE,
                                           NULL};
static const struct list_kind sid_list = {
    "session id", "session ids are numbers from 1, without a sign", NULL};
static const struct list_kind user_list = {
    "user", "user ids are numbers without a sign", "no such user"};
static const struct list_kind ruser_list = {
    "real user", "user ids are numbers without a sign", "no such user"};
static const struct list_kind rgroup_list = {
    "real group", "group ids are numbers without a sign", "no such group"};
static const struct list_kind g_list = {"session or group",
                                        "ids are numbers without a sign",
                                        "no such group, and not a session id"};
static const struct list_kind tty_list = {"terminal", NULL, "no such terminal"};
static const struct list_kind name_list = {"command name", NULL, NULL};

/* r from a pv_sel_parse_* call: a usage error naming the reason */
static void
parse_list(int r, const struct list_kind *k, const char *arg)
{
	const char *why = NULL;
	char msg[256];

	if (r == 0)
		return;
	if (!arg)
		arg = "";
	if (arg[strspn(arg, ", \t")] == '\0')
		why = "empty list";
	else if (errno == ENOENT)
		why = k->noname;
	else if (errno == EINVAL || errno == ERANGE)
		why = k->number;
	snprintf(msg, sizeof(msg), "bad %s list '%s'%s%s", k->what, arg,
	         why ? ": " : "", why ? why : "");
	bad(msg);
}

/* -U -G -g -s -t: the lists of ps's other selections */
static void
parse_sel_list(struct pv_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'U':
		parse_list(pv_sel_parse_ruids(&o->sel, arg), &ruser_list, arg);
		break;
	case 'G':
		parse_list(pv_sel_parse_rgids(&o->sel, arg), &rgroup_list, arg);
		break;
	case 'g':
		parse_list(pv_sel_parse_g(&o->sel, arg), &g_list, arg);
		break;
	case 's':
		parse_list(pv_sel_parse_pids(&o->sel.sids, &o->sel.nsids, arg),
		           &sid_list, arg);
		break;
	default:
		parse_list(pv_sel_parse_ttys(&o->sel, arg), &tty_list, arg);
		break;
	}
}

/*
 * A value that is a count or a time has no sign: parse_ll would read
 * "+3" as 3, and "-3" (refused here as below 1) would become "3" if the
 * BSD retry took its dash off. 1 for "3", ".5"; 0 for "-3", "+3".
 */
static int
unsigned_value(const char *v)
{
	return v && ((v[0] >= '0' && v[0] <= '9') || v[0] == '.');
}

/* The UNIX letters that only set a flag (-a -d -N -F -l -j -y -T -w -x) */
static void
parse_flag(struct pv_opts *o, int c)
{
	switch (c) {
	case 'a':
		o->sel.simple |= PV_SS_UA;
		break;
	case 'd':
		o->sel.simple |= PV_SS_UD;
		break;
	case 'x': /* not UNIX: procps then reads the words as BSD ones */
		bad("-x is BSD's x, without the dash");
		break;
	case 'N':
		o->sel.negate = 1;
		break;
	case 'F':
		o->sysv_F = 1;
		break;
	case 'l':
		o->sysv_l = 1;
		break;
	case 'j':
		o->sysv_j = 1;
		break;
	case 'y':
		o->sysv_y = 1;
		break;
	case 'T':
		o->sysv_T = 1;
		o->threads = 1;
		break;
	default: /* 'w' */
		o->w_count++;
		break;
	}
}

static void
parse_args(struct pv_opts *o, int argc, char **argv)
{
	char msg[256];
	int c;

	/* ':' first and opt_begin(): opt_other() words the complaint */
	/* '-': a word without a dash comes back in order as 1 (BSD) */
	opt_begin();
	while ((c = getopt_long(argc, argv,
	                        "-:eAfLHu:p:C:o:hVadNxFljyTwU:G:g:s:t:O:",
	                        longopts, NULL)) != -1) {
		switch (c) {
		case 1:
			if (pv_bsd_word(o, optarg, argc, argv, &optind, msg,
			                sizeof(msg)) < 0)
				bad(msg);
			break;
		case 'a':
		case 'd':
		case 'x':
		case 'N':
		case 'F':
		case 'l':
		case 'j':
		case 'y':
		case 'T':
		case 'w':
			parse_flag(o, c);
			break;
		case 'U':
		case 'G':
		case 'g':
		case 's':
		case 't':
			parse_sel_list(o, c, optarg);
			break;
		case 'O':
			free(o->o_extra);
			o->o_extra = xstrdup(optarg);
			break;
		case OPT_COLS:
			if (!unsigned_value(optarg))
				opt_bad(&pv_usage, "--cols", optarg);
			o->cols =
			    opt_int(&pv_usage, "--cols", optarg, 1, 1 << 20);
			break;
		case OPT_HEADERS: /* one header: a listing is never paged */
			break;
		case 'e':
		case 'A':
			o->sel.all = 1;
			break;
		case 'f':
			o->full = 1;
			break;
		case 'L':
			o->threads = 1;
			break;
		case 'H':
			o->hier = 1;
			break;
		case OPT_FOREST:
			o->forest = 1;
			break;
		case 'u':
			parse_list(pv_sel_parse_users(&o->sel, optarg),
			           &user_list, optarg);
			break;
		case 'p':
			parse_list(pv_sel_parse_pids(&o->sel.pids,
			                             &o->sel.npids, optarg),
			           &pid_list, optarg);
			break;
		case OPT_PPID:
			parse_list(pv_sel_parse_pids(&o->sel.ppids,
			                             &o->sel.nppids, optarg),
			           &ppid_list, optarg);
			break;
		case 'C':
			parse_list(pv_sel_parse_names(&o->sel, optarg),
			           &name_list, optarg);
			break;
		case 'o':
			if (pv_format_add(&o->fmt, optarg, msg, sizeof(msg)))
				bad(msg);
			break;
		case OPT_NOHDR:
			o->no_headers = 1;
			break;
		case OPT_SORT:
			if (pv_sort_parse(o, optarg, msg, sizeof(msg)))
				bad(msg);
			break;
		case OPT_TREE:
			o->tree = 1;
			if (optarg && (!unsigned_value(optarg) ||
			               parse_int(optarg, 1, 0x7fffffff,
			                         &o->tree_root) < 0))
				bad("--tree wants a process id");
			break;
		case OPT_JSON:
			o->json = 1;
			break;
		case OPT_EXPLAIN:
			o->explain = 1;
			break;
		case OPT_WATCH:
			if (!unsigned_value(optarg) ||
			    parse_double(optarg, 0.1, 86400, &o->watch) < 0)
				bad("--watch wants seconds from 0.1 to 86400");
			break;
		case OPT_COUNT:
			if (!unsigned_value(optarg) ||
			    parse_ll(optarg, 1, 1000000000, &o->count_ll) < 0)
				bad("--count wants a number of frames >= 1");
			break;
		default: /* -h, -V or a bad option */
			/* in the BSD retry, a word left over from the
			 * first reading ("-u -0": "-0") is not the error */
			if (first_error[0] && c != 'h' && c != 'V')
				bad(first_error);
			opt_other(&pv_usage, c, argv);
		}
	}
	if (o->count_ll && o->watch == 0)
		bad("--count goes with --watch");
	if (o->hier && o->forest)
		bad("-H and --forest are two drawings of one tree: choose one");
	if (o->tree && (o->hier || o->forest))
		bad("--tree draws its own tree: it does not go with -H or "
		    "--forest");
	/* the legend explains a table; a script reading JSON has no use
	 * for prose, so asking for both is a mistake worth saying */
	if (o->explain && o->json)
		bad("--explain is a legend for the table, not for --json");
	/* --tree draws names, not columns; the live view redraws */
	if (o->explain && o->tree)
		bad("--explain is a legend for the table, not for --tree");
	if (o->explain && o->watch > 0)
		bad("--explain is a legend for the table, not for --watch");
	/* the tree and the live view are about the whole system */
	if ((o->tree || o->watch > 0) && !pv_sel_has_lists(&o->sel) &&
	    !o->sel.simple)
		o->sel.all = 1;
	if (pv_sel_finish(&o->sel) < 0)
		bad("process selection options conflict");
	if (o->fmt.n == 0) {
		o->watch_default_fmt = o->watch > 0 && !o->full &&
		                       !o->threads && !o->sysv_l &&
		                       !o->sysv_F && !o->bsd_fmt;
		if (pv_default_format(o, msg, sizeof(msg)) < 0)
			bad(msg);
	} else if (o->o_extra || o->bsd_fmt) {
		bad("conflicting format options");
	}
}

/*
 * argv with the dash taken off each "-word" ("-aux" is "aux"). Only a
 * word of letters: "-5" may be the value of the option before it
 * ("-p -5"), and without its dash it would be a valid pid 5.
 */
static char **
undash(int argc, char **argv)
{
	char **v = xreallocarray(NULL, (size_t)argc + 1, sizeof(*v));
	int i;

	for (i = 0; i < argc; i++)
		v[i] = argv[i];
	v[argc] = NULL;
	for (i = 1; i < argc; i++)
		if (argv[i][0] == '-' && isalpha((unsigned char)argv[i][1]))
			v[i] = argv[i] + 1;
	return v;
}

/*
 * WHY twice: "ps -aux" is a habit older than Linux. Read the UNIX way it
 * means -a and the processes of user "x"; procps, when that reading
 * fails, reads the words again as BSD ones without their dashes (so
 * -aux is aux), and if that fails too, reports the first error.
 */
static void
parse_or_retry(struct pv_opts *o, int argc, char **argv)
{
	char **v;
	jmp_buf jb;

	if (setjmp(jb) == 0) {
		retry = &jb;
		parse_args(o, argc, argv);
		retry = NULL;
		return;
	}
	retry = NULL;
	pv_sel_free(&o->sel);
	pv_format_free(&o->fmt);
	free(o->sort);
	free(o->o_extra);
	memset(o, 0, sizeof(*o));
	v = undash(argc, argv);
	parse_args(o, argc, v);
	free(v); /* the words are argv's own: only the array goes */
	first_error[0] = '\0';
}

/* The table (or JSON, or tree) for one scan. Returns rows shown. */
static size_t
show(struct pv_opts *o, struct pv_list *l, struct pv_ctx *c, int frame)
{
	size_t i;
	char *row;

	if (o->tree) {
		if (o->json)
			pv_tree_json(l, o->tree_root, c);
		else if (pv_tree_print(l, o->tree_root, c, o->width) < 0) {
			warn("--tree: no process %d", o->tree_root);
			return 0;
		}
		return l->n;
	}
	if (o->json) {
		pv_json_table(l, &o->fmt, c, frame);
		return l->n;
	}
	if (!o->no_headers && pv_format_has_header(&o->fmt)) {
		row = pv_format_row(&o->fmt, NULL, c, o->width);
		puts(row);
		free(row);
	}
	for (i = 0; i < l->n; i++) {
		row = pv_format_row(&o->fmt, &l->v[i], c, o->width);
		puts(row);
		free(row);
	}
	return l->n;
}

int
pv_list_once(struct pv_opts *o, struct pv_ctx *c)
{
	struct pv_list l = {0};
	size_t shown;

	c->now = time(NULL);
	c->uptime = proc_uptime();
	/* the JSON tree carries each command line */
	if (pv_scan(&l, &o->sel,
	            o->fmt.needs | (o->tree && o->json ? NEED_CMDLINE : 0),
	            o->threads, c) < 0) {
		warn("cannot read '/proc':");
		return -1;
	}
	pv_sort(&l, o, c);
	/* WHY start time: ps orders siblings in a tree by when they
	 * started; the PID order is the same only until the PID counter
	 * wraps, and then a younger process has a smaller number */
	if ((o->hier || o->forest) && !o->nsort && !o->threads)
		pv_sort_start(&l);
	if (o->hier || o->forest)
		pv_forest(&l, o->forest);
	shown = show(o, &l, c, -1);
	if (o->explain && !o->json)
		pv_explain(&o->fmt, &l, c, o->width);
	pv_list_free(&l);
	return shown ? 1 : 0;
}

/*
 * The width of a line, as ps decides it: --cols, else COLUMNS, else the
 * terminal's; piped output with neither is never cut. -w makes it at
 * least 132, -ww unlimited. 0 = unlimited.
 */
static int
out_width(const struct pv_opts *o)
{
	const char *env = getenv("COLUMNS");
	int w = 0;

	if (o->cols)
		w = o->cols;
	else if (!env || parse_int(env, 1, 1 << 20, &w) < 0)
		w = term_width(1);
	if (o->w_count > 1)
		return 0;
	if (o->w_count && w > 0 && w < 132)
		return 132;
	return w;
}

int
main(int argc, char **argv)
{
	struct pv_opts o;
	struct pv_ctx c;
	int r;

	set_progname(argv[0]);
	if (out_std_reserve() < 0)
		die("cannot open '/dev/null':");
	setlocale(LC_CTYPE, "");
	if (argc > 1 && strcmp(argv[1], "kill") == 0)
		return finish_output(pv_kill_main(argc - 1, argv + 1));
	memset(&o, 0, sizeof(o));
	parse_or_retry(&o, argc, argv);
	if (pv_ctx_init(&c) < 0)
		die("cannot read system facts from '/proc':");
	o.sel.self_euid = (int)geteuid();
	{
		struct pv_proc self;

		if (pv_read_one(&self, c.self_pid, 0) == 0)
			o.sel.self_tty = self.st.tty_nr;
		pv_proc_free(&self);
	}
	o.width = out_width(&o);
	if (o.watch > 0) {
		o.count = (long)o.count_ll;
		r = pv_watch(&o, &c);
	} else {
		r = pv_list_once(&o, &c);
		r = r < 0 ? 1 : r == 0;
	}
	/* a full disk or a closed pipe must not look like success */
	r = finish_output(r);
	pv_ctx_free(&c);
	pv_format_free(&o.fmt);
	pv_sel_free(&o.sel);
	free(o.sort);
	free(o.o_extra);
	return r;
}
