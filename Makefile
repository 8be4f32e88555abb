# Makefile for the toolkit: see README.md. Knobs live in config.mk.
#
#   make                 build everything into build/ (binaries in build/bin)
#   make test            build and run every test; ends "N passed, N failed"
#   make test SAN=thread rebuild in build/san-thread/ with that sanitizer, test
#   make demo            the guided tour
#
# Adding a file never needs an edit here: every lib/*.c goes into
# libutil.a, every other TOOL/*.c into that tool, tests/unit/test_*.c each
# become a unit test. Only programs with their own main() are listed below.

include config.mk

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
PROGS = $(foreach p,$(ALLPROGS),$(if $(wildcard $($(p)_MAIN)),$(p)))

memlayout_SRC   = $(filter-out $(MAINS),$(wildcard memlayout/*.c))
procview_SRC    = $(filter-out $(MAINS),$(wildcard procview/*.c))
netlab_SRC      = $(filter-out $(MAINS),$(wildcard netlab/*.c))
thread_serv_SRC = $(netlab_SRC)
thread_cli_SRC  = $(netlab_SRC)

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

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(call obj,$(LIB_SRC))
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

# One link rule per program, generated from the lists above.
define prog_rule
$(B)/$(1): $(call obj,$($(1)_MAIN) $($(1)_SRC)) $(LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $(LIB) $$(LDLIBS)
endef
$(foreach p,$(PROGS),$(eval $(call prog_rule,$(p))))

$(O)/tests/%: $(O)/tests/unit/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(O)/tests/helpers/%: $(O)/tests/helpers/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

test: $(BINS) $(UNITS) $(HELPERS)
	@BIN=$(abspath $(B)) UNITBIN=$(abspath $(O)/tests) SAN='$(SAN)' \
		HELPERBIN=$(abspath $(O)/tests/helpers) sh tests/run.sh

demo: $(BINS)
	@BIN=$(abspath $(B)) sh tests/demo.sh

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

lint:
	@sh tests/lint.sh

install: $(BINS)
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1
	for p in $(PROGS); do \
		cp -f $(B)/$$p $(DESTDIR)$(PREFIX)/bin/$$p && \
		chmod 755 $(DESTDIR)$(PREFIX)/bin/$$p; done
	for m in $(MANS); do \
		cp -f $$m $(DESTDIR)$(MANPREFIX)/man1/ && \
		chmod 644 $(DESTDIR)$(MANPREFIX)/man1/$${m##*/}; done
	# the lecture's program names share netlab's page
	for p in thread_serv thread_cli; do \
		echo '.so man1/netlab.1' >$(DESTDIR)$(MANPREFIX)/man1/$$p.1; done

uninstall:
	for p in $(PROGS); do rm -f $(DESTDIR)$(PREFIX)/bin/$$p; done
	for m in $(MANS); do rm -f $(DESTDIR)$(MANPREFIX)/man1/$${m##*/}; done
	rm -f $(DESTDIR)$(MANPREFIX)/man1/thread_serv.1 \
		$(DESTDIR)$(MANPREFIX)/man1/thread_cli.1

clean:
	rm -rf build stages

.PHONY: all test demo stages fuzz valgrind reliability lint install \
	uninstall clean
.SECONDARY:

-include $(shell find $(O) -name '*.d' 2>/dev/null)
