/*
 * rogue.c: a hostile peer and a hostile process for
 * tests/cli/escape_pty.sh.
 *
 *   rogue serve REPLY [SECONDS]
 *        listen on 127.0.0.1, a port the kernel picks, print "port N";
 *        answer every connection with REPLY at once (C escapes \n \0
 *        \xHH \\: any byte, NUL too), shut down writing, wait (at most
 *        1 s) for the peer to close, close; for SECONDS (default 30)
 *   rogue map FILE [SECONDS]
 *        map FILE (read only), print "ready", wait SECONDS (default 60):
 *        run a copy of this program under a hostile name to give
 *        memlayout --pid a hostile program path and mapping path
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"
#include "util.h"

/* Decode C escapes in place; returns the length (NULs included). */
static size_t
unescape(char *s)
{
	char *start = s, *o = s, hex[3] = {0};

	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			*o++ = *s;
			continue;
		}
		s++;
		if (*s == 'n')
			*o++ = '\n';
		else if (*s == '0')
			*o++ = '\0';
		else if (*s == 'x' && s[1] && s[2]) {
			hex[0] = s[1];
			hex[1] = s[2];
			*o++ = (char)strtol(hex, NULL, 16);
			s += 2;
		} else
			*o++ = *s;
	}
	return (size_t)(o - start);
}

static int
serve(char *reply, double secs)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	double end = now_mono() + secs;
	size_t n = unescape(reply);
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), c;
	char sink[512];

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(l, 64) < 0 || getsockname(l, (struct sockaddr *)&a, &len))
		die("cannot listen:");
	printf("port %d\n", ntohs(a.sin_port));
	fflush(stdout);
	while (now_mono() < end) {
		struct pollfd p = {l, POLLIN, 0};

		if (poll(&p, 1, 200) <= 0 || (c = accept(l, NULL, NULL)) < 0)
			continue;
		net_write_all(c, reply, n);
		shutdown(c, SHUT_WR);
		/* the peer's close, not ours: no reset destroys the reply */
		p.fd = c;
		while (poll(&p, 1, 1000) > 0 && read(c, sink, sizeof(sink)) > 0)
			;
		close(c);
	}
	return 0;
}

static int
map(const char *file, double secs)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	double end = now_mono() + secs;

	if (fd < 0 ||
	    mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED)
		die("cannot map the file:");
	puts("ready");
	fflush(stdout);
	while (now_mono() < end)
		usleep(100000);
	return 0;
}

int
main(int argc, char **argv)
{
	double secs = 0;

	set_progname("rogue");
	if (argc >= 4 && parse_double(argv[3], 1, 600, &secs) < 0)
		die("bad SECONDS '%s'", argv[3]);
	if (argc >= 3 && strcmp(argv[1], "serve") == 0)
		return serve(argv[2], secs ? secs : 30);
	if (argc >= 3 && strcmp(argv[1], "map") == 0)
		return map(argv[2], secs ? secs : 60);
	fprintf(stderr, "usage: rogue serve REPLY [SECONDS] | "
	                "rogue map FILE [SECONDS]\n");
	return 2;
}
