#!/bin/sh
# procview_views.sh: tree, forest, threads, live view, JSON, --explain,
# sorting, selection, and every kind of bad usage.
. "${0%/*}/../lib.sh"

PV=$BIN/procview
PS=/usr/bin/ps

child_of() { # PID: its children, from stat field 4 after the last ')'
	cat /proc/[0-9]*/stat 2>/dev/null |
		sed -n 's/^\([0-9]*\) .*) [A-Za-z] \([0-9]*\) .*/\1 \2/p' |
		awk -v p="$1" '$2 == p { print $1 }'
}

# ps adds N to the state of a niced process (make valgrind often runs
# under nice), < to one with a raised priority: what ours will show
nflag=$(awk '{ sub(/^.*\) /, ""); n = $17 }
	END { print (n > 0 ? "N" : n < 0 ? "<" : "") }' /proc/$$/stat)

# a parent shell with one child, for the tree views
spawn sh -c 'sleep 60; :'
par=$SPAWNED
wait_for 30 sh -c "cat /proc/[0-9]*/stat 2>/dev/null | grep -q ') [A-Za-z] $par '"
kid=$(child_of "$par")
T_PIDS="$kid $T_PIDS"
# the child is a copy of sh until it has exec'd sleep
wait_for 30 grep -qx sleep "/proc/$kid/comm"

# --- help, version
exits 0 "--help" "$PV" --help
like "$OUT" "^usage: procview \[-e\|-A\]" "usage line"
like "$OUT" "procview kill \[-s SIG" "kill usage"
exits 0 "--version" "$PV" --version
like "$OUT" "^procview [0-9]+\.[0-9]+" "version"

# --- tree
exits 0 "--tree=PID" env LC_ALL=C "$PV" --tree="$par"
is "$OUT" "sh($par)
\`- sleep($kid)" "ASCII tree of a shell and its child"
exits 0 "--tree (all)" "$PV" --tree
like "$OUT" "sleep\($kid\)" "whole tree includes the child"
exits 1 "--tree of a missing pid" "$PV" --tree=2147483000
like "$ERR" "no process 2147483000" "says which"
exits 0 "--tree --json" "$PV" --tree="$par" --json
like "$OUT" "^\{\"view\":\"tree\",\"roots\":\[\{\"pid\":$par,.*\"children\":\[\{\"pid\":$kid," \
	"JSON tree nests the child"
like "$OUT" "\"args\":\"sh -c sleep 60; :\"" "JSON tree has the command line"

# --- forest and -H, the same as ps where ps is present
exits 0 "--forest" "$PV" --forest -o pid,args -p "$par,$kid"
like "$OUT" "^ *$kid  \\\\_ sleep 60$" "child drawn with \\_"
if [ -x "$PS" ]; then
	is "$OUT" "$("$PS" --forest -o pid,args -p "$par,$kid")" \
		"--forest as ps --forest"
	exits 0 "-H" "$PV" -H -o pid,ppid,comm -p "$par,$kid"
	is "$OUT" "$("$PS" -H -o pid,ppid,comm -p "$par,$kid")" "-H as ps -H"
else
	skip "--forest as ps" "ps not installed"
	skip "-H" "ps not installed"
	skip "-H as ps" "ps not installed"
fi

# --- threads: one row per task, on a process of ours whose threads
# do not come and go (PID 1 may start one between two reads): oddproc
# nomain keeps its ended main thread and one more (and ThreadSanitizer
# adds its own)
if [ -x "$HELPERBIN/oddproc" ]; then
	: >"$T_TMP/t.out"
	spawn "$HELPERBIN/oddproc" nomain 120 >"$T_TMP/t.out"
	wait_for 30 grep -q ready "$T_TMP/t.out"
	mt=$SPAWNED
	n=$(ls "/proc/$mt/task" | wc -l)
	ok "the helper has at least two tasks ($n)" [ "$n" -ge 2 ]
	exits 0 "-L -p PID" "$PV" -L -p "$mt" --no-headers
	is "$(echo "$OUT" | wc -l)" "$n" "one row per thread"
	exits 0 "-L with nlwp" "$PV" -L -o pid,lwp,nlwp -p "$mt" --no-headers
	is "$(echo "$OUT" | awk '{ print $3 }' | sort -u)" "$n" \
		"NLWP on each row"
	is "$(echo "$OUT" | awk '{ print $2 }' | sort -n | tr '\n' ' ')" \
		"$(ls "/proc/$mt/task" | sort -n | tr '\n' ' ')" \
		"LWP: the ids in /proc/PID/task"
else
	skip "-L" "helper oddproc not built"
fi

# --- live view, piped: plain frames, no escape codes
spawn sh -c 'while :; do :; done'
busy=$SPAWNED
exits 0 "--watch 0.3 --count 2" "$PV" --watch 0.3 --count 2 -p "$busy,$par"
is "$(echo "$OUT" | grep -c '^procview [0-9][0-9]:')" 2 "two frames"
unlike "$OUT" "$(printf '\033')" "no escape codes when piped"
like "$OUT" "%CPU" "has a %CPU column"
cpu=$(echo "$OUT" | awk -v p="$busy" '$1 == p { v = $7 } END { print int(v) }')
ok "a busy loop shows CPU use in the interval ($cpu%)" [ "$cpu" -ge 5 ]
exits 0 "--watch --json" "$PV" --watch 0.2 --count 2 --json -p "$par"
is "$(echo "$OUT" | grep -c '^{"frame":[12],')" 2 "two JSON frames"
kill "$busy"

# --- JSON table
exits 0 "--json" "$PV" --json -o pid,ppid,user,stat,args -p "$par"
like "$OUT" "^\{\"columns\":\[\"pid\",\"ppid\",\"user\",\"stat\",\"args\"\],\"rows\":\[\{\"pid\":$par,\"ppid\":$$,\"user\":\"[^\"]+\",\"stat\":\"S$nflag\",\"args\":\"sh -c sleep 60; :\"\}\]\}$" \
	"JSON row"
if command -v python3 >/dev/null 2>&1; then
	ok "-ef --json is valid JSON" sh -c "\"$PV\" -ef --json | python3 -m json.tool"
	ok "-eL --json is valid JSON" sh -c "\"$PV\" -eLf --json | python3 -m json.tool"
	ok "--tree --json is valid JSON" sh -c "\"$PV\" --tree --json | python3 -m json.tool"
else
	for i in 1 2 3; do skip "JSON validity" "python3 not installed"; done
fi

# --- explain
exits 0 "--explain" "$PV" -f -p "$par" --explain
like "$OUT" "^  C +CPU use, integer: \(utime \+ stime\) \* 100 / elapsed ticks" \
	"C explained"
like "$OUT" "^  PPID +parent's process id: stat field 4" "PPID explained"
exits 0 "--explain with STAT" "$PV" -o pid,stat -p "$par" --explain
like "$OUT" "^  Z  zombie" "state letters explained"
like "$OUT" "^  s  session leader" "modifiers explained"

# The legend fits the width, broken at spaces with its further lines
# under the text's first column (11: "  UID      "). Piped without
# COLUMNS the table is never cut, but its prose still wraps at 80. No
# word is lost: the words are those of a 1000-column legend.
legend() { printf '%s\n' "$1" | sed '1,/^$/d'; }
longest() { awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }'; }
exits 0 "COLUMNS=80 --explain" env COLUMNS=80 "$PV" -f -p "$par" --explain
ok "COLUMNS=80: every line fits" test "$(printf '%s\n' "$OUT" | longest)" -le 80
like "$OUT" "^ {11}[^ ]" "a long explanation goes on under its text"
words80=$(legend "$OUT" | tr -s ' \n' '  ')
exits 0 "--explain piped" "$PV" -f -p "$par" --explain
ok "piped: the legend wraps at 80" test "$(legend "$OUT" | longest)" -le 80
exits 0 "--cols 60 --explain" "$PV" -o pid,stat,user -p "$par" --cols 60 \
	--explain
ok "--cols 60: every line fits" test "$(printf '%s\n' "$OUT" | longest)" -le 60
exits 0 "--cols 1000 --explain" "$PV" -f -p "$par" --cols 1000 --explain
is "$(legend "$OUT" | tr -s ' \n' '  ')" "$words80" "wrapping loses no word"

# --- sort, headers, selection
exits 0 "--sort -pid" "$PV" -e -o pid --sort -pid --no-headers
is "$(echo "$OUT" | sort -rn | tr '\n' ' ')" "$(echo "$OUT" | tr '\n' ' ')" \
	"descending pids"
exits 0 "--sort ppid,-pid" "$PV" -e -o ppid,pid --sort ppid,-pid --no-headers
is "$(echo "$OUT" | sort -k1,1n -k2,2rn | tr '\n' ' ')" \
	"$(echo "$OUT" | tr '\n' ' ')" "two keys"
exits 0 "--ppid" "$PV" --ppid "$par" -o pid=
is "$(echo $OUT)" "$kid" "--ppid selects the child"
exits 0 "-C" "$PV" -C sh -o pid= -p 2147483000
like "$OUT" "^ *$par$" "-C selects by name (and adds to -p)"
exits 0 "default selection has my own processes" "$PV" -o pid=
like "$OUT" "^ *$par$" "default: same user and terminal"
exits 1 "nothing selected: exit 1" "$PV" -p 2147483000
exits 0 "-o with a title" "$PV" -o pid=ID,comm= -p "$par"
# The PID column has as many cells as the largest PID has digits
# (pid_max - 1), and a new PID namespace may have a pid_max of its own.
pm=$(($(cat /proc/sys/kernel/pid_max) - 1))
is "$(echo "$OUT" | head -n 1 | sed 's/ *$//')" "$(printf '%*s' ${#pm} ID)" \
	"the title is used, right-aligned in a PID column of ${#pm} cells"
if [ -x "$PS" ]; then
	is "$OUT" "$("$PS" -o pid=ID,comm= -p "$par")" "-o with a title as ps"
else
	skip "-o with a title as ps" "ps not installed"
fi

# --- bad usage: exit 2 and a message
for args in "-o nosuch" "--sort nosuch" "-p abc" "-p 0" "-p ''" \
	"--watch 0" "--watch abc" "--watch 1 --count 0" "--count 2" \
	"-H --forest" "-u nosuchuser$$" "extra" "--bogus" "--tree=abc" \
	"-o ''" "--sort ''" "-p" "-Z" "--sort" "-H --tree" "--forest --tree" \
	"--json --explain"; do
	eval "set -- $args"
	exits 2 "procview $args" "$PV" "$@"
	# the first line says why, under the short name (not a build path)
	like "$(echo "$ERR" | head -n 1)" "^procview: " \
		"procview $args: says why"
done

done_testing
