#!/bin/sh
# netlab_lab.sh: the lab with the full programs (netlab serve -m thread and
# netlab client): the log, the timeline, a bash /dev/tcp client, bad input
# and errors. The lecture's own thread_serv / thread_cli: lecture.sh.
. "${0%/*}/../lib.sh"

# count FILE ERE: number of matching lines
count() { grep -Ec -- "$2" "$1" 2>/dev/null; }
# at_least FILE ERE N: for wait_for
at_least() { [ "$(count "$1" "$2")" -ge "$3" ]; }

# tcp_line PORT LINE [ADDR]: send LINE with bash's /dev/tcp, print reply
tcp_line() {
	timeout 30 bash -c 'exec 3<>"/dev/tcp/$2/$0" || exit 1
		printf "%s\n" "$1" >&3; IFS= read -r r <&3; printf "%s\n" "$r"' \
		"$1" "$2" "${3:-127.0.0.1}"
}

# ---- usage and bad arguments: exit 2, what was wrong, where to look ----
exits 2 "thread_serv without a port" "$BIN/thread_serv"
like "$ERR" '^thread_serv: missing PORT$' "thread_serv: says what is missing"
like "$ERR" "^Try 'thread_serv --help' for more information.$" \
	"thread_serv: where to look"
exits 2 "thread_serv with a bad port" "$BIN/thread_serv" 70000
like "$ERR" "invalid value '70000' for PORT" "names the bad port"
exits 2 "thread_serv: an option of the full version" "$BIN/thread_serv" \
	--idle-timeout 60 0
like "$ERR" "^thread_serv: unknown option '--idle-timeout'$" \
	"names the unknown option, with the short program name"
exits 2 "thread_cli without a port" "$BIN/thread_cli" 127.0.0.1
like "$ERR" '^thread_cli: want HOST and PORT$' \
	"thread_cli: says what is missing"
like "$ERR" "^Try 'thread_cli --help' for more information.$" \
	"thread_cli: where to look"
exits 2 "client: bad --delay" "$BIN/netlab" client --delay 5-1 127.0.0.1 1
exits 2 "client: bad -n" "$BIN/netlab" client -n 0 127.0.0.1 1
exits 2 "client: bad port" "$BIN/netlab" client 127.0.0.1 0
exits 2 "client: a name with no address" "$BIN/netlab" client no-such.invalid 80
like "$ERR" "unknown host 'no-such.invalid'" "names the unknown host"
exits 2 "serve: bad idle timeout" "$BIN/netlab" serve --idle-timeout abc
exits 2 "serve: unknown model" "$BIN/netlab" serve -m threads
like "$ERR" "unknown model 'threads'" "names the unknown model"
exits 2 "serve: not an address" "$BIN/netlab" serve -b localhost
exits 2 "serve: stray argument" "$BIN/netlab" serve 8080
exits 2 "serve: unknown option" "$BIN/netlab" serve --frobnicate
exits 2 "netlab without a command" "$BIN/netlab"
exits 2 "netlab unknown command" "$BIN/netlab" serv
like "$ERR" "unknown command 'serv'" "names the unknown command"
for p in "netlab serve" "netlab client" "netlab race" thread_serv thread_cli
do
	# shellcheck disable=SC2086
	exits 0 "$p --help" "$BIN"/$p --help
	like "$OUT" '^usage: ' "$p --help prints usage"
done
exits 0 "netlab --version" "$BIN/netlab" --version
like "$OUT" '^netlab [0-9]' "version line"
exits 0 "netlab --help" "$BIN/netlab" --help
like "$OUT" '^  serve ' "lists serve"

# ---- the lab: 8 threads, 8 server threads ----
serve_bg "$T_TMP/s1" "$BIN/netlab" serve -m thread --idle-timeout 60
ok "netlab serve prints its port" test -n "$PORT"
like "$(cat "$T_TMP/s1")" '^netlab: model thread, listening on 127\.0\.0\.1:[0-9]+$' \
	"listening line"
exits 0 "netlab client: 8 threads" "$BIN/netlab" client --delay 0.05-0.2 \
	--seed 42 --timeline localhost "$PORT"
like "$OUT" 'seed 42' "the seed is printed"
is "$(printf '%s\n' "$OUT" | grep -Ec '^thread [0-7]: ACK after [0-9]+\.[0-9]{2} s$')" \
	8 "8 threads report their ACK"
like "$OUT" '^8/8 acknowledged$' "8/8 acknowledged"
like "$OUT" '^timeline: 0 to [0-9.]+ s' "timeline header"
is "$(printf '%s\n' "$OUT" | grep -Ec '^thread [0-7] +\| *c[ .s=]*A *\|$')" 8 \
	"timeline: one row per thread, connect to ACK"
wait_for 30 at_least "$T_TMP/s1" ': closed$' 8
is "$(grep 'sent ACK' "$T_TMP/s1" | awk '{print $2}' | sort -u | wc -l |
	tr -d ' ')" 8 "8 distinct server thread ids sent the ACKs"
ok "the log has the client's address" grep -Eq \
	'^tid [0-9]+ 127\.0\.0\.1:[0-9]+: received 6 bytes$' "$T_TMP/s1"
ok "the server's threads are not real children" test -d "/proc/$SRV"

# ---- a client made with bash /dev/tcp ----
if command -v bash >/dev/null 2>&1; then
	is "$(tcp_line "$PORT" "hello from bash")" ACK "bash /dev/tcp client gets ACK"
	is "$(tcp_line "$PORT" "$(printf '%04095d' 0)")" ACK \
		"a line of 4096 bytes (the default limit) gets ACK"
	is "$(tcp_line "$PORT" "$(printf '%04096d' 0)")" "ERR line too long" \
		"a line of 4097 bytes gets ERR"
else
	skip "bash /dev/tcp client gets ACK" "bash not installed"
fi

# ---- failures are reported per thread ----
exits 1 "client: an unexpected reply fails" "$BIN/netlab" client -n 2 \
	--delay 0 -m "$(printf '%05000d' 0)" 127.0.0.1 "$PORT"
like "$OUT" "^thread [01]: failed after [0-9.]+ s: unexpected reply 'ERR line too long'" \
	"the reason is the server's reply"
like "$OUT" '^0/2 acknowledged$' "0/2 acknowledged"

# ---- the port is in use ----
exits 1 "port already in use" "$BIN/netlab" serve -p "$PORT"
like "$ERR" "cannot listen on '127.0.0.1' port $PORT: Address already in use" \
	"a clear message"

# ---- SIGINT, then a second SIGINT while a silent client is open ----
if command -v bash >/dev/null 2>&1; then
	n0=$(count "$T_TMP/s1" ': connected$')
	spawn timeout 30 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"; sleep 20' \
		"$PORT"
	wait_for 30 at_least "$T_TMP/s1" ': connected$' $((n0 + 1))
	kill -INT "$SRV"
	wait_for 30 has_line "$T_TMP/s1" '^stopping: waiting'
	kill -INT "$SRV"
	wait_exit "$SRV" 30
	is "$?" 1 "a second signal exits at once (status 1)"
	like "$(cat "$T_TMP/s1")" 'second signal: exiting now' "and says so"
else
	skip "second signal" "bash not installed"
fi

# ---- nothing listening: refused, per thread ----
exits 1 "client: refused" "$BIN/netlab" client -n 2 --delay 0 127.0.0.1 "$PORT"
like "$OUT" '^thread [01]: failed after [0-9.]+ s: connection refused$' \
	"refused is named"

# ---- a --max-line above the stack buffer: the line lives on the heap ----
serve_bg "$T_TMP/s2" "$BIN/netlab" serve -q --max-line 10000
exits 0 "a 9000-byte line under --max-line 10000" "$BIN/netlab" client -n 2 \
	--delay 0 -m "$(printf '%09000d' 0)" 127.0.0.1 "$PORT"
exits 1 "a 10001-byte line under --max-line 10000" "$BIN/netlab" client -n 1 \
	--delay 0 -m "$(printf '%010000d' 0)" 127.0.0.1 "$PORT"
like "$OUT" "unexpected reply 'ERR line too long'" "is too long"
kill -TERM "$SRV"
wait_exit "$SRV" 30
is "$?" 0 "exit 0"

# ---- IPv6 ----
if serve_bg "$T_TMP/s6" "$BIN/netlab" serve -b ::1 -q 2>/dev/null &&
	[ -n "$PORT" ]; then
	like "$(cat "$T_TMP/s6")" 'listening on \[::1\]:[0-9]+$' "IPv6 listening line"
	exits 0 "IPv6 client" "$BIN/netlab" client -n 2 --delay 0 ::1 "$PORT"
	kill -TERM "$SRV"
	wait_exit "$SRV" 30
	is "$?" 0 "SIGTERM: exit 0"
	like "$(cat "$T_TMP/s6")" '^summary: 2 served, 0 errors' "summary after SIGTERM"
	unlike "$(cat "$T_TMP/s6")" '^tid ' "--quiet: no per-connection lines"
else
	skip "IPv6" "no ::1 here"
fi

done_testing
