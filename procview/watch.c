/*
 * watch.c: --watch SECONDS, a small top(1) to keep open during the labs.
 *
 * %CPU here is the share of one CPU used during the last interval:
 *   (ticks now - ticks at the last sample) / (seconds between * hz) * 100
 * which is what top shows, unlike ps's %CPU averaged over the whole life.
 * A sample is matched to the previous one by PID *and* start time, so a
 * recycled PID starts from zero instead of inheriting someone's ticks.
 *
 * On a terminal (stdin and stdout) it is interactive: the screen follows
 * the terminal's size (SIGWINCH), a header shows load, tasks by state
 * and memory (top.c), and keys sort, draw the tree, filter, pause and
 * signal (top.c; the header's last line lists them). The terminal is
 * put back on every way out: q, Ctrl-C, SIGTERM, SIGHUP, an error.
 * Piped, frames are printed one after the other with no escape codes
 * at all (--count N stops after N).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "esc.h"
#include "procview.h"
#include "sig.h"
#include "term.h"
#include "top.h"
#include "util.h"

struct sample {
	int pid, tid;
	unsigned long long start, ticks;
};

/* What a live view keeps between frames */
struct live {
	struct sample *prev; /* the last sample, sorted by pid */
	size_t nprev;
	double t0;            /* when it was taken */
	struct pv_list shown; /* the rows on screen, for a redraw */
	double secs;          /* the interval their %CPU covers */
	int tty, keys;        /* keys: the interactive screen is on */
	int input;            /* stdin can still give keys */
	int more;             /* NEED_* read only for the rows on screen */
	struct pv_top top;
};

static volatile sig_atomic_t stop_flag, winch_flag;

static void
on_signal(int sig)
{
	if (sig == SIGWINCH)
		winch_flag = 1; /* the terminal changed size: redraw */
	else
		stop_flag = 1; /* the loop ends and restores the terminal */
}

static int
cmp_sample(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* Remember each row's CPU ticks; returns a sorted array (caller frees). */
static struct sample *
take(const struct pv_list *l)
{
	struct sample *s = xcalloc(l->n + 1, sizeof(*s));
	size_t i;

	for (i = 0; i < l->n; i++) {
		s[i].pid = l->v[i].pid;
		s[i].tid = l->v[i].tid;
		s[i].start = l->v[i].st.starttime;
		s[i].ticks = l->v[i].st.utime + l->v[i].st.stime;
	}
	qsort(s, l->n, sizeof(*s), cmp_sample);
	return s;
}

static void
set_live(struct pv_list *l, const struct sample *prev, size_t nprev,
         double secs, long hz)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct pv_proc *p = &l->v[i];
		struct sample key = {p->pid, p->tid, 0, 0};
		const struct sample *old;
		unsigned long long now = p->st.utime + p->st.stime, base = 0;

		/* no sample yet before the first frame: prev is NULL */
		old = prev ? bsearch(&key, prev, nprev, sizeof(key), cmp_sample)
		           : NULL;
		if (old && old->start == p->st.starttime && old->ticks <= now)
			base = old->ticks;
		else if (!old || old->start != p->st.starttime)
			base = now; /* new since the last sample: no history */
		p->live = 1;
		p->live_pcpu = secs > 0 ? (double)(now - base) * 100.0 /
		                              (secs * (double)hz)
		                        : 0;
	}
}

/*
 * WHY two steps on a terminal: sorting, %CPU, the filter and the header
 * need stat (and the owner) of every process, but the screen shows only
 * a screenful of rows; status and the command line are read for those
 * rows alone (fill_rows), not for the hundreds below the screen. Piped,
 * every row is printed, so every file is read in one pass.
 */
static int
scan(struct pv_opts *o, struct pv_ctx *c, struct pv_list *l, int more)
{
	size_t i;

	c->now = time(NULL);
	c->uptime = proc_uptime();
	if (pv_scan(l, &o->sel, (o->fmt.needs & ~more) | NEED_EUID, o->threads,
	            c) < 0)
		return -1;
	for (i = 0; more && i < l->n; i++)
		l->v[i].partial = 1;
	return 0;
}

/*
 * A new frame's rows into w->shown: scan, %CPU since the last sample,
 * filter, sort. 0, or -1 if /proc could not be read (said so).
 */
static int
sample(struct pv_opts *o, struct pv_ctx *c, struct live *w)
{
	struct pv_list l = {0};
	double t1;

	if (scan(o, c, &l, w->more) < 0) {
		warn("cannot read '/proc':");
		pv_list_free(&l);
		return -1;
	}
	t1 = now_mono();
	set_live(&l, w->prev, w->nprev, t1 - w->t0, c->hz);
	free(w->prev);
	w->prev = take(&l);
	w->nprev = l.n;
	w->secs = t1 - w->t0;
	w->t0 = t1;
	top_filter(&l, &w->top, c);
	pv_list_free(&w->shown);
	w->shown = l;
	return 0;
}

static void
frame_header(const struct pv_list *l, struct pv_ctx *c, double secs)
{
	char when[16];
	size_t i, run = 0, threads = 0;
	struct tm tm;

	for (i = 0; i < l->n; i++) {
		run += l->v[i].st.state == 'R';
		threads += (size_t)l->v[i].st.num_threads;
	}
	localtime_r(&c->now, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	printf("procview %s  %zu rows, %zu running, %zu threads, %%CPU over "
	       "%.1f s\n",
	       when, l->n, run, threads, secs);
}

/* Piped: frames one after the other, as before, no escape codes */
static void
draw_plain(struct pv_opts *o, struct live *w, struct pv_ctx *c, long frame)
{
	size_t i;
	char *row;

	if (o->json) {
		pv_json_table(&w->shown, &o->fmt, c, (int)frame);
		return;
	}
	if (frame > 1)
		putchar('\n');
	frame_header(&w->shown, c, w->secs);
	if (!o->no_headers && pv_format_has_header(&o->fmt)) {
		row = pv_format_row(&o->fmt, NULL, c, o->width);
		puts(row);
		free(row);
	}
	for (i = 0; i < w->shown.n; i++) {
		row = pv_format_row(&o->fmt, &w->shown.v[i], c, o->width);
		puts(row);
		free(row);
	}
}

/* Remember the selected row: k signals it, checked by start time */
static void
select_row(struct pv_top *t, const struct pv_list *l, int max)
{
	const struct pv_proc *p;

	if (t->sel >= max)
		t->sel = max - 1;
	if (t->sel >= (int)l->n)
		t->sel = (int)l->n - 1;
	if (t->sel < 0)
		t->sel = 0;
	t->sel_pid = 0;
	if (l->n == 0)
		return;
	p = &l->v[t->sel];
	t->sel_pid = p->pid;
	t->sel_start = p->st.starttime;
	snprintf(t->sel_comm, sizeof(t->sel_comm), "%s", p->st.comm);
}

/* The files left out by scan() for the first max rows; a process that
 * ended meanwhile leaves the list and the next one moves up. */
static void
fill_rows(struct pv_list *l, int more, int max)
{
	size_t i = 0;

	while (i < l->n && i < (size_t)max) {
		struct pv_proc *p = &l->v[i];

		if (!p->partial || pv_read_more(p, more) == 0) {
			i++;
			continue;
		}
		pv_proc_free(p);
		memmove(p, p + 1, (l->n - i - 1) * sizeof(*p));
		l->n--;
	}
}

/*
 * A row cut to the screen's width, in place (a row as ps lays it out may
 * be wider: ps then wraps, a screen must not). The row is already
 * escaped, and escaping is idempotent, so esc_buf only cuts, by cells.
 */
static char *
cut_row(char *row, int cols)
{
	size_t len = strlen(row);

	esc_buf(row, len + 1, row, len, cols > 0 ? (size_t)cols : 0, NULL);
	return row;
}

/*
 * On a terminal: the whole screen, sized to the terminal as it is now
 * (asked again every frame, so a resize is followed).
 */
static void
draw_screen(struct pv_opts *o, struct live *w, struct pv_ctx *c)
{
	struct pv_top *t = &w->top;
	/* without colour (NO_COLOR, TERM=dumb) the selection is a '>' in a
	 * column of its own, left of the table: a PID as wide as its
	 * column leaves no blank to put it in */
	int mark = !t->color;
	int used, i, max;
	char *row;

	if (term_size(1, &t->rows, &t->cols) < 0) {
		t->rows = 24;
		t->cols = 80;
	}
	o->width = t->cols - mark;
	top_sort(&w->shown, t);
	/* cursor home, clear the screen */
	fputs("\033[H\033[2J", stdout);
	used = top_header(&w->shown, c, t, w->secs);
	if (pv_format_has_header(&o->fmt)) {
		row = cut_row(pv_format_row(&o->fmt, NULL, c, o->width),
		              o->width);
		printf("%s%s%s%s\n", mark ? " " : "",
		       term_sgr(t->color, TERM_REVERSE), row,
		       term_sgr(t->color, "0"));
		free(row);
		used++;
	}
	/* the last line stays empty: writing it would scroll the screen */
	max = t->rows - used - 1;
	fill_rows(&w->shown, w->more, max);
	select_row(t, &w->shown, max);
	for (i = 0; i < max && i < (int)w->shown.n; i++) {
		row =
		    cut_row(pv_format_row(&o->fmt, &w->shown.v[i], c, o->width),
		            o->width);
		/* the selection: reverse video, or the '>' column */
		if (i == t->sel && t->color)
			printf("%s%s%s\n", term_sgr(1, TERM_REVERSE), row,
			       term_sgr(1, "0"));
		else if (mark)
			printf("%c%s\n", i == t->sel ? '>' : ' ', row);
		else
			puts(row);
		free(row);
	}
	fflush(stdout);
}

/*
 * The keys waiting on stdin into k (arrows decoded: ESC [ A is one key);
 * returns how many, 0 at the end of input. Typed fast or pasted, many
 * bytes come in one read, and each one is a key.
 */
static int
read_keys(int *k, int cap)
{
	unsigned char b[64];
	ssize_t n = read(0, b, sizeof(b)), i;
	int nk = 0;

	for (i = 0; i < n && nk < cap; i++) {
		if (i + 2 < n && b[i] == 27 && b[i + 1] == '[' &&
		    (b[i + 2] == 'A' || b[i + 2] == 'B')) {
			k[nk++] = b[i + 2] == 'A' ? TOP_KEY_UP : TOP_KEY_DOWN;
			i += 2;
		} else {
			k[nk++] = b[i];
		}
	}
	return nk;
}

/* TOP_SEND: the signal chosen at the prompt, by kill's rules */
static void
send_selected(struct pv_top *t)
{
	char err[160], name[32], comm[64];

	esc_buf(comm, sizeof(comm), t->sel_comm, strlen(t->sel_comm),
	        ESC_NOLIMIT, NULL);
	sig_label(t->signo, name, sizeof(name));
	if (pv_kill_checked(t->sel_pid, t->sel_start, t->sel_comm, t->signo,
	                    err, sizeof(err)) == 0)
		snprintf(t->msg, sizeof(t->msg), "sent %s to pid %d %s", name,
		         t->sel_pid, comm);
	else
		snprintf(t->msg, sizeof(t->msg), "pid %d %s: %s", t->sel_pid,
		         comm, err);
}

/* Handle the keys waiting on stdin; returns the strongest action */
static enum top_act
keys(struct pv_opts *o, struct live *w)
{
	int k[64], n = read_keys(k, 64), i;
	enum top_act a, most = TOP_NONE;

	if (n <= 0)
		w->input = 0; /* end of input: no more keys, just wait */
	for (i = 0; i < n; i++) {
		a = top_key(&w->top, o, k[i]);
		if (a == TOP_SEND)
			send_selected(&w->top);
		if (a == TOP_QUIT)
			return a;
		if (a > most)
			most = a;
	}
	return most == TOP_SEND ? TOP_REDRAW : most;
}

/*
 * Wait until the interval has passed, handling keys and resizes on the
 * way. Returns TOP_NONE (time for a new frame) or TOP_QUIT.
 */
static enum top_act
wait_frame(struct pv_opts *o, struct pv_ctx *c, struct live *w, double secs)
{
	double end = now_mono() + secs;
	struct pollfd pfd = {0, POLLIN, 0};
	enum top_act a;
	int r;

	while (!stop_flag) {
		double left = end - now_mono();

		if (winch_flag && w->keys) { /* (piped: no screen to redraw) */
			winch_flag = 0;
			draw_screen(o, w, c);
		}
		if (left <= 0 && !w->top.paused)
			return TOP_NONE;
		r = poll(&pfd, w->input ? 1 : 0,
		         left > 0 ? (int)(left * 1000) + 1 : 1000);
		if (r <= 0)
			continue; /* time, or a signal: look again */
		if (!(pfd.revents & POLLIN)) {
			w->input = 0; /* stdin closed: just wait */
			continue;
		}
		if ((a = keys(o, w)) == TOP_QUIT || a == TOP_RESCAN)
			return a == TOP_QUIT ? a : TOP_NONE;
		if (a != TOP_NONE)
			draw_screen(o, w, c);
	}
	return TOP_QUIT;
}

/* The keyboard raw (keys without Enter, no echo) and the screen an
 * alternate one, as top does: both restored by leave(). */
static int
enter(struct termios *saved)
{
	struct termios raw;

	if (!term_isatty(0) || tcgetattr(0, saved) < 0)
		return 0;
	raw = *saved;
	/* ISIG stays: Ctrl-C still sends SIGINT, and the loop ends */
	raw.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(0, TCSANOW, &raw) < 0)
		return 0;
	/* alternate screen, cursor hidden */
	fputs("\033[?1049h\033[?25l", stdout);
	return 1;
}

static void
leave(const struct termios *saved)
{
	/* cursor shown, main screen back, then the keyboard as it was */
	fputs("\033[?25h\033[?1049l", stdout);
	fflush(stdout);
	tcsetattr(0, TCSANOW, saved);
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	/* a write cut by a resize must go on, not fail: SA_RESTART (poll
	 * still wakes up with EINTR, so the loop sees the flags at once) */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
}

int
pv_watch(struct pv_opts *o, struct pv_ctx *c)
{
	struct live w = {0};
	struct termios saved;
	int status = 0;
	long frame;
	char msg[64];

	if (o->watch_default_fmt) {
		pv_format_free(&o->fmt);
		pv_format_add(&o->fmt,
		              "pid,user,pri,ni,nlwp,stat,pcpu,pmem,rss,time,"
		              "args",
		              msg, sizeof(msg));
	}
	catch_signals();
	w.tty = term_isatty(1) && !o->json;
	w.keys = w.tty && enter(&saved);
	w.input = w.keys;
	if (w.keys)
		w.more = NEED_STATUS | NEED_CMDLINE | NEED_WCHAN;
	w.top.color = term_use_color(1);
	w.t0 = now_mono();
	if (sample(o, c, &w) < 0) {
		status = 1;
		goto out;
	}
	/* the first frame needs a first interval: a short one */
	if (wait_frame(o, c, &w, o->watch < 0.5 ? o->watch : 0.5) == TOP_QUIT)
		goto out;
	for (frame = 1;; frame++) {
		if (sample(o, c, &w) < 0) {
			status = 1;
			break;
		}
		if (w.keys) {
			draw_screen(o, &w, c);
		} else {
			if (o->nsort)
				pv_sort(&w.shown, o, c);
			else
				top_sort(&w.shown, &w.top);
			draw_plain(o, &w, c, frame);
			fflush(stdout);
		}
		if (o->count && frame >= o->count)
			break;
		if (wait_frame(o, c, &w, o->watch) == TOP_QUIT)
			break;
	}
out:
	if (w.keys)
		leave(&saved);
	free(w.prev);
	pv_list_free(&w.shown);
	return status;
}
