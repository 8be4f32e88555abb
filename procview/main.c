/*
 * procview: ps-compatible process listing, tree, threads, live view and
 * a kill with safety catches. Run "procview --help"; the parts are
 * described in procview.h.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "procview.h"
#include "term.h"
#include "util.h"

static const char usage_text[] =
    "usage: procview [-e|-A] [-f] [-L] [-H|--forest] [-u USERS] [-p PIDS]\n"
    "                [-C NAMES] [--ppid PIDS] [-o FORMAT]... [--no-headers]\n"
    "                [--sort [+|-]KEY[,...]] [--tree[=PID]] [--json]\n"
    "                [--explain] [--watch SECONDS [--count N]]\n"
    "       procview kill [-s SIG | -SIG | -n NUM] [--dry-run] [--force]\n"
    "                [--] PID|-PGID|-C NAME ...\n"
    "       procview kill -l [SIG|NUM]\n"
    "       procview kill -L\n"
    "       procview --help | --version\n";

static const char help_text[] =
    "\n"
    "List processes as ps does, read straight from /proc.\n"
    "\n"
    "selection (several add up; none: my processes on my terminal):\n"
    "  -e, -A            every process\n"
    "  -u USERS          effective user names or ids (comma list)\n"
    "  -p PIDS           process ids\n"
    "  -C NAMES          command names (stat's comm)\n"
    "  --ppid PIDS       children of these processes\n"
    "format:\n"
    "  -f                full: UID PID PPID C STIME TTY TIME CMD\n"
    "  -o FORMAT         keywords, e.g. pid,ppid,user,stat,args (KEY=TITLE\n"
    "                    renames a column); --explain says what each is\n"
    "  -L                one row per thread (LWP, NLWP columns)\n"
    "  --no-headers      no header line\n"
    "  --sort KEYS       order by keys, '-' before a key for descending\n"
    "views:\n"
    "  -H                children indented under their parents\n"
    "  --forest          the same, drawn with \\_ as ps --forest\n"
    "  --tree[=PID]      a pstree-like drawing, optionally from PID\n"
    "  --watch SECONDS   redraw every SECONDS with %CPU of the interval\n"
    "                    (q quits); --count N stops after N frames\n"
    "  --json            JSON instead of a table (every view)\n"
    "  --explain         after the table, where each column comes from\n"
    "  -h, --help        this help;  -V, --version  the version\n"
    "\n"
    "exit status: 0 rows shown, 1 no process matched or failure, 2 usage\n";

static void
usage(int status)
{
	fputs(usage_text, status ? stderr : stdout);
	if (status == 0)
		fputs(help_text, stdout);
	exit(status);
}

static void
bad(const char *msg)
{
	warn("%s", msg);
	fputs(usage_text, stderr);
	exit(2);
}

/* getopt's '?' (unknown option) or ':' (its argument is missing) */
static void
bad_option(int c, const char *arg)
{
	char msg[256];

	if (c == ':')
		snprintf(msg, sizeof(msg), "option '%s' needs an argument",
		         arg);
	else if (optopt > 0 && optopt < 256 && arg[0] == '-' && arg[1] != '-')
		snprintf(msg, sizeof(msg), "unknown option '-%c'", optopt);
	else
		snprintf(msg, sizeof(msg), "unknown option '%s'", arg);
	bad(msg);
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
};

static const struct option longopts[] = {
    {"ppid", required_argument, NULL, OPT_PPID},
    {"no-headers", no_argument, NULL, OPT_NOHDR},
    {"no-heading", no_argument, NULL, OPT_NOHDR},
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

static void
parse_list(int r, const char *what, const char *arg)
{
	char msg[256];

	if (r == 0)
		return;
	snprintf(msg, sizeof(msg), "bad %s list '%s'%s", what, arg,
	         errno == ENOENT ? ": no such user" : "");
	bad(msg);
}

static void
default_format(struct pv_opts *o)
{
	const char *spec;
	char msg[128];

	if (o->full && o->threads)
		spec = "uid_hack,pid,ppid,lwp,c,nlwp,stime,tname,time,cmd";
	else if (o->full)
		spec = "uid_hack,pid,ppid,c,stime,tname,time,cmd";
	else if (o->threads)
		spec = "pid,lwp,tname,time,ucmd";
	else
		spec = "pid,tname,time,ucmd";
	pv_format_add(&o->fmt, spec, msg, sizeof(msg));
}

static void
parse_args(struct pv_opts *o, int argc, char **argv)
{
	char msg[256];
	int c;

	/* ':' first and opterr 0: we word the complaint ourselves, with
	 * the short program name (getopt would print the whole argv[0]) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":eAfLHu:p:C:o:hV", longopts,
	                        NULL)) != -1) {
		switch (c) {
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
			parse_list(pv_sel_parse_users(&o->sel, optarg), "user",
			           optarg);
			break;
		case 'p':
			parse_list(pv_sel_parse_pids(&o->sel.pids,
			                             &o->sel.npids, optarg),
			           "process id", optarg);
			break;
		case OPT_PPID:
			parse_list(pv_sel_parse_pids(&o->sel.ppids,
			                             &o->sel.nppids, optarg),
			           "parent process id", optarg);
			break;
		case 'C':
			parse_list(pv_sel_parse_names(&o->sel, optarg),
			           "command name", optarg);
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
			if (optarg &&
			    parse_int(optarg, 1, 0x7fffffff, &o->tree_root) < 0)
				bad("--tree wants a process id");
			break;
		case OPT_JSON:
			o->json = 1;
			break;
		case OPT_EXPLAIN:
			o->explain = 1;
			break;
		case OPT_WATCH:
			if (parse_double(optarg, 0.1, 86400, &o->watch) < 0)
				bad("--watch wants seconds from 0.1 to 86400");
			break;
		case OPT_COUNT:
			if (parse_ll(optarg, 1, 1000000000, &o->count_ll) < 0)
				bad("--count wants a number of frames >= 1");
			break;
		case 'h':
			usage(0);
			break;
		case 'V':
			printf("procview %s\n", VERSION);
			exit(0);
		default:
			bad_option(c, argv[optind - 1]);
		}
	}
	if (optind < argc) {
		snprintf(msg, sizeof(msg), "unexpected argument '%s'",
		         argv[optind]);
		bad(msg);
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
	/* the tree and the live view are about the whole system */
	if ((o->tree || o->watch > 0) && !o->sel.nuids && !o->sel.npids &&
	    !o->sel.nppids && !o->sel.nnames)
		o->sel.all = 1;
	if (o->fmt.n == 0) {
		o->watch_default_fmt = o->watch > 0 && !o->full && !o->threads;
		default_format(o);
	}
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
	if (o->hier || o->forest)
		pv_forest(&l, o->forest);
	shown = show(o, &l, c, -1);
	if (o->explain && !o->json)
		pv_explain(&o->fmt, &l, c);
	pv_list_free(&l);
	return shown ? 1 : 0;
}

/* A full disk or a closed pipe must not look like success: the last
 * buffered bytes are written only now, so this is where it shows. */
static int
finish_output(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn("cannot write output:");
		return 1;
	}
	return status;
}

int
main(int argc, char **argv)
{
	struct pv_opts o;
	struct pv_ctx c;
	int r;

	set_progname(argv[0]);
	setlocale(LC_CTYPE, "");
	if (argc > 1 && strcmp(argv[1], "kill") == 0)
		return finish_output(pv_kill_main(argc - 1, argv + 1));
	memset(&o, 0, sizeof(o));
	parse_args(&o, argc, argv);
	if (pv_ctx_init(&c) < 0)
		die("cannot read system facts from '/proc':");
	o.sel.self_euid = (int)geteuid();
	{
		struct pv_proc self;

		if (pv_read_one(&self, c.self_pid, 0) == 0)
			o.sel.self_tty = self.st.tty_nr;
		pv_proc_free(&self);
	}
	/* piped output is never cut; a terminal line is cut to its width */
	o.width = term_width(1);
	if (o.watch > 0) {
		o.count = (long)o.count_ll;
		r = pv_watch(&o, &c);
	} else {
		r = pv_list_once(&o, &c);
		r = r < 0 ? 1 : r == 0;
	}
	r = finish_output(r);
	pv_ctx_free(&c);
	pv_format_free(&o.fmt);
	pv_sel_free(&o.sel);
	free(o.sort);
	return r;
}
