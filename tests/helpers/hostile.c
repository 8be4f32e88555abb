/*
 * hostile.c: hostile clients for the netlab fault tests (tests/fault/).
 *
 *   hostile MODE [options] PORT
 *
 * Every mode talks to 127.0.0.1:PORT only, is bounded by --limit seconds
 * (default 20: a server that hangs makes the mode fail, never the test
 * run hang), prints its figures as "key=value" lines on stdout and exits
 * 0 if the server behaved, 1 if not, 2 on bad usage.
 *
 * Modes:
 *   line      send --data (C escapes: \n \0 \xff \\) in --chunk byte
 *             writes --gap ms apart (--eof: shut down writing after it),
 *             read the reply, compare with --expect
 *   big       send a --size byte line while reading: expect --expect
 *   reset     send half a line, then reset (SO_LINGER 0); then a normal
 *             request must still be ACKed
 *   noread    send a line, then keep writing and never read: the server
 *             must close the connection (bounded) and serve others
 *   slowloris --conns stalled connections send one byte and stall;
 *             --clients normal requests meanwhile (latency p50/p99); the
 *             stalled ones must end with "ERR timeout"
 *   burst     --conns connections at once; each must end: ACK, BUSY,
 *             ERR timeout (accepted while we were still connecting the
 *             rest, on a server with a short --idle-timeout), or
 *             refused/reset by the kernel; nobody hangs
 *   busy      --conns held silent, then --extra more must get BUSY, then
 *             the held ones send a line and must get ACK
 *   hold      --conns silent connections held while the server (--pid)
 *             CPU time is measured over --window s; then release them
 *             and a normal request must be ACKed again
 *   inflight  --conns connections send half a line, print "ready", wait
 *             for the file --go, finish their lines: all must be ACKed
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "util.h"

struct opts {
	const char *mode;
	int port;
	double limit;
	const char *data, *expect, *go;
	size_t datalen;
	int chunk, gap_ms, eof, allow_busy;
	long size;
	int conns, clients, extra, pid;
	double window;
};

static struct opts o;
static double deadline;
static int n_busy; /* connections wait_closed saw end with "BUSY" */

static double
left(void)
{
	return deadline - now_mono();
}

static void
pause_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- small socket helpers ---- */

static int
conn(void)
{
	double t = left();

	return net_connect("127.0.0.1", o.port, t > 1 ? t : 1);
}

/* A non-blocking connect started; the fd, or -1 if the kernel refused. */
static int
conn_nb(void)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	if (net_addr("127.0.0.1", o.port, &ss, &len) < 0)
		return -1;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Read until end of file (or the deadline) into buf; returns the length,
 * -1 on a reset/error (errno set), -2 at the deadline.
 */
static ssize_t
read_reply(int fd, char *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;
	struct pollfd p = {.fd = fd, .events = POLLIN};

	for (;;) {
		int ms = (int)(left() * 1000);

		if (ms <= 0)
			return -2;
		if (poll(&p, 1, ms) == 0)
			return -2;
		r = read(fd, buf + got, n - 1 - got);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			return got ? (ssize_t)got : -1;
		if (r == 0 || (got += (size_t)r) == n - 1)
			break;
	}
	buf[got] = '\0';
	return (ssize_t)got;
}

/* One normal request: "hello\n", expect "ACK\n". 1 if ACKed. */
static int
request(char *reply, size_t n)
{
	int fd = conn();
	ssize_t r;

	if (fd < 0) {
		snprintf(reply, n, "connect: %s", strerror(errno));
		return 0;
	}
	if (net_write_all(fd, "hello\n", 6) < 0) {
		snprintf(reply, n, "write: %s", strerror(errno));
		close(fd);
		return 0;
	}
	r = read_reply(fd, reply, n);
	close(fd);
	if (r < 0)
		snprintf(reply, n, "%s",
		         r == -2 ? "no reply (deadline)" : "reset");
	return r >= 0 && strcmp(reply, "ACK\n") == 0;
}

/* Print s with C escapes, as key=value. */
static void
show(const char *key, const char *s, size_t n)
{
	size_t i;

	printf("%s=", key);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\\')
			fputs("\\\\", stdout);
		else if (c < 32 || c > 126)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('\n');
}

/* ---- line: any bytes, any split ---- */

static size_t
unescape(const char *s, char *out)
{
	size_t n = 0;
	unsigned v;

	while (*s) {
		if (*s != '\\' || !s[1]) {
			out[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n':
			out[n++] = '\n';
			s++;
			break;
		case '0':
			out[n++] = '\0';
			s++;
			break;
		case 'x':
			if (sscanf(s + 1, "%2x", &v) == 1) {
				out[n++] = (char)v;
				s += 3;
				break;
			}
			out[n++] = *s++;
			break;
		default:
			out[n++] = *s++;
		}
	}
	return n;
}

static int
mode_line(void)
{
	char *buf = xmalloc(strlen(o.data) + 1);
	char reply[256], want[256];
	size_t n = unescape(o.data, buf), off, step;
	int fd = conn(), one = 1;
	ssize_t r;
	double t0 = now_mono();

	if (fd < 0) {
		free(buf);
		printf("error=connect: %s\n", strerror(errno));
		return 1;
	}
	/* Why TCP_NODELAY: without it Nagle would glue our small writes
	 * back together and the server would never see a split line. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	step = o.chunk > 0 ? (size_t)o.chunk : n > 0 ? n : 1;
	for (off = 0; off < n; off += step) {
		size_t k = n - off < step ? n - off : step;

		if (net_write_all(fd, buf + off, k) < 0)
			break;
		if (o.gap_ms && off + k < n)
			pause_ms(o.gap_ms);
	}
	if (o.eof)
		shutdown(fd, SHUT_WR);
	r = read_reply(fd, reply, sizeof(reply));
	close(fd);
	free(buf);
	printf("sent=%zu\nwrites=%zu\nms=%.1f\n", n, (n + step - 1) / step,
	       (now_mono() - t0) * 1000);
	if (r < 0) {
		printf("reply=%s\n",
		       r == -2 ? "(none by the deadline)" : "(reset)");
		return o.expect && !*o.expect && r == -1 ? 0 : 1;
	}
	show("reply", reply, (size_t)r);
	if (!o.expect)
		return 0;
	n = unescape(o.expect, want);
	return (size_t)r == n && memcmp(reply, want, n) == 0 ? 0 : 1;
}

/* ---- big: a line far over --max-line, sent while reading ---- */

static int
mode_big(void)
{
	char chunk[65536], reply[256];
	size_t sent = 0, total = (size_t)o.size, got = 0;
	int fd = conn(), done = 0, reset = 0;

	if (fd < 0) {
		printf("error=connect: %s\n", strerror(errno));
		return 1;
	}
	memset(chunk, 'x', sizeof(chunk));
	net_set_nonblock(fd, 1);
	/* Write and read at once: the server answers "too long" after
	 * --max-line bytes, long before we finish writing 1 MiB. */
	while (!done && left() > 0) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t r;

		if (sent < total + 1)
			p.events |= POLLOUT;
		if (poll(&p, 1, 100) <= 0)
			continue;
		if (p.revents & POLLIN) {
			r = read(fd, reply + got, sizeof(reply) - 1 - got);
			if (r > 0)
				got += (size_t)r;
			else if (r == 0)
				done = 1;
			else if (errno != EAGAIN && errno != EINTR)
				done = reset = 1;
			if (got == sizeof(reply) - 1)
				done = 1;
			continue;
		}
		if (p.revents & POLLOUT) {
			size_t k = total + 1 - sent;

			if (k > sizeof(chunk))
				k = sizeof(chunk);
			if (sent + k == total + 1)
				chunk[k - 1] = '\n';
			r = send(fd, chunk, k, MSG_NOSIGNAL);
			if (r > 0)
				sent += (size_t)r;
			else if (r < 0 && errno != EAGAIN && errno != EINTR)
				sent =
				    total + 1; /* the server stopped reading */
		} else if (p.revents & (POLLERR | POLLHUP)) {
			done = reset = 1;
		}
	}
	close(fd);
	reply[got] = '\0';
	printf("line_bytes=%zu\nsent_before_reply=%zu\nreset=%d\n", total + 1,
	       sent, reset);
	show("reply", reply, got);
	return o.expect && strcmp(reply, o.expect) == 0 ? 0 : 1;
}

/* ---- reset: RST in the middle of a line ---- */

static int
mode_reset(void)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	char reply[64];
	int i, ok = 0, fd, tries = 0;

	for (i = 0; i < (o.conns > 0 ? o.conns : 1); i++) {
		fd = conn();
		if (fd < 0)
			continue;
		net_write_all(fd, "half a li", 9);
		/* SO_LINGER with a zero timeout: close() sends RST, not FIN */
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fd);
	}
	/* a pool may still be busy with the resets: BUSY means "again" */
	while (!(ok = request(reply, sizeof(reply))) &&
	       strcmp(reply, "BUSY\n") == 0 && left() > 0) {
		tries++;
		pause_ms(20);
	}
	printf("resets=%d\nbusy_first=%d\n", i, tries);
	show("after", reply, strlen(reply));
	return ok ? 0 : 1;
}

/* ---- noread: a client that only writes ---- */

static int
mode_noread(void)
{
	char junk[65536], reply[64];
	double t0;
	long long sent = 0;
	int fd = conn(), closed = 0, other;

	if (fd < 0) {
		printf("error=connect: %s\n", strerror(errno));
		return 1;
	}
	memset(junk, 'j', sizeof(junk));
	net_write_all(fd, "hello\n", 6);
	t0 = now_mono();
	net_set_nonblock(fd, 1);
	other = request(reply, sizeof(reply));
	while (left() > 0) {
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		ssize_t r;

		poll(&p, 1, 100);
		r = send(fd, junk, sizeof(junk), MSG_NOSIGNAL);
		if (r > 0) {
			sent += r;
		} else if (r < 0 && errno != EAGAIN && errno != EINTR) {
			closed = 1; /* EPIPE or ECONNRESET: the server closed */
			break;
		}
	}
	printf("junk_bytes=%lld\nclosed=%d\nclosed_after_s=%.2f\n", sent,
	       closed, now_mono() - t0);
	show("other_client", reply, strlen(reply));
	close(fd);
	return closed && other ? 0 : 1;
}

/* ---- slowloris and normal clients meanwhile ---- */

struct normal {
	pthread_t t;
	double ms;
	int ok;
	char reply[64];
};

static void *
normal_run(void *arg)
{
	struct normal *c = arg;
	double t0 = now_mono();

	c->ok = request(c->reply, sizeof(c->reply));
	c->ms = (now_mono() - t0) * 1000;
	return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Percentile p (0..100) of n sorted values. */
static double
pct(const double *v, int n, double p)
{
	int i = (int)(p / 100.0 * n + 0.999999) - 1;

	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	return v[i];
}

/* Run o.clients normal requests at once; print figures; count ACKs. */
static int
normals(const char *prefix)
{
	struct normal *c = xcalloc((size_t)o.clients, sizeof(*c));
	double *ms = xcalloc((size_t)o.clients, sizeof(*ms));
	int i, acked = 0, answered = 0, n = 0;

	for (i = 0; i < o.clients; i++)
		if (pthread_create(&c[i].t, NULL, normal_run, &c[i]) != 0)
			c[i].t = 0;
	for (i = 0; i < o.clients; i++) {
		if (!c[i].t)
			continue;
		pthread_join(c[i].t, NULL);
		acked += c[i].ok;
		if (c[i].ok || strcmp(c[i].reply, "BUSY\n") == 0) {
			answered++;
			ms[n++] = c[i].ms;
		}
	}
	qsort(ms, (size_t)n, sizeof(*ms), cmp_double);
	printf("%sclients=%d\n%sacked=%d\n%sbusy=%d\n", prefix, o.clients,
	       prefix, acked, prefix, answered - acked);
	if (n)
		printf("%sp50_ms=%.1f\n%sp99_ms=%.1f\n%smax_ms=%.1f\n", prefix,
		       pct(ms, n, 50), prefix, pct(ms, n, 99), prefix,
		       ms[n - 1]);
	for (i = 0; i < o.clients; i++)
		if (!c[i].ok && c[i].t)
			show("unanswered", c[i].reply, strlen(c[i].reply));
	free(c);
	free(ms);
	return answered == o.clients ? acked : -1;
}

/*
 * Wait for every fd of v to reach end of file (reading the reply);
 * count replies equal to want. Returns the number that ended.
 */
static int
wait_closed(int *v, int n, const char *want, int *matched, double *last)
{
	struct pollfd *p = xcalloc((size_t)n, sizeof(*p));
	char(*buf)[32] = xcalloc((size_t)n, sizeof(*buf));
	size_t *len = xcalloc((size_t)n, sizeof(*len));
	int i, open = 0, ended = 0;

	*matched = 0;
	for (i = 0; i < n; i++) {
		p[i].fd = v[i];
		p[i].events = POLLIN;
		open += v[i] >= 0;
	}
	while (open > 0 && left() > 0) {
		if (poll(p, (nfds_t)n, 100) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			ssize_t r;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			r = read(p[i].fd, buf[i] + len[i],
			         sizeof(buf[i]) - 1 - len[i]);
			if (r > 0 && (len[i] += (size_t)r) < sizeof(buf[i]) - 1)
				continue;
			if (r < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			buf[i][len[i]] = '\0';
			if (want && strcmp(buf[i], want) == 0)
				(*matched)++;
			else if (strcmp(buf[i], "BUSY\n") == 0)
				n_busy++;
			close(p[i].fd);
			v[i] = p[i].fd = -1;
			open--;
			ended++;
			*last = now_mono();
		}
	}
	free(p);
	free(buf);
	free(len);
	return ended;
}

/* Open n connections; each sends `first` (may be ""). Count connected. */
static int
open_many(int *v, int n, const char *first)
{
	int i, ok = 0;

	for (i = 0; i < n; i++) {
		v[i] = conn();
		if (v[i] < 0)
			continue;
		ok++;
		if (*first)
			net_write_all(v[i], first, strlen(first));
	}
	return ok;
}

static void
close_all(int *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i] >= 0)
			close(v[i]);
}

static int
mode_slowloris(void)
{
	int *v = xcalloc((size_t)o.conns, sizeof(*v));
	int connected, acked, ended, timeouts = 0;
	double t0, last = 0;

	connected = open_many(v, o.conns, "x");
	t0 = now_mono();
	printf("stalled=%d\nconnected=%d\n", o.conns, connected);
	acked = normals("normal_");
	ended = wait_closed(v, o.conns, "ERR timeout\n", &timeouts, &last);
	printf("stalled_closed=%d\nstalled_err_timeout=%d\nstalled_busy=%d\n"
	       "last_closed_after_s=%.2f\n",
	       ended, timeouts, n_busy, last > 0 ? last - t0 : -1.0);
	close_all(v, o.conns);
	free(v);
	if (connected != o.conns || acked < 0)
		return 1; /* a normal client was not answered at all */
	/*
	 * Every stalled one must end with "ERR timeout"; with --allow-busy
	 * (a pool whose bounded queue is full) "BUSY" is an answer too.
	 */
	if (o.allow_busy)
		return timeouts + n_busy == connected ? 0 : 1;
	return acked == o.clients && timeouts == connected ? 0 : 1;
}

/* ---- burst ---- */

static int
mode_burst(void)
{
	struct pollfd *p = xcalloc((size_t)o.conns, sizeof(*p));
	char(*buf)[32] = xcalloc((size_t)o.conns, sizeof(*buf));
	size_t *len = xcalloc((size_t)o.conns, sizeof(*len));
	char *sent = xcalloc((size_t)o.conns, 1);
	int i, open = 0, ack = 0, busy = 0, refused = 0, reset = 0, other = 0;
	int idle = 0;
	double t0 = now_mono();

	for (i = 0; i < o.conns; i++) {
		p[i].fd = conn_nb();
		p[i].events = POLLOUT;
		if (p[i].fd < 0)
			refused++;
		else
			open++;
	}
	while (open > 0 && left() > 0) {
		if (poll(p, (nfds_t)o.conns, 100) <= 0)
			continue;
		for (i = 0; i < o.conns; i++) {
			ssize_t r;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			if (!sent[i] && (p[i].revents & POLLOUT)) {
				sent[i] = 1;
				p[i].events = POLLIN;
				if (send(p[i].fd, "hello\n", 6, MSG_NOSIGNAL) ==
				    6)
					continue;
			} else if (p[i].revents &
			           (POLLIN | POLLHUP | POLLERR)) {
				r = read(p[i].fd, buf[i] + len[i],
				         sizeof(buf[i]) - 1 - len[i]);
				if (r > 0 &&
				    (len[i] += (size_t)r) < sizeof(buf[i]) - 1)
					continue;
				if (r < 0 &&
				    (errno == EAGAIN || errno == EINTR))
					continue;
			} else {
				continue;
			}
			buf[i][len[i]] = '\0';
			if (strcmp(buf[i], "ACK\n") == 0)
				ack++;
			else if (strcmp(buf[i], "BUSY\n") == 0)
				busy++;
			/* accepted while we were still connecting the
			 * rest, and so silent too long */
			else if (strcmp(buf[i], "ERR timeout\n") == 0)
				idle++;
			else if (len[i] == 0 && !sent[i])
				refused++;
			else if (len[i] == 0)
				reset++;
			else
				other++;
			close(p[i].fd);
			p[i].fd = -1;
			open--;
		}
	}
	printf("conns=%d\nacked=%d\nbusy=%d\nerr_timeout=%d\nrefused=%d\n"
	       "reset=%d\nother=%d\nhung=%d\nseconds=%.2f\n",
	       o.conns, ack, busy, idle, refused, reset, other, open,
	       now_mono() - t0);
	for (i = 0; i < o.conns; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	free(p);
	free(buf);
	free(len);
	free(sent);
	return open == 0 && other == 0 && ack > 0 ? 0 : 1;
}

/* ---- busy: --max-clients reached ---- */

static int
mode_busy(void)
{
	int *v = xcalloc((size_t)o.conns, sizeof(*v));
	int *x = xcalloc((size_t)o.extra, sizeof(*x));
	int held, i, busy = 0, acks = 0, ended;
	double last = 0;

	held = open_many(v, o.conns, "");
	open_many(x, o.extra, "");
	wait_closed(x, o.extra, "BUSY\n", &busy, &last);
	for (i = 0; i < o.conns; i++)
		if (v[i] >= 0)
			net_write_all(v[i], "hello\n", 6);
	ended = wait_closed(v, o.conns, "ACK\n", &acks, &last);
	printf("held=%d\nextra=%d\nextra_busy=%d\nheld_acked=%d\n"
	       "held_ended=%d\n",
	       held, o.extra, busy, acks, ended);
	close_all(v, o.conns);
	close_all(x, o.extra);
	free(v);
	free(x);
	return held == o.conns && busy == o.extra && acks == held ? 0 : 1;
}

/* ---- hold: descriptor exhaustion, CPU time while it lasts ---- */

static long long
cpu_ticks(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* fields 14 and 15 after the LAST ')': the name may hold spaces */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2,
	                 "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	                 "%llu %llu",
	                 &ut, &st) != 2)
		return -1;
	return (long long)(ut + st);
}

/* Wait (bounded) until the server stops answering the fds of v. */
static void
settle(const int *v, int n)
{
	struct pollfd *p = xcalloc((size_t)n, sizeof(*p));
	int i, quiet = 0;

	for (i = 0; i < n; i++) {
		p[i].fd = v[i];
		p[i].events = POLLIN;
	}
	while (!quiet && left() > 2 * o.window) {
		quiet = 1;
		if (poll(p, (nfds_t)n, 300) <= 0)
			break;
		for (i = 0; i < n; i++) {
			if (p[i].fd >= 0 && p[i].revents) {
				p[i].fd = -1; /* answered: stop watching it */
				quiet = 0;
			}
		}
	}
	free(p);
}

static int
mode_hold(void)
{
	int *v = xcalloc((size_t)o.conns, sizeof(*v));
	long long c0, c1;
	long hz = sysconf(_SC_CLK_TCK);
	int held = 0, i, ok = 0, tries = 0, shed = 0;
	double t0, secs;
	char reply[64] = "";

	for (i = 0; i < o.conns; i++)
		held += (v[i] = conn_nb()) >= 0;
	/*
	 * Let the server meet every connection (it sheds what it cannot
	 * hold with BUSY): wait until 300 ms pass with no connection
	 * answered, then measure its CPU while nothing should happen.
	 */
	settle(v, o.conns);
	c0 = cpu_ticks(o.pid);
	t0 = now_mono();
	pause_ms((int)(o.window * 1000));
	c1 = cpu_ticks(o.pid);
	secs = now_mono() - t0;
	/* how many were shed with BUSY while the server had no fds */
	for (i = 0; i < o.conns; i++) {
		char b[16];

		if (v[i] >= 0 && recv(v[i], b, sizeof(b), MSG_DONTWAIT) == 5 &&
		    memcmp(b, "BUSY\n", 5) == 0)
			shed++;
	}
	close_all(v, o.conns);
	t0 = now_mono();
	while (!ok && left() > 0) {
		tries++;
		ok = request(reply, sizeof(reply));
		if (!ok)
			pause_ms(50);
	}
	printf("conns=%d\nconnected=%d\nshed_busy=%d\nwindow_s=%.2f\n"
	       "cpu_ticks=%lld\n"
	       "hz=%ld\ncpu_pct=%.1f\nrecovered=%d\nrecover_tries=%d\n"
	       "recover_s=%.2f\n",
	       o.conns, held, shed, secs, c1 - c0, hz,
	       100.0 * (double)(c1 - c0) / (double)hz / secs, ok, tries,
	       now_mono() - t0);
	free(v);
	if (c0 < 0 || c1 < 0) {
		printf("error=cannot read /proc/%d/stat\n", o.pid);
		return 1;
	}
	/* a spinning accept loop burns ~100% of a CPU; allow a quarter */
	return ok && (double)(c1 - c0) < 0.25 * (double)hz * secs ? 0 : 1;
}

/* ---- inflight: SIGINT while lines are half sent ---- */

static int
mode_inflight(void)
{
	int *v = xcalloc((size_t)o.conns, sizeof(*v));
	int held, i, acks = 0, ended;
	double last = 0;

	held = open_many(v, o.conns, "hel");
	printf("ready\n");
	fflush(stdout);
	while (access(o.go, F_OK) != 0 && left() > 0)
		pause_ms(10);
	for (i = 0; i < o.conns; i++)
		if (v[i] >= 0)
			net_write_all(v[i], "lo\n", 3);
	ended = wait_closed(v, o.conns, "ACK\n", &acks, &last);
	printf("conns=%d\nconnected=%d\nacked=%d\nended=%d\n", o.conns, held,
	       acks, ended);
	close_all(v, o.conns);
	free(v);
	return held == o.conns && acks == held ? 0 : 1;
}

/* ---- main ---- */

static void
usage(void)
{
	fprintf(stderr,
	        "usage: hostile line|big|reset|noread|slowloris|burst|busy|"
	        "hold|inflight [options] PORT\n");
	exit(2);
}

static int
num(const char *s, int lo, int hi)
{
	int v;

	if (!s || parse_int(s, lo, hi, &v) < 0)
		usage();
	return v;
}

static double
secs(const char *s, double lo, double hi)
{
	double v;

	if (parse_double(s, lo, hi, &v) < 0)
		usage();
	return v;
}

static void
parse(int argc, char **argv)
{
	int i;

	if (argc < 3)
		usage();
	o.mode = argv[1];
	o.limit = 20;
	o.conns = 1;
	o.clients = 8;
	o.window = 1;
	for (i = 2; i < argc - 1; i++) {
		const char *a = argv[i], *v = argv[i + 1];

		if (strcmp(a, "--eof") == 0) {
			o.eof = 1;
			continue;
		}
		if (strcmp(a, "--allow-busy") == 0) {
			o.allow_busy = 1;
			continue;
		}
		if (i + 1 >= argc - 1)
			usage();
		i++;
		if (strcmp(a, "--data") == 0)
			o.data = v;
		else if (strcmp(a, "--expect") == 0)
			o.expect = v;
		else if (strcmp(a, "--go") == 0)
			o.go = v;
		else if (strcmp(a, "--chunk") == 0)
			o.chunk = num(v, 1, 1 << 20);
		else if (strcmp(a, "--gap") == 0)
			o.gap_ms = num(v, 0, 10000);
		else if (strcmp(a, "--size") == 0)
			o.size = num(v, 1, 1 << 28);
		else if (strcmp(a, "--conns") == 0)
			o.conns = num(v, 1, 100000);
		else if (strcmp(a, "--clients") == 0)
			o.clients = num(v, 1, 10000);
		else if (strcmp(a, "--extra") == 0)
			o.extra = num(v, 1, 100000);
		else if (strcmp(a, "--pid") == 0)
			o.pid = num(v, 1, 1 << 30);
		else if (strcmp(a, "--window") == 0)
			o.window = secs(v, 0.1, 60);
		else if (strcmp(a, "--limit") == 0)
			o.limit = secs(v, 0.1, 600);
		else
			usage();
	}
	o.port = num(argv[argc - 1], 1, 65535);
}

/* Many sockets at once: raise our descriptor limit as far as allowed. */
static void
more_fds(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(void);
	} modes[] = {
	    {"line", mode_line},           {"big", mode_big},
	    {"reset", mode_reset},         {"noread", mode_noread},
	    {"slowloris", mode_slowloris}, {"burst", mode_burst},
	    {"busy", mode_busy},           {"hold", mode_hold},
	    {"inflight", mode_inflight},
	};
	size_t i;

	set_progname("hostile");
	parse(argc, argv);
	more_fds();
	deadline = now_mono() + o.limit;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < LEN(modes); i++) {
		if (strcmp(o.mode, modes[i].name) != 0)
			continue;
		if ((!strcmp(o.mode, "line") && !o.data) ||
		    (!strcmp(o.mode, "hold") && !o.pid) ||
		    (!strcmp(o.mode, "inflight") && !o.go) ||
		    (!strcmp(o.mode, "busy") && !o.extra) ||
		    (!strcmp(o.mode, "big") && !o.size))
			usage();
		return modes[i].run();
	}
	usage();
	return 2;
}
