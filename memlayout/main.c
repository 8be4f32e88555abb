/*
 * memlayout: where code, data, BSS, heap, stack and libraries live.
 *
 *   memlayout            a table of this process's own objects, each in
 *                        the /proc/self/maps line that holds it, and a
 *                        diagram of the address space
 *   memlayout -p PID     another process's map, classified
 *   memlayout demo NAME  a guided experiment (stack, heap, overflow, ...)
 */
#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memlayout.h"
#include "opt.h"
#include "term.h"
#include "util.h"

static const struct usage ml_usage = {
    "memlayout [-j] [-n] [-w]\n"
    "       memlayout -p PID [-j] [-r] [-w]\n"
    "       memlayout [-p PID] --svg FILE\n"
    "       memlayout demo NAME [ARG]\n"
    "       memlayout -h | -V",
    "\n"
    "Show where code, data, BSS, heap, stack and libraries live.\n"
    "With no PID: a table of this process's own objects, each in the\n"
    "/proc/self/maps line that holds it, then a diagram. Text fits the\n"
    "terminal's width (COLUMNS, when set, wins, as in ps).\n"
    "\n"
    "  -p, --pid PID     show the map of process PID, classified\n"
    "  -r, --rss         with --pid: resident and proportional sizes "
    "(smaps)\n"
    "  -j, --json        machine-readable output (table, --pid)\n"
    "  -n, --no-diagram  table only\n"
    "  -w, --wide        the full table: every /proc/self/maps line\n"
    "                    and path whole, whatever the width\n"
    "      --svg FILE    the diagram as an SVG picture in FILE, nothing\n"
    "                    else ('-': on standard output)\n"
    "      --wait        after printing, wait for Enter so that\n"
    "                    /proc/PID/maps can be inspected\n"
    "  -h, --help        this help\n"
    "  -V, --version     version\n"
    "\n",
    NULL, demo_usage};

static const char *svg_file; /* --svg FILE */

/* After the options: a demo, the own table or --pid; the exit status. */
static int
run(struct opts *o, const char *pidarg, int wide, int argc, char **argv)
{
	int pid;

	if (optind < argc && strcmp(argv[optind], "demo") == 0) {
		if (pidarg || o->rss || o->json || o->wait || o->no_diagram ||
		    wide || svg_file)
			opt_fail(&ml_usage, "demo takes no options");
		return cmd_demo(argc - optind - 1, argv + optind + 1);
	}
	if (optind < argc)
		opt_fail(&ml_usage, "unknown command '%s'", argv[optind]);
	if (o->rss && !pidarg)
		opt_fail(&ml_usage, "--rss needs --pid");
	if (svg_file && (o->json || o->rss || o->wait))
		opt_fail(&ml_usage, "--svg goes alone, or with --pid");
	if (!pidarg)
		return svg_file ? cmd_svg(0, svg_file) : cmd_self(o, argv);
	if (o->wait || o->no_diagram)
		opt_fail(&ml_usage, "--wait and --no-diagram are for the "
		                    "default table, not --pid");
	/* a PID is digits only: strtol would take "+5" and " 5" too */
	if (!isdigit((unsigned char)pidarg[0]) ||
	    parse_int(pidarg, 1, INT_MAX, &pid) < 0)
		opt_fail(&ml_usage,
		         "invalid pid '%s': expected a number from 1 to %d",
		         pidarg, INT_MAX);
	return svg_file ? cmd_svg((pid_t)pid, svg_file)
	                : cmd_pid((pid_t)pid, o);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"pid", required_argument, NULL, 'p'},
	    {"rss", no_argument, NULL, 'r'},
	    {"json", no_argument, NULL, 'j'},
	    {"no-diagram", no_argument, NULL, 'n'},
	    {"wide", no_argument, NULL, 'w'},
	    {"wait", no_argument, NULL, 'W'},
	    {"svg", required_argument, NULL, 'S'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct opts o = {0};
	const char *pidarg = NULL;
	int c, wide = 0;

	set_progname(argv[0]);
	/* text we did not write is escaped by the locale's rules (lib/esc.h) */
	setlocale(LC_CTYPE, "");
	if (out_std_reserve() < 0)
		die("cannot open '/dev/null':");
	/* '+': stop at the first operand, so "demo NAME -x" is the demo's;
	 * ':' and opt_begin(): opt_other() words the complaint */
	opt_begin();
	while ((c = getopt_long(argc, argv, "+:p:rjnwhV", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'p':
			pidarg = optarg;
			break;
		case 'r':
			o.rss = 1;
			break;
		case 'j':
			o.json = 1;
			break;
		case 'n':
			o.no_diagram = 1;
			break;
		case 'w':
			wide = 1;
			break;
		case 'W': /* long only: -w is --wide, as in ps */
			o.wait = 1;
			break;
		case 'S':
			svg_file = optarg;
			break;
		default: /* -h, -V or a bad option */
			opt_other(&ml_usage, c, argv);
		}
	}
	o.color = !o.json && term_use_color(1);
	o.width = out_width(wide);
	/* a full disk or a closed pipe must not look like success */
	return finish_output(run(&o, pidarg, wide, argc, argv));
}
