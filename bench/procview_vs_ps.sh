#!/bin/sh
# bench/procview_vs_ps.sh: procview -ef and procview aux against procps
# ps -ef and ps aux, side by side.
#
#   sh bench/procview_vs_ps.sh [N] [RUNS]
#
# Starts N idle processes (default 500, at most 5000) so that both tools
# have real work, runs "procview -ef" and "ps -ef" (then "procview aux"
# and "ps aux") alternately RUNS times each (default 21; alternating so
# that a burst of load hits both),
# takes the medians, counts each tool's system calls per listed process
# with strace -f -c, ends every process it started (by PID), and writes
# the figures into its section of docs/performance.md. Not part of
# "make test": timings belong here, never in a pass/fail test.
. "${0%/*}/common.sh" # set -u; cd to the top of the tree ($top)
N=${1:-500}
RUNS=${2:-21}
bench_args "$N" "$RUNS" RUNS 3
bench_build
bench_peer ps
PS=$PEER
bench_idle "$N"

# ms CMD...: wall time of one run in microseconds (output discarded).
# bash's EPOCHREALTIME reads the clock without starting a process; with
# date(1) the start of the second "date" is counted in both timings.
if command -v bash >/dev/null 2>&1 &&
	[ -n "$(bash -c 'echo $EPOCHREALTIME')" ]; then
	ms() {
		bash -c 't0=${EPOCHREALTIME/./}; "$@" >/dev/null 2>&1
			t1=${EPOCHREALTIME/./}; echo $((t1 - t0))' ms "$@"
	}
else
	ms() {
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000))
	}
fi

median() { # file of numbers (microseconds) -> median in ms, 1 decimal
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.1f", m / 1000 }'
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pvbench.XXXXXX")
"$PV" -ef >/dev/null; "$PS" -ef >/dev/null # warm the caches for both
# race ARGS: RUNS alternating runs of procview ARGS and ps ARGS; sets
# mpv, mps (median ms) and ratio
race() {
	rm -f "$tmp/pv" "$tmp/ps"
	r=0
	while [ "$r" -lt "$RUNS" ]; do
		ms "$PV" "$@" >>"$tmp/pv"
		ms "$PS" "$@" >>"$tmp/ps"
		r=$((r + 1))
	done
	mpv=$(median "$tmp/pv")
	mps=$(median "$tmp/ps")
	ratio=$(awk -v a="$mpv" -v b="$mps" 'BEGIN { printf "%.2f", a / b }')
}
race -ef
ef_pv=$mpv ef_ps=$mps ef_ratio=$ratio
race aux
aux_pv=$mpv aux_ps=$mps aux_ratio=$ratio
rows=$("$PS" -e --no-headers | wc -l)

# calls CMD...: system calls per listed process (strace -f -c)
calls() {
	if ! command -v strace >/dev/null 2>&1; then
		echo "n/a (strace not installed)"
		return
	fi
	strace -f -c -o "$tmp/strace" "$@" >"$tmp/out" 2>/dev/null
	n=$(($(wc -l <"$tmp/out") - 1))
	awk -v n="$n" '$NF == "total" { printf "%.1f (%d calls, %d processes)", $(NF - 2) / n, $(NF - 2), n }' \
		"$tmp/strace"
}
cpv=$(calls "$PV" -ef)
cps=$(calls "$PS" -ef)
apv=$(calls "$PV" aux)
aps=$(calls "$PS" aux)
load=$(cut -d' ' -f1-3 /proc/loadavg)
bench_cleanup
rm -rf "$tmp"

section=$(cat <<EOT
Measured by \`sh bench/procview_vs_ps.sh $N $RUNS\` on $(date -u +%Y-%m-%d)
(Linux $(uname -r), $(nproc) CPUs, load average $load, $("$PS" --version | head -n 1)),
with $N extra idle processes ($rows processes listed), $RUNS alternating
runs of each command:

| command | median wall time | system calls per listed process |
|---|---|---|
| \`procview -ef\` | $ef_pv ms | $cpv |
| \`ps -ef\` | $ef_ps ms | $cps |
| \`procview aux\` | $aux_pv ms | $apv |
| \`ps aux\` | $aux_ps ms | $aps |

Ratio procview / ps, median wall time: **$ef_ratio** for -ef (target:
at most 0.40, and 8 system calls per process or fewer), **$aux_ratio**
for aux (target: at most 0.50).

Why it is faster: for these columns procview opens the /proc/PID
directory once, reads two files through it (stat and cmdline), takes the
effective uid from the directory's owner with one fstat, and closes
everything with one close_range(): about 7 system calls per process.
With two or more CPUs and 64 or more processes it reads the lower and
the upper half of the PID list on two threads at once (the time is the
kernel's, writing each process's files; ps reads one process at a
time), and joins the halves in PID order. ps also reads
/proc/PID/status, the most expensive file for the kernel to write, and
reads each file until an empty read, about 16 calls.
For aux procview reads status too (one read, parsed in one pass),
because STAT's L (VmLck, pages locked in memory) is in no other file:
stat and statm have RSS but not the locked count. Status is the most
expensive of the three files for the kernel to write (one and a half
times stat), and that is most of what aux costs beyond -ef.
EOT
)

bench_write procview "$section"
echo "$section"
