/*
 * kill.h: what kill.c and kill_parse.c share: the parsed command line
 * of "procview kill" (see kill.c for the rules).
 */
#ifndef PV_KILL_H
#define PV_KILL_H

#include "opt.h"

enum tkind { T_PID, T_GROUP, T_NAME };

struct target {
	enum tkind kind;
	int id;           /* pid or process group */
	const char *name; /* -C NAME */
	const char *word; /* as typed, for messages */
};

/* One process to signal, as seen in the check phase. */
struct victim {
	int pid;
	unsigned long long start; /* start time then, ticks after boot */
	char comm[64];            /* as in /proc/PID/stat */
	const struct target *t;
};

struct kopts {
	int sig, have_sig, dry, force, have_value, value;
	struct target *t;
	size_t nt;
	struct victim *v;
	size_t nv;
};

/* usage and help of "procview kill" (kill_parse.c) */
extern const struct usage kill_usage;

/*
 * Parse argv (argv[0] is "kill") into *k: the signal (SIGTERM unless
 * given), the options and the targets (k->t, malloc'd). 0, or 2 after
 * a one-line usage error on stderr.
 */
int parse_kill(struct kopts *k, int argc, char **argv);

#endif
