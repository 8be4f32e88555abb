/*
 * thread_cli.c: the lecture's client, under its own name.
 *
 *   thread_cli <IP> <port>      e.g. thread_cli 127.0.0.1 9000
 *
 * Eight threads connect at once, each waits 1-5 s, sends a line and
 * prints the server's ACK; main joins them all. Same options as
 * "netlab client"; the code is in client.c.
 */
#include "netlab.h"
#include "util.h"

int
main(int argc, char **argv)
{
	set_progname(argv[0]);
	return thread_cli_main(argc, argv);
}
