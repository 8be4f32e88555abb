# tests/grade/lab8.sh: lab 8, the multithreaded TCP server and client.
# Exercises 2 and 3 change netlab/thread_serv.c.
g_lab 8 "the multithreaded TCP server and client"

# g8_peers LOG: how many different client addresses the server logged
g8_peers() {
	sed -n 's/^\(.*\): connected, thread .*/\1/p' "$1" | sort -u | wc -l
}

g8_serves() { # 8 clients, 8 ACKs, 8 different sockets in the server's log
	g_serve "$T_TMP/l8" "$BIN/thread_serv" 0 || return 1
	timeout 30 "$BIN/thread_cli" -n 8 -s 1 127.0.0.1 "$G_PORT"
	g8_rc=$?
	g_stop "$G_SPID"
	[ "$g8_rc" = 0 ] && [ "$(g8_peers "$T_TMP/l8")" = 8 ]
}
g8_addr() {
	! grep -q 'client_thread, (void \*)(intptr_t)fd)' netlab/thread_serv.c ||
		! grep -q 'int fd = (int)(intptr_t)arg;' netlab/thread_serv.c
}

if g8_addr; then
	g_skip "thread_serv answers each of thread_cli's 8 threads" \
		"exercise 3's &fd change is in"
else
	g_base "thread_serv answers each of thread_cli's 8 threads" \
		"run thread_serv 0 and thread_cli against it; read the errors" \
		g8_serves
fi

# g8_vmsize PID: VmSize in kB, from the kernel
g8_vmsize() {
	awk '$1 == "VmSize:" { print $2 }' "/proc/$1/status"
}

# g8_threads_left PID N: the server is down to N threads
g8_threads_left() {
	[ "$(awk '$1 == "Threads:" { print $2 }' "/proc/$1/status")" = "$2" ]
}

g8_nodetach() { ! grep -q '^[[:space:]]*pthread_detach(tid);' \
	netlab/thread_serv.c; }
# g8_stack_kb: one thread's stack in kB, as glibc sizes it: ulimit -s,
# or 2048 when that is unlimited
g8_stack_kb() {
	case $(ulimit -s) in
	unlimited) echo 2048 ;;
	*) ulimit -s ;;
	esac
}
g8_nodetach_effect() { # 40 finished threads: a stack of VmSize each
	g_serve "$T_TMP/l8" "$BIN/thread_serv" 0 || return 1
	g8_v0=$(g8_vmsize "$G_SPID")
	timeout 30 "$BIN/thread_cli" -n 40 -s 1 127.0.0.1 "$G_PORT" \
		>/dev/null 2>&1
	g8_left=yes
	wait_for 10 g8_threads_left "$G_SPID" 1 || g8_left=no
	g8_v1=$(g8_vmsize "$G_SPID")
	g_stop "$G_SPID"
	g8_per=$(((g8_v1 - g8_v0) / 40))
	g8_st=$(g8_stack_kb)
	[ "$g8_left" = yes ] && echo "NLWP back to 1"
	echo "VmSize $g8_v0 -> $g8_v1 kB: $g8_per kB a client"
	echo "(each unjoined thread keeps its stack: $g8_st kB, from ulimit -s)"
	[ "$g8_left" = yes ] && [ "$g8_per" -ge $((g8_st / 2)) ]
}
g_ex 8.2 "no pthread_detach: VmSize grows per finished client" \
	netlab/thread_serv.c g8_nodetach \
	"delete the line pthread_detach(tid); in thread_serv.c" \
	"is it the only pthread_detach, and did make rebuild thread_serv?" \
	g8_nodetach_effect

# Up to 3 runs of 50 clients (they all connect at once, then wait 1 to
# 5 s before they send): two server threads logging the same client
# address means two threads on one socket, another socket with none.
# (A server that crashed or logs no real address shows no such pair.)
g8_addr_effect() {
	for i in 1 2 3; do
		g_serve "$T_TMP/l8" "$BIN/thread_serv" 0 || return 1
		spawn "$BIN/thread_cli" -n 50 127.0.0.1 "$G_PORT" \
			>/dev/null 2>&1
		g8_c=$SPAWNED
		g8_all=yes
		wait_for 10 g8_fifty "$T_TMP/l8" || g8_all=no
		g8_n=$(g8_peers "$T_TMP/l8")
		g8_d=$(g8_twice "$T_TMP/l8")
		kill -TERM "$g8_c" 2>/dev/null
		wait_exit "$g8_c" 10 >/dev/null 2>&1
		g_stop "$G_SPID"
		if [ "$g8_all" = no ]; then
			echo "run $i: fewer than 50 threads logged a connection"
			echo "(did the server crash? run it by hand and see)"
			return 1
		fi
		if [ -n "$g8_d" ]; then
			echo "run $i: 50 threads logged, on only $g8_n different"
			echo "sockets: $g8_d by two threads, others by none"
			return 0
		fi
		echo "run $i: 50 threads, 50 sockets: the race did not show"
	done
	return 1
}

# g8_twice LOG: a real client address (127.0.0.1:PORT) that two or more
# threads logged, or nothing
g8_twice() {
	sed -n 's/^\(127\.0\.0\.1:[0-9][0-9]*\): connected, thread .*/\1/p' "$1" |
		sort | uniq -d | head -n 1
}

g8_fifty() {
	[ "$(grep -c ': connected, thread ' "$1")" -ge 50 ]
}
g_ex 8.3 "&fd: two threads on one socket" netlab/thread_serv.c g8_addr \
	"pass &fd of main's variable to the thread, not its value" \
	"does client_thread read *(int *)arg, and main pass &fd?" \
	g8_addr_effect
