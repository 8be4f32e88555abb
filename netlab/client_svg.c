/*
 * client_svg.c: `netlab client --svg FILE`: one lane per thread on one
 * time axis (connect, wait, send, reply), the text --timeline drawn for
 * a slide. Lanes that overlap in time are threads running at once: the
 * picture of concurrency the lecture's client is about.
 */
#include "client_svg.h"
#include "svg.h"

#define WIDTH 1280
#define TOP 150     /* title, legend, axis */
#define LANE_H 36   /* one thread */
#define PLOT_X 150  /* the time axis starts here */
#define PLOT_W 1010 /* and is this wide; "ACK" fits after it */
#define BAR_H 22

/* Colours differ in lightness as well as hue, and two carry a pattern:
 * the four phases stay apart on a projector and in grey print. */
#define C_CONNECT "#08306b" /* dark blue */
#define C_WAIT "#c6dbef"    /* light blue, dotted */
#define C_SEND "#000000"
#define C_REPLY "#f16913" /* orange, hatched */
#define C_OK "#00441b"
#define C_FAIL "#a50f15"

/* A round step (1, 2 or 5 times a power of ten) for about 8 ticks. */
static double
tick_step(double total)
{
	double raw = total / 8, p = 1e-6;

	/* the power of ten at or below raw (no libm: the tools link none) */
	while (p * 10 <= raw)
		p *= 10;
	if (raw <= p)
		return p;
	if (raw <= 2 * p)
		return 2 * p;
	if (raw <= 5 * p)
		return 5 * p;
	return 10 * p;
}

static double
x_of(double t, double total)
{
	return PLOT_X + t / total * PLOT_W;
}

static void
legend(struct svg *s)
{
	double x = PLOT_X, y = 62;

	svg_rect(s, x, y, 30, 18, C_CONNECT, "#000000", NULL);
	svg_text(s, x + 38, y + 15, 16, "start", 0, "#000000", "connect");
	svg_rect(s, x + 130, y, 30, 18, C_WAIT, "#000000", SVG_DOTS);
	svg_text(s, x + 168, y + 15, 16, "start", 0, "#000000",
	         "random wait (delay)");
	svg_rect(s, x + 350, y, 4, 18, C_SEND, NULL, NULL);
	svg_text(s, x + 362, y + 15, 16, "start", 0, "#000000", "send");
	svg_rect(s, x + 430, y, 30, 18, C_REPLY, "#000000", SVG_HATCH);
	svg_text(s, x + 468, y + 15, 16, "start", 0, "#000000",
	         "wait for the reply");
	svg_text(s, x + 660, y + 15, 16, "start", 1, C_OK, "ACK");
	svg_text(s, x + 710, y + 15, 16, "start", 1, C_FAIL, "X failed");
}

static void
axis(struct svg *s, double total, int n)
{
	double step = tick_step(total), bottom = TOP + n * LANE_H;
	int k;

	svg_text(s, PLOT_X, 112, 16, "start", 1, "#333333",
	         "time since the client started (s)");
	/* a count, not a float loop: 0.1 added ten times is not 1.0 */
	for (k = 0; k * step <= total * 1.0001; k++) {
		double x = x_of(k * step, total);

		svg_line(s, x, TOP - 8, x, bottom, "#bbbbbb", 1, 1);
		svg_textf(s, x, TOP - 12, 14, "middle", 0, "#333333", "%g",
		          k * step);
	}
}

static void
lane(struct svg *s, int row, const struct lane *l, double total)
{
	double y = TOP + row * LANE_H + (LANE_H - BAR_H) / 2.0;
	double x0 = x_of(l->start, total), x1 = x_of(l->connected, total);
	double xe = x_of(l->done, total);

	svg_textf(s, PLOT_X - 14, y + 17, 16, "end", 0, "#000000", "thread %d",
	          l->id);
	if (l->sent > 0) {
		double xs = x_of(l->sent, total);

		svg_rect(s, x1, y, xs - x1, BAR_H, C_WAIT, "#000000", SVG_DOTS);
		svg_rect(s, xs, y, xe - xs, BAR_H, C_REPLY, "#000000",
		         SVG_HATCH);
		svg_rect(s, xs - 2, y - 4, 4, BAR_H + 8, C_SEND, NULL, NULL);
	}
	/* connecting on the loopback takes microseconds: at least 3 px */
	svg_rect(s, x0, y, x1 - x0 < 3 ? 3 : x1 - x0, BAR_H, C_CONNECT, NULL,
	         NULL);
	svg_text(s, xe + 8, y + 17, 16, "start", 1, l->acked ? C_OK : C_FAIL,
	         l->acked ? "ACK" : "X failed");
}

int
client_svg(const char *file, const struct lane *l, int n, const char *title)
{
	struct svg s;
	double total = 0;
	int i;

	for (i = 0; i < n; i++)
		if (l[i].done > total)
			total = l[i].done;
	if (total <= 0)
		total = 1e-3;
	if (svg_open(&s, file, WIDTH, TOP + n * LANE_H + 30, title) < 0)
		return -1;
	svg_text(&s, 20, 36, 26, "start", 1, "#000000", title);
	legend(&s);
	axis(&s, total, n);
	for (i = 0; i < n; i++)
		lane(&s, i, &l[i], total);
	return svg_close(&s);
}
