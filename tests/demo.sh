#!/bin/sh
# tests/demo.sh: the guided tour (make demo), under a minute, narrated:
# one line before each step says what to look at. Everything it starts it
# stops by PID, and a failing step makes the tour exit non-zero.
: "${BIN:?}"
PATH="$BIN:$PATH"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tour.XXXXXX")
spid=
cleanup() {
	[ -n "$spid" ] && kill -9 "$spid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -t 1 ] && [ -z "$NO_COLOR" ]; then
	b=$(printf '\033[1m') n=$(printf '\033[0m')
fi
step=0
say() { # TITLE, then what to look at
	step=$((step + 1))
	printf '\n%s== %d. %s%s\n' "$b" "$step" "$1" "$n"
	printf '   look at: %s\n\n' "$2"
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

say "memlayout: every object of a live process in its real mapping" \
	"code is r-x, literals r--, globals rw-; heap grows up, stack down"
memlayout --no-diagram || fail "memlayout failed"

say "memlayout demo cow: fork gives a private copy on the first write" \
	"the same virtual address holds different values in parent and child"
memlayout demo cow || fail "memlayout demo cow failed"

say "the lecture's TCP lab: thread_serv on a port the kernel picks" \
	"one line per event, each with the id of the thread that served it"
thread_serv 0 >"$tmp/serv.log" 2>&1 &
spid=$!
wait_line "$tmp/serv.log" 'listening on' || fail "server did not start"
port=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$tmp/serv.log")
cat "$tmp/serv.log"

say "thread_cli: 8 threads connect, wait 1-5 s, send, print the ACK" \
	"while the clients wait: the tour's process tree, then one server thread per client"
thread_cli --timeline 127.0.0.1 "$port" >"$tmp/cli.log" 2>&1 &
cpid=$!
i=0
while [ "$(grep -c connected "$tmp/serv.log")" -lt 8 ] && [ $i -lt 500 ]; do
	i=$((i + 1))
	sleep 0.02
done
procview -f --forest -p "$$" --ppid "$$" || fail "procview failed"
echo
procview -L -o pid,lwp,nlwp,stat,time,comm -p "$spid" || fail "procview -L failed"
wait "$cpid"
crc=$?
echo
cat "$tmp/cli.log"
[ "$crc" = 0 ] || fail "thread_cli exited $crc"

say "the server's log, then SIGINT: it drains and prints a summary" \
	"connected / received / sent ACK / closed, then 'summary: 8 served'"
kill -INT "$spid"
wait "$spid"
src=$?
spid=
tail -n 8 "$tmp/serv.log"
[ "$src" = 0 ] || fail "server exited $src after SIGINT"

say "netlab race: threads incrementing one counter" \
	"without a lock updates are lost; the mutex and the atomic are exact"
netlab race -t 4 -n 200000 || fail "netlab race failed"

if netlab bench --help >/dev/null 2>&1; then
	say "netlab bench --compare: fork vs thread vs pool vs epoll, measured" \
		"connections per second, CPU per connection, memory per idle one"
	netlab bench --compare -n 2000 || fail "netlab bench --compare failed"
fi

printf '\n%sdone.%s Next: the labs in docs/labs/ (Korean: docs/labs/ko/), ' \
	"$b" "$n"
printf 'and make test.\n'
