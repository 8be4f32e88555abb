/* proc.c: reading /proc safely and cheaply (see proc.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc.h"
#include "util.h"

int
proc_parse_stat(const char *buf, struct proc_stat *st)
{
	const char *open, *close;
	size_t len;
	int n;

	memset(st, 0, sizeof(*st));
	open = strchr(buf, '(');
	/*
	 * WHY the last ')': the name is whatever the process wrote to
	 * /proc/self/comm, so "a) Z 1 (b" is a legal name. Everything after
	 * the last ')' was written by the kernel and can be trusted.
	 */
	close = strrchr(buf, ')');
	if (!open || !close || close < open)
		goto bad;
	if (sscanf(buf, "%d", &st->pid) != 1)
		goto bad;
	len = (size_t)(close - open - 1);
	if (len >= sizeof(st->comm))
		len = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, len);
	st->comm[len] = '\0';
	n = sscanf(close + 1,
	           " %c %d %d %d %d %d %u %*u %*u %*u %*u %llu %llu %lld %lld"
	           " %ld %ld %ld %*d %llu %llu %lld %*u %*u %*u %*u %*u %*u"
	           " %*u %*u %*u %*u %*u %*u %*u %*d %d %u %u",
	           &st->state, &st->ppid, &st->pgrp, &st->session, &st->tty_nr,
	           &st->tpgid, &st->flags, &st->utime, &st->stime, &st->cutime,
	           &st->cstime, &st->priority, &st->nice, &st->num_threads,
	           &st->starttime, &st->vsize, &st->rss, &st->processor,
	           &st->rt_priority, &st->policy);
	if (n < 17) /* up to rss: older kernels may end early after */
		goto bad;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

static void
ids(const char *p, unsigned int v[4])
{
	sscanf(p, "%u %u %u %u", &v[0], &v[1], &v[2], &v[3]);
}

int
proc_parse_status(const char *buf, struct proc_status *ps)
{
	const char *p;
	unsigned int v[4];

	memset(ps, 0, sizeof(*ps));
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		memset(v, 0, sizeof(v));
		if (str_starts(p, "Uid:")) {
			ids(p + 4, v);
			ps->ruid = v[0], ps->euid = v[1];
			ps->suid = v[2], ps->fsuid = v[3];
			ps->have_uid = 1;
		} else if (str_starts(p, "Gid:")) {
			ids(p + 4, v);
			ps->rgid = v[0], ps->egid = v[1];
		} else if (str_starts(p, "VmLck:")) {
			ps->vmlck_kb = strtol(p + 6, NULL, 10);
		} else if (str_starts(p, "VmRSS:")) {
			ps->vmrss_kb = strtol(p + 6, NULL, 10);
		} else if (str_starts(p, "Threads:")) {
			ps->threads = (int)strtol(p + 8, NULL, 10);
		}
	}
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

ssize_t
proc_read(struct proc_handle *h, const char *name, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t r;
	int fd = open_in(h, name);

	if (fd < 0)
		return -1;
	/*
	 * WHY a short read ends the loop: /proc files are generated whole
	 * on the first read when the buffer is large enough, so a read that
	 * returns less than asked is the end. Not asking again saves one
	 * system call per file.
	 */
	r = read_retry(fd, buf, size - 1);
	if (r < 0)
		return -1;
	if ((size_t)r == size - 1) {
		errno = EFBIG;
		return -1;
	}
	len = (size_t)r;
	buf[len] = '\0';
	return (ssize_t)len;
}

ssize_t
proc_read_alloc(struct proc_handle *h, const char *name, size_t limit,
                char **out, int *cut)
{
	size_t len = 0, cap = 4096;
	char *buf, *nb;
	ssize_t r;
	int fd = open_in(h, name);

	*out = NULL;
	*cut = 0;
	if (fd < 0)
		return -1;
	if (!(buf = malloc(cap)))
		return -1;
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
		/* as in proc_read: a short read is the end of the file */
		if (r == 0 || len + 1 < cap)
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

int
proc_read_stat(struct proc_handle *h, struct proc_stat *st)
{
	char buf[1024];

	if (proc_read(h, "stat", buf, sizeof(buf)) < 0)
		return -1;
	return proc_parse_stat(buf, st);
}

int
proc_read_status(struct proc_handle *h, struct proc_status *ps)
{
	char buf[8192];

	if (proc_read(h, "status", buf, sizeof(buf)) < 0)
		return -1;
	return proc_parse_status(buf, ps);
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
