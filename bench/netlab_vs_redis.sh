#!/bin/sh
# bench/netlab_vs_redis.sh: netlab's server models and its load generator
# measured against redis-server, in the same run, on the same machine.
# Writes the netlab section of docs/performance.md.
#
#   sh bench/netlab_vs_redis.sh            (as root for apt-get/unshare)
#   N=20000 REPS=3 IDLE=10000 sh bench/netlab_vs_redis.sh
#   NO_NETNS=1 ...: no network namespaces; wait for TIME_WAIT instead
#
# The pattern, for every server: connect, send one line, read one reply,
# close. The client for the server comparisons is netlab bench with one
# epoll loop per CPU (-t, CT=N to change it). netlab servers get "hello\n" and must answer "ACK"; redis gets
# "PING\r\n" and must answer "+PONG". netlab bench is the client for
# both; redis-benchmark -t ping -k 0 is measured as a second client
# against the same redis.
#
# redis-server is a benchmark peer, never a dependency: it is installed
# with apt-get only when missing. Every run happens in a fresh network
# namespace when unshare(1) allows it, so the TIME_WAIT sockets that one
# run leaves (up to 20,000) can neither slow nor starve the next; without
# it the script waits for TIME_WAIT to drain between runs. No system
# setting is changed. Everything started is stopped by its PID.
set -u
top=$(cd "${0%/*}/.." && pwd)
BIN=${BIN:-$top/build/bin}
N=${N:-20000}
REPS=${REPS:-5}
IDLE=${IDLE:-10000}
MODELS=${MODELS:-thread fork pool epoll}
# client loops for the server comparisons: one per CPU, so that the
# client is not what gets measured (netlab bench -t)
CT=${CT:-$(nproc 2>/dev/null || echo 2)}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nvr.XXXXXX")
PIDS=""

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$TMP"
}

# ---------------------------------------------------------------------
# Inside one run (maybe in its own network namespace): start a server,
# measure, stop it. Prints the client's JSON (or redis-benchmark's rate).
# ---------------------------------------------------------------------

# jnum JSON KEY: the first number after "KEY":
jnum() {
	printf '%s\n' "$1" | grep -o "\"$2\":-\{0,1\}[0-9.e+]*" | head -n 1 |
		sed 's/.*://'
}

wait_until() { # TENTHS CMD...: poll CMD every 0.1 s, at most TENTHS times
	w_n=$1
	shift
	while ! "$@" >/dev/null 2>&1; do
		w_n=$((w_n - 1))
		[ "$w_n" -le 0 ] && return 1
		sleep 0.1
	done
}

# ended: gone, or a zombie waiting for us to reap it
ended() {
	[ ! -e "/proc/$1" ] || [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" = Z ]
}
redis_up() { [ "$(redis-cli -p "$1" ping 2>/dev/null)" = PONG ]; }
has_port() { grep -q 'listening on' "$1"; }

# start_redis: SRV and PORT set; tries ports until one is free
start_redis() {
	for PORT in 46379 46479 46579 46679 46779 47379 48379 49379; do
		redis-server --port "$PORT" --bind 127.0.0.1 --save '' \
			--appendonly no --maxclients $((IDLE + 100)) \
			--logfile "$TMP/redis.$PORT.log" </dev/null >/dev/null 2>&1 &
		SRV=$!
		PIDS="$PIDS $SRV"
		if wait_until 100 redis_up "$PORT"; then
			return 0
		fi
		kill "$SRV" 2>/dev/null
		wait "$SRV" 2>/dev/null
	done
	echo "cannot start redis-server" >&2
	return 1
}

start_netlab() { # MODEL
	"$BIN/netlab" serve -m "$1" -q --max-clients $((IDLE + 100)) \
		--idle-timeout 300 </dev/null >"$TMP/srv.log" 2>&1 &
	SRV=$!
	PIDS="$PIDS $SRV"
	wait_until 100 has_port "$TMP/srv.log" || return 1
	PORT=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$TMP/srv.log")
}

stop_server() {
	kill "$SRV" 2>/dev/null
	wait_until 100 ended "$SRV" || kill -9 "$SRV" 2>/dev/null
	wait "$SRV" 2>/dev/null
}

# The CPU time (user + system, seconds) of this shell's reaped children:
# the client that just ran (the servers are still running, not counted).
client_cpu() {
	times >"$TMP/times" # not in a pipe: a subshell has no children
	sed -n 2p "$TMP/times" | tr 'ms' '  ' |
		awk '{ printf "{\"client_cpu_s\":%.3f}\n", $1 * 60 + $2 + $3 * 60 + $4 }'
}

# TCP segments sent so far in this network namespace (both ends count)
out_segs() {
	awk '$1 == "Tcp:" && $12 ~ /^[0-9]+$/ { print $12 }' /proc/net/snmp
}

inside() { # NETNS(0/1) WHAT SERVER [C [CLIENT_THREADS]]
	trap cleanup EXIT
	trap 'exit 1' HUP INT TERM
	[ "$1" = 1 ] && ip link set lo up
	what=$2
	server=$3
	c=${4:-50}
	t=${5:-1}
	if [ "$server" = redis ]; then
		start_redis || exit 1
		msg='PING\r'
		want=+PONG
	else
		start_netlab "$server" || exit 1
		msg=hello
		want=ACK
	fi
	case $what in
	load)
		s0=$(out_segs)
		"$BIN/netlab" bench --json -n "$N" -c "$c" -t "$t" -m "$msg" \
			--expect "$want" --server-pid "$SRV" 127.0.0.1 "$PORT"
		client_cpu
		# in a namespace of its own, every segment is this run's
		[ "$1" = 1 ] && echo "{\"segs\":$(($(out_segs) - s0))}"
		;;
	redis-benchmark)
		# -t ping runs PING_INLINE ("PING\r\n", what netlab bench
		# sends) and then PING_MBULK; the first is the same pattern.
		redis-benchmark -p "$PORT" -t ping -k 0 -n "$N" -c "$c" -q \
			2>/dev/null | tr '\r' '\n' |
			sed -n 's/^PING_INLINE: \([0-9.]*\) requests per second.*/{"conn_per_sec":\1}/p'
		client_cpu
		;;
	idle)
		"$BIN/netlab" bench --json --idle "$IDLE" --server-pid "$SRV" \
			--timeout 20 127.0.0.1 "$PORT"
		;;
	esac
	stop_server
}

if [ "${1:-}" = __inside ]; then
	shift
	inside "$@"
	exit
fi

# ---------------------------------------------------------------------
# The driver
# ---------------------------------------------------------------------
trap cleanup EXIT
trap 'exit 130' HUP INT TERM

say() { printf '%s\n' "$*" >&2; }

if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null
then
	say "installing redis-server and redis-tools (benchmark peer only)"
	apt-get update -qq >/dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			redis-server redis-tools >/dev/null ||
		{ say "cannot install redis-server"; exit 1; }
fi
# Debian starts a redis service on install; ours is a separate process
# on its own port and never touches that one.

make -s -C "$top" >/dev/null || { say "build failed"; exit 1; }

# Descriptors: IDLE held connections on each side, plus a margin.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -ge $((IDLE + 200)) ]; then
	ulimit -n $((IDLE + 200))
else
	ulimit -n "$hard"
	IDLE_WANTED=$IDLE
	IDLE=$((hard - 200))
	say "descriptor limit $hard: holding $IDLE idle connections, not $IDLE_WANTED"
fi

NS=""
if [ -z "${NO_NETNS:-}" ] && unshare -n sh -c 'ip link set lo up' 2>/dev/null
then
	NS="unshare -n"
	NETNS=1
	say "each run in a fresh network namespace"
else
	NETNS=0
	say "no unshare -n: waiting for TIME_WAIT to drain between runs"
fi

# TIME_WAIT sockets on this host (state 06 in /proc/net/tcp*)
tw_count() {
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		awk '$4 == "06" { n++ } END { print n + 0 }'
}
# low: within 1000 of what other programs on this host had at our start
TW_BASE=$(tw_count)
tw_low() { [ "$(tw_count)" -lt $((TW_BASE + 1000)) ]; }

run() { # WHAT SERVER [C]: one measurement, its JSON on stdout
	[ "$NETNS" = 0 ] && wait_until 700 tw_low
	$NS sh "$0" __inside "$NETNS" "$@" 2>>"$TMP/errors"
}

# median of the numbers on stdin
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print 0; exit }
		if (NR % 2) print v[(NR + 1) / 2];
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf("%.2f", b > 0 ? a / b : 0) }'; }
meets() { awk -v r="$1" -v t="$2" -v op="$3" 'BEGIN {
	ok = op == ">=" ? r >= t : r <= t; print ok ? "yes" : "**no**" }'; }

# ---- 1. every model vs redis, alternating, at -c 8 and -c 50 ----
for c in 8 50; do
	for rep in $(seq "$REPS"); do
		for m in $MODELS; do
			say "c=$c run $rep/$REPS: redis, then $m"
			r=$(run load redis "$c" "$CT")
			x=$(run load "$m" "$c" "$CT")
			rr=$(jnum "$r" conn_per_sec)
			xr=$(jnum "$x" conn_per_sec)
			echo "$m $c ${xr:-0} ${rr:-0} $(jnum "$x" failed)" \
				"$(jnum "$r" failed)" \
				"$(jnum "$x" server_cpu_us_per_conn)" \
				"$(jnum "$r" server_cpu_us_per_conn)" \
				"$(jnum "$x" segs)" "$(jnum "$r" segs)" >>"$TMP/load"
		done
	done
done

# ---- 2. netlab bench vs redis-benchmark against the same redis ----
GEN_REPS=${GEN_REPS:-$((2 * REPS + 1))}
for rep in $(seq "$GEN_REPS"); do
	say "load generators, run $rep/$GEN_REPS"
	a=$(run load redis 50)
	b=$(run redis-benchmark redis 50)
	echo "$(jnum "$a" conn_per_sec) $(jnum "$b" conn_per_sec)" \
		"$(jnum "$a" client_cpu_s) $(jnum "$b" client_cpu_s)" >>"$TMP/gen"
done

# ---- 3. memory per idle connection ----
for s in $MODELS redis; do
	say "$IDLE idle connections: $s"
	run idle "$s" >"$TMP/idle.$s"
done

# ---------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------
target_of() {
	case $1 in
	thread) echo 0.9 ;;
	pool) echo 1.1 ;;
	epoll) echo 1.2 ;;
	*) echo - ;;
	esac
}

col() { # MODEL C FIELD: the median of that field over the reps
	awk -v m="$1" -v c="$2" -v f="$3" '$1 == m && $2 == c { print $f }' \
		"$TMP/load" | median
}

ratios() { # MODEL C: the median of the per-pair ratios
	awk -v m="$1" -v c="$2" '$1 == m && $2 == c && $4 > 0 {
		printf "%.4f\n", $3 / $4 }' "$TMP/load" | median
}

fails() {
	awk '{ f += $5 + $6 } END { print f + 0 }' "$TMP/load"
}

report() {
	cpus=$(nproc 2>/dev/null || echo '?')
	rv=$(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p')
	echo "Measured by \`sh bench/netlab_vs_redis.sh\` on $(date -u +%Y-%m-%d)"
	echo "(Linux $(uname -r), $cpus CPUs, redis-server $rv). Each server figure"
	echo "is the median of $REPS runs (the load generators' of $GEN_REPS; the idle"
	echo "table is one run per server); the runs alternate, each model right after a redis"
	echo "run, and a ratio is taken within each pair. The pattern is the same for"
	printf '%s\n' 'both: connect, one line (`hello\n` / `PING\r\n`), one reply (`ACK` /'
	echo "\`+PONG\`, every reply checked), close; $N connections per run, netlab"
	echo "bench as the client with $CT threads (\`-t $CT\`, one epoll loop per CPU)."
	echo "$([ "$NETNS" = 1 ] && echo "Every run in a fresh network namespace, so no run inherits" || echo "Between runs the script waited for")"
	echo "$([ "$NETNS" = 1 ] && echo "the TIME_WAIT sockets of the one before." || echo "TIME_WAIT sockets to drain.") Client and server share the machine."
	echo "Failed connections over all server-comparison runs: $(fails)."
	echo
	echo "### Server models vs redis-server (connections per second)"
	echo
	echo "| model | c=8 conn/s | redis | ratio | c=50 conn/s | redis | ratio | target | met |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
	for m in $MODELS; do
		t=$(target_of "$m")
		r8=$(ratios "$m" 8)
		r50=$(ratios "$m" 50)
		worst=$(printf '%s\n%s\n' "$r8" "$r50" | sort -g | head -n 1)
		met=-
		[ "$t" != - ] && met=$(meets "$worst" "$t" ">=")
		printf '| %s | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %s | %s |\n' \
			"$m" "$(col "$m" 8 3)" "$(col "$m" 8 4)" "$r8" \
			"$(col "$m" 50 3)" "$(col "$m" 50 4)" "$r50" \
			"$([ "$t" = - ] && echo - || echo ">= $t")" "$met"
	done
	echo
	c1=$(awk -v n="$N" '{ print $3 * 1e6 / n }' "$TMP/gen" | median)
	echo "Why $CT client threads: a single client loop needs $(printf '%.0f' "$c1") us of CPU"
	echo "per connection (measured below; mostly the kernel's TCP work), so on"
	echo "its own it tops out near $(awk -v c="$c1" 'BEGIN { printf "%.0f", (c > 0 ? 1e6 / c : 0) }') conn/s, and every server faster than"
	echo "that would measure the same. With one loop per CPU the client keeps"
	echo "up, and what differs is the servers. Client and server still share"
	echo "the $cpus CPUs: a server that needs less CPU leaves more for the client."
	echo
	echo "Server CPU per connection (netlab bench --server-pid: the server's CPU"
	echo "clock in ns, ended threads included, plus for fork its reaped children's"
	echo "cutime and cstime, over the run; median over all runs at both"
	echo "concurrencies). On this machine the client"
	echo "and the server share the CPUs, so when the client is the bottleneck"
	echo "conn/s understates a faster server; its CPU per connection does not."
	echo
	echo "| model | server CPU per connection | redis-server | redis / model | TCP segments per connection (model / redis) |"
	echo "|---|---:|---:|---:|---:|"
	for m in $MODELS; do
		mc=$(awk -v m="$m" '$1 == m { print $7 }' "$TMP/load" | median)
		rc=$(awk -v m="$m" '$1 == m { print $8 }' "$TMP/load" | median)
		ms=$(awk -v m="$m" -v n="$N" '$1 == m && $9 != "" { print $9 / n }' "$TMP/load" | median)
		rs=$(awk -v m="$m" -v n="$N" '$1 == m && $10 != "" { print $10 / n }' "$TMP/load" | median)
		seg="$(printf '%.1f / %.1f' "$ms" "$rs")"
		[ "$NETNS" = 1 ] || seg="- (needs a namespace per run)"
		printf '| %s | %.0f us | %.0f us | %s | %s |\n' "$m" "$mc" "$rc" \
			"$(ratio "$rc" "$mc")" "$seg"
	done
	echo
	echo "Segments are counted in each run's own network namespace"
	echo "(/proc/net/snmp, Tcp OutSegs: both ends, handshake and teardown"
	echo "included). netlab needs fewer: the request's ACK rides on the reply"
	echo "(delayed ACKs), and the reply and the FIN leave in one segment"
	echo "(MSG_MORE, then shutdown); tests/unit/test_net.c counts both. Fewer"
	echo "segments is less kernel work on both sides; on loopback much of it is"
	echo "done on the sending side's CPU, the client's included."
	echo
	echo "### Load generators against the same redis-server (-c 50, one thread each)"
	echo
	nb=$(awk '{ print $1 }' "$TMP/gen" | median)
	rb=$(awk '{ print $2 }' "$TMP/gen" | median)
	gr=$(awk '$2 > 0 { printf "%.4f\n", $1 / $2 }' "$TMP/gen" | median)
	# client CPU per connection: the client's user+system time / N
	# (redis-benchmark -t ping also runs PING_MBULK: 2 N connections)
	nc=$(awk -v n="$N" '{ print $3 * 1e6 / n }' "$TMP/gen" | median)
	rc=$(awk -v n="$N" '{ print $4 * 1e6 / (2 * n) }' "$TMP/gen" | median)
	echo "| client | conn/s | ratio | client CPU per connection | target | met |"
	echo "|---|---:|---:|---:|---:|---|"
	printf '| netlab bench | %.0f | %.3f | %.0f us | >= 1.0 | %s |\n' \
		"$nb" "$gr" "$nc" "$(meets "$gr" 1.0 ">=")"
	printf '| redis-benchmark -t ping -k 0 (PING_INLINE) | %.0f | 1.00 | %.0f us | | |\n' \
		"$rb" "$rc"
	echo
	echo "The ratio is the median of the $GEN_REPS per-pair ratios (so it need not"
	echo "equal the ratio of the two median rates); targets are judged unrounded."
	echo "Client CPU is user + system time of"
	echo "the client process (from the shell's \`times\`) per connection; most of"
	echo "it is the kernel's TCP work, which on loopback the sending side pays."
	echo
	echo "### Memory per idle connection ($IDLE connections asked)"
	echo
	echo "| server | held | RSS per connection | threads | processes | descriptors per conn | target | met |"
	echo "|---|---:|---:|---:|---:|---:|---:|---|"
	for s in $MODELS redis; do
		j=$(cat "$TMP/idle.$s")
		held=$(jnum "$j" held)
		mem=$(jnum "$j" mem_bytes)
		after=$(printf '%s\n' "$j" | grep -o '"after":{[^}]*}')
		thr=$(jnum "$after" threads)
		procs=$(jnum "$after" procs)
		fdp=$(printf '%s\n' "$j" | grep -o '"per_conn":{[^}]*}')
		fdp=$(jnum "$fdp" fds)
		case $s in
		epoll) t=1024 ;;
		thread) t=12288 ;;
		*) t=- ;;
		esac
		met=-
		[ "$t" != - ] && [ -n "$mem" ] && met=$(meets "$mem" "$t" "<=")
		[ "$t" != - ] && [ "${held:-0}" -lt "$IDLE" ] && met="**no** (held $held)"
		printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$s" \
			"${held:-?}" \
			"$(awk -v b="${mem:-0}" 'BEGIN { if (b >= 10240) printf("%.1f KB", b / 1024); else printf("%.0f B", b) }')" \
			"${thr:-?}" "${procs:-?}" "${fdp:-?}" \
			"$([ "$t" = - ] && echo - || echo "<= $t B")" "$met"
	done
	echo
	echo "Memory is the growth of the server's VmRSS while it holds the idle"
	echo "connections, divided by those it holds; for fork it is the PSS of the"
	echo "server and all its children (RSS would count shared pages once per"
	echo "child). Kernel memory (page tables, kernel stacks, task and socket"
	echo "slab objects) is not in either: netlab bench --idle reports it beside"
	echo "them."
	echo "The pool holds only its workers plus its queue; it answers the rest"
	echo "\`BUSY\` (that is its design: a bounded queue instead of a hang)."
	echo "A fork child's descriptors are all it inherited: its connection and"
	echo "0-2 make 4, and each other descriptor open in the shell that ran this"
	echo "script adds one (fork does not exec, so nothing closes them)."
}

report >"$TMP/section" || exit 1
cat "$TMP/section"
if [ -s "$TMP/errors" ]; then
	say "messages from the runs:"
	sort "$TMP/errors" | uniq -c | head -n 20 >&2
fi

# Replace only what lies between the netlab markers.
doc=$top/docs/performance.md
awk -v f="$TMP/section" '
	/<!-- netlab:begin -->/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
	/<!-- netlab:end -->/ { skip = 0 }
	!skip { print }' "$doc" >"$TMP/doc" && cat "$TMP/doc" >"$doc"
say "wrote the netlab section of docs/performance.md"
