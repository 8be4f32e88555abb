#!/bin/sh
# docs/labs/with-server.sh: the labs' way to run a server and its clients
# from ONE terminal, bounded in time, leaving nothing behind.
#
#   sh docs/labs/with-server.sh SERVER [ARG...] -- 'COMMANDS'
#
# 1. starts SERVER [ARG...] in the background, its output going to a log;
# 2. waits (at most 10 s) for its line "listening on ADDR:PORT";
# 3. runs COMMANDS with sh, with $PORT and $SERVER_PID set (write them in
#    single quotes so that this script, not your shell, fills them in);
# 4. stops the server with SIGINT (as Ctrl-C would) unless COMMANDS already
#    did (the log has a line starting "stopp" or "summary"), waits for
#    it (at most 10 s, then SIGKILL), and prints the server's log.
#
# It is the same as two terminals: `thread_serv 9190` in one, then
# `thread_cli 127.0.0.1 9190` in the other, then Ctrl-C in the first.
# Exit status: that of COMMANDS if it failed, else that of the server.

usage() {
	echo "usage: with-server.sh SERVER [ARG...] -- 'COMMANDS'" >&2
	exit 2
}

[ $# -ge 3 ] || usage
server=""
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	server="$server '$(printf '%s' "$1" | sed "s/'/'\\\\''/g")'"
	shift
done
[ "$1" = -- ] && [ $# -eq 2 ] || usage
cmds=$2

log=$(mktemp "${TMPDIR:-/tmp}/with-server.XXXXXX") || exit 1
pid=""
# Whatever happens (Ctrl-C, timeout), the server goes too.
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -f "$log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

alive() { # PID: running and not a zombie
	kill -0 "$1" 2>/dev/null &&
		[ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# wait_gone PID TENTHS: poll until the process has ended
wait_gone() {
	n=0
	while alive "$1"; do
		[ "$n" -ge "$2" ] && return 1
		sleep 0.1
		n=$((n + 1))
	done
	return 0
}

eval "$server" >"$log" 2>&1 '&'
pid=$!
n=0
port=""
while [ -z "$port" ]; do
	port=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$log" |
		head -n 1)
	if [ -z "$port" ] && { ! alive "$pid" || [ "$n" -ge 100 ]; }; then
		echo "with-server.sh: the server did not start listening:" >&2
		cat "$log" >&2
		exit 1
	fi
	[ -z "$port" ] && sleep 0.1
	n=$((n + 1))
done

PORT=$port SERVER_PID=$pid sh -c "$cmds"
rc=$?

# If COMMANDS stopped the server themselves (its log says so), a second
# SIGINT would make it skip its drain: only wait for it then.
if ! grep -Eq '^(stopping|stopped|summary)' "$log"; then
	kill -INT "$pid" 2>/dev/null
fi
if ! wait_gone "$pid" 100; then
	echo "with-server.sh: server $pid ignored SIGINT for 10 s: killed" >&2
	kill -9 "$pid" 2>/dev/null
fi
wait "$pid"
src=$?
pid=""
echo "--- server log ---"
cat "$log"
[ "$rc" -ne 0 ] && exit "$rc"
exit "$src"
