/*
 * self.c: the default table. Real objects of this very process, one of
 * each kind a textbook draws, each matched with the /proc/self/maps line
 * that holds it. Nothing is guessed from link-time offsets: the addresses
 * are taken at run time and looked up in the live map.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "esc.h"
#include "json.h"
#include "memlayout.h"
#include "term.h"
#include "util.h"

/*
 * One object per segment. They must not be optimised away: we take their
 * addresses, and the compiler has to give each one a real home.
 */
int init_global = 42;       /* .data: has a value stored in the file */
int uninit_global;          /* .bss: only its size is in the file */
static int zero_static = 0; /* .bss too: zero needs no bytes in the file */
const int const_global = 7; /* .rodata: read-only */

/* The linker defines these at the ends of .text, .data and .bss, and
 * __bss_start where the BSS area begins. GNU ld puts it at edata, the end
 * of .data; the .bss section itself starts at the next boundary its
 * alignment asks for (readelf -S: 0x...040 for Align 32), a few bytes on. */
extern char etext, edata, __bss_start, end;
extern char **environ;
extern int main(int, char **);

#define MAX_SYMS 24

struct sym {
	const char *name, *what;
	unsigned long addr;
};

struct ctx {
	const struct opts *o;
	char **argv;
	struct sym s[MAX_SYMS];
	size_t n;
	int status;
};

/* Any pointer, to an object or a function, as a number. */
#define add(c, name, what, p) add_(c, name, what, (unsigned long)(uintptr_t)(p))

static void
add_(struct ctx *c, const char *name, const char *what, unsigned long addr)
{
	if (c->n < MAX_SYMS)
		c->s[c->n++] = (struct sym){name, what, addr};
}

/* A second thread: its local lives on its own stack, not on [stack]. */
struct thr {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int ready, done;
	const volatile int *local;
};

static void *
thread_main(void *arg)
{
	struct thr *t = arg;
	volatile int local = 3;

	pthread_mutex_lock(&t->mu);
	t->local = &local;
	t->ready = 1;
	pthread_cond_broadcast(&t->cv);
	/* Stay alive (and keep this frame) until the table is printed. */
	while (!t->done)
		pthread_cond_wait(&t->cv, &t->mu);
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

static int
wait_ready(struct thr *t)
{
	pthread_mutex_lock(&t->mu);
	while (!t->ready)
		pthread_cond_wait(&t->cv, &t->mu);
	pthread_mutex_unlock(&t->mu);
	return 0;
}

static void
release(struct thr *t)
{
	pthread_mutex_lock(&t->mu);
	t->done = 1;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
}

static int
by_addr_desc(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? 1 : x->addr > y->addr ? -1 : 0;
}

/*
 * The segment of one of our own objects. The map says which mapping; the
 * linker's __bss_start/end say whether a byte of the program's rw pages
 * is .bss (the head of .bss shares the last file page with .data).
 */
static enum seg
sym_seg(unsigned long a, long i, const enum seg *seg)
{
	if (i < 0)
		return SEG_OTHER;
	if ((seg[i] == SEG_DATA || seg[i] == SEG_BSS) &&
	    a >= (unsigned long)&__bss_start && a < (unsigned long)&end)
		return SEG_BSS;
	return seg[i];
}

/* The fields are documented in memlayout.1 (JSON OUTPUT): a change
 * here is a change there, and tests/cli/memlayout_json.sh checks. */
static void
print_json(struct ctx *c, const struct maps *m, const enum seg *seg,
           const char *exe, const struct procinfo *pi)
{
	struct json j;
	size_t k;
	long i;

	json_process(&j, getpid(), pi, exe);
	json_key(&j, "sanitizer");
	if (san_build())
		json_str(&j, san_build());
	else
		json_null(&j);
	json_key(&j, "valgrind");
	json_bool(&j, under_valgrind(m));
	json_key(&j, "boundaries");
	json_obj_begin(&j);
	json_hex(&j, "etext", (unsigned long)&etext);
	json_hex(&j, "edata", (unsigned long)&edata);
	json_hex(&j, "bss_start", (unsigned long)&__bss_start);
	json_hex(&j, "end", (unsigned long)&end);
	json_hex(&j, "brk", (unsigned long)sbrk(0));
	json_obj_end(&j);
	json_key(&j, "symbols");
	json_arr_begin(&j);
	for (k = 0; k < c->n; k++) {
		fputc('\n', stdout); /* one symbol per line: easy to grep */
		i = maps_find(m, c->s[k].addr);
		json_obj_begin(&j);
		json_key(&j, "name");
		json_str(&j, c->s[k].name);
		json_key(&j, "what");
		json_str(&j, c->s[k].what);
		json_hex(&j, "address", c->s[k].addr);
		json_key(&j, "segment");
		json_str(&j, seg_name(sym_seg(c->s[k].addr, i, seg)));
		json_key(&j, "map");
		if (i >= 0)
			json_region(&j, &m->v[i], seg[i], 0);
		else
			json_null(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "regions");
	json_arr_begin(&j);
	for (k = 0; k < m->n; k++) {
		fputc('\n', stdout);
		json_region(&j, &m->v[k], seg[k], 0);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	if (json_end(&j))
		c->status = 1;
}

/*
 * The table comes in two widths. The full one (-w, a wide terminal, a
 * pipe) prints each object's whole /proc/self/maps line on its row. The
 * narrow one, for an 80-column terminal, gives each row the number of
 * its mapping (MAP) and lists the numbered maps lines once, below, with
 * long paths cut from the left: many objects share one mapping.
 */
#define NAME_W 14
#define WHAT_W 34
#define BWHAT_W 44 /* what a boundary is */
#define MAX_REFS (MAX_SYMS + 8)

struct table {
	const struct maps *m;
	const enum seg *seg;
	int narrow;
	size_t name_w, addr_w, seg_w, what_w, bwhat_w; /* narrow widths */
	long ref[MAX_REFS]; /* narrow: mapping numbered k + 1 */
	size_t nref;
};

/* The number (from 1) of mapping i in the narrow table's list. */
static size_t
ref_of(struct table *t, long i)
{
	size_t k;

	for (k = 0; k < t->nref; k++)
		if (t->ref[k] == i)
			return k + 1;
	if (t->nref < MAX_REFS)
		t->ref[t->nref++] = i;
	return t->nref;
}

/* Cells of the full table's widest line. */
static size_t
full_width(const struct ctx *c, const struct maps *m)
{
	char line[512];
	size_t k, w, max = 0;
	long i;

	for (k = 0; k < c->n; k++) {
		i = maps_find(m, c->s[k].addr);
		if (i < 0)
			continue;
		format_entry(&m->v[i], line, sizeof(line));
		w = esc_width(line, strlen(line));
		max = w > max ? w : max;
	}
	/* NAME WHAT 0xADDRESS SEGMENT MAPPING; boundaries are narrower */
	return NAME_W + 1 + WHAT_W + 1 + 16 + 1 + 12 + 1 + max;
}

/* The narrow table's column widths, from the width and the rows. */
static void
narrow_widths(struct table *t, const struct ctx *c, size_t width)
{
	size_t k, w, fixed;
	char hex[24];

	t->name_w = 4; /* "NAME" */
	t->addr_w = 1;
	t->seg_w = 7; /* "SEGMENT" */
	for (k = 0; k < c->n; k++) {
		w = strlen(c->s[k].name);
		t->name_w = w > t->name_w ? w : t->name_w;
		w = (size_t)snprintf(hex, sizeof(hex), "%lx", c->s[k].addr);
		t->addr_w = w > t->addr_w ? w : t->addr_w;
		w = strlen(seg_name(sym_seg(
		    c->s[k].addr, maps_find(t->m, c->s[k].addr), t->seg)));
		t->seg_w = w > t->seg_w ? w : t->seg_w;
	}
	/* NAME WHAT 0xADDRESS SEGMENT MAP, one space apart */
	fixed = t->name_w + 1 + 1 + 2 + t->addr_w + 1 + t->seg_w + 1 + 3;
	t->what_w = width > fixed + 8 ? width - fixed : 8;
	t->what_w = t->what_w > WHAT_W ? WHAT_W : t->what_w;
	/* "  NAME 0xADDRESS WHAT after NN" */
	fixed = 2 + 11 + 1 + 2 + t->addr_w + 1 + 1 + 8;
	t->bwhat_w = width > fixed + 8 ? width - fixed : 8;
	t->bwhat_w = t->bwhat_w > BWHAT_W ? BWHAT_W : t->bwhat_w;
}

static void
print_boundary(struct table *t, const char *name, unsigned long a,
               const char *what)
{
	char line[512] = "(in no mapping)", ref[24] = "-";
	long i = maps_find(t->m, a), past = -1;

	if (i < 0 && (past = maps_find(t->m, a - 1)) >= 0 &&
	    t->m->v[past].end != a)
		past = -1;
	if (t->narrow) {
		if (i >= 0)
			snprintf(ref, sizeof(ref), "in %zu", ref_of(t, i));
		else if (past >= 0)
			snprintf(ref, sizeof(ref), "after %zu",
			         ref_of(t, past));
		printf("  %-11s 0x%-*lx ", name, (int)t->addr_w, a);
		esc_fpad(what, t->bwhat_w, stdout); /* cut by cells */
		printf(" %s\n", ref);
		return;
	}
	if (i >= 0)
		format_entry(&t->m->v[i], line, sizeof(line));
	else if (past >= 0)
		snprintf(line, sizeof(line), "(just past the end of %s)",
		         t->m->v[past].path_len ? t->m->v[past].path
		                                : "a mapping");
	printf("  %-11s 0x%-14lx %-*s ", name, a, BWHAT_W, what);
	esc_fputs(line, stdout); /* a path from maps: any bytes */
	putchar('\n');
}

/* One object's row: the whole maps line, or (narrow) its number. */
static void
print_row(struct table *t, const struct sym *y, int col)
{
	long i = maps_find(t->m, y->addr);
	enum seg s = sym_seg(y->addr, i, t->seg);
	const char *off = term_sgr(col, "0");
	char line[512] = "(in no mapping)";

	if (t->narrow) {
		printf("%-*s ", (int)t->name_w, y->name);
		esc_fpad(y->what, t->what_w, stdout);
		printf(" 0x%-*lx %s%-*s%s ", (int)t->addr_w, y->addr,
		       term_sgr(col, seg_color(s)), (int)t->seg_w, seg_name(s),
		       off);
		if (i >= 0)
			printf("%3zu\n", ref_of(t, i));
		else
			printf("%3s\n", "-");
		return;
	}
	if (i >= 0)
		format_entry(&t->m->v[i], line, sizeof(line));
	printf("%-14s %-34s 0x%-14lx %s%-12s%s ", y->name, y->what, y->addr,
	       term_sgr(col, seg_color(s)), seg_name(s), off);
	esc_fputs(line, stdout); /* a path from maps: any bytes */
	putchar('\n');
}

/* The narrow table's numbered maps lines; paths cut from the left. */
static void
print_refs(const struct table *t, int width, const char *bold, const char *off)
{
	size_t k, used;
	int n;

	printf("\n%smappings%s (MAP above; -w puts each line in the table)\n",
	       bold, off);
	for (k = 0; k < t->nref; k++) {
		const struct maps_entry *e = &t->m->v[t->ref[k]];
		const char *path = e->path_len ? e->path : "(anonymous)";

		n = printf("%3zu %lx-%lx %s ", k + 1, e->start, e->end,
		           e->perms);
		used = (size_t)n + (e->deleted ? 10 : 0);
		put_left(path, e->path_len ? e->path_len : strlen(path),
		         (size_t)width > used + 8 ? (size_t)width - used : 8, 0,
		         stdout);
		puts(e->deleted ? " (deleted)" : "");
	}
}

static void
print_table(struct ctx *c, const struct maps *m, const enum seg *seg)
{
	static struct table t; /* static: its refs are many rows */
	int col = c->o->color, width = c->o->width;
	const char *bold = term_sgr(col, TERM_BOLD), *off = term_sgr(col, "0");
	int used[SEG_COUNT] = {0};
	enum seg s;
	size_t k;

	t = (struct table){.m = m, .seg = seg};
	t.narrow = width > 0 && full_width(c, m) > (size_t)width;
	if (t.narrow)
		narrow_widths(&t, c, (size_t)width);
	printf("%sthe address space of this process (pid %ld), high "
	       "addresses first%s\n\n",
	       bold, (long)getpid(), off);
	layout_note(stdout, m);
	if (t.narrow)
		printf("%s%-*s %-*s %-*s %-*s MAP%s\n", bold, (int)t.name_w,
		       "NAME", (int)t.what_w, "WHAT", (int)t.addr_w + 2,
		       "ADDRESS", (int)t.seg_w, "SEGMENT", off);
	else
		printf("%s%-14s %-34s %-16s %-12s %s%s\n", bold, "NAME", "WHAT",
		       "ADDRESS", "SEGMENT", "MAPPING (/proc/self/maps line)",
		       off);
	for (k = 0; k < c->n; k++) {
		used[sym_seg(c->s[k].addr, maps_find(m, c->s[k].addr), seg)] =
		    1;
		print_row(&t, &c->s[k], col);
	}
	printf("\n%sboundaries%s (the linker's symbols, and the kernel's "
	       "program break)\n",
	       bold, off);
	print_boundary(&t, "etext", (unsigned long)&etext,
	               "end of the code (.text, .fini)");
	print_boundary(&t, "edata", (unsigned long)&edata,
	               "end of initialised data (.data)");
	print_boundary(&t, "__bss_start", (unsigned long)&__bss_start,
	               "BSS begins; .bss is aligned up");
	print_boundary(&t, "end", (unsigned long)&end, "end of BSS");
	print_boundary(&t, "brk", (unsigned long)sbrk(0),
	               "program break: heap top, moved by malloc");
	if (t.narrow)
		print_refs(&t, width, bold, off);
	printf("\n%swhat lives where%s\n", bold, off);
	for (s = 0; s < SEG_COUNT; s++) {
		if (!used[s])
			continue;
		printf("  %-12s ", seg_name(s));
		/* our own sentence: wrapped at a word to the width */
		put_wrapped(seg_note(s), 15, 15, (size_t)width, stdout);
	}
}

static void
show_diagram(struct ctx *c, const struct maps *m, const enum seg *seg)
{
	struct label lab[MAX_SYMS];
	size_t k;

	for (k = 0; k < c->n; k++)
		lab[k] = (struct label){c->s[k].addr, c->s[k].name};
	printf("\n");
	diagram_print(stdout, m, seg, lab, c->n, c->o->color, c->o->width);
}

/* --wait: hold still so that a student can look at /proc/PID/maps. */
static void
hold(void)
{
	int ch;

	fflush(stdout);
	fprintf(stderr,
	        "%s: pid %ld is waiting: look at /proc/%ld/maps, then press "
	        "Enter\n",
	        progname(), (long)getpid(), (long)getpid());
	do
		ch = getchar();
	while (ch != EOF && ch != '\n');
}

/* The deepest call: every frame above is still live while we look. */
static NOINLINE int
report(struct ctx *c)
{
	char exe[4096];
	struct maps m;
	enum seg *seg;
	struct proc_handle h;
	struct procinfo pi;

	if (proc_open(&h, 0) < 0 || maps_read(&h, &m) < 0) {
		warn("cannot read '/proc/self/maps':");
		proc_close(&h);
		return 1;
	}
	maps_real_names(h.dirfd, &m);
	exe_path(h.dirfd, exe, sizeof(exe));
	procinfo_read(&h, &m, &pi);
	seg = xcalloc(m.n ? m.n : 1, sizeof(*seg));
	classify(&m, &pi, seg);
	proc_close(&h);
	qsort(c->s, c->n, sizeof(c->s[0]), by_addr_desc);
	if (c->o->json) {
		print_json(c, &m, seg, exe, &pi);
	} else {
		print_table(c, &m, seg);
		if (procinfo_note(&pi))
			printf("\n%s\n", procinfo_note(&pi));
		if (!c->o->no_diagram)
			show_diagram(c, &m, seg);
	}
	if (c->o->wait)
		hold();
	procinfo_free(&pi);
	free(seg);
	maps_free(&m);
	return c->status;
}

/* Nested calls: each frame is below its caller's (the stack grows down).
 * noinline and volatile keep three real frames even at -O2. */
static NOINLINE int
level3(struct ctx *c)
{
	volatile int local = 3;

	add(c, "local_level3", "local in level3() (3 calls deep)", &local);
	return report(c) + local - 3;
}

static NOINLINE int
level2(struct ctx *c)
{
	volatile int local = 2;

	add(c, "local_level2", "local in level2()", &local);
	return level3(c) + local - 2;
}

static NOINLINE int
level1(struct ctx *c)
{
	volatile int local = 1;

	add(c, "local_level1", "local in level1()", &local);
	return level2(c) + local - 1;
}

/*
 * Where printf is depends on how the program was linked, and the
 * address C gives for &printf is not always the function:
 * - static (no program interpreter, AT_BASE 0): printf was copied into
 *   the program by the linker; there is no library at all.
 * - PIE (the default): &printf is loaded from the GOT, which ld.so
 *   filled with the real printf in libc.
 * - -no-pie: the code is not position independent, so the linker made
 *   &printf a constant: the address of a PLT stub in the program
 *   (printf@plt) that jumps through the GOT to libc. dlsym(RTLD_NEXT)
 *   finds the real function, in the objects loaded after the program.
 */
static void
add_printf(struct ctx *c)
{
	void *real;

	if (elf_self_static()) {
		add(c, "printf", "printf linked in: no library", &printf);
		return;
	}
	real = dlsym(RTLD_NEXT, "printf");
	if (!real || real == (void *)(uintptr_t)&printf) {
		add(c, "printf", "library function (via the GOT)", &printf);
		return;
	}
	add(c, "printf@plt", "PLT stub: jumps to the real printf", &printf);
	add(c, "printf", "the real printf (dlsym)", real);
}

static void
add_static_objects(struct ctx *c)
{
	static int counter = 1; /* a static local: lives in .data, not on
	                           the stack, and keeps its value */
	const char *literal = "hello, world"; /* the literal: in .rodata */

	add(c, "main", "function (our own code)", &main);
	add(c, "string", "string literal \"hello, world\"", literal);
	add(c, "const_global", "const global", &const_global);
	add(c, "init_global", "initialised global", &init_global);
	add(c, "static_local", "static local (initialised)", &counter);
	add(c, "uninit_global", "uninitialised global", &uninit_global);
	add(c, "zero_static", "zero-initialised static", &zero_static);
	add_printf(c);
	add(c, "argv", "argv[] array of pointers", c->argv);
	add(c, "argv0", "argv[0] string (program name)", c->argv[0]);
	add(c, "environ", "environ[] array of pointers", environ);
}

int
cmd_self(const struct opts *o, char **argv)
{
	static struct ctx c; /* static: keep its 24 rows off the stack */
	struct thr t = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0,
	                0, NULL};
	volatile int local = 0;
	char *small, *large;
	pthread_t th;
	int r, status;

	c.o = o;
	c.argv = argv;
	add_static_objects(&c);
	add(&c, "local", "local in cmd_self()", &local);
	/* Small: from the heap; large: above the mmap threshold (128 KiB). */
	small = xmalloc(64);
	if ((r = pthread_create(&th, NULL, thread_main, &t)) != 0) {
		errno = r;
		die("cannot create a thread:");
	}
	wait_ready(&t);
	large = xmalloc(1 << 20);
	memset(small, 1, 64);
	memset(large, 1, 4096);
	add(&c, "heap_small", "malloc(64)", small);
	add(&c, "heap_large", "malloc(1 MiB), over mmap threshold", large);
	add(&c, "thread_local", "local of a second thread", t.local);
	status = level1(&c) + local;
	release(&t);
	pthread_join(th, NULL);
	free(large);
	free(small);
	return status;
}
