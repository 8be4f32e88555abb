# shellcheck shell=sh
# bench/common.sh: the setup the procview benches share, sourced by
# bench/procview_vs_ps.sh and bench/procview_watch_vs_top.sh (not run
# on its own). It sets -u and goes ("cd") to the top of the tree, $top.
#
#   bench_args N MORE NAME MIN   check N (1..5000 idle processes) and
#                                the script's second number MORE (its
#                                NAME, at least MIN); exits 2 if wrong
#   bench_build                  make -s all; PV is build/bin/procview
#   bench_peer TOOL              the procps TOOL's path in PEER,
#                                installing procps when it is missing
#   bench_idle N                 start N idle processes (sleep), ended
#                                by bench_cleanup (also on exit)
#   bench_write MARKER TEXT      put TEXT between the <!-- MARKER:begin
#                                --> and <!-- MARKER:end --> lines of
#                                docs/performance.md (added at the end
#                                under a title when they are missing)

set -u
top=$(cd "${0%/*}/.." && pwd)
cd "$top" || exit 2

bench_args() {
	case $1 in '' | *[!0-9]*) echo "usage: $0 [N] [$3]" >&2; exit 2 ;; esac
	case $2 in '' | *[!0-9]*) echo "usage: $0 [N] [$3]" >&2; exit 2 ;; esac
	[ "$1" -le 5000 ] || { echo "$0: N is at most 5000" >&2; exit 2; }
	[ "$2" -ge "$4" ] || { echo "$0: $3 is at least $4" >&2; exit 2; }
}

bench_build() {
	make -s all || exit 1
	# shellcheck disable=SC2034 # used by the caller
	PV=$PWD/build/bin/procview
}

bench_peer() {
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "procps $1 is missing: installing it (Debian package procps)"
		apt-get install -y procps >/dev/null || exit 1
	fi
	# shellcheck disable=SC2034 # used by the caller
	PEER=$(command -v "$1")
}

bench_pids=""
bench_cleanup() {
	# only the processes started here, by PID
	# shellcheck disable=SC2086
	[ -n "$bench_pids" ] && kill $bench_pids 2>/dev/null
	for p in $bench_pids; do wait "$p" 2>/dev/null; done
	bench_pids=""
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

bench_idle() {
	i=0
	while [ "$i" -lt "$1" ]; do
		sleep 3600 &
		bench_pids="$bench_pids $!"
		i=$((i + 1))
	done
}

bench_write() {
	doc=docs/performance.md
	if ! grep -q "<!-- $1:begin -->" "$doc"; then
		printf '\n## %s\n\n<!-- %s:begin -->\n<!-- %s:end -->\n' \
			"$1" "$1" "$1" >>"$doc"
	fi
	awk -v m="$1" -v text="$2" '
		$0 == "<!-- " m ":begin -->" { print; print text; skip = 1; next }
		$0 == "<!-- " m ":end -->" { skip = 0 }
		!skip' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
}
