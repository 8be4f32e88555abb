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
done_testing
