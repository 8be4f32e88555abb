/*
 * explain.c: --explain, the legend under the table. For each column:
 * which /proc file and field it comes from and how it is computed; then
 * what the state letters mean, and why some fields are blank or '-'.
 */
#include <stdio.h>
#include <string.h>

#include "procview.h"

static const char *const states[] = {
    "R  running or runnable (on a run queue)",
    "S  interruptible sleep (waiting for an event: input, a timer)",
    "D  uninterruptible sleep (usually disk or network I/O); signals wait",
    "Z  zombie: ended, waiting for its parent to wait() for it",
    "T  stopped by a signal (SIGSTOP, Ctrl-Z)",
    "t  stopped by a debugger (ptrace)",
    "I  idle kernel thread",
    "X  dead (should never be seen)",
    "<  high priority (nice < 0)",
    "N  low priority (nice > 0)",
    "L  has pages locked in memory (VmLck in status)",
    "s  session leader (its PID is the session id)",
    "l  multi-threaded (more than one thread)",
    "+  in the foreground process group of its terminal",
};

static int
shows_state(const struct pv_format *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->col[i].key->name, "stat") ||
		    !strcmp(f->col[i].key->name, "state") ||
		    !strcmp(f->col[i].key->name, "s"))
			return 1;
	return 0;
}

void
pv_explain(const struct pv_format *f, const struct pv_list *l, struct pv_ctx *c)
{
	size_t i, denied = 0, kthreads = 0, zombies = 0, nocmd = 0;

	printf(
	    "\nColumns (ticks per second: %ld, from sysconf(_SC_CLK_TCK)):\n",
	    c->hz);
	for (i = 0; i < f->n; i++) {
		const struct pv_col *col = &f->col[i];

		printf("  %-8s %s\n",
		       col->header ? col->header : col->key->header,
		       col->key->explain);
	}
	if (shows_state(f)) {
		printf("\nState letters (stat field 3) and modifiers:\n");
		for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
			printf("  %s\n", states[i]);
	}
	for (i = 0; i < l->n; i++) {
		denied += (f->needs & (NEED_STATUS | NEED_EUID)) &&
		          !l->v[i].stv.have_uid;
		kthreads += l->v[i].kthread;
		zombies += l->v[i].st.state == 'Z';
		nocmd += (f->needs & NEED_CMDLINE) && l->v[i].cmd_err != 0;
	}
	printf("\nBlank, '-' and [name] fields:\n");
	printf("  -        /proc/PID/status could not be read (permission "
	       "denied): %zu row(s)\n",
	       denied);
	printf("  [name]   kernel thread, it has no command line (PF_KTHREAD "
	       "set): %zu row(s)\n",
	       kthreads);
	printf("  <defunct> zombie: its memory, so its command line, is gone; "
	       "RSS and VSZ are 0: %zu row(s)\n",
	       zombies);
	printf("  [name]   command line unreadable (permission denied): %zu "
	       "row(s)\n",
	       nocmd);
	printf("  ?        TTY: no controlling terminal (stat field 7 is 0)\n");
}
