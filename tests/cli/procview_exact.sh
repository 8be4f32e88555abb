#!/bin/sh
# procview_exact.sh: the places where procview claims to match procps ps
# exactly, on processes this test makes to show each case:
#   - a user name longer than 8 (systemd+): a sleeper run under a uid
#     whose name is long (setpriv; an existing passwd entry)
#   - an empty command line (argv {""}), SCHED_IDLE (NI -), a process
#     whose main thread has exited (-L shows the command line)
#   - %MEM after a VSZ wider than its column
#   - sort ties ordered by the value behind the shown one (-pmem: RSS)
#   - a wide title right-aligns STIME
#   - tree siblings by start time after the PID counter wraps (a PID
#     namespace where the test sets the next PID)
# Each is compared with ps row by row.
. "${0%/*}/../lib.sh"

PV=$BIN/procview
PS=/usr/bin/ps
ODD=$HELPERBIN/oddproc

if ! [ -x "$PS" ] || ! "$PS" -o pid= -p $$ >/dev/null 2>&1; then
	skip "procview against ps" "procps ps is not installed"
	done_testing
	exit
fi
if ! [ -x "$ODD" ]; then
	skip "procview against ps" "helper oddproc not built"
	done_testing
	exit
fi

# same WHAT ARGS...: ps ARGS and procview ARGS print the same
same() {
	sm_what=$1
	shift
	sm_ps=$("$PS" "$@" 2>&1)
	sm_pv=$("$PV" "$@" 2>&1)
	if [ "$(echo "$sm_ps" | wc -l)" -lt 2 ]; then
		t_result 1 "$sm_what: ps shows rows ('$sm_ps')"
		return
	fi
	is "$sm_pv" "$sm_ps" "$sm_what: as ps"
}

# start_odd MODE: an oddproc, its PID in $ODDPID (and $SPAWNED) once it
# said "ready"
start_odd() {
	: >"$T_TMP/$1.out"
	spawn "$ODD" "$1" 120 >"$T_TMP/$1.out"
	ODDPID=$SPAWNED
	wait_for 30 grep -q ready "$T_TMP/$1.out"
	# "ready" is printed just before the helper sleeps: until it does
	# (a SCHED_IDLE task on a busy core may wait long), ps and procview
	# could see it running (R) and sleeping (S) a moment apart
	wait_for 30 grep -q '^State:.[SZ]' "/proc/$ODDPID/status"
}

# --- a user name longer than 8 characters
long=$(awk -F: 'length($1) > 8 && $3 > 0 { print $1; exit }' /etc/passwd)
if [ "$(id -u)" != 0 ] || [ -z "$long" ] ||
	! command -v setpriv >/dev/null 2>&1; then
	skip "a user name longer than 8" "needs root, setpriv and a long name"
else
	luid=$(id -u "$long")
	# long_sleeper: sleep run as that user, once it is sleep
	long_sleeper() {
		spawn setpriv --reuid "$luid" --regid "$(id -g "$long")" \
			--clear-groups sleep 300
		wait_for 30 sh -c "grep -q '^Uid:.$luid' /proc/$SPAWNED/status &&
			[ \"\$(cat /proc/$SPAWNED/comm)\" = sleep ]"
	}
	untouched long_sleeper # u shows its %CPU
	lp=$SPAWNED
	same "-f, user $long" -f -p "$lp"
	same "-o user,ruser,uname,euser, user $long" \
		-o pid,user,ruser,uname,euser -p "$lp"
	same "-o suser, user $long" -o pid,suser -p "$lp"
	same "u, user $long" u -p "$lp"
	like "$("$PV" -o user=,pid= -p "$lp")" '^[^ ]*\+ ' \
		"the name is cut with a '+' ($long)"
fi

# --- an empty command line, SCHED_IDLE, an exited main thread
start_odd emptyargv
ea=$ODDPID
ok "argv {\"\"}: the command line is one NUL" \
	sh -c "[ \"\$(od -An -c /proc/$ea/cmdline | tr -d ' ')\" = '\\0' ]"
# (-f's columns but C: a process this young moves its C between runs)
nof=uid_hack,pid,ppid,stime,tname,time,cmd
same "argv {\"\"}: -f without C" -o "$nof" -p "$ea"
same "argv {\"\"}: args, comm" -o pid,args,comm -p "$ea"

start_odd idle
id=$ODDPID
same "SCHED_IDLE: NI" -o pid,ni -p "$id"
same "SCHED_IDLE: CLS, PRI, RTPRIO" -o pid,cls,pri,rtprio -p "$id"
same "SCHED_IDLE: -l without C" -o f,s,uid,pid,ppid,pri,ni,addr_1,sz,wchan \
	-p "$id"

start_odd nomain
nm=$ODDPID
wait_for 30 sh -c "grep -q '^State:.Z' /proc/$nm/status"
same "main thread exited: -L" -L -o pid,lwp,stat,args -p "$nm"
same "main thread exited: -f without C" -o "$nof" -p "$nm"

# --- %MEM after a VSZ wider than its column: ps pads it (" 0.0")
untouched start_odd bigvsz # u shows its %CPU
bv=$ODDPID
same "%MEM after a 7-digit VSZ" -o pid,vsz,pmem,comm -p "$bv"
# (a ThreadSanitizer helper spends CPU starting up: its %CPU moves
# between ps's snapshot and ours)
tsan_cpu="a ThreadSanitizer helper's %CPU moves between snapshots"
if [ "$SAN" = thread ]; then
	skip "u after a 7-digit VSZ: as ps" "$tsan_cpu"
else
	same "u after a 7-digit VSZ" u -p "$bv"
fi

# --- sort ties: every row shows %MEM 0.0; ps orders them by RSS
spawn sleep 300
sl=$SPAWNED
wait_for 30 sh -c "[ \"\$(cat /proc/$sl/comm)\" = sleep ]"
pids=$sl,$ea,$id,$nm,$$
same "--sort=-pmem ties by RSS" --sort=-pmem -o pid,pmem -p "$pids"
same "--sort=-%mem ties by RSS" --sort=-%mem -o pid,pmem -p "$pids"
same "--sort=time ties by clock ticks" --sort=time -o pid,time -p "$pids"
if [ "$SAN" = thread ]; then
	skip "--sort=pcpu ties by the exact share: as ps" "$tsan_cpu"
else
	# the order only: a young helper's %CPU (one tick while starting,
	# more under a sanitizer) rounds differently a moment apart
	same "--sort=pcpu ties by the exact share (the order)" --sort=pcpu \
		-o pid,comm -p "$sl,$ea,$id,$nm"
fi

# --- a command line over 1 MiB: cut there, and the cut is marked
arg=$(head -c 110000 /dev/zero | tr '\0' a)
"$ODD" wait 120 $arg $arg $arg $arg $arg $arg $arg $arg $arg $arg \
	>"$T_TMP/wait.out" &
big=$!
T_PIDS="$T_PIDS $big"
wait_for 30 grep -q ready "$T_TMP/wait.out"
bigc=$(wc -c </proc/$big/cmdline)
"$PV" -o args= -p "$big" >"$T_TMP/big"
ok "the command line is over 1 MiB ($bigc bytes)" test "$bigc" -gt 1048576
like "$(tail -c 10 "$T_TMP/big")" 'aaa\.\.\.$' "a cut command line ends with ..."
is "$(wc -c <"$T_TMP/big")" $((1048576 + 3 + 1)) \
	"cut at 1 MiB, then ... and a newline"

# --- STIME is right-aligned (a wide title shows it)
same "STIME right-aligned" -o pid,stime=STARTED_AT_TIME,comm -p "$pids"

# --- tree order by start time after the PIDs wrap
why=$(pidns_why)
if [ -n "$why" ]; then
	skip "tree order after the PID counter wraps" "$why"
else
	# in a namespace: a child gets PID 500, a later one PID 100
	cat >"$T_TMP/wrap.sh" <<'EOF'
echo 499 >/proc/sys/kernel/ns_last_pid
sleep 60 &
a=$!
sleep 0.1 # a later clock tick: the start times differ
echo 99 >/proc/sys/kernel/ns_last_pid
sleep 60 &
b=$!
i=0
while [ "$i" -lt 200 ] && ! [ -e /proc/100 ]; do
	i=$((i + 1))
	sleep 0.01
done
"$PS" -H -e -o pid,ppid,comm >"$OUT/ps"
"$PV" -H -e -o pid,ppid,comm >"$OUT/pv"
"$PS" -e -o pid,comm --forest >"$OUT/ps2"
"$PV" -e -o pid,comm --forest >"$OUT/pv2"
kill "$a" "$b"
EOF
	PS=$PS PV=$PV OUT=$T_TMP in_pidns sh "$T_TMP/wrap.sh"
	# the lister's own row (ps or procview) is left out
	for f in ps pv ps2 pv2; do
		grep -v -e ' ps$' -e ' procview$' "$T_TMP/$f" >"$T_TMP/$f.x"
		mv "$T_TMP/$f.x" "$T_TMP/$f"
	done
	like "$(cat "$T_TMP/ps")" '500 .*sleep' "in the namespace: PID 500 (ps)"
	like "$(cat "$T_TMP/ps")" '100 .*sleep' "in the namespace: PID 100 (ps)"
	is "$(cat "$T_TMP/pv")" "$(cat "$T_TMP/ps")" \
		"-H after the wrap: siblings by start time, as ps"
	is "$(cat "$T_TMP/pv2")" "$(cat "$T_TMP/ps2")" \
		"--forest after the wrap: as ps"
fi

done_testing
