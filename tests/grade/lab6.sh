# tests/grade/lab6.sh: lab 6, fork vs threads. Exercise 2 is the one
# that changes code: a worker that crashes on a long line ends one child
# of the fork server, but the whole thread server.
g_lab 6 "fork vs threads: what they share, what they cost"

# g6_serves MODEL: netlab serve -m MODEL answers 4 clients of netlab client
g6_serves() {
	g_serve "$T_TMP/l6.$1" "$BIN/netlab" serve -m "$1" -p 0 || return 1
	timeout 30 "$BIN/netlab" client -n 4 -d 0-0 -t 10 127.0.0.1 "$G_PORT"
	g6_rc=$?
	g_stop "$G_SPID"
	return "$g6_rc"
}

for m in fork thread; do
	g_base "netlab serve -m $m answers 4 clients" \
		"run the lab's section with -m $m and read the error" g6_serves "$m"
done

g6_crash() { grep -q '(volatile int \*) *0' netlab/proto.c; }

# g6_long MODEL: start the server, send one long line; 0 if it answered
g6_long() {
	g_serve "$T_TMP/l6x.$1" "$BIN/netlab" serve -m "$1" -p 0 || return 2
	timeout 30 "$BIN/netlab" client -n 1 -d 0-0 -t 10 \
		-m "a long message" 127.0.0.1 "$G_PORT" >/dev/null 2>&1
}

g6_crash_effect() {
	g6_long fork
	[ $? = 2 ] && return 1
	if ! kill -0 "$G_SPID" 2>/dev/null; then
		echo "the fork server died: the crash should end one child only"
		return 1
	fi
	timeout 30 "$BIN/netlab" client -n 2 -d 0-0 -t 10 127.0.0.1 \
		"$G_PORT" >/dev/null 2>&1 || {
		echo "the fork server no longer answers a short line"
		return 1
	}
	g_stop "$G_SPID"
	echo "fork: the long line ended one child; the server still answers"
	g6_long thread
	[ $? = 2 ] && return 1
	wait_exit "$G_SPID" 10
	g6_st=$?
	if [ "$g6_st" -le 128 ] || [ "$g6_st" = 255 ]; then
		echo "the thread server did not die of a signal (status $g6_st)"
		return 1
	fi
	echo "thread: the whole server died (status $g6_st = 128 + signal)"
}
g_ex 6.2 "a crashing worker: fork survives, thread dies" netlab/proto.c \
	g6_crash "add lab 6's crash line to read_request in proto.c" \
	"is the line just after 'if (r == 1) {' and is it l.len > 10?" \
	g6_crash_effect
