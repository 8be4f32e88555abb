#!/bin/sh
# procview_hostile.sh: processes that try to confuse a process lister.
# A name with ') Z 1 (', a fork storm while scanning, a zombie, a 300 KB
# command line, control bytes in argv, a user id with no name.
. "${0%/*}/../lib.sh"

PV=$BIN/procview

child_of() { # PID: its children, from stat field 4 after the last ')'
	cat /proc/[0-9]*/stat 2>/dev/null |
		sed -n 's/^\([0-9]*\) .*) [A-Za-z] \([0-9]*\) .*/\1 \2/p' |
		awk -v p="$1" '$2 == p { print $1 }'
}

adopt() { # PID: register the child of a spawned shell for cleanup too
	wait_for 30 sh -c "cat /proc/[0-9]*/stat 2>/dev/null | grep -q ') [A-Za-z] $1 '"
	# after its shell: the shell, killed first, cannot report "Killed"
	T_PIDS="$T_PIDS $(child_of "$1")"
}

# ps adds N to the state of a niced process (make valgrind often runs
# under nice), < to one with a raised priority: what ours will show
nflag=$(awk '{ sub(/^.*\) /, ""); n = $17 }
	END { print (n > 0 ? "N" : n < 0 ? "<" : "") }' /proc/$$/stat)

# --- a process named "a) Z 1 (b": true state S, true parent
# Only a process may rename itself, so the shell writes its own comm
# and then waits for a child (the trailing ':' stops it exec'ing sleep).
spawn sh -c 'printf "a) Z 1 (b" >/proc/$$/comm; sleep 60; :'
evil=$SPAWNED
adopt "$evil"
wait_for 30 grep -q '^a) Z 1 (b$' "/proc/$evil/comm"
exits 0 "list the renamed process" "$PV" -o pid=,ppid=,stat=,comm= -p "$evil"
is "$(echo "$OUT" | awk '{ print $1, $2, $3 }')" "$evil $$ S$nflag" \
	"true pid, ppid and state despite ') Z 1 (' in the name"
like "$OUT" " a\) Z 1 \(b$" "the name is shown whole"
exits 0 "-ef row of the renamed process" "$PV" -ef
like "$OUT" "^[^ ]+ +$evil +$$ " "-f shows the true parent"
exits 0 "the tree places it under this shell" "$PV" --tree="$$"
like "$OUT" "a\) Z 1 \(b\($evil\)" "in the tree"

# --- a zombie
spawn sh -c 'sleep 0 & exec sleep 60'
zp=$SPAWNED
wait_for 30 sh -c "grep -q '^[0-9]* (sleep) Z $zp ' /proc/[0-9]*/stat"
z=$(grep -l "^[0-9]* (sleep) Z $zp " /proc/[0-9]*/stat 2>/dev/null | cut -d/ -f3)
exits 0 "list the zombie" "$PV" -f -p "$z"
like "$OUT" " $z +$zp .* \[sleep\] <defunct>$" "zombie: [sleep] <defunct>"
exits 0 "zombie state" "$PV" -o stat=,rss=,vsz= -p "$z"
is "$(echo $OUT)" "Z$nflag 0 0" "zombie: state Z, no memory"
exits 0 "--explain counts the zombie" "$PV" -f -p "$z" --explain
like "$OUT" "zombie.*: 1 row" "legend says why it looks so"

# --- a kernel thread, recognised by PF_KTHREAD (when the namespace
# shows any: containers often do not)
if kthreads_visible; then
	exits 0 "kthreadd" "$PV" -f -p 2
	like "$OUT" " \[kthreadd\]$" "kernel thread shown as [kthreadd]"
else
	skip "kernel thread" "no kernel threads visible here"
	skip "kernel thread name" "no kernel threads visible here"
fi

# --- a 300 KB command line (three arguments of 100 KB: one argument
# may not exceed 128 KB)
big=$(head -c 100000 /dev/zero | tr '\0' a)
spawn sh -c 'sleep 60; :' "$big" "$big" "$big"
bigp=$SPAWNED
adopt "$bigp"
"$PV" -o args= -p "$bigp" >"$T_TMP/big" 2>"$T_TMP/big.err"
is "$?" 0 "300 KB command line listed"
is "$(cat "$T_TMP/big.err")" "" "no complaint about it"
is "$(wc -c <"$T_TMP/big")" "$(tr '\0' ' ' <"/proc/$bigp/cmdline" | wc -c)" \
	"all of it shown (cmdline length, NULs as spaces, newline at end)"
exits 0 "-ef with the big one" "$PV" -ef
like "$OUT" "^root|^[^ ]+ +$bigp " "-ef still lists it"
exits 0 "--json with the big one" "$PV" -p "$bigp" --json -o pid,args
like "$OUT" "aaaa\"}\]}$" "JSON holds it"

# --- control bytes and bad UTF-8 in argv: nothing raw reaches the terminal
spawn sh -c 'sleep 60; :' "$(printf 'x\033[31my\tz\001w\377v')"
ctl=$SPAWNED
adopt "$ctl"
LC_ALL=C "$PV" -o args= -p "$ctl" >"$T_TMP/ctl"
is "$(cat "$T_TMP/ctl")" "sh -c sleep 60; : x.[31my.z.w?v" \
	"C locale: controls as '.', high bytes as '?' (as procps)"
ok "no escape byte in the output" sh -c "! grep -q \"$(printf '\033')\" \"$T_TMP/ctl\""
if [ -x /usr/bin/ps ]; then
	is "$(cat "$T_TMP/ctl")" "$(LC_ALL=C /usr/bin/ps -o args= -p "$ctl")" \
		"same bytes as procps ps"
else
	skip "same bytes as procps ps" "ps not installed"
fi
exits 0 "JSON of the control bytes" "$PV" -p "$ctl" --json -o args
unlike "$OUT" "$(printf '\033')" "JSON has no raw escape either"

# --- a user id with no name prints as a number
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
	! getent passwd 54321 >/dev/null 2>&1; then
	spawn setpriv --reuid 54321 --regid 54321 --clear-groups sleep 60
	u=$SPAWNED
	wait_for 30 sh -c "grep -q '^Uid:.54321' /proc/$u/status"
	exits 0 "list the nameless uid" "$PV" -o user=,uid=,ruser= -p "$u"
	is "$(echo $OUT)" "54321 54321 54321" "unknown uid shown as a number"
	exits 0 "-f of the nameless uid" "$PV" -f -p "$u"
	like "$OUT" "^54321 +$u " "-f UID column is the number"
else
	for i in 1 2 3 4; do skip "unknown uid" "needs root and setpriv"; done
fi

# --- a non-dumpable process (prctl PR_SET_DUMPABLE 0): its /proc files
# belong to root, but the user column must still show its real euid
# (procview reads the owner of the /proc/PID directory, which the kernel
# keeps as the euid)
py=$(command -v /usr/bin/python3 python3 2>/dev/null | head -n 1)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
	[ -n "$py" ] && ! getent passwd 54322 >/dev/null 2>&1; then
	# It says "ready" (with what PR_GET_DUMPABLE returns) once it is
	# non-dumpable: the test waits for that word, not for a guessed
	# time (python's start-up took over 30 s once while several test
	# suites shared this machine; the bound only limits how long a real
	# failure takes to show). The rename comes first: once non-dumpable,
	# its /proc files are root's and it may no longer write its comm.
	spawn setpriv --reuid 54322 --regid 54322 --clear-groups "$py" -c \
		'import ctypes, time
open("/proc/self/comm", "w").write("nodump")
libc = ctypes.CDLL(None)
libc.prctl(4, 0, 0, 0, 0)
print("ready", libc.prctl(3, 0, 0, 0, 0), flush=True)
time.sleep(60)' >"$T_TMP/nodump"
	nd=$SPAWNED
	wait_for 90 grep -q '^ready' "$T_TMP/nodump"
	is "$(cat "$T_TMP/nodump")" "ready 0" "PR_GET_DUMPABLE says 0"
	is "$(stat -c %u "/proc/$nd/status")" 0 "its /proc files belong to root"
	exits 0 "list the non-dumpable process" "$PV" -o user=,uid= -p "$nd"
	is "$(echo $OUT)" "54322 54322" "its true euid is shown"
else
	for i in 1 2 3 4; do skip "non-dumpable" "needs root, setpriv, python3"; done
fi

# --- a process that is gone: exit 1, silence
spawn true
gone=$SPAWNED
wait_exit "$gone" 5
exits 1 "a pid that ended lists nothing" "$PV" -p "$gone"
is "$ERR" "" "and says nothing on stderr"

# --- a fork storm while scanning: 100 scans, no error, no garbage row
# The storm: a loop starting short-lived processes, stopped by PID as
# soon as the scans are done. Its own clock is only a safety net should
# this script die without its cleanup: 300 s, because the 100 scans
# took over 60 s under TSan with other suites running, and the storm
# had ended before them.
spawn sh -c 'end=$(($(date +%s) + 300)); while [ "$(date +%s)" -lt "$end" ]; do
	/bin/true & /bin/true & /bin/true & wait; done'
storm=$SPAWNED
errs=0
garbage=0
scans=0
while [ "$scans" -lt 100 ]; do
	"$PV" -ef >"$T_TMP/scan" 2>"$T_TMP/scan.err" || errs=$((errs + 1))
	[ -s "$T_TMP/scan.err" ] && errs=$((errs + 1))
	# a row: user, pid, ppid, C, STIME, TTY, TIME, a command
	n=$(awk 'NR > 1 && !/^[^ ]+ +[0-9]+ +[0-9]+ +[0-9]+ [^ ]+ [^ ]+ +([0-9]+-)?[0-9][0-9]:[0-9][0-9]:[0-9][0-9] ./' \
		"$T_TMP/scan" | wc -l)
	garbage=$((garbage + n))
	[ "$n" -gt 0 ] && head -n 3 "$T_TMP/scan.err" | sed 's/^/# /'
	if [ $((scans % 10)) = 0 ]; then # threads vanish too
		"$PV" -eL -o pid,lwp,stat,comm >/dev/null \
			2>>"$T_TMP/scan.err" || errs=$((errs + 1))
	fi
	scans=$((scans + 1))
done
ok "the storm was running during the scans" kill -0 "$storm"
kill "$storm" 2>/dev/null
is "$errs" 0 "100 scans under a fork storm: no error"
is "$garbage" 0 "100 scans under a fork storm: no garbage row"
is "$(cat "$T_TMP/scan.err")" "" "no error output at all"

done_testing
