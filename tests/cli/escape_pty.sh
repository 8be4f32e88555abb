#!/bin/sh
# escape_pty.sh: text the toolkit did not write never reaches a terminal
# raw. Processes, files and a server with hostile names and replies (ESC
# sequences, C1 controls, U+2028, bidirectional overrides, DEL, every C0
# control, a NUL); every view of every tool runs on a pseudo-terminal
# (helper pty: the exact bytes the terminal got), in a UTF-8 locale and
# in the C locale, and no ESC (0x1b) and no 0x9b (CSI) byte may arrive.
# procview's comm and args are compared with procps ps, the reference
# for the controls (issue 16).
. "${0%/*}/../lib.sh"

PTY=${HELPERBIN:-}/pty
ROGUE=${HELPERBIN:-}/rogue
PV=$BIN/procview
if [ ! -x "$PTY" ] || [ ! -x "$ROGUE" ]; then
	skip "escaping on a terminal" "helpers pty and rogue not built"
	done_testing
	exit
fi
utf8=$(locale -a 2>/dev/null | grep -i -m 1 -E '^c\.utf-?8$')
[ -n "$utf8" ] || utf8=$(locale -a 2>/dev/null | grep -i -m 1 'utf-\?8$')
have_ps=0
ps -o pid= -p $$ >/dev/null 2>&1 && have_ps=1
export NO_COLOR=1 # colour is the toolkit's own escape: not asked here
ESC=$(printf '\033')
CSI=$(printf '\233')

# clean FILE WHAT: no ESC and no 0x9b byte in what the terminal got
clean() {
	if LC_ALL=C grep -q "[$ESC$CSI]" "$1" 2>/dev/null; then
		t_result 1 "$2: no ESC or 0x9b byte on the terminal"
		LC_ALL=C od -c "$1" | grep -m 3 -E '033|233' | sed 's/^/#   /'
	else
		t_result 0 "$2: no ESC or 0x9b byte on the terminal"
	fi
}

# on LOCALE FILE WHAT CMD...: run CMD on a terminal, check what it got.
# The toolkit's own escapes go first: netlab bench's progress line
# ("CR ESC[K"), --watch's screen clear ("ESC[H ESC[2J"), its alternate
# screen ("ESC[?1049h/l") and cursor ("ESC[?25l/h"); NO_COLOR keeps out
# colour. Anything else from the processes, files or server would stay.
on() {
	o_loc=$1
	o_out=$2
	o_what=$3
	shift 3
	LC_ALL=$o_loc NO_COLOR=1 "$PTY" -w 80 -t 30 -- "$@" >"$o_out.raw" 2>&1
	[ $? = 124 ] && echo "#   timed out: $*"
	sed "s/${ESC}\[K//g; s/${ESC}\[H${ESC}\[2J//g;
		s/${ESC}\[?1049[hl]//g; s/${ESC}\[?25[hl]//g" \
		"$o_out.raw" >"$o_out"
	clean "$o_out" "$o_what ($o_loc)"
}

# ---- hostile processes: the names are the file names of links to sh
# (comm is the link's name, cut to 15 bytes), and the arguments
d=$T_TMP/names
mkdir -p "$d"
n1=$(printf '\302\033[2J')                   # a lead byte, then ESC
n2=$(printf 'c1\302\233x\302\235y')          # C1: CSI U+009B, OSC U+009D
n3=$(printf 'ls\342\200\250x\342\200\251')   # U+2028, U+2029
n4=$(printf 'bidi\342\200\256x\342\201\246') # U+202E, U+2066
n5=$(printf 'del\177x')                      # DEL
n6=$(printf '\001\002\003\004\005\006\007\010\011\012\013\014\015\016\017')
n7=$(printf '\020\021\022\023\024\025\026\027\030\031\032\033\034\035\036')
n8=$(printf '\037\177t\033]0;T\007')         # OSC: retitle the window
pids=""
for n in "$n1" "$n2" "$n3" "$n4" "$n5" "$n6" "$n7" "$n8"; do
	ln -s /bin/sh "$d/$n" || echo "# cannot name a file '$n'"
	spawn "$d/$n" -c 'sleep 60; :' "$n" "x${n}y"
	pids="$pids,$SPAWNED"
done
pids=${pids#,}
# every C0 control but NUL (the separator) in one argument
allc0=$(printf 'a\001\002\003\004\005\006\007\010\011\012\013\014\015')
allc0=$allc0$(printf '\016\017\020\021\022\023\024\025\026\027\030\031\032')
allc0=$allc0$(printf '\033\034\035\036\037\177b')
spawn sh -c 'sleep 60; :' "$allc0" "$(printf '\033[2J\302\233\342\200\256')"
pids="$pids,$SPAWNED"
one=${pids%%,*}
started() { # every hostile one has exec'd its sleep's shell
	for p in $(echo "$pids" | tr ',' ' '); do
		LC_ALL=C grep -q -- '-c' "/proc/$p/cmdline" || return 1
	done
}
wait_for 30 started
ok "the hostile processes run" started

for loc in $utf8 C; do
	on "$loc" "$T_TMP/ef" "procview -ef" "$PV" -ef
	like "$(cat "$T_TMP/ef")" "sleep 60" "procview -ef lists them ($loc)"
	on "$loc" "$T_TMP/o" "procview -o comm,args" "$PV" -o comm,args \
		-p "$pids"
	on "$loc" "$T_TMP/t" "procview --tree" "$PV" --tree=$$
	on "$loc" "$T_TMP/f" "procview --forest" "$PV" --forest \
		-o pid,comm,args -p "$pids"
	on "$loc" "$T_TMP/l" "procview -L" "$PV" -L -p "$pids"
	on "$loc" "$T_TMP/x" "procview --explain" "$PV" -f --explain \
		-p "$pids"
	on "$loc" "$T_TMP/k" "procview kill --dry-run" "$PV" kill \
		--dry-run -s 0 "$one"
	on "$loc" "$T_TMP/kc" "procview kill -C (a hostile name)" "$PV" kill \
		--dry-run -s 0 -C "$n1"
	on "$loc" "$T_TMP/w" "procview --watch" "$PV" --watch 1 --count 1 \
		-o pid,comm,args -p "$pids"
	like "$(cat "$T_TMP/w")" "sleep 60" "--watch shows them ($loc)"
done

# the same bytes as ps for comm and args: DEL, every C0 and C1 control,
# U+2028, invalid UTF-8, in both locales (piped: no width limit). The
# bidirectional overrides are the one difference: ps lets them through.
nobidi=$(echo "$pids" | tr ',' '\n' | sed -n '1,3p;5,8p' | paste -sd, -)
for loc in $utf8 C; do
	if [ $have_ps = 1 ]; then
		is "$(LC_ALL=$loc "$PV" -o comm,args -p "$nobidi" | od -c)" \
			"$(LC_ALL=$loc ps -o comm,args -p "$nobidi" | od -c)" \
			"comm and args: the same bytes as ps ($loc)"
	else
		skip "comm and args as ps ($loc)" "procps ps not installed"
	fi
done
bidi=$(echo "$pids" | cut -d, -f4)
if [ -n "$utf8" ]; then
	is "$(LC_ALL=$utf8 "$PV" -o comm= -p "$bidi")" "bidi?x?" \
		"the bidirectional overrides become '?' (UTF-8)"
	is "$(LC_ALL=$utf8 "$PV" -o args= -p "$one")" \
		"$d/??[2J -c sleep 60; : ??[2J x??[2Jy" \
		"ps's own rule for a lead byte and ESC: ??[2J"
	allq=$(LC_ALL=$utf8 "$PV" -o args= -p "$(echo "$pids" | cut -d, -f9)")
	is "$allq" "sh -c sleep 60; : a????????? ??????????????????????b ?[2J??" \
		"every C0 control and DEL: one '?' each (newline: a space)"
fi
is "$(LC_ALL=C "$PV" -o comm= -p "$one")" "?.[2J" \
	"C locale: a control is '.', a byte >= 0x80 '?' (as ps)"
# JSON keeps the exact bytes, escaped as JSON
LC_ALL=C "$PV" --json -o comm -p "$one" >"$T_TMP/j"
like "$(cat "$T_TMP/j")" '"\\ufffd\\u001b\[2J"' \
	"--json: ESC as \\u001b (the lone lead byte, not UTF-8: U+FFFD)"

# ---- memlayout --pid: a program and a mapped file with hostile names
evil=$(printf '\033]0;TITLE\007\033[2J')
m=$T_TMP/maps
mkdir -p "$m"
cp "$ROGUE" "$m/$evil" && head -c 4096 /dev/zero >"$m/f$evil" &&
	spawn "$m/$evil" map "$m/f$evil" 60 >"$T_TMP/mapped"
mp=$SPAWNED
wait_for 30 has_line "$T_TMP/mapped" '^ready$'
for loc in $utf8 C; do
	on "$loc" "$T_TMP/m" "memlayout --pid" "$BIN/memlayout" --pid "$mp"
	like "$(cat "$T_TMP/m")" "TITLE..?\[2J" "the paths are shown escaped ($loc)"
	on "$loc" "$T_TMP/md" "memlayout --pid --rss" "$BIN/memlayout" \
		--pid "$mp" --rss
done
# memlayout's own table and diagram, run from a hostile path
cp "$BIN/memlayout" "$m/m$evil" &&
	on C "$T_TMP/ms" "memlayout (self table, diagram)" "$m/m$evil"
like "$(cat "$T_TMP/ms")" "TITLE" "its own path is shown, escaped"

# ---- a server whose reply is an attack: ESC sequences, C1, a NUL
spawn "$ROGUE" serve 'A\x1b[2J\xc2\x9bB\0C\xc2\x9dD\x1b]0;T\x07\n' 60 \
	>"$T_TMP/srv"
wait_for 10 has_line "$T_TMP/srv" '^port '
port=$(sed -n 's/^port //p' "$T_TMP/srv")
for loc in $utf8 C; do
	on "$loc" "$T_TMP/c" "netlab client" "$BIN/netlab" client -n 2 \
		--delay 0 127.0.0.1 "$port"
	like "$(cat "$T_TMP/c")" "unexpected reply 'A.\[2J.{1,2}B.C.{1,2}D.\]0;T.'" \
		"client: the reply escaped, the NUL shown, not an end ($loc)"
	on "$loc" "$T_TMP/tc" "thread_cli" "$BIN/thread_cli" -n 1 \
		127.0.0.1 "$port"
	like "$(cat "$T_TMP/tc")" "got 'A.\[2J.{1,2}B.C.{1,2}D.\]0;T.'" \
		"thread_cli: the reply escaped, the NUL shown ($loc)"
	on "$loc" "$T_TMP/bi" "netlab bench --idle" "$BIN/netlab" bench \
		--idle 2 127.0.0.1 "$port"
	like "$(cat "$T_TMP/bi")" "first answer: 'A.\[2J.{1,2}B.C" \
		"bench --idle: the answer escaped, past the NUL ($loc)"
	on "$loc" "$T_TMP/bl" "netlab bench" "$BIN/netlab" bench -n 3 -c 1 \
		127.0.0.1 "$port"
	like "$(cat "$T_TMP/bl")" "first wrong reply: 'A.\[2J.{1,2}B.C" \
		"bench: the wrong reply escaped the same way ($loc)"
done
"$BIN/netlab" bench --json -n 1 -c 1 127.0.0.1 "$port" >"$T_TMP/bj"
like "$(cat "$T_TMP/bj")" '"first_wrong_reply":"A\\u001b\[2J\\u009bB\\u0000C' \
	"bench --json: the exact bytes, JSON-escaped"

done_testing
