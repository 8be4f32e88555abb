#!/bin/sh
# bench_pid.sh: "netlab bench --idle --server-pid" run by a user who may
# not read the server's /proc/PID/fd and smaps (another user's process)
# must say the figures are unavailable and why, never print made-up ones
# (-1 KB, 0 descriptors, an RSS difference labelled PSS). The exit status
# is as documented: 0 when every connection was held.
. "${0%/*}/../lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null ||
	! id nobody >/dev/null 2>&1; then
	skip "bench --server-pid as another user" \
		"needs root, setpriv and the user nobody"
	done_testing
	exit 0
fi
d=$T_TMP/np
mkdir -p "$d"
chmod 711 "$T_TMP"
chmod 755 "$d"
cp "$BIN/netlab" "$d/netlab"

for m in thread fork; do
	L=$T_TMP/$m.log
	spawn "$BIN/netlab" serve -m "$m" -q >"$L" 2>&1
	SRV=$SPAWNED
	PORT=""
	wait_for 30 has_line "$L" 'listening on' && PORT=$(port_of "$L")
	if [ -z "$PORT" ]; then
		ok "$m: server starts" false
		continue
	fi
	exits 0 "$m: bench --idle 5 --server-pid as nobody: all held" \
		setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
		"$d/netlab" bench --idle 5 --server-pid "$SRV" 127.0.0.1 "$PORT"
	like "$OUT" "^  server pid $SRV: could not be read in /proc$" \
		"$m: the server's figures are said to be unavailable"
	unlike "$OUT" 'KB|memory|descriptors|threads|processes' \
		"$m: no made-up memory, thread or descriptor figure"
	like "$ERR" "^netlab: cannot read the server's figures in \
'/proc/$SRV': Permission denied" "$m: stderr says why"
	# the same run as root (the server's owner): the figures are there
	exits 0 "$m: bench --idle 5 --server-pid as the owner" \
		"$BIN/netlab" bench --idle 5 --server-pid "$SRV" 127.0.0.1 "$PORT"
	like "$OUT" '^    descriptors +[0-9]+ +[0-9]+' \
		"$m: as the owner the descriptors are measured"
	kill -INT "$SRV"
	wait_exit "$SRV" 30
done
done_testing
