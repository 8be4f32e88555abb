#!/bin/sh
# twohost.sh: the lab as it runs in class, on two machines. Two network
# namespaces joined by a veth pair stand for the two hosts (10.0.0.1 and
# 10.0.0.2 exist only inside them): thread_serv -b 0.0.0.0 on one, the
# 8-thread client on the other. Then the link is slowed with tc's token
# bucket (tbf): the timeline stretches, nothing is lost. Root only; the
# namespaces go away at the end, failure or not.
. "${0%/*}/../lib.sh"

if [ "$(id -u)" != 0 ]; then
	skip "two hosts" "needs root for ip netns"
	done_testing
	exit
fi
if ! command -v ip >/dev/null 2>&1; then
	skip "two hosts" "ip (iproute2) is not installed"
	done_testing
	exit
fi
A=tktA$$
B=tktB$$
cleanup_ns() {
	t_cleanup
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
}
trap cleanup_ns EXIT

setup() {
	ip netns add "$A" && ip netns add "$B" &&
		ip link add "va$$" type veth peer name "vb$$" &&
		ip link set "va$$" netns "$A" && ip link set "vb$$" netns "$B" &&
		ip -n "$A" addr add 10.0.0.1/30 dev "va$$" &&
		ip -n "$B" addr add 10.0.0.2/30 dev "vb$$" &&
		ip -n "$A" link set "va$$" up && ip -n "$B" link set "vb$$" up &&
		ip -n "$A" link set lo up && ip -n "$B" link set lo up
}
if ! setup 2>"$T_TMP/setup"; then
	skip "two hosts" "cannot make network namespaces: $(head -n 1 "$T_TMP/setup")"
	done_testing
	exit
fi
ok "two hosts: 10.0.0.1 and 10.0.0.2 on one veth link" true

# the server on host A, on every interface
spawn ip netns exec "$A" "$BIN/thread_serv" -b 0.0.0.0 5000 >"$T_TMP/serv" 2>&1
SRV=$SPAWNED
wait_for 30 has_line "$T_TMP/serv" 'listening on'
like "$(cat "$T_TMP/serv")" 'listening on 0\.0\.0\.0:5000' "server on 0.0.0.0"
like "$(cat "$T_TMP/serv")" 'reachable at: .*10\.0\.0\.1' \
	"server lists the address the other host uses"

# the client on host B
exits 0 "client on the other host: thread_cli 10.0.0.1 5000" \
	ip netns exec "$B" "$BIN/thread_cli" 10.0.0.1 5000
like "$OUT" '^8/8 acknowledged$' "8/8 acknowledged across the link"
# the server logs "sent ACK" after the write: the client may end first
at_least() { [ "$(grep -c "$2" "$1")" -ge "$3" ]; }
wait_for 10 at_least "$T_TMP/serv" ': sent ACK$' 8
is "$(grep -c '^10\.0\.0\.2:[0-9]*: sent ACK$' "$T_TMP/serv")" 8 \
	"server log shows the client's real address, 8 times"

# The same 8 threads sending 3000 bytes each after exactly 1 s, on the
# link as it is, then slowed to 64 kbit/s (8 KB a second): the timelines
# are shown, not compared (timing is the machine's); nothing may be lost.
msg=$(printf '%03000d' 0)
timeline() { # WHAT: run the client, show its timeline as TAP comments
	exits 0 "$1: 8 threads, 3000 bytes each" ip netns exec "$B" \
		"$BIN/netlab" client -d 1-1 -m "$msg" --timeline 10.0.0.1 5000
	like "$OUT" '^8/8 acknowledged$' "$1: nothing lost"
	printf '%s\n' "$OUT" | sed -n '/^timeline/,/^thread 7 /s/^/# /p'
}
timeline "fast link"
if ip netns exec "$B" tc qdisc add dev "vb$$" root tbf rate 64kbit \
	burst 3000 latency 10s 2>"$T_TMP/tc"; then
	timeline "slow link"
	sent=$(ip netns exec "$B" tc -s qdisc show dev "vb$$" |
		sed -n 's/.*Sent \([0-9]*\) bytes.*/\1/p' | head -n 1)
	ok "the 24000 bytes went through the slow qdisc ($sent bytes)" \
		test "${sent:-0}" -gt 24000
else
	skip "slow link" "tc cannot add tbf: $(head -n 1 "$T_TMP/tc")"
fi
wait_for 10 at_least "$T_TMP/serv" ': sent ACK$' 24
kill -INT "$SRV"
wait_exit "$SRV" 10
is "$?" 0 "server stops on Ctrl-C"
like "$(cat "$T_TMP/serv")" 'stopped: 24 clients served' "24 served in all"

done_testing
