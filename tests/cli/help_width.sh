#!/bin/sh
# help_width.sh: every --help screen exits 0 and fits 80 columns (one
# line of netlab client's help was 81 wide).
. "${0%/*}/../lib.sh"

while read -r prog args; do
	[ -x "$BIN/$prog" ] || continue
	# shellcheck disable=SC2086
	exits 0 "$prog $args --help" "$BIN/$prog" $args --help
	is "$(printf '%s\n' "$OUT" | awk 'length > 80')" "" \
		"$prog $args --help: no line over 80 columns"
done <<EOF2
memlayout
procview
procview kill
netlab
netlab serve
netlab client
netlab bench
netlab race
thread_serv
thread_cli
EOF2
done_testing
