#!/bin/sh
# tests/fault/report.sh: measure everything docs/reliability.md reports,
# then write it. `make reliability` (sets BIN and HELPERBIN).
#
#   BIN=build/bin HELPERBIN=build/tests/helpers sh tests/fault/report.sh
#
# What it runs, all for real, in this order:
#   1. the netlab fault cases for every model at the issue's full sizes
#      (FAULT_FULL=1: 500 stalled, 2,000 in a burst, 200 under ulimit -n 64)
#   2. the hostile procview and memlayout tests
#   3. every fuzz target for FUZZ_SECONDS (default 30, as CI)
#   4. unless REPORT_QUICK=1: make test SAN=address,undefined,
#      make test SAN=thread, make valgrind, make lint (each summary line;
#      REPORT_SKIP="valgrind lint" leaves some out, and the report says so)
#   5. the hardening of the built programs, read back with readelf
# Nothing in the measured part is typed by hand: a case that was not run
# says "not run". The sections after the marker line (coverage, mutation
# runs) are written by hand and kept as they are. Exit 1 if any check failed (the document is written anyway).
# This is not part of `make test`: it takes several minutes.

# tests/run.sh runs every tests/fault/*.sh: this one only says so there
# (run.sh exports TKT_SANLOG) and leaves the measuring to make reliability.
if [ -n "$TKT_SANLOG" ] && [ -z "$REPORT_FORCE" ]; then
	echo "ok 1 - report.sh # SKIP the report runs under make reliability"
	exit 0
fi

top=$(cd "${0%/*}/../.." && pwd)
cd "$top" || exit 2
: "${BIN:?BIN must name the folder with the built programs}"
: "${HELPERBIN:?HELPERBIN must name the folder with the test helpers}"
export BIN HELPERBIN
MAKE=${MAKE:-make}
out=docs/reliability.md
work=$(mktemp -d "${TMPDIR:-/tmp}/tkt-rel.XXXXXX")
trap 'rm -rf "$work"' EXIT
export FAULT_REPORT="$work"
: >"$work/rows.tsv"
# The sections after this marker line are written by hand (coverage from
# make coverage, the mutation runs): kept as they are at every rewrite.
mark='<!-- below: kept by tests/fault/report.sh, written by hand -->'
if grep -qxF "$mark" "$out" 2>/dev/null; then
	sed -n "\|^$mark\$|,\$p" "$out" >"$work/kept"
else
	echo "$mark" >"$work/kept"
fi
status=0

say() { printf '%s\n' "$*" >&2; }

# run_tap NAME FILE: run a TAP script; "passed/total" into $work/NAME.res
run_tap() {
	s0=$(date +%s)
	FAULT_FULL=1 SAN= timeout -k 5 900 sh "$2" >"$work/$1.tap" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$work/$1.tap")
	f=$(grep -c '^not ok ' "$work/$1.tap")
	sk=$(grep -c '^ok .*# SKIP' "$work/$1.tap")
	[ "$rc" != 0 ] && [ "$f" = 0 ] && f=1
	[ "$f" != 0 ] && status=1
	res="$((p - sk)) passed, $f failed"
	[ "$sk" != 0 ] && res="$res, $sk skipped"
	echo "$res ($(($(date +%s) - s0)) s)" >"$work/$1.res"
	say "  $1: $res"
}

say "reliability: netlab fault cases at full size"
for m in thread fork pool epoll; do
	run_tap "netlab_$m" "tests/fault/netlab_$m.sh"
done
say "reliability: procview and memlayout under hostile conditions"
run_tap hostile_procview tests/cli/hostile_procview.sh
run_tap hostile_memlayout tests/cli/hostile_memlayout.sh

secs=${FUZZ_SECONDS:-30}
say "reliability: fuzzing, $secs s per target"
rm -f build/fuzz/summary.tsv
if sh tests/fuzz/run.sh "$secs" >"$work/fuzz.out" 2>&1; then
	fuzz_status=ok
else
	fuzz_status=failed
	status=1
fi
sed 's/^/  /' "$work/fuzz.out" >&2

# make_line NAME ARGS...: the last "N passed, N failed" line of a make run
make_line() {
	n=$1
	shift
	s0=$(date +%s)
	# FAULT_REPORT unset: these runs must not add rows to the tables
	FAULT_REPORT= "$MAKE" -s "$@" >"$work/$n.out" 2>&1
	rc=$?
	l=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$work/$n.out" | tail -n 1)
	[ -z "$l" ] && l=$(tail -n 1 "$work/$n.out")
	[ "$rc" != 0 ] && status=1
	echo "exit $rc: ${l:-no output} ($(($(date +%s) - s0)) s)" \
		>"$work/$n.res"
	say "  $n: $(cat "$work/$n.res")"
}
# REPORT_SKIP="valgrind lint": leave those runs out (they say "not run")
run_make() { # NAME ARGS...
	case " $REPORT_SKIP " in
	*" $1 "*)
		echo "not run in this report (REPORT_SKIP)" >"$work/$1.res"
		return
		;;
	esac
	make_line "$@"
}
if [ -z "$REPORT_QUICK" ]; then
	say "reliability: sanitizers, valgrind, lint (several minutes)"
	run_make asan test SAN=address,undefined
	run_make tsan test SAN=thread
	run_make valgrind valgrind
	run_make lint lint
else
	for n in asan tsan valgrind lint; do
		echo "not run (REPORT_QUICK=1)" >"$work/$n.res"
	done
fi

# ---- the document ----

# cell TEXT: safe inside a Markdown table cell
cell() { printf '%s' "$1" | sed 's/|/\\|/g'; }

table() { # TOOL: the rows of one tool (or netlab model)
	awk -F '\t' -v t="$1" '$1 == t' "$work/rows.tsv" |
		while IFS="$(printf '\t')" read -r _ c w l r; do
			printf '| %s | %s | %s | %s |\n' "$(cell "$c")" \
				"$(cell "$w")" "$(cell "$l")" "$(cell "$r")"
		done
}

harden() { # PROG: PIE, full RELRO, canary, FORTIFY, NX stack
	f=$BIN/$1
	[ -x "$f" ] || {
		echo "| $1 | not built | | | | |"
		return
	}
	h=$(readelf -h "$f" 2>/dev/null)
	d=$(readelf -d "$f" 2>/dev/null)
	l=$(readelf -lW "$f" 2>/dev/null)
	s=$(readelf --dyn-syms -W "$f" 2>/dev/null)
	yn() { if printf '%s\n' "$1" | grep -Eq -- "$2"; then echo yes; else
		echo NO; fi; }
	nx=yes
	printf '%s\n' "$l" | grep -q 'GNU_STACK.*RWE' && nx=NO
	relro=NO
	[ "$(yn "$l" GNU_RELRO)$(yn "$d" 'BIND_NOW|FLAGS.*NOW')" = yesyes ] &&
		relro=yes
	echo "| $1 | $(yn "$h" 'Type: +DYN') | $relro | \
$(yn "$s" __stack_chk_fail) | $(yn "$s" '__[a-z_]*_chk') | $nx |"
}

{
	cat <<EOF
# Reliability and security

Generated by \`make reliability\` (tests/fault/report.sh) from the runs
it makes; do not edit by hand, except the sections after "Coverage",
which are kept at each rewrite. Last run: $(date -u '+%Y-%m-%d %H:%M UTC'),
commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), Linux
$(uname -r), $(nproc) CPUs.

Every case below is also a check in \`make test\` (tests/fault/*.sh,
tests/cli/hostile_*.sh); there the big counts are scaled down under a
sanitizer (500 -> 100 stalled, 2,000 -> 400 in a burst, 200 -> 100 held)
so that CI's three runs fit in time. This report runs the full sizes in
a normal build. Clients are the helper \`tests/helpers/hostile.c\`
(127.0.0.1 only, each mode bounded by a deadline, so a server that hangs
fails the case instead of hanging the run).

## netlab: fault injection, per server model

EOF
	for m in thread fork pool epoll; do
		echo "### model $m: $(cat "$work/netlab_$m.res")"
		echo
		if [ -n "$(table "$m")" ]; then
			echo "| Case | What was done | Limit held | Result |"
			echo "|---|---|---|---|"
			table "$m"
		else
			echo "Not run: $(grep -m1 SKIP "$work/netlab_$m.tap" |
				sed 's/.*# SKIP //')"
		fi
		echo
	done
	cat <<EOF
## procview under hostile conditions: $(cat "$work/hostile_procview.res")

| Case | What was done | Limit held | Result |
|---|---|---|---|
$(table procview)

## memlayout under hostile conditions: $(cat "$work/hostile_memlayout.res")

| Case | What was done | Limit held | Result |
|---|---|---|---|
$(table memlayout)

## Fuzzing: $fuzz_status

libFuzzer with ASan and UBSan (\`make fuzz FUZZ_SECONDS=$secs\`), seeds
in tests/fuzz/corpus/. Each target checks an oracle, not only "no
crash" (see the comment at the top of each tests/fuzz/fuzz_*.c).

| Target | Parser | Seconds | Executions | Result |
|---|---|---|---|---|
EOF
	[ -s build/fuzz/summary.tsv ] ||
		echo "| - | not run: $(tail -n 1 "$work/fuzz.out") | | | |"
	[ -s build/fuzz/summary.tsv ] && while IFS="$(printf '\t')" read -r t s e r; do
		what=$(sed -n '2s/^ \* *//p' "tests/fuzz/$t.c" |
			sed 's/^[a-z_]*\.c: libFuzzer target for //; s/\.$//')
		printf '| %s | %s | %s | %s | %s |\n' "$t" "$(cell "$what")" \
			"$s" "$e" "$r"
	done <build/fuzz/summary.tsv
	cat <<EOF

## Sanitizers, valgrind, static analysis

| Run | Result |
|---|---|
| \`make test SAN=address,undefined\` | $(cat "$work/asan.res") |
| \`make test SAN=thread\` | $(cat "$work/tsan.res") |
| \`make valgrind\` (memcheck, --leak-check=full) | $(cat "$work/valgrind.res") |
| \`make lint\` | $(cat "$work/lint.res") |

## Hardening of the built programs (readelf)

| Program | PIE | full RELRO | stack protector | FORTIFY | NX stack |
|---|---|---|---|---|---|
EOF
	for p in memlayout procview netlab thread_serv thread_cli; do
		harden "$p"
	done
	cat <<EOF

## Failures in this run

EOF
	if [ $status = 0 ]; then
		echo "None."
	else
		for f in "$work"/*.tap; do
			grep -A3 '^not ok' "$f" | sed 's/^/    /'
		done
		grep -h FAIL "$work/fuzz.out" | sed 's/^/    /'
	fi
	for n in asan tsan valgrind lint; do
		[ -f "$work/$n.out" ] || continue
		f=$(grep -E '^FAIL ' "$work/$n.out")
		[ -n "$f" ] || continue
		echo
		echo "Test files that failed in \`$n\`:"
		echo
		printf '%s\n' "$f" | sed 's/^FAIL  */    /'
	done
	cat <<EOF

## Known limitations found by these tests

EOF
	known=$(grep -h '# SKIP KNOWN' "$work"/*.tap | sed 's/^ok [0-9]* - /- /;
		s/ # SKIP KNOWN BUG: /: /')
	echo "${known:-None seen in this run.}"
	echo
	cat "$work/kept"
} >"$out"
say "reliability: wrote $out"
exit $status
