/*
 * memlayout.h: what the parts of memlayout share.
 *
 *   main.c      options, dispatch
 *   self.c      the default table: real objects of this very process
 *   pid.c       --pid: another process's map, classified, with totals
 *   classify.c  which segment a maps line is (code, data, heap, ...)
 *   procinfo.c  what classify needs besides the map: the program, the
 *               threads' stack pointers, the real names of mapped files
 *   elf.c       what a mapped file's ELF headers say
 *   diagram.c   the gap-compressed picture of the address space
 *   detect.c    sanitizers and valgrind change the layout: say so
 *   demo.c      `memlayout demo NAME`: the table of demos, shared helpers
 *   demo_*.c    one demo each
 */
#ifndef MEMLAYOUT_H
#define MEMLAYOUT_H

#include <stdio.h>
#include <sys/types.h>

#include "maps.h"

/*
 * ASan and TSan own SIGSEGV handling and shadow memory, so some demos
 * cannot be meaningful under them: san.h says which one this build has.
 */
#include "san.h"

/* Demo code must survive -O2: keep frames real and values in memory.
 * noclone stops GCC from making a specialised copy of a function; clang
 * makes no such copies and does not know the attribute. */
#ifdef __clang__
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE __attribute__((noinline, noclone))
#endif

struct opts {
	int json;       /* --json */
	int rss;        /* --rss (with --pid) */
	int no_diagram; /* --no-diagram */
	int wait;       /* --wait: keep running until Enter / EOF on stdin */
	int color;      /* colour on stdout */
	int width;      /* cells a line may take, 0: no limit (width.c) */
};

/* width.c: fitting the terminal. out_width: COLUMNS, else the
 * terminal's width, else 0 (piped: no limit); wide: 0. put_left: a
 * kernel text escaped, cut from the left to cells (0: all), padded if
 * pad; returns its cells. put_wrapped: our own sentence from column
 * at, wrapped at spaces before width, next lines indented. */
int out_width(int wide);
size_t put_left(const char *s, size_t len, size_t cells, int pad, FILE *out);
void put_wrapped(const char *s, size_t at, size_t indent, size_t width,
                 FILE *out);

enum seg {
	SEG_CODE,
	SEG_HEADERS,
	SEG_RODATA,
	SEG_RELRO,
	SEG_DATA,
	SEG_BSS,
	SEG_HEAP,
	SEG_MMAP,
	SEG_SHARED_ANON,
	SEG_HUGETLB,
	SEG_STACK,
	SEG_THREAD_STACK,
	SEG_GUARD,
	SEG_RESERVED,
	SEG_LIBRARY,
	SEG_FILE,
	SEG_VDSO,
	SEG_VVAR,
	SEG_VSYSCALL,
	SEG_OTHER,
	SEG_COUNT
};

/* elf.c: the facts of one ELF file (all 0 when not ok). */
struct elf_info {
	int ok;                /* an ELF64 file whose headers were read */
	int type;              /* e_type: ET_EXEC (2), ET_DYN (3), ... */
	int interp, dynamic;   /* it has PT_INTERP, PT_DYNAMIC */
	unsigned long load_va; /* link-time address of file offset 0 */
	unsigned long relro_va, relro_len;   /* PT_GNU_RELRO */
	unsigned long rodata_va, rodata_len; /* section .rodata */
};
/* Read the headers of the ELF file open at fd (with sections: find
 * .rodata too). 0, or -1 if not an ELF64 file. */
int elf_read(int fd, struct elf_info *ei, int sections);
/* This program's own headers (auxv AT_PHDR) have no PT_INTERP. */
int elf_self_static(void);

/* procinfo.c: what classify needs to know besides the map itself. */
struct procinfo {
	int dirfd;                /* /proc/PID (owned by the caller's handle) */
	char state;               /* stat field 3: R S D Z T I ... */
	char program[4096];       /* the program's file, "" if not known */
	const char *program_from; /* "auxv", "exe" or "guessed" */
	unsigned long *sp;        /* each thread's stack pointer (malloc) */
	size_t nsp;
	int sp_all; /* every thread's stack pointer was read */
};
/* Fill *pi for the process open in h whose map is m. Never fails:
 * what cannot be read is left unknown (see the fields). */
void procinfo_read(struct proc_handle *h, const struct maps *m,
                   struct procinfo *pi);
void procinfo_free(struct procinfo *pi);
/* Give the entries of m their real names: the kernel writes a newline
 * in a path as \012 and appends " (deleted)" to an unlinked file's
 * name, which a file may also be called. map_files (or a stat of the
 * name) tells. */
void maps_real_names(int dirfd, struct maps *m);
/* The note to print when thread stacks were recognised by their
 * neighbours (a stack pointer could not be read), else NULL. */
const char *procinfo_note(const struct procinfo *pi);

/* classify.c */
const char *seg_name(enum seg s);
const char *seg_note(enum seg s);
const char *seg_color(enum seg s); /* a TERM_* code */
/* Path of the program of the process open at dirfd, " (deleted)"
 * stripped, into buf; "" if it cannot be read. */
void exe_path(int dirfd, char *buf, size_t n);
/* Fill seg[i] for every entry of m. */
void classify(const struct maps *m, const struct procinfo *pi, enum seg *seg);
/* "start-end perms path" of e, into buf (always terminated). */
void format_entry(const struct maps_entry *e, char *buf, size_t n);
/* Human size: "4 KiB", "8.0 MiB", "21.3 TiB". */
void format_size(unsigned long long bytes, char *buf, size_t n);

/* detect.c */
/* Non-zero if running under valgrind (its preload shows in the maps). */
int under_valgrind(const struct maps *m);
/* Whose malloc this is if not glibc's ("built with -fsanitize=address",
 * "running under valgrind"), else NULL. */
const char *foreign_malloc(void);
/* Print the "layout differs" note on out if either applies. */
void layout_note(FILE *out, const struct maps *m);

/* diagram.c: one label placed at an address of the picture. */
struct label {
	unsigned long addr;
	const char *name;
};
void diagram_print(FILE *out, const struct maps *m, const enum seg *seg,
                   const struct label *lab, size_t nlab, int color, int width);

/* self.c, pid.c */
int cmd_self(const struct opts *o, char **argv);
struct json;
/* One region as a JSON object (pid.c); rss adds the smaps sizes.
 * Every field is documented in docs/man/memlayout.1 (JSON OUTPUT). */
void json_region(struct json *j, const struct maps_entry *e, enum seg s,
                 int rss);
/* Opens the JSON object on stdout with "pid", "state", "exe",
 * "program", ... (pid.c): the process, for both forms. */
void json_process(struct json *j, pid_t pid, const struct procinfo *pi,
                  const char *exe);
/* "key":"0x..." (pid.c): addresses as hex strings. */
void json_hex(struct json *j, const char *key, unsigned long v);
int cmd_pid(pid_t pid, const struct opts *o);

/* svg.c: the diagram of pid (0: this process) as SVG in file ("-":
 * stdout). Returns the exit status, after saying what failed. */
int cmd_svg(pid_t pid, const char *file);

/* demo.c */
int cmd_demo(int argc, char **argv);
void demo_usage(FILE *out);
/* "memlayout demo": for a demo's usage errors (opt_error) */
extern const struct usage demo_usage_u;
/* Heading, then "expect:" lines; each demo starts with these. */
void demo_title(const char *title, const char *expect);
/* Print "  NAME 0x... in START-END PERMS PATH" from a fresh maps read. */
void demo_where(const char *name, const void *addr);
/* The maps entry holding addr, copied into *e (path into pathbuf).
 * Returns 0, or -1 if no mapping holds it or maps cannot be read. */
int demo_find(const void *addr, struct maps_entry *e, char *pathbuf, size_t n);
/* Something the demo promised did not happen: message, return 1. */
int demo_unexpected(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int demo_stack(int argc, char **argv);
int demo_heap(int argc, char **argv);
int demo_overflow(int argc, char **argv);
int demo_codewrite(int argc, char **argv);
int demo_cow(int argc, char **argv);
int demo_threads(int argc, char **argv);
int demo_leak(int argc, char **argv);
int demo_aslr(int argc, char **argv);
int demo_aslr_probe(int argc, char **argv);

#endif
