/* select.c: which processes a listing shows, as ps selects them. */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

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

static int
add_pid(void *arg, const char *w)
{
	struct ivec *iv = arg;
	int pid;

	if (parse_int(w, 1, 0x7fffffff, &pid) < 0)
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

static int
add_user(void *arg, const char *w)
{
	struct pv_sel *s = arg;
	struct passwd *pw;
	long long uid;

	if (parse_ll(w, 0, 0xfffffffeLL, &uid) < 0) {
		if (!(pw = getpwnam(w))) {
			errno = ENOENT;
			return -1;
		}
		uid = pw->pw_uid;
	}
	s->uids = xreallocarray(s->uids, s->nuids + 1, sizeof(*s->uids));
	s->uids[s->nuids++] = (unsigned int)uid;
	return 0;
}

int
pv_sel_parse_users(struct pv_sel *s, const char *list)
{
	return each_word(list, add_user, s);
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

/* Is this the default selection (no option chose anything)? */
static int
is_default(const struct pv_sel *s)
{
	return !s->all && !s->nuids && !s->npids && !s->nppids && !s->nnames;
}

int
pv_sel_needs(const struct pv_sel *s)
{
	/* the effective uid is not in stat: it is the owner of /proc/PID */
	return (s->nuids || is_default(s)) ? NEED_EUID : 0;
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

int
pv_sel_match(const struct pv_sel *s, const struct pv_proc *p)
{
	size_t i;

	if (s->all)
		return 1;
	/* ps's default: my effective uid and my terminal */
	if (is_default(s))
		return p->stv.have_uid &&
		       p->stv.euid == (unsigned)s->self_euid &&
		       p->st.tty_nr == s->self_tty;
	/* several options add up: ps -p 1 -C sshd shows both */
	if (has_int(s->pids, s->npids, p->pid) ||
	    has_int(s->ppids, s->nppids, p->st.ppid))
		return 1;
	for (i = 0; i < s->nuids; i++)
		if (p->stv.have_uid && p->stv.euid == s->uids[i])
			return 1;
	for (i = 0; i < s->nnames; i++)
		if (strcmp(s->names[i], p->st.comm) == 0)
			return 1;
	return 0;
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
	memset(s, 0, sizeof(*s));
}
