#!/bin/sh
# hostile_procview.sh: procview under hostile conditions, compared with
# /proc itself and (where installed) procps ps on the same processes:
# names with spaces, parentheses, newlines, tabs and ") Z 1 (", zombies,
# kernel threads, scans during a fork storm, hidepid in a private mount
# and PID namespace, and "procview kill" with every malformed argument
# (a victim process must survive each one).
. "${0%/*}/../lib.sh"

PV=$BIN/procview
PR=${HELPERBIN:-}/procs
if [ ! -x "$PV" ] || [ ! -x "$PR" ]; then
	skip "hostile procview" "procview or helper procs not built"
	done_testing
	exit
fi
# FAULT_REPORT=DIR (tests/fault/report.sh): a row per case for
# docs/reliability.md
row() {
	[ -z "$FAULT_REPORT" ] ||
		printf 'procview\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" \
			>>"$FAULT_REPORT/rows.tsv"
}
have_ps=0
ps -o pid= -p $$ >/dev/null 2>&1 && have_ps=1
# ps adds N to the state of a niced process (make valgrind often runs
# under nice), < to one with a raised priority: what ours will show
nflag=$(awk '{ sub(/^.*\) /, ""); n = $17 }
	END { print (n > 0 ? "N" : n < 0 ? "<" : "") }' /proc/$$/stat)

# squeeze: one space between fields, none at the ends, no empty lines
# (the header check of "-o KEY=" belongs to procview's own tests)
squeeze() { sed 's/[[:space:]][[:space:]]*/ /g; s/^ //; s/ $//; /^$/d'; }
list() { grep -v '^ready$' "$1" | paste -sd, -; }

# ---- hostile names (prctl PR_SET_NAME: the process picks any bytes)
# and names that attack a terminal (issue 11): a lead byte then ESC,
# C1 CSI and OSC, U+2028 and DEL, C0 controls with ESC
spawn "$PR" names 'a b c' '(paren)' 'x) Z 1 (y' 'new\nline' ')' '((((' \
	'tab\there' '' 'R 1 2 3 4 5 6' "$(printf '\302\033[2J')" \
	"$(printf 'c1\302\233\302\235')" "$(printf 'ls\342\200\250\177')" \
	"$(printf '\001\002\033\037\177')" >"$T_TMP/names" 2>&1
np=$SPAWNED
wait_for 10 has_line "$T_TMP/names" '^ready$'
pids=$(list "$T_TMP/names")
n=$(echo "$pids" | tr ',' '\n' | grep -c .)
exits 0 "13 hostile names listed" "$PV" -o pid= -o ppid= -o stat= -o comm= \
	-p "$pids"
is "$(echo "$OUT" | squeeze | grep -c .)" "$n" "one row per process, even \
with a newline in a name"
bad=0
for p in $(echo "$pids" | tr ',' ' '); do
	row=$(echo "$OUT" | squeeze | grep "^$p ")
	set -- $row
	# S, or Sl under TSan (its own thread lives in every process)
	[ "$2" = "$np" ] && [ "${3%l}" = "S$nflag" ] || {
		bad=$((bad + 1))
		echo "#   wrong row for $p: $row"
	}
done
is "$bad" 0 "every hostile name: the true ppid ($np) and state S"
like "$OUT" ' x\) Z 1 \(y$' "') Z 1 (' shown whole, not parsed"
like "$OUT" ' R 1 2 3 4 5 6$' "'R 1 2 3 4 5 6' shown whole, not parsed"
unlike "$OUT" "$(printf '\t')" "no raw tab byte in the table"
unlike "$OUT" "$(printf '\033')" "no raw ESC byte in the table"
if [ $have_ps = 1 ]; then
	want=$(ps -o pid= -o ppid= -o stat= -o comm= -p "$pids" | squeeze)
	is "$(echo "$OUT" | squeeze)" "$want" "the same rows as procps ps"
else
	skip "hostile names compared with ps" "procps ps not installed"
fi
row "hostile names" "13 processes named 'a b c', '(paren)', 'x) Z 1 (y', \
newline, tab, ')', '((((', '', 'R 1 2 3 4 5 6', and with ESC, C1, U+2028, \
DEL, C0" "compared with ps" \
	"$(if [ $bad = 0 ]; then echo "true ppid and state for all 13"; else \
echo "$bad wrong rows"; fi)"
exits 0 "--json with hostile names" "$PV" --json -o pid -o comm -p "$pids"
like "$OUT" '"x\) Z 1 \(y"' "--json: the name is a JSON string"
unlike "$OUT" "$(printf '\t')" "--json: no raw control byte"
exits 0 "--tree with hostile names" "$PV" --tree="$np"
is "$(echo "$OUT" | grep -c .)" $((n + 1)) "--tree: the parent and $n \
children, one line each"

# ---- zombies
spawn "$PR" zombies 3 >"$T_TMP/z" 2>&1
zp=$SPAWNED
wait_for 10 has_line "$T_TMP/z" '^ready$'
zs=$(list "$T_TMP/z")
zstate() { [ "$(cut -d' ' -f3 "/proc/${zs%%,*}/stat" 2>/dev/null)" = Z ]; }
wait_for 10 zstate
exits 0 "3 zombies listed" "$PV" -o pid= -o stat= -o comm= -o args= -p "$zs"
is "$(echo "$OUT" | grep -c "^ *[0-9]* Z$nflag ")" 3 "every zombie in state Z"
like "$OUT" '\[procs\] <defunct>$' "a zombie's args: [name] <defunct>"
if [ $have_ps = 1 ]; then
	is "$(echo "$OUT" | squeeze)" \
		"$(ps -o pid= -o stat= -o comm= -o args= -p "$zs" | squeeze)" \
		"zombie rows as procps ps"
fi
row "zombies" "3 unreaped children" "compared with ps" \
	"$(echo "$OUT" | grep -c '^ *[0-9]* Z ')/3 shown Z, [procs] <defunct>"
exits 0 "--tree with zombies under their parent" "$PV" --tree="$zp"

# ---- kernel threads
if kthreads_visible; then
	exits 0 "kthreadd listed" "$PV" -o pid= -o ppid= -o comm= -o args= -p 2
	is "$(echo "$OUT" | squeeze)" "2 0 kthreadd [kthreadd]" \
		"kthreadd: ppid 0, args [kthreadd] (no command line)"
	exits 0 "children of kthreadd" "$PV" -o args= --ppid 2
	ok "kernel threads found" test -n "$OUT"
	unlike "$OUT" '^[^[]' "every kernel thread's args in [brackets]"
else
	skip "kernel threads" "kthreadd not visible (a PID namespace)"
fi

# ---- fork storm: scans while processes appear and vanish
max=3000
[ -n "$SAN" ] && max=1000
spawn "$PR" storm 3 "$max" >"$T_TMP/storm" 2>&1
st=$SPAWNED
scans=0
fails=0
while kill -0 "$st" 2>/dev/null && ! has_line "$T_TMP/storm" forked &&
	[ $scans -lt 60 ]; do
	for v in "-e" "-eL" "--tree" "-ef --json"; do
		# shellcheck disable=SC2086
		"$PV" $v >"$T_TMP/s.out" 2>"$T_TMP/s.err"
		rc=$?
		if [ $rc != 0 ] || [ -s "$T_TMP/s.err" ]; then
			fails=$((fails + 1))
			echo "#   procview $v: exit $rc"
			head -n 3 "$T_TMP/s.err" | sed 's/^/#     /'
		fi
		scans=$((scans + 1))
	done
done
wait_exit "$st" 30
forked=$(sed -n 's/^forked //p' "$T_TMP/storm")
is "$fails" 0 "$scans scans (-e, -eL, --tree, --json) during a storm of \
${forked:-?} forks (at most $max, 3 s): exit 0, nothing on stderr"
row "fork storm" "${forked:-0} forks in at most 3 s while scanning" \
	"-e, -eL, --tree, --json" "$scans scans, $fails failed or warned"

# ---- hidepid, in a private mount and PID namespace (never the real
# /proc: a new PID namespace gets its own proc instance on any kernel)
if [ -n "$VALGRIND" ]; then
	# the valgrind wrappers live in a private folder nobody cannot enter
	skip "hidepid" "not under make valgrind (wrappers unreachable as nobody)"
elif [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
	command -v setpriv >/dev/null &&
	unshare -m -p -f --mount-proc true 2>/dev/null; then
	for h in 1 2; do
		timeout 30 unshare -m -p -f --mount-proc sh -c '
			mount -t proc -o hidepid=$1 proc /proc || exit 3
			sleep 30 & r=$!
			setpriv --reuid=65534 --regid=65534 --clear-groups \
				sleep 30 & n=$!
			i=0
			while [ "$(cat /proc/$n/comm 2>/dev/null)" != sleep ] &&
				[ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
			setpriv --reuid=65534 --regid=65534 --clear-groups \
				"$2" -e -o pid= -o user= -o comm=
			echo "rc=$?"
			kill $r $n' sh "$h" "$PV" >"$T_TMP/hide$h" 2>&1
		out=$(cat "$T_TMP/hide$h")
		like "$out" '^rc=0$' "hidepid=$h: procview -e as nobody exits 0"
		like "$out" '^ *[0-9]+ nobody +sleep$' \
			"hidepid=$h: nobody's own process is listed"
		unlike "$out" ' root ' "hidepid=$h: root's processes are hidden"
		unlike "$out" 'procview:' "hidepid=$h: no error message"
		row "hidepid=$h" "private mount + PID namespace, procview -e as \
nobody" "root's processes hidden" "$(grep -c ' nobody ' "$T_TMP/hide$h") \
rows, all nobody's; $(sed -n 's/^rc=//p' "$T_TMP/hide$h" | sed 's/^/exit /')"
	done
else
	skip "hidepid" "needs root, unshare -m -p and setpriv"
fi

# ---- procview kill with every malformed argument; a victim survives
spawn sleep 60
victim=$SPAWNED
k() { # WANT WHAT ARGS...: exit WANT, a message, and the victim alive
	k_want=$1
	k_what=$2
	shift 2
	exits "$k_want" "kill $k_what" "$PV" kill "$@"
	like "$ERR" '^procview' "kill $k_what: says why"
	ok "kill $k_what: the victim is alive" kill -0 "$victim"
}
k 2 "(no argument)"
k 2 "''" ""
k 2 "-" -
k 2 "--" --
k 2 "-- ''" -- ""
k 2 "overflow" 99999999999999999999
k 2 "2^31" 2147483648
k 2 "-2^31 as a group" -- -2147483648
k 2 "12abc" 12abc
k 2 "' 5' (leading space)" " 5"
k 2 "0x10" 0x10
k 2 "unknown signal, victim as target" -s NOPE "$victim"
k 2 "signal 999" -n 999 "$victim"
k 2 "empty signal name" -s "" "$victim"
k 2 "-SIGNOPE" -SIGNOPE "$victim"
k 2 "-C without a name" -C
# The refusals are checked with SIGCONT, and in a private PID namespace
# (in_pidns, tests/lib.sh): if one ever let a signal through it could
# reach only the namespace's processes (never test these with TERM).
kr() { # WHAT ARGS...: as k 1, with procview in a PID namespace
	if [ -n "$pidns_why" ]; then
		skip "kill $1" "$pidns_why; never outside a PID namespace"
		return
	fi
	k_what=$1
	shift
	exits 1 "kill $k_what" in_pidns "$PV" kill "$@"
	like "$ERR" '^procview' "kill $k_what: says why"
	ok "kill $k_what: the victim is alive" kill -0 "$victim"
}
pidns_why=$(pidns_why)
kr "pid 0 without --force" -s CONT 0
kr "pid -1 without --force" -s CONT -- -1
kr "pid 1 without --force" -s CONT 1
kr "group -0 without --force" -s CONT -- -0
kr "pid 0 as the signal probe" -s 0 0
row "kill, malformed arguments" "21 bad forms: empty, -, --, overflow, \
2^31, 12abc, ' 5', 0x10, unknown signals, pid 0/-1/1/-0 without --force" \
	"exit 2 usage / 1 refusal" "$(if kill -0 "$victim"; then echo \
"victim alive after all"; else echo "VICTIM KILLED"; fi)"
exits 0 "kill -s 0 of the victim (a probe)" "$PV" kill -s 0 "$victim"
ok "the probe leaves the victim alive" kill -0 "$victim"

done_testing
