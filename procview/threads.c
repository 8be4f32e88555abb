/*
 * threads.c: -L, one row per thread.
 *
 * A process is a thread group; each thread has its own directory in
 * /proc/PID/task/TID with its own stat (its own state, CPU time,
 * processor). The directory is opened through the process's directory
 * descriptor, so the threads listed are those of this very process even
 * if its PID were reused meanwhile.
 */
#include <stdlib.h>
#include <string.h>

#include "procview.h"
#include "util.h"

/* The command line belongs to the process: each thread row has a copy
 * (unless the thread read its own: see tneeds below) */
static void
copy_cmd(struct pv_proc *t, const struct pv_proc *proc)
{
	if (t->cmd)
		return;
	if (proc->cmd) {
		t->cmd = xmalloc(proc->cmdlen + 1);
		memcpy(t->cmd, proc->cmd, proc->cmdlen + 1);
		t->cmdlen = proc->cmdlen;
		t->cmd_cut = proc->cmd_cut;
	}
	t->cmd_err = proc->cmd_err;
}

/*
 * The order ps shows threads in, the kernel's own (the task list): the
 * main thread, then the others as they were created. WHY not by TID:
 * after the PID counter wraps, a newer thread has a smaller number.
 */
static int
cmp_thread(const void *a, const void *b)
{
	const struct pv_proc *x = a, *y = b;

	if ((x->tid == x->pid) != (y->tid == y->pid))
		return x->tid == x->pid ? -1 : 1;
	if (x->st.starttime != y->st.starttime)
		return x->st.starttime < y->st.starttime ? -1 : 1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* Add one row per thread of proc (whose handle is h). */
int
pv_scan_threads(struct pv_list *l, struct proc_handle *h,
                const struct pv_proc *proc, int needs)
{
	/* a thread shares proc's command line; but when the main thread
	 * has exited (a zombie, whose own cmdline reads empty) the memory
	 * lives on in the others, which read it through their own task
	 * directory, as ps does */
	int tneeds = needs & (NEED_STATUS | NEED_EUID | NEED_WCHAN |
	                      (proc->st.state == 'Z' ? NEED_CMDLINE : 0));
	size_t first = l->n;
	int *tids;
	ssize_t n, i;

	n = proc_list_tasks(h, &tids);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct proc_handle th;
		struct pv_proc t;

		memset(&t, 0, sizeof(t));
		/* the main thread's row shows the process's own numbers, as
		 * ps does (its CPU time includes threads that have ended) */
		if (tids[i] == proc->pid) {
			t = *proc;
			t.forest = NULL;
			t.cmd = NULL;
			copy_cmd(&t, proc);
			*pv_list_push(l) = t;
			continue;
		}
		if (proc_open_task(&th, h, tids[i]) < 0)
			continue; /* the thread ended: skip it */
		t.pid = proc->pid;
		if (pv_read_files(&th, &t, tneeds) == 0) {
			copy_cmd(&t, proc);
			t.tid = tids[i];
			*pv_list_push(l) = t;
		}
		proc_close(&th);
	}
	free(tids);
	qsort(l->v + first, l->n - first, sizeof(*l->v), cmp_thread);
	return 0;
}
