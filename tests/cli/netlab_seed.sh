#!/bin/sh
# netlab_seed.sh: netlab client --seed makes the per-thread delays
# repeatable. Two runs with --seed 1 give each thread the same delay
# (each thread's "ACK after" time, which is its delay plus a loopback
# round trip of a millisecond or so, agrees within 0.3 s in one of up to
# three tries, room for a loaded machine's stall); a run with --seed 2
# gives different ones (at least one thread 0.5 s away; with these seeds
# it is about 1 s). The delays are drawn from 0.2-1.5 s, so a difference
# from the seed is far above the round trip's noise.
. "${0%/*}/../lib.sh"

NL=$BIN/netlab
if ! [ -x "$NL" ]; then
	skip "netlab client --seed" "netlab not built"
	done_testing
	exit
fi

spawn "$NL" serve -q >"$T_TMP/srv" 2>&1
SRV=$SPAWNED
wait_for 30 has_line "$T_TMP/srv" 'listening on'
PORT=$(port_of "$T_TMP/srv")

# run SEED FILE: the client's per-thread ACK times, "thread seconds"
run() {
	"$NL" client -n 8 -d 0.2-1.5 --seed "$1" 127.0.0.1 "${PORT:-0}" \
		>"$T_TMP/raw$1.$2" 2>&1
	is "$?" 0 "client --seed $1 ($2): exit 0"
	sed -n 's/^thread \([0-7]\): ACK after \([0-9.]*\) s$/\1 \2/p' \
		"$T_TMP/raw$1.$2" | sort -n >"$T_TMP/$1.$2"
	is "$(wc -l <"$T_TMP/$1.$2" | tr -d ' ')" 8 \
		"client --seed $1 ($2): 8 threads report an ACK time"
}

# maxdiff A B: the largest per-thread difference of two runs, seconds
maxdiff() {
	join "$1" "$2" | awk '{ d = $2 - $3; if (d < 0) d = -d;
		if (d > m) m = d } END { printf "%.2f\n", m }'
}

run 1 a
run 2 a
# Up to 3 second runs: one stall of 0.3 s (a sanitizer build on a busy
# machine) must not fail the check. Clock-seeded delays would still fail:
# two uniform draws from 0.2-1.5 s fall within 0.3 s of each other with
# probability 1 - (1 - 0.3/1.3)^2 = 0.41, all 8 threads 0.41^8 (about 1
# in 1,300) a try.
for try in 1 2 3; do
	run 1 b
	d11=$(maxdiff "$T_TMP/1.a" "$T_TMP/1.b")
	awk -v d="$d11" 'BEGIN { exit !(d <= 0.3) }' && break
done
d12=$(maxdiff "$T_TMP/1.a" "$T_TMP/2.a")
ok "--seed 1 twice: the same delays (largest difference $d11 s, \
at most 0.3)" awk -v d="$d11" 'BEGIN { exit !(d <= 0.3) }'
ok "--seed 2: other delays (largest difference $d12 s, at least 0.5)" \
	awk -v d="$d12" 'BEGIN { exit !(d >= 0.5) }'

kill -INT "$SRV"
wait_exit "$SRV" 30
is "$?" 0 "the server exits 0 at SIGINT"
done_testing
