#!/bin/sh
# bench/procview_watch_vs_top.sh: the CPU time one refresh of
# "procview --watch" costs, against procps top, in the same run.
#
#   sh bench/procview_watch_vs_top.sh [N] [FRAMES]
#
# Starts N idle processes (default 500, at most 5000), then measures two
# ways, three times each, alternately:
# - live: "top -d 0.2 -n FRAMES" and "procview --watch 0.2 --count
#   FRAMES" each on an 80x24 terminal (tests/helpers/pty), as a student
#   keeps them open: the screen shows a screenful of rows;
# - batch: "top -b" and "procview --watch" piped to /dev/null: every
#   process printed every frame.
# Each tool's user + system CPU time comes from bash's "times" (the
# child's own rusage, not a clock), divided by the frames; the median of
# the three runs is kept. System calls per frame (strace -f -c: every
# thread, startup included) do not depend on the machine's load. Ends every process it
# started (by PID) and writes the figures into its section of
# docs/performance.md. Not part of "make test".
. "${0%/*}/common.sh" # set -u; cd to the top of the tree ($top)
N=${1:-500}
FRAMES=${2:-25}
bench_args "$N" "$FRAMES" FRAMES 5
command -v bash >/dev/null 2>&1 || { echo "$0: needs bash (times)" >&2; exit 2; }
bench_build
make -s build/tests/helpers/pty || exit 1
PTY=$top/build/tests/helpers/pty
bench_peer top
TOP=$PEER
bench_idle "$N"
# top reads the terminal's capabilities from TERM
TERM=xterm
export TERM

# times_us: the children's user + system time of bash's "times" (its
# second line: 0m0.012s 0m0.020s) on stdin, in microseconds
times_us() {
	tr -d '\r' | tail -n 1 | awk '{ n = 0
		for (f = 1; f <= 2; f++) {
			split($f, a, "m"); sub("s", "", a[2])
			n += a[1] * 60 + a[2] }
		printf "%d\n", n * 1000000 + 0.5 }'
}
# batch_us CMD...: the CPU time of CMD, output to /dev/null
batch_us() {
	bash -c '"$@" >/dev/null 2>&1; times' cpu "$@" | times_us
}
# live_us CMD...: the CPU time of CMD on an 80x24 terminal
live_us() {
	"$PTY" -w 80 -l 24 -t 300 -- bash -c '"$@"; times' cpu "$@" |
		times_us
}
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }

# race WAY TOPARGS -- PVARGS: three alternating runs; sets tper, pper
# (median CPU per frame, us), truns, pruns and ratio
race() {
	way=$1
	shift
	targs="" pargs="" side=t
	for a in "$@"; do
		if [ "$a" = -- ]; then side=p; continue; fi
		if [ $side = t ]; then targs="$targs $a"; else pargs="$pargs $a"; fi
	done
	t1="" t2="" t3="" p1="" p2="" p3=""
	for r in 1 2 3; do
		# shellcheck disable=SC2086
		t=$("${way}_us" "$TOP" $targs)
		# shellcheck disable=SC2086
		p=$("${way}_us" "$PV" $pargs)
		eval "t$r=$t p$r=$p"
	done
	tper=$(($(median3 "$t1" "$t2" "$t3") / FRAMES))
	pper=$(($(median3 "$p1" "$p2" "$p3") / FRAMES))
	truns="$t1 / $t2 / $t3" pruns="$p1 / $p2 / $p3"
	ratio=$(awk -v a="$pper" -v b="$tper" 'BEGIN { printf "%.2f", b ? a / b : 0 }')
}

# calls WAY CMD...: system calls per frame (strace -f -c, startup included)
calls() {
	if ! command -v strace >/dev/null 2>&1; then
		echo "n/a"
		return
	fi
	way=$1
	shift
	if [ "$way" = live ]; then
		"$PTY" -w 80 -l 24 -t 300 -- strace -f -c -o "$tmp/st" "$@" \
			>/dev/null 2>&1
	else
		strace -f -c -o "$tmp/st" "$@" >/dev/null 2>&1
	fi
	awk -v f="$FRAMES" '$NF == "total" { printf "%d", $(NF - 2) / f }' \
		"$tmp/st"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pvwatch.XXXXXX")
race live -d 0.2 -n "$FRAMES" -- --watch 0.2 --count "$FRAMES"
lt=$tper lp=$pper ltr=$truns lpr=$pruns lr=$ratio
race batch -b -d 0.2 -n "$FRAMES" -- --watch 0.2 --count "$FRAMES"
bt=$tper bp=$pper btr=$truns bpr=$pruns br=$ratio
lct=$(calls live "$TOP" -d 0.2 -n "$FRAMES")
lcp=$(calls live "$PV" --watch 0.2 --count "$FRAMES")
bct=$(calls batch "$TOP" -b -d 0.2 -n "$FRAMES")
bcp=$(calls batch "$PV" --watch 0.2 --count "$FRAMES")
rows=$("$PV" -e --no-headers | wc -l)
load=$(cut -d' ' -f1-3 /proc/loadavg)
bench_cleanup
rm -rf "$tmp"
met=$(awk -v r="$lr" 'BEGIN { print (r < 1 ? "yes" : "no") }')
printf 'live: top %d us per refresh, procview %d us (%s x); batch: top %d us, procview %d us (%s x); %d processes\n' \
	"$lt" "$lp" "$lr" "$bt" "$bp" "$br" "$rows"

text=$(cat <<END
### procview --watch against top ($(date -u +%Y-%m-%d), $rows processes, load average $load)

Measured by \`sh bench/procview_watch_vs_top.sh $N $FRAMES\`:

| tool | CPU per refresh | runs (total CPU for $FRAMES frames) | system calls per frame | ratio to top |
|---|---:|---|---:|---:|
| top -d 0.2, 80x24 terminal | $lt us | $ltr us | $lct | 1.00 |
| procview --watch 0.2, 80x24 terminal | $lp us | $lpr us | $lcp | $lr |
| top -b -d 0.2, to /dev/null | $bt us | $btr us | $bct | 1.00 |
| procview --watch 0.2, to /dev/null | $bp us | $bpr us | $bcp | $br |

Target: the live view (on a terminal) below top's CPU per refresh: met: $met.
CPU is user + system time of the tool's own process (bash's \`times\`),
divided by the frames; the median of three runs each, alternating.
System calls per frame include the start and every thread (strace -f -c,
total / frames).

On a terminal procview reads /proc/PID/stat (and the owner of
/proc/PID) of every process, for sorting, %CPU, the filter and the
header, and status and cmdline only for the rows on the screen; top
reads stat and statm of every process. To /dev/null every row is
printed, so procview reads status and cmdline of every process too
(its default columns show the command line and STAT's L, which only
status has), where top -b shows the name from stat.
END
)
bench_write watch "$text"
echo "wrote docs/performance.md"
