#!/bin/sh
# memlayout_width.sh: every text view of memlayout fits an 80-column
# terminal (issue 12 section 3), and -w/--wide gives the full table back.
# Each view runs on a pseudo-terminal 80 columns wide (helper pty: the
# program asks the kernel, TIOCGWINSZ) and through a pipe with
# COLUMNS=80, from a copy of memlayout in a directory whose long name is
# Korean (two cells a character), in a UTF-8 locale: widths are counted
# in cells by wc -L, not in bytes. What the narrow views still say is
# compared with /proc/PID/maps, read here.
. "${0%/*}/../lib.sh"

PTY=${HELPERBIN:-}/pty
MM=${HELPERBIN:-}/manymaps
ML=$BIN/memlayout
if [ ! -x "$PTY" ] || [ ! -x "$MM" ]; then
	skip "memlayout on 80 columns" "helpers pty and manymaps not built"
	done_testing
	exit
fi
utf8=$(locale -a 2>/dev/null | grep -i -m 1 -E '^c\.utf-?8$')
[ -n "$utf8" ] || utf8=$(locale -a 2>/dev/null | grep -i -m 1 'utf-\?8$')
[ -n "$utf8" ] || utf8=C # then the copy's name is shown as '?'s
export NO_COLOR=1        # colour escapes are not text: keep them out
ESC=$(printf '\033')
CR=$(printf '\r')

# A copy of memlayout at a long path: 2 x 6 x "주소공간" (48 cells each).
k=$(printf '주소공간%.0s' 1 2 3 4 5 6)
d=$T_TMP/$k/$k
mkdir -p "$d" && cp "$ML" "$d/memlayout" && ML=$d/memlayout

# cells FILE: the widest line of FILE in terminal cells
cells() {
	LC_ALL=$utf8 wc -L <"$1" | tr -d ' '
}

# fits FILE WHAT: FILE has text and no line wider than 80 cells
fits() {
	if [ ! -s "$1" ]; then
		t_result 1 "$2: fits 80 columns (no output)"
		return
	fi
	f_w=$(cells "$1")
	if [ "$f_w" -le 80 ]; then
		t_result 0 "$2: no line wider than 80 cells"
	else
		t_result 1 "$2: no line wider than 80 cells (widest: $f_w)"
		LC_ALL=$utf8 awk 'length($0) > 80' "$1" | head -n 3 | sed 's/^/#   /'
	fi
}

# on_tty OUT WHAT ARGS...: memlayout ARGS on an 80-column terminal
# (COLUMNS unset: the kernel's width is the one asked); text in OUT.
on_tty() {
	o_out=$1 o_what=$2
	shift 2
	LC_ALL=$utf8 "$PTY" -w 80 -t 60 -- env -u COLUMNS "$ML" "$@" \
		>"$o_out.raw" 2>&1
	is "$?" 0 "$o_what on a terminal: exit 0"
	# the terminal's line ends (CR LF) are not the program's
	sed "s/$CR\$//; s/$ESC\[[0-9;]*m//g" "$o_out.raw" >"$o_out"
	fits "$o_out" "$o_what on an 80-column terminal"
}

# piped OUT WHAT ARGS...: memlayout ARGS into a pipe with COLUMNS=80
piped() {
	o_out=$1 o_what=$2
	shift 2
	COLUMNS=80 LC_ALL=$utf8 "$ML" "$@" </dev/null 2>&1 | cat >"$o_out"
	fits "$o_out" "$o_what, piped, COLUMNS=80"
}

# ---- the default table and its diagram
on_tty "$T_TMP/self" "table and diagram"
like "$(cat "$T_TMP/self")" '^NAME +WHAT +ADDRESS +SEGMENT +MAP$' \
	"narrow table: a MAP column instead of the maps line"
like "$(cat "$T_TMP/self")" 'high addresses on top' "the diagram is drawn"
like "$(cat "$T_TMP/self")" '^ +\|.*\| +<- ' "diagram labels are shown"
on_tty "$T_TMP/selfn" "table only (-n)" -n
piped "$T_TMP/selfp" "table and diagram"
piped "$T_TMP/selfpn" "table only (-n)" -n
# every name of the table is still on the diagram, however it wraps
for n in main heap_small local_level3 thread_local argv0; do
	like "$(cat "$T_TMP/self")" "^ +\|.*\| +<- (.*, )?$n(,|\$)" \
		"diagram still points at $n"
done

# ---- the narrow table, held open (--wait) and checked against
# /proc/PID/maps: every numbered mapping is a real maps line, and every
# object's address lies in the mapping its MAP number names
rm -f "$T_TMP/fifo"
mkfifo "$T_TMP/fifo"
exec 3<>"$T_TMP/fifo"
spawn env COLUMNS=80 LC_ALL="$utf8" sh -c 'exec "$0" -n --wait <&3' "$ML" \
	>"$T_TMP/held" 2>"$T_TMP/held.err"
h=$SPAWNED
if wait_for 30 has_line "$T_TMP/held.err" 'is waiting'; then
	cat "/proc/$h/maps" >"$T_TMP/held.maps"
fi
echo >&3
wait_exit "$h" 30
is "$?" 0 "memlayout -n --wait at COLUMNS=80: exit 0"
exec 3>&-
fits "$T_TMP/held" "held table"
# "  N START-END PERMS PATH" lines of the list, as "N START END PERMS"
sed -n '/^mappings/,/^$/s/^ *\([0-9][0-9]*\) \([0-9a-f]*\)-\([0-9a-f]*\) \([-rwxps]*\) .*/\1 \2 \3 \4/p' \
	"$T_TMP/held" >"$T_TMP/refs"
ok "the narrow table lists its mappings" test -s "$T_TMP/refs"
bad=$(awk '{ print $2 "-" $3, $4 }' "$T_TMP/refs" |
	while read -r r p; do
		grep -q "^$r $p " "$T_TMP/held.maps" || echo "$r $p"
	done)
is "$bad" "" "each listed mapping is a line of /proc/PID/maps"
# "NAME ... 0xADDR SEGMENT... N" rows: ADDR within mapping N's range
bad=$(awk 'NR == FNR { lo[$1] = $2; hi[$1] = $3; next }
	/^NAME /, /^$/ {
		if ($1 == "NAME" || NF < 3) next
		for (i = 2; i <= NF; i++) if ($i ~ /^0x[0-9a-f]+$/) a = substr($i, 3)
		n = $NF
		if (!(n in lo)) { print $1 " has no mapping " n; next }
		# compare as fixed-width hex strings: awk numbers lose bits
		a = sprintf("%16s", a); l = sprintf("%16s", lo[n]); h = sprintf("%16s", hi[n])
		gsub(/ /, "0", a); gsub(/ /, "0", l); gsub(/ /, "0", h)
		if (a < l || a >= h) print $1 " " a " not in " l "-" h
	}' "$T_TMP/refs" "$T_TMP/held")
is "$bad" "" "each object lies in the mapping its MAP number names"

# ---- -w / --wide: the full table whatever the width
on_tty_wide() {
	LC_ALL=$utf8 "$PTY" -w 80 -t 60 -- env -u COLUMNS "$ML" "$@" |
		sed "s/$CR\$//" >"$T_TMP/wide"
}
on_tty_wide -w -n
like "$(cat "$T_TMP/wide")" '^NAME +WHAT +ADDRESS +SEGMENT +MAPPING \(/proc/self/maps line\)$' \
	"-w on 80 columns: the full table, with the MAPPING column"
like "$(cat "$T_TMP/wide")" '^main .* r-xp .*/memlayout$' \
	"-w: the whole path of the program is on main's row"
ok "-w: lines wider than 80 cells" test "$(cells "$T_TMP/wide")" -gt 80
on_tty_wide --wide -n
like "$(cat "$T_TMP/wide")" 'MAPPING \(/proc/self/maps line\)' "--wide: the same"
# a wide COLUMNS gives the full table too (it fits there)
COLUMNS=400 "$ML" -n >"$T_TMP/c400"
like "$(cat "$T_TMP/c400")" 'MAPPING \(/proc/self/maps line\)' \
	"COLUMNS=400: the full table"
# a pipe with no COLUMNS is never shortened, as in ps
env -u COLUMNS "$ML" -n | cat >"$T_TMP/nocol"
like "$(cat "$T_TMP/nocol")" 'MAPPING \(/proc/self/maps line\)' \
	"piped without COLUMNS: the full table"

# ---- --pid of a process with a 4000-character path among its maps
mkdir -p "$T_TMP/mm"
spawn "$MM" "$T_TMP/mm" 10 >"$T_TMP/mm.out"
p=$SPAWNED
if wait_for 30 has_line "$T_TMP/mm.out" '^ready'; then
	on_tty "$T_TMP/pid" "--pid" --pid "$p"
	on_tty "$T_TMP/pidr" "--pid --rss" --pid "$p" --rss
	piped "$T_TMP/pidp" "--pid" --pid "$p"
	piped "$T_TMP/pidrp" "--pid --rss" --pid "$p" --rss
	# the maps lines as "START END", leading zeros gone
	awk '{ split($1, r, "-"); print r[1], r[2] }' "/proc/$p/maps" |
		sed 's/^0*\([0-9a-f]\)/\1/; s/ 0*\([0-9a-f]\)/ \1/' >"$T_TMP/real"
	# ours: rows start with two hex addresses
	rows() {
		grep -E '^[0-9a-f]+ [0-9a-f]+ ' "$1" | awk '{ print $1, $2 }' |
			sed 's/^0*\([0-9a-f]\)/\1/; s/ 0*\([0-9a-f]\)/ \1/'
	}
	is "$(rows "$T_TMP/pid")" "$(cat "$T_TMP/real")" \
		"--pid on 80 columns: START and END of every maps line"
	is "$(rows "$T_TMP/pidr")" "$(cat "$T_TMP/real")" \
		"--pid --rss on 80 columns: START and END of every maps line"
	like "$(cat "$T_TMP/pid")" '^[0-9a-f]+ [0-9a-f]+ .* \.\.\.d+/long$' \
		"--pid on 80 columns: the long path keeps its right end"
	LC_ALL=$utf8 "$PTY" -w 80 -t 60 -- env -u COLUMNS "$BIN/memlayout" \
		-w --pid "$p" | sed "s/$CR\$//" >"$T_TMP/pidw"
	is "$(grep -cE '^[0-9a-f]{16} [0-9a-f]{16} ' "$T_TMP/pidw")" \
		"$(wc -l <"/proc/$p/maps" | tr -d ' ')" \
		"--pid -w: 16-digit START and END on every row"
	is "$(rows "$T_TMP/pidw")" "$(cat "$T_TMP/real")" \
		"--pid -w: the address columns are those of /proc/PID/maps"
	long=$(sed -n 's/^ready //p' "$T_TMP/mm.out")
	ok "--pid -w: the 4000-character path is whole" \
		grep -qF -- "$long" "$T_TMP/pidw"
else
	skip "--pid views" "manymaps did not start"
fi

# ---- every demo
for dm in stack heap overflow code-write cow threads leak aslr; do
	on_tty "$T_TMP/demo" "demo $dm" demo "$dm"
	piped "$T_TMP/demop" "demo $dm" demo "$dm"
done

done_testing
