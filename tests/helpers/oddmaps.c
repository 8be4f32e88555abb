/*
 * oddmaps.c: a process whose map holds the mappings memlayout --pid has
 * mislabelled, for tests/cli/memlayout_labels.sh. Usage:
 *
 *   oddmaps DIR [thread]
 *
 * It maps, and prints "NAME 0xADDRESS" for each (the test needs no
 * guess about which mapping is which):
 *   hugetlb     2 MiB of MAP_HUGETLB, written (or "hugetlb none" when
 *               the kernel has no huge page to give)
 *   shared      MAP_SHARED|MAP_ANONYMOUS, written
 *   none        a PROT_NONE page right below
 *   rw          a read-write page, with unmapped gaps around both
 *   dfile       DIR/data file (deleted): a real file, not deleted
 *   nlfile      DIR/new<newline>line
 *   fakeso      DIR/libfake.so.1: a data file, not an ELF library
 *   gone        DIR/gone, unlinked after mapping
 * With "thread" a second thread is started first (blocked in pause).
 * Then "ready", and it sleeps until stdin ends or 60 s pass.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static void
fail(const char *what)
{
	perror(what);
	exit(1);
}

static void
show(const char *name, const void *p)
{
	printf("%s %p\n", name, p);
}

/* Create DIR/NAME with one page of text and map it read-only. */
static void
map_file(const char *dir, const char *name, const char *label, int unlink_it)
{
	char path[4096], page[PAGE];
	void *p;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	memset(page, 'x', sizeof(page));
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, page, sizeof(page)) != (ssize_t)sizeof(page))
		fail(path);
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		fail("mmap file");
	close(fd);
	if (unlink_it && unlink(path) < 0)
		fail("unlink");
	show(label, p);
}

/* [gap][--- page][rw page][gap]: a no-access page below a rw one. */
static void
map_none_below_rw(void)
{
	char *p =
	    mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fail("mmap none");
	if (munmap(p, PAGE) < 0 || munmap(p + 3 * PAGE, PAGE) < 0 ||
	    mprotect(p + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE) < 0)
		fail("munmap/mprotect");
	p[2 * PAGE] = 1;
	show("none", p + PAGE);
	show("rw", p + 2 * PAGE);
}

static void *
idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t th;
	char *h, *s;

	if (argc < 2)
		return 2;
	if (argc > 2 && strcmp(argv[2], "thread") == 0 &&
	    pthread_create(&th, NULL, idle, NULL) != 0)
		fail("pthread_create");
	h = mmap(NULL, 2UL << 20, PROT_READ | PROT_WRITE,
	         MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (h == MAP_FAILED) {
		printf("hugetlb none\n");
	} else {
		h[0] = 1;
		show("hugetlb", h);
	}
	s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
	         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		fail("mmap shared");
	s[0] = 1;
	show("shared", s);
	map_none_below_rw();
	map_file(argv[1], "data file (deleted)", "dfile", 0);
	map_file(argv[1], "new\nline", "nlfile", 0);
	map_file(argv[1], "libfake.so.1", "fakeso", 0);
	map_file(argv[1], "gone", "gone", 1);
	printf("ready\n");
	fflush(stdout);
	(void)poll(&(struct pollfd){.fd = 0, .events = POLLIN}, 1, 60 * 1000);
	return 0;
}
