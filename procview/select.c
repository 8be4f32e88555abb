/* select.c: which processes a listing shows, as ps selects them. */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "esc.h"
#include "procview.h"
#include "util.h"

/* Split a ps list ("1,2 3") into words; calls fn for each. -1 on error. */
static int
each_word(const char *list, int (*fn)(void *, const char *), void *arg)
{
	char *copy = xstrdup(list), *save = NULL, *w;
	int r = 0, any = 0;

	for (w = strtok_r(copy, ", \t", &save); w && r == 0;
	     w = strtok_r(NULL, ", \t", &save)) {
		r = fn(arg, w);
		any = 1;
	}
	free(copy);
	if (!any) {
		errno = EINVAL;
		return -1;
	}
	return r;
}

struct ivec {
	int **v;
	size_t *n;
};

/*
 * WHY no sign: strtol reads "-5" as minus five and "+5" as five, so
 * "-p -5" could select pid 5 and "-u -0" uid 0. ps refuses "-p -5"
 * ("process ID out of range"); an id in a list is written plain. EINVAL.
 */
static int
unsigned_word(const char *w)
{
	if (isdigit((unsigned char)w[0]))
		return 0;
	errno = EINVAL;
	return -1;
}

static int
add_pid(void *arg, const char *w)
{
	struct ivec *iv = arg;
	int pid;

	if (unsigned_word(w) < 0 || parse_int(w, 1, 0x7fffffff, &pid) < 0)
		return -1;
	*iv->v = xreallocarray(*iv->v, *iv->n + 1, sizeof(int));
	(*iv->v)[(*iv->n)++] = pid;
	return 0;
}

int
pv_sel_parse_pids(int **v, size_t *n, const char *list)
{
	struct ivec iv = {v, n};

	return each_word(list, add_pid, &iv);
}

struct uvec {
	unsigned int **v;
	size_t *n;
	int group; /* names are group names */
};

static void
uvec_push(struct uvec *u, unsigned int id)
{
	*u->v = xreallocarray(*u->v, *u->n + 1, sizeof(**u->v));
	(*u->v)[(*u->n)++] = id;
}

/* A user or group: a number, or a name from the password database */
static int
add_id(void *arg, const char *w)
{
	struct uvec *u = arg;
	struct passwd *pw;
	struct group *gr;
	long long id;

	if (w[0] == '-' || w[0] == '+') /* not a name either */
		return unsigned_word(w);
	if (parse_ll(w, 0, 0xfffffffeLL, &id) == 0) {
		uvec_push(u, (unsigned int)id);
		return 0;
	}
	if (!u->group && (pw = getpwnam(w))) {
		uvec_push(u, pw->pw_uid);
		return 0;
	}
	if (u->group && (gr = getgrnam(w))) {
		uvec_push(u, gr->gr_gid);
		return 0;
	}
	errno = ENOENT;
	return -1;
}

int
pv_sel_parse_users(struct pv_sel *s, const char *list)
{
	struct uvec u = {&s->uids, &s->nuids, 0};

	return each_word(list, add_id, &u);
}

int
pv_sel_parse_ruids(struct pv_sel *s, const char *list)
{
	struct uvec u = {&s->ruids, &s->nruids, 0};

	return each_word(list, add_id, &u);
}

int
pv_sel_parse_rgids(struct pv_sel *s, const char *list)
{
	struct uvec u = {&s->rgids, &s->nrgids, 1};

	return each_word(list, add_id, &u);
}

/* -g: numbers are sessions, names effective groups (as procps) */
static int
add_g(void *arg, const char *w)
{
	struct pv_sel *s = arg;
	struct ivec iv = {&s->sids, &s->nsids};
	struct uvec u = {&s->egids, &s->negids, 1};

	if (add_pid(&iv, w) == 0)
		return 0;
	return add_id(&u, w);
}

int
pv_sel_parse_g(struct pv_sel *s, const char *list)
{
	return each_word(list, add_g, s);
}

/*
 * -t: a terminal's device number is what stat field 7 holds; the name
 * is found under /dev ("pts/3", "tty1", "/dev/pts/3"). "-" or "?" is
 * no terminal (0).
 */
static int
add_tty(void *arg, const char *w)
{
	struct ivec *iv = arg;
	char path[256];
	struct stat sb;
	int dev = 0;

	if (strcmp(w, "-") != 0 && strcmp(w, "?") != 0) {
		snprintf(path, sizeof(path), "%s%s", w[0] == '/' ? "" : "/dev/",
		         w);
		if (stat(path, &sb) < 0 || !S_ISCHR(sb.st_mode)) {
			errno = ENOENT;
			return -1;
		}
		dev = (int)sb.st_rdev;
	}
	*iv->v = xreallocarray(*iv->v, *iv->n + 1, sizeof(int));
	(*iv->v)[(*iv->n)++] = dev;
	return 0;
}

int
pv_sel_parse_ttys(struct pv_sel *s, const char *list)
{
	struct ivec iv = {&s->ttys, &s->nttys};

	return each_word(list, add_tty, &iv);
}

static int
add_name(void *arg, const char *w)
{
	struct pv_sel *s = arg;

	s->names = xreallocarray(s->names, s->nnames + 1, sizeof(char *));
	s->names[s->nnames++] = xstrdup(w);
	return 0;
}

int
pv_sel_parse_names(struct pv_sel *s, const char *list)
{
	return each_word(list, add_name, s);
}

int
pv_sel_has_lists(const struct pv_sel *s)
{
	return s->nuids || s->npids || s->nppids || s->nnames || s->nruids ||
	       s->nrgids || s->negids || s->nsids || s->nttys;
}

int
pv_sel_finish(struct pv_sel *s)
{
	switch (s->simple) {
	case 0: /* the default: my euid, and my terminal (BSD: any) */
		s->my_euid = 1;
		s->my_tty = !s->prefer_bsd;
		s->has_tty = s->prefer_bsd;
		break;
	case PV_SS_UA:
		s->no_leader = s->has_tty = 1;
		break;
	case PV_SS_UD:
	case PV_SS_UA | PV_SS_UD:
		s->no_leader = 1;
		break;
	case PV_SS_BA:
		s->has_tty = 1;
		break;
	case PV_SS_BX:
		s->my_euid = 1;
		break;
	case PV_SS_BA | PV_SS_BX:
		s->all = 1;
		break;
	default:
		return -1;
	}
	return 0;
}

int
pv_sel_needs(const struct pv_sel *s)
{
	int needs = 0;

	/* the effective uid is not in stat: it is the owner of /proc/PID */
	if (s->nuids || s->negids || s->my_euid)
		needs |= NEED_EUID;
	if (s->nruids || s->nrgids)
		needs |= NEED_STATUS; /* real ids: only in status */
	return needs;
}

static int
has_int(const int *v, size_t n, int x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

static int
has_id(const unsigned int *v, size_t n, const struct pv_proc *p, unsigned int x)
{
	size_t i;

	if (!p->stv.have_uid)
		return 0;
	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/*
 * -C: the kernel keeps 15 bytes of a name, so "systemd-journald" is
 * "systemd-journal" in stat; like ps, a longer name matches a 15-byte
 * comm by its first 15 bytes.
 */
static int
comm_is(const char *comm, const char *name)
{
	if (strlen(comm) == 15 && strlen(name) >= 15 &&
	    strncmp(comm, name, 15) == 0)
		return 1;
	return strcmp(name, comm) == 0;
}

/*
 * procps 4's ps compares -C with the name as it prints it, escaped: in
 * the C locale "-C 'a??z'" finds a process named "aéz" and "-C aéz"
 * does not. Both match here: the name as ps shows it, and the real one.
 */
int
pv_comm_is(const char *comm, const char *name)
{
	char shown[sizeof(((struct proc_stat *)0)->comm)];

	esc_buf(shown, sizeof(shown), comm, strlen(comm), ESC_NOLIMIT, NULL);
	return comm_is(comm, name) || comm_is(shown, name);
}

static int
name_match(const struct pv_sel *s, const char *comm)
{
	size_t i;

	for (i = 0; i < s->nnames; i++)
		if (pv_comm_is(comm, s->names[i]))
			return 1;
	return 0;
}

/* In one of the lists? (several options add up: -p 1 -C sshd) */
static int
listed(const struct pv_sel *s, const struct pv_proc *p)
{
	return has_int(s->pids, s->npids, p->pid) ||
	       has_int(s->ppids, s->nppids, p->st.ppid) ||
	       has_int(s->sids, s->nsids, p->st.session) ||
	       has_int(s->ttys, s->nttys, p->st.tty_nr) ||
	       has_id(s->uids, s->nuids, p, p->stv.euid) ||
	       has_id(s->ruids, s->nruids, p, p->stv.ruid) ||
	       has_id(s->rgids, s->nrgids, p, p->stv.rgid) ||
	       has_id(s->egids, s->negids, p, p->stv.egid) ||
	       name_match(s, p->st.comm);
}

/* The simple tests of -a, -d, a, x and the default (procps's) */
static int
simple_accept(const struct pv_sel *s, const struct pv_proc *p)
{
	if (s->my_euid &&
	    (!p->stv.have_uid || p->stv.euid != (unsigned)s->self_euid))
		return 0;
	if (s->my_tty && p->st.tty_nr != s->self_tty)
		return 0;
	if (s->no_leader && p->st.session == p->pid)
		return 0;
	if (s->has_tty && p->st.tty_nr == 0)
		return 0;
	return 1;
}

static int
sel_accept(const struct pv_sel *s, const struct pv_proc *p)
{
	if (s->all)
		return 1;
	/* the simple tests apply when given, or when no list was */
	if ((s->simple || !pv_sel_has_lists(s)) && simple_accept(s, p))
		return 1;
	return listed(s, p);
}

int
pv_sel_match(const struct pv_sel *s, const struct pv_proc *p)
{
	return s->negate ? !sel_accept(s, p) : sel_accept(s, p);
}

void
pv_sel_free(struct pv_sel *s)
{
	size_t i;

	for (i = 0; i < s->nnames; i++)
		free(s->names[i]);
	free(s->names);
	free(s->uids);
	free(s->pids);
	free(s->ppids);
	free(s->ruids);
	free(s->rgids);
	free(s->egids);
	free(s->sids);
	free(s->ttys);
	memset(s, 0, sizeof(*s));
}
