/* maps.c: /proc/PID/maps and smaps parser and readers (see maps.h). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "maps.h"

/* A cursor over a line that is not NUL-terminated: never read past end. */
struct cur {
	const char *p, *end;
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* At least one digit in base 16 or 10; -1 on none or on overflow. */
static int
get_num(struct cur *c, int base, unsigned long long *out)
{
	unsigned long long v = 0;
	int d, ndig = 0;

	while (c->p < c->end) {
		d = base == 16
		        ? hexval(*c->p)
		        : (*c->p >= '0' && *c->p <= '9' ? *c->p - '0' : -1);
		if (d < 0)
			break;
		if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
			return -1;
		v = v * (unsigned)base + (unsigned)d;
		c->p++;
		ndig++;
	}
	*out = v;
	return ndig > 0 ? 0 : -1;
}

static int
get_char(struct cur *c, char want)
{
	if (c->p >= c->end || *c->p != want)
		return -1;
	c->p++;
	return 0;
}

static int
get_perms(struct cur *c, char perms[5])
{
	static const char allowed[4][3] = {"r-", "w-", "x-", "ps"};
	int i;

	if (c->end - c->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		if (c->p[i] != allowed[i][0] && c->p[i] != allowed[i][1])
			return -1;
		perms[i] = c->p[i];
	}
	perms[4] = '\0';
	c->p += 4;
	return 0;
}

int
maps_parse_line(const char *line, size_t len, struct maps_entry *e)
{
	static const char del[] = " (deleted)";
	const size_t dlen = sizeof(del) - 1;
	struct cur c;
	unsigned long long start, end, maj, min;

	if (!line || !e)
		goto bad;
	c.p = line;
	c.end = line + len;
	while (c.end > c.p && (c.end[-1] == '\n' || c.end[-1] == '\r'))
		c.end--;
	if (get_num(&c, 16, &start) || get_char(&c, '-') ||
	    get_num(&c, 16, &end) || get_char(&c, ' ') ||
	    get_perms(&c, e->perms) || get_char(&c, ' ') ||
	    get_num(&c, 16, &e->offset) || get_char(&c, ' ') ||
	    get_num(&c, 16, &maj) || get_char(&c, ':') ||
	    get_num(&c, 16, &min) || get_char(&c, ' ') ||
	    get_num(&c, 10, &e->inode))
		goto bad;
	if (start > ULONG_MAX || end > ULONG_MAX || end < start ||
	    maj > UINT_MAX || min > UINT_MAX)
		goto bad;
	/* After the inode: padding, then the path (which may hold spaces). */
	if (c.p < c.end && *c.p != ' ')
		goto bad;
	while (c.p < c.end && *c.p == ' ')
		c.p++;
	e->start = (unsigned long)start;
	e->end = (unsigned long)end;
	e->dev_major = (unsigned int)maj;
	e->dev_minor = (unsigned int)min;
	e->path = (char *)c.p;
	e->path_len = (size_t)(c.end - c.p);
	/*
	 * The kernel appends " (deleted)" to a file that was unlinked while
	 * mapped. A file really named "x (deleted)" looks the same: the
	 * format cannot tell them apart, so neither can we.
	 */
	e->deleted = 0;
	if (e->path_len > dlen &&
	    memcmp(e->path + e->path_len - dlen, del, dlen) == 0) {
		e->deleted = 1;
		e->path_len -= dlen;
	}
	e->rss_kb = e->pss_kb = e->swap_kb = e->hugetlb_kb = e->page_kb = -1;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

/*
 * The largest maps or smaps text read (vm.max_map_count is 65530 by
 * default; smaps gives each mapping about 1 KiB). Past it: EFBIG.
 */
#define MAPS_TEXT_MAX ((size_t)1 << 30)

/* All of file NAME of h, through lib's one reader. NULL with errno. */
static char *
read_text(struct proc_handle *h, const char *name, size_t *lenp)
{
	char *buf;
	ssize_t r;
	int cut;

	/* maps and smaps are seq_files: a short read is not the end */
	r = proc_read_alloc(h, name, MAPS_TEXT_MAX, PROC_TO_EOF, &buf, &cut);
	if (r < 0)
		return NULL;
	if (cut) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	*lenp = (size_t)r;
	return buf;
}

/* Next line of [p, end): sets *len (without '\n'); returns next start. */
static const char *
next_line(const char *p, const char *end, size_t *len)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	if (!nl) {
		*len = (size_t)(end - p);
		return end;
	}
	*len = (size_t)(nl - p);
	return nl + 1;
}

static int
push(struct maps *m, size_t *cap, const struct maps_entry *e)
{
	struct maps_entry *nv;
	char *path;

	if (m->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		nv = realloc(m->v, *cap * sizeof(*nv));
		if (!nv)
			return -1;
		m->v = nv;
	}
	if (!(path = malloc(e->path_len + 1)))
		return -1;
	memcpy(path, e->path, e->path_len);
	path[e->path_len] = '\0';
	m->v[m->n] = *e;
	m->v[m->n].path = path;
	m->n++;
	return 0;
}

int
maps_read(struct proc_handle *h, struct maps *m)
{
	struct maps_entry e;
	const char *p, *end;
	size_t len, cap = 0, llen;
	char *buf;
	int saved;

	m->v = NULL;
	m->n = 0;
	if (!(buf = read_text(h, "maps", &len)))
		return -1;
	for (p = buf, end = buf + len; p < end;) {
		const char *line = p;

		p = next_line(p, end, &llen);
		if (llen == 0)
			continue;
		if (maps_parse_line(line, llen, &e) || push(m, &cap, &e))
			goto fail;
	}
	free(buf);
	return 0;
fail:
	saved = errno;
	free(buf);
	maps_free(m);
	errno = saved;
	return -1;
}

/* "Key:   123 kB" -> 123 if line starts with key (which ends in ':'). */
static int
smaps_field(const char *line, size_t len, const char *key, long long *out)
{
	size_t klen = strlen(key);
	struct cur c = {line + klen, line + len};
	unsigned long long v;

	if (len < klen || memcmp(line, key, klen) != 0)
		return 0;
	while (c.p < c.end && *c.p == ' ')
		c.p++;
	if (get_num(&c, 10, &v) == 0 && v <= LLONG_MAX)
		*out = (long long)v;
	return 1;
}

/* Private_Hugetlb + Shared_Hugetlb: a hugetlb mapping's resident size. */
static void
hugetlb_field(const char *line, size_t len, struct maps_entry *e)
{
	long long v = -1;

	if (!smaps_field(line, len, "Private_Hugetlb:", &v))
		smaps_field(line, len, "Shared_Hugetlb:", &v);
	if (v >= 0)
		e->hugetlb_kb = (e->hugetlb_kb > 0 ? e->hugetlb_kb : 0) + v;
}

int
maps_read_smaps(struct proc_handle *h, struct maps *m)
{
	struct maps_entry e, *cur = NULL;
	const char *p, *end;
	size_t len, llen;
	long i;
	char *buf;

	if (!(buf = read_text(h, "smaps", &len)))
		return -1;
	for (p = buf, end = buf + len; p < end;) {
		const char *line = p;

		p = next_line(p, end, &llen);
		/* A header is a maps line; field lines start "Name:". */
		if (llen > 0 && hexval(line[0]) >= 0 &&
		    maps_parse_line(line, llen, &e) == 0) {
			i = maps_find(m, e.start);
			cur = i >= 0 && m->v[i].start == e.start &&
			              m->v[i].end == e.end
			          ? &m->v[i]
			          : NULL;
			continue;
		}
		if (!cur)
			continue;
		if (!smaps_field(line, llen, "Rss:", &cur->rss_kb) &&
		    !smaps_field(line, llen, "Pss:", &cur->pss_kb) &&
		    !smaps_field(line, llen, "Swap:", &cur->swap_kb) &&
		    !smaps_field(line, llen, "KernelPageSize:", &cur->page_kb))
			hugetlb_field(line, llen, cur);
	}
	free(buf);
	return 0;
}

long
maps_find(const struct maps *m, unsigned long addr)
{
	size_t lo = 0, hi = m->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (addr < m->v[mid].start)
			hi = mid;
		else if (addr >= m->v[mid].end)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

void
maps_free(struct maps *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		free(m->v[i].path);
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

int
maps_is_anon(const struct maps_entry *e)
{
	return e->inode == 0 && (e->path_len == 0 || e->path[0] == '[');
}
