/*
 * self.c: the default table. Real objects of this very process, one of
 * each kind a textbook draws, each matched with the /proc/self/maps line
 * that holds it. Nothing is guessed from link-time offsets: the addresses
 * are taken at run time and looked up in the live map.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The linker defines these at the ends of .text, .data and .bss. */
extern char etext, edata, end;
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
 * linker's edata/end say whether a byte of the program's rw pages is
 * .data or .bss (the head of .bss shares the last file page with .data).
 */
static enum seg
sym_seg(unsigned long a, long i, const enum seg *seg)
{
	if (i < 0)
		return SEG_OTHER;
	if ((seg[i] == SEG_DATA || seg[i] == SEG_BSS) &&
	    a >= (unsigned long)&edata && a < (unsigned long)&end)
		return SEG_BSS;
	return seg[i];
}

static void
print_json(struct ctx *c, const struct maps *m, const enum seg *seg,
           const char *exe)
{
	struct json j;
	size_t k;
	long i;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_key(&j, "pid");
	json_int(&j, getpid());
	json_key(&j, "exe");
	json_str(&j, exe);
	json_key(&j, "sanitizer");
	if (build_sanitizer())
		json_str(&j, build_sanitizer());
	else
		json_null(&j);
	json_key(&j, "valgrind");
	json_bool(&j, under_valgrind(m));
	json_key(&j, "boundaries");
	json_obj_begin(&j);
	json_hex(&j, "etext", (unsigned long)&etext);
	json_hex(&j, "edata", (unsigned long)&edata);
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

static void
print_boundary(const struct maps *m, const char *name, unsigned long a,
               const char *what)
{
	char line[512] = "(in no mapping)";
	long i = maps_find(m, a);

	if (i >= 0)
		format_entry(&m->v[i], line, sizeof(line));
	else if (i = maps_find(m, a - 1), i >= 0 && m->v[i].end == a)
		snprintf(line, sizeof(line), "(just past the end of %s)",
		         m->v[i].path_len ? m->v[i].path : "a mapping");
	printf("  %-6s 0x%-14lx %-44s %s\n", name, a, what, line);
}

static void
print_table(struct ctx *c, const struct maps *m, const enum seg *seg)
{
	int col = c->o->color;
	const char *bold = term_sgr(col, TERM_BOLD), *off = term_sgr(col, "0");
	char line[512];
	int used[SEG_COUNT] = {0};
	enum seg s;
	size_t k;
	long i;

	printf("%sthe address space of this process (pid %ld), high "
	       "addresses first%s\n\n",
	       bold, (long)getpid(), off);
	layout_note(stdout, m);
	printf("%s%-14s %-34s %-16s %-12s %s%s\n", bold, "NAME", "WHAT",
	       "ADDRESS", "SEGMENT", "MAPPING (/proc/self/maps line)", off);
	for (k = 0; k < c->n; k++) {
		i = maps_find(m, c->s[k].addr);
		s = sym_seg(c->s[k].addr, i, seg);
		used[s] = 1;
		if (i >= 0)
			format_entry(&m->v[i], line, sizeof(line));
		else
			strcpy(line, "(in no mapping)");
		printf("%-14s %-34s 0x%-14lx %s%-12s%s %s\n", c->s[k].name,
		       c->s[k].what, c->s[k].addr, term_sgr(col, seg_color(s)),
		       seg_name(s), off, line);
	}
	printf("\n%sboundaries%s (the linker's symbols, and the kernel's "
	       "program break)\n",
	       bold, off);
	print_boundary(m, "etext", (unsigned long)&etext,
	               "end of the code (.text)");
	print_boundary(m, "edata", (unsigned long)&edata,
	               "end of initialised data; BSS starts here");
	print_boundary(m, "end", (unsigned long)&end, "end of BSS");
	print_boundary(m, "brk", (unsigned long)sbrk(0),
	               "program break: top of the heap, moved by malloc");
	printf("\n%swhat lives where%s\n", bold, off);
	for (s = 0; s < SEG_COUNT; s++)
		if (used[s])
			printf("  %-12s %s\n", seg_name(s), seg_note(s));
}

static void
show_diagram(struct ctx *c, const struct maps *m, const enum seg *seg)
{
	struct label lab[MAX_SYMS];
	size_t k;

	for (k = 0; k < c->n; k++)
		lab[k] = (struct label){c->s[k].addr, c->s[k].name};
	printf("\n");
	diagram_print(stdout, m, seg, lab, c->n, c->o->color);
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
	int dfd = maps_open_pid(0);

	if (dfd < 0 || maps_read(dfd, &m) < 0) {
		warn("cannot read '/proc/self/maps':");
		if (dfd >= 0)
			close(dfd);
		return 1;
	}
	exe_path(dfd, exe, sizeof(exe));
	close(dfd);
	seg = xcalloc(m.n ? m.n : 1, sizeof(*seg));
	classify(&m, exe, seg);
	qsort(c->s, c->n, sizeof(c->s[0]), by_addr_desc);
	if (c->o->json) {
		print_json(c, &m, seg, exe);
	} else {
		print_table(c, &m, seg);
		if (!c->o->no_diagram)
			show_diagram(c, &m, seg);
	}
	if (c->o->wait)
		hold();
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

static void
add_static_objects(struct ctx *c)
{
	static int counter = 1; /* a static local: lives in .data, not on
	                           the stack, and keeps its value */
	static const char literal[] = "hello, world";

	add(c, "main", "function (our own code)", &main);
	add(c, "string", "string literal \"hello, world\"", literal);
	add(c, "const_global", "const global", &const_global);
	add(c, "init_global", "initialised global", &init_global);
	add(c, "static_local", "static local (initialised)", &counter);
	add(c, "uninit_global", "uninitialised global", &uninit_global);
	add(c, "zero_static", "zero-initialised static", &zero_static);
	add(c, "printf", "shared-library function", &printf);
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
