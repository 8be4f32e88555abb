/* test_maps.c: the /proc/PID/maps parser on crafted and live lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../tap.h"
#include "maps.h"

static int initialised_global = 42;

/* Parse a copy in a buffer of exactly len bytes, so ASan sees overreads. */
static int
parse(const char *s, size_t len, struct maps_entry *e, char **keep)
{
	char *copy = malloc(len ? len : 1);
	int r;

	memcpy(copy, s, len);
	r = maps_parse_line(copy, len, e);
	*keep = copy;
	return r;
}

static void
check_path(const struct maps_entry *e, const char *want)
{
	CHECK_INT(e->path_len, strlen(want));
	CHECK(e->path_len == strlen(want) &&
	      memcmp(e->path, want, e->path_len) == 0);
}

static void
test_plain(void)
{
	const char *l = "55d0c8a00000-55d0c8a02000 r-xp 00002000 fe:01 "
	                "1234567                    /usr/bin/cat\n";
	struct maps_entry e;
	char *k;

	CHECK_INT(parse(l, strlen(l), &e, &k), 0);
	CHECK(e.start == 0x55d0c8a00000UL);
	CHECK(e.end == 0x55d0c8a02000UL);
	CHECK_STR(e.perms, "r-xp");
	CHECK(e.offset == 0x2000);
	CHECK_INT(e.dev_major, 0xfe);
	CHECK_INT(e.dev_minor, 1);
	CHECK(e.inode == 1234567);
	CHECK_INT(e.deleted, 0);
	CHECK_INT(e.rss_kb, -1);
	check_path(&e, "/usr/bin/cat");
	free(k);
}

static void
test_anon_and_labels(void)
{
	const char *anon = "7f0000000000-7f0000001000 rw-p 00000000 00:00 0 ";
	const char *noanon = "7f0000000000-7f0000001000 ---p 00000000 00:00 0";
	const char *heap = "5555555a0000-5555555c1000 rw-p 00000000 00:00 0"
	                   "                          [heap]";
	const char *vsys = "ffffffffff600000-ffffffffff601000 --xp 00000000 "
	                   "00:00 0                  [vsyscall]";
	struct maps_entry e;
	char *k;

	CHECK_INT(parse(anon, strlen(anon), &e, &k), 0);
	CHECK_INT(e.path_len, 0);
	CHECK(maps_is_anon(&e));
	free(k);
	CHECK_INT(parse(noanon, strlen(noanon), &e, &k), 0);
	CHECK_STR(e.perms, "---p");
	CHECK_INT(e.path_len, 0);
	free(k);
	CHECK_INT(parse(heap, strlen(heap), &e, &k), 0);
	check_path(&e, "[heap]");
	CHECK(maps_is_anon(&e));
	free(k);
	CHECK_INT(parse(vsys, strlen(vsys), &e, &k), 0);
	CHECK(e.start == 0xffffffffff600000UL);
	check_path(&e, "[vsyscall]");
	free(k);
}

static void
test_spaces_deleted(void)
{
	const char *sp = "7f1000000000-7f1000001000 r--s 00000000 08:02 99"
	                 "   /tmp/my  file (1).dat\n";
	const char *del = "7f1000000000-7f1000001000 r--p 00001000 08:02 99"
	                  "   /tmp/a b (deleted)\n";
	const char *memfd = "7f1000000000-7f1000001000 rw-s 00000000 00:01 7"
	                    "   /memfd:x (deleted)";
	struct maps_entry e;
	char *k;

	CHECK_INT(parse(sp, strlen(sp), &e, &k), 0);
	check_path(&e, "/tmp/my  file (1).dat");
	CHECK_INT(e.deleted, 0);
	CHECK_STR(e.perms, "r--s");
	CHECK(!maps_is_anon(&e));
	free(k);
	CHECK_INT(parse(del, strlen(del), &e, &k), 0);
	check_path(&e, "/tmp/a b");
	CHECK_INT(e.deleted, 1);
	free(k);
	CHECK_INT(parse(memfd, strlen(memfd), &e, &k), 0);
	check_path(&e, "/memfd:x");
	CHECK_INT(e.deleted, 1);
	free(k);
}

static void
test_long_path(void)
{
	const char *head = "7f2000000000-7f2000010000 r-xp 00000000 08:02 5"
	                   "          ";
	size_t hl = strlen(head), pl = 4000, i;
	char *line = malloc(hl + pl + 12), *k;
	struct maps_entry e;

	memcpy(line, head, hl + 1);
	for (i = 0; i < pl; i++)
		line[hl + i] = i % 50 == 0 ? '/' : (i % 7 == 3 ? ' ' : 'x');
	memcpy(line + hl + pl, " (deleted)", 11); /* with its NUL */
	CHECK_INT(parse(line, hl + pl + 10, &e, &k), 0);
	CHECK_INT(e.path_len, pl);
	CHECK_INT(e.deleted, 1);
	CHECK(e.path[0] == '/');
	free(k);
	free(line);
}

static void
test_malformed(void)
{
	static const char *bad[] = {
	    "",
	    "\n",
	    "garbage",
	    "0-1",
	    "1000-0fff r-xp 0 0:0 0",              /* end before start */
	    "1000-2000 rwzp 0 0:0 0",              /* bad perms */
	    "1000-2000 r-xp 0 0:0",                /* no inode */
	    "1000-2000 r-xp 0 00 0",               /* no ':' in dev */
	    "1000-2000 r-xp 0 0:0 12x /a",         /* junk after inode */
	    "10000000000000000000-2 r-xp 0 0:0 0", /* overflow */
	    "1000 2000 r-xp 0 0:0 0",
	    "-2000 r-xp 0 0:0 0",
	    "Rss:   12 kB",
	};
	const char *good = "7f0000000000-7f0000001000 rw-p 00000000 00:00 0"
	                   "   /x y";
	struct maps_entry e;
	size_t i, ok = 0, len = strlen(good);
	char *k;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		CHECK(parse(bad[i], strlen(bad[i]), &e, &k) == -1 &&
		      errno == EINVAL);
		free(k);
	}
	/* Every prefix of a valid line: no crash, no read past the end. */
	for (i = 0; i <= len; i++) {
		if (parse(good, i, &e, &k) == 0)
			ok++;
		free(k);
	}
	/* only the prefixes that end at or after the inode parse */
	CHECK_INT(ok, 8); /* "0", three pads, "/", "/x", "/x ", "/x y" */
	CHECK_INT(maps_parse_line(NULL, 0, &e), -1);
}

/*
 * Random mutations of real-looking lines: the parser must never crash or
 * read past the end (ASan checks the exact-size copies), and whatever it
 * accepts must be self-consistent.
 */
static void
test_fuzz(void)
{
	static const char *seed = "7f0000000000-7f0000001000 r-xp 00001000 "
	                          "fe:01 1234   /usr/lib/x y (deleted)";
	static const char alphabet[] = "0123456789abcdef- :xprsw()[]/\n";
	size_t len = strlen(seed), i, k, accepted = 0, sane = 0;
	unsigned int r = 12345;
	struct maps_entry e;
	char line[128], *keep;

	for (i = 0; i < 20000; i++) {
		memcpy(line, seed, len);
		for (k = 0; k < 1 + i % 4; k++) {
			r = r * 1103515245u + 12345u;
			line[(r >> 8) % len] =
			    alphabet[(r >> 20) % (sizeof(alphabet) - 1)];
		}
		r = r * 1103515245u + 12345u;
		if (parse(line, (r >> 8) % (len + 1), &e, &keep) == 0) {
			accepted++;
			sane += e.start <= e.end && e.path_len < len;
		}
		free(keep);
	}
	CHECK(accepted > 0);
	CHECK_INT(sane, accepted);
}

static void
test_live(void)
{
	volatile int local = 1;
	struct maps m;
	long i;
	struct proc_handle h;

	CHECK_INT(proc_open(&h, 0), 0);
	CHECK_INT(maps_read(&h, &m), 0);
	CHECK(m.n > 5);
	i = maps_find(&m, (unsigned long)&test_live);
	CHECK(i >= 0 && m.v[i].perms[2] == 'x' && m.v[i].perms[1] == '-');
	i = maps_find(&m, (unsigned long)&initialised_global);
	CHECK(i >= 0 && m.v[i].perms[1] == 'w');
	i = maps_find(&m, (unsigned long)&local);
	CHECK(i >= 0 && m.v[i].perms[1] == 'w');
	CHECK_INT(maps_find(&m, 0), -1);
	CHECK_INT(maps_read_smaps(&h, &m), 0);
	i = maps_find(&m, (unsigned long)&local);
	CHECK(i >= 0 && m.v[i].rss_kb > 0 && m.v[i].pss_kb >= 0);
	maps_free(&m);
	maps_free(&m); /* twice is harmless */
	CHECK_INT(m.n, 0);
	proc_close(&h);

	errno = 0;
	CHECK(proc_open(&h, -1) == -1 && errno == ESRCH);
	errno = 0;
	CHECK(proc_open(&h, 2147483647) == -1 && errno == ENOENT);
}

/*
 * Start address of the last line of /proc/self/maps, read with plain
 * read(2) until it returns 0: an independent reader. 0 on failure.
 */
static unsigned long
last_start(void)
{
	static char buf[1 << 20];
	size_t len = 0;
	ssize_t r;
	char *line;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	while (len < sizeof(buf) - 1 &&
	       (r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	while (len > 0 && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	line = strrchr(buf, '\n');
	return strtoul(line ? line + 1 : buf, NULL, 16);
}

/*
 * A maps file of several pages: the kernel's seq_file hands it out a
 * page of whole lines per read(2), each read short of what was asked.
 * A reader that took a short read for the end would lose the lines
 * after the first page. (Counting all lines would not do: under ASan
 * the allocator adds mappings between two reads; the last line, the
 * stack or the vsyscall page, stays put.)
 */
static void
test_many_pages(void)
{
	enum { NMAP = 150 };
	long page = sysconf(_SC_PAGESIZE), idx;
	struct proc_handle h;
	struct maps m = {0};
	int i, wrong = 0;

	/* one page per slot; every other page made no-access, so that
	 * the kernel cannot merge neighbours into one line */
	char *area = mmap(NULL, (size_t)page * NMAP, PROT_READ | PROT_WRITE,
	                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(area != MAP_FAILED);
	if (area == MAP_FAILED)
		return;
	for (i = 0; i < NMAP; i += 2)
		mprotect(area + (size_t)i * (size_t)page, (size_t)page,
		         PROT_NONE);
	CHECK_INT(proc_open(&h, 0), 0);
	CHECK_INT(maps_read(&h, &m), 0);
	CHECK(m.n > NMAP); /* over 4 KiB of text: several reads */
	for (i = 0; i < NMAP; i++) {
		idx = maps_find(
		    &m, (unsigned long)(area + (size_t)i * (size_t)page));
		if (idx < 0 || m.v[idx].perms[0] != (i % 2 ? 'r' : '-'))
			wrong++;
	}
	CHECK_INT(wrong, 0);
	CHECK(m.n > 0 && m.v[m.n - 1].start == last_start());
	maps_free(&m);
	proc_close(&h);
	munmap(area, (size_t)page * NMAP);
}

int
main(void)
{
	test_plain();
	test_anon_and_labels();
	test_spaces_deleted();
	test_long_path();
	test_malformed();
	test_fuzz();
	test_live();
	test_many_pages();
	return tap_done();
}
