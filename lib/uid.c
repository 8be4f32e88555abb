/* uid.c: a user-name cache (see uid.h). */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "uid.h"

const char *
uid_cache_name(struct uid_cache *c, unsigned int uid)
{
	struct uid_entry *e;
	struct passwd *pw;
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (c->ent[i].uid == uid) {
			errno = 0;
			return c->ent[i].name;
		}
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;

		if (!(e = realloc(c->ent, cap * sizeof(*e)))) {
			errno = ENOMEM;
			return NULL;
		}
		c->ent = e;
		c->cap = cap;
	}
	c->lookups++;
	errno = 0;
	pw = getpwuid(uid);
	e = &c->ent[c->n];
	e->uid = uid;
	e->name = NULL;
	if (pw && !(e->name = strdup(pw->pw_name))) {
		errno = ENOMEM;
		return NULL;
	}
	c->n++;
	errno = 0;
	return e->name;
}

void
uid_cache_free(struct uid_cache *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->ent[i].name);
	free(c->ent);
	memset(c, 0, sizeof(*c));
}
