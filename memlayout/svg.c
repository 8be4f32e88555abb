/*
 * svg.c: `memlayout --svg FILE` and `memlayout --pid PID --svg FILE`:
 * the address space as a picture for a slide, the diagram's layout
 * (diagram.c) drawn with boxes instead of characters.
 *
 * As in the lecture's picture, high addresses are on top: the stack,
 * then the libraries and mmap area, the heap, BSS, data and code at the
 * bottom. One box per mapping (one maps line), in address order, each
 * labelled with its kind, permissions, file, address range and size;
 * the empty stretches between them are drawn as squeezed gaps that say
 * how big they really are (to scale, 128 TiB would leave a blank page).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memlayout.h"
#include "proc.h"
#include "svg.h"
#include "util.h"

#define WIDTH 1280
#define TOP 96   /* title and the column headings */
#define BOX_H 40 /* one mapping */
#define GAP_H 30 /* one squeezed gap */
#define BOX_X 40
#define BOX_W 640
#define SWATCH 56 /* the patterned strip at a box's left */
#define INFO_X (BOX_X + BOX_W + 24)
#define USER_TOP 0x800000000000UL /* x86-64, 4-level paging */

/*
 * Fill and pattern of each kind. Why both: a projector washes colours
 * out and a grey print loses hue, so neighbours differ in lightness and
 * in the pattern of their strip too; text stays dark on light fills.
 */
static const struct look {
	const char *fill, *pattern;
} looks[SEG_COUNT] = {
    [SEG_CODE] = {"#6baed6", NULL},
    [SEG_RODATA] = {"#c6dbef", SVG_DOTS},
    [SEG_DATA] = {"#fd8d3c", NULL},
    [SEG_BSS] = {"#fdd0a2", SVG_DOTS},
    [SEG_HEAP] = {"#74c476", SVG_HATCH},
    [SEG_MMAP] = {"#c7e9c0", SVG_BHATCH},
    [SEG_STACK] = {"#f768a1", SVG_HATCH},
    [SEG_THREAD_STACK] = {"#fcc5c0", SVG_BHATCH},
    [SEG_GUARD] = {"#ffffff", SVG_CROSS},
    [SEG_RESERVED] = {"#f0f0f0", SVG_CROSS},
    [SEG_LIBRARY] = {"#9e9ac8", NULL},
    [SEG_FILE] = {"#dadaeb", SVG_DOTS},
    [SEG_VDSO] = {"#fee391", SVG_CROSS},
    [SEG_VVAR] = {"#d9d9d9", SVG_DOTS},
    [SEG_VSYSCALL] = {"#bdbdbd", SVG_HATCH},
    [SEG_OTHER] = {"#ffffff", NULL},
};

/* Objects of this very process, marked on the self picture. */
static int svg_data_var = 1; /* initialised: .data */
static int svg_bss_var;      /* zero: .bss */

static double
height_of(const struct maps *m)
{
	double h = TOP + 40;
	size_t i;

	for (i = 0; i < m->n; i++) {
		h += BOX_H;
		if (i > 0 && m->v[i - 1].end != m->v[i].start)
			h += GAP_H;
	}
	return h;
}

/* "<- main, a malloc block": the labels of the objects inside e. */
static void
marks(char *buf, size_t n, const struct maps_entry *e, const struct label *lab,
      size_t nlab)
{
	const char *sep = "<- ";
	size_t k, used = 0;

	buf[0] = '\0';
	for (k = 0; k < nlab && used < n; k++) {
		if (lab[k].addr < e->start || lab[k].addr >= e->end)
			continue;
		used += (size_t)snprintf(buf + used, n - used, "%s%s", sep,
		                         lab[k].name);
		sep = ", ";
	}
}

static void
box(struct svg *s, double y, const struct maps_entry *e, enum seg k,
    const char *mark)
{
	const struct look *l = &looks[k];
	const char *base = strrchr(e->path, '/');
	char size[32];

	svg_rect(s, BOX_X, y, BOX_W, BOX_H, l->fill, "#222222", NULL);
	if (l->pattern)
		svg_rect(s, BOX_X, y, SWATCH, BOX_H, l->fill, "#222222",
		         l->pattern);
	svg_textf(s, BOX_X + SWATCH + 12, y + 27, 18, "start", 1, "#000000",
	          "%s", seg_name(k));
	svg_textf(s, BOX_X + SWATCH + 170, y + 27, 16, "start", 0, "#000000",
	          "%s", e->perms);
	/* a file name holds any byte the owner chose: svg.h escapes it */
	base = base ? base + 1 : e->path;
	svg_textn(s, BOX_X + SWATCH + 230, y + 27, 16, "start", 0, "#000000",
	          base, strlen(base));
	format_size(e->end - e->start, size, sizeof(size));
	/* the range exactly as /proc/PID/maps writes it */
	svg_textf(s, INFO_X, y + 19, 15, "start", 0, "#000000",
	          "%08lx-%08lx  %s", e->start, e->end, size);
	if (mark[0])
		svg_text(s, INFO_X, y + 36, 14, "start", 1, "#7a0019", mark);
}

/* A squeezed empty stretch between lo and hi, drawn at y. */
static void
gap(struct svg *s, double y, unsigned long lo, unsigned long hi)
{
	char size[32];
	double mid = y + GAP_H / 2.0;

	svg_line(s, BOX_X, y + 4, BOX_X + BOX_W, y + 4, "#666666", 1, 1);
	svg_line(s, BOX_X, y + GAP_H - 4, BOX_X + BOX_W, y + GAP_H - 4,
	         "#666666", 1, 1);
	if (hi > USER_TOP && lo < USER_TOP) {
		/* above 47 bits: the non-canonical hole, then the kernel's
		 * half, where only [vsyscall] is mapped: not a "gap" */
		format_size(USER_TOP - lo, size, sizeof(size));
		svg_textf(s, BOX_X + BOX_W / 2.0, mid + 5, 14, "middle", 0,
		          "#333333",
		          "gap: %s unmapped up to the top of user space; "
		          "then the kernel's half",
		          size);
		return;
	}
	format_size(hi - lo, size, sizeof(size));
	svg_textf(s, BOX_X + BOX_W / 2.0, mid + 5, 14, "middle", 0, "#333333",
	          "gap: %s unmapped", size);
}

static void
headings(struct svg *s, const char *title)
{
	svg_text(s, BOX_X, 38, 26, "start", 1, "#000000", title);
	svg_text(s, BOX_X, 78, 16, "start", 1, "#333333",
	         "high addresses on top; one box per mapping (not to scale)");
	svg_text(s, INFO_X, 78, 16, "start", 1, "#333333",
	         "start-end (as in maps), size");
}

/* Draw m (classified into seg) on s, top to bottom from high addresses. */
static void
draw(struct svg *s, const char *title, const struct maps *m,
     const enum seg *seg, const struct label *lab, size_t nlab)
{
	double y = TOP;
	char mark[256];
	size_t i;

	headings(s, title);
	for (i = m->n; i-- > 0;) {
		marks(mark, sizeof(mark), &m->v[i], lab, nlab);
		box(s, y, &m->v[i], seg[i], mark);
		y += BOX_H;
		if (i > 0 && m->v[i - 1].end != m->v[i].start) {
			gap(s, y, m->v[i - 1].end, m->v[i].start);
			y += GAP_H;
		}
	}
	svg_text(s, BOX_X, y + 28, 14, "start", 0, "#333333",
	         "0 is at the bottom; the lowest pages (vm.mmap_min_addr) are "
	         "refused to ordinary processes, so a NULL pointer faults");
}

/* Write the picture to file; 0, or 1 after saying why. */
static int
write_svg(const char *file, const char *title, const struct maps *m,
          const enum seg *seg, const struct label *lab, size_t nlab)
{
	struct svg s;

	if (svg_open(&s, file, WIDTH, (int)height_of(m), title) < 0) {
		warn("cannot write '%s':", file);
		return 1;
	}
	draw(&s, title, m, seg, lab, nlab);
	if (svg_close(&s) < 0) {
		warn("cannot write '%s':", file);
		return 1;
	}
	return 0;
}

/* Read pid's maps (0: this process) and its program; 0 or -1 (said). */
static int
load_maps(pid_t pid, struct maps *m, enum seg **seg)
{
	struct proc_handle h;
	struct procinfo pi;

	if (proc_open(&h, (int)pid) < 0) {
		if (errno == ENOENT || errno == ESRCH)
			warn("no process with pid %ld", (long)pid);
		else
			warn("cannot open '/proc/%ld':", (long)pid);
		return -1;
	}
	if (maps_read(&h, m) < 0) {
		warn("cannot read '/proc/%ld/maps':",
		     pid ? (long)pid : (long)getpid());
		proc_close(&h);
		return -1;
	}
	maps_real_names(h.dirfd, m);
	procinfo_read(&h, m, &pi);
	*seg = xcalloc(m->n ? m->n : 1, sizeof(**seg));
	classify(m, &pi, *seg); /* reads mapped files' ELF headers */
	procinfo_free(&pi);
	proc_close(&h);
	return 0;
}

int
cmd_svg(pid_t pid, const char *file)
{
	char title[160];
	int local = 1, status;
	void *block = malloc(64);
	struct label lab[] = {
	    {(unsigned long)&cmd_svg, "cmd_svg (code)"},
	    {(unsigned long)&svg_data_var, "an initialised global"},
	    {(unsigned long)&svg_bss_var, "a zero global"},
	    {(unsigned long)block, "a malloc block"},
	    {(unsigned long)&local, "a local variable"},
	};
	struct maps m;
	enum seg *seg;

	if (load_maps(pid, &m, &seg) < 0) {
		free(block);
		return 1;
	}
	snprintf(title, sizeof(title), "The address space of pid %ld%s",
	         pid ? (long)pid : (long)getpid(),
	         pid ? "" : " (memlayout itself)");
	status = write_svg(file, title, &m, seg, lab, pid ? 0 : LEN(lab));
	free(seg);
	maps_free(&m);
	free(block);
	return status;
}
