#!/bin/sh
# tests/demo.sh: the guided tour (make demo), under a minute, narrated:
# one line before each step says what to look at. Everything it starts it
# stops by PID, and a failing step makes the tour exit non-zero.
: "${BIN:?}"
PATH="$BIN:$PATH"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tour.XXXXXX")
spid=
cpid=
cleanup() { # the server and the client, whichever is still running
	[ -n "$spid" ] && kill -9 "$spid" 2>/dev/null
	[ -n "$cpid" ] && kill -9 "$cpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -t 1 ] && [ -z "$NO_COLOR" ]; then
	b=$(printf '\033[1m') n=$(printf '\033[0m')
fi
step=0
say() { # TITLE, then what to look at (one line each, to fit 80 columns)
	step=$((step + 1))
	printf '\n%s== %d. %s%s\n' "$b" "$step" "$1" "$n"
	shift
	printf '   look at: %s\n' "$1"
	shift
	for l in "$@"; do
		printf '            %s\n' "$l"
	done
	echo
}
fail() {
	echo "demo: $*" >&2
	exit 1
}

# wait up to 10 s for a line matching ERE in FILE (a condition, not a sleep)
wait_line() {
	i=0
	while ! grep -Eq "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 500 ] && return 1
		sleep 0.02
	done
}

# wait_count FILE RE N: wait (at most 10 s) until N lines of FILE match RE
wait_count() {
	i=0
	while [ "$(grep -c "$2" "$1")" -lt "$3" ] && [ $i -lt 500 ]; do
		i=$((i + 1))
		sleep 0.02
	done
}

say "memlayout: one object of each kind, each in its real mapping" \
	"code is r-x, literals r--, globals rw-; heap grows up, stack down"
memlayout --no-diagram || fail "memlayout failed"

say "memlayout demo cow: fork gives a private copy on the first write" \
	"one physical frame shared after fork (root sees its number)," \
	"a new one on the child's first write"
memlayout demo cow || fail "memlayout demo cow failed"

say "the lecture's TCP lab: thread_serv on a port the kernel picks" \
	"it says where it listens, and who can connect (this machine only)"
thread_serv 0 >"$tmp/serv.log" 2>&1 &
spid=$!
wait_line "$tmp/serv.log" 'listening on' || fail "server did not start"
port=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$tmp/serv.log")
cat "$tmp/serv.log"

say "thread_cli: 8 threads connect, wait 1-5 s, send, print the ACK" \
	"while the clients wait: the tour's process tree," \
	"then one server thread per client"
thread_cli 127.0.0.1 "$port" >"$tmp/cli.log" 2>&1 &
cpid=$!
wait_count "$tmp/serv.log" ': connected, thread' 8
procview -f --forest -p "$$" --ppid "$$" || fail "procview failed"
echo
procview -L -o pid,lwp,nlwp,stat,time,comm -p "$spid" || fail "procview -L failed"
wait "$cpid"
crc=$?
cpid=
echo
cat "$tmp/cli.log"
[ "$crc" = 0 ] || fail "thread_cli exited $crc"

say "SIGINT (Ctrl-C) stops the server; its whole log" \
	"a thread id per client, 'connected' then 'sent ACK', then the count"
# A client can read its ACK before the server thread that sent it has
# counted it (the count, then the 'sent ACK' line, come after the write):
# wait for the 8th line, so the count at SIGINT is the whole count.
wait_count "$tmp/serv.log" ': sent ACK$' 8
kill -INT "$spid"
wait "$spid"
src=$?
spid=
cat "$tmp/serv.log"
[ "$src" = 0 ] || fail "server exited $src after SIGINT"

say "netlab race: threads incrementing one counter" \
	"without a lock updates can be lost (how many changes from run to" \
	"run; a run may lose none); the mutex and the atomic are exact"
netlab race -t 4 -n 1000000 || fail "netlab race failed"

if netlab bench --help >/dev/null 2>&1; then
	say "netlab bench --compare: fork vs thread vs pool vs epoll, measured" \
		"CPU and switches per connection, and what an idle one costs"
	netlab bench --compare -n 2000 || fail "netlab bench --compare failed"
	printf '\n%s\n%s\n%s\n' "One run, one sample of each figure. For the spread," \
		"run with --runs 5, and see docs/performance.md (netlab) for" \
		"what each figure counts and a five-run sample."
fi

printf '\n%sdone.%s Next: the labs in docs/labs/ (Korean: docs/labs/ko/), ' \
	"$b" "$n"
printf 'and make test.\n'
