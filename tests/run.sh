#!/bin/sh
# tests/run.sh: run every test, print one line per test file, the output
# of any that failed, one line per skipped check with its file and reason,
# and last of all exactly one line "N passed, N failed" (", N skipped").
#
#   BIN=build/bin UNITBIN=build/tests SAN=... sh tests/run.sh [cli]
#
# Tests print TAP lines ("ok"/"not ok"); a test file that exits non-zero
# without a "not ok" line counts as one failure. Under a sanitizer every
# report is written to a log folder; a report fails the test that made it,
# even one from a background server whose exit status nobody reads.

top=$(cd "${0%/*}/.." && pwd)
cd "$top" || exit 2
: "${BIN:?}"
export BIN SAN
only=${1:-all}
# The tests that build a scratch copy run make themselves: they must not
# inherit this make's command line (O=build/coverage, SAN=...) or the
# coverage build's CFLAGS, or their copy is built elsewhere, differently.
unset MAKEFLAGS MFLAGS MAKELEVEL CFLAGS LDFLAGS
logs=$(mktemp -d "${TMPDIR:-/tmp}/tkt-logs.XXXXXX")
export TKT_SANLOG="$logs/san"
export ASAN_OPTIONS="log_path=$logs/san:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$logs/san:print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="log_path=$logs/san:second_deadlock_stack=1"
export LSAN_OPTIONS="log_path=$logs/san"
# make valgrind: the tests call $BIN/PROG; point BIN at wrappers that run
# the real program under memcheck and write a log only when it finds errors
# or definite leaks (--error-exitcode alone would hide errors from tests
# that expect a non-zero status).
if [ -n "$VALGRIND" ]; then
	real=$BIN
	BIN="$logs/vgbin"
	mkdir -p "$BIN"
	for p in "$real"/*; do
		cat >"$BIN/${p##*/}" <<EOW
#!/bin/sh
exec valgrind -q --leak-check=full --errors-for-leak-kinds=definite \\
	--show-leak-kinds=definite --trace-children=no \\
	--log-file="$logs/vg.%p" "$p" "\$@"
EOW
		chmod +x "$BIN/${p##*/}"
	done
fi
passed=0
failed=0
skipped=0
skips= # "file: check (reason)" lines, printed just before the summary
fails= # "file: not ok ..." lines and their diagnostics, printed last
current=
trap '[ -n "$current" ] && kill -TERM -"$current" 2>/dev/null; rm -rf "$logs"; exit 130' INT TERM

run_one() { # NAME CMD...
	name=$1
	shift
	log="$logs/$(echo "$name" | tr '/' '_').log"
	t0=$(date +%s)
	# timeout puts the test in a process group of its own; if this
	# runner is stopped, the trap below ends that group too, so an
	# interrupted run never leaves a test (or its servers) behind.
	timeout -k 5 900 "$@" >"$log" 2>&1 &
	current=$!
	wait "$current"
	rc=$?
	current=
	secs=$(($(date +%s) - t0))
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	s=$(grep -c '^ok .*# SKIP' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc" >>"$log"
		f=1
	fi
	for r in "$logs"/vg.*; do
		[ -e "$r" ] || break
		if [ -s "$r" ]; then
			echo "not ok - valgrind report during $name:" >>"$log"
			cat "$r" >>"$log"
			f=$((f + 1))
		fi
		rm -f "$r"
	done
	for r in "$logs"/san.*; do
		[ -e "$r" ] || break
		echo "not ok - sanitizer report during $name:" >>"$log"
		cat "$r" >>"$log"
		rm -f "$r"
		f=$((f + 1))
	done
	# "ok 3 - what # SKIP why" -> "skip  NAME: what (why)"
	if [ "$s" -gt 0 ]; then
		skips="$skips$(sed -n "s|^ok [0-9]* - \(.*\) # SKIP \(.*\)|skip  $name: \1 (\2)|p" "$log")
"
	fi
	passed=$((passed + p - s))
	skipped=$((skipped + s))
	failed=$((failed + f))
	if [ "$f" -eq 0 ]; then
		printf 'PASS  %-28s %4d checks %4ds' "$name" "$p" "$secs"
		[ "$s" -gt 0 ] && printf ' (%d skipped)' "$s"
		printf '\n'
	else
		printf 'FAIL  %-28s %4d ok, %d failed %4ds\n' "$name" "$p" "$f" \
			"$secs"
		sed 's/^/      | /' "$log"
		# again at the end, where a log cut to its head and tail shows it
		fails="$fails$(awk -v n="$name" '/^not ok/ { on = 1; print n ": " $0; next }
			/^ok|^# [0-9]* checks/ { on = 0 }
			on && /^#/ { print n ":   " $0 }' "$log")
"
	fi
}

if [ "$only" = all ]; then
	for t in "${UNITBIN:?}"/test_*; do
		[ -x "$t" ] && run_one "unit/${t##*/}" "$t"
	done
fi
dirs="tests/cli"
[ "$only" = all ] && dirs="tests/cli tests/fault tests/docs"
for d in $dirs; do
	for t in "$d"/*.sh; do
		[ -f "$t" ] && run_one "${t#tests/}" sh "$t"
	done
done
rm -rf "$logs"
printf '%s' "$skips"
[ -n "$fails" ] && printf 'the failed checks:\n%s' "$fails"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
