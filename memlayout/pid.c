/*
 * pid.c: memlayout --pid PID. Another process's map, each line classified
 * the way the default table does it, with sizes, permissions and totals
 * per segment kind; --rss adds what is resident (Rss) and each process's
 * fair share of shared pages (Pss) from smaps.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "proc.h"
#include "memlayout.h"
#include "term.h"
#include "util.h"

struct total {
	size_t count;
	unsigned long long bytes;
	long long rss_kb, pss_kb;
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

/* One region as a JSON object (used by the default table too). */
void
json_region(struct json *j, const struct maps_entry *e, enum seg s, int rss)
{
	char dev[32];

	snprintf(dev, sizeof(dev), "%02x:%02x", e->dev_major, e->dev_minor);
	json_obj_begin(j);
	json_hex(j, "start", e->start);
	json_hex(j, "end", e->end);
	json_key(j, "size");
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
		json_key(j, "rss_kb");
		json_int(j, e->rss_kb);
		json_key(j, "pss_kb");
		json_int(j, e->pss_kb);
		json_key(j, "swap_kb");
		json_int(j, e->swap_kb);
	}
	json_key(j, "path");
	json_strn(j, e->path, e->path_len);
	json_obj_end(j);
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
			a[k]->rss_kb += m->v[i].rss_kb > 0 ? m->v[i].rss_kb : 0;
			a[k]->pss_kb += m->v[i].pss_kb > 0 ? m->v[i].pss_kb : 0;
		}
	}
}

static int
print_json(pid_t pid, const char *exe, const struct maps *m,
           const enum seg *seg, const struct total *t, int rss)
{
	struct json j;
	size_t i;
	int s;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_key(&j, "pid");
	json_int(&j, pid);
	json_key(&j, "exe");
	json_str(&j, exe);
	json_key(&j, "regions");
	json_arr_begin(&j);
	for (i = 0; i < m->n; i++) {
		fputc('\n', stdout); /* one region per line */
		json_region(&j, &m->v[i], seg[i], rss);
	}
	json_arr_end(&j);
	fputc('\n', stdout);
	json_key(&j, "totals");
	json_obj_begin(&j);
	for (s = 0; s <= SEG_COUNT; s++) {
		if (!t[s].count)
			continue;
		json_key(&j, s == SEG_COUNT ? "all" : seg_name((enum seg)s));
		json_obj_begin(&j);
		json_key(&j, "count");
		json_uint(&j, t[s].count);
		json_key(&j, "size");
		json_uint(&j, t[s].bytes);
		if (rss) {
			json_key(&j, "rss_kb");
			json_int(&j, t[s].rss_kb);
			json_key(&j, "pss_kb");
			json_int(&j, t[s].pss_kb);
		}
		json_obj_end(&j);
	}
	json_obj_end(&j);
	json_obj_end(&j);
	return json_end(&j) ? 1 : 0;
}

static void
print_kb(long long kb)
{
	if (kb < 0)
		printf(" %9s", "-");
	else
		printf(" %9lld", kb);
}

static int
print_text(pid_t pid, const char *exe, const struct maps *m,
           const enum seg *seg, const struct total *t, const struct opts *o)
{
	const char *bold = term_sgr(o->color, TERM_BOLD);
	const char *off = term_sgr(o->color, "0");
	char size[32];
	size_t i;
	int s;

	printf("%spid %ld (%s): %zu mappings, low addresses first as in "
	       "/proc/%ld/maps%s\n",
	       bold, (long)pid, *exe ? exe : "?", m->n, (long)pid, off);
	printf("%s%-16s %-16s %10s %-5s %-12s", bold, "START", "END", "SIZE",
	       "PERMS", "SEGMENT");
	if (o->rss)
		printf(" %9s %9s", "RSS(KiB)", "PSS(KiB)");
	printf(" PATH%s\n", off);
	for (i = 0; i < m->n; i++) {
		const struct maps_entry *e = &m->v[i];

		format_size(e->end - e->start, size, sizeof(size));
		printf("%016lx %016lx %10s %-5s %s%-12s%s", e->start, e->end,
		       size, e->perms, term_sgr(o->color, seg_color(seg[i])),
		       seg_name(seg[i]), off);
		if (o->rss) {
			print_kb(e->rss_kb);
			print_kb(e->pss_kb);
		}
		printf(" %s%s\n", e->path, e->deleted ? " (deleted)" : "");
	}
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

/* Open /proc/PID and read its maps; messages name the file that failed. */
/*
 * Was the process still whole after we read its map? A process that
 * exits while we read has its mappings torn down under us: the kernel
 * hands out what is left, which looks like a small but valid map. Its
 * stat, read through the same directory fd, tells: gone (ESRCH), a
 * zombie, or PF_EXITING (0x4) set in the flags.
 */
static int
still_alive(int dfd)
{
	struct proc_stat st;
	int fd = openat(dfd, "stat", O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return 0;
	r = proc_parse_stat_fd(fd, &st);
	close(fd);
	return r == 0 && st.state != 'Z' && st.state != 'X' &&
	       !(st.flags & 0x4);
}

static int
load(pid_t pid, int rss, int *dfd, struct maps *m)
{
	*dfd = maps_open_pid(pid);
	if (*dfd < 0) {
		if (errno == ENOENT || errno == ESRCH)
			warn("no process with pid %ld", (long)pid);
		else
			warn("cannot open '/proc/%ld':", (long)pid);
		return -1;
	}
	if (maps_read(*dfd, m) < 0) {
		if (errno == ENOENT || errno == ESRCH)
			warn("process %ld is gone", (long)pid);
		else
			warn("cannot read '/proc/%ld/maps':", (long)pid);
		close(*dfd);
		return -1;
	}
	if (rss && maps_read_smaps(*dfd, m) < 0) {
		warn("cannot read '/proc/%ld/smaps':", (long)pid);
		maps_free(m);
		close(*dfd);
		return -1;
	}
	if (m->n > 0 && !still_alive(*dfd)) {
		warn("process %ld exited while its map was read", (long)pid);
		maps_free(m);
		close(*dfd);
		return -1;
	}
	return 0;
}

int
cmd_pid(pid_t pid, const struct opts *o)
{
	struct total t[SEG_COUNT + 1];
	char exe[4096];
	struct maps m;
	enum seg *seg;
	int dfd, status;

	if (load(pid, o->rss, &dfd, &m) < 0)
		return 1;
	exe_path(dfd, exe, sizeof(exe));
	close(dfd);
	if (m.n == 0 && !o->json) {
		printf("pid %ld has no user-space mappings (a kernel thread, "
		       "or a zombie)\n",
		       (long)pid);
		maps_free(&m);
		return 0;
	}
	seg = xcalloc(m.n ? m.n : 1, sizeof(*seg));
	classify(&m, exe, seg);
	sum(t, &m, seg);
	if (o->json)
		status = print_json(pid, exe, &m, seg, t, o->rss);
	else
		status = print_text(pid, exe, &m, seg, t, o);
	free(seg);
	maps_free(&m);
	return status;
}
