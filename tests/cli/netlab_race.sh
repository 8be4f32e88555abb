#!/bin/sh
# netlab_race.sh: mutex and atomic are always exact; the unprotected mode
# may lose updates (never asserted: a run may legitimately lose none).
# Under SAN=thread the unprotected mode is not run: ThreadSanitizer would
# report its data race, which is the point of it; netlab refuses it there.
. "${0%/*}/../lib.sh"

# row OUT MODE: "expected got lost" of that mode's row
row() { printf '%s\n' "$1" | awk -v m="$2" '$1 == m { print $2, $3, $4 }'; }

for mode in mutex atomic; do
	exits 0 "race --mode $mode" "$BIN/netlab" race -t 4 -n 50000 --mode "$mode"
	is "$(row "$OUT" "$mode")" "200000 200000 0" "$mode: exact, nothing lost"
	like "$OUT" "^$mode +200000 +200000 +0 +[0-9.]+ s$" "$mode: time shown"
done

if [ "$SAN" = thread ]; then
	exits 1 "race --mode none refused under TSan" "$BIN/netlab" race \
		--mode none
	like "$ERR" "disabled in a ThreadSanitizer build" "and says why"
	exits 0 "race --mode all under TSan" "$BIN/netlab" race -t 2 -n 20000
	like "$OUT" '^none +skipped: a ThreadSanitizer build' "none: skipped, said so"
	is "$(row "$OUT" mutex)" "40000 40000 0" "all: mutex exact"
	is "$(row "$OUT" atomic)" "40000 40000 0" "all: atomic exact"
else
	exits 0 "race --mode none" "$BIN/netlab" race -t 4 -n 200000 --mode none
	set -- $(row "$OUT" none)
	is "$1" 800000 "none: expected = threads x iterations"
	ok "none: got <= expected" test "$2" -le 800000
	is "$(($1 - $2))" "$3" "none: lost = expected - got"
	# a run that loses nothing says why, and only such a run does
	if [ "$3" = 0 ]; then
		like "$OUT" '^ +nothing lost this time' "none: no loss is explained"
	else
		unlike "$OUT" 'nothing lost' "none: a loss is not called no loss"
	fi
	# one thread cannot race: nothing is lost, and the note says so
	exits 0 "race, one thread" "$BIN/netlab" race -t 1 -n 1000 --mode none
	like "$OUT" '^ +nothing lost: one thread' "none, one thread: the note"
	unlike "$OUT" 'race is still there' "none, one thread: no race claimed"
	exits 0 "race (all modes)" "$BIN/netlab" race -t 2 -n 20000
	is "$(printf '%s\n' "$OUT" | grep -Ec '^(none|mutex|atomic) ')" 3 \
		"all: three rows"
	is "$(row "$OUT" mutex)" "40000 40000 0" "all: mutex exact"
	is "$(row "$OUT" atomic)" "40000 40000 0" "all: atomic exact"
fi
like "$OUT" '^mode +expected +got +lost +time$' "table header"

exits 2 "bad --mode" "$BIN/netlab" race --mode some
like "$ERR" "unknown mode 'some'" "names the bad mode"
exits 2 "bad -t" "$BIN/netlab" race -t 0
exits 2 "bad -n" "$BIN/netlab" race -n 10k
exits 2 "stray argument" "$BIN/netlab" race 5

# ---- --trace: the race stepped through by a seeded scheduler ----
# resim: replay the printed trace with the rules of c++ (load r=c,
# add r=r+1, store c=r) and check every printed value, the lost marks
# and the final value; prints "ok" or what was wrong. An independent
# reading of the trace: it never looks at how netlab computed it.
resim() {
	printf '%s\n' "$1" | awk -v T="$2" -v N="$3" '
	function bad(m) { if (!err) err = m " (step " $1 ")" }
	/^ *[0-9]+ +[0-9]+ \|/ {
		n = split($0, f, "|")
		who = -1
		for (i = 2; i < n; i++)
			if (f[i] ~ /[a-z]/) { if (who >= 0) bad("two threads"); who = i - 2; txt = f[i] }
		split(txt, w, "=")
		v = w[2] + 0
		# the mark: "lost N" (N stores erased) or "back N" (a larger
		# value over a stale store); as one signed number
		mark = (f[n] ~ /lost|back/) ? f[n] : ""
		if (mark ~ /back/) { sub(/.*back /, "", mark); mark = -mark }
		else sub(/.*lost /, "", mark)
		if (txt ~ /load/) {
			if (v != c) bad("load")
			reg[who] = v; seen[who] = c; stepn[who]++
		} else if (txt ~ /add/) {
			if (v != reg[who] + 1) bad("add")
			reg[who] = v
		} else if (txt ~ /store/) {
			if (v != reg[who]) bad("store")
			want = c - seen[who]
			if ((want != 0) != (mark != "") || mark + 0 != want) bad("lost mark")
			c = v; totlost += want
		}
		split(f[1], h, " ")
		if (h[2] + 0 != c) bad("counter column")
		rows++
	}
	/^final c = / { final = $4 }
	/^the marks: / { marks = $3 - $6; if ($9 != marks) bad("marks sum") }
	END {
		if (rows != 3 * T * N) bad("rows " rows)
		if (final != "" && final != c) bad("final " final " vs " c)
		if (final != "" && T * N - c != totlost) bad("lost total")
		if (marks != "" && marks != totlost) bad("marks line")
		print err ? err : "ok"
	}'
}
exits 0 "race --trace (defaults: 2 threads x 3)" "$BIN/netlab" race --trace
t1=$OUT
is "$(resim "$t1" 2 3)" ok "the trace replays: every value and lost mark"
like "$t1" '^final c = [0-9]+   \(expected 6, lost [0-9]+\)$' "final value"
exits 0 "the same seed again" "$BIN/netlab" race --trace --seed 1
is "$OUT" "$t1" "--seed 1 twice: the same interleaving"
exits 0 "race --trace -t 3 -n 4 --seed 9" "$BIN/netlab" race --trace -t 3 \
	-n 4 --seed 9
is "$(resim "$OUT" 3 4)" ok "3 threads: the trace replays"
# every seed from 1 to 60, and 3 threads for 20 of them: a store that
# writes a larger value over a stale one (seed 8) must be marked too,
# or the marks add up to more than the loss
bad_seeds=
for s in $(seq 1 60); do
	[ "$(resim "$("$BIN/netlab" race --trace --seed "$s")" 2 3)" = ok ] ||
		bad_seeds="$bad_seeds $s"
done
for s in $(seq 1 20); do
	[ "$(resim "$("$BIN/netlab" race --trace -t 3 -n 4 --seed "$s")" 3 4)" = ok ] ||
		bad_seeds="$bad_seeds 3x4:$s"
done
is "$bad_seeds" "" "seeds 1-60 (and 20 with 3 threads): every trace replays"
like "$("$BIN/netlab" race --trace --seed 8)" ' back 1$' \
	"seed 8: the store that brings an update back is marked"
seeds_differ=0
for s in 2 3 4 5; do
	[ "$("$BIN/netlab" race --trace --seed "$s")" != "$t1" ] &&
		seeds_differ=$((seeds_differ + 1))
done
is "$seeds_differ" 4 "other seeds, other interleavings"
lost_seen=0
for s in 1 2 3 4 5 6 7 8; do
	"$BIN/netlab" race --trace --seed "$s" | grep -q ' lost [0-9]' &&
		lost_seen=$((lost_seen + 1))
done
ok "some seeds lose updates ($lost_seen of 8)" test "$lost_seen" -gt 0
exits 0 "race --trace --hide" "$BIN/netlab" race --trace --hide --seed 4
like "$OUT" '^final c = \?' "--hide: the final value is a question"
unlike "$OUT" ' lost [0-9]' "--hide: no lost marks"
unlike "$OUT" 'c=[0-9]' "--hide: no stored value shown"
is "$(printf '%s\n' "$OUT" | awk '$1 ~ /^[0-9]+$/ && $3 == "|" &&
	$2 != "?" { n++ } END { print n + 0 }')" 0 \
	"--hide: the counter column shows '?' on every step"
exits 0 "race --trace --hide -c" "$BIN/netlab" race --trace --hide -c --seed 4
is "$OUT" "$("$BIN/netlab" race --trace --seed 4)" \
	"--hide -c: the same as without --hide"
width=$("$BIN/netlab" race --trace -t 4 -n 20 --seed 5 |
	awk '{ if (length > m) m = length } END { print m }')
ok "4 threads fit 80 columns ($width)" test "$width" -le 80
exits 2 "--trace with 5 threads" "$BIN/netlab" race --trace -t 5
exits 2 "--trace with 21 increments" "$BIN/netlab" race --trace -n 21
exits 2 "--hide without --trace" "$BIN/netlab" race --hide
exits 2 "--seed without --trace" "$BIN/netlab" race --seed 3
like "$ERR" "^netlab race: --seed, --hide and -c go with --trace" \
	"--seed without --trace: said so"
exits 2 "--trace with 5 threads (usage error)" "$BIN/netlab" race --trace -t 5
like "$ERR" "Try 'netlab race --help'" "--trace limits: the Try line"
exits 2 "a bad seed" "$BIN/netlab" race --trace --seed x
done_testing
