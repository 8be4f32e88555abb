/* classify.c: which segment a maps line is, and what lives there. */
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
    [SEG_HEADERS] = {"headers", TERM_MAGENTA,
                     "ELF headers, dynamic-link tables (.dynsym, .dynstr, "
                     ".rela): read by ld.so, read-only"},
    [SEG_RODATA] = {"rodata", TERM_MAGENTA,
                    "string literals and const globals; read-only, so a "
                    "write faults"},
    [SEG_RELRO] = {"relro", TERM_MAGENTA,
                   "RELRO: GOT, relocated constants (.got, .data.rel.ro, "
                   ".dynamic); written by ld.so, then made read-only"},
    [SEG_DATA] = {"data", TERM_YELLOW,
                  "initialised globals and static locals; rw, private "
                  "copy-on-write of the file"},
    [SEG_BSS] = {"bss", TERM_YELLOW,
                 "uninitialised and zero globals and statics; zero "
                 "pages, nothing stored in the file"},
    [SEG_HEAP] = {"heap", TERM_GREEN,
                  "malloc's small blocks; grows up as the program break "
                  "(brk) moves"},
    [SEG_MMAP] = {"mmap", TERM_GREEN,
                  "anonymous mappings: large malloc blocks (above the "
                  "mmap threshold), malloc arenas of threads"},
    [SEG_SHARED_ANON] = {"shared anon", TERM_GREEN,
                         "MAP_SHARED|MAP_ANONYMOUS: memory shared with "
                         "children after fork (shown as /dev/zero)"},
    [SEG_HUGETLB] = {"hugetlb", TERM_GREEN,
                     "MAP_HUGETLB: memory in huge pages (2 MiB), counted "
                     "in smaps *_Hugetlb, not Rss"},
    [SEG_STACK] = {"stack", TERM_BLUE,
                   "main thread: locals, return addresses, argv and the "
                   "environment; grows down"},
    [SEG_THREAD_STACK] = {"thread stack", TERM_CYAN,
                          "a thread's own stack (mmap'd by pthread_create); "
                          "private by convention only"},
    [SEG_GUARD] = {"guard", TERM_DIM,
                   "no access at all: a thread running off its stack "
                   "faults here, unless one frame jumps past it"},
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

/* A guard is small: a page or a few (pthread_attr_setguardsize). A huge
 * no-access mapping is reserved address space (a sanitizer's, malloc's). */
static int
is_guard(const struct maps_entry *e)
{
	return strncmp(e->perms, "---", 3) == 0 &&
	       e->end - e->start <= MAX_GUARD;
}

/* Does a thread's stack pointer lie in e? */
static int
holds_sp(const struct procinfo *pi, const struct maps_entry *e)
{
	size_t k;

	for (k = 0; k < pi->nsp; k++)
		if (pi->sp[k] >= e->start && pi->sp[k] < e->end)
			return 1;
	return 0;
}

/*
 * Is anonymous mapping i a thread's stack? A mapping that holds a
 * thread's stack pointer is one. Only when some thread's stack pointer
 * could not be read are the neighbours believed: rw right above a small
 * no-access mapping (a malloc arena is the other way round: rw below its
 * reserve); procinfo_note() then says so.
 */
static int
is_thread_stack(const struct maps *m, const struct procinfo *pi, size_t i)
{
	const struct maps_entry *e = &m->v[i];

	if (!(e->perms[0] == 'r' && e->perms[1] == 'w'))
		return 0;
	if (holds_sp(pi, e))
		return 1;
	return !pi->sp_all && i > 0 && adjacent_anon(m, i, i - 1) &&
	       is_guard(&m->v[i - 1]);
}

/*
 * An anonymous mapping. The kernel gives anonymous memory no name, so
 * it is recognised by its neighbours and by the threads:
 * - rw right after the program's rw file mapping: the BSS tail (the part
 *   of .bss that did not fit in the last file page); after a library's,
 *   that library's;
 * - rw holding a thread's stack pointer: a thread stack;
 * - no access right below a thread stack: its guard page.
 */
static enum seg
classify_anon(const struct maps *m, const struct procinfo *pi,
              const enum seg *seg, size_t i)
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
	if (is_thread_stack(m, pi, i))
		return SEG_THREAD_STACK;
	if (none && is_guard(e) && adjacent_anon(m, i, i + 1) &&
	    is_thread_stack(m, pi, i + 1))
		return SEG_GUARD;
	return none ? SEG_RESERVED : SEG_MMAP;
}

/*
 * Open the file behind mapping e: through /proc/PID/map_files where we
 * may (it reaches even a deleted file), else by its name under the
 * process's root, checked to be the same inode. -1 if neither works.
 */
static int
open_mapped(int dirfd, const struct maps_entry *e)
{
	char name[64];
	struct stat st;
	char *root;
	size_t n;
	int fd;

	snprintf(name, sizeof(name), "map_files/%lx-%lx", e->start, e->end);
	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC)) >= 0)
		return fd;
	n = e->path_len + 5;
	root = xmalloc(n);
	snprintf(root, n, "root%s", e->path);
	fd = openat(dirfd, root, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	free(root);
	if (fd >= 0 && (fstat(fd, &st) < 0 || st.st_ino != e->inode)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The ELF facts of e's file, -1 if it cannot be read (ei zeroed). */
static int
file_elf(const struct procinfo *pi, const struct maps_entry *e,
         struct elf_info *ei, int sections)
{
	int fd = pi->dirfd >= 0 ? open_mapped(pi->dirfd, e) : -1;
	int r = fd >= 0 ? 0 : -1;

	memset(ei, 0, sizeof(*ei));
	if (fd >= 0) {
		elf_read(fd, ei, sections);
		close(fd);
	}
	return r;
}

static int
overlaps(unsigned long a, unsigned long alen, unsigned long b,
         unsigned long blen)
{
	return blen && a < b + blen && b < a + alen;
}

/*
 * A read-only mapping of the program. The linker puts the ELF header and
 * the tables ld.so reads (.dynsym, .dynstr, .rela) in the first PT_LOAD
 * segment, read-only, before the code (a page or a few);
 * the RELRO part of the data (.got, .data.rel.ro, .dynamic) is written
 * by ld.so at start-up and then made read-only (mprotect): its range
 * is PT_GNU_RELRO. Link-time addresses are the run-time ones minus the
 * load bias (0 for a -no-pie program).
 */
static enum seg
program_ro(const struct maps_entry *e, const struct elf_info *ei,
           unsigned long bias)
{
	unsigned long va = e->start - bias, len = e->end - e->start;

	if (!ei->ok)
		return SEG_RODATA;
	if (overlaps(va, len, ei->relro_va, ei->relro_len))
		return SEG_RELRO;
	if (e->offset == 0 && !overlaps(va, len, ei->rodata_va, ei->rodata_len))
		return SEG_HEADERS;
	return SEG_RODATA;
}

/* The load bias: where file offset 0 of the program was mapped, minus
 * its link-time address. */
static unsigned long
program_bias(const struct maps *m, const struct procinfo *pi,
             const struct elf_info *ei)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->v[i].offset == 0 && path_is(&m->v[i], pi->program))
			return m->v[i].start - ei->load_va;
	return 0;
}

static enum seg
classify_program(const struct maps_entry *e, const struct elf_info *ei,
                 unsigned long bias)
{
	if (e->perms[2] == 'x')
		return SEG_CODE;
	if (e->perms[1] == 'w')
		return SEG_DATA;
	return program_ro(e, ei, bias);
}

/* A file name containing ".so": believed only when the file itself
 * cannot be read. */
static int
named_like_library(const struct maps_entry *e)
{
	const char *base = strrchr(e->path, '/');

	return strstr(base ? base : e->path, ".so") != NULL;
}

/*
 * A file mapping that is not the program. A library is a shared object
 * (ELF e_type ET_DYN, as ld.so and every lib*.so are) that is not the
 * program. Memory the kernel backs with an internal file shows that
 * file's name with " (deleted)": /dev/zero for MAP_SHARED|MAP_ANONYMOUS,
 * /anon_hugepage for MAP_HUGETLB.
 */
static enum seg
classify_file(const struct procinfo *pi, const struct maps_entry *e, int *known,
              struct elf_info *ei)
{
	if (e->deleted && path_is(e, "/anon_hugepage"))
		return SEG_HUGETLB;
	if (e->deleted && path_is(e, "/dev/zero"))
		return SEG_SHARED_ANON;
	if (!*known) {
		*known = file_elf(pi, e, ei, 0) == 0 ? 1 : -1;
	}
	if (*known < 0)
		return named_like_library(e) ? SEG_LIBRARY : SEG_FILE;
	return ei->ok && ei->type == ET_DYN ? SEG_LIBRARY : SEG_FILE;
}

/* Same file as the previous entry (a file's mappings come together). */
static int
same_file(const struct maps *m, size_t i)
{
	return i > 0 && m->v[i - 1].inode == m->v[i].inode &&
	       m->v[i - 1].dev_major == m->v[i].dev_major &&
	       m->v[i - 1].dev_minor == m->v[i].dev_minor &&
	       m->v[i - 1].path_len == m->v[i].path_len &&
	       memcmp(m->v[i - 1].path, m->v[i].path, m->v[i].path_len) == 0;
}

void
classify(const struct maps *m, const struct procinfo *pi, enum seg *seg)
{
	const struct maps_entry *e;
	struct elf_info prog = {0}, ei = {0};
	unsigned long bias = 0;
	int known = 0;
	size_t i;

	if (*pi->program) {
		for (i = 0; i < m->n; i++)
			if (path_is(&m->v[i], pi->program)) {
				file_elf(pi, &m->v[i], &prog, 1);
				break;
			}
		bias = program_bias(m, pi, &prog);
	}
	for (i = 0; i < m->n; i++) {
		e = &m->v[i];
		if (!same_file(m, i))
			known = 0;
		if (e->path_len == 0)
			seg[i] = classify_anon(m, pi, seg, i);
		else if (e->path[0] == '[')
			seg[i] = classify_label(e);
		else if (*pi->program && path_is(e, pi->program))
			seg[i] = classify_program(e, &prog, bias);
		else
			seg[i] = classify_file(pi, e, &known, &ei);
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
