#!/bin/sh
# write_errors.sh: a write error is a failure, in every program, as in
# coreutils. With stdout closed (">&-") or on /dev/full (a full disk),
# each program and each --help / --version exits 1 and says on stderr
# "PROG: cannot write output: REASON"; the same run with a working stdout
# exits 0. The reason is checked against the errno text of each case.
. "${0%/*}/../lib.sh"

if [ -w /dev/full ]; then FULL=1; else FULL=; fi

# werr WHAT CMD...: CMD exits 0 normally, 1 with a message when its
# stdout is closed or full
werr() {
	w_what=$1
	shift
	w_prog=${1##*/}
	exits 0 "$w_what" "$@"
	exits 1 "$w_what >&-" sh -c '"$@" >&-' sh "$@"
	like "$ERR" "^$w_prog: cannot write output: Bad file descriptor$" \
		"$w_what >&-: says why"
	if [ -n "$FULL" ]; then
		exits 1 "$w_what >/dev/full" sh -c '"$@" >/dev/full' sh "$@"
		like "$ERR" \
			"^$w_prog: cannot write output: No space left on device$" \
			"$w_what >/dev/full: says why"
	else
		skip "$w_what >/dev/full" "no /dev/full"
	fi
}

# ---- --help and --version of every tool and subcommand ----
for p in netlab "netlab serve" "netlab client" "netlab race" \
	"netlab bench" procview memlayout thread_serv thread_cli; do
	for o in --help --version; do
		# shellcheck disable=SC2086
		werr "$p $o" "$BIN"/$p $o
	done
done
werr "procview kill --help" "$BIN/procview" kill --help
werr "procview kill --version" "$BIN/procview" kill --version
werr "memlayout demo --help" "$BIN/memlayout" demo --help

# ---- programs that need no server ----
spawn sleep 300
victim=$SPAWNED
werr "netlab race" "$BIN/netlab" race -t 2 -n 1000
werr "procview -p" "$BIN/procview" -p "$victim"
werr "procview --json" "$BIN/procview" --json -p "$victim"
werr "procview kill -l" "$BIN/procview" kill -l
werr "procview kill -L" "$BIN/procview" kill -L
werr "procview kill --dry-run" "$BIN/procview" kill --dry-run "$victim"
werr "memlayout" "$BIN/memlayout" -n
werr "memlayout --json" "$BIN/memlayout" --json
werr "memlayout -p" "$BIN/memlayout" -p "$victim"
for d in stack heap cow threads; do
	werr "memlayout demo $d" "$BIN/memlayout" demo "$d"
done
# the write error did not stop the dry run from being a dry run
ok "procview kill --dry-run sent nothing" kill -0 "$victim"

# ---- a client's and the load generator's report ----
spawn "$BIN/netlab" serve -q -p 0 >"$T_TMP/srv.log" 2>&1
SRV=$SPAWNED
wait_for 30 has_line "$T_TMP/srv.log" 'listening on' ||
	echo "Bail out! the server did not start"
PORT=$(port_of "$T_TMP/srv.log")
werr "netlab client" "$BIN/netlab" client -n 2 -d 0 127.0.0.1 "$PORT"
werr "thread_cli" "$BIN/thread_cli" -n 2 127.0.0.1 "$PORT"
werr "netlab bench" "$BIN/netlab" bench -n 20 -c 2 127.0.0.1 "$PORT"
werr "netlab bench --json" "$BIN/netlab" bench --json -n 20 -c 2 \
	127.0.0.1 "$PORT"
werr "netlab bench --idle" "$BIN/netlab" bench --idle 2 127.0.0.1 "$PORT"
kill "$SRV"
wait_exit "$SRV" 30
is "$?" 0 "the server ends cleanly at SIGTERM"
werr "netlab bench --compare" "$BIN/netlab" bench --compare -n 20 -c 2 \
	--idle 2 --models thread
werr "netlab bench --compare --json" "$BIN/netlab" bench --compare --json \
	-n 20 -c 2 --idle 2 --models epoll

# ---- a server's log ----

# listen_port PID: the port PID listens on, from /proc (not its own log,
# which is the output under test)
listen_port() {
	for l_ino in $(for l_fd in /proc/"$1"/fd/*; do
		readlink "$l_fd" 2>/dev/null
	done | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p'); do
		awk -v ino="$l_ino" '$4 == "0A" && $10 == ino {
			split($2, a, ":"); print a[2] }' /proc/"$1"/net/tcp
	done | head -n 1
}
# answers PID: PID's server answers a client (its accept loop runs, its
# signal handlers are set)
answers() {
	a_hex=$(listen_port "$1")
	[ -n "$a_hex" ] || return 1
	"$BIN/netlab" client -n 1 -d 0 -t 5 127.0.0.1 "$(printf '%d' "0x$a_hex")"
}
# serve_err WHAT REDIRECT REASON CMD...: the server runs with stdout
# redirected, serves, and at SIGTERM exits 1 saying why
serve_err() {
	s_what=$1
	s_redir=$2
	s_reason=$3
	shift 3
	spawn sh -c "exec \"\$@\" $s_redir 2>\"$T_TMP/serve.err\"" sh "$@"
	s_pid=$SPAWNED
	if wait_for 30 answers "$s_pid"; then
		t_result 0 "$s_what: serves"
	else
		t_result 1 "$s_what: serves"
	fi
	kill "$s_pid"
	wait_exit "$s_pid" 30
	is "$?" 1 "$s_what: exit 1 at SIGTERM"
	like "$(cat "$T_TMP/serve.err")" \
		"^${1##*/}: cannot write output: $s_reason$" "$s_what: says why"
}
serve_err "netlab serve >&-" ">&-" "Bad file descriptor" \
	"$BIN/netlab" serve -p 0
serve_err "thread_serv >&-" ">&-" "Bad file descriptor" "$BIN/thread_serv" 0
if [ -n "$FULL" ]; then
	serve_err "netlab serve >/dev/full" ">/dev/full" \
		"No space left on device" "$BIN/netlab" serve -m epoll -p 0
	serve_err "thread_serv >/dev/full" ">/dev/full" \
		"No space left on device" "$BIN/thread_serv" 0
else
	skip "netlab serve >/dev/full" "no /dev/full"
fi

done_testing
