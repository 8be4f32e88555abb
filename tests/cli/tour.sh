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
like "$OUT" '^summary: 8 served' "the server drained and summarised after SIGINT"
like "$OUT" 'thread_serv' "procview showed the server"
like "$OUT" 'same address: yes' "the copy-on-write demo held"
like "$OUT" '^mutex +[0-9]+ +[0-9]+ +0 ' "the mutex lost no update"
is "$ERR" "" "the tour wrote nothing to stderr"
done_testing
