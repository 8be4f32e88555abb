#!/bin/sh
# lecture.sh: the lecture's two programs as a student meets them: each
# built alone with cc -pthread, run against each other and against an
# independent client (bash's /dev/tcp); partial reads, the line limit, the
# graceful close, detached threads, the seed, Ctrl-C and bad arguments.
. "${0%/*}/../lib.sh"
top=$(cd "${0%/*}/../.." && pwd)

count() { grep -Ec -- "$2" "$1" 2>/dev/null; }
at_least() { [ "$(count "$1" "$2")" -ge "$3" ]; }

# tcp_send PORT FORMAT...: send printf FORMAT in pieces (one printf per
# argument, 0.2 s apart, so the server's read() sees them apart), then
# print the first reply line; exit status 1 if reading it failed.
tcp_send() {
	timeout 30 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
		for f; do printf "$f" >&3; sleep 0.2; done
		IFS= read -r r <&3 || exit 1; printf "%s\n" "$r"' "$@"
}

# ---- 1. built alone, as a student would ----
cc=${CC:-cc}
(cd "$top" && $cc -pthread -Wall -Wextra -Werror -Ilib netlab/thread_serv.c \
	lib/net.c lib/netaddr.c lib/opt.c lib/parse.c lib/error.c lib/out.c lib/str.c \
	-o "$T_TMP/thread_serv") >"$T_TMP/cc1" 2>&1
ok "thread_serv builds alone with cc -pthread" test -x "$T_TMP/thread_serv"
(cd "$top" && $cc -pthread -Wall -Wextra -Werror -Ilib netlab/thread_cli.c \
	lib/net.c lib/netaddr.c lib/esc.c lib/opt.c lib/parse.c lib/error.c lib/out.c lib/str.c \
	-o "$T_TMP/thread_cli") >"$T_TMP/cc2" 2>&1
ok "thread_cli builds alone with cc -pthread" test -x "$T_TMP/thread_cli"
# one file a student reads top to bottom: lines of code, comments aside
for f in thread_serv.c thread_cli.c; do
	n=$(grep -cvE '^[[:space:]]*($|/?\*|\*/)' "$top/netlab/$f")
	ok "$f is one short file ($n lines of code)" test "$n" -le 150
done

if [ -x "$T_TMP/thread_serv" ] && [ -x "$T_TMP/thread_cli" ]; then
	serve_bg "$T_TMP/s0" "$T_TMP/thread_serv" 0
	exits 0 "the standalone pair: 8 threads acknowledged" \
		"$T_TMP/thread_cli" 127.0.0.1 "$PORT"
	like "$OUT" '^8/8 acknowledged$' "prints 8/8 acknowledged"
	is "$(echo "$OUT" | grep -c "got 'ACK'$")" 8 "8 threads print the ACK"
	wait_for 10 at_least "$T_TMP/s0" ': sent ACK$' 8
	is "$(count "$T_TMP/s0" ': connected, thread [0-9]+$')" 8 "server: 8 connected"
	is "$(count "$T_TMP/s0" ': sent ACK$')" 8 "server: 8 ACKs sent"
	is "$(sed -n 's/.*connected, thread //p' "$T_TMP/s0" | sort -u | wc -l)" \
		8 "server: each client had a thread of its own (8 ids)"
	kill -INT "$SRV"
	wait_exit "$SRV" 10
	is "$?" 0 "Ctrl-C ends the standalone server with status 0"
	like "$(cat "$T_TMP/s0")" '^stopped: 8 clients served$' \
		"Ctrl-C prints what was served"
fi

# ---- 2. the built server against bash's /dev/tcp ----
serve_bg "$T_TMP/s1" "$BIN/thread_serv" 0
like "$(cat "$T_TMP/s1")" 'listening on 127\.0\.0\.1:[0-9]+' "startup line"
like "$(cat "$T_TMP/s1")" 'this machine only' "says the default is local"
is "$(tcp_send "$PORT" 'hello\n')" ACK "one line: ACK"
is "$(tcp_send "$PORT" 'hel' 'lo\n')" ACK "a line in two pieces: ACK"
long=$(head -c 4095 /dev/zero | tr '\0' x)
is "$(tcp_send "$PORT" "$long\\n")" ACK "4096 bytes with the newline: ACK"
is "$(tcp_send "$PORT" "${long}x\\n")" "ERR line too long" \
	"4097 bytes: ERR line too long"
is "$(tcp_send "$PORT" 'hi\nextra')" ACK \
	"bytes after the line: the ACK still arrives (graceful close)"
exits 0 "a host name: thread_cli localhost" "$BIN/thread_cli" -n 2 \
	localhost "$PORT"
like "$OUT" '^2/2 acknowledged$' "both threads through localhost"

# Detached threads give their stacks back: 40 clients at once, then the
# server is back to one thread and its address space has not kept 40
# stacks of 8 MiB (without pthread_detach it grows by 320 MiB).
vm() { sed -n 's/^VmSize:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SRV/status"; }
threads() { sed -n 's/^Threads:[[:space:]]*//p' "/proc/$SRV/status"; }
# back to its main thread alone (ThreadSanitizer adds a thread of its own)
base=1
[ "$SAN" = thread ] && base=2
one_thread() { [ "$(threads)" = "$base" ]; }
before=$(vm)
exits 0 "40 clients at once" "$BIN/thread_cli" -n 40 127.0.0.1 "$PORT"
wait_for 20 one_thread
is "$(threads)" "$base" "every client thread has ended"
after=$(vm)
ok "address space kept no dead stacks (VmSize $before -> $after kB)" \
	test "$((after - before))" -lt 163840

# ---- 3. the seed repeats the waits ----
waits() { "$BIN/thread_cli" -n 4 -s "$1" 127.0.0.1 "$PORT" |
	sed -n 's/^\(thread [0-9]*: waited [0-9.]* s\).*/\1/p' | sort; }
w1=$(waits 7)
w2=$(waits 7)
w3=$(waits 8)
is "$(echo "$w1" | wc -l)" 4 "4 threads report their wait"
is "$w2" "$w1" "-s 7 twice: the same waits"
ok "-s 8: other waits" test "$w3" != "$w1"
for w in $(echo "$w1" | sed 's/.*waited \([0-9.]*\) s/\1/'); do
	ok "wait $w s is within 1-5 s" awk "BEGIN { exit !($w >= 1 && $w <= 5) }"
done
kill -INT "$SRV"
wait_exit "$SRV" 10
is "$?" 0 "Ctrl-C: status 0"
served=$(sed -n 's/^stopped: \([0-9]*\) clients served$/\1/p' "$T_TMP/s1")
acks=$(count "$T_TMP/s1" ': sent ACK$')
is "$served" "$acks" "the count printed at Ctrl-C equals the ACKs logged"

# ---- 4. every interface ----
serve_bg "$T_TMP/s2" "$BIN/thread_serv" -b 0.0.0.0 0
like "$(cat "$T_TMP/s2")" 'reachable at: .*127\.0\.0\.1' \
	"-b 0.0.0.0 lists the addresses it can be reached at"
is "$(tcp_send "$PORT" 'hello\n')" ACK "-b 0.0.0.0: ACK on loopback"
kill -INT "$SRV"
wait_exit "$SRV" 10

# ---- 5. the lecture's arguments, nothing else ----
for args in "" "1 2" "70000" "-m epoll 0" "-p 5555" "-p 5555 0" "x" \
	"-b nope 0" "-b localhost 0"; do
	# shellcheck disable=SC2086
	exits 2 "thread_serv $args: usage error" "$BIN/thread_serv" $args
	like "$ERR" "Try 'thread_serv --help'" "thread_serv $args: says how"
done
for args in "" "127.0.0.1" "-n 0 127.0.0.1 1" "-s x 127.0.0.1 1" \
	"127.0.0.1 0" "-t 3 127.0.0.1 1" "nonexistent.invalid 1"; do
	# shellcheck disable=SC2086
	exits 2 "thread_cli $args: usage error" "$BIN/thread_cli" $args
	like "$ERR" "Try 'thread_cli --help'" "thread_cli $args: says how"
done
exits 2 "thread_cli with a name that has no address" "$BIN/thread_cli" \
	-n 3 nonexistent.invalid 1
is "$(printf '%s\n' "$ERR" | grep -c 'unknown host')" 1 \
	"an unknown host is said once, not once per thread"
# -m: a line thread_serv takes (4095 bytes and the '\n'), one byte more
# is a usage error, before any thread connects
long=$(printf '%04095d' 0)
exits 2 "thread_cli -m of 4096 bytes: usage error" \
	"$BIN/thread_cli" -m "${long}x" 127.0.0.1 1
like "$ERR" "at most 4095 bytes" "... says the limit"
serve_bg "$T_TMP/long.log" "$BIN/thread_serv" 0
exits 0 "thread_cli -m of 4095 bytes: ACK" \
	"$BIN/thread_cli" -n 1 -s 1 -m "$long" 127.0.0.1 "$PORT"
like "$OUT" "got 'ACK'" "... the server took the longest line"
kill -INT "$SRV"
wait_exit "$SRV" 10
exits 0 "thread_serv --help" "$BIN/thread_serv" --help
like "$OUT" '^usage: thread_serv' "help starts with usage"
exits 0 "thread_cli --help" "$BIN/thread_cli" --help
like "$OUT" '^usage: thread_cli' "help starts with usage"

done_testing
