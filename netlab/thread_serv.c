/*
 * thread_serv.c: the lecture's server, under its own name.
 *
 *   thread_serv <port>          e.g. thread_serv 9000, or 0 for any port
 *
 * It is "netlab serve -m thread -p PORT" and takes the same options. The
 * code to read is serve_thread.c (accept, one detached thread per client)
 * and proto.c (read one line, answer ACK, close gracefully).
 */
#include "netlab.h"
#include "util.h"

int
main(int argc, char **argv)
{
	static const struct usage u = {"thread_serv [options] <port>",
	                               serve_help, NULL};
	struct serve_opts o;

	set_progname(argv[0]);
	serve_parse(&o, argc, argv, &u, 1);
	o.model = "thread";
	return serve_run(&o);
}
