#!/bin/sh
# netlab_bench.sh: the load generator against real servers on port 0:
# the counts add up and agree with the server's own count, every reply
# is checked (--expect), refused and timed-out connections are counted
# as such, --json carries the figures, --idle reads the server's /proc
# (checked against /proc from here), bad arguments exit 2, and --compare
# runs every model and leaves no server behind.
. "${0%/*}/../lib.sh"

N=300
IDLE=20
if [ -n "$SAN" ]; then
	N=60
	IDLE=8
fi

# jnum JSON KEY: the first number after "KEY": (enough for our output)
jnum() {
	printf '%s\n' "$1" | grep -o "\"$2\":-\{0,1\}[0-9.e+]*" | head -n 1 |
		sed 's/.*://'
}

# jobj JSON KEY: the text of the object after "KEY": (no nesting inside)
jobj() {
	printf '%s\n' "$1" | grep -o "\"$2\":{[^}]*}" | head -n 1
}

# json_ok TEXT: one object, balanced braces and brackets outside strings
json_ok() {
	printf '%s\n' "$1" | awk '
	{ s = s $0 }
	END {
		d = 0; instr = 0; n = length(s)
		for (i = 1; i <= n; i++) {
			c = substr(s, i, 1)
			if (instr) {
				if (c == "\\") i++
				else if (c == "\"") instr = 0
				continue
			}
			if (c == "\"") instr = 1
			else if (c == "{" || c == "[") d++
			else if (c == "}" || c == "]") { d--; if (d < 0) exit 1 }
		}
		exit !(d == 0 && instr == 0 && substr(s, 1, 1) == "{")
	}'
}

start_server() { # LOG ARGS...
	t_log=$1
	shift
	spawn "$BIN/netlab" serve -q "$@" >"$t_log" 2>&1
	SRV=$SPAWNED
	wait_for 30 has_line "$t_log" 'listening on'
	PORT=$(port_of "$t_log")
}

# threads_fit GOT WANT: equal; TSan may run one thread of its own
threads_fit() {
	[ "$1" -eq "$2" ] && return 0
	case $SAN in *thread*) [ "$1" -eq $(($2 + 1)) ] ;; *) false ;; esac
}

fds_of() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
fds_at_least() { [ "$(fds_of "$1")" -ge "$2" ]; }
fds_at_most() { [ "$(fds_of "$1")" -le "$2" ]; }
threads_of() { sed -n 's/^Threads:[[:space:]]*//p' "/proc/$1/status"; }

# ---- bad usage: exit 2 and a message ----
exits 2 "no arguments" "$BIN/netlab" bench
like "$ERR" 'missing HOST and PORT' "no arguments: says what is missing"
exits 2 "-c 0" "$BIN/netlab" bench -c 0 127.0.0.1 1
like "$ERR" "invalid value '0' for -c" "-c 0: names the option"
exits 2 "-n not a number" "$BIN/netlab" bench -n 12x 127.0.0.1 1
exits 2 "-n with -d" "$BIN/netlab" bench -n 5 -d 1 127.0.0.1 1
exits 2 "port 0" "$BIN/netlab" bench 127.0.0.1 0
exits 2 "not a numeric host" "$BIN/netlab" bench example.org 80
like "$ERR" 'numeric' "bad host: says numeric"
exits 2 "unknown escape in -m" "$BIN/netlab" bench -m 'a\q' 127.0.0.1 1
exits 2 "--hold without --idle" "$BIN/netlab" bench --hold 1 127.0.0.1 1
exits 2 "--compare with HOST" "$BIN/netlab" bench --compare 127.0.0.1 1
exits 2 "--compare unknown model" "$BIN/netlab" bench --compare \
	--models thread,bogus
exits 2 "unknown option" "$BIN/netlab" bench --bogus 127.0.0.1 1
exits 0 "--help" "$BIN/netlab" bench --help
like "$OUT" '^usage: netlab bench \[-c CONCURRENCY\]' "--help: usage line"
like "$OUT" '--expect REPLY' "--help: lists --expect"
exits 1 "--server-pid of no process" "$BIN/netlab" bench --server-pid \
	999999999 127.0.0.1 1

# ---- a real server: counts add up, every reply checked ----
L=$T_TMP/srv.log
start_server "$L" -m epoll
ok "server listening" test -n "$PORT"
FD0=$(fds_of "$SRV") # no client yet: the server's own descriptors

exits 0 "load: -n $N -c 8" "$BIN/netlab" bench -n "$N" -c 8 127.0.0.1 "$PORT"
like "$OUT" "^  $N connections: $N ok, 0 failed in " "load: $N ok, 0 failed"
like "$OUT" '^  latency ms: p50 [0-9.]+  p90 [0-9.]+  p99 [0-9.]+  max ' \
	"load: latency percentiles"
like "$OUT" 'refused 0, reset 0, timeout 0, eaddrnotavail 0, wrong_reply 0' \
	"load: every error kind shown"
is "$ERR" "" "load: no progress line when stderr is not a terminal"
SENT=$N

exits 0 "load --json" "$BIN/netlab" bench --json -n "$N" -c 16 \
	--server-pid "$SRV" 127.0.0.1 "$PORT"
J=$OUT
ok "--json: one well-formed object" json_ok "$J"
is "$(jnum "$J" started)" "$N" "--json: started = $N"
is "$(jnum "$J" ok)" "$N" "--json: ok = $N"
is "$(jnum "$J" failed)" 0 "--json: failed = 0"
is "$(jnum "$J" wrong_reply)" 0 "--json: wrong_reply = 0"
ok "--json: conn_per_sec > 0" awk -v v="$(jnum "$J" conn_per_sec)" \
	'BEGIN { exit !(v > 0) }'
ok "--json: p50 <= p99 <= max" awk -v a="$(jnum "$J" p50)" \
	-v b="$(jnum "$J" p99)" -v c="$(jnum "$J" max)" \
	'BEGIN { exit !(a > 0 && a <= b && b <= c) }'
like "$J" '"server_cpu_us_per_conn":[0-9.]+' "--json: server CPU per connection"
SENT=$((SENT + N))

# --threads: the load shared out over loops, every connection once
exits 0 "-t 3" "$BIN/netlab" bench --json -t 3 -n 1001 -c 8 127.0.0.1 "$PORT"
is "$(jnum "$OUT" client_threads)" 3 "-t 3: three loops ran"
is "$(jnum "$OUT" started)" 1001 "-t 3: started = 1001, no share lost or doubled"
is "$(jnum "$OUT" ok)" 1001 "-t 3: ok = 1001"
ok "-t 3: p50 <= p99 <= max over the merged histograms" \
	awk -v a="$(jnum "$OUT" p50)" -v b="$(jnum "$OUT" p99)" \
	-v c="$(jnum "$OUT" max)" 'BEGIN { exit !(a > 0 && a <= b && b <= c) }'
SENT=$((SENT + 1001))
exits 0 "-t 8 -c 2" "$BIN/netlab" bench --json -t 8 -c 2 -n 10 \
	127.0.0.1 "$PORT"
is "$(jnum "$OUT" client_threads)" 2 "-t 8 -c 2: cut to one loop per connection"
is "$(jnum "$OUT" ok)" 10 "-t 8 -c 2: ok = 10"
SENT=$((SENT + 10))
exits 0 "-t 2 -d 0.3" "$BIN/netlab" bench --json -t 2 -d 0.3 -c 4 \
	127.0.0.1 "$PORT"
is "$(jnum "$OUT" ok)" "$(jnum "$OUT" started)" "-t 2 -d: every started one ok"
SENT=$((SENT + $(jnum "$OUT" ok)))
exits 2 "-t 0" "$BIN/netlab" bench -t 0 127.0.0.1 "$PORT"
exits 2 "-t with --idle" "$BIN/netlab" bench -t 2 --idle 3 127.0.0.1 "$PORT"
like "$ERR" "threads goes with a load" "-t with --idle: says why"

# --expect: a reply that is not the expected one is a wrong reply
exits 1 "--expect mismatch" "$BIN/netlab" bench --json -n 40 -c 4 \
	--expect NOPE 127.0.0.1 "$PORT"
is "$(jnum "$OUT" wrong_reply)" 40 "--expect mismatch: 40 wrong replies"
is "$(jnum "$OUT" ok)" 0 "--expect mismatch: none ok"
like "$OUT" '"first_wrong_reply":"ACK"' "--expect mismatch: shows the reply"
SENT=$((SENT + 40))

# -m with escapes and a too-long line: the server's ERR is a wrong reply
exits 1 "too-long line" "$BIN/netlab" bench -n 5 -c 1 \
	-m "$(printf '%05000d' 0)" 127.0.0.1 "$PORT"
like "$OUT" "wrong_reply 5" "too-long line: 5 wrong replies"
like "$OUT" "first wrong reply: 'ERR line too long'" "too-long: the reply"
exits 0 "--expect ERR... matches" "$BIN/netlab" bench -n 3 -c 1 \
	-m "$(printf '%05000d' 0)" --expect 'ERR line too long' 127.0.0.1 "$PORT"
exits 0 "-m with CR LF escapes" "$BIN/netlab" bench -n 3 -c 1 \
	-m 'PING\r\n' 127.0.0.1 "$PORT"
SENT=$((SENT + 3))

# -d: bounded by time, everything that started finished
exits 0 "-d 0.3" "$BIN/netlab" bench --json -d 0.3 -c 4 127.0.0.1 "$PORT"
D_OK=$(jnum "$OUT" ok)
is "$D_OK" "$(jnum "$OUT" started)" "-d: every started connection ok"
ok "-d: stopped by time" awk -v s="$(jnum "$OUT" seconds)" \
	'BEGIN { exit !(s > 0.2 && s < 10) }'
SENT=$((SENT + D_OK))

# --max-time bounds an -n run that cannot finish in time
exits 1 "--max-time" "$BIN/netlab" bench --json -n 100000000 -c 4 \
	--max-time 0.3 127.0.0.1 "$PORT"
like "$OUT" '"time_limited":true' "--max-time: says it was cut short"
SENT=$((SENT + $(jnum "$OUT" ok)))

# ---- --idle: the server's own figures, checked against /proc ----
spawn "$BIN/netlab" bench --idle "$IDLE" --server-pid "$SRV" --hold 30 \
	--json 127.0.0.1 "$PORT" >"$T_TMP/idle.json" 2>&1
IB=$SPAWNED
ok "--idle: the server holds $IDLE more descriptors (seen from here)" \
	wait_for 20 fds_at_least "$SRV" $((FD0 + IDLE))
kill -INT "$IB"
wait_exit "$IB" 20
is "$?" 0 "--idle: ends on SIGINT with status 0"
IJ=$(cat "$T_TMP/idle.json")
ok "--idle --json: well-formed" json_ok "$IJ"
is "$(jnum "$IJ" held)" "$IDLE" "--idle: held $IDLE"
F0=$(jnum "$(jobj "$IJ" before)" fds)
F1=$(jnum "$(jobj "$IJ" after)" fds)
is "$((F1 - F0))" "$IDLE" "--idle: epoll server: one descriptor per connection"
ok "--idle: epoll server: one thread" \
	threads_fit "$(jnum "$(jobj "$IJ" after)" threads)" 1
ok "the idle connections are closed at the end" wait_for 20 \
	fds_at_most "$SRV" "$FD0"

# thread model: one thread per idle connection, text report
L2=$T_TMP/thr.log
SRV1=$SRV
PORT1=$PORT
start_server "$L2" -m thread
T0=$(threads_of "$SRV")
exits 0 "--idle thread model" "$BIN/netlab" bench --idle "$IDLE" \
	--server-pid "$SRV" 127.0.0.1 "$PORT"
like "$OUT" "held $IDLE, answered or closed by the server 0, failed 0" \
	"--idle thread: all held"
TA=$(printf '%s\n' "$OUT" | sed -n 's/^    threads  *[0-9]*  *\([0-9]*\) .*/\1/p')
ok "--idle thread: one thread per connection ($T0 before, $TA after)" \
	threads_fit "$TA" $((T0 + IDLE))
like "$OUT" '^    memory \(RSS\) ' "--idle thread: memory row"

# pool with 1 worker and a queue of 2: the rest are answered BUSY
L3=$T_TMP/pool.log
start_server "$L3" -m pool --threads 1 --queue 2
exits 0 "--idle pool, tiny" "$BIN/netlab" bench --idle 6 --server-pid "$SRV" \
	--json 127.0.0.1 "$PORT"
# (2 or 3: the worker may not have taken the first one off the queue
# yet when the third arrives)
PH=$(jnum "$OUT" held)
ok "--idle pool: the queue (2) held, at most worker + queue (3): $PH" \
	test "$PH" -ge 2 -a "$PH" -le 3
is "$((PH + $(jnum "$OUT" rejected)))" 6 "--idle pool: the others were answered"
like "$OUT" '"first_answer":"BUSY"' "--idle pool: answered BUSY"

# ---- the server's count agrees with ours ----
kill -INT "$SRV1"
wait_exit "$SRV1" 30
like "$(cat "$L")" "^summary: $SENT served" \
	"the server served exactly the $SENT ACKs bench counted"

# ---- refused, timeout ----
exits 1 "refused port" "$BIN/netlab" bench --json -n 7 -c 2 127.0.0.1 "$PORT1"
is "$(jnum "$OUT" refused)" 7 "refused port: 7 refused"
is "$(jnum "$OUT" ok)" 0 "refused port: none ok"

# A stopped server accepts nothing and answers nothing: timeouts.
kill -STOP "$SRV"
exits 1 "stopped server" "$BIN/netlab" bench --json -n 3 -c 3 --timeout 0.5 \
	127.0.0.1 "$PORT"
kill -CONT "$SRV"
is "$(jnum "$OUT" timeout)" 3 "stopped server: 3 timeouts"

# ---- --compare: every model, then nothing left behind ----
CN=40
[ -n "$SAN" ] && CN=16
exits 0 "--compare tiny" "$BIN/netlab" bench --compare --json -n "$CN" -c 4 \
	--idle 6
CJ=$OUT
ok "--compare --json: well-formed" json_ok "$CJ"
for m in thread fork pool epoll; do
	row=$(printf '%s\n' "$CJ" | sed 's/},{/}\n{/g' | grep "\"model\":\"$m\"")
	is "$(jnum "$row" ok)" "$CN" "--compare $m: $CN ok"
	is "$(jnum "$row" served_by_server)" "$CN" \
		"--compare $m: the server counted $CN"
	is "$(jnum "$row" idle_held)" 6 "--compare $m: 6 idle held"
	pid=$(jnum "$row" pid)
	ok "--compare $m: server pid $pid is gone" test ! -e "/proc/$pid"
	case $m in
	thread) ok "--compare thread: 1 + 6 threads" \
		threads_fit "$(jnum "$row" threads)" 7 ;;
	fork) is "$(jnum "$row" procs)" 7 "--compare fork: 1 + 6 processes" ;;
	epoll) ok "--compare epoll: one thread" \
		threads_fit "$(jnum "$row" threads)" 1 ;;
	esac
done

exits 0 "--compare -t 2" "$BIN/netlab" bench --compare --json -t 2 -n "$CN" \
	-c 4 --idle 2 --models epoll
is "$(jnum "$OUT" client_threads)" 2 "--compare -t 2: two client loops"
is "$(jnum "$OUT" ok)" "$CN" "--compare -t 2: $CN ok"

exits 0 "--compare text" "$BIN/netlab" bench --compare -n "$CN" -c 4 \
	--idle 4 --models thread,epoll
like "$OUT" '^model +conn/s +p99 ms +CPU us/conn +RSS/idle conn' \
	"--compare: the table header"
like "$OUT" '^epoll +[0-9]+ ' "--compare: an epoll row"
like "$OUT" '^What it shows:' "--compare: the reading"

done_testing
