/*
 * maps.h: /proc/PID/maps and /proc/PID/smaps (maps.c).
 *
 * Rules:
 * - One maps line is "START-END PERMS OFFSET MAJ:MIN INODE   PATH". The
 *   path is everything after the inode and its padding, so it may hold
 *   spaces; the kernel appends " (deleted)" when the file was unlinked,
 *   and the parser strips that suffix into a flag. A line has no length
 *   limit here (paths can be PATH_MAX long and longer).
 * - The parser never crashes and never reads past the line: a malformed
 *   line gives -1 with errno EINVAL.
 * - Readers take the process handle every tool uses (proc_open in
 *   proc.h): each file is read through its one /proc/PID directory
 *   descriptor, so every file comes from the same process even if its
 *   PID is recycled meanwhile, and through lib's one whole-file reader.
 * - Nothing here prints or exits. Returned arrays are owned by the caller
 *   and released with maps_free().
 */
#ifndef MAPS_H
#define MAPS_H

#include <stddef.h>
#include <sys/types.h>

#include "proc.h"

struct maps_entry {
	unsigned long start; /* first byte */
	unsigned long end;   /* one past the last byte */
	char perms[5];       /* "r-xp": read, write, exec, private/shared */
	unsigned long long offset; /* file offset of start */
	unsigned int dev_major, dev_minor;
	unsigned long long inode; /* 0 for anonymous mappings */
	int deleted;              /* path ended in " (deleted)" (stripped) */
	char *path;      /* "" if anonymous, "[heap]", "/usr/lib/..." */
	size_t path_len; /* strlen(path); paths may contain any byte */
	/* from smaps, only after maps_read_smaps(); -1 when unknown */
	long long rss_kb, pss_kb, swap_kb;
	/* hugetlb pages are not in Rss: Private_ + Shared_Hugetlb, and the
	 * page size the kernel maps this range with (KernelPageSize) */
	long long hugetlb_kb, page_kb;
};

struct maps {
	struct maps_entry *v;
	size_t n;
};

/*
 * Parse one maps line (with or without its trailing newline) of len bytes.
 * On success fills *e and returns 0; e->path then points INTO line (it
 * is not NUL-terminated there: use e->path_len) so the caller must copy
 * it if the line buffer goes away. The smaps sizes are set to -1.
 * Returns -1 with errno EINVAL on any malformed line (e is then
 * unspecified).
 */
int maps_parse_line(const char *line, size_t len, struct maps_entry *e);

/*
 * Read all of the maps file of the process open in h into *m (m->v
 * allocated, each path a private NUL-terminated copy). The file's
 * descriptor counts against PROC_MAX_FILES and is closed by
 * proc_close(h). Returns 0, or -1 with errno (EACCES for a process we
 * may not inspect, ENOMEM, EINVAL if a line did not parse, ESRCH if the
 * process is gone, EFBIG past 1 GiB of text, EMFILE h is full). On
 * failure *m is empty.
 */
int maps_read(struct proc_handle *h, struct maps *m);

/*
 * Read the smaps file of h and fill the smaps sizes (rss_kb ... page_kb)
 * of the entries of m whose ranges match. Entries not found in smaps keep -1
 * (a mapping can appear or vanish between the two reads). Returns 0 or
 * -1 with errno, as maps_read.
 */
int maps_read_smaps(struct proc_handle *h, struct maps *m);

/* Index of the entry containing addr, or -1 if none. m must be sorted
 * by address, as the kernel writes it. */
long maps_find(const struct maps *m, unsigned long addr);

/* Release what maps_read allocated; m is left empty. NULL-safe. */
void maps_free(struct maps *m);

/* Non-zero if the mapping has no file: anonymous or a [label]. */
int maps_is_anon(const struct maps_entry *e);

#endif
