/* classify.c: which segment a maps line is, and what lives there. */
#include <string.h>
#include <unistd.h>

#include "memlayout.h"
#include "term.h"
#include "util.h"

#define MAX_GUARD (1UL << 20)

static const struct {
	const char *name, *color, *note;
} segs[SEG_COUNT] = {
    [SEG_CODE] = {"code", TERM_RED,
                  "machine code of the program; r-x: runs, cannot be "
                  "written, shared by every process of the program"},
    [SEG_RODATA] = {"rodata", TERM_MAGENTA,
                    "string literals and const globals; read-only, so a "
                    "write faults"},
    [SEG_DATA] = {"data", TERM_YELLOW,
                  "initialised globals and static locals; rw, private "
                  "copy-on-write of the file"},
    [SEG_BSS] = {"bss", TERM_YELLOW,
                 "uninitialised and zero globals; the kernel hands out "
                 "zero pages, nothing stored in the file"},
    [SEG_HEAP] = {"heap", TERM_GREEN,
                  "malloc's small blocks; grows up as the program break "
                  "(brk) moves"},
    [SEG_MMAP] = {"mmap", TERM_GREEN,
                  "anonymous mappings: large malloc blocks (above the "
                  "mmap threshold), malloc arenas of threads"},
    [SEG_STACK] = {"stack", TERM_BLUE,
                   "main thread: locals, return addresses, argv and the "
                   "environment; grows down"},
    [SEG_THREAD_STACK] = {"thread stack", TERM_CYAN,
                          "a thread's own stack (mmap'd by pthread_create); "
                          "not shared"},
    [SEG_GUARD] = {"guard", TERM_DIM,
                   "no access at all: a thread running off its stack "
                   "faults here instead of corrupting memory"},
    [SEG_RESERVED] = {"reserved", TERM_DIM,
                      "address space reserved with no access (e.g. "
                      "the unused part of a malloc arena)"},
    [SEG_LIBRARY] = {"library", TERM_MAGENTA,
                     "a shared library (libc, ld.so): its own code, "
                     "rodata, data and bss"},
    [SEG_FILE] = {"file", TERM_MAGENTA, "a file mapped with mmap"},
    [SEG_VDSO] = {"vdso", TERM_DIM,
                  "kernel code mapped in every process for fast "
                  "system calls (gettimeofday)"},
    [SEG_VVAR] = {"vvar", TERM_DIM,
                  "kernel data read by the vdso (clock values)"},
    [SEG_VSYSCALL] = {"vsyscall", TERM_DIM,
                      "legacy fixed-address system call page"},
    [SEG_OTHER] = {"other", TERM_DIM, "a special mapping"},
};

const char *
seg_name(enum seg s)
{
	return s < SEG_COUNT ? segs[s].name : "?";
}

const char *
seg_note(enum seg s)
{
	return s < SEG_COUNT ? segs[s].note : "";
}

const char *
seg_color(enum seg s)
{
	return s < SEG_COUNT ? segs[s].color : TERM_DIM;
}

void
exe_path(int dirfd, char *buf, size_t n)
{
	static const char del[] = " (deleted)";
	ssize_t r = readlinkat(dirfd, "exe", buf, n - 1);
	size_t len;

	if (r < 0) {
		buf[0] = '\0';
		return;
	}
	buf[r] = '\0';
	len = (size_t)r;
	if (len > sizeof(del) - 1 &&
	    strcmp(buf + len - (sizeof(del) - 1), del) == 0)
		buf[len - (sizeof(del) - 1)] = '\0';
}

static int
path_is(const struct maps_entry *e, const char *s)
{
	return e->path_len == strlen(s) && memcmp(e->path, s, e->path_len) == 0;
}

/* A shared object: the file name contains ".so" (libc.so.6, ld-*.so.2). */
static int
is_library(const struct maps_entry *e)
{
	const char *base = strrchr(e->path, '/');

	return strstr(base ? base : e->path, ".so") != NULL;
}

static enum seg
classify_label(const struct maps_entry *e)
{
	if (path_is(e, "[heap]"))
		return SEG_HEAP;
	if (path_is(e, "[stack]"))
		return SEG_STACK;
	if (path_is(e, "[vdso]"))
		return SEG_VDSO;
	if (path_is(e, "[vvar]") || path_is(e, "[vvar_vclock]"))
		return SEG_VVAR;
	if (path_is(e, "[vsyscall]"))
		return SEG_VSYSCALL;
	if (str_starts(e->path, "[anon:"))
		return SEG_MMAP;
	return SEG_OTHER;
}

static int
adjacent_anon(const struct maps *m, size_t i, size_t j)
{
	return j < m->n && m->v[j].path_len == 0 &&
	       (j > i ? m->v[i].end == m->v[j].start
	              : m->v[j].end == m->v[i].start);
}

/*
 * An anonymous mapping. Recognised by its neighbours, because the kernel
 * gives anonymous memory no name:
 * - rw right after the program's rw file mapping: the BSS tail (the part
 *   of .bss that did not fit in the last file page);
 * - rw right above a small no-access mapping: a thread stack over its guard
 *   (a malloc arena is the other way round: rw below its reserve);
 * - no access right below such an rw: the guard page.
 */
/* A guard is small: a page or a few (pthread_attr_setguardsize). A huge
 * no-access mapping is reserved address space (a sanitizer's, malloc's). */
static int
is_guard(const struct maps_entry *e)
{
	return strncmp(e->perms, "---", 3) == 0 &&
	       e->end - e->start <= MAX_GUARD;
}

static enum seg
classify_anon(const struct maps *m, const enum seg *seg, size_t i)
{
	const struct maps_entry *e = &m->v[i];
	int rw = e->perms[0] == 'r' && e->perms[1] == 'w';
	int none = strncmp(e->perms, "---", 3) == 0;

	if (rw && i > 0 && m->v[i - 1].end == e->start &&
	    m->v[i - 1].path_len > 0) {
		if (seg[i - 1] == SEG_DATA)
			return SEG_BSS;
		if (seg[i - 1] == SEG_LIBRARY)
			return SEG_LIBRARY;
	}
	if (rw && i > 0 && adjacent_anon(m, i, i - 1) && is_guard(&m->v[i - 1]))
		return SEG_THREAD_STACK;
	if (none && is_guard(e) && adjacent_anon(m, i, i + 1) &&
	    strncmp(m->v[i + 1].perms, "rw", 2) == 0)
		return SEG_GUARD;
	return none ? SEG_RESERVED : SEG_MMAP;
}

/* First file mapped at offset 0 that is not a library: the program. */
static const char *
guess_exe(const struct maps *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->v[i].path[0] == '/' && m->v[i].offset == 0 &&
		    !is_library(&m->v[i]))
			return m->v[i].path;
	return "";
}

/*
 * Why valgrind's tool is not believed: a program run under valgrind has
 * valgrind's tool (.../valgrind/memcheck-amd64-linux) as its
 * /proc/PID/exe, and the tool is mapped too, far from the program. The
 * program's own file is then the one to find, as when exe is unknown.
 */
static int
is_valgrind_tool(const char *exe)
{
	return strstr(exe, "/valgrind/") != NULL;
}

void
classify(const struct maps *m, const char *exe, enum seg *seg)
{
	const struct maps_entry *e;
	size_t i;

	if (!exe || !*exe || is_valgrind_tool(exe))
		exe = guess_exe(m);
	for (i = 0; i < m->n; i++) {
		e = &m->v[i];
		if (e->path_len == 0)
			seg[i] = classify_anon(m, seg, i);
		else if (e->path[0] == '[')
			seg[i] = classify_label(e);
		else if (*exe && path_is(e, exe))
			seg[i] = e->perms[2] == 'x'   ? SEG_CODE
			         : e->perms[1] == 'w' ? SEG_DATA
			                              : SEG_RODATA;
		else if (is_library(e))
			seg[i] = SEG_LIBRARY;
		else
			seg[i] = SEG_FILE;
	}
}

void
format_entry(const struct maps_entry *e, char *buf, size_t n)
{
	snprintf(buf, n, "%lx-%lx %s %s%s", e->start, e->end, e->perms,
	         e->path_len ? e->path : "(anonymous)",
	         e->deleted ? " (deleted)" : "");
}

void
format_size(unsigned long long b, char *buf, size_t n)
{
	static const char *unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
	double v = (double)b;
	size_t u = 0;

	while (v >= 1024 && u + 1 < LEN(unit)) {
		v /= 1024;
		u++;
	}
	if (v == (double)(unsigned long long)v)
		snprintf(buf, n, "%llu %s", (unsigned long long)v, unit[u]);
	else
		snprintf(buf, n, "%.1f %s", v, unit[u]);
}
