/*
 * main.c: "netlab COMMAND [ARGS]": one table of subcommands, each in its
 * own file (serve: server.c and serve_*.c, client: client.c, race: race.c).
 */
#include <stdio.h>
#include <string.h>

#include "netlab.h"
#include "util.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *what;
};

static const struct command commands[] = {
    {"serve", cmd_serve, "the ACK server (models thread, fork, pool, epoll)"},
    {"client", cmd_client, "N threads connect, wait, send a line, read ACK"},
    {"race", cmd_race, "lost updates on a shared counter: none, mutex, atomic"},
    {"bench", cmd_bench, "load generator: connections per second"},
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: netlab COMMAND [options] [ARGS]\n"
	           "       netlab COMMAND --help\n"
	           "       netlab --help | --version\n\ncommands:\n");
	for (i = 0; i < LEN(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].what);
}

int
main(int argc, char **argv)
{
	size_t i;

	set_progname("netlab");
	if (argc < 2) {
		warn("missing COMMAND");
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("netlab %s\n", VERSION);
		return 0;
	}
	for (i = 0; i < LEN(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	warn("unknown command '%s'", argv[1]);
	usage(stderr);
	return 2;
}
