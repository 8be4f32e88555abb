/*
 * main.c: "netlab COMMAND [ARGS]": one table of subcommands, each in its
 * own file (serve: server.c and serve_*.c, client: client.c, race: race.c).
 */
#include <locale.h>
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

/* --help: the list of commands after the synopsis */
static void
list_commands(FILE *f)
{
	size_t i;

	fputs("\ncommands:\n", f);
	for (i = 0; i < LEN(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].what);
}

static const struct usage netlab_usage = {"netlab COMMAND [options] [ARGS]\n"
                                          "       netlab COMMAND --help\n"
                                          "       netlab --help | --version",
                                          NULL, NULL, list_commands};

int
main(int argc, char **argv)
{
	size_t i;

	set_progname("netlab");
	/* text we did not write is escaped by the locale's rules (lib/esc.h) */
	setlocale(LC_CTYPE, "");
	if (out_std_reserve() < 0)
		die("cannot open '/dev/null':");
	if (argc < 2)
		opt_fail(&netlab_usage, "missing COMMAND");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		opt_help(&netlab_usage);
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0)
		opt_version();
	/* every command's output is checked here, once, at the end */
	for (i = 0; i < LEN(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return finish_output(
			    commands[i].run(argc - 1, argv + 1));
	opt_fail(&netlab_usage, "unknown command '%s'", argv[1]);
}
