#!/bin/sh
# docs/pictures/make.sh DIR: the pictures README shows, drawn afresh by
# the tools themselves (`make pictures`, PICTURES_DIR=DIR elsewhere):
#   memlayout.svg      memlayout --svg: its own address space
#   client.svg         netlab client --svg: 8 threads on one time axis
#   bench-compare.svg  netlab bench --compare --svg: the four models
# BIN names the folder with the built programs. Every server this starts
# is ended here, by its PID; every wait is bounded.
set -u
: "${BIN:?BIN must name the folder with the built programs}"
DIR=${1:-docs/pictures}
mkdir -p "$DIR" || exit 1
LOG=$(mktemp "${TMPDIR:-/tmp}/pictures.XXXXXX") || exit 1
SRV=
cleanup() {
	[ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
	rm -f "$LOG"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

"$BIN/memlayout" --svg "$DIR/memlayout.svg" || exit 1

# a thread server on a port the kernel picks; its log names the port
"$BIN/netlab" serve -m thread -q >"$LOG" 2>&1 &
SRV=$!
i=0
while ! grep -q 'listening on' "$LOG"; do
	i=$((i + 1))
	if [ "$i" -gt 500 ] || ! kill -0 "$SRV" 2>/dev/null; then
		echo "pictures: the server did not start" >&2
		cat "$LOG" >&2
		exit 1
	fi
	sleep 0.02
done
PORT=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$LOG")
"$BIN/netlab" client -n 8 -d 0.1-0.6 -s 42 -t 10 --svg "$DIR/client.svg" \
	127.0.0.1 "$PORT" >/dev/null || exit 1

# small counts: a picture of the method, not a measurement (that one is
# docs/performance.md)
"$BIN/netlab" bench --compare -n 1000 --idle 50 \
	--svg "$DIR/bench-compare.svg" >/dev/null || exit 1
echo "pictures: memlayout.svg client.svg bench-compare.svg in $DIR"
