/*
 * procinfo.c: what the map alone cannot say, read from the process.
 * - Which file is the program: /proc/PID/exe names the file exec'd, but
 *   `/lib64/ld-linux-x86-64.so.2 /usr/bin/sleep 300` exec's the loader;
 *   the kernel's auxiliary vector (/proc/PID/auxv) holds AT_PHDR, the
 *   address where the program's own headers were mapped: the file
 *   mapped there is the program. Run as a command, the loader maps the
 *   program itself and rewrites AT_PHDR and AT_ENTRY in the copy of the
 *   vector on the process's stack (the one getauxval reads); the
 *   kernel's copy in /proc/PID/auxv still names the loader.
 * - Where the threads' stacks are: each thread's stack pointer, from
 *   /proc/PID/task/TID/syscall (or field 29 of its stat, which the
 *   kernel leaves 0 unless the thread is exiting or dumping core). A
 *   mapping holding a thread's stack pointer is that thread's stack;
 *   no guess needed.
 * - The real names of mapped files (maps_real_names).
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "memlayout.h"
#include "util.h"

#define STACK_WORDS 4096 /* argv, envp and auxv pointers: 32 KiB */

/* The value of auxv entry TYPE in n words of (type, value) pairs. */
static unsigned long
auxv_get(const unsigned long *v, size_t n, unsigned long type)
{
	size_t i;

	for (i = 0; i + 1 < n && v[i] != AT_NULL; i += 2)
		if (v[i] == type)
			return v[i + 1];
	return 0;
}

/* Field N (28 and up: numbers) of stat, counted after the last ')'.
 * 0 if it cannot be read. */
static unsigned long
stat_field(struct proc_handle *th, int n)
{
	char buf[1024], *p;
	int f;

	if (proc_read(th, "stat", buf, sizeof(buf)) < 0 ||
	    !(p = strrchr(buf, ')')))
		return 0;
	for (f = 2; f < n && p; f++)
		p = strchr(p + 1, ' ');
	return p ? strtoul(p + 1, NULL, 10) : 0;
}

/*
 * The vector on the stack: at the start of the stack (stat field 28)
 * come argc, argv[], NULL, envp[], NULL, then the (type, value) pairs.
 * Read through /proc/PID/mem (needs the right to ptrace the process).
 * Returns the number of words read into v, 0 if none.
 */
static size_t
stack_auxv(struct proc_handle *h, unsigned long *v)
{
	unsigned long start = stat_field(h, 28); /* startstack */
	size_t i, n, nul = 0;
	ssize_t r;
	int fd;

	if (!start || (fd = proc_open_file(h, "mem")) < 0)
		return 0;
	r = pread(fd, v, STACK_WORDS * sizeof(*v), (off_t)start);
	n = r > 0 ? (size_t)r / sizeof(*v) : 0;
	for (i = 1; i < n && nul < 2; i++) /* past argv's and envp's NULL */
		nul += v[i] == 0;
	if (nul < 2 || i >= n)
		return 0;
	memmove(v, v + i, (n - i) * sizeof(*v));
	return n - i;
}

/* The mapping holding addr is a file: its index, else -1. */
static long
file_at(const struct maps *m, unsigned long addr)
{
	long i = addr ? maps_find(m, addr) : -1;

	return i >= 0 && m->v[i].path[0] == '/' ? i : -1;
}

/*
 * AT_PHDR's mapping: from the stack's vector when the kernel's says the
 * program had no interpreter (AT_BASE 0: a static program, or the
 * loader run as a command) and the stack's AT_PHDR and AT_ENTRY lie in
 * one file, executable at AT_ENTRY; else from the kernel's.
 */
static long
program_mapping(struct proc_handle *h, const struct maps *m, const char **from)
{
	unsigned long k[2 * 64 + 1], *v;
	ssize_t n = proc_read(h, "auxv", (char *)k, sizeof(k));
	size_t nk = n > 0 ? (size_t)n / sizeof(k[0]) : 0, nv;
	long i = file_at(m, auxv_get(k, nk, AT_PHDR)), j, e;

	*from = "auxv";
	if (nk && auxv_get(k, nk, AT_BASE) == 0) {
		v = xmalloc(STACK_WORDS * sizeof(*v));
		nv = stack_auxv(h, v);
		j = file_at(m, auxv_get(v, nv, AT_PHDR));
		e = file_at(m, auxv_get(v, nv, AT_ENTRY));
		if (j >= 0 && j != i && e >= 0 && m->v[e].perms[2] == 'x' &&
		    strcmp(m->v[j].path, m->v[e].path) == 0) {
			i = j;
			*from = "stack auxv";
		}
		free(v);
	}
	return i;
}

/* A file name containing ".so" (libc.so.6): only a guess, used when
 * the program cannot be found from auxv or exe (under valgrind). */
static int
named_like_library(const char *path)
{
	const char *base = strrchr(path, '/');

	return strstr(base ? base : path, ".so") != NULL;
}

/*
 * Why valgrind's tool is not believed: a program run under valgrind has
 * valgrind's tool (.../valgrind/memcheck-amd64-linux) as its
 * /proc/PID/exe and in its kernel auxv, and the tool is mapped too, far
 * from the program. The program's own file is then the first file
 * mapped at offset 0 that is not named like a library.
 */
static void
find_program(struct proc_handle *h, const struct maps *m, struct procinfo *pi)
{
	const char *from;
	long i = program_mapping(h, m, &from);
	size_t k;

	if (i >= 0) {
		snprintf(pi->program, sizeof(pi->program), "%s", m->v[i].path);
		pi->program_from = from;
	} else {
		exe_path(h->dirfd, pi->program, sizeof(pi->program));
		pi->program_from = "exe";
	}
	if (*pi->program && !strstr(pi->program, "/valgrind/"))
		return;
	pi->program[0] = '\0';
	pi->program_from = "guessed";
	for (k = 0; k < m->n; k++)
		if (m->v[k].path[0] == '/' && m->v[k].offset == 0 &&
		    !named_like_library(m->v[k].path)) {
			snprintf(pi->program, sizeof(pi->program), "%s",
			         m->v[k].path);
			return;
		}
}

/* The stack pointer in task/TID/syscall: "NR args... SP PC" while in a
 * system call, "-1 SP PC" when blocked outside one, "running" (none)
 * while it runs. Returns 0 if none. */
static unsigned long
sp_from_syscall(const char *buf)
{
	const char *tok[9];
	const char *p = buf;
	size_t n = 0;

	while (*p && n < LEN(tok)) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		tok[n++] = p;
		while (*p && *p != ' ' && *p != '\n')
			p++;
	}
	if (n < 3 || !str_starts(tok[n - 2], "0x"))
		return 0;
	return strtoul(tok[n - 2], NULL, 16);
}

/*
 * One task's stack pointer, or 0. A task that is running has none to
 * show: ask again, up to 20 times 1 ms, so that a thread caught on its
 * way into a wait (memlayout's own second thread, just after it said
 * it is ready) is seen once it blocks. A thread that keeps running
 * costs 20 ms.
 */
static unsigned long
task_sp(struct proc_handle *th)
{
	char buf[512];
	unsigned long sp = 0;
	int try;

	for (try = 0; try < 20; try++) {
		if (proc_read(th, "syscall", buf, sizeof(buf)) <= 0)
			break;
		sp = sp_from_syscall(buf);
		if (sp || !str_starts(buf, "running"))
			break;
		usleep(1000);
	}
	return sp ? sp : stat_field(th, 29); /* kstkesp */
}

static void
read_stack_pointers(struct proc_handle *h, struct procinfo *pi)
{
	struct proc_handle th;
	unsigned long sp;
	int *tid = NULL;
	ssize_t n = proc_list_tasks(h, &tid), i;

	pi->sp_all = n > 0;
	pi->sp = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*pi->sp));
	for (i = 0; i < n; i++) {
		sp = 0;
		if (proc_open_task(&th, h, tid[i]) == 0) {
			sp = task_sp(&th);
			proc_close(&th);
		}
		if (sp)
			pi->sp[pi->nsp++] = sp;
		else
			pi->sp_all = 0;
	}
	free(tid);
}

void
procinfo_read(struct proc_handle *h, const struct maps *m, struct procinfo *pi)
{
	struct proc_stat st;

	struct proc_handle th;
	int ok;

	memset(pi, 0, sizeof(*pi));
	pi->dirfd = h->dirfd;
	ok = proc_read_stat(h, &st) == 0;
	pi->state = ok ? st.state : '?';
	/* the main thread's folder has auxv, stat and mem too: reading them
	 * there keeps h's few file slots free */
	if (ok && proc_open_task(&th, h, st.pid) == 0) {
		find_program(&th, m, pi);
		proc_close(&th);
	} else {
		find_program(h, m, pi);
	}
	/* under valgrind a thread's stack pointer is valgrind's own, not
	 * the one the program's code uses */
	if (!under_valgrind(m))
		read_stack_pointers(h, pi);
}

void
procinfo_free(struct procinfo *pi)
{
	free(pi->sp);
	pi->sp = NULL;
	pi->nsp = 0;
}

const char *
procinfo_note(const struct procinfo *pi)
{
	if (pi->sp_all)
		return NULL;
	return "note: thread stacks found by their neighbours (rw above a "
	       "small no-access page),\n      not from the threads' stack "
	       "pointers (not all could be read)";
}

/* The kernel writes '\n' in a maps path as "\012" (octal): decode. */
static void
decode_octal(struct maps_entry *e)
{
	char *r = e->path, *w = e->path, *end = e->path + e->path_len;

	while (r < end) {
		if (r + 3 < end && r[0] == '\\' && r[1] >= '0' && r[1] <= '3' &&
		    r[2] >= '0' && r[2] <= '7' && r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 +
			              (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	e->path_len = (size_t)(w - e->path);
}

static void
set_path(struct maps_entry *e, const char *p, size_t n)
{
	free(e->path);
	e->path = xmalloc(n + 1);
	memcpy(e->path, p, n);
	e->path[n] = '\0';
	e->path_len = n;
}

/*
 * Where map_files can be read (root, CAP_SYS_ADMIN), its link is the
 * exact name, bytes as they are, " (deleted)" after an unlinked file.
 */
static int
name_from_map_files(int dirfd, struct maps_entry *e)
{
	static const char del[] = " (deleted)";
	char name[64], link[8192];
	ssize_t n;

	snprintf(name, sizeof(name), "map_files/%lx-%lx", e->start, e->end);
	n = readlinkat(dirfd, name, link, sizeof(link));
	if (n <= 0 || n == (ssize_t)sizeof(link))
		return -1;
	if (e->deleted && (size_t)n >= sizeof(del) - 1 &&
	    memcmp(link + n - (sizeof(del) - 1), del, sizeof(del) - 1) == 0)
		n -= (ssize_t)(sizeof(del) - 1);
	set_path(e, link, (size_t)n);
	return 0;
}

/*
 * " (deleted)" is also a name a file can have. If the process can still
 * reach a file by the whole name, suffix included, with the mapping's
 * inode (looked up under the process's own root, /proc/PID/root), the
 * suffix is part of its name and the file is not deleted.
 */
static void
undelete_by_name(int dirfd, struct maps_entry *e)
{
	static const char del[] = " (deleted)";
	size_t n = e->path_len + sizeof(del) + 4;
	char *full = xmalloc(n);
	struct stat st;

	snprintf(full, n, "root%s%s", e->path, del);
	if (fstatat(dirfd, full, &st, 0) == 0 && st.st_ino == e->inode) {
		e->deleted = 0;
		set_path(e, full + 4, strlen(full + 4));
	}
	free(full);
}

void
maps_real_names(int dirfd, struct maps *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		struct maps_entry *e = &m->v[i];

		if (e->path[0] != '/')
			continue;
		if (memchr(e->path, '\\', e->path_len) &&
		    name_from_map_files(dirfd, e) < 0)
			decode_octal(e);
		if (e->deleted)
			undelete_by_name(dirfd, e);
	}
}
