/* proc.c: reading /proc safely and cheaply (see proc.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc.h"
#include "util.h"

/*
 * Field readers for the kernel-written part of stat: numbers separated
 * by single spaces. Hand-written rather than sscanf, which was the
 * biggest user-space cost of a listing.
 */
static const char *
next_ll(const char *p, long long *v)
{
	unsigned long long x = 0;
	int neg = 0;

	while (*p == ' ')
		p++;
	if (*p == '-')
		neg = 1, p++;
	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9')
		x = x * 10 + (unsigned)(*p++ - '0');
	/*
	 * The kernel never writes a number this big, but a hostile or
	 * corrupt buffer can (the fuzzer found one): saturate instead of
	 * negating LLONG_MIN, which is undefined behaviour.
	 */
	if (x > (unsigned long long)LLONG_MAX)
		*v = neg ? LLONG_MIN : LLONG_MAX;
	else
		*v = neg ? -(long long)x : (long long)x;
	return p;
}

static const char *
next_ull(const char *p, unsigned long long *v)
{
	unsigned long long x = 0;

	while (*p == ' ')
		p++;
	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9')
		x = x * 10 + (unsigned)(*p++ - '0');
	*v = x;
	return p;
}

int
proc_parse_stat(const char *buf, struct proc_stat *st)
{
	const char *open, *close, *p;
	long long f[50]; /* f[3] is field 3 (state is f[3] as a char) */
	unsigned long long u = 0;
	size_t len;
	int i, n;

	memset(st, 0, sizeof(*st));
	open = strchr(buf, '(');
	/*
	 * WHY the last ')': the name is whatever the process wrote to
	 * /proc/self/comm, so "a) Z 1 (b" is a legal name. Everything after
	 * the last ')' was written by the kernel and can be trusted.
	 */
	close = strrchr(buf, ')');
	if (!open || !close || close < open || !next_ll(buf, &f[1]) ||
	    f[1] <= 0 || f[1] > 0x7fffffff)
		goto bad;
	st->pid = (int)f[1];
	len = (size_t)(close - open - 1);
	if (len >= sizeof(st->comm))
		len = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, len);
	st->comm[len] = '\0';
	if (close[1] != ' ' || !close[2] || close[3] != ' ')
		goto bad;
	st->state = close[2];
	p = close + 3;
	/* fields 4 .. 44; vsize (23) and the flags are unsigned */
	for (n = 4; n <= 44 && p && *p; n++) {
		if (n == 23 || n == 9 || (n >= 10 && n <= 15) || n == 22) {
			p = next_ull(p, &u);
			f[n] = (long long)u;
			if (n == 23)
				st->vsize = u;
			if (n == 22)
				st->starttime = u;
			if (n == 14)
				st->utime = u;
			if (n == 15)
				st->stime = u;
		} else {
			p = next_ll(p, &f[n]);
		}
	}
	if (!p || n <= 24) /* up to rss at least */
		goto bad;
	for (i = n; i < 50; i++)
		f[i] = 0;
	st->ppid = (int)f[4];
	st->pgrp = (int)f[5];
	st->session = (int)f[6];
	st->tty_nr = (int)f[7];
	st->tpgid = (int)f[8];
	st->flags = (unsigned int)f[9];
	st->cutime = f[16];
	st->cstime = f[17];
	st->priority = (long)f[18];
	st->nice = (long)f[19];
	st->num_threads = (long)f[20];
	st->rss = f[24];
	st->processor = (int)f[39];
	st->rt_priority = (unsigned int)f[40];
	st->policy = (unsigned int)f[41];
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

static void
ids(const char *p, unsigned int v[4])
{
	unsigned long long x;
	int i;

	for (i = 0; i < 4 && p; i++) {
		while (*p == '\t' || *p == ' ')
			p++;
		p = next_ull(p, &x);
		if (p)
			v[i] = (unsigned int)x;
	}
}

/* The value after "\nKEY" in a status text, or NULL. */
static const char *
field(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? p + strlen(key) : NULL;
}

int
proc_parse_status(const char *buf, struct proc_status *ps)
{
	const char *p;
	unsigned int v[4] = {0, 0, 0, 0};

	memset(ps, 0, sizeof(*ps));
	/* strstr per key: a few fast scans beat a line-by-line loop */
	if ((p = field(buf, "\nUid:"))) {
		ids(p, v);
		ps->ruid = v[0], ps->euid = v[1];
		ps->suid = v[2], ps->fsuid = v[3];
		ps->have_uid = 1;
	}
	if ((p = field(buf, "\nGid:"))) {
		ids(p, v);
		ps->rgid = v[0], ps->egid = v[1];
	}
	if ((p = field(buf, "\nVmLck:")))
		ps->vmlck_kb = strtol(p, NULL, 10);
	if ((p = field(buf, "\nVmRSS:")))
		ps->vmrss_kb = strtol(p, NULL, 10);
	if ((p = field(buf, "\nThreads:")))
		ps->threads = (int)strtol(p, NULL, 10);
	return 0;
}

int
proc_open(struct proc_handle *h, int pid)
{
	char path[32];

	h->nfds = 0;
	snprintf(path, sizeof(path), "/proc/%d", pid);
	h->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return h->dirfd < 0 ? -1 : 0;
}

int
proc_open_task(struct proc_handle *h, const struct proc_handle *proc, int tid)
{
	char path[32];

	h->nfds = 0;
	snprintf(path, sizeof(path), "task/%d", tid);
	h->dirfd =
	    openat(proc->dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return h->dirfd < 0 ? -1 : 0;
}

void
proc_close(struct proc_handle *h)
{
	int i, lo, hi, contiguous = 1;
	int saved = errno;

	if (h->dirfd < 0)
		return;
	lo = hi = h->dirfd;
	for (i = 0; i < h->nfds; i++) {
		if (h->fds[i] != hi + 1)
			contiguous = 0;
		hi = h->fds[i];
	}
	/*
	 * WHY close_range: the files were opened one after another, so
	 * their numbers are usually consecutive and one system call closes
	 * them all. If they are not (a hole was filled), close one by one:
	 * close_range over a gap would close someone else's descriptor.
	 */
	if (!contiguous || h->nfds == 0 ||
	    syscall(SYS_close_range, (unsigned)lo, (unsigned)hi, 0) != 0) {
		for (i = 0; i < h->nfds; i++)
			close(h->fds[i]);
		close(h->dirfd);
	}
	h->dirfd = -1;
	h->nfds = 0;
	errno = saved;
}

/* Open NAME through h and remember the descriptor for proc_close. */
static int
open_in(struct proc_handle *h, const char *name)
{
	int fd;

	if (h->nfds >= PROC_MAX_FILES) {
		errno = EMFILE;
		return -1;
	}
	fd = openat(h->dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		h->fds[h->nfds++] = fd;
	return fd;
}

static ssize_t
read_retry(int fd, char *buf, size_t n)
{
	ssize_t r;

	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR);
	return r;
}

int
proc_open_file(struct proc_handle *h, const char *name)
{
	return open_in(h, name);
}

ssize_t
proc_read_fd(int fd, char *buf, size_t size)
{
	ssize_t r;

	/*
	 * WHY one read: /proc files are generated whole on the first read
	 * when the buffer is large enough, so a read that returns less
	 * than asked is the end. Not asking again saves a system call per
	 * file. A full buffer means the file may be longer: EFBIG.
	 */
	r = read_retry(fd, buf, size - 1);
	if (r < 0)
		return -1;
	if ((size_t)r == size - 1) {
		errno = EFBIG;
		return -1;
	}
	buf[r] = '\0';
	return r;
}

ssize_t
proc_read(struct proc_handle *h, const char *name, char *buf, size_t size)
{
	int fd = open_in(h, name);

	return fd < 0 ? -1 : proc_read_fd(fd, buf, size);
}

ssize_t
proc_read_fd_alloc(int fd, size_t limit, char **out, int *cut)
{
	size_t len = 0, cap = 4096;
	char first[4096], *buf, *nb;
	ssize_t r;

	*out = NULL;
	*cut = 0;
	/* most command lines are short: read on the stack, keep an exact
	 * copy (a 4 KiB buffer per process would cost page faults) */
	r = read_retry(fd, first, sizeof(first) - 1);
	if (r < 0)
		return -1;
	len = (size_t)r;
	if (len + 1 < sizeof(first) && len <= limit) {
		if (!(buf = malloc(len + 1)))
			return -1;
		memcpy(buf, first, len);
		buf[len] = '\0';
		*out = buf;
		return (ssize_t)len;
	}
	if (!(buf = malloc(cap)))
		return -1;
	memcpy(buf, first, len);
	for (;;) {
		if (len + 1 == cap) {
			if (cap > limit) {
				*cut = 1;
				break;
			}
			if (!(nb = realloc(buf, cap * 2)))
				goto fail;
			buf = nb;
			cap *= 2;
		}
		r = read_retry(fd, buf + len, cap - 1 - len);
		if (r < 0)
			goto fail;
		len += (size_t)r;
		/*
		 * Past the first page, read to the end (r == 0): a seq_file
		 * in /proc may return less than asked before its end, one
		 * page of records at a time. Long files are rare, so the
		 * extra call costs nothing that shows.
		 */
		if (r == 0)
			break;
	}
	if (len > limit) {
		len = limit;
		*cut = 1;
	}
	buf[len] = '\0';
	*out = buf;
	return (ssize_t)len;
fail:
	free(buf);
	return -1;
}

ssize_t
proc_read_alloc(struct proc_handle *h, const char *name, size_t limit,
                char **out, int *cut)
{
	int fd = open_in(h, name);

	*out = NULL;
	*cut = 0;
	return fd < 0 ? -1 : proc_read_fd_alloc(fd, limit, out, cut);
}

int
proc_parse_stat_fd(int fd, struct proc_stat *st)
{
	char buf[1024];

	if (proc_read_fd(fd, buf, sizeof(buf)) < 0)
		return -1;
	return proc_parse_stat(buf, st);
}

int
proc_parse_status_fd(int fd, struct proc_status *ps)
{
	char buf[8192];

	if (proc_read_fd(fd, buf, sizeof(buf)) < 0)
		return -1;
	return proc_parse_status(buf, ps);
}

int
proc_owner(struct proc_handle *h, unsigned int *euid, unsigned int *egid)
{
	struct stat sb;

	if (fstat(h->dirfd, &sb) < 0)
		return -1;
	*euid = sb.st_uid;
	*egid = sb.st_gid;
	return 0;
}

int
proc_read_stat(struct proc_handle *h, struct proc_stat *st)
{
	int fd = open_in(h, "stat");

	return fd < 0 ? -1 : proc_parse_stat_fd(fd, st);
}

int
proc_read_status(struct proc_handle *h, struct proc_status *ps)
{
	int fd = open_in(h, "status");

	return fd < 0 ? -1 : proc_parse_status_fd(fd, ps);
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The numeric names in the directory open on fd (fd is consumed). */
static ssize_t
list_numeric(int fd, int **out)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	size_t n = 0, cap = 256;
	int *v, *nv, saved;

	*out = NULL;
	if (!d) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	if (!(v = malloc(cap * sizeof(*v))))
		goto fail;
	while ((errno = 0, e = readdir(d))) {
		char *end;
		long id;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		id = strtol(e->d_name, &end, 10);
		if (*end || id <= 0 || id > 0x7fffffff)
			continue;
		if (n == cap) {
			if (!(nv = realloc(v, 2 * cap * sizeof(*v))))
				goto fail;
			v = nv;
			cap *= 2;
		}
		v[n++] = (int)id;
	}
	if (errno)
		goto fail;
	closedir(d);
	qsort(v, n, sizeof(*v), cmp_int);
	*out = v;
	return (ssize_t)n;
fail:
	saved = errno;
	free(v);
	closedir(d);
	errno = saved;
	return -1;
}

ssize_t
proc_list_pids(int **out)
{
	int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		*out = NULL;
		return -1;
	}
	return list_numeric(fd, out);
}

ssize_t
proc_list_tasks(struct proc_handle *h, int **out)
{
	int fd = openat(h->dirfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		*out = NULL;
		return -1;
	}
	return list_numeric(fd, out);
}

/* Read a small system file into buf. Returns 0 or -1. */
static int
slurp(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read_retry(fd, buf, n - 1);
	close(fd);
	if (r < 0)
		return -1;
	buf[r] = '\0';
	return 0;
}

long long
proc_boot_time(void)
{
	char buf[16384]; /* /proc/stat grows with the CPU count */
	char *p;

	if (slurp("/proc/stat", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "\nbtime ");
	if (!p) {
		errno = EINVAL;
		return -1;
	}
	return strtoll(p + 7, NULL, 10);
}

double
proc_uptime(void)
{
	char buf[128];

	if (slurp("/proc/uptime", buf, sizeof(buf)) < 0)
		return -1;
	return strtod(buf, NULL);
}

long long
proc_mem_total_kb(void)
{
	char buf[512];
	char *p;

	if (slurp("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "MemTotal:");
	if (!p) {
		errno = EINVAL;
		return -1;
	}
	return strtoll(p + 9, NULL, 10);
}

long
proc_pid_max(void)
{
	char buf[64];

	if (slurp("/proc/sys/kernel/pid_max", buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 10);
}

char *
proc_tty_name(unsigned int dev, char *buf, size_t n)
{
	/* Linux's encoding of dev_t in 32 bits (include/linux/kdev_t.h) */
	unsigned int maj = (dev >> 8) & 0xfff;
	unsigned int min = (dev & 0xff) | ((dev >> 12) & 0xfff00);

	if (dev == 0)
		snprintf(buf, n, "?");
	else if (maj >= 136 && maj <= 143) /* Unix98 pseudo-terminals */
		snprintf(buf, n, "pts/%u", (maj - 136) * 256 + min);
	else if (maj == 4 && min < 64) /* virtual consoles */
		snprintf(buf, n, "tty%u", min);
	else if (maj == 4) /* serial ports */
		snprintf(buf, n, "ttyS%u", min - 64);
	else if (maj == 5 && min == 1)
		snprintf(buf, n, "console");
	else if (maj == 5 && min == 0)
		snprintf(buf, n, "tty");
	else
		snprintf(buf, n, "%u,%u", maj, min);
	return buf;
}

const char *
uid_cache_name(struct uid_cache *c, unsigned int uid)
{
	struct uid_entry *e;
	struct passwd *pw;
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (c->ent[i].uid == uid) {
			errno = 0;
			return c->ent[i].name;
		}
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;

		if (!(e = realloc(c->ent, cap * sizeof(*e)))) {
			errno = ENOMEM;
			return NULL;
		}
		c->ent = e;
		c->cap = cap;
	}
	c->lookups++;
	errno = 0;
	pw = getpwuid(uid);
	e = &c->ent[c->n];
	e->uid = uid;
	e->name = NULL;
	if (pw && !(e->name = strdup(pw->pw_name))) {
		errno = ENOMEM;
		return NULL;
	}
	c->n++;
	errno = 0;
	return e->name;
}

void
uid_cache_free(struct uid_cache *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->ent[i].name);
	free(c->ent);
	memset(c, 0, sizeof(*c));
}

/*
 * Why the path first and /proc/self/exe only second: under valgrind the
 * process's executable is valgrind's tool, so exec of /proc/self/exe
 * would start the tool with no program; readlink of it is translated
 * by valgrind to the program's own path. /proc/self/exe is the fallback
 * for a file that was deleted or renamed since it started.
 */
int
proc_exec_self(char *const argv[])
{
	char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	if (n > 0 && path[0] == '/') {
		path[n] = '\0';
		execv(path, argv);
	}
	execv("/proc/self/exe", argv);
	return -1;
}
