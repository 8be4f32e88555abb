#!/bin/sh
# bench/procview_vs_ps.sh: procview -ef against procps ps -ef, side by side.
#
#   sh bench/procview_vs_ps.sh [N] [RUNS]
#
# Starts N idle processes (default 500, at most 5000) so that both tools
# have real work, runs "procview -ef" and "ps -ef" alternately RUNS times
# each (default 21; alternating so that a burst of load hits both),
# takes the medians, counts each tool's system calls per listed process
# with strace -f -c, ends every process it started (by PID), and writes
# the figures into its section of docs/performance.md. Not part of
# "make test": timings belong here, never in a pass/fail test.
set -u
top=$(cd "${0%/*}/.." && pwd)
cd "$top" || exit 2
N=${1:-500}
RUNS=${2:-21}
case $N in '' | *[!0-9]*) echo "usage: $0 [N] [RUNS]" >&2; exit 2 ;; esac
case $RUNS in '' | *[!0-9]*) echo "usage: $0 [N] [RUNS]" >&2; exit 2 ;; esac
[ "$N" -le 5000 ] || { echo "$0: N is at most 5000" >&2; exit 2; }
[ "$RUNS" -ge 3 ] || { echo "$0: RUNS is at least 3" >&2; exit 2; }

make -s all || exit 1
PV=$top/build/bin/procview
if ! command -v ps >/dev/null 2>&1; then
	echo "procps ps is missing: installing it (Debian package procps)"
	apt-get install -y procps >/dev/null || exit 1
fi
PS=$(command -v ps)

pids=""
cleanup() {
	# shellcheck disable=SC2086
	[ -n "$pids" ] && kill $pids 2>/dev/null
	for p in $pids; do wait "$p" 2>/dev/null; done
	pids=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

i=0
while [ "$i" -lt "$N" ]; do
	sleep 3600 &
	pids="$pids $!"
	i=$((i + 1))
done

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
r=0
while [ "$r" -lt "$RUNS" ]; do
	ms "$PV" -ef >>"$tmp/pv"
	ms "$PS" -ef >>"$tmp/ps"
	r=$((r + 1))
done
mpv=$(median "$tmp/pv")
mps=$(median "$tmp/ps")
ratio=$(awk -v a="$mpv" -v b="$mps" 'BEGIN { printf "%.2f", a / b }')
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
load=$(cut -d' ' -f1-3 /proc/loadavg)
cleanup
rm -rf "$tmp"

section=$(cat <<EOT
Measured by \`sh bench/procview_vs_ps.sh $N $RUNS\` on $(date -u +%Y-%m-%d)
(Linux $(uname -r), $(nproc) CPUs, load average $load, $("$PS" --version | head -n 1)),
with $N extra idle processes ($rows processes listed), $RUNS alternating
runs of each command:

| command | median wall time | system calls per listed process |
|---|---|---|
| \`procview -ef\` | $mpv ms | $cpv |
| \`ps -ef\` | $mps ms | $cps |

Ratio procview / ps, median wall time: **$ratio** (target: at most 0.50).

Why it is faster: for these columns procview opens the /proc/PID
directory once, reads two files through it (stat and cmdline), takes the
effective uid from the directory's owner with one fstat, and closes
everything with one close_range(): about 7 system calls per process.
ps also reads /proc/PID/status, the most expensive file for the kernel
to write, and reads each file until an empty read, about 16 calls.
EOT
)

doc=docs/performance.md
awk -v text="$section" '
	/<!-- procview:begin -->/ { print; print text; skip = 1; next }
	/<!-- procview:end -->/ { skip = 0 }
	!skip { print }' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
echo "$section"
