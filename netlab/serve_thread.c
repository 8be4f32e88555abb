/*
 * serve_thread.c: the thread-per-connection server (model "thread").
 *
 * This is the server of the lecture (thread_serv.c): the main thread
 * accepts; every accepted client gets its own thread, which reads one
 * line, answers "ACK" and ends. Nobody waits for those threads: they are
 * detached and clean up after themselves.
 *
 *   main thread:   accept -> pthread_create -> pthread_detach -> accept ...
 *   client thread: read line -> write "ACK\n" -> close -> exit
 *
 * The accept loop is server_loop (server.c), the same for the thread,
 * fork and pool models; what this model does with each connection is
 * dispatch() below: start a thread for it.
 *
 * The other why-comments of the lab live where the code is shared by
 * every model: why SIGPIPE is ignored and how SIGINT stops the server
 * (server.c, signals_init), why the stack is small (proto.c,
 * proto_stack_size), why the close is graceful (proto.c, proto_serve),
 * why the client uses rand_r (client.c, pick_delay).
 *
 * Pros and cons, measured by "netlab serve" and the client: a thread is
 * cheaper than a process (shared memory, no page tables to copy), but
 * every client still costs a thread creation and a stack; a bug in one
 * thread (a stray pointer) can crash every client, unlike with fork.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "netlab.h"
#include "util.h"

/* Handed to every client thread; lives as long as the server does. */
static struct server *the_server;

/*
 * One client, one thread. The argument is the descriptor itself, passed
 * by value inside the pointer. Why by value: passing &fd (the address of
 * the accept loop's variable) is the classic bug of this lab: by the time
 * the new thread reads it, the main thread may already have overwritten
 * it with the next client's descriptor, and two threads serve one client.
 */
static void *
client_thread(void *arg)
{
	int fd = (int)(intptr_t)arg;

	proto_serve(the_server, fd); /* leaves at its reply */
	server_closed(the_server);
	return NULL;
}

/*
 * Start the thread for fd. Why pthread_detach: a thread that ends keeps
 * its stack and exit status until someone calls pthread_join on it, like
 * a zombie process. The accept loop never joins, so each finished client
 * would leak a stack; a detached thread's resources go back at its exit.
 */
static int
start_client_thread(const pthread_attr_t *attr, int fd)
{
	pthread_t t;
	int err = pthread_create(&t, attr, client_thread, (void *)(intptr_t)fd);

	if (err) {
		errno = err;
		return -1;
	}
	pthread_detach(t);
	return 0;
}

/* A new connection: over the limit it gets BUSY, else its own thread. */
static void
dispatch(void *attr, int fd)
{
	struct server *s = the_server;

	if (server_enter(s, fd) < 0)
		return; /* over --max-clients: it got BUSY */
	if (start_client_thread(attr, fd) < 0)
		server_no_worker(s, fd, "cannot start a thread", errno);
}

int
serve_thread(struct server *s)
{
	pthread_attr_t attr;
	int rc;

	the_server = s;
	pthread_attr_init(&attr);
	/* Why set it: see proto_stack_size (8 MB default vs 68 KB needed). */
	pthread_attr_setstacksize(&attr, proto_stack_size(s->o));
	/* accept, and dispatch each connection, until SIGINT/SIGTERM */
	rc = server_loop(s, dispatch, &attr);
	pthread_attr_destroy(&attr);
	return rc;
}
