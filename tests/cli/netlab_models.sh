#!/bin/sh
# netlab_models.sh: the same end-to-end set for every server model:
# 8-thread client ACKed, too-long line, idle timeout while others are
# served, BUSY at --max-clients, SIGINT drain, EMFILE survival under a
# low descriptor limit without spinning, and (fork) no zombies.
. "${0%/*}/../lib.sh"

MODELS=${NETLAB_MODELS:-thread fork pool epoll}

count() { grep -Ec -- "$2" "$1" 2>/dev/null; }
at_least() { [ "$(count "$1" "$2")" -ge "$3" ]; }

# tcp_line PORT LINE: send LINE with bash's /dev/tcp, print the reply
tcp_line() {
	timeout 30 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
		printf "%s\n" "$1" >&3; IFS= read -r r <&3; printf "%s\n" "$r"' \
		"$1" "$2"
}

# silent PORT FILE: connect, send nothing, write the reply to FILE
silent() {
	spawn timeout 30 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
		IFS= read -r r <&3; printf "%s\n" "$r" >"$1"' "$1" "$2"
}

# cpu_ticks PID: user + system time in clock ticks
cpu_ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# zombies PID: children of PID in state Z
zombies() {
	n=0
	for f in /proc/[0-9]*/stat; do
		set -- $(sed 's/^.*) //' "$f" 2>/dev/null)
		[ "$2" = "$ZPARENT" ] && [ "$1" = Z ] && n=$((n + 1))
	done
	echo "$n"
}
# nfds PID: open descriptors of PID
nfds() { ls "/proc/$1/fd" 2>/dev/null | wc -l | tr -d ' '; }
fds_back() { [ "$(nfds "$SRV")" -le "$FD0" ]; }
# has_fd PID TARGET: PID has a descriptor pointing at TARGET (socket:[N])
has_fd() {
	for f in /proc/"$1"/fd/*; do
		[ "$(readlink "$f" 2>/dev/null)" = "$2" ] && return 0
	done
	return 1
}
# children PID: the PIDs of PID's children
children() {
	for f in /proc/[0-9]*/stat; do
		set -- $(sed 's/^.*) //' "$f" 2>/dev/null)
		[ "$2" = "$ZPARENT" ] && { p=${f#/proc/}; echo "${p%/stat}"; }
	done
}
no_children() {
	for f in /proc/[0-9]*/stat; do
		set -- $(sed 's/^.*) //' "$f" 2>/dev/null)
		[ "$2" = "$ZPARENT" ] && return 1
	done
	return 0
}

if ! command -v bash >/dev/null 2>&1; then
	skip "server models" "bash (for /dev/tcp clients) not installed"
	done_testing
	exit
fi

for m in $MODELS; do
	extra=""
	[ "$m" = pool ] && extra="--threads 4"
	L=$T_TMP/$m.log

	# ---- 8 threads, too-long line, idle timeout, drain ----
	# (2 s idle: a client that waits 0.8 s, late by a loaded machine's
	# stall, must not be taken for a silent one)
	# shellcheck disable=SC2086
	serve_bg "$L" "$BIN/netlab" serve -m "$m" $extra --idle-timeout 2 \
		--max-line 64
	ok "$m: listening" test -n "$PORT"
	FD0=$(nfds "$SRV")
	exits 0 "$m: 8-thread client" "$BIN/netlab" client --delay 0.05-0.2 \
		127.0.0.1 "$PORT"
	like "$OUT" '^8/8 acknowledged$' "$m: 8/8 acknowledged"

	is "$(tcp_line "$PORT" "$(printf '%0100d' 0)")" "ERR line too long" \
		"$m: too-long line gets ERR"
	is "$(tcp_line "$PORT" "$(printf '%063d' 0)")" ACK \
		"$m: a line of exactly --max-line bytes gets ACK"

	# a line that arrives in two pieces (the server must keep the first)
	is "$(timeout 30 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
		printf hel >&3; sleep 0.2; printf "lo\n" >&3
		IFS= read -r r <&3; printf "%s\n" "$r"' "$PORT")" ACK \
		"$m: a line in two pieces gets ACK"

	silent "$PORT" "$T_TMP/$m.silent"
	exits 0 "$m: others served while a client is silent" "$BIN/netlab" \
		client -n 2 --delay 0.05 127.0.0.1 "$PORT"
	wait_exit "$SPAWNED" 30
	is "$(cat "$T_TMP/$m.silent" 2>/dev/null)" "ERR timeout" \
		"$m: silent client closed at the idle timeout"

	wait_for 30 fds_back
	ok "$m: no descriptor leaked ($(nfds "$SRV") open, $FD0 at start)" \
		fds_back

	if [ "$m" = fork ]; then
		ZPARENT=$SRV
		wait_for 30 no_children
		ok "$m: every child reaped" no_children
		is "$(zombies)" 0 "$m: no zombies"
	fi

	n0=$(count "$L" ': connected$')
	spawn "$BIN/netlab" client -n 4 --delay 0.6-0.8 127.0.0.1 "$PORT" \
		>"$T_TMP/$m.drain" 2>&1
	cli=$SPAWNED
	wait_for 30 at_least "$L" ': connected$' $((n0 + 4))
	if [ "$m" = fork ]; then
		# the listener is the first descriptor the server opens: 3,
		# or 4 under valgrind, which keeps its log open on fd 3
		lfd=3
		[ -n "$VALGRIND" ] && lfd=4
		lsock=$(readlink "/proc/$SRV/fd/$lfd")
		leaks=0 nch=0
		for c in $(children); do
			nch=$((nch + 1))
			has_fd "$c" "$lsock" && leaks=$((leaks + 1))
		done
		like "$lsock" '^socket:' "$m: fd $lfd of the parent is the listener"
		is "$leaks" 0 "$m: no child holds the listening socket ($nch children)"
	fi
	kill -INT "$SRV"
	wait_exit "$cli" 60
	is "$?" 0 "$m: SIGINT mid-delay, every accepted client still ACKed"
	like "$(cat "$T_TMP/$m.drain")" '^4/4 acknowledged$' "$m: 4/4 after SIGINT"
	wait_exit "$SRV" 60
	is "$?" 0 "$m: server exits 0 after the drain"
	like "$(cat "$L")" '^summary: 16 served, 1 errors, 1 timeouts, 0 busy' \
		"$m: summary counts served, errors, timeouts"

	# ---- BUSY at --max-clients ----
	# shellcheck disable=SC2086
	# (a long idle timeout: the two silent clients must still be there
	# when the third one comes, however slow this machine is; they end
	# when we kill them, which the server sees as end of file)
	serve_bg "$L.b" "$BIN/netlab" serve -m "$m" $extra \
		--max-clients 2 --idle-timeout 60
	silent "$PORT" "$T_TMP/$m.s1"
	s1=$SPAWNED
	silent "$PORT" "$T_TMP/$m.s2"
	s2=$SPAWNED
	wait_for 30 at_least "$L.b" ': connected$' 2
	is "$(tcp_line "$PORT" hello)" BUSY "$m: BUSY at --max-clients"
	# the server may log it just after the client has read the BUSY
	wait_for 30 has_line "$L.b" 'over --max-clients: sent BUSY$'
	ok "$m: the log says why" has_line "$L.b" 'over --max-clients: sent BUSY$'
	kill -TERM "$s1" "$s2"
	wait_for 30 at_least "$L.b" ': closed$' 2
	# fork: a child logs "closed" and then exits; its slot is free
	# only once the parent has reaped it
	if [ "$m" = fork ]; then
		ZPARENT=$SRV
		wait_for 30 no_children
	fi
	is "$(tcp_line "$PORT" hello)" ACK "$m: served again below the limit"
	kill -INT "$SRV"
	wait_exit "$SRV" 30
	is "$?" 0 "$m: exit 0"
	like "$(cat "$L.b")" '^summary: 1 served, 2 errors, 0 timeouts, 1 busy' \
		"$m: the BUSY is counted"

	# ---- out of descriptors: shed, do not spin, do not die ----
	# the soft limit only: valgrind keeps descriptors of its own above
	# it (12, within the hard limit) and would leave the server none
	serve_bg "$L.e" sh -c "ulimit -Sn 16 && exec '$BIN/netlab' serve \
		-m $m $extra --idle-timeout 5"
	# under valgrind the client's 24 threads connect one by one, slowly:
	# hold each connection longer so that they still overlap
	edelay=1
	[ -n "$VALGRIND" ] && edelay=3
	spawn "$BIN/netlab" client -n 24 --delay $edelay 127.0.0.1 "$PORT" \
		>"$T_TMP/$m.emfile" 2>&1
	cli=$SPAWNED
	if [ "$m" != fork ]; then
		wait_for 30 has_line "$L.e" 'out of descriptors'
		ok "$m: EMFILE reached and a connection shed" \
			has_line "$L.e" 'out of descriptors'
	fi
	t0=$(cpu_ticks "$SRV")
	wait_exit "$cli" 60
	t1=$(cpu_ticks "$SRV")
	# a spinning accept loop burns the whole second the clients wait;
	# fork never runs out (the parent keeps no client descriptors)
	[ "$m" != fork ] &&
		ok "$m: no CPU spin while out of descriptors ($((t1 - t0)) ticks)" \
			test $((t1 - t0)) -lt 50
	ok "$m: the server survived" kill -0 "$SRV"
	exits 0 "$m: and serves the next client" "$BIN/netlab" client -n 2 \
		--delay 0 127.0.0.1 "$PORT"
	kill -TERM "$SRV"
	wait_exit "$SRV" 30
	is "$?" 0 "$m: exit 0"
done

# ---- pool: a full queue gets BUSY, never a hang ----
serve_bg "$T_TMP/q.log" "$BIN/netlab" serve -m pool --threads 1 \
	--queue 1 --idle-timeout 60
silent "$PORT" "$T_TMP/q1"
q1=$SPAWNED
wait_for 30 at_least "$T_TMP/q.log" ': connected$' 1
silent "$PORT" "$T_TMP/q2"
q2=$SPAWNED
wait_for 30 at_least "$T_TMP/q.log" ' queued, ' 2
is "$(tcp_line "$PORT" hello)" BUSY "pool: BUSY when the queue is full"
wait_for 30 has_line "$T_TMP/q.log" 'queue full: sent BUSY$'
ok "pool: the log says why" has_line "$T_TMP/q.log" 'queue full: sent BUSY$'
kill -TERM "$q1" "$q2"
wait_for 30 at_least "$T_TMP/q.log" ': closed$' 2
is "$(tcp_line "$PORT" hello)" ACK "pool: served again once the queue moves"
kill -INT "$SRV"
wait_exit "$SRV" 30
is "$?" 0 "pool: exit 0"

done_testing
