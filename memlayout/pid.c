/*
 * pid.c: memlayout --pid PID. Another process's map, each line classified
 * the way the default table does it, with sizes, permissions and totals
 * per segment kind; --rss adds what is resident (Rss) and each process's
 * fair share of shared pages (Pss) from smaps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "esc.h"
#include "json.h"
#include "proc.h"
#include "memlayout.h"
#include "term.h"
#include "util.h"

struct total {
	size_t count;
	unsigned long long bytes;
	long long rss_kb, pss_kb, hugetlb_kb;
};

/* "key":"0x..." */
void
json_hex(struct json *j, const char *key, unsigned long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%lx", v);
	json_key(j, key);
	json_str(j, buf);
}

/* "key_bytes": a smaps size (kB in the file), or null if unknown. */
static void
json_kib_as_bytes(struct json *j, const char *key, long long kb)
{
	json_key(j, key);
	if (kb < 0)
		json_null(j);
	else
		json_int(j, kb * 1024);
}

/*
 * One region as a JSON object (used by the default table too). Every
 * size is in bytes and says so in its name; smaps gives kB (KiB), so
 * those are multiplied. The fields are documented in memlayout.1.
 */
void
json_region(struct json *j, const struct maps_entry *e, enum seg s, int rss)
{
	char dev[32];

	snprintf(dev, sizeof(dev), "%02x:%02x", e->dev_major, e->dev_minor);
	json_obj_begin(j);
	json_hex(j, "start", e->start);
	json_hex(j, "end", e->end);
	json_key(j, "size_bytes");
	json_uint(j, e->end - e->start);
	json_key(j, "perms");
	json_str(j, e->perms);
	json_key(j, "segment");
	json_str(j, seg_name(s));
	json_key(j, "offset");
	json_uint(j, e->offset);
	json_key(j, "dev");
	json_str(j, dev);
	json_key(j, "inode");
	json_uint(j, e->inode);
	json_key(j, "deleted");
	json_bool(j, e->deleted);
	if (rss) {
		json_kib_as_bytes(j, "rss_bytes", e->rss_kb);
		json_kib_as_bytes(j, "pss_bytes", e->pss_kb);
		json_kib_as_bytes(j, "swap_bytes", e->swap_kb);
		json_kib_as_bytes(j, "hugetlb_bytes", e->hugetlb_kb);
		json_kib_as_bytes(j, "page_size_bytes", e->page_kb);
	}
	json_key(j, "path");
	json_strn(j, e->path, e->path_len);
	json_obj_end(j);
}

static long long
known(long long kb)
{
	return kb > 0 ? kb : 0;
}

static void
sum(struct total *t, const struct maps *m, const enum seg *seg)
{
	size_t i;

	memset(t, 0, sizeof(*t) * (SEG_COUNT + 1));
	for (i = 0; i < m->n; i++) {
		struct total *a[2] = {&t[seg[i]], &t[SEG_COUNT]};
		int k;

		for (k = 0; k < 2; k++) {
			a[k]->count++;
			a[k]->bytes += m->v[i].end - m->v[i].start;
			a[k]->rss_kb += known(m->v[i].rss_kb);
			a[k]->pss_kb += known(m->v[i].pss_kb);
			a[k]->hugetlb_kb += known(m->v[i].hugetlb_kb);
		}
	}
}

/* One entry of "totals": a segment kind is a value, never a key. */
static void
json_total(struct json *j, const char *name, const struct total *t, int rss)
{
	json_obj_begin(j);
	json_kv_str(j, "segment", name);
	json_key(j, "count");
	json_uint(j, t->count);
	json_key(j, "size_bytes");
	json_uint(j, t->bytes);
	if (rss) {
		json_kv_int(j, "rss_bytes", t->rss_kb * 1024);
		json_kv_int(j, "pss_bytes", t->pss_kb * 1024);
		json_kv_int(j, "hugetlb_bytes", t->hugetlb_kb * 1024);
	}
	json_obj_end(j);
}

/* Both JSON forms begin alike: the object opens on stdout with who
 * the process is and how its program and thread stacks were found. */
void
json_process(struct json *j, pid_t pid, const struct procinfo *pi,
             const char *exe)
{
	char state[2] = {pi->state, '\0'};

	json_init(j, stdout);
	json_obj_begin(j);
	json_key(j, "pid");
	json_int(j, pid);
	json_kv_str(j, "state", state);
	json_kv_str(j, "exe", exe);
	json_kv_str(j, "program", pi->program);
	json_kv_str(j, "program_from", pi->program_from);
	json_kv_str(j, "thread_stacks_from",
	            pi->sp_all ? "stack pointers" : "neighbours");
}

static int
print_json(pid_t pid, const char *exe, const struct procinfo *pi,
           const struct maps *m, const enum seg *seg, const struct total *t,
           int rss)
{
	struct json j;
	size_t i;
	int s;

	json_process(&j, pid, pi, exe);
	json_key(&j, "regions");
	json_arr_begin(&j);
	for (i = 0; i < m->n; i++) {
		fputc('\n', stdout); /* one region per line */
		json_region(&j, &m->v[i], seg[i], rss);
	}
	json_arr_end(&j);
	fputc('\n', stdout);
	/* "all" first, and always there: a zombie or a kernel thread has
	 * an empty map, and says so with count 0 */
	json_key(&j, "totals");
	json_arr_begin(&j);
	json_total(&j, "all", &t[SEG_COUNT], rss);
	for (s = 0; s < SEG_COUNT; s++)
		if (t[s].count)
			json_total(&j, seg_name((enum seg)s), &t[s], rss);
	json_arr_end(&j);
	json_obj_end(&j);
	return json_end(&j) ? 1 : 0;
}

static void
print_kb(long long kb, int w)
{
	if (kb < 0)
		printf(" %*s", w, "-");
	else
		printf(" %*lld", w, kb);
}

/*
 * Column widths. The full table (-w, a wide terminal, a pipe) has
 * /proc/PID/maps's 16-digit addresses and whole paths. A narrow one
 * (80 columns) prints addresses in as many digits as user space needs
 * (the [vsyscall] page's 16 digits just stick out), drops SIZE when
 * --rss needs the room, and cuts paths from the left to fit.
 */
struct cols {
	int addr, size, perms, kb;
	size_t path; /* cells for the path, 0: all */
};

static struct cols
cols_for(const struct maps *m, const struct opts *o)
{
	struct cols c = {16, 10, 5, 9, 0};
	size_t i, w, max = 0, fixed;
	char hex[24];

	for (i = 0; i < m->n; i++) {
		w = esc_width(m->v[i].path, m->v[i].path_len) +
		    (m->v[i].deleted ? 10 : 0);
		max = w > max ? w : max;
	}
	fixed = 16 + 1 + 16 + 1 + 10 + 1 + 5 + 1 + 12 + 1 + (o->rss ? 20 : 0);
	if (!o->width || fixed + max <= (size_t)o->width)
		return c; /* the full table fits */
	c.addr = 1;
	for (i = 0; i < m->n; i++) {
		if (m->v[i].start >= 0x800000000000UL)
			continue; /* above user space: [vsyscall] */
		w = (size_t)snprintf(hex, sizeof(hex), "%lx", m->v[i].end);
		c.addr = (int)w > c.addr ? (int)w : c.addr;
	}
	c.size = o->rss ? 0 : 10;
	c.perms = 4; /* "PERM": as wide as the permissions */
	c.kb = 8;    /* as wide as "RSS(KiB)" */
	fixed = (size_t)(2 * c.addr + 2 + (c.size ? c.size + 1 : 0)) + 5 + 13 +
	        (o->rss ? 18 : 0);
	c.path = (size_t)o->width > fixed + 12 ? (size_t)o->width - fixed : 12;
	return c;
}

/* One maps line: START END [SIZE] PERMS SEGMENT [RSS PSS] PATH */
static void
print_line(const struct maps_entry *e, enum seg s, const struct cols *c,
           const struct opts *o)
{
	const char *off = term_sgr(o->color, "0");
	size_t room = c->path, del = e->deleted ? 10 : 0;
	char size[32];
	int n, nopath = e->path_len == 0 && !e->deleted; /* no padding after */

	n = printf("%0*lx %0*lx", c->addr, e->start, c->addr, e->end);
	/* a row whose addresses stick out ([vsyscall]) has less room */
	room -= room && n > 2 * c->addr + 1 ? (size_t)(n - 2 * c->addr - 1) : 0;
	if (c->size) {
		format_size(e->end - e->start, size, sizeof(size));
		printf(" %*s", c->size, size);
	}
	printf(" %-*s %s%-*s%s", c->perms, e->perms,
	       term_sgr(o->color, seg_color(s)), nopath && !o->rss ? 0 : 12,
	       seg_name(s), off);
	if (o->rss) {
		print_kb(e->rss_kb, c->kb);
		print_kb(e->pss_kb, c->kb);
	}
	if (nopath) {
		putchar('\n');
		return;
	}
	putchar(' ');
	/* a path may hold any byte: escaped, its left end cut if need be */
	put_left(e->path, e->path_len,
	         c->path ? (room > del + 4 ? room - del : 4) : 0, 0, stdout);
	puts(e->deleted ? " (deleted)" : "");
}

static int
print_text(pid_t pid, const char *exe, const struct maps *m,
           const enum seg *seg, const struct total *t, const struct opts *o)
{
	const char *bold = term_sgr(o->color, TERM_BOLD);
	const char *off = term_sgr(o->color, "0");
	struct cols c = cols_for(m, o);
	char size[32], head[32], tail[96];
	size_t i, w;
	int s, n, two;

	/* the heading on two lines if the program's path needs the room */
	snprintf(tail, sizeof(tail),
	         "%zu mappings, low addresses first as in /proc/%ld/maps", m->n,
	         (long)pid);
	/* n: cells of "pid N (", without the colour's escape bytes */
	n = snprintf(head, sizeof(head), "pid %ld (", (long)pid);
	printf("%s%s", bold, head);
	w = o->width > n + 14 ? (size_t)(o->width - n - 2) : 12;
	two = o->width &&
	      (size_t)n + 3 + esc_width(exe, strlen(exe)) + strlen(tail) >
	          (size_t)o->width;
	/* its path: any bytes, cut from the left on a narrow terminal */
	put_left(*exe ? exe : "?", *exe ? strlen(exe) : 1, two ? w : 0, 0,
	         stdout);
	printf(")%s%s%s\n", two ? ":\n" : ": ", tail, off);
	printf("%s%-*s %-*s", bold, c.addr, "START", c.addr, "END");
	if (c.size)
		printf(" %*s", c.size, "SIZE");
	printf(" %-*s %-12s", c.perms, c.perms < 5 ? "PERM" : "PERMS",
	       "SEGMENT");
	if (o->rss)
		printf(" %*s %*s", c.kb, "RSS(KiB)", c.kb, "PSS(KiB)");
	printf(" PATH%s\n", off);
	for (i = 0; i < m->n; i++)
		print_line(&m->v[i], seg[i], &c, o);
	printf("\n%stotals by segment%s\n", bold, off);
	for (s = 0; s <= SEG_COUNT; s++) {
		if (!t[s].count)
			continue;
		format_size(t[s].bytes, size, sizeof(size));
		printf("  %-12s %4zu mapping%s %10s",
		       s == SEG_COUNT ? "all" : seg_name((enum seg)s),
		       t[s].count, t[s].count == 1 ? " " : "s", size);
		if (o->rss)
			printf("   rss %lld KiB, pss %lld KiB", t[s].rss_kb,
			       t[s].pss_kb);
		printf("\n");
	}
	return 0;
}

/*
 * Was the process still whole after we read its map? A process that
 * exits while we read has its mappings torn down under us: the kernel
 * hands out what is left, which looks like a small but valid map. Its
 * stat, read through the same directory fd, tells: gone (ESRCH), a
 * zombie, or PF_EXITING set in the flags.
 */
static int
still_alive(struct proc_handle *h)
{
	struct proc_stat st;

	return proc_read_stat(h, &st) == 0 && st.state != 'Z' &&
	       st.state != 'X' && !(st.flags & PROC_PF_EXITING);
}

/*
 * Open /proc/PID and read its maps; messages name the file that failed.
 * Every file (maps, smaps, stat, and exe after us) is read through the
 * one directory descriptor in h: if the PID is recycled meanwhile, the
 * reads fail with ESRCH instead of mixing two processes.
 */
static int
load(pid_t pid, int rss, struct proc_handle *h, struct maps *m)
{
	if (proc_open(h, (int)pid) < 0) {
		if (errno == ENOENT || errno == ESRCH)
			warn("no process with pid %ld", (long)pid);
		else
			warn("cannot open '/proc/%ld':", (long)pid);
		return -1;
	}
	if (maps_read(h, m) < 0) {
		if (errno == ENOENT || errno == ESRCH)
			warn("process %ld is gone", (long)pid);
		else
			warn("cannot read '/proc/%ld/maps':", (long)pid);
		proc_close(h);
		return -1;
	}
	if (rss && maps_read_smaps(h, m) < 0) {
		warn("cannot read '/proc/%ld/smaps':", (long)pid);
		maps_free(m);
		proc_close(h);
		return -1;
	}
	if (m->n > 0 && !still_alive(h)) {
		warn("process %ld exited while its map was read", (long)pid);
		maps_free(m);
		proc_close(h);
		return -1;
	}
	maps_real_names(h->dirfd, m);
	return 0;
}

int
cmd_pid(pid_t pid, const struct opts *o)
{
	struct total t[SEG_COUNT + 1];
	char exe[4096];
	struct proc_handle h;
	struct procinfo pi;
	struct maps m;
	enum seg *seg;
	int status;

	if (load(pid, o->rss, &h, &m) < 0)
		return 1;
	exe_path(h.dirfd, exe, sizeof(exe));
	procinfo_read(&h, &m, &pi);
	seg = xcalloc(m.n ? m.n : 1, sizeof(*seg));
	classify(&m, &pi, seg); /* reads mapped files' ELF headers */
	proc_close(&h);
	sum(t, &m, seg);
	if (o->json)
		status = print_json(pid, exe, &pi, &m, seg, t, o->rss);
	else if (m.n == 0)
		status = printf("pid %ld has no user-space mappings (state "
		                "%c: a kernel thread, or a zombie)\n",
		                (long)pid, pi.state) < 0;
	else
		status = print_text(pid, exe, &m, seg, t, o);
	if (!o->json && m.n > 0 && procinfo_note(&pi))
		printf("\n%s\n", procinfo_note(&pi));
	procinfo_free(&pi);
	free(seg);
	maps_free(&m);
	return status;
}
