# tests/lib.sh: helpers for the command-line tests. Source it:
#   . "${0%/*}/../lib.sh"
#
# Every check prints one TAP line ("ok N - what" / "not ok N - what");
# tests/run.sh counts them. Background processes go through spawn so that
# the EXIT trap ends every one of them, by PID, whatever happens.

: "${BIN:?BIN must name the folder with the built programs}"
T_N=0
T_FAIL=0
T_PIDS=""
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tkt.XXXXXX")

t_cleanup() {
	for p in $T_PIDS; do kill -9 "$p" 2>/dev/null; done
	for p in $T_PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM

t_result() { # PASS(0/1) WHAT
	T_N=$((T_N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
		T_FAIL=$((T_FAIL + 1))
	fi
}

# ok WHAT CMD...: passes if CMD exits 0
ok() {
	t_what=$1
	shift
	"$@" >/dev/null 2>&1
	t_result $? "$t_what"
}

# is GOT WANT WHAT
is() {
	if [ "$1" = "$2" ]; then
		t_result 0 "$3"
	else
		t_result 1 "$3"
		printf '#   got:  %s\n#   want: %s\n' "$1" "$2"
	fi
}

# like TEXT ERE WHAT: TEXT has a line matching the extended regex
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		t_result 0 "$3"
	else
		t_result 1 "$3"
		printf '#   no line matches /%s/ in:\n' "$2"
		printf '%s\n' "$1" | head -n 20 | sed 's/^/#     /'
	fi
}

# unlike TEXT ERE WHAT: no line of TEXT matches
unlike() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		t_result 1 "$3"
		printf '#   unexpected match for /%s/:\n' "$2"
		printf '%s\n' "$1" | grep -E -- "$2" | head -n 5 | sed 's/^/#     /'
	else
		t_result 0 "$3"
	fi
}

# exits WANT WHAT CMD...: CMD exits with status WANT; output in $OUT/$ERR
exits() {
	t_want=$1
	t_what=$2
	shift 2
	"$@" >"$T_TMP/out" 2>"$T_TMP/err"
	t_rc=$?
	OUT=$(cat "$T_TMP/out")
	ERR=$(cat "$T_TMP/err")
	is "$t_rc" "$t_want" "$t_what (exit $t_want)"
}

skip() { # WHAT WHY
	T_N=$((T_N + 1))
	echo "ok $T_N - $1 # SKIP $2"
}

# traced CMD...: run CMD under strace (its arguments are strace's). A
# sanitizer build's LeakSanitizer cannot work under ptrace and would end
# the program with a "fatal error": leak checks are off for this run only.
traced() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace "$@"
}

# spawn CMD...: start in the background, remember the PID in $SPAWNED
spawn() {
	"$@" &
	SPAWNED=$!
	T_PIDS="$T_PIDS $SPAWNED"
}

# cpu_ticks PID: clock ticks of CPU the process has used: utime + stime,
# fields 14 and 15 of stat (12 and 13 after the ")" that ends the name)
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# kthreads_visible: this /proc shows the first PID namespace, where PID 2
# is kthreadd, the parent of every kernel thread. Only there does /proc
# list every task on the machine, kernel threads among them.
kthreads_visible() { grep -q '^2 (kthreadd) ' /proc/2/stat 2>/dev/null; }

# untouched START...: run START (it starts one process and leaves its PID
# in $SPAWNED) until that process has used no CPU tick. A young process
# charged one tick while starting (a loaded machine) has a %CPU (and C)
# that ps and procview, reading a moment apart, round differently; one
# with none shows 0.0 in both. At most 10 tries; then it is kept.
untouched() {
	ut_try=0
	while [ "$ut_try" = 0 ] || [ "$(cpu_ticks "$SPAWNED")" != 0 ]; do
		[ "$ut_try" -ge 10 ] && return
		if [ "$ut_try" -gt 0 ]; then
			kill "$SPAWNED"
			wait "$SPAWNED" 2>/dev/null
			T_PIDS=${T_PIDS% "$SPAWNED"} # reaped: not for cleanup
		fi
		ut_try=$((ut_try + 1))
		"$@"
	done
}

# wait_for SECONDS CMD...: poll CMD (every 20 ms) until it succeeds
wait_for() {
	t_end=$(($(date +%s) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$t_end" ] && return 1
		sleep 0.02
	done
	return 0
}

# all_sleeping PID: every thread of PID sleeps (state S). A helper says
# "ready" just before it blocks; until it does, what another program
# reads of it (its state, its stack pointer) may still change.
all_sleeping() {
	for as_task in /proc/"$1"/task/*; do
		grep -q '^State:.S' "$as_task/status" 2>/dev/null || return 1
	done
}

# wait_exit PID SECONDS: wait for a spawned process to end; its status in $?
# (127 if it did not end in time; the process is then left to cleanup)
wait_exit() {
	t_end=$(($(date +%s) + $2))
	while kill -0 "$1" 2>/dev/null; do
		if [ "$(date +%s)" -ge "$t_end" ]; then
			return 127
		fi
		# a zombie child still answers kill -0: check its state
		if [ "$(cut -d' ' -f3 /proc/"$1"/stat 2>/dev/null)" = Z ]; then
			break
		fi
		sleep 0.02
	done
	wait "$1"
}

# port_of LOGFILE: the port from a "listening on ADDR:PORT" line
port_of() {
	sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$1" | head -n 1
}

# serve_bg LOG CMD...: start a server in the background (output to LOG),
# wait until it says where it listens; sets SRV (its PID) and PORT.
# Returns 1 if it did not say so within 30 s.
serve_bg() {
	t_log=$1
	shift
	spawn "$@" >"$t_log" 2>&1
	SRV=$SPAWNED
	PORT=
	wait_for 30 has_line "$t_log" 'listening on' || return 1
	PORT=$(port_of "$t_log")
}

# has_line FILE ERE: for wait_for
has_line() {
	grep -Eq -- "$2" "$1" 2>/dev/null
}

done_testing() {
	echo "# $T_N checks, $T_FAIL failed"
	[ "$T_FAIL" = 0 ]
}

# ---- a private PID namespace for tests that could signal the machine
#
# A test of a refusal (pid 1, 0, -1), of a group kill or of a signal to
# a PID the test did not make runs in a PID namespace of its own, with
# its own /proc: even a broken refusal then reaches only the namespace's
# processes, never this session's. kill(-1) skips every process with no
# PID in the caller's namespace, and the group of a new session inside
# holds nothing outside.

# pidns_why: empty if in_pidns can work here, else the reason it cannot
pidns_why() {
	if [ "$(id -u)" != 0 ]; then
		echo "needs root for unshare --pid"
	elif ! command -v unshare >/dev/null 2>&1 ||
		! command -v setsid >/dev/null 2>&1; then
		echo "needs unshare and setsid (util-linux)"
	elif ! unshare --pid --fork --mount-proc sh -c '[ "$$" = 1 ]' \
		>/dev/null 2>&1; then
		echo "unshare --pid --fork --mount-proc is not allowed here"
	fi
}

# in_pidns CMD...: run CMD in a new PID namespace with its own /proc, as
# the leader of a new session. PID 1 there is a small sh that first
# proves it is inside (its PID is 1 and its namespace differs from this
# shell's), else exits 125 without running CMD. Returns CMD's status.
in_pidns() {
	unshare --pid --fork --mount-proc --kill-child sh -c '
		outer=$1
		shift
		if [ "$$" != 1 ] ||
			[ "$(readlink /proc/self/ns/pid)" = "$outer" ]; then
			echo "in_pidns: not in a private PID namespace" >&2
			exit 125
		fi
		setsid -w "$@"' in_pidns "$(readlink /proc/self/ns/pid)" "$@"
}
