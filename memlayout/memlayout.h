/*
 * memlayout.h: what the parts of memlayout share.
 *
 *   main.c      options, dispatch
 *   self.c      the default table: real objects of this very process
 *   pid.c       --pid: another process's map, classified, with totals
 *   classify.c  which segment a maps line is (code, data, heap, ...)
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
 * Compile-time sanitizer detection. ASan and TSan own SIGSEGV handling
 * and shadow memory, so some demos cannot be meaningful under them.
 */
#if defined(__SANITIZE_ADDRESS__)
#define ML_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define ML_TSAN 1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer) && !defined(ML_ASAN)
#define ML_ASAN 1
#endif
#if __has_feature(thread_sanitizer) && !defined(ML_TSAN)
#define ML_TSAN 1
#endif
#endif

/* Demo code must survive -O2: keep frames real and values in memory. */
#define NOINLINE __attribute__((noinline, noclone))

struct opts {
	int json;       /* --json */
	int rss;        /* --rss (with --pid) */
	int no_diagram; /* --no-diagram */
	int wait;       /* --wait: keep running until Enter / EOF on stdin */
	int color;      /* colour on stdout */
};

enum seg {
	SEG_CODE,
	SEG_RODATA,
	SEG_DATA,
	SEG_BSS,
	SEG_HEAP,
	SEG_MMAP,
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

/* classify.c */
const char *seg_name(enum seg s);
const char *seg_note(enum seg s);
const char *seg_color(enum seg s); /* a TERM_* code */
/* Path of the program of the process open at dirfd, " (deleted)"
 * stripped, into buf; "" if it cannot be read. */
void exe_path(int dirfd, char *buf, size_t n);
/* Fill seg[i] for every entry of m. exe may be "" (then guessed). */
void classify(const struct maps *m, const char *exe, enum seg *seg);
/* "start-end perms path" of e, into buf (always terminated). */
void format_entry(const struct maps_entry *e, char *buf, size_t n);
/* Human size: "4 KiB", "8.0 MiB", "21.3 TiB". */
void format_size(unsigned long long bytes, char *buf, size_t n);

/* detect.c */
/* "address", "thread" or NULL: the sanitizer this binary was built with. */
const char *build_sanitizer(void);
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
                   const struct label *lab, size_t nlab, int color);

/* self.c, pid.c */
int cmd_self(const struct opts *o, char **argv);
struct json;
/* One region as a JSON object (pid.c); rss adds the smaps sizes. */
void json_region(struct json *j, const struct maps_entry *e, enum seg s,
                 int rss);
/* "key":"0x..." (pid.c): addresses as hex strings. */
void json_hex(struct json *j, const char *key, unsigned long v);
int cmd_pid(pid_t pid, const struct opts *o);

/* demo.c */
int cmd_demo(int argc, char **argv);
void demo_usage(FILE *out);
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
