#!/bin/sh
# procview_top.sh: --watch on a terminal, driven by keys as a student
# would (tests/helpers/pty types them once the screen shows a text):
# sorting, filter, resize, the signal key with its confirmation and
# kill's safety rules, colour, and the terminal put back on every exit.
. "${0%/*}/../lib.sh"

PV=$BIN/procview
PTY=$HELPERBIN/pty
if [ ! -x "$PTY" ]; then
	skip "--watch on a terminal" "helper pty not built"
	done_testing
	exit
fi
ESC=$(printf '\033')

started() {
	wait_for 30 sh -c "[ \"\$(cat /proc/$SPAWNED/comm)\" = '$1' ]"
}

# last_raw FILE: the text of the last screen (after the last clear),
# escapes removed, one line per row
last_raw() {
	tr -d '\r' <"$1" | awk -v e="$ESC" '
		{ n = split($0, part, e "\\[H" e "\\[2J")
		  if (n > 1) { text = ""; $0 = part[n] }
		  text = text $0 "\n" }
		END { printf "%s", text }' |
		sed "s/${ESC}\[[0-9;?]*[a-zA-Z]//g"
}

# last_frame FILE: the same, the selection's '>' (NO_COLOR: a column of
# its own, left of the table) turned back to a blank
last_frame() {
	last_raw "$1" | sed 's/^>/ /'
}

# top OUT ARGS...: run procview --watch on a 100x30 terminal with the
# pty steps in $STEPS (one -s each); status in $RC
top() {
	t_out=$1
	shift
	# shellcheck disable=SC2086
	NO_COLOR=${NOCOL-1} "$PTY" -w 100 -l 30 -t 30 $STEPS -- \
		"$PV" --watch 0.3 "$@" >"$t_out" 2>&1
	RC=$?
}

# --- sort keys, against the processes' own numbers in /proc
cp "$(command -v sleep)" "$T_TMP/pvtop$$"
spawn "$T_TMP/pvtop$$" 600
small=$SPAWNED
started "pvtop$$"
# a shell holds a 40 MB string while it waits on a sleep
# (a read of a FIFO no one writes: no child to leave behind)
mkfifo "$T_TMP/never"
spawn sh -c 'x=$(head -c 40000000 /dev/zero | tr "\0" x); read y <"$0"' \
	"$T_TMP/never"
big=$SPAWNED
wait_for 30 sh -c "[ \$(awk '/^VmRSS/ { print \$2 }' /proc/$big/status) \
	-gt 30000 ]"
STEPS="-s quit=M -s memory=q"
top "$T_TMP/m" -p "$small,$big"
is "$RC" 0 "M then q: exit status 0"
last_frame "$T_TMP/m" >"$T_TMP/m.txt"
like "$(cat "$T_TMP/m.txt")" "sort memory" "M: the header says sort memory"
first=$(awk '$1 ~ /^[0-9]+$/ { print $1; exit }' "$T_TMP/m.txt")
is "$first" "$big" "M: the larger VmRSS (/proc/PID/status) comes first"
STEPS="-s quit=N -s PID=q"
top "$T_TMP/n" -p "$small,$big"
order=$(last_frame "$T_TMP/n" | awk '$1 ~ /^[0-9]+$/ { print $1 }' | tr '\n' ' ')
want=$(printf '%s\n' "$small" "$big" | sort -n | tr '\n' ' ')
is "$order" "$want" "N: rows by PID, ascending"
# NO_COLOR: the selection is a '>' in a column of its own, on exactly
# one row, whatever the PID's width; every table line has that column
is "$(last_raw "$T_TMP/n" | grep -c '^>')" 1 "NO_COLOR: one row marked '>'"
is "$(last_raw "$T_TMP/n" | grep -c '^> *[0-9]')" 1 "... and it is a process row"
is "$(last_raw "$T_TMP/n" | awk '/^[ >] *[0-9]+ / { n++ } END { print n + 0 }')" 2 \
	"NO_COLOR: both process rows have the mark column"

# --- filter by name: only the matching process is left
STEPS="-s quit=/ -s user=pvtop$$\r -s Matching=q"
top "$T_TMP/f"
rows=$(last_frame "$T_TMP/f" | awk '$1 ~ /^[0-9]+$/ { print $1 }' | tr '\n' ' ')
is "$rows" "$small " "/ NAME: only the process named pvtop$$"
like "$(last_frame "$T_TMP/f")" "Matching: 1," "the header counts 1 match"

# --- V: the tree view, children right under their parent. The helper
# "procs names" forks two children that rename themselves; who is whose
# parent is read from /proc/PID/stat (field 4), not from our output.
"$HELPERBIN/procs" names "pvkidA$$" "pvkidB$$" >"$T_TMP/kids" &
parent=$!
T_PIDS="$T_PIDS $parent"
wait_for 30 grep -q ready "$T_TMP/kids"
kids=$(grep -v ready "$T_TMP/kids" | tr '\n' ' ')
pp=""
for k in $kids; do
	pp="$pp$(sed 's/.*) //' "/proc/$k/stat" | cut -d' ' -f2) "
done
is "$pp" "$parent $parent " "the helper's two children have it as parent (stat)"
# each step waits for text only the new view draws ("tree" is on every
# frame's key line): the branch mark \_ of the tree, then the flat
# list's "sort %CPU"
STEPS="-s quit=V -s \_=q"
top "$T_TMP/v" -o pid,args -p "$parent,$(echo $kids | tr ' ' ,)"
last_frame "$T_TMP/v" >"$T_TMP/v.txt"
like "$(cat "$T_TMP/v.txt")" "sort tree" "V: the header says sort tree"
rows=$(awk '$1 ~ /^[0-9]+$/ { print $1 }' "$T_TMP/v.txt" | tr '\n' ' ')
is "${rows%% *}" "$parent" "V: the parent comes first"
for k in $kids; do
	like "$(cat "$T_TMP/v.txt")" "^ *$k +\\\\_ .*pvkid" \
		"V: child $k is drawn under its parent (\\_)"
done
unlike "$(grep "^ *$parent " "$T_TMP/v.txt")" '\\_' \
	"V: the parent itself is not indented"
STEPS="-s quit=V -s \_=V -s %CPU=q"
top "$T_TMP/v2" -o pid,args -p "$parent,$(echo $kids | tr ' ' ,)"
unlike "$(last_frame "$T_TMP/v2")" '\\_' "V twice: back to the flat list"
like "$(last_frame "$T_TMP/v2")" "V tree" "the key line names V"

# --- on a terminal, status and cmdline are read for the rows on the
# screen only, stat for every process (strace, an independent witness,
# counts the opens). 12 lines: 4 of header, the titles, an empty last
# line: 6 rows a frame; the first sample and 2 frames are drawn.
in_range() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
if command -v strace >/dev/null 2>&1; then
	i=0
	while [ "$i" -lt 30 ]; do
		spawn sleep 600
		i=$((i + 1))
	done
	STEPS=""
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		"$PTY" -w 80 -l 12 -t 60 -- strace -f -e trace=openat \
		-o "$T_TMP/st" "$PV" --watch 0.2 --count 2 >/dev/null 2>&1
	n=$(grep -c '^[0-9]* *openat(.*"stat"' "$T_TMP/st")
	c=$(grep -c '^[0-9]* *openat(.*"cmdline"' "$T_TMP/st")
	s=$(grep -c '^[0-9]* *openat(.*"status"' "$T_TMP/st")
	ok "stat of every process each sample ($n opens)" [ "$n" -ge 90 ]
	ok "cmdline only for the rows on screen ($c opens for 2 x 6 rows)" \
		in_range "$c" 1 18
	ok "status only for the rows on screen ($s opens)" in_range "$s" 1 18
else
	skip "what a frame reads" "strace is not installed"
fi

# --- resize: the next screen fits the new size
STEPS="-s quit=@60x12 -s Tasks=q"
top "$T_TMP/r"
last_frame "$T_TMP/r" >"$T_TMP/r.txt"
wide=$(awk 'length($0) > 60' "$T_TMP/r.txt" | head -n 1)
is "$wide" "" "after a resize to 60x12 no line is wider than 60"
lines=$(wc -l <"$T_TMP/r.txt")
ok "after a resize to 60x12 at most 12 lines ($lines)" [ "$lines" -le 12 ]

# --- the terminal is put back on every way out
for how in "q" "\x03" "@TERM"; do
	STEPS="-s quit=$how"
	top "$T_TMP/x" -p "$small"
	is "$RC" 0 "leaving by '$how': exit status 0"
	like "$(tail -c 40 "$T_TMP/x" | od -An -c | tr -d ' \n')" \
		'033\[\?25h033\[\?1049l' \
		"leaving by '$how': cursor shown, main screen back"
done

# --- colour: only on a terminal, never with NO_COLOR
STEPS="-s quit=q"
NOCOL="" top "$T_TMP/c" -p "$small"
ok "colour on a terminal without NO_COLOR" grep -q "${ESC}\[1m" "$T_TMP/c"
NOCOL=1 top "$T_TMP/c" -p "$small"
ok "no colour with NO_COLOR" sh -c "! grep -q '${ESC}\[1m' '$T_TMP/c'"
NO_COLOR='' "$PV" --watch 0.2 --count 2 -p "$small" >"$T_TMP/p"
ok "piped: no escape at all" sh -c "! grep -q '$ESC' '$T_TMP/p'"
like "$(cat "$T_TMP/p")" "%CPU over" "piped: the plain frames as before"

# --- the signal key: a confirmation; n sends nothing, y sends
STEPS="-s quit=k -s Esc)=KILL\r -s y/N=n -s sent=q"
top "$T_TMP/k" -p "$small"
like "$(last_frame "$T_TMP/k")" "nothing sent" "k, KILL, n: nothing sent"
ok "k, KILL, n: the process lives" kill -0 "$small"
STEPS="-s quit=k -s Esc)=\r -s y/N=y -s sent=q"
top "$T_TMP/k" -p "$small"
like "$(last_frame "$T_TMP/k")" "sent SIGTERM to pid $small" "k, Enter, y: sent"
wait_exit "$small" 10
is "$?" 143 "k, Enter, y: the process ended with SIGTERM"

# --- kill's safety rules hold here too: pid 1 is refused. Only in a
# private PID namespace, where pid 1 is in_pidns's own sh.
why=$(pidns_why)
if [ -z "$why" ]; then
	STEPS="-s quit=k -s Esc)=\r -s y/N=y -s init=q"
	in_pidns "$PTY" -w 100 -l 30 -t 30 $STEPS -- "$PV" --watch 0.3 \
		-p 1 >"$T_TMP/k1" 2>&1
	like "$(last_frame "$T_TMP/k1")" "refused: pid 1 is init" \
		"k on pid 1: refused, as procview kill does"
else
	skip "k on pid 1 is refused" "$why; never outside a PID namespace"
fi

done_testing
