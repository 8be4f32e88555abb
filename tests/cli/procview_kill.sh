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

# Everything below that could signal a process the test did not make
# (a group, a name, a missing or refused PID) runs in a private PID
# namespace: a regression in the refusals then fails a check there and
# can reach nothing outside (see in_pidns in tests/lib.sh).
in_namespace() {
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
	# a name over 15 bytes matches the kernel's 15, as in the listing
	long="pvlongername$$xyz"
	cp "$(command -v sleep)" "$T_TMP/$long"
	spawn "$T_TMP/$long" 60
	c3=$SPAWNED
	wait_for 30 sh -c "[ \"\$(cat /proc/$c3/comm)\" = '$(printf %.15s "$long")' ]"
	exits 0 "dry run -C with the whole ${#long}-byte name" \
		"$PV" kill --dry-run -C "$long"
	like "$OUT" "^  $c3 " "... finds it by its first 15 bytes (comm)"
	kill "$c3"
	exits 1 "-C procview: procview is never its own target" \
		"$PV" kill --dry-run -C procview
	like "$ERR" "no process named 'procview' \(other than procview itself\)" \
		"... and it says so"

	# --- failures are reported per target and the rest goes on
	spawn sleep 60
	p=$SPAWNED
	started sleep
	exits 1 "a missing pid fails, the next still gets its signal" \
		"$PV" kill 2147483000 "$p"
	like "$ERR" "2147483000: No such process" "reason: no such process"
	ended "$p" "143" "the later target was still signalled"

	# --- refusals, each saying what the target would have meant
	exits 1 "refuses 0" "$PV" kill 0
	like "$ERR" "refusing '0': .*my own process group" "0 explained"
	exits 1 "refuses -1" "$PV" kill -- -1
	like "$ERR" "refusing '-1': .*every process" "-1 explained"
	exits 1 "refuses -9 -1 (signal 9 to every process)" "$PV" kill -9 -1
	exits 1 "refuses 1" "$PV" kill -9 1
	like "$ERR" "refusing '1': pid 1 is init" "1 explained"
	# on an 80-column terminal the sentence wraps (piped: one line)
	if [ -x "$HELPERBIN/pty" ]; then
		w80=$("$HELPERBIN/pty" -w 80 -- "$PV" kill 1 | tr -d '\r' |
			awk '{ if (length > m) m = length } END { print m + 0 }')
		ok "the refusal fits an 80-column terminal ($w80)" \
			test "$w80" -le 80 -a "$w80" -gt 40
	else
		skip "the refusal on a terminal" "helper pty not built"
	fi
	# exec: the shell becomes procview, so $$ inside is procview's own pid
	exits 1 "refuses its own pid" sh -c 'exec "$0" kill $$' "$PV"
	like "$ERR" "procview itself" "own pid explained"
	mygrp=$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f3)
	exits 1 "refuses its own process group" "$PV" kill -- "-$mygrp"
	like "$ERR" "my own process group" "own group explained"
	exits 0 "--force --dry-run lets pid 1 through, signals nothing" \
		"$PV" kill --dry-run --force -0 1
	like "$OUT" "would send signal 0 \(existence check\) to pid 1" "dry run of 1"
	# everything is checked before anything is sent: one refused
	# target and nobody gets a signal (procview.1 says so)
	spawn sleep 60
	p=$SPAWNED
	started sleep
	exits 1 "a refused target: nothing is sent to the others" \
		"$PV" kill "$p" 1
	like "$ERR" "nothing sent: a target was refused" "says nothing was sent"
	ok "the other target was not signalled" kill -0 "$p"
	# -C sh matches this test's own shell (the caller's parent)
	exits 1 "a -C match that is refused: nothing sent either" \
		"$PV" kill "$p" -C sh
	like "$ERR" "refusing 'sh': pid $$ is my parent" "-C match explained"
	ok "still not signalled" kill -0 "$p"
	# 32 and 33 are signals without a name (glibc keeps them): the
	# message names them by number, never with bytes from nowhere
	for s in 32 33; do
		exits 0 "--dry-run -s $s" "$PV" kill --dry-run -s "$s" "$p"
		like "$OUT" "^would send signal $s to pid $p:" "-s $s: named by its number"
		ok "-s $s: the message is plain ASCII" sh -c \
			"printf '%s' \"\$1\" | LC_ALL=C grep -q '[^ -~]' && exit 1 || exit 0" sh \
			"$(printf '%s' "$OUT" | head -n 1)"
	done
	kill "$p"
	ended "$p" 143 "(the test ends it itself)"

	# the caller's parent ("procview kill $$" from a shell) and the
	# session leader (the login shell) are refused like pid 1. Here the
	# test script leads the session (in_pidns runs it under setsid).
	exits 1 "refuses its parent (kill \$\$ in a shell)" \
		sh -c '"$0" kill $$; r=$?; echo "shell alive"; exit $r' "$PV"
	like "$ERR" "refusing '[0-9]*': pid [0-9]* is my parent" \
		"parent explained"
	like "$OUT" "^shell alive$" "the shell lived on"
	exits 1 "--dry-run shows the refusal too" \
		sh -c '"$0" kill --dry-run $$ || exit 1' "$PV"
	like "$ERR" "is my parent" "dry run explains it"
	is "$OUT" "" "dry run prints nothing to do"
	sid=$$
	exits 1 "refuses the session leader" \
		sh -c '"$0" kill "$1"; exit 1' "$PV" "$sid"
	like "$ERR" "refusing '$sid': pid $sid leads my session" \
		"session leader explained"
	exits 0 "--force --dry-run: a warning, then the plan" \
		sh -c '"$0" kill --force --dry-run "$1"' "$PV" "$sid"
	like "$ERR" "warning: '$sid': .*leads my session" "warns under --force"
	like "$OUT" "^would send SIGTERM to pid $sid:" "and shows the plan"

	recycle pid
	recycle name

	# procps kill reads "kill PID -s 9" as SIGKILL (the last -s wins),
	# where procview refuses the line (checked outside)
	if [ -x /usr/bin/kill ] && /usr/bin/kill -V 2>&1 | grep -q procps; then
		spawn sleep 60
		p=$SPAWNED
		started sleep
		/usr/bin/kill "$p" -s 9
		ended "$p" 137 "procps kill PID -s 9 sends SIGKILL"
	else
		skip "procps kill PID -s 9" "procps kill is not installed"
	fi
}

# stat_field PID N: field N of /proc/PID/stat counted after the ')'
# (1 is the state, 20 the start time), read by sed and cut, not by us
stat_field() {
	sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f"$2"
}

# recycle pid|name: procview kill checks a process, stops (a test-only
# hook), the process ends and a new one gets the SAME pid and name
# (ns_last_pid, root in the namespace); procview goes on and must not
# signal the newcomer. A control run without the recycling first.
recycle() {
	prog=$T_TMP/pvrec$$
	cp "$(command -v sleep)" "$prog"
	spawn "$prog" 60
	old=$SPAWNED
	started "pvrec$$"
	if [ "$1" = pid ]; then set -- "$old"; else set -- -C "pvrec$$"; fi
	PROCVIEW_KILL_TEST_STOP=1 "$PV" kill "$@" >"$T_TMP/rec.out" \
		2>"$T_TMP/rec.err" &
	kp=$!
	wait_for 30 sh -c "[ \"\$(sed 's/.*) //' /proc/$kp/stat |
		cut -c1)\" = T ]"
	is "$(stat_field "$kp" 1)" T "kill $*: stopped between check and send"
	kill -CONT "$kp"
	wait "$kp"
	is "$?" 0 "control: kill $* signals the checked process"
	ended "$old" 143 "control: it ended with SIGTERM"

	spawn "$prog" 60
	old=$SPAWNED
	started "pvrec$$"
	if [ "$1" != -C ]; then set -- "$old"; fi
	PROCVIEW_KILL_TEST_STOP=1 "$PV" kill "$@" >"$T_TMP/rec.out" \
		2>"$T_TMP/rec.err" &
	kp=$!
	wait_for 30 sh -c "[ \"\$(sed 's/.*) //' /proc/$kp/stat |
		cut -c1)\" = T ]"
	s0=$(stat_field "$old" 20)
	kill -KILL "$old"
	wait "$old"
	# start times count clock ticks (1/100 s): wait for a later tick,
	# so that the newcomer's start time differs from the old one's
	wait_for 30 sh -c "[ \$(awk '{ printf \"%d\", \$1 * 100 }' \
		/proc/uptime) -gt $((s0 + 1)) ]"
	# the next fork in this namespace gets pid $old: nothing else
	# forks here while procview is stopped
	echo $((old - 1)) >/proc/sys/kernel/ns_last_pid
	spawn "$prog" 60
	new=$SPAWNED
	if [ "$new" != "$old" ]; then
		kill -CONT "$kp"
		wait "$kp"
		skip "kill $*: recycled pid" "pid $old did not recycle ($new)"
		return
	fi
	started "pvrec$$"
	unlike "$(stat_field "$new" 20)" "^$s0\$" \
		"pid $old recycled: same name, another start time"
	kill -CONT "$kp"
	wait "$kp"
	is "$?" 1 "kill $*: fails when the pid was recycled"
	like "$(cat "$T_TMP/rec.err")" \
		"pid $old now belongs to another process .*not signalled" \
		"kill $*: says the pid now names another process"
	ok "kill $*: the newcomer was not signalled" kill -0 "$new"
	kill "$new"
	ended "$new" 143 "(the test ends the newcomer itself)"
}

if [ "$1" = --in-pidns ]; then
	in_namespace
	done_testing
	exit
fi

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

for form in "--signal KILL" "--signal=KILL"; do
	spawn sleep 60
	p=$SPAWNED
	started sleep
	# shellcheck disable=SC2086
	exits 0 "kill $form PID" "$PV" kill $form "$p"
	ended "$p" 137 "kill $form ended it with SIGKILL"
done
for form in "-q 7" "--queue 7" "--queue=7"; do
	spawn sleep 60
	p=$SPAWNED
	started sleep
	# shellcheck disable=SC2086
	exits 0 "kill -s USR1 $form PID (sigqueue)" "$PV" kill -s USR1 $form "$p"
	ended "$p" 138 "kill $form delivered SIGUSR1"
done

# the signal goes through a pidfd, never kill(2) by number: strace
# (an independent witness) sees the system calls
if command -v strace >/dev/null 2>&1 &&
	strace -o /dev/null true >/dev/null 2>&1; then
	spawn sleep 60
	p=$SPAWNED
	started sleep
	# (LeakSanitizer cannot work under ptrace: off for this one run)
	exits 0 "kill PID under strace" env \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -o "$T_TMP/st" \
		-e trace=kill,pidfd_open,pidfd_send_signal "$PV" kill "$p"
	ended "$p" 143 "it ended with SIGTERM"
	like "$(cat "$T_TMP/st")" "pidfd_open\($p, 0\) += [0-9]" \
		"strace: pidfd_open($p) first"
	like "$(cat "$T_TMP/st")" "pidfd_send_signal\([0-9]+, SIGTERM, NULL, 0\) = 0" \
		"strace: the signal went through the pidfd"
	unlike "$(cat "$T_TMP/st")" "kill\($p," "strace: no kill(2) by number"
else
	for w in "kill under strace" "ended" "pidfd_open" "pidfd_send_signal" \
		"no kill(2)"; do
		skip "$w" "strace is not installed or cannot trace here"
	done
fi

spawn sleep 60
p=$SPAWNED
started sleep
exits 0 "kill -0 probes a live process" "$PV" kill -0 "$p"
ok "signal 0 left it alive" kill -0 "$p"

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
	real_err=$ERR
	# the dry run checks the permission too (signal 0) and says what
	# the real run says, instead of a plan that would then fail
	exits 1 "--dry-run as another user: not permitted either" \
		setpriv --reuid 65534 --regid 65534 --clear-groups \
		"$PV" kill --dry-run "$p"
	is "$ERR" "$real_err" "--dry-run: the real run's message"
	is "$OUT" "" "--dry-run: no plan for a target it may not signal"
	ok "still alive after the dry run" kill -0 "$p"
else
	for w in "EPERM path" "EPERM reason" "EPERM alive" "dry run EPERM" \
		"dry run message" "dry run no plan" "dry run alive"; do
		skip "$w" "needs root and setpriv"
	done
fi

# --- one signal, before the first target. procps kill takes
# "kill PID -s 9" as SIGKILL (the last -s wins; checked in the PID
# namespace below); procview refuses it: the man page's rule
spawn sleep 60
p=$SPAWNED
started sleep
for late in "-s 9" "-s KILL" "-n 9" "--signal 9" "--signal=9"; do
	# shellcheck disable=SC2086
	exits 2 "kill --dry-run PID $late: refused" "$PV" kill --dry-run "$p" $late
	like "$ERR" "^procview kill: '${late%% *}' after a target: the signal goes before the first target\$" \
		"kill PID $late: says why"
	# shellcheck disable=SC2086
	exits 2 "kill PID $late: refused" "$PV" kill "$p" $late
done
ok "the target of the refused lines is alive" kill -0 "$p"

# --- the guard itself: in the namespace, an unguarded kill(-1, SIGTERM)
# (bash's builtin, which refuses nothing) ends the namespace's process
# and not the sentinel this test started outside it
why=$(pidns_why)
if [ -z "$why" ]; then
	spawn sleep 60
	sentinel=$SPAWNED
	started sleep
	in_pidns sh -c '
		sleep 60 &
		in=$!
		# this shell must live to report: TERM ignored from here on
		# (the sleep started before, so TERM still ends it)
		trap "" TERM
		i=0
		while [ "$(cat /proc/$in/comm 2>/dev/null)" != sleep ] &&
			[ $i -lt 500 ]; do
			sleep 0.02
			i=$((i + 1))
		done
		bash -c "kill -TERM -1"
		wait $in
		echo "inside=$?"' >"$T_TMP/guard" 2>&1
	# (the shell may also report the job: "Terminated")
	is "$(grep '^inside=' "$T_TMP/guard")" "inside=143" \
		"kill -TERM -1 in the namespace ended the process inside"
	ok "the sentinel outside the namespace is alive" kill -0 "$sentinel"

	in_pidns sh "$0" --in-pidns
	ns_rc=$?
	is "$ns_rc" 0 "the group, name and refusal checks passed in the namespace"
	if [ "$ns_rc" -gt 128 ]; then
		echo "#   a signal ended the checks in the namespace: a refusal" \
			"let it through"
	fi
else
	skip "kill -1 in a PID namespace" "$why"
	skip "the sentinel outside survives" "$why"
	skip "group, name and refusal checks" \
		"$why; never run them outside a PID namespace"
fi

# --- kill --help: a line for each option of the man page's KILL section
# (the words after each .TP there), within 80 columns
exits 0 "kill --help" "$PV" kill --help
man=${0%/*}/../../docs/man/procview.1
opts=$(sed -n '/^\.SH KILL/,/^\.SH EXIT/p' "$man" |
	awk 'prev == ".TP" { print } { prev = $0 }' |
	grep -o '\\-\(\\-\|[a-zA-Z]\)[a-zA-Z\\-]*' | sed 's/\\-/-/g' | sort -u)
ok "the man page's KILL section has options" test -n "$opts"
for o in $opts; do
	like "$OUT" "^  (.*, )?$o( |,|\$)" "kill --help explains $o"
done
is "$(printf '%s\n' "$OUT" | awk 'length > 80')" "" "kill --help fits 80 columns"

# --- listing signals: byte for byte as procps kill prints them
exits 0 "kill -l" "$PV" kill -l
like "$OUT" "^HUP INT QUIT" "starts with HUP INT QUIT"
like "$OUT" "POLL PWR SYS$" "ends with SYS; 29 is POLL, as procps says"
exits 0 "kill -l 9" "$PV" kill -l 9
is "$OUT" KILL "9 is KILL"
exits 0 "kill --list=9" "$PV" kill --list=9
is "$OUT" KILL "--list=9 is KILL"
exits 0 "kill -l 137 (a shell's exit status)" "$PV" kill -l 137
is "$OUT" KILL "137 is KILL"
exits 0 "kill -l SIGterm" "$PV" kill -l SIGterm
is "$OUT" 15 "SIGterm is 15"
exits 0 "kill -l IO (bash's name for 29)" "$PV" kill -l IO
is "$OUT" 29 "IO is 29"
# 32 and 33 are taken by glibc; the first real-time name is one above
rt0=$("$PV" kill -l RTMIN)
exits 1 "kill -l $((rt0 - 1)): a number with no name" "$PV" kill -l $((rt0 - 1))
like "$ERR" "has no name: the C library keeps" "says why it has no name"
exits 0 "kill -L" "$PV" kill -L
like "$OUT" "^ 8 FPE      9 KILL    10 USR1" "table row with KILL"
exits 0 "kill --meanings" "$PV" kill --meanings
like "$OUT" "^  9 KILL +term +Killed" "meanings row for KILL"
like "$OUT" "RTMAX +term" "meanings has real-time signals"
if [ -x /usr/bin/kill ] && /usr/bin/kill -V 2>&1 | grep -q procps; then
	# -l and -L only list: procps kill signals nothing here
	for opt in -l -L --list --table; do
		/usr/bin/kill $opt >"$T_TMP/procps.l" 2>&1
		"$PV" kill $opt >"$T_TMP/ours.l" 2>&1
		ok "kill $opt: byte for byte as procps kill $opt" \
			cmp -s "$T_TMP/procps.l" "$T_TMP/ours.l"
	done
else
	for opt in -l -L --list --table; do
		skip "kill $opt against procps" "procps kill is not installed"
	done
fi

# --- every signal against independent tables: bash's builtin kill -l
# (all numbers, real-time ones included: 49 is RTMIN+15, 50 RTMAX-14)
# and procps kill -l (1..31); both ways, number to name and back.
# bash calls 29 IO where procps and we say POLL: both names must give 29.
"$PV" kill --meanings | awk 'NR > 1 { print $1, $2 }' >"$T_TMP/ours"
rtmax=$("$PV" kill -l RTMAX)
# against WHO LAST CMD...: for each signal 1..LAST, the name "CMD N"
# prints against ours, and our number for that name back; what differs
# is in $bad. Only bash may say IO where we say POLL.
against() {
	a_who=$1 a_last=$2
	shift 2
	bad=""
	n=1
	while [ "$n" -le "$a_last" ]; do
		# -l lists names; it never signals anything
		t=$("$@" "$n" 2>/dev/null)
		o=$(awk -v n="$n" '$1 == n { print $2 }' "$T_TMP/ours")
		[ "$t" = "$o" ] || [ "$a_who:$t:$o" = bash:IO:POLL ] ||
			bad="$bad $n:$a_who=$t,ours=$o"
		if [ -n "$t" ]; then
			back=$("$PV" kill -l "$t" 2>&1)
			[ "$back" = "$n" ] || bad="$bad $t:$back"
		fi
		n=$((n + 1))
	done
}
if command -v bash >/dev/null 2>&1; then
	against bash "$rtmax" bash -c 'kill -l "$0"'
	is "$bad" "" "1..$rtmax: names and numbers agree with bash's kill -l"
else
	skip "names against bash's kill -l" "bash is not installed"
fi
if [ -x /usr/bin/kill ] && /usr/bin/kill -V 2>&1 | grep -q procps; then
	against procps 31 /usr/bin/kill -l
	is "$bad" "" "1..31: names and numbers agree with procps kill -l"
else
	skip "names against procps kill -l" "procps kill is not installed"
fi

# --- bad usage: exit 2, a message, nothing signalled
for bad in "" "-" "--" "99999999999" "12abc" "-FOO" "-s" "-s FOO" \
	"-n 999" "-9 -s TERM 5" "--bogus 5" "-C" "--signal" "-q" "-q x 5" \
	"--queue=1.5 5" "-q 1 -- -5"; do
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
