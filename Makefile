# Makefile for the toolkit: see README.md. Knobs live in config.mk.
#
#   make                 build everything into build/ (binaries in build/bin)
#   make test            build and run every test; ends "N passed, N failed"
#   make test SAN=thread rebuild in build/san-thread/ with that sanitizer, test
#   make demo            the guided tour
#   make V=1             show every command in full (default: "  CC file")
#
# Adding a file never needs an edit here: every lib/*.c goes into
# libutil.a, every other TOOL/*.c into that tool, tests/unit/test_*.c each
# become a unit test. Only programs with their own main() are listed below.

include config.mk

# Quiet by default: one short line per step ("  CC lib/net.c"); V=1
# prints the full commands instead, as the Linux kernel's build does.
# make -s prints nothing at all (the first word of MAKEFLAGS holds the
# one-letter flags).
ifeq ($(V),1)
Q :=
say := @true
else ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
Q := @
say := @true
else
Q := @
say := @printf '  %s %s\n'
endif

comma := ,
ifeq ($(SAN),)
O := build
else
O := build/san-$(subst $(comma),-,$(SAN))
# Sanitizers want frame pointers for readable reports, and -O1 keeps
# them fast without hiding bugs; FORTIFY conflicts with ASan interceptors.
OPTFLAGS = -O1 -g -fno-omit-frame-pointer
HARDEN_CFLAGS := $(filter-out -D_FORTIFY_SOURCE=2,$(HARDEN_CFLAGS))
CFLAGS  += -fsanitize=$(SAN) -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SAN)
endif
B := $(O)/bin

# Programs: NAME_MAIN is the file with main(), NAME_SRC the rest of its code.
ALLPROGS = memlayout procview netlab thread_serv thread_cli
memlayout_MAIN   = memlayout/main.c
procview_MAIN    = procview/main.c
netlab_MAIN      = netlab/main.c
thread_serv_MAIN = netlab/thread_serv.c
thread_cli_MAIN  = netlab/thread_cli.c
MAINS = $(foreach p,$(ALLPROGS),$($(p)_MAIN))
PROGS = $(ALLPROGS)

memlayout_SRC   = $(filter-out $(MAINS),$(wildcard memlayout/*.c))
procview_SRC    = $(filter-out $(MAINS),$(wildcard procview/*.c))
netlab_SRC      = $(filter-out $(MAINS),$(wildcard netlab/*.c))
thread_serv_SRC =
thread_cli_SRC  =

LIB_SRC  = $(wildcard lib/*.c)
LIB      = $(O)/libutil.a
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNITS    = $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
# Helper programs the shell tests drive (load makers, hostile clients).
HELP_SRC = $(wildcard tests/helpers/*.c)
HELPERS  = $(HELP_SRC:tests/helpers/%.c=$(O)/tests/helpers/%)
BINS     = $(PROGS:%=$(B)/%)
MANS     = $(wildcard docs/man/*.1)

obj = $(patsubst %.c,$(O)/%.o,$(1))

all: $(BINS)

# A listed program whose main file is gone is an error when it is built,
# never a program silently left out of the build and the install.
MISSING = $(strip $(foreach m,$(MAINS),$(if $(wildcard $(m)),,$(m))))
ifneq ($(MISSING),)
$(MISSING):
	@echo "make: missing main file '$@' (see ALLPROGS in the Makefile)" >&2
	@exit 1
endif

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(call obj,$(LIB_SRC))
	@mkdir -p $(@D)
	$(say) AR $@
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

# One link rule per program, generated from the lists above.
define prog_rule
$(B)/$(1): $(call obj,$($(1)_MAIN) $($(1)_SRC)) $(LIB)
	@mkdir -p $$(@D)
	$$(say) LD $$@
	$$(Q)$$(CC) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $(LIB) $$(LDLIBS)
endef
$(foreach p,$(PROGS),$(eval $(call prog_rule,$(p))))

$(O)/tests/%: $(O)/tests/unit/%.o $(LIB)
	@mkdir -p $(@D)
	$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(O)/tests/helpers/%: $(O)/tests/helpers/%.o $(LIB)
	@mkdir -p $(@D)
	$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

test: $(BINS) $(UNITS) $(HELPERS)
	@BIN=$(abspath $(B)) UNITBIN=$(abspath $(O)/tests) SAN='$(SAN)' \
		HELPERBIN=$(abspath $(O)/tests/helpers) sh tests/run.sh

demo: $(BINS)
	@BIN=$(abspath $(B)) sh tests/demo.sh

# Check a lab on the tree as it is now, as MIT 6.S081 does: one line per
# check and a score (docs/labs/README.md). LAB=N for one lab.
grade: $(BINS)
	@BIN=$(abspath $(B)) sh tests/grade/grade.sh $(LAB)

# The pictures README shows (SVG), drawn again by the tools themselves;
# PICTURES_DIR=DIR puts them elsewhere (docs/pictures/make.sh).
PICTURES_DIR = docs/pictures
pictures: $(BINS)
	@BIN=$(abspath $(B)) sh docs/pictures/make.sh $(PICTURES_DIR)
.PHONY: pictures

# The compile pipeline, step by step (lab 4).
stages:
	@sh docs/stages/stages.sh

fuzz:
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)

valgrind: $(BINS) $(HELPERS)
	@BIN=$(abspath $(B)) VALGRIND=1 \
		HELPERBIN=$(abspath $(O)/tests/helpers) sh tests/run.sh cli

reliability: $(BINS) $(HELPERS)
	@BIN=$(abspath $(B)) HELPERBIN=$(abspath $(O)/tests/helpers) \
		sh tests/fault/report.sh

# Line and branch coverage of the whole suite: a --coverage build of its
# own in build/coverage (-Og: lines still map to code, and FORTIFY, which
# needs optimisation, stays on as the build tests expect), the suite,
# then a gcov summary per file and in total (tests/coverage.sh). The
# summary is printed even when a test failed; the exit status is the
# suite's.
COV_O = build/coverage
coverage:
	rm -rf $(COV_O)
	@CFLAGS=--coverage LDFLAGS=--coverage $(MAKE) --no-print-directory \
		O=$(COV_O) OPTFLAGS='-Og -g' test; \
	rc=$$?; sh tests/coverage.sh $(COV_O) && exit $$rc

lint:
	@sh tests/lint.sh

# The lecture's program names share netlab's page: one-line .so stubs.
MANSTUBS = $(O)/man/thread_serv.1 $(O)/man/thread_cli.1
$(MANSTUBS):
	@mkdir -p $(@D)
	$(Q)echo '.so man1/netlab.1' >$@

# Every mode is explicit, so that the result is the same under any umask
# (umask 000 would otherwise give 0777 directories and 0666 pages).
install: $(BINS) $(MANSTUBS)
	$(say) INSTALL $(DESTDIR)$(PREFIX)/bin
	$(Q)install -d -m 755 $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1
	$(Q)install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	$(say) INSTALL $(DESTDIR)$(MANPREFIX)/man1
	$(Q)install -m 644 $(MANS) $(MANSTUBS) $(DESTDIR)$(MANPREFIX)/man1/

uninstall:
	$(Q)for p in $(PROGS); do rm -f $(DESTDIR)$(PREFIX)/bin/$$p; done
	$(Q)for m in $(MANS); do rm -f $(DESTDIR)$(MANPREFIX)/man1/$${m##*/}; done
	$(Q)rm -f $(DESTDIR)$(MANPREFIX)/man1/thread_serv.1 \
		$(DESTDIR)$(MANPREFIX)/man1/thread_cli.1

clean:
	rm -rf build stages

.PHONY: all test demo grade stages fuzz valgrind reliability coverage lint \
	install uninstall clean
.SECONDARY:

-include $(shell find $(O) -name '*.d' 2>/dev/null)
