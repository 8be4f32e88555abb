/*
 * uid.h: a user-name cache (uid.c).
 *
 * Rules:
 * - One getpwuid() per uid, not one per process: a lookup may read
 *   /etc/passwd or ask a network service (NSS).
 * - The only state is the caller's struct (no globals). Start it zeroed
 *   ({0}); free it with uid_cache_free(). Not thread-safe: one cache per
 *   thread (getpwuid itself is not reentrant either).
 * - Nothing here prints or exits.
 */
#ifndef UID_H
#define UID_H

#include <stddef.h>

struct uid_cache {
	struct uid_entry {
		unsigned int uid;
		char *name; /* NULL: the uid has no name */
	} * ent;
	size_t n, cap;
	unsigned long lookups; /* getpwuid calls made (for tests) */
};

/*
 * Name of uid, or NULL if the uid has no user (then errno is 0) or
 * memory ran out (errno ENOMEM). The string belongs to the cache and
 * lives until uid_cache_free().
 */
const char *uid_cache_name(struct uid_cache *c, unsigned int uid);

/* Free every name and the table; c is left zeroed, ready for reuse. */
void uid_cache_free(struct uid_cache *c);

#endif
