/*
 * watch.c: --watch SECONDS, a top-like live view.
 *
 * %CPU here is the share of one CPU used during the last interval:
 *   (ticks now - ticks at the last sample) / (seconds between * hz) * 100
 * which is what top shows, unlike ps's %CPU averaged over the whole life.
 * A sample is matched to the previous one by PID *and* start time, so a
 * recycled PID starts from zero instead of inheriting someone's ticks.
 *
 * On a terminal each frame redraws the screen with plain escape codes
 * (home, clear) and 'q' quits; piped, frames are printed one after the
 * other with no escape codes at all.
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

#include "procview.h"
#include "term.h"
#include "util.h"

struct sample {
	int pid, tid;
	unsigned long long start, ticks;
};

static volatile sig_atomic_t stop_flag;

static void
on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
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

		old = bsearch(&key, prev, nprev, sizeof(key), cmp_sample);
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

static int
cmp_live(const void *pa, const void *pb)
{
	const struct pv_proc *a = pa, *b = pb;

	if (a->live_pcpu != b->live_pcpu)
		return a->live_pcpu > b->live_pcpu ? -1 : 1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

static int
scan(struct pv_opts *o, struct pv_ctx *c, struct pv_list *l)
{
	c->now = time(NULL);
	c->uptime = proc_uptime();
	return pv_scan(l, &o->sel, o->fmt.needs, o->threads, c);
}

static void
frame_header(const struct pv_list *l, struct pv_ctx *c, int tty, double secs)
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
	       "%.1f s%s\n",
	       when, l->n, run, threads, secs, tty ? "  (q quits)" : "");
}

/* Wait up to secs for the interval to pass; 1 if the user asked to quit */
static int
wait_key(double secs, int keys)
{
	double end = now_mono() + secs;
	struct pollfd pfd = {0, POLLIN, 0};
	char ch;

	while (!stop_flag) {
		double left = end - now_mono();
		int r;

		if (left <= 0)
			return 0;
		r = poll(&pfd, keys ? 1 : 0, (int)(left * 1000) + 1);
		if (r > 0 && read(0, &ch, 1) == 1 && (ch == 'q' || ch == 'Q'))
			return 1;
		if (r > 0 && !(pfd.revents & POLLIN))
			keys = 0; /* stdin closed: just wait */
	}
	return 1;
}

/* Rows of the terminal: LINES if set, else the kernel's idea, else 24 */
static int
term_rows(void)
{
	const char *lines = getenv("LINES");
	struct winsize ws;
	int n = 0;

	if (lines && parse_int(lines, 4, 10000, &n) == 0)
		return n;
	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row >= 4)
		return ws.ws_row;
	return 24;
}

static void
draw(struct pv_opts *o, struct pv_list *l, struct pv_ctx *c, long frame,
     int tty, double secs)
{
	int rows = 0, max = 0;
	size_t i;
	char *row;

	if (o->json) {
		pv_json_table(l, &o->fmt, c, (int)frame);
		return;
	}
	if (tty) {
		fputs("\033[H\033[2J", stdout); /* cursor home, clear screen */
		max = term_rows();
	} else if (frame > 1) {
		putchar('\n');
	}
	frame_header(l, c, tty, secs);
	rows++;
	if (!o->no_headers && pv_format_has_header(&o->fmt)) {
		row = pv_format_row(&o->fmt, NULL, c, o->width);
		puts(row);
		free(row);
		rows++;
	}
	for (i = 0; i < l->n && (!tty || rows < max - 1); i++, rows++) {
		row = pv_format_row(&o->fmt, &l->v[i], c, o->width);
		puts(row);
		free(row);
	}
	fflush(stdout);
}

int
pv_watch(struct pv_opts *o, struct pv_ctx *c)
{
	struct pv_list l = {0};
	struct sample *prev;
	size_t nprev;
	struct termios saved, raw;
	struct sigaction sa;
	int tty = term_isatty(1), keys = 0, status = 0;
	double t0, t1;
	long frame;
	char msg[64];

	if (o->watch_default_fmt) {
		pv_format_free(&o->fmt);
		pv_format_add(&o->fmt,
		              "pid,user,pri,ni,nlwp,stat,pcpu,pmem,rss,time,"
		              "args",
		              msg, sizeof(msg));
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* keys without Enter and without echo, restored at the end */
	if (tty && term_isatty(0) && tcgetattr(0, &saved) == 0) {
		raw = saved;
		raw.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		keys = tcsetattr(0, TCSANOW, &raw) == 0;
	}
	if (scan(o, c, &l) < 0) {
		warn("cannot read '/proc':");
		status = 1;
		goto out;
	}
	prev = take(&l);
	nprev = l.n;
	pv_list_free(&l);
	t0 = now_mono();
	/* the first frame needs a first interval: a short one */
	if (wait_key(o->watch < 0.5 ? o->watch : 0.5, keys))
		goto done;
	for (frame = 1;; frame++) {
		if (scan(o, c, &l) < 0) {
			warn("cannot read '/proc':");
			status = 1;
			break;
		}
		t1 = now_mono();
		set_live(&l, prev, nprev, t1 - t0, c->hz);
		free(prev);
		prev = take(&l);
		nprev = l.n;
		if (o->nsort)
			pv_sort(&l, o, c);
		else
			qsort(l.v, l.n, sizeof(l.v[0]), cmp_live);
		draw(o, &l, c, frame, tty, t1 - t0);
		pv_list_free(&l);
		t0 = t1;
		if (o->count && frame >= o->count)
			break;
		if (wait_key(o->watch, keys))
			break;
	}
done:
	free(prev);
out:
	if (keys)
		tcsetattr(0, TCSANOW, &saved);
	return status;
}
