# config.mk: the knobs of the build. Makefile includes this file.

VERSION = 0.1.0

# Install paths (make install PREFIX=... DESTDIR=...)
PREFIX    = /usr/local
MANPREFIX = $(PREFIX)/share/man

CC ?= cc

# Warnings: every one is an error, so a warning can never scroll past.
WARNFLAGS = -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2

# Hardening: fortified libc calls, stack canaries, position independent
# executable, and a GOT that is read-only after start-up (full RELRO).
HARDEN_CFLAGS  = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
HARDEN_LDFLAGS = -pie -Wl,-z,relro,-z,now

OPTFLAGS = -O2 -g

CPPFLAGS += -D_GNU_SOURCE -DVERSION=\"$(VERSION)\" -Ilib
CFLAGS   += -std=c11 $(OPTFLAGS) $(WARNFLAGS) $(HARDEN_CFLAGS) -pthread
LDFLAGS  += $(HARDEN_LDFLAGS) -pthread
LDLIBS   +=
