#!/bin/sh
# procview_bsd.sh: ps as people type it. BSD words (aux, axjf, u, j, l,
# x, f, w, k), the UNIX personalities (-l -ly -F -j -T -O), the other
# selections (-a -d -N -U -G -g -s -t), --cols and COLUMNS, -o
# KEY:WIDTH and KEY=TITLE, -C with a name longer than the kernel keeps,
# and the errors, each compared with procps ps row by row on processes
# this test makes: two sleepers, one started under a 24-byte file name
# (the kernel keeps 15 bytes of it as the command name).
#
# A sleeper's row does not change while it sleeps (TIME 0:00, %CPU 0.0,
# state S), so its rows must be identical, byte for byte; rows of other
# processes are not compared (they change between two snapshots).
. "${0%/*}/../lib.sh"

PV=$BIN/procview
PS=/usr/bin/ps

if ! [ -x "$PS" ] || ! "$PS" -o pid= -p $$ >/dev/null 2>&1; then
	skip "procview against ps" "procps ps is not installed"
	done_testing
	exit
fi

long=a-very-long-command-name
cp "$(command -v sleep)" "$T_TMP/$long"
asleep() { grep -q '^State:.S' "/proc/$1/status" &&
	[ "$(cat "/proc/$1/comm")" = "$2" ]; }
# sleeper COMM CMD...: a sleeper started by CMD, asleep as COMM
sleeper() {
	sl_comm=$1
	shift
	spawn "$@" 300
	wait_for 30 asleep "$SPAWNED" "$sl_comm"
}
# The first sleeper leads a session of its own (setsid), so -s and -g
# below select a session that exists. The test's own session may be 0:
# a process whose ancestors never called setsid (a child of PID 1, as
# under CI) is in session 0, and ps -s 0 is an error.
untouched sleeper sleep setsid sleep
s1=$SPAWNED
untouched sleeper a-very-long-com "$T_TMP/$long"
s2=$SPAWNED
ok "the two sleepers sleep" asleep "$s2" a-very-long-com
is "$(cpu_ticks "$s1") $(cpu_ticks "$s2")" "0 0" \
	"the sleepers have used no CPU tick (so %CPU is 0.0 in both)"

# mine FILE: the header line and the rows whose PID column holds one of
# our PIDs ($MINE). PID is not always the first column (aux, j, l): it
# is the column titled PID, else the first (pid=X retitles it). Matching
# our PID in any column would also take in another process whose RSS or
# VSZ happens to equal it, and that row changes between two snapshots.
mine() {
	awk -v mine=" $MINE " 'NR == 1 {
			c = 1
			for (i = 1; i <= NF; i++) if ($i == "PID") { c = i; break }
			if ($1 !~ /^[0-9]+$/) { print; next }	# --noheaders
		}
		index(mine, " " $c " ")' "$1"
}

# same WHAT ARGS...: ps ARGS and procview ARGS, our rows identical
# (with SM_BARS=1, the forest's bars read as blanks: see axjf below)
SM_BARS=0
same() {
	sm_what=$1
	shift
	"$PS" "$@" >"$T_TMP/ps" 2>&1
	"$PV" "$@" >"$T_TMP/pv" 2>&1
	sm_ps=$(mine "$T_TMP/ps")
	sm_pv=$(mine "$T_TMP/pv")
	if [ "$SM_BARS" = 1 ]; then
		sm_ps=$(echo "$sm_ps" | tr '|' ' ')
		sm_pv=$(echo "$sm_pv" | tr '|' ' ')
	fi
	if [ "$(echo "$sm_ps" | wc -l)" -lt 2 ]; then
		t_result 1 "$sm_what: ps shows our rows ('$sm_ps')"
		return
	fi
	is "$sm_pv" "$sm_ps" "$sm_what: as ps"
}

pids=$s1,$s2
MINE="$s1 $s2"
# --- BSD words, alone and mixed with UNIX options
same "aux" aux
same "ps -aux is read as aux, as procps does" -aux
same "axu" axu
same "ax" ax
same "x" x
# A forest draws a bar for each ancestor that has a later sibling, up to
# PID 1. Our ancestors are the test runner's, and a sibling of one may
# start or end between the two snapshots: the bars of our rows may then
# differ, their depth (where "\_" stands) may not.
SM_BARS=1
same "axjf (jobs, forest; bars as blanks)" axjf
SM_BARS=0
same "axl" axl
same "-p PIDS u" -p "$pids" u
same "u -p PIDS (the other order)" u -p "$pids"
same "-p PIDS j" -p "$pids" j
same "p PIDS (the BSD p)" p "$pids"
same "-p PIDS u k -pid (BSD sort)" -p "$pids" u k -pid
same "aux ww" aux ww

# --- the UNIX personalities
same "-l" -l -p "$pids"
same "-ly" -ly -p "$pids"
same "-F" -F -p "$pids"
same "-j" -j -p "$pids"
same "-ejH" -ejH
same "-ely" -ely
same "-Fe" -Fe
same "-lf" -lf -p "$pids"
same "-T" -T -p "$pids"
same "-O rss" -O rss -p "$pids"
same "--pid --format" --pid "$pids" --format pid,ppid,comm
same "--noheaders" --noheaders -p "$pids"

# --- the other selections: -N, -s, -g, -t, -U, -G, -a, -d
sid=$(sed 's/^.*) //' "/proc/$s1/stat" | cut -d' ' -f4)
is "$sid" "$s1" "the first sleeper leads its own session (SID = its PID)"
same "-N -p (every other process)" -N -p "$s1" -o pid,comm
same "-s SID" -s "$sid" -o pid,comm
same "-g SID" -g "$sid" -o pid,comm
same "-t - (no terminal)" -t - -o pid,comm
same "-U uid" -U "$(id -u)" -o pid,comm
same "-G gid" -G "$(id -g)" -o pid,comm
same "-d" -d -o pid,comm
same "-ax (read as ax, as procps does)" -ax
same "-x (read as x)" -x
# -a: processes on a terminal; our sleepers have the test's (or none)
"$PS" -a -o pid= >"$T_TMP/ps"
"$PV" -a -o pid= >"$T_TMP/pv"
is "$(grep -c -w -e "$s1" -e "$s2" "$T_TMP/pv")" \
	"$(grep -c -w -e "$s1" -e "$s2" "$T_TMP/ps")" "-a: our sleepers as ps"

# --- a process on a terminal. CI's processes have none: without this
# one, -a and -t would compare no rows, and TTY, TPGID and the "+" of a
# foreground process would be compared only as "?", -1 and nothing. The
# pty helper gives sh a terminal (sh leads that session); the sleep sh
# starts has that terminal, is in its foreground group and leads
# nothing, which is what -a selects. Its columns here move with no CPU
# tick (TIME shows whole seconds), so it needs no "untouched".
PTY=$HELPERBIN/pty
if [ -x "$PTY" ]; then
	spawn "$PTY" -t 600 -- sh -c 'sleep 300 & echo $! >"$0"; wait' \
		"$T_TMP/s3" >/dev/null
	wait_for 30 test -s "$T_TMP/s3"
	s3=$(cat "$T_TMP/s3")
	T_PIDS="$T_PIDS $s3"
	ok "the sleeper on a terminal sleeps" wait_for 30 asleep "$s3" sleep
	tty3=$("$PS" -o tty= -p "$s3" | tr -d ' ')
	like "$tty3" '^pts/[0-9]+$' "the sleeper has a terminal ($tty3)"
	MINE=$s3
	o=pid,ppid,pgid,sid,tty,tpgid,stat,comm
	same "-a, the sleeper on a terminal" -a -o "$o"
	fg="^ *$s3 .* S[N<]*+ *sleep\$" # N: niced (make valgrind runs so)
	ok "its STAT has + (foreground) in ps's row and in ours" \
		sh -c 'grep -q "$0" "$1" && grep -q "$0" "$2"' \
		"$fg" "$T_TMP/ps" "$T_TMP/pv"
	same "-t TTY" -t "$tty3" -o "$o"
	same "j of the sleeper on a terminal" j -p "$s3"
	same "-j of the sleeper on a terminal" -j -p "$s3"
	same "-o tname,tt,sess of the sleeper on a terminal" \
		-o pid,tname,tt,sess -p "$s3"
	MINE="$s1 $s2"
else
	skip "a process on a terminal" "helper pty not built"
fi

# --- -C with a name longer than 15 bytes matches the kernel's 15
same "-C $long" -C "$long"

# --- titles and widths of -o
same "-o 'pid=X comm': the title ends at the blank" -o 'pid=X comm' \
	-p "$pids"
same "-o pid=X,comm" -o pid=X,comm -p "$pids"
same "a long title widens its column" \
	-o pid=PROCESS_IDENTIFIER,ppid -p "$pids"
same "a title longer than 15" -o pid=ABCDEFGHIJKLMNOPQRSTUVWXYZ,comm \
	-p "$pids"
same "-o KEY:WIDTH" -o comm:4,pid:10,args -p "$pids"

# --- the width of a line: COLUMNS when piped, --cols, -w
export COLUMNS=40
same "COLUMNS=40 -f, piped" -f -p "$pids"
unset COLUMNS
same "--cols 30 -f" --cols 30 -f -p "$pids"
same "--cols 30 -w -f (132 at least)" --cols 30 -w -f -p "$pids"

# --- a narrow terminal: whole lines wrap, no column is cut in the
# middle (ps lays a line out in a multiple of the width); text is cut
# by cells, never inside a character (a UTF-8 locale, CJK arguments)
if ! [ -x "$PTY" ] || ! [ -x "$HELPERBIN/oddproc" ]; then
	skip "a narrow terminal" "helpers pty and oddproc not built"
else
	# odd_sleeper: a helper with CJK and accented arguments, ready
	odd_sleeper() {
		: >"$T_TMP/w.out"
		spawn "$HELPERBIN/oddproc" wait 120 été 中文中文中文 ééé \
			>"$T_TMP/w.out"
		wait_for 30 grep -q ready "$T_TMP/w.out"
	}
	# its %CPU and C are in the rows compared below: no tick either
	untouched odd_sleeper
	u8=$SPAWNED
	for args in "-f" "u" "-o pid,comm,args" "-o pid,args,comm" "l"; do
		# a ThreadSanitizer helper spends CPU starting up: its %CPU
		# and C move between ps's snapshot and ours
		case "$SAN:$args" in
		thread:-f | thread:u)
			skip "$args on a 40-column terminal: as ps" \
				"a ThreadSanitizer helper's %CPU moves between snapshots"
			continue ;;
		esac
		# shellcheck disable=SC2086
		a=$(LC_ALL=C.UTF-8 "$PTY" -w 40 -- env -u COLUMNS "$PS" $args \
			-p "$s1,$u8" | tr -d '\r')
		# shellcheck disable=SC2086
		b=$(LC_ALL=C.UTF-8 "$PTY" -w 40 -- env -u COLUMNS "$PV" $args \
			-p "$s1,$u8" | tr -d '\r')
		is "$b" "$a" "$args on a 40-column terminal: as ps"
	done
fi

# --- errors: the letter is named, usage status 2
exits 2 "a BSD letter of ps's left out (e)" "$PV" aue
like "$ERR" "BSD option 'e' in 'aue' is not supported" "... is called not supported"
exits 2 "a letter ps does not read (N)" "$PV" auN
like "$ERR" "unknown BSD option 'N' in 'auN'" "... is called unknown, and named"

# Every letter, as the ps on this machine reads it: a letter ps refuses
# ("unsupported option", or "not supported" for its obsolete W) must be
# "unknown" to procview; one ps reads must be ours or "not supported".
# (A word of one letter: k, o and p then lack their value, and t, T and
# U select a terminal or users; only the kind of answer is compared.)
kind() { # kind OUTPUT: unknown, left out, or read
	case $1 in
	*"unknown BSD option"* | *"unsupported option"* | *"W option not"*)
		echo unknown ;;
	*"is not supported"*) echo left out ;;
	*) echo read ;;
	esac
}
odd=
for l in A B C D E F G H I J K L M N O P Q R S T U V W X Y Z \
	a b c d e f g h i j k l m n o p q r s t u v w x y z; do
	k_ps=$(kind "$("$PS" "$l" 2>&1 >/dev/null)")
	k_pv=$(kind "$("$PV" "$l" 2>&1 >/dev/null)")
	case "$k_ps:$k_pv" in
	unknown:unknown | read:read | "read:left out") ;;
	*) odd="$odd $l(ps $k_ps, procview $k_pv)" ;;
	esac
done
is "$odd" "" "every letter A-Z a-z: unknown to procview exactly when ps does not read it"
for v in --tree "--watch 1"; do
	# shellcheck disable=SC2086
	exits 2 "--explain with $v: no table to explain" "$PV" --explain $v
	like "$ERR" "not for ${v% *}" "... says why"
done
exits 2 "an unknown letter in a dash cluster" "$PV" -eZ
like "$ERR" "'-Z'" "the unknown letter is named ('-Z')"
exits 2 "u with l is a conflict" "$PV" ul
exits 2 "-y without -l" "$PV" -y

done_testing
