#!/bin/sh
# procview_kill.sh: every path of "procview kill": signals by name,
# number and real-time name; process groups; the "-9 -PGID" trap; the
# safety refusals; --dry-run; failures reported per target; bad usage.
. "${0%/*}/../lib.sh"

PV=$BIN/procview

# ended PID STATUS WHAT: the spawned process PID ended with STATUS
# (128 + the signal number); wait_exit must run in this shell, not in
# a $(...) subshell, to be able to wait for its child
ended() {
	wait_exit "$1" 10
	is "$?" "$2" "$3"
}

# started NAME: wait until the process just spawned runs program NAME.
# Until its exec, the child is a copy of this shell, with this shell's
# name and traps: a signal sent in that moment runs our TERM trap in
# the copy (exit 130, cleanup of our temporary folder), and a look at
# its name sees 'sh'. Each test below signals or names the child, so it
# first waits for the exec.
started() {
	wait_for 30 sh -c "[ \"\$(cat /proc/$SPAWNED/comm)\" = '$1' ]"
}

# --- names, numbers, forms of the signal
for form in "" "-9" "-KILL" "-SIGKILL" "-kill" "-s KILL" "-s sigkill" \
	"-n 9" "-s 9"; do
	spawn sleep 60
	p=$SPAWNED
	started sleep
	# shellcheck disable=SC2086
	exits 0 "kill $form PID" "$PV" kill $form "$p"
	if [ -z "$form" ]; then want=143; else want=137; fi
	ended "$p" "$want" "kill $form ended it with the right signal"
done

spawn sleep 60
p=$SPAWNED
started sleep
exits 0 "kill -s RTMIN+1" "$PV" kill -s RTMIN+1 "$p"
rt=$("$PV" kill -l RTMIN+1)
ended "$p" "$((128 + rt))" "real-time signal delivered (RTMIN+1 = $rt)"

spawn sleep 60
p=$SPAWNED
started sleep
exits 0 "kill -0 probes a live process" "$PV" kill -0 "$p"
ok "signal 0 left it alive" kill -0 "$p"

# --- process groups and the "-9 -PGID" parse
# setsid: the sleep leads a new group, so -PGID hits only it
spawn setsid sleep 60
g=$SPAWNED
started sleep
wait_for 30 sh -c "[ \"\$(cut -d' ' -f5 /proc/$g/stat)\" = $g ]"
exits 0 "dry run: -9 -PGID is signal 9 to group PGID" \
	"$PV" kill --dry-run -9 "-$g"
like "$OUT" "^would send SIGKILL to group $g " "dry run names the group"
like "$OUT" "^  $g sleep 60$" "dry run lists the member"
ok "dry run signalled nothing" kill -0 "$g"
exits 0 "kill -9 -PGID" "$PV" kill -9 "-$g"
ended "$g" "137" "group member got SIGKILL"

spawn setsid sleep 60
g=$SPAWNED
started sleep
wait_for 30 sh -c "[ \"\$(cut -d' ' -f5 /proc/$g/stat)\" = $g ]"
exits 0 "kill -- -PGID (default TERM to the group)" "$PV" kill -- "-$g"
ended "$g" "143" "group member got SIGTERM"

# --- -C NAME: every process with that command name
cp "$(command -v sleep)" "$T_TMP/pvsleep$$"
spawn "$T_TMP/pvsleep$$" 60
c1=$SPAWNED
started "pvsleep$$"
spawn "$T_TMP/pvsleep$$" 60
c2=$SPAWNED
started "pvsleep$$"
name=$(cut -c1-15 "/proc/$c1/comm")
exits 0 "dry run -C NAME" "$PV" kill --dry-run -s HUP -C "$name"
like "$OUT" "would send SIGHUP to name '$name' \(2 processes\)" \
	"dry run resolves the name to both processes"
like "$OUT" "^  $c1 " "first listed"
like "$OUT" "^  $c2 " "second listed"
ok "still alive after the dry run (1)" kill -0 "$c1"
ok "still alive after the dry run (2)" kill -0 "$c2"
exits 0 "kill -C NAME" "$PV" kill -C "$name"
ended "$c1" "143" "first one ended"
ended "$c2" "143" "second one ended"
exits 1 "-C with no such name" "$PV" kill -C "nosuch$$"
like "$ERR" "no process named 'nosuch$$'" "says so"

# --- failures are reported per target and the rest goes on
spawn sleep 60
p=$SPAWNED
started sleep
exits 1 "a missing pid fails, the next still gets its signal" \
	"$PV" kill 2147483000 "$p"
like "$ERR" "2147483000: No such process" "reason: no such process"
ended "$p" "143" "the later target was still signalled"

if [ "$(id -u)" = 0 ] && [ -n "$VALGRIND" ]; then
	# $PV is a wrapper in run.sh's private log folder (mode 0700), and
	# valgrind writes its log there: another user can run neither
	vgwhy="the valgrind wrapper and its log folder are root's only"
	skip "EPERM path" "$vgwhy"
	skip "EPERM reason" "$vgwhy"
	skip "EPERM alive" "$vgwhy"
elif [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	spawn sleep 60
	p=$SPAWNED
	started sleep
	exits 1 "an unprivileged user may not signal root's process" \
		setpriv --reuid 65534 --regid 65534 --clear-groups \
		"$PV" kill "$p"
	like "$ERR" "$p: Operation not permitted" "reason: not permitted"
	ok "still alive" kill -0 "$p"
else
	skip "EPERM path" "needs root and setpriv"
	skip "EPERM reason" "needs root and setpriv"
	skip "EPERM alive" "needs root and setpriv"
fi

# --- refusals, each saying what the target would have meant
exits 1 "refuses 0" "$PV" kill 0
like "$ERR" "refusing '0': .*my own process group" "0 explained"
exits 1 "refuses -1" "$PV" kill -- -1
like "$ERR" "refusing '-1': .*every process" "-1 explained"
exits 1 "refuses -9 -1 (signal 9 to every process)" "$PV" kill -9 -1
exits 1 "refuses 1" "$PV" kill -9 1
like "$ERR" "refusing '1': pid 1 is init" "1 explained"
# exec: the shell becomes procview, so $$ inside is procview's own pid
exits 1 "refuses its own pid" sh -c 'exec "$0" kill $$' "$PV"
like "$ERR" "procview itself" "own pid explained"
mygrp=$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f3)
exits 1 "refuses its own process group" "$PV" kill -- "-$mygrp"
like "$ERR" "my own process group" "own group explained"
exits 0 "--force --dry-run lets pid 1 through, signals nothing" \
	"$PV" kill --dry-run --force -0 1
like "$OUT" "would send SIG0 \(existence check\) to pid 1" "dry run of 1"
spawn sleep 60
p=$SPAWNED
started sleep
exits 1 "a refused target does not stop the others" "$PV" kill 1 "$p"
ended "$p" "143" "the other target got its signal"

# --- listing signals
exits 0 "kill -l" "$PV" kill -l
like "$OUT" "^HUP INT QUIT" "starts with HUP INT QUIT"
like "$OUT" "RTMAX$" "ends with RTMAX"
exits 0 "kill -l 9" "$PV" kill -l 9
is "$OUT" KILL "9 is KILL"
exits 0 "kill -l 137 (a shell's exit status)" "$PV" kill -l 137
is "$OUT" KILL "137 is KILL"
exits 0 "kill -l SIGterm" "$PV" kill -l SIGterm
is "$OUT" 15 "SIGterm is 15"
# 32 and 33 are taken by glibc; the first real-time name is one above
rt0=$("$PV" kill -l RTMIN)
exits 1 "kill -l $((rt0 - 1)): a number with no name" "$PV" kill -l $((rt0 - 1))
like "$ERR" "has no name: the C library keeps" "says why it has no name"
exits 0 "kill -L" "$PV" kill -L
like "$OUT" "^  9 KILL +term +Killed" "table row for KILL"
like "$OUT" "RTMAX +term" "table has real-time signals"

# --- bad usage: exit 2, a message, nothing signalled
for bad in "" "-" "--" "99999999999" "12abc" "-FOO" "-s" "-s FOO" \
	"-n 999" "-9 -s TERM 5" "--bogus 5" "-C"; do
	# shellcheck disable=SC2086
	if [ -z "$bad" ]; then
		exits 2 "kill '' is a usage error" "$PV" kill ""
	else
		exits 2 "kill $bad is a usage error" "$PV" kill $bad
	fi
	like "$ERR" "^procview kill: " "kill $bad: says what is wrong"
done
exits 2 "kill with no target" "$PV" kill -9
exits 2 "kill -l FOO" "$PV" kill -l FOO
exits 2 "kill -l 1 2" "$PV" kill -l 1 2

# a full disk is an error for the listings too, not only for the table
for args in "-L" "-l" "-l 9"; do
	if [ -w /dev/full ]; then
		exits 1 "kill $args >/dev/full fails" sh -c \
			"\"\$0\" kill $args >/dev/full" "$PV"
		like "$ERR" "^procview: cannot write" "kill $args: says why"
	else
		skip "kill $args >/dev/full" "no /dev/full"
	fi
done

done_testing
