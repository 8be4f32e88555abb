#!/bin/sh
# tests/fuzz/run.sh: build every tests/fuzz/fuzz_*.c as a libFuzzer
# target and run each for SECONDS (default 10). `make fuzz FUZZ_SECONDS=N`
#
#   sh tests/fuzz/run.sh [SECONDS] [TARGET...]
#
# Each target names the lib sources it needs on a " * lib: ..." line of
# its header comment; it is built straight from them (no libutil.a: the
# fuzzer wants its own instrumentation everywhere) with clang
# -fsanitize=fuzzer,address,undefined into build/fuzz/. The checked-in
# seeds (tests/fuzz/corpus/TARGET) are read; what the fuzzer finds goes
# to build/fuzz/corpus/TARGET, crashes to build/fuzz/crash-TARGET-*.
# One line per target, then build/fuzz/summary.tsv (target, seconds,
# executions, result) for tests/fault/report.sh. Exit 1 if any target
# crashed or failed to build; 0 with a message if clang cannot fuzz.
# FUZZ_SEED=N fixes libFuzzer's random seed: CI sets it, so that every CI
# run explores the same inputs first and a red CI is reproducible, never
# a new random find that nobody changed anything to cause. Without it
# (make fuzz) each run starts somewhere new, which is how new bugs are
# found.

top=$(cd "${0%/*}/../.." && pwd)
cd "$top" || exit 2
secs=${1:-10}
[ -n "$1" ] && shift
case $secs in
'' | *[!0-9]*)
	echo "fuzz: SECONDS must be a whole number, not '$secs'" >&2
	exit 2
	;;
esac
out=build/fuzz
mkdir -p "$out/corpus"
CC_FUZZ=${CC_FUZZ:-clang}
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n)
{ (void)d; (void)n; return 0; }' >"$out/probe.c" ||
	! $CC_FUZZ -fsanitize=fuzzer -o "$out/probe" "$out/probe.c" 2>/dev/null; then
	echo "fuzz: SKIP: $CC_FUZZ cannot build libFuzzer targets"
	exit 0
fi

targets=$*
[ -n "$targets" ] ||
	targets=$(for f in tests/fuzz/fuzz_*.c; do
		b=${f##*/}
		echo "${b%.c}"
	done)
summary=$out/summary.tsv
: >"$summary"
fail=0
for t in $targets; do
	src=tests/fuzz/$t.c
	libs=$(sed -n 's/^ \* lib: //p' "$src" | head -n 1)
	# shellcheck disable=SC2086
	if ! $CC_FUZZ -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -Ilib -D_GNU_SOURCE -std=c11 \
		-o "$out/$t" "$src" $libs 2>"$out/$t.build.log"; then
		echo "FAIL  $t: does not build"
		sed 's/^/      | /' "$out/$t.build.log"
		printf '%s\t%s\t0\tbuild failed\n' "$t" "$secs" >>"$summary"
		fail=1
		continue
	fi
	mkdir -p "$out/corpus/$t"
	# Seed corpus: read-only, second; new finds go to the first folder.
	# shellcheck disable=SC2086
	ASAN_OPTIONS=detect_leaks=1 "$out/$t" -max_total_time="$secs" \
		${FUZZ_SEED:+-seed="$FUZZ_SEED"} -print_final_stats=1 -max_len=4096 -timeout=10 \
		-artifact_prefix="$out/crash-$t-" \
		"$out/corpus/$t" "tests/fuzz/corpus/$t" >"$out/$t.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		"$out/$t.log" | tail -n 1)
	execs=${execs:-0}
	if [ "$rc" -eq 0 ]; then
		res=ok
		printf 'PASS  %-12s %4s s %10s executions\n' "$t" "$secs" "$execs"
	else
		res="crash (exit $rc)"
		fail=1
		printf 'FAIL  %-12s %4s s %10s executions: exit %s\n' "$t" \
			"$secs" "$execs" "$rc"
		grep -E 'ERROR|SUMMARY|Test unit written' "$out/$t.log" |
			head -n 5 | sed 's/^/      | /'
	fi
	printf '%s\t%s\t%s\t%s\n' "$t" "$secs" "$execs" "$res" >>"$summary"
done
exit $fail
