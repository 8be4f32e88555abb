/*
 * san.h: which sanitizer this build has (san.c).
 *
 * lib/ is compiled with the same flags as the tools (make SAN=...), so
 * the answer is the program's. The macros are for code that must not
 * even be compiled under a sanitizer (a demo that faults on purpose);
 * everything else asks san_build() at run time.
 */
#ifndef SAN_H
#define SAN_H

/* GCC says __SANITIZE_*__; clang says __has_feature(*_sanitizer). */
#if defined(__SANITIZE_ADDRESS__)
#define SAN_ADDRESS 1
#endif
#if defined(__SANITIZE_THREAD__)
#define SAN_THREAD 1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer) && !defined(SAN_ADDRESS)
#define SAN_ADDRESS 1
#endif
#if __has_feature(thread_sanitizer) && !defined(SAN_THREAD)
#define SAN_THREAD 1
#endif
#endif

/*
 * "address", "thread" or NULL: the sanitizer this program was built
 * with. A static string; never fails.
 */
const char *san_build(void);

#endif
