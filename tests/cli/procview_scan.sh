#!/bin/sh
# procview_scan.sh: with many processes procview reads /proc on two
# threads (list.c, pv_scan: each thread half of the PIDs, the halves
# joined in PID order). The rows must still be exactly ps's, in ps's
# order, and the per-process files (stat, status, cmdline, task/) read
# by either thread must land in the right row.
#
# Method: a private PID namespace with its own /proc holds only what the
# test starts (200 sleepers, zombies, a process whose main thread has
# exited), so nothing else moves while ps and procview take their
# snapshots and the two listings can be compared byte for byte. The
# listers' own rows (ps and procview are different programs) are left
# out, and so is the row of the shell that runs them (it forks between
# the snapshots: R in one, S in the other). Where strace is installed, a check proves that the listing did
# start a second thread, so the comparison covers the split.
. "${0%/*}/../lib.sh"

PV=$BIN/procview
PS=/usr/bin/ps
ODD=${HELPERBIN:-}/oddproc

if [ ! -x "$PS" ] || [ ! -x "$ODD" ]; then
	skip "two-thread scan matches ps" "procps ps or helper oddproc missing"
	done_testing
	exit 0
fi
why=$(pidns_why)
if [ -n "$why" ]; then
	skip "two-thread scan matches ps" "$why"
	done_testing
	exit 0
fi

cat >"$T_TMP/ns.sh" <<'EOF'
echo $$ >"$OUT/self"
i=0
while [ "$i" -lt 200 ]; do
	sleep 120 &
	i=$((i + 1))
done
# a zombie: sleep 0 ends and its parent (now sleep 120) never reaps it
for z in 1 2 3; do
	sh -c 'sleep 0 & exec sleep 120' &
done
"$ODD" nomain 120 >"$OUT/nomain" &
i=0
while [ "$i" -lt 500 ] && ! grep -q ready "$OUT/nomain"; do
	i=$((i + 1))
	sleep 0.01
done
# the zombies exist once each "sleep 0" has ended (a loaded machine is slow)
i=0
while [ "$i" -lt 500 ] &&
	[ "$(grep -l '^State:.Z' /proc/[0-9]*/status 2>/dev/null | wc -l)" -lt 3 ]; do
	i=$((i + 1))
	sleep 0.01
done
i=0
while [ "$i" -lt 500 ] && [ "$(grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null |
	wc -l)" -lt 4 ]; do
	i=$((i + 1))
	sleep 0.01
done
# and every "sleep 120" has been exec'd and sleeps (203 of them): a child
# that is still a copy of sh, or not yet asleep, changes its row between
# the ps run and the procview run
asleep() {
	awk '/^Name:/ { n = $2 } /^State:/ && n == "sleep" && $2 == "S" { c++ }
		END { print c + 0 }' /proc/[0-9]*/status 2>/dev/null
}
end=$(($(date +%s) + 30))
while [ "$(asleep)" -lt 203 ] && [ "$(date +%s)" -lt "$end" ]; do
	sleep 0.01
done
list() { # NAME ARGS...: ps and procview with ARGS into OUT/NAME.ps, .pv
	n=$1
	shift
	"$PS" "$@" >"$OUT/$n.ps"
	"$PV" "$@" >"$OUT/$n.pv"
}
list stat -e -o pid,ppid,pgid,sid,stat,nlwp,comm
list status -e -o pid,user,ruser,vsz,rss,stat,comm
list args -e -o pid,args
list threads -eL -o pid,lwp,stat,comm
list forest -e -o pid,stat,comm --forest
ps -e --no-headers | wc -l >"$OUT/count"
if command -v strace >/dev/null 2>&1; then
	# LeakSanitizer cannot run under ptrace: off for this one run
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
		strace -f -e trace=clone,clone3 -o "$OUT/strace" "$PV" -e >/dev/null
fi
kill $(jobs -p) 2>/dev/null
EOF
PS=$PS PV=$PV ODD=$ODD OUT=$T_TMP in_pidns sh "$T_TMP/ns.sh"

# same NAME WHAT: procview's rows of NAME are ps's, byte for byte
same() {
	if cmp -s "$T_TMP/$1.pv.x" "$T_TMP/$1.ps.x"; then
		t_result 0 "$2: as ps"
	else
		t_result 1 "$2: as ps"
		diff "$T_TMP/$1.ps.x" "$T_TMP/$1.pv.x" | head -n 20 |
			sed 's/^/#   /'
	fi
}
n=$(cat "$T_TMP/count" 2>/dev/null)
ok "the namespace holds over 200 processes ($n)" test "${n:-0}" -gt 200
self=$(cat "$T_TMP/self")
for f in stat status args threads forest; do
	for t in ps pv; do
		grep -v -e ' ps$' -e ' procview$' -e " $PS -e" -e " $PV -e" \
			"$T_TMP/$f.$t" | awk -v s="$self" '$1 != s' >"$T_TMP/$f.$t.x"
	done
done
same stat "stat columns, $(wc -l <"$T_TMP/stat.ps.x") rows"
same status "status columns (users, RSS, STAT's l)"
same args "command lines (zombies without)"
same threads "-L thread rows (an exited main thread)"
same forest "--forest"
like "$(cat "$T_TMP/stat.ps.x")" ' Z[N<]* .*sleep$' \
	"a zombie is among the rows" # (ZN if niced)
if [ -f "$T_TMP/strace" ]; then
	like "$(cat "$T_TMP/strace")" 'clone3?\(' \
		"the listing started a second thread (strace)"
else
	skip "the listing started a second thread" "strace not installed"
fi

done_testing
