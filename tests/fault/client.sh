#!/bin/sh
# client.sh: "netlab client -t S" bounds the whole reply, not each read.
# A server (tests/helpers/trickle) that sends "ACK\n" one byte every
# 1.5 s takes 4.5 s: each read comes well within 3 s, but the reply as a
# whole does not, so -t 3 must give up with a timeout. The same server
# at 0.3 s a byte (0.9 s in all) is answered well within -t 3.
. "${0%/*}/../lib.sh"
TR=${HELPERBIN:-}/trickle

if [ ! -x "$TR" ]; then
	skip "client reply deadline" "helper $TR not built (HELPERBIN)"
	done_testing
	exit 0
fi

trickle() { # GAP_MS: start the server, its port in $PORT
	spawn "$TR" "$1" 20 >"$T_TMP/trickle.out" 2>&1
	PORT=""
	wait_for 10 has_line "$T_TMP/trickle.out" '^port ' &&
		PORT=$(sed -n 's/^port //p' "$T_TMP/trickle.out")
	[ -n "$PORT" ]
}

if trickle 1500; then
	exits 1 "client -t 3: an ACK trickled over 4.5 s fails" \
		"$BIN/netlab" client -n 1 -d 0-0 -t 3 127.0.0.1 "$PORT"
	like "$OUT" '^thread 0: failed after [0-9.]+ s: timeout$' \
		"client -t 3: the reason is the timeout"
	like "$OUT" '^0/1 acknowledged$' "client -t 3: nothing acknowledged"
else
	ok "trickle server starts" false
fi

if trickle 300; then
	exits 0 "client -t 3: an ACK trickled over 0.9 s is taken" \
		"$BIN/netlab" client -n 1 -d 0-0 -t 3 127.0.0.1 "$PORT"
	like "$OUT" '^1/1 acknowledged$' "client -t 3: one acknowledged"
else
	ok "trickle server starts" false
fi
done_testing
