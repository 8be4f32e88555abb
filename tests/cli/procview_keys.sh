#!/bin/sh
# procview_keys.sh: every -o keyword procview supports, header and value,
# against procps ps on processes this test makes: a sleeper and a busy
# loop (whose %CPU, C and TIME are far from zero, so that a value off by
# a factor shows).
#
# The keywords are read from procview's man page (the "Keywords:" list
# of -o), so a keyword added there is compared here without an edit;
# uid_hack (ps's name for the UID column of -f) is added by hand.
#
# Method, per keyword: ps, procview, ps, back to back, "-o pid= -o KEY=".
# Values that cannot change between two snapshots must be identical;
# those that move with time must lie between the two ps values:
#   time cputime etime etimes   seconds (bsdtime, times too), bracketed by the two ps runs
#   pcpu %cpu c                 bracketed, widened by 2 points: ps
#                               rounds CPU time / age, and the age grows
#                               while the three snapshots are taken
#   psr                         the busy loop may change CPU at any
#                               moment: its value is not compared
. "${0%/*}/../lib.sh"

PV=$BIN/procview
PS=/usr/bin/ps
MAN=${0%/*}/../../docs/man/procview.1

if ! [ -x "$PS" ] || ! "$PS" -o pid= -p $$ >/dev/null 2>&1; then
	skip "procview keywords against ps" "procps ps is not installed"
	done_testing
	exit
fi

keys=$(sed -n '/^Keywords:/,/\.$/p' "$MAN" | sed 's/^Keywords://; s/\.$//')
keys="$keys uid_hack"
nkeys=$(echo $keys | wc -w)
ok "the man page lists the keywords ($nkeys)" test "$nkeys" -gt 40

# the two processes: a sleeper, and a busy loop with ~2 s of CPU time
spawn sleep 300
sl=$SPAWNED
spawn sh -c 'while :; do :; done'
busy=$SPAWNED
hz=$(getconf CLK_TCK)
has_cpu() { [ "$(cpu_ticks "$1")" -ge "$2" ]; }
wait_for 60 has_cpu "$busy" $((2 * hz))
ok "the busy loop has 2 s of CPU time" has_cpu "$busy" $((2 * hz))
wait_for 10 sh -c "[ \"\$(cat /proc/$sl/comm)\" = sleep ]"

# secs VALUE: [[dd-]hh:]mm:ss (or a plain number) in seconds
secs() {
	echo "$1" | awk -F'[-:]' '{
		s = 0; m = 1
		for (i = NF; i >= 1; i--) {
			f = (NF - i == 3) ? 86400 : m
			s += $i * f; m *= 60
		}
		print s }'
}

# between LO HI X SLACK: LO - SLACK <= X <= HI + SLACK (either order)
between() {
	awk -v a="$1" -v b="$2" -v x="$3" -v d="$4" 'BEGIN {
		lo = a < b ? a : b; hi = a < b ? b : a
		exit !(x >= lo - d && x <= hi + d) }'
}

# pcpu_check KEY WHO PS1 OURS PS2: %CPU as ps's, within 2 points.
# procps divides the CPU time by the exact age (3.62 s, not 3 s): a
# procview that divided by whole seconds would be up to 1/age too high
# on this young busy loop (33 % at 3 s) and fail here.
pcpu_check() {
	if [ -n "$4" ] && between "$3" "$5" "$4" 2; then
		t_result 0 "-o $1, $2: $4 within ps's $3 .. $5"
	else
		t_result 1 "-o $1, $2: '$4' within ps's $3 .. $5"
	fi
}

squeeze() { sed 's/[[:space:]][[:space:]]*/ /g; s/^ //; s/ $//'; }

# value FILE PID: the KEY column of PID's row
value() { awk -v p="$2" '$1 == p { sub(/^ *[0-9]+ +/, ""); print }' "$1" |
	squeeze; }

for k in $keys; do
	# the header, on the sleeper alone
	hp=$("$PS" -o "$k" -p "$sl" | head -n 1 | squeeze)
	ho=$("$PV" -o "$k" -p "$sl" | head -n 1 | squeeze)
	is "$ho" "$hp" "-o $k: header as ps ('$hp')"

	"$PS" -o pid= -o "$k=" -p "$sl,$busy" >"$T_TMP/b" 2>&1
	"$PV" -o pid= -o "$k=" -p "$sl,$busy" >"$T_TMP/o" 2>&1
	"$PS" -o pid= -o "$k=" -p "$sl,$busy" >"$T_TMP/a" 2>&1
	for p in $sl $busy; do
		b=$(value "$T_TMP/b" "$p")
		o=$(value "$T_TMP/o" "$p")
		a=$(value "$T_TMP/a" "$p")
		who=sleeper
		[ "$p" = "$busy" ] && who="busy loop"
		case $k in
		time | cputime | etime | etimes | bsdtime | times)
			if [ -n "$o" ] &&
				between "$(secs "$b")" "$(secs "$a")" \
					"$(secs "$o")" 0; then
				t_result 0 "-o $k, $who: $o within ps's $b .. $a"
			else
				t_result 1 "-o $k, $who: '$o' within ps's $b .. $a"
			fi
			;;
		c)
			if [ -n "$o" ] && between "$b" "$a" "$o" 2; then
				t_result 0 "-o $k, $who: $o within ps's $b .. $a"
			else
				t_result 1 "-o $k, $who: '$o' within ps's $b .. $a"
			fi
			;;
		pcpu | %cpu)
			pcpu_check "$k" "$who" "$b" "$o" "$a"
			;;
		psr)
			if [ "$p" = "$busy" ]; then
				like "$o" '^[0-9]+$' "-o psr, busy loop: a number"
			else
				is "$o" "$b" "-o psr, sleeper: as ps"
			fi
			;;
		*)
			if [ "$b" != "$a" ]; then
				skip "-o $k, $who" "ps saw it change: $b, then $a"
			else
				is "$o" "$b" "-o $k, $who: as ps"
			fi
			;;
		esac
	done
done

# the busy loop's %CPU is far from zero: the comparison above means
# something (a value 10 times too small would be outside the bracket)
pc=$("$PS" -o pcpu= -p "$busy" | squeeze)
ok "the busy loop's %CPU ($pc) is at least 10" awk -v x="$pc" \
	'BEGIN { exit !(x >= 10) }'

done_testing
