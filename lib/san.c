/* san.c: the sanitizer of this build (see san.h). */
#include <stddef.h>

#include "san.h"

const char *
san_build(void)
{
#if defined(SAN_ADDRESS)
	return "address";
#elif defined(SAN_THREAD)
	return "thread";
#else
	return NULL;
#endif
}
