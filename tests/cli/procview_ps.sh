#!/bin/sh
# procview_ps.sh: procview prints what procps ps prints, row for row.
#
# Method: three snapshots, ps / procview / ps, taken back to back. A
# process whose row differs between the two ps runs changed during the
# window (it exec'd, its state flipped): it proves nothing and is left
# out. Every other process present in both ps runs must be in procview's
# listing with an identical row. The only tolerances are for values that
# legitimately move between two snapshots a moment apart:
#   TIME  CPU time only grows: procview's value lies between the two ps
#         values (both bracketing runs are the same process).
#   C     CPU time * 100 / age: procview's value must lie within the
#         two ps values, widened by how far C can move while the
#         snapshots are taken. Over a window of W seconds a process of
#         age A can change C by at most about 100 * W / A points (per
#         busy thread), so the tolerance is 1 + 100 * W / A: a point
#         for truncation on old processes, more for one just started.
#   STAT  a running process flips between R, S, D and I from one moment
#         to the next, and other test suites on this machine stop and
#         continue their own processes (T; t under strace): a stop can
#         begin and end inside the window, so both ps runs say S and
#         procview says T. Only that first letter may differ, never the
#         modifiers, and never to Z (a zombie never runs again, so it
#         cannot sit between two live snapshots). Our own sleepers are
#         asleep throughout: their rows get no STAT tolerance at all, so
#         a procview that misread the state would still be caught.
#         The modifier l (more than one thread) moves with the thread
#         count: a server that starts a thread per client (the netlab
#         tests on this machine) goes from several threads to one and
#         back within the window (seen: ps Sl, procview S, ps Sl). So l
#         may differ too, the other modifiers (s < N L +) never.
#   NLWP  (-L) a thread that lived only while procview ran adds one
#         to its process's count and a row of its own. The count may
#         differ from ps's only for a process whose thread ids in
#         procview's listing differ from those in both ps runs: the
#         churn must be visible in procview's own rows.
#   CMD   a kernel worker thread's name ends with the work queue it is
#         serving right now, '-' when idle and '+' when busy
#         (kworker/1:0-events, kworker/u8:2+writeback): that suffix is
#         ignored, also after a --forest branch mark.
# One difference is by design: ps cuts a line at 128 KiB even when piped,
# procview never cuts piped output. A row that ps cut (131072 bytes) is
# compared on ps's length.
# The listing processes themselves (ps and procview are different
# programs) and other short-lived children of this script drop out on
# their own: none of them is in both ps snapshots.
. "${0%/*}/../lib.sh"

PV=$BIN/procview
PS=/usr/bin/ps

# child_of PID: the children of PID (stat field 4, read after the last
# ')' so that no process name can fool it)
child_of() {
	cat /proc/[0-9]*/stat 2>/dev/null |
		sed -n 's/^\([0-9]*\) .*) [A-Za-z] \([0-9]*\) .*/\1 \2/p' |
		awk -v p="$1" '$2 == p { print $1 }'
}

# adopt PID: wait for the child a spawned shell starts and register it
# with lib.sh's cleanup too, so that no grandchild outlives the test
adopt() {
	wait_for 30 sh -c "cat /proc/[0-9]*/stat 2>/dev/null | grep -q ') [A-Za-z] $1 '"
	# after its shell: the shell, killed first, cannot report "Killed"
	T_PIDS="$T_PIDS $(child_of "$1")"
}
if [ ! -x "$PS" ]; then
	skip "procview matches ps" "procps ps not installed at $PS"
	done_testing
	exit 0
fi

# Enough processes of our own that the comparison is never thin, with
# the cases that matter: plain, renamed, zombie, odd bytes in argv.
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	spawn sleep $((600 + i)) # outlives the test, however slow
	sleepers="$sleepers $SPAWNED"
done
# only a process itself may rename itself: the shell writes its own
# comm, then waits ("; :" keeps it from exec'ing sleep)
spawn sh -c 'printf "a) Z 1 (b" >/proc/$$/comm; sleep 61; :'
renamed=$SPAWNED
adopt "$renamed"
spawn sh -c 'sleep 0 & exec sleep 62'
zparent=$SPAWNED
spawn sh -c 'sleep 63; :' "$(printf 'tab\there nl\nhere esc\033[1m ctl\001 utf\303\251 bad\377 x')"
adopt "$SPAWNED"
wait_for 30 sh -c "grep -q '^[0-9]* (sleep) Z $zparent ' /proc/[0-9]*/stat"
wait_for 30 grep -q '^a) Z 1 (b$' "/proc/$renamed/comm"
ok "a zombie exists for the comparison" \
	sh -c "grep -q '^[0-9]* (sleep) Z $zparent ' /proc/[0-9]*/stat"

# compare MODE PS1 PV PS2: prints mismatches, then "shared=.. bad=.."
# fields: K key column, P ppid column, C and T and S tolerant columns
# (0 = none), N columns before the free-text last column
compare() {
	nlf=0
	case $1 in
	L) nlf=6 ;;
	esac
	case $1 in
	f) set -- "$2" "$3" "$4" 2 3 4 7 0 7 ;;
	o) set -- "$2" "$3" "$4" 1 2 0 0 4 5 ;;
	L) set -- "$2" "$3" "$4" 4 3 5 9 0 9 ;;
	t) set -- "$2" "$3" "$4" 1 2 0 0 0 2 ;;
	w) set -- "$2" "$3" "$4" 1 2 0 9 7 16 ;;
	esac
	LC_ALL=C awk -v key="$4" -v ppidf="$5" -v cf="$6" -v tf="$7" -v sf="$8" \
		-v nf="$9" -v window="$window" -v agefile="$T_TMP/ages" \
		-v sleepers="$sleepers" -v nlf="$nlf" '
	function secs(t,   d, a) {
		d = 0
		if (index(t, "-")) { split(t, a, "-"); d = a[1]; t = a[2] }
		split(t, a, ":")
		return d * 86400 + a[1] * 3600 + a[2] * 60 + a[3]
	}
	# bidi(S): S as procview prints it on purpose where ps does not
	# escape (procview.1): each bidirectional override (U+202A-U+202E,
	# U+2066-U+2069, in UTF-8) becomes "?". Any process on the machine
	# (another test, a user) may carry one in its name.
	function bidi(s) {
		gsub(/\342\200[\252\253\254\255\256]|\342\201[\246\247\250\251]/, "?", s)
		return s
	}
	function rest(s,   i) {
		for (i = 0; i < nf; i++) sub(/^ *[^ ]+/, "", s)
		return s
	}
	function fixed(s,   a, i, m, r, t) {
		split(s, a, " ")
		r = ""
		for (i = 1; i <= nf; i++)
			if (i != cf && i != tf && i != sf && i != skip)
				r = r "|" a[i]
		if (sf) {
			m = substr(a[sf], 2)
			if (nol) gsub(/l/, "", m)
			r = r "|" m
		}
		t = rest(s)
		# a kworker renames itself after the queue it serves at the
		# moment ("kworker/1:0-events"): only the part before "-"
		# is the thread, the rest changes from one instant to the next
		if (t ~ /^[ |\\_]*\[?kworker\//) sub(/[-+].*/, "-*", t)
		return r "|" t
	}
	BEGIN {
		split(sleepers, a, " ")
		for (i in a) quiet[a[i]] = 1
		while ((getline l < agefile) > 0) {
			split(l, a, " ")
			age[a[1]] = a[2]
		}
	}
	FNR == 1 { file++; next }
	{
		split($0, a, " ")
		row[file, a[key]] = $0
		# -L: the thread ids of each process, in listing order
		if (nlf) tids[file, a[2]] = tids[file, a[2]] " " a[key]
		if (file == 1) keys[a[key]] = 1
	}
	END {
		for (k in keys) {
			if (!((3, k) in row)) continue
			p1 = bidi(row[1, k]); p2 = bidi(row[3, k])
			if (fixed(p1) != fixed(p2)) { unstable++; continue }
			both++
			if (!((2, k) in row)) {
				bad++
				print "# missing from procview: " p1
				continue
			}
			pv = row[2, k]
			if (length(p1) == 131072) pv = substr(pv, 1, 131072)
			shared++
			if (pv == p1 || pv == p2) continue
			split(p1, a, " ")
			# -L: NLWP may differ when the process started or
			# ended a thread between the listings. Its count can be
			# the same in both ps listings ({a,b}, then {a,c}) while
			# procview saw {a}: any change of the ids allows it.
			skip = nlf && !(k in quiet) &&
			    (tids[2, a[2]] != tids[1, a[2]] ||
			    tids[3, a[2]] != tids[1, a[2]]) ? nlf : 0
			good = fixed(pv) == fixed(p1)
			if (!good && sf && !(k in quiet)) {
				nol = 1
				good = fixed(pv) == fixed(p1)
				nol = 0
			}
			skip = 0
			split(p1, a, " "); split(pv, b, " "); split(p2, c, " ")
			if (good && cf) {
				lo = a[cf] + 0 < c[cf] + 0 ? a[cf] : c[cf]
				hi = a[cf] + 0 < c[cf] + 0 ? c[cf] : a[cf]
				tol = 1 + 100 * window / \
				    ((k in age) && age[k] > 0 ? age[k] : 0.01)
				good = b[cf] >= lo - tol && b[cf] <= hi + tol
			}
			if (good && tf)
				good = secs(b[tf]) >= secs(a[tf]) &&
				    secs(b[tf]) <= secs(c[tf])
			if (good && sf)
				good = !(k in quiet) &&
				    index("RSDITt", substr(b[sf], 1, 1)) &&
				    index("RSDITt", substr(a[sf], 1, 1))
			# --forest draws a bar for an ancestor that has a later
			# sibling; a process that lived only while procview
			# ran (another test, a cron job) adds or removes such
			# a bar. The depth (the column where the branch mark
			# stands) must still match.
			if (!good && index(p1, "\\_")) {
				q1 = p1; q2 = pv
				gsub(/\|/, " ", q1); gsub(/\|/, " ", q2)
				good = q1 == q2
			}
			if (!good) {
				bad++
				print "# ps:       " p1
				print "# procview: " pv
			}
		}
		printf "shared=%d stable=%d unstable=%d bad=%d\n",
		    shared, both, unstable, bad
	}' "$1" "$2" "$3"
}

# check MIN MODE ARGS...: snapshot, compare, assert (MIN shared rows)
check() {
	min=$1
	mode=$2
	shift 2
	t0=$(date +%s%N)
	"$PS" "$@" >"$T_TMP/ps1" 2>"$T_TMP/ps1.err"
	"$PV" "$@" >"$T_TMP/pv" 2>"$T_TMP/pv.err"
	rc=$?
	"$PS" "$@" >"$T_TMP/ps2" 2>"$T_TMP/ps2.err"
	t1=$(date +%s%N)
	window=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1e9 }')
	# ages in seconds, keyed as the rows are (by thread id for -L)
	"$PS" -eL -o lwp=,etimes= >"$T_TMP/ages"
	is "$rc" 0 "procview $* exits 0"
	is "$(cat "$T_TMP/pv.err")" "" "procview $* writes nothing on stderr"
	is "$(head -n 1 "$T_TMP/pv")" "$(head -n 1 "$T_TMP/ps1")" \
		"procview $* header is ps's"
	res=$(compare "$mode" "$T_TMP/ps1" "$T_TMP/pv" "$T_TMP/ps2")
	summary=$(printf '%s\n' "$res" | tail -n 1)
	shared=$(echo "$summary" | sed 's/.*shared=\([0-9]*\).*/\1/')
	stable=$(echo "$summary" | sed 's/.* stable=\([0-9]*\).*/\1/')
	bad=$(echo "$summary" | sed 's/.*bad=\([0-9]*\).*/\1/')
	printf '%s\n' "$res" | sed '$d'
	echo "# $*: $summary"
	ok "procview $*: at least $min shared rows ($shared)" \
		[ "$shared" -ge "$min" ]
	ok "procview $*: every stable process is listed ($shared of $stable)" \
		[ "$shared" -eq "$stable" ]
	is "$bad" 0 "procview $*: every shared row identical to ps"
}

check 24 f -ef
check 24 o -e -o pid,ppid,user,stat,tty,comm
check 24 L -eLf
check 3 f -f -p "1,$zparent,$renamed"
check 20 o -o pid,ppid,user,stat,tty,comm -u "$(id -u)"
check 20 o -o pid,ppid,user,stat,tty,comm -C sleep
check 20 o -o pid,ppid,user,stat,tty,comm --ppid $$
check 2 o -o pid,ppid,user,stat,tty,comm -p "$renamed,$zparent"
# every other keyword, on our own quiet processes (a busy one's rss and
# etime move from one snapshot to the next)
wide=pid,ppid,pgid,sid,user,uid,stat,tty,time,stime,nlwp,rss,vsz,pmem,nice
wide=$wide,pri,comm
check 20 w -o "$wide" -p "$(echo $sleepers | tr ' ' ,)"
# the trees: a row is stable only if its branch drawing did not change
check 24 t -e --forest -o pid,ppid,args
check 24 t -eH -o pid,ppid,comm

# --sort on a key that is not a column still reads what the key needs
# (the real uid is in /proc/PID/status): the order is ps's
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	spawn setpriv --reuid 54324 --regid 54324 --clear-groups sleep 64
	other=$SPAWNED
	wait_for 30 sh -c "grep -q '^Uid:.54324' /proc/$other/status"
	for key in -ruid ruid -ruser,pid user,-pid; do
		is "$("$PV" -o pid= --sort "$key" -p "$other,$renamed,$zparent" |
			tr -d ' ' | tr '\n' ' ')" \
			"$("$PS" -o pid= --sort "$key" -p "$other,$renamed,$zparent" |
			tr -d ' ' | tr '\n' ' ')" "--sort $key: ps's order"
	done
else
	for key in -ruid ruid -ruser,pid user,-pid; do
		skip "--sort $key" "needs root and setpriv"
	done
fi

# order_check KEY: procview -e --sort KEY lists the processes in ps's
# order. Only processes in all three listings count (ps, procview, ps);
# if the two ps runs disagree on their order, a value moved meanwhile
# and the check proves nothing, so it is skipped.
order_check() {
	"$PS" -e -o pid= --sort "$1" >"$T_TMP/o1"
	"$PV" -e -o pid= --sort "$1" >"$T_TMP/o2"
	"$PS" -e -o pid= --sort "$1" >"$T_TMP/o3"
	for f in 1 2 3; do
		awk 'FILENAME != ARGV[3] { n[$1]++; next }
		n[$1] == 2 { print $1 }' \
			"$T_TMP/o$(((f % 3) + 1))" "$T_TMP/o$((((f + 1) % 3) + 1))" \
			"$T_TMP/o$f" >"$T_TMP/c$f"
	done
	if ! cmp -s "$T_TMP/c1" "$T_TMP/c3"; then
		skip "--sort $1: ps's order" "the order changed between two ps runs"
		return
	fi
	ok "--sort $1${LC_ALL:+, LC_ALL=$LC_ALL}: ps's order ($(wc -l <"$T_TMP/c1") processes)" \
		cmp "$T_TMP/c1" "$T_TMP/c2"
}
# pri is ordered by the kernel's value, times by start ticks
for key in pri -pri etime -etimes stime start_time pid -ppid,pid comm; do
	order_check "$key"
done

# Text keys: procps 4 escapes a name before it sorts or matches it, so
# in the C locale "aéz" sorts as "a??z" (before "aZZ") and -C sees only
# the escaped name. A process of ours with such a name, in both locales:
spawn sh -c 'printf "a\303\251z\001" >/proc/$$/comm; sleep 64; :'
oddname=$SPAWNED
adopt "$oddname"
wait_for 30 grep -q "^a.*z.\$" "/proc/$oddname/comm"
for LC_ALL in C C.UTF-8; do
	export LC_ALL
	order_check comm
	order_check args
done
LC_ALL=C
is "$("$PV" -o pid= -C 'a??z.' | tr -d ' ')" "$("$PS" -o pid= -C 'a??z.' | tr -d ' ')" \
	"-C, C locale: the escaped name 'a??z.' finds what ps finds"
is "$("$PV" -o pid= -C 'a??z.' | tr -d ' ')" "$oddname" "... and that is our process"
is "$("$PV" -o pid= -C "$(printf 'a\303\251z\001')" | tr -d ' ')" "$oddname" \
	"-C, C locale: the real name finds it too (ps's does not: procview.1)"
unset LC_ALL

# the zombie and the hostile names are in the compared set, and right
"$PV" -ef >"$T_TMP/pv"
like "$(cat "$T_TMP/pv")" " $zparent .*\[sleep\] <defunct>$" \
	"zombie shown as [sleep] <defunct>"

done_testing
