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

# spawn CMD...: start in the background, remember the PID in $SPAWNED
spawn() {
	"$@" &
	SPAWNED=$!
	T_PIDS="$T_PIDS $SPAWNED"
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

# has_line FILE ERE: for wait_for
has_line() {
	grep -Eq -- "$2" "$1" 2>/dev/null
}

done_testing() {
	echo "# $T_N checks, $T_FAIL failed"
	[ "$T_FAIL" = 0 ]
}
