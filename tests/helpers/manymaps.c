/*
 * manymaps.c: a process with a hostile memory map, for memlayout --pid
 * (tests/cli/hostile_memlayout.sh).
 *
 *   manymaps DIR N [EXIT_MS]
 *
 * Makes N one-page anonymous mappings that cannot merge (every other
 * page of one region is PROT_NONE, so the kernel keeps 2N areas), and
 * maps files from DIR whose names a maps parser finds hard:
 *   DIR/a file with spaces          spaces in the path
 *   DIR/gone soon                   unlinked: " (deleted)" in maps
 *   DIR/ddd.../ddd.../long          a path of over 4,000 characters
 *                                   (under PATH_MAX, 4,096)
 * Then prints "ready" and waits: for ever (until killed) or, with
 * EXIT_MS, exits after that many milliseconds (a process that ends while
 * someone reads its maps). Exit 1 on any set-up failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* Map the first page of a new file at path (its contents: the path). */
static int
map_file(const char *path)
{
	void *p;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || write(fd, path, strlen(path)) < 0) {
		warn("cannot create '%.60s...':", path);
		return -1;
	}
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		warn("cannot map '%.60s...':", path);
		return -1;
	}
	return 0;
}

/* DIR/ddd.../ddd.../long, about 4,000 characters in all. */
static int
long_path(const char *dir, char *path, size_t n)
{
	char part[201];
	size_t len;

	memset(part, 'd', 200);
	part[200] = '\0';
	len = (size_t)snprintf(path, n, "%s", dir);
	while (len < 4000 && len + 201 + 6 < 4096) {
		len += (size_t)snprintf(path + len, n - len, "/%s", part);
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			warn("cannot make a deep folder:");
			return -1;
		}
	}
	snprintf(path + len, n - len, "/long");
	return 0;
}

int
main(int argc, char **argv)
{
	char path[4200];
	long page = sysconf(_SC_PAGESIZE);
	int n, i, exit_ms = -1;
	char *region;

	set_progname("manymaps");
	if (argc < 3 || parse_int(argv[2], 1, 30000, &n) < 0 ||
	    (argc > 3 && parse_int(argv[3], 0, 600000, &exit_ms) < 0)) {
		fprintf(stderr, "usage: manymaps DIR N [EXIT_MS]\n");
		return 2;
	}
	/* end with the test that started us, whatever happens */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	region =
	    mmap(NULL, (size_t)(2 * n) * (size_t)page, PROT_READ | PROT_WRITE,
	         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		die("cannot map %d pages:", 2 * n);
	for (i = 0; i < n; i++)
		if (mprotect(region + (size_t)(2 * i + 1) * (size_t)page,
		             (size_t)page, PROT_NONE) < 0)
			die("mprotect:");
	snprintf(path, sizeof(path), "%s/a file with spaces", argv[1]);
	if (map_file(path) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/gone soon", argv[1]);
	if (map_file(path) < 0 || unlink(path) < 0)
		return 1;
	if (long_path(argv[1], path, sizeof(path)) < 0 || map_file(path) < 0)
		return 1;
	printf("ready %s\n", path);
	fflush(stdout);
	if (exit_ms < 0)
		for (;;)
			pause();
	{
		struct timespec ts = {exit_ms / 1000,
		                      (long)(exit_ms % 1000) * 1000000L};

		nanosleep(&ts, NULL);
	}
	return 0;
}
