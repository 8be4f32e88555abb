/*
 * client_svg.h: the client's timeline as an SVG picture (client_svg.c),
 * for `netlab client --svg FILE`.
 */
#ifndef CLIENT_SVG_H
#define CLIENT_SVG_H

/* One thread's life, seconds since the client started. */
struct lane {
	int id;
	double start;     /* connect() called */
	double connected; /* connect() returned */
	double sent;      /* the line was sent; 0 if it never was */
	double done;      /* the reply read (or the failure) */
	int acked;        /* the reply was ACK */
};

/*
 * Draw the n lanes on one time axis into file ("-": stdout), titled
 * title. Returns 0, or -1 with errno (the caller says "cannot write").
 */
int client_svg(const char *file, const struct lane *l, int n,
               const char *title);

#endif
