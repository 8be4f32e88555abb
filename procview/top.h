/*
 * top.h: the interactive state of --watch on a terminal (top.c).
 *
 * watch.c samples and draws; top.c owns what the user changed with keys
 * (sort, filter, pause, threads, the selected row, a prompt) and the
 * header lines. Nothing here reads the keyboard or the clock.
 */
#ifndef PV_TOP_H
#define PV_TOP_H

#include "procview.h"

enum top_sort { TOP_CPU, TOP_MEM, TOP_PID, TOP_TIME };
enum top_mode { TOP_NORMAL, TOP_FILTER, TOP_SIGNAL, TOP_CONFIRM, TOP_HELP };
enum top_act { TOP_NONE, TOP_REDRAW, TOP_RESCAN, TOP_SEND, TOP_QUIT };

/* the arrow keys, decoded by watch.c from ESC [ A and ESC [ B */
#define TOP_KEY_UP 0x101
#define TOP_KEY_DOWN 0x102

struct pv_top {
	enum top_sort sort;
	enum top_mode mode;
	int paused, color;
	int tree;        /* V: children under their parent, as --forest */
	int rows, cols;  /* the terminal's size now */
	char filter[64]; /* name or user substring; "" shows all */
	char input[64];  /* the line being typed at a prompt */
	size_t ninput;
	int sel;     /* selected row, 0 = first */
	int sel_pid; /* what the selected row was at the last frame */
	unsigned long long sel_start;
	char sel_comm[64];
	int signo;     /* the signal chosen at the prompt */
	char msg[256]; /* one line of feedback, "" for none */
};

/* Sort l by t->sort (ties by PID); with t->tree, put it in tree order
 * instead and draw the branches before each command (pv_forest). */
void top_sort(struct pv_list *l, const struct pv_top *t);

/* Drop the rows of l whose name and user do not contain t->filter. */
void top_filter(struct pv_list *l, const struct pv_top *t, struct pv_ctx *c);

/*
 * The header: clock, uptime and load; tasks by state; memory; the keys
 * or the prompt. Each line cut to t->cols. Returns the lines written.
 */
int top_header(const struct pv_list *l, struct pv_ctx *c,
               const struct pv_top *t, double secs);

/* One key ch; o->threads may change (H). Returns what to do next. */
enum top_act top_key(struct pv_top *t, struct pv_opts *o, int ch);

#endif
