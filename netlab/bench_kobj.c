/*
 * bench_kobj.c: the kernel's own objects behind a held connection, for
 * "netlab bench --idle": what RSS, PSS and VmPTE do not count.
 *
 * The kernel allocates its structures from slab caches, one cache per
 * kind of object, and /proc/slabinfo gives each cache's object size
 * (root only). It does not say which process owns which object, so the
 * figures here are estimates: object size x how many more of them the
 * server has while it holds the connections, counted from /proc/PID:
 *
 *   every new task (thread or process)  task_struct
 *   every new process (fork)            mm_struct, signal_cache,
 *                                       sighand_cache, files_cache,
 *                                       fs_cache
 *   every new memory map (maps line)    vm_area_struct
 *   every socket                        TCP (TCPv6), sock_inode_cache,
 *                                       filp, dentry
 *   every epoll registration            eventpoll_epi ("tfd:" lines in
 *                                       /proc/PID/fdinfo/FD)
 *
 * Left out: smaller objects (struct pid, cred, anon_vma, ...) and
 * memory from kmalloc (a large descriptor table, the socket's queues).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "bench.h"
#include "proc.h"

const char *const bench_slab_name[BS_NSLABS] = {
    "task_struct",      "mm_struct", "signal_cache",   "sighand_cache",
    "files_cache",      "fs_cache",  "vm_area_struct", "TCP",
    "sock_inode_cache", "filp",      "dentry",         "eventpoll_epi"};

/*
 * One cache's object size in bytes, or -1 if unknown. A cache that SLUB
 * merged into another of the same size has no line of its own in
 * /proc/slabinfo (fs_cache often); /sys/kernel/slab/NAME is then a link
 * to the merged cache, and its slab_size is what slabinfo's objsize
 * column shows for a cache (the object with its alignment).
 */
static long
slab_size(const char *name)
{
	long n = proc_slab_objsize(name);
	char path[96];
	long long v;

	if (n > 0 || errno != ENOENT)
		return n > 0 ? n : -1;
	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/slab_size", name);
	v = proc_sys_value(path, "");
	return v > 0 ? (long)v : -1;
}

void
bench_slabs_read(long *size, int family)
{
	int k;

	for (k = 0; k < BS_NSLABS; k++)
		size[k] = slab_size(k == BS_TCP && family == AF_INET6
		                        ? "TCPv6"
		                        : bench_slab_name[k]);
}

/* Bytes of slabs first..last (inclusive), or -1 if one is unknown. */
static double
sum_of(const long *size, int first, int last)
{
	double s = 0;
	int k;

	for (k = first; k <= last; k++) {
		if (size[k] < 0)
			return -1;
		s += (double)size[k];
	}
	return s;
}

/*
 * (b - a) objects of bytes each, per held connection: 0 when there are
 * no more of them (whatever their size), NAN when the count or the size
 * is unknown, never a made-up number.
 */
static double
grow(long long a, long long b, double bytes, int held)
{
	if (a < 0 || b < 0 || held <= 0)
		return NAN;
	if (a == b)
		return 0;
	return bytes < 0 ? NAN : (double)(b - a) * bytes / held;
}

void
bench_kobj_cost(const struct bench_idle_result *r, struct bench_cost *c)
{
	const struct bench_proc *a = &r->before, *b = &r->after;
	const long *sz = r->slab;

	c->task_obj =
	    grow(a->threads, b->threads, sum_of(sz, BS_TASK, BS_TASK), r->held);
	c->proc_obj =
	    grow(a->procs, b->procs, sum_of(sz, BS_MM, BS_FS), r->held);
	c->vma_obj =
	    grow(a->vmas, b->vmas, sum_of(sz, BS_VMA, BS_VMA), r->held);
	c->epoll_obj = grow(a->epoll_regs, b->epoll_regs,
	                    sum_of(sz, BS_EPI, BS_EPI), r->held);
	/* one socket per held connection, whatever the model */
	c->sock_obj = sum_of(sz, BS_TCP, BS_DENTRY);
	if (c->sock_obj < 0)
		c->sock_obj = NAN;
}

double
bench_kobj_sum(const struct bench_cost *c)
{
	const double v[] = {c->task_obj, c->proc_obj, c->vma_obj, c->epoll_obj};
	double s = 0;
	int k, n = 0;

	for (k = 0; k < (int)(sizeof(v) / sizeof(v[0])); k++)
		if (!isnan(v[k])) {
			s += v[k];
			n++;
		}
	return n ? s : NAN;
}
