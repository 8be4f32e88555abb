#!/bin/sh
# netlab_oneline.sh: netlab client sends its line in one write. Sent in
# two (the text, then "\n"), Nagle's algorithm holds the "\n" until the
# server ACKs the text, which the server's kernel delays: every reply
# then took ~40 ms and the --timeline chart showed waiting that was not
# the server's. strace (an independent witness) shows the writes.
. "${0%/*}/../lib.sh"

if ! command -v strace >/dev/null 2>&1; then
	skip "netlab client's writes" "strace is not installed"
	done_testing
	exit
fi
log=$T_TMP/srv.log
spawn "$BIN/netlab" serve -m epoll >"$log" 2>&1
srv=$SPAWNED
wait_for 30 has_line "$log" 'listening on'
port=$(port_of "$log")
for msg in hello "a longer line, with spaces"; do
	traced -f -qq -e trace=sendto,write,sendmsg,writev -e signal=none \
		-s 200 -o "$T_TMP/trace" \
		"$BIN/netlab" client -n 2 -d 0 -m "$msg" 127.0.0.1 "$port" \
		>"$T_TMP/out" 2>&1
	is "$?" 0 "client -m '$msg': exits 0"
	like "$(cat "$T_TMP/out")" '^2/2 acknowledged' "'$msg': both ACKed"
	n=$(grep -c "sendto([0-9]*, \"$msg\\\\n\", $((${#msg} + 1))," "$T_TMP/trace")
	is "$n" 2 "'$msg': each thread sends text and newline in one sendto"
	is "$(grep -c 'sendto([0-9]*, "\\n", 1,' "$T_TMP/trace")" 0 \
		"'$msg': no newline sent on its own"
done
kill -INT "$srv"
wait_exit "$srv" 30
done_testing
