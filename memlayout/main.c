/*
 * memlayout: where code, data, BSS, heap, stack and libraries live.
 *
 *   memlayout            a table of this process's own objects, each in
 *                        the /proc/self/maps line that holds it, and a
 *                        diagram of the address space
 *   memlayout -p PID     another process's map, classified
 *   memlayout demo NAME  a guided experiment (stack, heap, overflow, ...)
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memlayout.h"
#include "term.h"
#include "util.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: memlayout [-j] [-n] [-w]\n"
	        "       memlayout -p PID [-j] [-r]\n"
	        "       memlayout demo NAME [ARG]\n"
	        "       memlayout -h | -V\n"
	        "\n"
	        "Show where code, data, BSS, heap, stack and libraries live.\n"
	        "With no PID: a table of this process's own objects, each in "
	        "the\n/proc/self/maps line that holds it, then a diagram.\n"
	        "\n"
	        "  -p, --pid PID     show the map of process PID, classified\n"
	        "  -r, --rss         with --pid: resident and proportional "
	        "sizes (smaps)\n"
	        "  -j, --json        machine-readable output (table, --pid)\n"
	        "  -n, --no-diagram  table only\n"
	        "  -w, --wait        after printing, wait for Enter so that\n"
	        "                    /proc/PID/maps can be inspected\n"
	        "  -h, --help        this help\n"
	        "  -V, --version     version\n"
	        "\n");
	demo_usage(out);
}

static int
bad_usage(const char *msg, const char *arg)
{
	if (arg)
		fprintf(stderr, "%s: %s '%s'\n", progname(), msg, arg);
	else
		fprintf(stderr, "%s: %s\n", progname(), msg);
	fprintf(stderr, "Try '%s --help'.\n", progname());
	return 2;
}

/* A full disk or a closed pipe must not look like success. */
static int
finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn("cannot write the output:");
		return 1;
	}
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"pid", required_argument, NULL, 'p'},
	    {"rss", no_argument, NULL, 'r'},
	    {"json", no_argument, NULL, 'j'},
	    {"no-diagram", no_argument, NULL, 'n'},
	    {"wait", no_argument, NULL, 'w'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct opts o = {0};
	const char *pidarg = NULL;
	int c, pid;

	set_progname(argv[0]);
	/* '+': stop at the first operand, so "demo NAME -x" is the demo's;
	 * ':' and opterr 0: we word the complaint ourselves, under the
	 * short program name (getopt would print the whole argv[0]) */
	opterr = 0;
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
			o.wait = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("memlayout %s\n", VERSION);
			return 0;
		case ':':
			return bad_usage("option needs an argument",
			                 argv[optind - 1]);
		default:
			return bad_usage("unknown option", argv[optind - 1]);
		}
	}
	o.color = !o.json && term_use_color(1);
	if (optind < argc && strcmp(argv[optind], "demo") == 0) {
		if (pidarg || o.rss || o.json || o.wait || o.no_diagram)
			return bad_usage("demo takes no options", NULL);
		return finish(cmd_demo(argc - optind - 1, argv + optind + 1));
	}
	if (optind < argc)
		return bad_usage("unknown command", argv[optind]);
	if (o.rss && !pidarg)
		return bad_usage("--rss needs --pid", NULL);
	if (!pidarg)
		return finish(cmd_self(&o, argv));
	if (o.wait || o.no_diagram)
		return bad_usage("--wait and --no-diagram are for the default "
		                 "table, not --pid",
		                 NULL);
	if (parse_int(pidarg, 1, INT_MAX, &pid) < 0) {
		fprintf(stderr,
		        "%s: invalid pid '%s': expected a number from 1 to "
		        "%d\n",
		        progname(), pidarg, INT_MAX);
		return 2;
	}
	return finish(cmd_pid((pid_t)pid, &o));
}
