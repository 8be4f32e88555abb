/*
 * explain.c: --explain, the legend under the table. For each column:
 * which /proc file and field it comes from and how it is computed; then
 * what the state letters mean, and why some fields are blank or '-'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procview.h"
#include "util.h"
#include "wrap.h"

static const char *const states[][2] = {
    {"R", "running or runnable (on a run queue)"},
    {"S", "interruptible sleep (waiting for an event: input, a timer)"},
    {"D", "uninterruptible sleep (usually disk or network I/O); signals wait"},
    {"Z", "zombie: ended, waiting for its parent to wait() for it"},
    {"T", "stopped by a signal (SIGSTOP, Ctrl-Z)"},
    {"t", "stopped by a debugger (ptrace)"},
    {"I", "idle kernel thread"},
    {"X", "dead (should never be seen)"},
    {"<", "high priority (nice < 0)"},
    {"N", "low priority (nice > 0)"},
    {"L", "has pages locked in memory (VmLck in status)"},
    {"s", "session leader (its PID is the session id)"},
    {"l", "multi-threaded (more than one thread)"},
    {"+", "in the foreground process group of its terminal"},
};

/*
 * One legend item: "  LABEL TEXT", TEXT wrapped at spaces to width with
 * its further lines under its first word, so that each label stands
 * alone in the left margin. A label wider than labw pushes its text
 * right on the first line only.
 */
static void
item(const char *label, int labw, const char *text, int width)
{
	size_t at = 2 + (size_t)labw + 1;
	char *w;

	if (strlen(label) > (size_t)labw)
		at = 2 + strlen(label) + 1;
	w = wrap_text(text, at, 2 + (size_t)labw + 1, (size_t)width);
	if (!w)
		die("out of memory");
	printf("  %-*s %s\n", labw, label, w);
	free(w);
}

/* item() with the count of rows it explains after the text */
static void
item_count(const char *label, const char *what, size_t n, int width)
{
	char text[256];

	snprintf(text, sizeof(text), "%s: %zu row(s)", what, n);
	item(label, 8, text, width);
}

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

/*
 * width: the table's (--cols, COLUMNS, the terminal); where the table
 * has no limit (piped, -ww) the prose still wraps at 80, the width the
 * project's output keeps to. Below 40 the labels leave too little room.
 */
void
pv_explain(const struct pv_format *f, const struct pv_list *l, struct pv_ctx *c,
           int width)
{
	size_t i, denied = 0, kthreads = 0, zombies = 0, nocmd = 0;

	if (width <= 0)
		width = 80;
	else if (width < 40)
		width = 40;

	printf(
	    "\nColumns (ticks per second: %ld, from sysconf(_SC_CLK_TCK)):\n",
	    c->hz);
	for (i = 0; i < f->n; i++) {
		const struct pv_col *col = &f->col[i];

		item(col->header ? col->header : col->key->header, 8,
		     col->key->explain, width);
	}
	if (shows_state(f)) {
		printf("\nState letters (stat field 3) and modifiers:\n");
		for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
			item(states[i][0], 2, states[i][1], width);
	}
	for (i = 0; i < l->n; i++) {
		denied += (f->needs & (NEED_STATUS | NEED_EUID)) &&
		          !l->v[i].stv.have_uid;
		kthreads += l->v[i].kthread;
		zombies += l->v[i].st.state == 'Z';
		nocmd += (f->needs & NEED_CMDLINE) && l->v[i].cmd_err != 0;
	}
	printf("\nBlank, '-' and [name] fields:\n");
	item_count("-",
	           "/proc/PID/status could not be read (permission "
	           "denied)",
	           denied, width);
	item_count("[name]",
	           "kernel thread, it has no command line "
	           "(PF_KTHREAD set)",
	           kthreads, width);
	item_count("<defunct>",
	           "zombie: memory and command line gone; RSS and "
	           "VSZ are 0",
	           zombies, width);
	item_count("[name]", "command line unreadable (permission denied)",
	           nocmd, width);
	item("?", 8, "TTY: no controlling terminal (stat field 7 is 0)", width);
}
