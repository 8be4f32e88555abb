/*
 * proc.c: opening /proc/PID and reading its files safely and cheaply
 * (see proc.h): the one opener and the one whole-file reader of lib/.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc.h"

int
proc_open(struct proc_handle *h, int pid)
{
	char path[32];

	h->nfds = 0;
	h->dirfd = -1;
	if (pid < 0) {
		errno = ESRCH;
		return -1;
	}
	if (pid == 0)
		snprintf(path, sizeof(path), "/proc/self");
	else
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

/*
 * ThreadSanitizer follows descriptors through the calls it intercepts;
 * close_range, made through syscall(), is not one of them, so a number
 * closed that way and opened again by another thread would look to it
 * like a race. Its builds close one by one.
 */
#if defined(__SANITIZE_THREAD__)
#define CLOSE_RANGE_OK 0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CLOSE_RANGE_OK 0
#endif
#endif
#ifndef CLOSE_RANGE_OK
#define CLOSE_RANGE_OK 1
#endif

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
	if (!CLOSE_RANGE_OK || !contiguous || h->nfds == 0 ||
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
proc_read_fd_alloc(int fd, size_t limit, enum proc_end end, char **out,
                   int *cut)
{
	size_t len = 0, cap = 4096;
	char first[4096], *buf, *nb;
	ssize_t r;

	*out = NULL;
	*cut = 0;
	/* most command lines are short: read on the stack, keep an exact
	 * copy (a 4 KiB buffer per process would cost page faults). A
	 * short first read is the whole file only for PROC_ONE_READ. */
	r = read_retry(fd, first, sizeof(first) - 1);
	if (r < 0)
		return -1;
	len = (size_t)r;
	if (len + 1 < sizeof(first) && len <= limit &&
	    (end == PROC_ONE_READ || r == 0)) {
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
		 * Past the first page (or for a PROC_TO_EOF file), read to
		 * the end (r == 0): a seq_file in /proc may return less than
		 * asked before its end, one page of records at a time. Long
		 * files are rare, so the extra call costs nothing that shows.
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
                enum proc_end end, char **out, int *cut)
{
	int fd = open_in(h, name);

	*out = NULL;
	*cut = 0;
	return fd < 0 ? -1 : proc_read_fd_alloc(fd, limit, end, out, cut);
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

/* The longest system file read here (/proc/stat grows with the CPUs). */
#define SYS_FILE_MAX (1u << 20)

/*
 * All of a system-wide /proc file (not one process's: those go through
 * a proc_handle) as text from malloc; the caller frees it. Returns NULL
 * with errno.
 */
static char *
read_sys_to(const char *path, enum proc_end end)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), cut, saved;
	char *text;
	ssize_t r;

	if (fd < 0)
		return NULL;
	r = proc_read_fd_alloc(fd, SYS_FILE_MAX, end, &text, &cut);
	saved = errno;
	close(fd);
	errno = saved;
	return r < 0 ? NULL : text;
}

static char *
read_sys(const char *path)
{
	return read_sys_to(path, PROC_ONE_READ);
}

/* The number after KEY in the system file PATH, or -1 with errno. */
static long long
sys_value(const char *path, const char *key)
{
	char *text = read_sys(path), *p;
	long long v = -1;

	if (!text)
		return -1;
	p = *key ? strstr(text, key) : text;
	if (p)
		v = strtoll(p + strlen(key), NULL, 10);
	else
		errno = EINVAL;
	free(text);
	return v;
}

long long
proc_boot_time(void)
{
	return sys_value("/proc/stat", "\nbtime ");
}

double
proc_uptime(void)
{
	char *text = read_sys("/proc/uptime");
	double v;

	if (!text)
		return -1;
	v = strtod(text, NULL);
	free(text);
	return v;
}

long long
proc_mem_total_kb(void)
{
	return sys_value("/proc/meminfo", "MemTotal:");
}

long long
proc_sys_value(const char *path, const char *key)
{
	return sys_value(path, key);
}

long
proc_slab_objsize(const char *name)
{
	/* slabinfo is a seq_file of many lines: read to the end */
	char *text = read_sys_to("/proc/slabinfo", PROC_TO_EOF), *p;
	size_t len = strlen(name);
	long v = -1;

	if (!text)
		return -1;
	for (p = text; p; p = strchr(p + 1, '\n')) {
		const char *line = *p == '\n' ? p + 1 : p;
		char *end;

		if (strncmp(line, name, len) != 0 || line[len] != ' ')
			continue;
		/* name active_objs num_objs objsize ... */
		strtol(line + len, &end, 10);
		strtol(end, &end, 10);
		v = strtol(end, NULL, 10);
		break;
	}
	if (v < 0)
		errno = ENOENT;
	free(text);
	return v;
}

long
proc_pid_max(void)
{
	return (long)sys_value("/proc/sys/kernel/pid_max", "");
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
