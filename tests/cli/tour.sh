#!/bin/sh
# tour.sh: make demo's tour runs to the end and shows what it promises.
. "${0%/*}/../lib.sh"

if [ -n "$VALGRIND" ]; then
	skip "the tour" "too slow under make valgrind; the tools' tests cover it"
	done_testing
	exit
fi
exits 0 "the tour completes" sh tests/demo.sh
like "$OUT" '^8/8 acknowledged$' "every client thread got its ACK"
like "$OUT" '^stopped: 8 clients served$' "the server counted what it served at SIGINT"
like "$OUT" 'thread_serv' "procview showed the server"
like "$OUT" '^child write 2: +minor faults [+-][0-9]+ ' "the copy-on-write demo held"
like "$OUT" '^mutex +[0-9]+ +[0-9]+ +0 ' "the mutex lost no update"
is "$ERR" "" "the tour wrote nothing to stderr"
# the tour's own words (step titles and what to look at) fit 80 columns
wide=$(printf '%s\n' "$OUT" | sed 's/\x1b\[[0-9;]*m//g' |
	awk '/^(== |   look at: |            [^ ])/ && length > 80' | head -n 1)
is "$wide" "" "the step titles and 'look at' lines fit 80 columns"
done_testing
